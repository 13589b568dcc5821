"""Dense vectors in Milvus: milvus-lite embedded in a local file, or a Milvus cluster by URI.

Same interface as FaissStore. Each index generation gets its own collection, so the manifest
switch stays the one atomic step; the generation folder holds only a small pointer file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rag.files import atomic_write_text

_PAGE = 8192  # rows per query when reading vectors back


class MilvusStore:
    filename = "dense.milvus.json"

    def __init__(
        self, uri: str, token: str = "", vectors: np.ndarray | None = None, collection: str = "", dim: int = 0, size: int = 0
    ) -> None:
        self.uri, self.token = uri, token
        self._pending = vectors  # held until save() names the collection
        self.collection = collection
        self._dim = dim if vectors is None else int(vectors.shape[1])
        self._size = size if vectors is None else int(vectors.shape[0])
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from pymilvus import MilvusClient

            self._client = MilvusClient(uri=self.uri, token=self.token) if self.token else MilvusClient(uri=self.uri)
        return self._client

    @classmethod
    def build(cls, vectors: np.ndarray, uri: str, token: str = "") -> MilvusStore:
        return cls(uri, token, np.ascontiguousarray(vectors, dtype=np.float32))

    @property
    def size(self) -> int:
        return self._size

    @property
    def dim(self) -> int:
        return self._dim

    def save(self, folder: Path) -> None:
        from pymilvus import DataType

        folder = Path(folder)
        # The generation folder is written as .gen-…partial and renamed; the collection takes the final name.
        self.collection = "rag_" + folder.name.strip(".").removesuffix(".partial").replace("-", "_")
        c = self.client
        if c.has_collection(self.collection):
            c.drop_collection(self.collection)
        schema = c.create_schema(auto_id=False)
        schema.add_field("row", DataType.INT64, is_primary=True)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self._dim)
        params = c.prepare_index_params()
        params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
        c.create_collection(self.collection, schema=schema, index_params=params)
        vectors = self._pending if self._pending is not None else np.zeros((0, self._dim), np.float32)
        for lo in range(0, len(vectors), _PAGE):
            rows = vectors[lo : lo + _PAGE]
            c.insert(self.collection, [{"row": lo + i, "vector": v.tolist()} for i, v in enumerate(rows)])
        c.flush(self.collection)
        c.load_collection(self.collection)
        pointer = {"uri": self.uri, "collection": self.collection, "dim": self._dim, "size": self._size}
        atomic_write_text(folder / self.filename, json.dumps(pointer))

    @classmethod
    def load(cls, folder: Path, token: str = "") -> MilvusStore:
        pointer = json.loads((Path(folder) / cls.filename).read_text(encoding="utf-8"))
        store = cls(pointer["uri"], token, collection=pointer["collection"], dim=int(pointer["dim"]), size=int(pointer["size"]))
        c = store.client
        if not c.has_collection(store.collection):
            raise ValueError(f"Milvus at {store.uri} has no collection {store.collection}")
        c.load_collection(store.collection)
        found = int(c.get_collection_stats(store.collection)["row_count"])
        if found != store.size:
            raise ValueError(f"Milvus collection {store.collection} holds {found} vectors, the index {store.size}")
        return store

    def vectors(self) -> np.ndarray:
        if self._pending is not None:
            return self._pending
        out = np.zeros((self._size, self._dim), dtype=np.float32)
        for lo in range(0, self._size, _PAGE):
            rows = self.client.query(
                self.collection, filter=f"row >= {lo} and row < {lo + _PAGE}", output_fields=["row", "vector"], limit=_PAGE
            )
            for r in rows:
                out[int(r["row"])] = r["vector"]
        return out

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self._size)
        expr = ""
        if allowed is not None:
            rows = np.flatnonzero(allowed)
            if rows.size == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            expr = f"row in [{','.join(map(str, rows.tolist()))}]"
            k = min(k, rows.size)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self.client.search(
            self.collection,
            data=[np.asarray(query, dtype=np.float32).ravel().tolist()],
            limit=k,
            filter=expr,
            output_fields=[],
            search_params={"metric_type": "IP"},
        )[0]
        ids = np.array([int(h["row"]) for h in hits], dtype=np.int64)
        scores = np.array([float(h["distance"]) for h in hits], dtype=np.float32)
        return ids, scores

    def after_switch(self) -> None:
        """Drop the collections of older generations (the manifest switched away from them)."""
        for name in self.client.list_collections():
            if name.startswith("rag_gen_") and name != self.collection:
                self.client.drop_collection(name)
