"""Fusing ranked lists from several retrievers into one score per row (the choice: rag.config.Fusion)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def rrf(lists: Iterable[tuple[float, Sequence[int]]], k: int = 60) -> dict[int, float]:
    """Weighted reciprocal rank fusion over (weight, rows best first)."""
    fused: dict[int, float] = {}
    for weight, rows in lists:
        for rank, row in enumerate(rows):
            fused[int(row)] = fused.get(int(row), 0.0) + weight / (k + rank + 1)
    return fused


def zscore(lists: Iterable[tuple]) -> dict[int, float]:
    """Weighted sum of each list's standardised scores, shifted so its weakest candidate adds 0.

    Unlike RRF this keeps the margins: e5's cosine scores crowd into a narrow band,
    and a near-tie there should not outvote a clear lexical winner.

    A list is (weight, rows, scores) or (weight, rows, scores, n): then only its first n rows (the retriever's
    own candidates) set the mean, spread and floor, and the rows after them (added for another reason: the
    passages of a document the question names) are scored on that scale, never below 0 — adding rows does not
    move the others' scores.
    """
    fused: dict[int, float] = {}
    for weight, rows, scores, *rest in lists:
        if len(rows) == 0:
            continue
        vals = np.asarray(scores, dtype=np.float64)
        n = rest[0] if rest and 0 < rest[0] <= len(vals) else len(vals)
        own = vals[:n]
        z = (vals - own.mean()) / (own.std() + 1e-9)
        z = np.maximum(z - z[:n].min(), 0.0)
        for row, v in zip(rows, z, strict=True):
            fused[int(row)] = fused.get(int(row), 0.0) + weight * float(v)
    return fused
