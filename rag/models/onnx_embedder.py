"""multilingual-e5-small on ONNX Runtime: the converted folder's ONNX export and its own tokenizer.

Imports neither torch nor transformers: at run time an ONNX folder needs onnxruntime, tokenizers
and numpy only. The vectors are those of the sentence-transformers path (cosine ≥ .999 in the
tests, ≈1e-6 apart in practice): same prompts, same truncation, mean pooling over the attention
mask and L2 normalisation inside the graph.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from rag.models.onnx_export import FP32_FILE, INPUTS, INT8_FILE, ONNX_DIR, OUTPUT, pipeline_supported


def onnx_model_path(folder: Path, precision: str = "fp32") -> Path:
    return Path(folder) / ONNX_DIR / (INT8_FILE if precision == "int8" else FP32_FILE)


def has_onnx(folder: Path) -> bool:
    """Whether ``folder`` carries our fp32 export of a pipeline this class reproduces."""
    return onnx_model_path(folder).is_file() and pipeline_supported(Path(folder))


def session_options(threads: int | None = None, level: str = "all", parallel: bool = False, spinning: bool = False):
    """ONNX Runtime session options; the defaults measured best on the two-core machine while other
    work ran on it (`benchmarks/embedder.py --options`, engines taking turns query by query and
    batch by batch):

    - two intra-op threads: one query ≈30–40 ms against ≈33–48 ms on one thread;
    - no spinning: idle pool threads spin-wait for work by default, which on two busy cores takes
      the CPU from the other thread, from concurrent searches and from the LLM. Off, a query used
      12 % less CPU, a batch of passages 15 % less and ran 10–45 % faster, and four concurrent
      callers got 65 instead of 35 queries/s; one query alone was no slower in most runs;
    - full graph optimisation: basic or extended ran 40–55 % slower in two runs;
    - sequential execution: the parallel executor only adds scheduling for this chain of layers.
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_PARALLEL if parallel else ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = {
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }[level]
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    opts.log_severity_level = 3  # warnings about unused initialisers are not news
    return opts


class OnnxEmbedder:
    """encode_queries / encode_documents like the sentence-transformers path, on ONNX Runtime."""

    def __init__(
        self,
        folder: Path,
        fingerprint: str,
        batch_size: int = 16,
        precision: str = "fp32",
        options=None,
        max_batch_tokens: int = 1024,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        if not has_onnx(self.folder):
            raise FileNotFoundError(f"{self.folder} has no ONNX export of a mean-pooled, normalised model")
        path = onnx_model_path(self.folder, precision)
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing")
        self.name = self.folder.name
        self.fingerprint = fingerprint
        self.precision = precision
        self.batch_size = max(1, batch_size)
        # Attention memory grows with the square of the width: 16 passages of 512 tokens took the
        # process to 1.3 GB. With at most 1,024 padded tokens a batch it peaked at 0.75 GB and
        # embedded 10–20 % faster (long texts keep both cores busy even a few at a time).
        self.max_batch_tokens = max_batch_tokens
        st_config = json.loads((self.folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        # sentence-transformers' encode_query / encode_document prepend these prompts to the text.
        self.prompts = st_config.get("prompts") or {}
        tok_config = json.loads((self.folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        # The same cut as sentence-transformers: 512 tokens including <s> and </s>, from the right.
        self.max_length = int(tok_config.get("model_max_length", 512))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        pad = self.tokenizer.token_to_id(tok_config.get("pad_token", "<pad>"))
        self.pad_id = 1 if pad is None else pad
        self.session = ort.InferenceSession(str(path), options or session_options(), providers=["CPUExecutionProvider"])
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        prompt = self.prompts.get(kind, "")
        ids = [e.ids for e in self.tokenizer.encode_batch([prompt + t for t in texts], add_special_tokens=True)]
        for rows in self._batches([len(x) for x in ids]):
            width = max(len(ids[i]) for i in rows)
            input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            (vectors,) = self.session.run([OUTPUT], dict(zip(INPUTS, (input_ids, mask), strict=True)))
            out[rows] = vectors
        return out

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Row numbers in batches of similar length (less padding, as sentence-transformers sorts
        too), at most ``batch_size`` rows and ``max_batch_tokens`` padded tokens each."""
        batches: list[list[int]] = []
        for i in sorted(range(len(lengths)), key=lengths.__getitem__):
            last = batches[-1] if batches else None
            # Ascending lengths: with row i the batch is (rows + 1) × lengths[i] tokens wide.
            if last and len(last) < self.batch_size and (len(last) + 1) * lengths[i] <= self.max_batch_tokens:
                last.append(i)
            else:
                batches.append([i])
        return batches

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "document")
