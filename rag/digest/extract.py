"""The digest of one issue, extractively: for each article what it is (issuing body, when it was issued,
the kind of document), its main points — sentences quoted from the editor's note (编者按), the editors' own
summary, or else from the article's opening passage — and its figures, taken from the targets table the
index already holds (rag.targets), each cited [n] to its passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rag.errors import UserError
from rag.language import periods
from rag.language.documents import kind_of, kinds, normalise
from rag.sentences import split_sentences
from rag.targets import Target
from rag.targets.export import value_text
from rag.targets.rows import passage_of
from rag.text import compact
from rag.types import Chunk

MAX_POINTS = 2
POINT_CHARS = 80  # a quoted point longer than this is cut at a clause, with …
MAX_FIGURES = 3
FIGURE_KINDS = ("target", "statistic", "time_limit", "penalty")  # "other" values describe, they are no figures


class DigestError(UserError, ValueError):
    """The digest cannot be made as asked (no such issue, an empty index)."""


@dataclass
class Point:
    text: str  # quoted from the passage (…where cut), or written by the model
    cites: list[int]  # digest-wide citation numbers
    start: int | None = None  # the quote's offsets in its passage text (extractive points)
    end: int | None = None


@dataclass
class Figure:
    text: str  # 数据产业年均增速：超过20%（2026年）
    cite: int
    kind: str
    indicator: str
    value: str
    unit: str
    year: int | None
    start: int | None = None  # the value's offsets in its passage text
    end: int | None = None
    also: list[int] = field(default_factory=list)  # the other places it stands (the note restating it): cited too


@dataclass
class ArticleDigest:
    title: str
    column: str
    source: str  # issuing body (来源)
    kind: str  # kind of document: 行动计划, 指导意见, 管理办法（试行）, 研究报告 …
    issued: str  # when it was issued, in the editors' words: 12月19日印发, 日前发布; "" when not said
    points: list[Point] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    written_by: str = "extractive"


@dataclass
class Digest:
    issue_id: str
    issue: str  # the issue's label
    date: str
    articles: list[ArticleDigest]
    citations: list[Chunk]  # [n] is citations[n - 1]
    mode: str = "extractive"
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the grounding of an LLM digest changed


class Citations:
    """Digest-wide [n]: each passage numbered once, in order of first use."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []

    def number(self, chunk: Chunk) -> int:
        for n, c in enumerate(self.chunks, 1):
            if c.id == chunk.id:
                return n
        self.chunks.append(chunk)
        return len(self.chunks)


# --- which issue, which articles -------------------------------------------------------------------------


def issues(chunks: Sequence[Chunk]) -> list[tuple[str, str, str]]:
    """(issue id, label, date) of every issue in the library, oldest first."""
    seen = dict.fromkeys(o for c in chunks for o in c.occurrences())
    return sorted(seen, key=lambda x: (x[2] or "", x[0]))


def pick_issue(chunks: Sequence[Chunk], issue_id: str | None) -> tuple[str, str, str]:
    found = issues(chunks)
    if not found:
        raise DigestError("the index holds no bulletin")
    if not issue_id:
        return found[-1]
    for i in found:
        if issue_id in (i[0], i[1]):
            return i
    raise DigestError(f"no issue {issue_id!r} in the library; it holds {', '.join(i[0] for i in found)}")


def articles_of(chunks: Sequence[Chunk], issue_id: str) -> dict[str, list[Chunk]]:
    """The issue's articles in reading order, each with its passages (editor's note included)."""
    out: dict[str, list[Chunk]] = {}
    for c in chunks:
        if c.article and c.kind in ("section", "editor_note") and any(o[0] == issue_id for o in c.occurrences()):
            out.setdefault(c.article, []).append(c)
    return out


# --- what each article is --------------------------------------------------------------------------------

_DRAFT = re.compile(r"征求意见稿|试行|暂行")
# 日前，…发布…; …近日联合印发… (a date, 12月19日, is read by the language layer)
_RECENTLY = re.compile(r"日前|近日")
_ISSUING = re.compile(r"[^。]{0,60}?(联合印发|印发|发布|出台|公布|发出)")


def document_kind(title: str) -> str:
    """行动计划（征求意见稿）, 指导意见, 管理办法（试行）, 研究报告: the kind of document the title ends with
    (rag/language/kinds.tsv), else the last kind word it holds."""
    bare = normalise(title)
    kind = kind_of(bare) or next((k for k in sorted(kinds(), key=bare.rfind, reverse=True) if k in bare), "")
    marks = [m for m in _DRAFT.findall(title) if m not in kind]
    return kind + "".join(f"（{m}）" for m in marks)


def issued(note: str) -> str:
    """When the document was issued, as the editor's note says it: 12月19日印发, 近日联合印发."""
    when = [(p.start, p.end) for p in periods(note) if p.form == "date"]
    when += [m.span() for m in _RECENTLY.finditer(note)]
    for start, end in sorted(when):
        if m := _ISSUING.match(note, end):
            return re.sub(r"\s+", "", note[start:end]) + m.group(1)
    return ""


# --- main points -----------------------------------------------------------------------------------------

# The sentence that announces the document (日前，X印发《…》) says what issued it, not what it says;
# what follows 提出/明确/规定 in it is a point.
_ANNOUNCES = re.compile(r"(?:联合印发|印发|发布|出台|公布)[^。]*《")
_SAYS = re.compile(r"(?:提出|明确|规定|要求|部署|强调)[，,：:]?")
# What makes a sentence a point: it states what the document sets out, by when, what it builds.
_WEIGHTY = re.compile(r"提出|明确|规定|目标|建成|打造|培育")
_BOILERPLATE = re.compile(r"以下简称|下称|现予|特此|供参考|全文如下|编发")


