"""Dense vectors in FAISS (exact inner product over normalised vectors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class FaissStore:
    """The embedded vector store (rag.store.base.VectorStore)."""

    filename = "dense.faiss"

    def __init__(self, index=None) -> None:
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> FaissStore:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(index)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def vectors(self) -> np.ndarray:
        """Every stored vector, in row order (to reuse them when the library changes)."""
        if self.size == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_n(0, self.size)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and scores of the ``k`` nearest rows, only among ``allowed`` rows if given."""
        import faiss

        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        params = None
        if allowed is not None:
            rows = np.flatnonzero(allowed).astype(np.int64)
            if rows.size == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))
            k = min(k, rows.size)
        scores, ids = self.index.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def save(self, folder: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(Path(folder) / self.filename))

    def after_switch(self) -> None:
        """Nothing lives outside the generation folder."""

    @classmethod
    def load(cls, folder: Path) -> FaissStore:
        import faiss

        return cls(faiss.read_index(str(Path(folder) / cls.filename)))
