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


def zscore(lists: Iterable[tuple[float, Sequence[int], Sequence[float]]]) -> dict[int, float]:
    """Weighted sum of each list's standardised scores, shifted so its weakest candidate adds 0.

    Unlike RRF this keeps the margins: e5's cosine scores crowd into a narrow band,
    and a near-tie there should not outvote a clear lexical winner.
    """
    fused: dict[int, float] = {}
    for weight, rows, scores in lists:
        if len(rows) == 0:
            continue
        vals = np.asarray(scores, dtype=np.float64)
        z = (vals - vals.mean()) / (vals.std() + 1e-9)
        z -= z.min()
        for row, v in zip(rows, z, strict=True):
            fused[int(row)] = fused.get(int(row), 0.0) + weight * float(v)
    return fused
