"""The sentence-transformers embedder, loaded from a local folder only."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.models.e5_convert import ensure_converted

log = logging.getLogger(__name__)


def _fingerprint(folder: Path) -> str:
    """Cheap identity of a model folder: its configs plus the size and edges of each weight file."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == "README.md":
            continue
        h.update(path.relative_to(folder).as_posix().encode())
        size = path.stat().st_size
        h.update(str(size).encode())
        with path.open("rb") as f:
            h.update(f.read(1 << 16))
            if size > 1 << 17:
                f.seek(-(1 << 16), 2)
                h.update(f.read())
    return h.hexdigest()[:16]


class Embedder:
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
    folder = settings.embedding_model or ensure_converted(settings.cache_dir / "models")
    return Embedder(folder, settings.batch_size)
