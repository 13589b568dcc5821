"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused (z-scores or RRF), filtered."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rag.config import Fusion, Settings
from rag.crosslingual import Bridge, load_lexicon
from rag.filters import Filters
from rag.fusion import rrf, zscore
from rag.index import Index
from rag.language import labels, language
from rag.models.base import Embedder
from rag.provisions import provision_rows
from rag.query import normalize_query
from rag.recency import scoped
from rag.tokenize import tokenize
from rag.types import Chunk, Passage


@dataclass(frozen=True)
class LexicalQuery:
    """The question as the lexical side reads it: its text (a Chinese question, or the Chinese terms of an
    English one) and, for a translated question, its weighted tokens and the share of its words translated."""

    text: str
    weights: dict[str, float] | None
    coverage: float = 1.0

    def plus(self, chinese: str) -> LexicalQuery:
        """With a Chinese rendering of the question (a model's translation) read as well."""
        weights = dict(self.weights or {})
        for token in tokenize(chinese):
            weights[token] = max(weights.get(token, 0.0), 1.0)
        return LexicalQuery(f"{self.text} {chinese}".strip(), weights, max(self.coverage, 1.0 if weights else 0.0))


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
        refs = labels(query)
        if not refs:
            return []
        named = sorted({r for ref in refs for r in self.provisions.get(ref, ())})
        ranked = list(map(int, dense_rows))
        seen, wanted = set(ranked), set(named)
        rows = [r for r in ranked if r in wanted]
        rows += [r for r in named if r not in seen and (allowed is None or allowed[r])]
        return rows

    @cached_property
    def versions(self):
        """The library's documents grouped into versions (rag.versions.Catalogue), built at first use."""
        from rag.versions import Catalogue

        return Catalogue(self.index.chunks)

    @cached_property
    def _in_force_rows(self) -> np.ndarray | None:
        """Rows of passages some version in force (or no versioned document) printed; None when all are."""
        gone = self.versions.superseded()
        if not gone:
            return None
        return np.fromiter((c.id not in gone for c in self.index.chunks), dtype=bool, count=len(self.index.chunks))

    def _in_force(self, allowed: np.ndarray | None, query: str, filters: Filters | None) -> np.ndarray | None:
        """``allowed`` without superseded versions' passages, unless the question asks for a draft or the
        filters choose issues or dates themselves."""
        from rag.versions import names_draft

        if not self.settings.answer_from_version_in_force or names_draft(query):
            return allowed
        if filters and (filters.issues or filters.date_from or filters.date_to):
            return allowed
        keep = self._in_force_rows
        if keep is None:
            return allowed
        return keep if allowed is None else allowed & keep

    @cached_property
    def bridge(self) -> Bridge:
        """English -> the Chinese terms this library holds (loaded at the first English question)."""
        vocab = self.index.lexical.vocab
        return Bridge(load_lexicon(), lambda term: bool(toks := tokenize(term)) and all(t in vocab for t in toks))

    def lexical_query(self, query: str) -> LexicalQuery:
        """What the lexical side reads: the question itself, or for an English one the Chinese terms its
        words translate to (the lexical index holds Chinese)."""
        if language(query) == "zh":
            return LexicalQuery(query, None)
        translation = self.bridge.translate(query)
        weights: dict[str, float] = {}
        for term, weight in translation.terms.items():
            for token in tokenize(term):
                weights[token] = max(weights.get(token, 0.0), weight)
        # Provision numbers an English question names (Article 22 -> 第二十二条) are Chinese already.
        for ref in labels(query):
            weights[ref] = weights.get(ref, 0.0) + 1.0
        return LexicalQuery(translation.query, weights, translation.covered)

    def search(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        query_vector: np.ndarray | None = None,
        lexical: LexicalQuery | None = None,
    ) -> list[Passage]:
        """``query_vector`` (the normalised question's e5 query embedding) and ``lexical`` (its
        lexical_query), when the caller has them already."""
        s = self.settings
        k = k or s.top_k
        query = normalize_query(question, s.max_query_chars)
        filters = scoped(query, filters, (c for c, _ in self._groups), s.current_issue)  # 本期, 第51期 (rag.recency)
        allowed = self._in_force(self._allowed(filters), query, filters)
        if allowed is not None and not allowed.any():
            return []

        if query_vector is None:
            query_vector = self.embedder.encode_queries([query])[0]
        dense_rows, dense_scores = self.index.dense.search(query_vector, s.candidates, allowed)
        lexical = lexical or self.lexical_query(query)
        if lexical.weights is None:
            lexical_all, coverage = self.index.lexical.scores(query)
        else:
            lexical_all, coverage = self.index.lexical.weighted_scores(lexical.weights), lexical.coverage
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
            # A named provision is what the question asks for: worth a few standard deviations.
            bonus = {row: s.structure_bonus_z * s.structure_weight / (1 + rank) for rank, row in enumerate(structural_rows)}
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
