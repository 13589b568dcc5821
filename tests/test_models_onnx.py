"""The ONNX Runtime embedder gives the sentence-transformers vectors, and runs without torch."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    "云南的公共数据多久内要完成校核？",
    "到2026年要打造多少个典型应用场景？",
    "Which documents mention humanoid robots?",
    "What does the Anhui plan say about 10,000-card training?",
    "第二十二条",
    "数据要素×",
    "  leading and trailing spaces  ",
]


def _passages(bulletin_text: str) -> list[str]:
    lines = [line.strip() for line in bulletin_text.splitlines() if len(line.strip()) > 20]
    long = "".join(lines)  # far past 512 tokens: both paths must cut it at the same place
    assert len(long) > 5000
    return [
        *lines[:: max(1, len(lines) // 20)],
        "The National Data Administration issued a three-year action plan for data elements.",
        "ＡＢＣ　１２３ full-width and tab\there",
        long,
        long[:1500] + " English tail after the cut",  # differs from ``long`` only past 512 tokens
        "短",
    ]


@pytest.fixture(scope="module")
def onnx_embedder(model_folder):
    from rag.models.embedder import load_embedder

    return load_embedder(Settings(embedding_model=model_folder))


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


@pytest.mark.slow
def test_the_converted_folder_runs_on_onnx_runtime(onnx_embedder, embedder, model_folder):
    from rag.models.onnx_embedder import OnnxEmbedder

    assert isinstance(onnx_embedder, OnnxEmbedder)
    assert (model_folder / "onnx" / "model.onnx").is_file() and (model_folder / "onnx" / "model.onnx.data").is_file()
    # Same model, same vectors: an index built by either path is searched by the other.
    assert (onnx_embedder.name, onnx_embedder.fingerprint, onnx_embedder.dim) == (embedder.name, embedder.fingerprint, 384)


@pytest.mark.slow
def test_query_and_passage_vectors_agree_with_sentence_transformers(onnx_embedder, embedder, bulletin_text):
    passages = _passages(bulletin_text)
    for kind in ("queries", "documents"):
        texts = QUERIES if kind == "queries" else passages
        # One batch of mixed lengths (padding inside the batch), and each text alone (no padding).
        ours = getattr(onnx_embedder, f"encode_{kind}")(texts)
        theirs = getattr(embedder, f"encode_{kind}")(texts)
        assert ours.dtype == np.float32 and ours.shape == (len(texts), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert _cosines(ours, theirs).min() >= 0.999, kind
        alone = np.concatenate([getattr(onnx_embedder, f"encode_{kind}")([t]) for t in texts])
        assert _cosines(alone, ours).min() >= 0.9999, kind
    # Truncated at the same 512 tokens: a text changed only past the cut has the same vector.
    long, tail = onnx_embedder.encode_documents(passages[-3:-1])
    assert float(long @ tail) > 0.9999


@pytest.mark.slow
def test_prompts_are_applied_as_sentence_transformers_does(onnx_embedder, model_folder):
    config = json.loads((model_folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert onnx_embedder.prompts == config["prompts"] == {"query": "query: ", "document": "passage: "}
    q, d = onnx_embedder.encode_queries(["公共数据共享"])[0], onnx_embedder.encode_documents(["公共数据共享"])[0]
    assert float(q @ d) < 0.999
    assert onnx_embedder.encode_queries([]).shape == (0, 384)


@pytest.mark.slow
def test_tokens_match_the_sentence_transformers_tokenizer(onnx_embedder, embedder, bulletin_text):
    hf = embedder.model.tokenizer
    for text in _passages(bulletin_text) + QUERIES:
        text = "passage: " + text
        assert onnx_embedder.tokenizer.encode(text).ids == hf(text, truncation=True, max_length=512)["input_ids"]


@pytest.mark.slow
def test_int8_is_an_option_with_its_own_fingerprint(model_folder, onnx_embedder, bulletin_text):
    from rag.models.embedder import load_embedder

    int8 = load_embedder(Settings(embedding_model=model_folder, embedding_precision="int8"))
    # Close to fp32, not the same: an index built with one refuses the other.
    assert int8.fingerprint != onnx_embedder.fingerprint
    texts = _passages(bulletin_text)[:10]
    assert _cosines(int8.encode_documents(texts), onnx_embedder.encode_documents(texts)).min() > 0.95
    assert (model_folder / "onnx" / "model_int8.onnx").stat().st_size < 150e6


@pytest.mark.slow
def test_torch_backend_can_be_forced_and_bad_choices_are_refused(model_folder):
    from rag.models.embedder import SentenceTransformerEmbedder, load_embedder

    forced = load_embedder(Settings(embedding_model=model_folder, embedding_backend="torch"))
    assert isinstance(forced, SentenceTransformerEmbedder)
    with pytest.raises(ValueError):
        load_embedder(Settings(embedding_model=model_folder, embedding_backend="tensorflow"))
    with pytest.raises(ValueError):
        load_embedder(Settings(embedding_model=model_folder, embedding_backend="torch", embedding_precision="int8"))


@pytest.mark.slow
def test_a_folder_without_our_export_stays_on_sentence_transformers(model_folder, tmp_path):
    from rag.models.embedder import SentenceTransformerEmbedder, load_embedder

    plain = tmp_path / "plain-st-folder"  # e.g. RAG_EMBEDDING_MODEL=bge-small-zh: no onnx/ inside
    for path in model_folder.rglob("*"):
        rel = path.relative_to(model_folder)
        if path.is_file() and rel.parts[0] != "onnx":
            (plain / rel).parent.mkdir(parents=True, exist_ok=True)
            (plain / rel).symlink_to(path)
    assert isinstance(load_embedder(Settings(embedding_model=plain)), SentenceTransformerEmbedder)
    with pytest.raises(FileNotFoundError):
        load_embedder(Settings(embedding_model=plain, embedding_backend="onnx"))


@pytest.mark.slow
def test_conversion_is_deterministic(model_folder):
    """No randomly initialised pooler and no load-time flags: converting again gives the same fingerprint."""
    from safetensors import safe_open

    with safe_open(model_folder / "model.safetensors", "np") as f:
        assert not [k for k in f.keys() if k.startswith("pooler")]  # noqa: SIM118 (safe_open is no dict)
    assert "local_files_only" not in json.loads((model_folder / "tokenizer_config.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_search_runs_without_torch(real_index, model_folder):
    """`rag search` on the ONNX path never imports torch, over an index the PyTorch path built."""
    settings, _ = real_index
    argv = ["--index-dir", str(settings.index_dir), "search", "云南的公共数据多久内要完成校核？", "--top-k", "1", "--json"]
    probe = "print('TORCH' if 'torch' in sys.modules else 'NO TORCH', rc)"
    code = f"import sys\nfrom rag.cli import main\nrc = main({argv!r})\n{probe}"
    env = {**os.environ, "RAG_EMBEDDING_MODEL": str(model_folder), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("NO TORCH 0"), out.stdout[-300:]
    assert "第二十二条" in out.stdout


def test_batches_group_similar_lengths_within_row_and_token_limits():
    from rag.models.onnx_embedder import OnnxEmbedder

    e = OnnxEmbedder.__new__(OnnxEmbedder)  # the batching only, no model
    e.batch_size, e.max_batch_tokens = 4, 100
    lengths = [10, 60, 5, 20, 30, 40, 200, 10, 10, 10]
    batches = e._batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert batches == [[2, 0, 7, 8], [9, 3, 4], [5], [1], [6]]  # a text over the limit goes alone
    for b in batches:
        assert len(b) <= 4 and (len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 100)
