"""List questions answered over the catalogue, not the top passages: 「哪些规划设定了2026年的目标？」「哪些地方的条例
规定了公共数据授权运营？」"Which plans set a target for 2026?".

The documents checked are every document that can hold the answer: those of the kind the question lists
(rag.intent.Listing: 规划 → the plan class of kinds.tsv), of a place when it lists places, in the place it
names, after the filters and the issue it names (rag.recency), each in its version in force. Where the
question asks for figures (a target, a time limit, a penalty) they are read from the targets table (its
year, its bound: 罚款上限超过一百万元); else from each document's best passage (rag.answer.survey_passages).
Each document that states it is cited once; the answer's first line says how many were checked and how
many state it, and ``Answer.coverage`` lists them all."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rag.answer.issue_card import card_answer
from rag.answer.survey_passages import Floor, Found, Scores, Topic, best_passages, stated, term_shares
from rag.answer.terms import QueryTerms
from rag.catalogue import entry_of
from rag.config import Settings
from rag.filters import Filters
from rag.intent import Intent, Listing
from rag.language import periods, quantities
from rag.language.documents import kind_of, normalise
from rag.language.quantities import in_base_unit, qualifiers
from rag.recency import scoped
from rag.retrieve import Retriever
from rag.sentences import split_sentences
from rag.targets import Target
from rag.tokenize import tokenize
from rag.types import Answer, Checked, Chunk, Coverage, Highlight, Passage
from rag.versions import names_draft


@dataclass(frozen=True)
class Document:
    title: str
    rows: np.ndarray  # its passages (rows of the index) the filters allow
    issue_id: str  # the issue that printed it (the newest, when several did)
    issue: str
    order: int  # its first passage's row: the library's order


class Survey:
    """List questions over one index (built with the answerer, once per index)."""

    def __init__(self, retriever: Retriever, settings: Settings, judge) -> None:
        self.retriever, self.settings, self.judge = retriever, settings, judge
        self.index = retriever.index

    @cached_property
    def _groups(self) -> dict[str, list[tuple[Chunk, np.ndarray]]]:
        """Title -> its passages grouped as the filters read them (one issue's printing, one kind …)."""
        groups: dict[tuple, tuple[Chunk, list[int]]] = {}
        for row, c in enumerate(self.index.chunks):
            if c.article and c.kind != "issue_card":
                groups.setdefault((c.article, c.column, c.source, c.kind, tuple(c.occurrences())), (c, []))[1].append(row)
        out: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
        for c, rows in groups.values():
            out.setdefault(c.article, []).append((c, np.asarray(rows, dtype=np.int64)))
        return out

    @cached_property
    def _targets(self) -> dict[str, list[Target]]:
        out: dict[str, list[Target]] = {}
        for r in self.index.targets or []:
            out.setdefault(r.article, []).append(r)
        return out

    @cached_property
    def _by_file(self) -> dict[str, tuple[list[int], list[Chunk]]]:
        """Source file -> its passages' start offsets (sorted) and the passages: a row's passage by bisection."""
        out: dict[str, list[tuple[int, Chunk]]] = {}
        for c in self.index.chunks:
            out.setdefault(c.source_path, []).append((c.start, c))
        return {
            f: ([s for s, _ in xs], [c for _, c in xs]) for f, xs in ((f, sorted(v, key=lambda x: x[0])) for f, v in out.items())
        }

    @cached_property
    def _cards(self) -> list[Chunk]:
        return [c for c in self.index.chunks if c.kind == "issue_card"]

    def _library(self) -> Iterator[Chunk]:
        """One passage of each article's printing in each issue: what tells which issues the filters leave."""
        return (c for groups in self._groups.values() for c, _ in groups)

    def answer(self, query: str, intent: Intent, vector: np.ndarray, filters: Filters | None) -> Answer | None:
        """The answer over the catalogue: a question about an issue itself from its masthead and contents, a list
        question from every document that can hold it; None for any other (the usual answer)."""
        current = self.settings.current_issue
        if (card := card_answer(query, self._cards, self._library(), filters, current)) is not None:
            return card
        listing = intent.listing
        if listing is None or self.judge.catalogue.resolve(query).named:
            return None
        filters = scoped(query, filters, self._library(), current)
        docs = self.documents(query, intent, listing, filters)
        if not docs:
            return None
        if listing.rows and self.index.targets is not None:
            found, basis = self._by_figures(docs, intent, listing, query), "targets"
        else:
            found, basis = self._by_passages(docs, query, intent, vector, listing), "passages"
        return compose(query, intent, listing, docs, found, basis)

    def documents(self, query: str, intent: Intent, listing: Listing, filters: Filters | None) -> list[Document]:
        """Every document that can hold the answer: its kind, place and region, the filters, the version in force."""
        gone = self._superseded(query, filters)
        where = Filters(regions=intent.regions) if intent.regions else None
        out = []
        for title, groups in self._groups.items():
            if not _of_kind(title, listing):
                continue
            kept = [(c, rows) for c, rows in groups if (not filters or filters.allows(c)) and (not where or where.allows(c))]
            rows = np.concatenate([r for _, r in kept]) if kept else np.zeros(0, dtype=np.int64)
            if gone:
                rows = rows[[self.index.chunks[int(r)].id not in gone for r in rows]]
            if rows.size == 0:
                continue
            printed = [o for c, _ in kept for o in c.occurrences() if not filters or filters.printed(*o)]
            issue_id, label, _ = max(printed, key=lambda o: o[2] or "")
            out.append(Document(title, rows, issue_id, label, int(rows.min())))
        return sorted(out, key=lambda d: d.order)

    def _superseded(self, query: str, filters: Filters | None) -> set[str]:
        """Passages only superseded versions printed (as retrieval leaves them out: rag.retrieve)."""
        if not self.settings.answer_from_version_in_force or names_draft(query):
            return set()
        if filters and (filters.issues or filters.date_from or filters.date_to):
            return set()
        return self.retriever.versions.superseded()

    def _by_figures(self, docs: list[Document], intent: Intent, listing: Listing, query: str) -> dict[str, Found]:
        """Documents whose rows of the targets table answer: the kind asked, its year, its bound."""
        bound = _bound(listing.predicate or query)
        found: dict[str, Found] = {}
        for d in docs:
            issues = {self.index.chunks[int(r)].issue_id for r in d.rows} | {d.issue_id}
            for r in self._targets.get(d.title, []):
                if r.kind not in listing.rows or r.issue_id not in issues:
                    continue
                if (intent.period.years and r.year not in intent.period.years) or not _within(r, bound):
                    continue
                if (at := self._passage(r)) is not None:
                    found[d.title] = at
                    break
            dated = d.title not in found and "target" in listing.rows and intent.period.years
            if dated and (at := self._deadline(d, intent.period.years)) is not None:
                found[d.title] = at
        return found

    def _deadline(self, d: Document, years: frozenset[int]) -> Found | None:
        """A sentence of the document that sets something to be done by an asked year (到2027年底，形成…体系): a
        target without a figure, which the targets table does not hold."""
        for row in d.rows:
            c = self.index.chunks[int(row)]
            if not any(str(y) in c.text for y in years):
                continue
            for sentence in split_sentences(c.text):
                if any(p.deadline and p.last_year in years for p in periods(sentence.text)):
                    return Found(c, sentence.start, sentence.end, 1.0)
        return None

    def _passage(self, r: Target) -> Found | None:
        starts, chunks = self._by_file.get(r.source_path, ([], []))
        i = bisect.bisect_right(starts, r.value_start) - 1
        for c in chunks[max(0, i - 2) : i + 1][::-1]:
            if c.start <= r.value_start < c.end and (
                span := c.text_range(r.start, r.end) or c.text_range(r.value_start, r.value_end)
            ):
                return Found(c, span[0], span[1], 1.0)
        return None

    def _by_passages(
        self, docs: list[Document], query: str, intent: Intent, vector: np.ndarray, listing: Listing
    ) -> dict[str, Found]:
        """Documents whose best passage states what was asked (rag.answer.survey_passages)."""
        s = self.settings
        lexical = self.retriever.lexical_query(" ".join(listing.topics) or query)
        if lexical.weights is None:
            bm25, _ = self.index.lexical.scores(lexical.text)
        else:
            bm25 = self.index.lexical.weighted_scores(lexical.weights)
        best, dense = best_passages(self.index, [d.rows for d in docs], vector, bm25, (s.dense_weight, s.lexical_weight))
        if not listing.topics:  # 「广东省有哪些条例？」: every document of the list is in it
            return {d.title: Found(self.index.chunks[int(b[0])], 0, 0, 1.0) for d, b in zip(docs, best, strict=True) if b.size}
        heads = [Passage(self.index.chunks[int(b[0])], 0.0, 1) for b in best if b.size]
        topics = []
        for text in listing.topics:
            mine = self.retriever.lexical_query(text)
            terms = QueryTerms(mine.text, tokenize, self.index.lexical.idf, mine.weights)
            flat = unicodedata.normalize("NFKC", mine.text).lower()
            topics.append(Topic(flat, terms, self.judge.focus(text, terms, intent, heads)))
        shares = np.max([term_shares(self.index, t.terms) for t in topics], axis=0)
        scores = Scores(vector, dense, shares, tuple(topics))
        least = s.survey_floor_zh if intent.lang == "zh" else s.survey_floor_en
        floor = Floor(least, s.refusal_coverage_weight, s.survey_share, s.extractive.min_chars)
        found = {}
        for d, rows in zip(docs, best, strict=True):
            if (at := stated(self.index, rows, scores, intent, floor)) is not None:
                found[d.title] = at
        return found


def _of_kind(title: str, listing: Listing) -> bool:
    """Whether a document is of the kind the question lists, and of a place when it lists places (a body, when it
    lists bodies, is its 来源: every document has one)."""
    if listing.kinds and kind_of(normalise(title)) not in listing.kinds:
        return False
    return not listing.places or bool(entry_of(title).place)


# Which end of a range a bound is on: 罚款上限超过… asks for the top, 起点/下限 for the bottom; without either word
# a floor (超过, 以上) is met by the top of a range and a ceiling (不超过, 以下) by its bottom.
_TOP, _BOTTOM = ("上限", "最高", "最多", "封顶"), ("下限", "最低", "最少", "起点", "起步")


def _bound(text: str) -> tuple[str, float, str, str] | None:
    """The bound a list question sets on the figure (罚款上限超过一百万元): (bound, number in the base unit, unit,
    the end of a range it is on: high or low)."""
    for q in quantities(text):
        bound = qualifiers().get(q.qualifier, ("", ""))[1]
        unit, number, _, _ = in_base_unit(q)
        if bound in ("gt", "ge", "lt", "le") and number is not None:
            before = text[: q.start]
            end = "high" if any(w in before for w in _TOP) else "low" if any(w in before for w in _BOTTOM) else ""
            return bound, number, unit, end or ("high" if bound in ("gt", "ge") else "low")
    return None


def _within(r: Target, bound: tuple[str, float, str, str] | None) -> bool:
    """Whether a row's figure meets the bound, on the end of its range the bound is on."""
    if bound is None:
        return True
    kind, limit, unit, end = bound
    if r.unit != unit:
        return False
    value = (r.high if end == "high" else r.low) if r.number is None else r.number
    if value is None:
        return False
    return {"gt": value > limit, "ge": value >= limit, "lt": value < limit, "le": value <= limit}[kind]


def compose(
    query: str, intent: Intent, listing: Listing, docs: Sequence[Document], found: dict[str, Found], basis: str
) -> Answer:
    """The answer: one line of what was checked and found, then each document that states it, cited once."""
    matched = sorted((d for d in docs if d.title in found), key=lambda d: (-found[d.title].score, d.order))
    citations = [Passage(found[d.title].chunk, found[d.title].score, n) for n, d in enumerate(matched, 1)]
    number = {d.title: n for n, d in enumerate(matched, 1)}
    checked = tuple(Checked(d.title, d.issue_id, d.issue, number.get(d.title)) for d in docs)
    coverage = Coverage(listing.noun, basis, checked)
    lines = [summary(intent.lang, listing, len(docs), len(matched))]
    highlights = []
    for n, d in enumerate(matched, 1):
        f = found[d.title]
        place = entry_of(d.title).place if listing.places else found[d.title].chunk.source if listing.bodies else ""
        quote = f.sentence.strip() if f.end > f.start else ""
        lines.append(f"{n}. {place + '：' if place else ''}《{d.title}》{'：' + quote if quote else ''}[{n}]")
        if f.end > f.start:
            highlights.append(Highlight(n, f.start, f.end))
    status = "answered" if matched else "not_stated"
    flag = f"list question: {len(docs)} documents checked ({basis}), {len(matched)} state it"
    return Answer(query, "\n".join(lines), not matched, citations, citations, "extractive", highlights, [flag],
                  status=status, coverage=coverage)  # fmt: skip


def summary(lang: str, listing: Listing, checked: int, matched: int) -> str:
    """「共检查 11 份规划，其中 4 份设定了2026年的目标；其余 7 份未提及。」 / "Checked 11 plans; 4 …; the other 7 do not."""
    what = listing.predicate.rstrip("？?。") or ("在列" if lang == "zh" else "are listed")
    if lang == "en":
        if not matched:
            return f"Checked {checked} {listing.noun}: none {what}."
        rest = f"; the other {checked - matched} do not state it." if checked > matched else "."
        return f"Checked {checked} {listing.noun}; {matched} {what}{rest}"
    noun = listing.noun
    if not matched:
        return f"共检查 {checked} 份{noun}，均未提及（{what}）。"
    rest = f"；其余 {checked - matched} 份未提及。" if checked > matched else "。"
    return f"共检查 {checked} 份{noun}，其中 {matched} 份{what}{rest}"
