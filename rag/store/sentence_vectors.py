"""Embeddings of every sentence of every chunk, computed at build time so that answering a question
embeds only the question. Rows of chunk i are offsets[i]:offsets[i + 1], in split_sentences order.

Stored as float16: sentences outnumber passages five to one, and half the bytes halve the write, the
checksum and the load of a large library; cosine rankings do not change at that precision."""

from __future__ import annotations

from pathlib import Path

import numpy as np

VECTORS = "sentences.npy"
OFFSETS = "sentence_offsets.npy"


class SentenceVectors:
    def __init__(self, vectors: np.ndarray, offsets: np.ndarray) -> None:
        if offsets.ndim != 1 or offsets[0] != 0 or offsets[-1] != len(vectors) or np.any(np.diff(offsets) < 0):
            raise ValueError("sentence offsets do not match the sentence vectors")
        self.vectors, self.offsets = vectors, offsets

    @classmethod
    def build(cls, vectors: np.ndarray, counts: list[int]) -> SentenceVectors:
        """``vectors``: every chunk's sentences in a row, ``counts[i]`` of them for chunk i."""
        offsets = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)
        return cls(np.asarray(vectors, dtype=np.float16), offsets)

    @property
    def chunks(self) -> int:
        return len(self.offsets) - 1

    def of(self, row: int) -> np.ndarray:
        return self.vectors[self.offsets[row] : self.offsets[row + 1]].astype(np.float32)

    def best(self, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Each of ``rows``' best sentence score against ``vector`` (a normalised query: its cosine), NaN for a
        row without stored sentences."""
        rows = np.asarray(rows, dtype=np.int64)
        lo, hi = self.offsets[rows], self.offsets[rows + 1]
        out = np.full(len(rows), np.nan, dtype=np.float32)
        has = hi > lo
        if not has.any():
            return out
        at = np.concatenate([np.arange(a, b) for a, b in zip(lo[has], hi[has], strict=True)])
        scores = self.vectors[at].astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        starts = np.concatenate([[0], np.cumsum(hi[has] - lo[has])[:-1]])
        out[has] = np.maximum.reduceat(scores, starts)
        return out

    def save(self, folder: Path) -> None:
        np.save(Path(folder) / VECTORS, self.vectors, allow_pickle=False)
        np.save(Path(folder) / OFFSETS, self.offsets, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SentenceVectors | None:
        """None for an index built before sentence vectors were stored: they are then computed per question."""
        folder = Path(folder)
        if not (folder / VECTORS).is_file() and not (folder / OFFSETS).is_file():
            return None
        return cls(np.load(folder / VECTORS, allow_pickle=False), np.load(folder / OFFSETS, allow_pickle=False))
