"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused (z-scores or RRF), filtered."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rag.catalogue import Catalogue
from rag.config import Fusion, Settings
from rag.crosslingual import Bridge, load_lexicon
from rag.filters import Filters
from rag.fusion import rrf, zscore
from rag.index import Index
from rag.intent import asks_about
from rag.language import labels, language, places, regions, violated
from rag.language.documents import english_kinds
from rag.models.base import Embedder
from rag.provisions import provision_rows, violation_rows
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


def _blend(passages: np.ndarray, sentences: np.ndarray | None, share: float) -> np.ndarray:
    """Passage cosines with ``share`` of each one's best sentence cosine: a long article's vector averages the
    clauses a question does not ask about, so a shorter look-alike outscored the clause that answers. A row
    without stored sentences (an issue past Settings.sentence_vectors_per_issue) keeps its passage cosine."""
    if sentences is None:
        return passages
    return np.where(np.isnan(sentences), passages, (1 - share) * passages + share * sentences)


@dataclass(frozen=True)
class _Found:
    """The candidates of one search: each retriever's rows and scores (the lexical scores of every row), the
    lexical side's weight for this question, and the documents it names."""

    dense_rows: np.ndarray
    dense_scores: np.ndarray
    lexical_all: np.ndarray
    lexical_rows: np.ndarray
    coverage: float
    named: _Named | None
    own: tuple[int, int]  # how many of the dense and lexical rows each retriever found itself (the rest: named)
    best_sentences: np.ndarray | None = None  # each dense row's best sentence cosine (NaN: none stored)


