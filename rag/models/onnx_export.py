"""Export a converted sentence-transformers folder to ONNX, once, at conversion time.

The graph holds the whole sentence-transformers pipeline of our folder (XLM-R encoder, mean
pooling over the attention mask, L2 normalisation), so ONNX Runtime returns the sentence vectors
and the run-time side needs only onnxruntime and tokenizers: no torch.

The weights go in a file beside the graph (``model.onnx.data``): ONNX Runtime memory-maps such a
file instead of copying it, so loading takes 0.2 s instead of 0.9 s and peaks at ≈140 MB instead
of ≈870 MB; only the rows of the 250k-token embedding table that texts use are ever read.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

ONNX_DIR = "onnx"
FP32_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "sentence_embedding"
# 17 has LayerNormalization as one op, which ONNX Runtime runs as one kernel.
OPSET = 17


def pipeline_supported(folder: Path) -> bool:
    """Whether ``folder`` is Transformer -> mean Pooling (prompt tokens included) -> Normalize: what the graph holds."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    return (
        kinds == ["Transformer", "Pooling", "Normalize"]
        and pooling.get("pooling_mode", "mean") == "mean"
        and pooling.get("include_prompt", True)
    )


def export_onnx(folder: Path) -> Path:
    """Write ``folder/onnx/model.onnx`` (fp32) from the folder's safetensors; returns its path.

    Called inside the converter's temporary folder, so the file appears with the folder or not at all.
    """
    import onnx
    import torch
    from transformers import AutoModel

    if not pipeline_supported(folder):
        raise ValueError(f"{folder}: not a Transformer -> mean Pooling -> Normalize folder")
    # Eager attention: the same vectors as sentence-transformers' sdpa (the tests check it), and its
    # graph ran ≈5 % faster under ONNX Runtime than the sdpa export. (onnxruntime.transformers'
    # offline BERT fusion, fused Attention + SkipLayerNorm, was no faster for a query and 10 % slower
    # for padded batches, so the plain export is what we keep.)
    encoder = AutoModel.from_pretrained(folder, add_pooling_layer=False, attn_implementation="eager")
    # eval() on the wrapper, not only the encoder: torch.onnx.export restores the wrapper's training
    # flag afterwards, recursively, and a new Module starts in training mode (dropout on).
    model = _Pooled(encoder).eval()
    # Two rows, the second padded: the traced graph must take the mask path, not a constant.
    ids = torch.tensor([[0, 6, 7, 8, 9, 10, 2], [0, 6, 7, 2, 1, 1, 1]])
    mask = (torch.arange(ids.shape[1]) < torch.tensor([[7], [4]])).long()
    graph = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # Tracer notes about shape checks that hold for any input of ours, and the exporter's deprecation.
        warnings.simplefilter("ignore")
        # The TorchScript exporter: no onnxscript dependency, and its graph matches sentence-transformers.
        torch.onnx.export(
            model,
            (ids, mask),
            graph,
            dynamo=False,
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in INPUTS}, OUTPUT: {0: "batch"}},
            opset_version=OPSET,
            do_constant_folding=True,
        )
    out = folder / ONNX_DIR / FP32_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    _save_external(onnx.load_from_string(graph.getvalue()), out)
    return out


def _save_external(model, out: Path) -> None:
    """The graph in ``out``, every weight in ``out.name + ".data"`` beside it (memory-mapped at load)."""
    import onnx

    onnx.save_model(model, out, save_as_external_data=True, all_tensors_to_one_file=True, location=out.name + ".data")


def quantize_int8(folder: Path) -> Path:
    """``onnx/model_int8.onnx``: dynamic int8 quantisation of the fp32 export, written once, atomically.

    An option, not the default: its vectors are close to fp32 but not the same (cosine ≈ .99).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    src = Path(folder) / ONNX_DIR / FP32_FILE
    out = src.parent / INT8_FILE
    if out.is_file():
        return out
    # Written under its final names in a private folder, then moved: the weights first, the graph
    # (whose presence marks the file done) last.
    tmp = Path(tempfile.mkdtemp(prefix=f".{INT8_FILE}.", dir=out.parent))
    try:
        quantize_dynamic(src, tmp / "q.onnx", weight_type=QuantType.QInt8)
        _save_external(onnx.load(tmp / "q.onnx"), tmp / INT8_FILE)
        os.replace(tmp / (INT8_FILE + ".data"), out.parent / (INT8_FILE + ".data"))
        os.replace(tmp / INT8_FILE, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _Pooled(encoder):
    import torch

    class Pooled(torch.nn.Module):
        """Encoder + mean pooling over the mask + L2 normalisation, as sentence-transformers computes them."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled()
