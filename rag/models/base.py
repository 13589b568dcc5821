"""The embedder seam: what indexing, retrieval and answers ask of an embedding model. The bundled
multilingual-e5-small implements it (rag/models/embedder.py); the tests and the scale benchmark use
hash-seeded stand-ins of the same shape."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    name: str
    # Identity of the model and its weights: an index refuses to be searched with another.
    fingerprint: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised; e5 reads these with its "query: " prefix."""
        ...

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised; e5 reads these with its "passage: " prefix."""
        ...