@dataclass(frozen=True)
class _Named:
    """The documents a question names (by name, or by a place of one document), their rows, their bonus."""

    titles: tuple[str, ...]
    by_name: bool
    rows: np.ndarray
    bonus: float


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
        # A provision named as broken (违反…第三十四条规定的，怎么处罚) asks for the clauses that punish its breach: they lead.
        broken = violated(query)
        groups = [
            {r for ref in broken for r in self.violations.get(ref, ())},
            {r for ref in refs for r in self.provisions.get(ref, ())},
        ]
        ranked = list(map(int, dense_rows))
        seen, rows, taken = set(ranked), [], set()
        for wanted in groups:
            for r in [r for r in ranked if r in wanted] + [r for r in sorted(wanted) if r not in seen]:
                if r not in taken and (r in seen or allowed is None or allowed[r]):
                    rows.append(r)
                    taken.add(r)
        return rows

    @cached_property
    def violations(self) -> dict[str, list[int]]:
        """Provision -> rows of the clauses that name it as broken, built at first use."""
        return violation_rows(self.index.chunks)

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
    def catalogue(self) -> Catalogue:
        """The library's documents by title (rag.catalogue), built at first use."""
        return Catalogue(c.article for c in self.index.chunks)

    @cached_property
    def _rows_by_title(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for row, c in enumerate(self.index.chunks):
            rows.setdefault(c.article, []).append(row)
        return {title: np.asarray(r, dtype=np.int64) for title, r in rows.items()}

    def named_documents(self, query: str) -> tuple[tuple[str, ...], bool]:
        """(titles of the documents a question names, whether by name): by a name (数据安全法, 本期的《…》, the Data
        Security Law), else the documents of the places it names (安阳 -> 安阳市政务服务条例; 浙江 -> each 浙江省 one), or
        the one of them of the kind it names (河南行动计划), which is named."""
        lang = language(query)
        named_places = regions(places(query, lang))
        if lang == "zh":
            named = self.catalogue.resolve(query).named
        else:
            terms = self.bridge.translate(query).terms
            named = self.catalogue.named_by_terms(terms, english_kinds(query), named_places, self.settings.named_document_share)
        if named:
            return named, True
        of_places = self.catalogue.of_places(named_places)
        # 河南行动计划 among 河南's many 条例: the place's one document of the kind the question names is named.
        if len(of_places) > 1 and len(one := self.catalogue.of_kind_named(of_places, query, lang)) == 1:
            return tuple(one), True
        return of_places, False

    def _named(self, query: str, allowed: np.ndarray | None) -> _Named | None:
        """The documents the question names, their rows and the bonus they gain; None when it names none."""
        s = self.settings
        titles, by_name = self.named_documents(query)
        bonus = s.named_document_bonus_z if by_name else s.named_place_bonus_z
        if not titles or bonus <= 0:
            return None
        mask = np.zeros(len(self.index.chunks), dtype=bool)
        for title in titles:
            mask[self._rows_by_title.get(title, [])] = True
        if asks_about(query) == "issue":
            # 《…》在本期从第几页开始？: the card of the issue that printed the document lists it with its page.
            issues = {self.index.chunks[row].issue_id for row in np.flatnonzero(mask)}
            cards = [r for r in self._rows_by_title.get("", []) if self.index.chunks[r].kind == "issue_card"]
            mask[[r for r in cards if self.index.chunks[r].issue_id in issues]] = True
        if allowed is not None:
            mask &= allowed
        return _Named(titles, by_name, mask, bonus) if mask.any() else None

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
        found = self._candidates(query, query_vector, lexical or self.lexical_query(query), allowed)
        fused = self._fused(query, found, allowed)
        dense_by_row = dict(zip(map(int, found.dense_rows), map(float, found.dense_scores), strict=True))
        order = sorted(fused, key=lambda r: -fused[r])[:k]
        return [
            Passage(
                chunk=self.index.chunks[row],
                score=fused[row],
                rank=rank + 1,
                dense=dense_by_row.get(row),
                lexical=float(found.lexical_all[row]),
            )
            for rank, row in enumerate(order)
        ]

    def _candidates(self, query: str, query_vector: np.ndarray, lexical: LexicalQuery, allowed: np.ndarray | None) -> _Found:
        """Each retriever's best rows, with those of the documents the question names."""
        s = self.settings
        dense_rows, dense_scores = self.index.dense.search(query_vector, s.candidates, allowed)
        named = self._named(query, allowed)
        if lexical.weights is None:
            lexical_all, coverage = self.index.lexical.scores(query)
        else:
            lexical_all, coverage = self.index.lexical.weighted_scores(lexical.weights), lexical.coverage
        lexical_rows = _top(lexical_all, s.candidates, allowed)
        lexical_rows = lexical_rows[lexical_all[lexical_rows] > 0]
        own = (len(dense_rows), len(lexical_rows))
        if named is not None:
            # The named document's best passages are candidates even where the library's look-alikes (every
            # province's 数据条例) fill the candidate lists; they are scored on the scale of the lists' own rows.
            more_rows, more_scores = self.index.dense.search(query_vector, s.candidates, named.rows)
            new = ~np.isin(more_rows, dense_rows)
            dense_rows, dense_scores = (
                np.concatenate([dense_rows, more_rows[new]]),
                np.concatenate([dense_scores, more_scores[new]]),
            )
            more = _top(lexical_all, s.candidates, named.rows)
            lexical_rows = np.concatenate([lexical_rows, more[(lexical_all[more] > 0) & ~np.isin(more, lexical_rows)]])
        best = None
        if s.sentence_share > 0 and self.index.sentences is not None and len(dense_rows):
            best = self.index.sentences.best(dense_rows, query_vector)
        return _Found(dense_rows, dense_scores, lexical_all, lexical_rows, coverage, named, own, best)

    def _fused(self, query: str, found: _Found, allowed: np.ndarray | None) -> dict[int, float]:
        """Row -> its fused score, with the bonuses of what the question names (a provision, a document)."""
        s = self.settings
        # A question the lexical index cannot read (English, say) should not let its few
        # stray matches outvote the dense ranking.
        lexical_weight = s.lexical_weight * found.coverage
        structural_rows = self._structural(query, found.dense_rows, allowed)
        if s.fusion == Fusion.RRF:
            fused = rrf([(s.dense_weight, found.dense_rows), (lexical_weight, found.lexical_rows)], s.rrf_k)
            bonus = rrf([(s.structure_weight, structural_rows)], s.rrf_k)
        else:
            dense = _blend(found.dense_scores, found.best_sentences, s.sentence_share)
            fused = zscore(
                [
                    (s.dense_weight, found.dense_rows, dense, found.own[0]),
                    (lexical_weight, found.lexical_rows, found.lexical_all[found.lexical_rows], found.own[1]),
                ]
            )
            # A named provision is what the question asks for: worth a few standard deviations.
            bonus = {row: s.structure_bonus_z * s.structure_weight / (1 + rank) for rank, row in enumerate(structural_rows)}
        for row, extra in bonus.items():
            fused[row] = fused.get(row, 0.0) + extra
        # An editor's note restates its document, an issue card lists the whole issue: each matches many
        # questions' words, but answers only a question about the document as a whole (who issued it, how many
        # articles) or about the issue (its pages, columns): it gains for that question what it loses for others.
        offsets = {"issue_card": s.issue_card_offset_z, "editor_note": s.editor_note_offset_z}
        about = asks_about(query)
        answers = {"issue": "issue_card", "document": "editor_note"}.get(about)
        for row in fused:
            kind = self.index.chunks[row].kind
            if kind in offsets and not (about == "issue" and kind == "editor_note"):
                fused[row] += offsets[kind] if kind == answers else -offsets[kind]
        if found.named is not None:
            # What the question names is where it is answered (a near tie goes to the named document); under RRF
            # the preference is one more first-place vote.
            extra = found.named.bonus if s.fusion != Fusion.RRF else 1.0 / (s.rrf_k + 1)
            for row in fused:
                if found.named.rows[row]:
                    fused[row] += extra
        return fused