@dataclass(frozen=True)
class _Quote:
    chunk: Chunk
    start: int
    end: int
    score: float


def _candidates(chunk: Chunk) -> list[_Quote]:
    out = []
    for i, s in enumerate(split_sentences(chunk.text, clauses=False)):
        start, text = s.start, s.text
        if _ANNOUNCES.search(text):
            said = _SAYS.search(text, _ANNOUNCES.search(text).end())
            if not said:
                continue
            start, text = s.start + said.end(), text[said.end() :]
        marks = set(_WEIGHTY.findall(text))
        if any(p.deadline and p.form == "year" for p in periods(text)):  # 到2025年: what the document sets out
            marks.add("deadline")
        if len(compact(text)) < 15 or (_BOILERPLATE.search(text) and not marks):
            continue
        weight = len(marks)
        score = 1.0 * min(weight, 3) + 1.0 * bool(re.search(r"\d", text)) - 0.2 * i
        out.append(_Quote(chunk, start, s.end, score))
    return out


def _cut(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """A quote kept to POINT_CHARS: cut after the last clause mark that fits (the quote stays verbatim)."""
    if end - start <= POINT_CHARS:
        return start, end, False
    piece = text[start : start + POINT_CHARS]
    cut = max(piece.rfind(mark) for mark in "，；、：")
    if cut < 30:
        cut = POINT_CHARS
    return start, start + cut, True


def main_points(passages: list[Chunk], cites: Citations) -> list[Point]:
    """Up to MAX_POINTS sentences of the editor's note (else of the article's opening passage), in reading
    order, the weightiest chosen."""
    notes = [c for c in passages if c.kind == "editor_note"]
    opening = [c for c in passages if c.kind == "section" and not c.section] or passages[:1]
    quotes = [q for c in (notes or opening) for q in _candidates(c)]
    chosen = sorted(sorted(quotes, key=lambda q: -q.score)[:MAX_POINTS], key=lambda q: (passages.index(q.chunk), q.start))
    points = []
    for q in chosen:
        start, end, cut = _cut(q.chunk.text, q.start, q.end)
        text = q.chunk.text[start:end].strip().rstrip("，；、：") + ("…" if cut else "")
        points.append(Point(text, [cites.number(q.chunk)], start, end))
    return points


# --- figures ---------------------------------------------------------------------------------------------


def is_quantity(r: Target) -> bool:
    """A number with a unit, or a share (四分之一): a figure. A recurrence (年度, 每月) is a rhythm, not a figure."""
    if r.qualifier == "每" or (r.number is None and r.low is None and r.high is None):
        return False
    return bool(r.unit) or "分之" in r.value


def _in_note(r: Target) -> bool:
    return any(p["section"] == "编者按" for p in r.places) or r.section == "编者按"


def figures(rows: list[Target], passages: list[Chunk], cites: Citations) -> list[Figure]:
    """Up to MAX_FIGURES values of the targets table for the article: those the editors chose to restate
    first, then those with a deadline year, then in reading order; one per indicator and value, each
    cited where the document states it and where the note restates it."""
    usable = [r for r in rows if r.kind in FIGURE_KINDS and is_quantity(r)]
    # A plan's headline targets carry a deadline year; a note's figures are the ones the editors chose.
    usable.sort(key=lambda r: (not _in_note(r), r.year is None, r.start))
    out: list[Figure] = []
    seen: set[tuple[str, str]] = set()
    for r in usable:
        key = (compact(r.indicator), value_text(r))
        if key in seen:
            continue
        found = passage_of(passages, r)
        if found is None:
            continue
        chunk, span = found
        seen.add(key)
        year = f"（{r.year}年）" if r.kind == "target" and r.year else ""
        text = f"{r.indicator}：{value_text(r)}{year}" if r.indicator else f"{value_text(r)}{year}"
        start, end = span if span else (None, None)
        figure = Figure(text, cites.number(chunk), r.kind, r.indicator, r.value, r.unit, r.year, start, end)
        for place in r.places[1:]:
            other = passage_of(passages, replace(r, value_start=place["value_start"], value_end=place["value_end"]))
            if other is not None and (n := cites.number(other[0])) != figure.cite and n not in figure.also:
                figure.also.append(n)
        out.append(figure)
        if len(out) == MAX_FIGURES:
            break
    return out


def extract_digest(chunks: Sequence[Chunk], targets: Sequence[Target] | None, issue_id: str | None = None) -> Digest:
    """The extractive digest of one issue (default: the latest)."""
    issue, label, date = pick_issue(chunks, issue_id)
    cites = Citations()
    out = []
    rows_by_article: dict[str, list[Target]] = {}
    for r in targets or ():
        if r.issue_id == issue:
            rows_by_article.setdefault(r.article, []).append(r)
    for title, passages in articles_of(chunks, issue).items():
        first = passages[0]
        note = "".join(c.text for c in passages if c.kind == "editor_note")
        a = ArticleDigest(title, first.column, first.source, document_kind(title), issued(note))
        a.points = main_points(passages, cites)
        a.figures = figures(rows_by_article.get(title, []), passages, cites)
        out.append(a)
    return Digest(issue, label, date, out, cites.chunks)
