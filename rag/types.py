"""The nouns of the pipeline, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]
PATH_SEP = " > "  # between the parts of a stored section path: "第三章 … > 第二十二条"


def readable_path(section: str) -> str:
    """A section path as people read it: 第三章 … › 第二十二条."""
    return section.replace(PATH_SEP, " › ")


def place(article: str, section: str) -> str:
    """Article title › section path, as passages are headed and cited."""
    return " › ".join(x for x in (article, readable_path(section)) if x)


def source_range(spans: list[Span], lo: int, hi: int) -> Span:
    """Source offsets of ``text[lo:hi]``, for a text that is its ``spans``' source pieces joined (a Block's)."""
    out, pos = [], 0
    for s, e in spans:
        a, b = max(lo, pos), min(hi, pos + (e - s))
        if a < b:
            out.append((s + a - pos, s + b - pos))
        pos += e - s
    return (out[0][0], out[-1][1]) if out else (spans[0][0], spans[0][0])


class _Spanned:
    """Start and end of something made of source spans."""

    spans: list[Span]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class Block(_Spanned):
    """One paragraph or heading of the source, as pieces of the original text."""

    kind: str  # "heading" | "para" | "item" (a markdown list item)
    spans: list[Span]
    text: str
    bold_lead: str = ""  # text of a leading **bold** run, where the paragraph opens with one


@dataclass
class Section:
    number: str  # as written: 第二十二条, （三）, 1.; "" for unnumbered headings and the root
    title: str  # the heading as written (number included)
    style: str  # numbering style: chapter, clause, cn, paren_cn, arabic, paren_arabic, heading, root
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    heading: Block | None = None

    def walk(self, path: tuple[str, ...] = ()):
        """Yield (path, section) depth-first, the root with an empty path."""
        yield path, self
        for child in self.children:
            yield from child.walk(path + (child.title,))


@dataclass
class Article:
    title: str
    column: str = ""
    source: str = ""  # issuing body, from the （来源：…） line
    page: int | None = None
    editor_note: list[Block] = field(default_factory=list)
    root: Section = field(default_factory=lambda: Section("", "", "root"))
    start: int = 0
    end: int = 0


@dataclass
class Issue:
    name: str  # bulletin name, e.g. 大数据发展动态
    number: str = ""  # 期号
    total_number: str = ""  # 总期号
    date: str = ""  # ISO date
    editors: dict[str, str] = field(default_factory=dict)
    toc: list[dict] = field(default_factory=list)  # {column, title, page}
    card: list[Block] = field(default_factory=list)  # masthead + contents lines for the issue card
    articles: list[Article] = field(default_factory=list)
    source_path: str = ""
    sha256: str = ""
    pages: list[int] = field(default_factory=list)  # offset where each page starts (PDF sources)
    # Parsed-text positions -> source positions (rag.load.normalise.OffsetMap), where normalising
    # the source changed lengths; None: they are the same.
    offsets: object | None = None

    def source_spans(self, spans: list[Span]) -> list[Span]:
        """Spans in the parsed (normalised) text as spans of the source text."""
        return list(spans) if self.offsets is None else [self.offsets.span(s, e) for s, e in spans]

    def page_at(self, offset: int) -> int | None:
        """1-based page holding ``offset``, when the source has pages."""
        if not self.pages:
            return None
        from bisect import bisect_right

        return max(1, bisect_right(self.pages, offset))

    @property
    def issue_id(self) -> str:
        if self.date and self.number:
            return f"{self.date[:4]}-{self.number}"
        return self.sha256[:12]

    @property
    def label(self) -> str:
        bits = [self.name]
        if self.number:
            bits.append(f"第{self.number}期")
        if self.total_number:
            bits.append(f"总第{self.total_number}期")
        if self.date:
            bits.append(self.date)
        return " ".join(bits)


@dataclass
class Chunk(_Spanned):
    id: str
    text: str  # the source text, as cited
    header: str  # article title › section path, prepended for search
    issue_id: str
    issue_label: str
    issue_date: str
    article: str
    column: str
    source: str
    section: str  # "第三章 公共数据收集和归集 > 第二十二条"
    source_path: str
    spans: list[Span]
    kind: str = "section"  # section | editor_note | issue_card
    page: int | None = None  # page of the source where the passage starts (PDF sources)
    # the same passage in later issues (a reprinted article): issue_id, issue, issue_date, source_path, start, end, page
    also_in: list[dict] = field(default_factory=list)
    # What a bibliographic reference needs (rag.references): bulletin, editor, year, 期号, 总期号, the article's pages.
    ref: dict = field(default_factory=dict)
    # Sentences written for an AI, not a reader (rag.injection): shown with a warning, never answered from.
    instructions: list[str] = field(default_factory=list)

    def text_range(self, start: int, end: int) -> Span | None:
        """Offsets into ``text`` of the source range start:end (the passage's own piece of it), or None.
        The text is the spans' pieces with a line break between paragraphs, which no span holds."""
        lo = hi = None
        pos = 0  # in the spans' pieces, line breaks left out
        for s, e in self.spans:
            if lo is None and s <= start < e:
                lo = pos + start - s
            if s < end <= e:
                hi = pos + end - s
            pos += e - s
        if lo is None or hi is None or hi <= lo:
            return None
        index = [i for i, ch in enumerate(self.text) if ch != "\n"]  # piece offset -> text offset
        return index[lo], index[hi - 1] + 1

    def occurrences(self) -> list[tuple[str, str, str]]:
        """(issue_id, issue label, issue date) of every issue that printed the passage."""
        return [(self.issue_id, self.issue_label, self.issue_date)] + [
            (o["issue_id"], o["issue"], o["issue_date"]) for o in self.also_in
        ]

    @property
    def search_text(self) -> str:
        return f"{self.header}\n{self.text}"

    def place(self, section: str | None = None) -> str:
        """Where the passage (or, given ``section``, the provision) stands, for people to read."""
        return place(self.article, self.section if section is None else section) or self.issue_label

    def where(self, start: int | None = None, end: int | None = None) -> str:
        """File, offsets and (for a PDF) page: bulletin.pdf:1200-1460 第12页."""
        at = f"{self.source_path}:{self.start if start is None else start}-{self.end if end is None else end}"
        return f"{at} 第{self.page}页" if self.page else at

    def issues_text(self) -> str:
        """The issue that printed the passage, and any that printed it again."""
        again = "、".join(o["issue"] for o in self.also_in)
        return f"{self.issue_label}；又见于 {again}" if again else self.issue_label

    def citation(self) -> dict:
        """Where the passage comes from, as every interface reports it."""
        return {
            "article": self.article,
            "section": self.section,
            "column": self.column,
            "source": self.source,
            "issue": self.issue_label,
            "issue_id": self.issue_id,
            "issue_date": self.issue_date,
            "source_path": self.source_path,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "chunk_id": self.id,
            "page": self.page,
            "also_in": self.also_in,
        }


@dataclass
class Passage:
    chunk: Chunk
    score: float
    rank: int
    dense: float | None = None
    lexical: float | None = None


@dataclass
class Highlight:
    """A sentence of a cited passage that supports the answer: offsets into the passage text."""

    citation: int  # the answer's [n]
    start: int
    end: int


@dataclass(frozen=True)
class Checked:
    """One document a list question checked (rag.answer.survey)."""

    title: str
    issue_id: str
    issue: str
    citation: int | None = None  # the answer's [n] when the document states what was asked; None when it does not


@dataclass(frozen=True)
class Coverage:
    """What a list question (哪些规划…) was answered from: every document that could hold the answer, and which
    of them state it. ``basis``: targets (the targets table's figures) or passages (each document's best one)."""

    noun: str  # what was listed, as the question says it: 规划, 地方条例, plans
    basis: str
    checked: tuple[Checked, ...]

    @property
    def matched(self) -> list[Checked]:
        return [c for c in self.checked if c.citation is not None]

    @property
    def unstated(self) -> list[Checked]:
        return [c for c in self.checked if c.citation is None]


@dataclass(frozen=True)
class Answer:
    """Built once: a stage that adds to an answer (the notes, the timings, the conversation's resolution)
    makes a new one with dataclasses.replace."""

    question: str
    text: str  # with [n] markers; [n] is citations[n - 1]
    refused: bool
    citations: list[Passage]  # the cited passages, in the order of their [n]
    passages: list[Passage]  # everything retrieved: the closest passages, shown when refused
    mode: str  # extractive | local | openai
    highlights: list[Highlight] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # sentences no passage supports, and other warnings
    timings: dict[str, float] = field(default_factory=dict)  # seconds
    relevance: float | None = None  # the retrieval score the refusal decision was made on
    # answered | not_stated (the topic is there, the asked detail is not) | not_found; refused for both non-answers
    status: str = "answered"
    verdict: str | None = None  # yes | no, for a yes/no question whose deciding sentence states one
    # A follow-up made standalone against the conversation (rag.conversation): what was answered, and how
    # it was resolved; None and "" for a question asked without history.
    resolved_question: str | None = None
    resolution: str = ""
    coverage: Coverage | None = None  # a list question's documents checked and matched (rag.answer.survey)
