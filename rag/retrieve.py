"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused (z-scores or RRF), filtered."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rag.config import Settings
from rag.fusion import rrf, zscore
from rag.index import Index
from rag.parse.sections import numbering
from rag.query import normalize_query, provision_refs
from rag.types import PATH_SEP, Chunk, Passage


@dataclass(frozen=True)
class Filters:
    """Metadata filters; each list is an OR of values, the fields are ANDed."""

    articles: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.articles or self.columns or self.issues or self.kinds)

    def allows(self, c: Chunk) -> bool:
        if self.articles and not any(a in c.article for a in self.articles):
            return False
        if self.columns and c.column not in self.columns:
            return False
        if self.issues and c.issue_id not in self.issues and c.issue_label not in self.issues:
            return False
        return not self.kinds or c.kind in self.kinds


def names_part(part: str, refs: set[str]) -> bool:
    """Whether one part of a section path (「第二十二条」, 「（十三）加强…」) is a provision in ``refs``."""
    return part.split(" ")[0] in refs or _leading_number(part) in refs


def names_provision(chunk: Chunk, refs: set[str]) -> bool:
    return any(names_part(part, refs) for part in chunk.section.split(PATH_SEP))


def _leading_number(part: str) -> str:
    found = numbering(part)
    return found[1].replace("(", "（").replace(")", "）").replace(" ", "") if found else ""


def _top(scores: np.ndarray, k: int, allowed: np.ndarray | None) -> np.ndarray:
    s = scores if allowed is None else np.where(allowed, scores, -np.inf)
    k = min(k, int(np.isfinite(s).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.argpartition(-s, k - 1)[:k]
    return rows[np.argsort(-s[rows], kind="stable")]


class Retriever:
    def __init__(self, index: Index, embedder, settings: Settings) -> None:
        self.index, self.embedder, self.settings = index, embedder, settings

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if not filters:
            return None
        return np.fromiter((filters.allows(c) for c in self.index.chunks), dtype=bool, count=len(self.index.chunks))

    def _structural(self, query: str, dense_rows: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        """Chunks of the provisions the question names (第十四条, （十七）), best dense match first."""
        refs = provision_refs(query)
        if not refs:
            return []
        ranked = list(map(int, dense_rows))
        seen = set(ranked)
        rows = [r for r in ranked if names_provision(self.index.chunks[r], refs)]
        rows += [
            r
            for r, c in enumerate(self.index.chunks)
            if r not in seen and (allowed is None or allowed[r]) and names_provision(c, refs)
        ]
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

        if s.fusion == "rrf":
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
