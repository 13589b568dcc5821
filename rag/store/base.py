"""The vector-store seam: what the index asks of a store of dense vectors. FAISS (embedded, the default)
and Milvus (milvus-lite or a cluster) implement it; rag/store/vectors.py chooses one."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class VectorStore(Protocol):
    """Row-numbered, L2-normalised vectors searched by inner product. Rows are the index's chunk rows."""

    @property
    def size(self) -> int: ...

    @property
    def dim(self) -> int: ...

    def vectors(self) -> np.ndarray:
        """Every stored vector in row order (a library change reuses them)."""
        ...

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` best rows, best first; only ``allowed`` rows (a boolean mask) if given."""
        ...

    def save(self, folder: Path) -> None:
        """Write into an index generation folder (still being written; it is renamed after)."""
        ...

    def after_switch(self) -> None:
        """Called once the manifest points at the new generation: drop what older generations left
        outside their folders (their folders are removed by the index)."""
        ...
