"""The embedder, loaded from a local folder only: ONNX Runtime when the folder has our ONNX export,
sentence-transformers (PyTorch) otherwise.

Every embedder has ``name``, ``fingerprint``, ``dim``, ``encode_queries(texts)`` and
``encode_documents(texts)`` (float32, L2-normalised, shape (n, dim)).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.config import Settings
from rag.models.base import Embedder
from rag.models.e5_convert import ensure_converted
from rag.models.onnx_export import ONNX_DIR

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


def _fingerprint(folder: Path) -> str:
    """Cheap identity of a model folder: its configs plus the size and edges of each weight file.

    The ONNX export (``onnx/``) is left out on purpose: it is the same weights run by another
    engine, and its fp32 vectors equal the PyTorch ones to ≈1e-7 (cosine ≥ .999 is tested; the dev
    figures are identical), so an index built by either path can be searched by the other. What
    could change the vectors is in: the weights, configs, tokenizer and conversion.json (the
    converter version), so a new conversion is a new model.
    """
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or path.name == "README.md" or rel.parts[0] == ONNX_DIR:
            continue
        h.update(rel.as_posix().encode())
        size = path.stat().st_size
        h.update(str(size).encode())
        with path.open("rb") as f:
            h.update(f.read(1 << 16))
            if size > 1 << 17:
                f.seek(-(1 << 16), 2)
                h.update(f.read())
    return h.hexdigest()[:16]


def precision_fingerprint(fingerprint: str, precision: str) -> str:
    """int8 vectors are ≈.99 cosine to fp32, not the same: an index built with one refuses the other."""
    if precision == "fp32":
        return fingerprint
    return hashlib.sha256(f"{fingerprint}+onnx-{precision}".encode()).hexdigest()[:16]


class SentenceTransformerEmbedder:
    """The PyTorch path: any sentence-transformers folder (bge-m3, bge-small-zh, …)."""

    def __init__(self, folder: Path, batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer

        self.folder = Path(folder)
        if not (self.folder / "modules.json").is_file():
            raise FileNotFoundError(f"{self.folder} is not a sentence-transformers folder (no modules.json)")
        self.model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self.name = self.folder.name
        self.fingerprint = _fingerprint(self.folder)
        self.dim = int(self.model.get_embedding_dimension())

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        fn = self.model.encode_query if kind == "query" else self.model.encode_document
        vectors = fn(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "document")


def load_embedder(settings: Settings) -> Embedder:
    """ONNX Runtime for a folder with our export (the bundled e5 after conversion), else PyTorch.

    ``settings.embedding_backend`` forces one: "torch" or "onnx"; ``embedding_precision`` "int8"
    quantises the export once (an option: its vectors are ≈.99 cosine to fp32).
    """
    from rag.models.onnx_embedder import has_onnx

    backend, precision = settings.embedding_backend, settings.embedding_precision
    if backend not in ("auto", "onnx", "torch") or precision not in ("fp32", "int8"):
        raise ValueError(f"embedding backend {backend!r} / precision {precision!r}: use auto|onnx|torch and fp32|int8")
    folder = Path(settings.embedding_model or ensure_converted(settings.cache_dir / "models"))
    if backend == "torch" or (backend == "auto" and not has_onnx(folder)):
        if precision != "fp32":
            raise ValueError("embedding precision int8 needs the ONNX backend")
        return SentenceTransformerEmbedder(folder, settings.batch_size)
    if not has_onnx(folder):
        raise FileNotFoundError(f"{folder} has no ONNX export (onnx/model.onnx); use the torch backend for it")
    from rag.models.onnx_embedder import OnnxEmbedder
    from rag.models.onnx_export import quantize_int8

    if precision == "int8":
        quantize_int8(folder)
    return OnnxEmbedder(folder, precision_fingerprint(_fingerprint(folder), precision), settings.batch_size, precision)
