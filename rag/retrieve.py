"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused (z-scores or RRF), filtered."""

from __future__ import annotations

import numpy as np

from rag.config import Settings
from rag.filters import Filters
from rag.fusion import Fusion, rrf, zscore
from rag.index import Index
from rag.models.base import Embedder
from rag.provisions import provision_refs, provision_rows
from rag.query import normalize_query
from rag.types import Chunk, Passage


def _top(scores: np.ndarray, k: int, allowed: np.ndarray | None) -> np.ndarray:
    s = scores if allowed is None else np.where(allowed, scores, -np.inf)
    k = min(k, int(np.isfinite(s).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.argpartition(-s, k - 1)[:k]
    return rows[np.argsort(-s[rows], kind="stable")]


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        self.index, self.embedder, self.settings = index, embedder, settings
        self.provisions = provision_rows(index.chunks)
        # Filters look only at these fields: judge each distinct combination once, not every chunk.
        groups: dict[tuple, tuple[Chunk, list[int]]] = {}
        for row, c in enumerate(index.chunks):
            key = (c.article, c.column, c.source, c.kind, tuple(c.occurrences()))
            groups.setdefault(key, (c, []))[1].append(row)
        self._groups = [(c, np.asarray(rows, dtype=np.int64)) for c, rows in groups.values()]

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if not filters:
            return None
        allowed = np.zeros(len(self.index.chunks), dtype=bool)
        for c, rows in self._groups:
            if filters.allows(c):
                allowed[rows] = True
        return allowed

    def _structural(self, query: str, dense_rows: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        """Chunks of the provisions the question names (第十四条, （十七）), best dense match first."""
        refs = provision_refs(query)
        if not refs:
            return []
        named = sorted({r for ref in refs for r in self.provisions.get(ref, ())})
        ranked = list(map(int, dense_rows))
        seen, wanted = set(ranked), set(named)
        rows = [r for r in ranked if r in wanted]
        rows += [r for r in named if r not in seen and (allowed is None or allowed[r])]
        return rows

    def search(
        self, question: str, k: int | None = None, filters: Filters | None = None, query_vector: np.ndarray | None = None
    ) -> list[Passage]:
        """``query_vector``: the normalised question's e5 query embedding, if the caller has it already."""
        s = self.settings
        k = k or s.top_k
        query = normalize_query(question, s.max_query_chars)
        allowed = self._allowed(filters)
        if allowed is not None and not allowed.any():
            return []

        if query_vector is None:
            query_vector = self.embedder.encode_queries([query])[0]
        dense_rows, dense_scores = self.index.dense.search(query_vector, s.candidates, allowed)
        lexical_all, coverage = self.index.lexical.scores(query)
        lexical_rows = _top(lexical_all, s.candidates, allowed)
        lexical_rows = lexical_rows[lexical_all[lexical_rows] > 0]

        # A question the lexical index cannot read (English, say) should not let its few
        # stray matches outvote the dense ranking.
        lexical_weight = s.lexical_weight * coverage
        structural_rows = self._structural(query, dense_rows, allowed)

        if s.fusion == Fusion.RRF:
            fused = rrf([(s.dense_weight, dense_rows), (lexical_weight, lexical_rows)], s.rrf_k)
            bonus = rrf([(s.structure_weight, structural_rows)], s.rrf_k)
        else:
            fused = zscore(
                [(s.dense_weight, dense_rows, dense_scores), (lexical_weight, lexical_rows, lexical_all[lexical_rows])]
            )
            # A named provision is what the question asks for: worth about three standard deviations.
            bonus = {row: 3.0 * s.structure_weight / (1 + rank) for rank, row in enumerate(structural_rows)}
        for row, extra in bonus.items():
            fused[row] = fused.get(row, 0.0) + extra
        dense_by_row = dict(zip(map(int, dense_rows), map(float, dense_scores), strict=True))
        order = sorted(fused, key=lambda r: -fused[r])[:k]
        return [
            Passage(
                chunk=self.index.chunks[row],
                score=fused[row],
                rank=rank + 1,
                dense=dense_by_row.get(row),
                lexical=float(lexical_all[row]),
            )
            for rank, row in enumerate(order)
        ]
