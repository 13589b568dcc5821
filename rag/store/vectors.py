"""Which vector store holds the dense vectors: FAISS embedded (the default) or Milvus."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.config import VECTOR_STORES, Settings
from rag.store.base import VectorStore
from rag.store.faiss_index import FaissStore
from rag.store.milvus_store import MilvusStore


def milvus_uri(settings: Settings) -> str:
    """A cluster's URI if one is set, else a milvus-lite file beside the index."""
    return settings.milvus_uri or str(Path(settings.index_dir).resolve() / "milvus.db")


def build_store(settings: Settings, vectors: np.ndarray) -> VectorStore:
    if settings.vector_store == "milvus":
        return MilvusStore.build(vectors, milvus_uri(settings), settings.milvus_token)
    if settings.vector_store != "faiss":  # Settings refuses others; a store read from an old manifest could differ
        raise ValueError(f"unknown vector store {settings.vector_store!r}; known: {', '.join(VECTOR_STORES)}")
    return FaissStore.build(vectors)


def load_store(folder: Path, kind: str, settings: Settings) -> VectorStore:
    """The store a generation was built with (the manifest says which), whatever is configured now."""
    if kind == "milvus":
        return MilvusStore.load(folder, settings.milvus_token)
    return FaissStore.load(folder)
