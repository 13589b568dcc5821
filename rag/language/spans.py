"""The typed spans the language layer reads a text into. Each names where it stands in the text it was read
from (start, end: text[start:end] == span.text) and carries a normalised value, so a consumer compares
values, not words: a period's years and months, a provision's label as the bulletins write it, a place's
bare name, a quantity's number, range and unit, a document's normalised name and kind.

A follow-up is then a change of spans of one kind (the period 2025年 replaced by 2027年, the place 河南 by
安徽, 第十条 by the next provision): ``Span.kind`` says which kind a span is, ``replaced`` rewrites a text
with one span's words swapped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # as written: text[start:end]
    kind: ClassVar[str] = "span"

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def replaced(self, text: str, words: str) -> str:
        """``text`` (the text this span was read from) with this span's words replaced by ``words``."""
        return text[: self.start] + words + text[self.end :]


@dataclass(frozen=True)
class PeriodSpan(Span):
    """A period: 2025年, 2023—2025年, “十四五”期间, 到2025年底, 截至11月末, 1—11月份, 12月19日, 第三季度,
    上半年, 全年, by 2027, in the first eleven months, Q3."""

    form: str = ""  # year | years | plan | month | months | date | quarter | half | full_year
    first_year: int | None = None
    last_year: int | None = None
    first_month: int | None = None
    last_month: int | None = None
    day: int | None = None
    quarter: int | None = None
    lead: str = ""  # the word that opens it: 到, 截至, 至, 在, by, before, …
    edge: str = ""  # the word that closes it: 底, 末, 前, 内, 期间, 时期, end …
    baseline: bool = False  # the period a comparison is made with (较1—10月份, 比上年): not the figure's own
    bare: bool = False  # a year with no 年 after it (2025 in 2025 or in English text)
    core_start: int = -1  # where the period starts after its opening word (by 2027: the 2027); -1: at start
    kind: ClassVar[str] = "period"

    @property
    def core(self) -> tuple[int, int]:
        """The period without its opening word: what a follow-up replaces in an English question."""
        return (self.core_start if self.core_start >= 0 else self.start, self.end)

    @property
    def deadline(self) -> bool:
        """A date by which something is to be done: 到2025年, 2025年前, by 2027, 十四五期末/期间 (its end)."""
        if self.form == "plan":
            return self.edge in ("期间", "时期", "末", "期末")
        if self.form == "years":
            return self.edge in ("期间", "间")
        return self.lead in ("到", "至", "by", "before", "until") or self.edge.endswith("前")

    @property
    def as_of(self) -> bool:
        """A report's date: 截至11月末, 截止2023年底, as of."""
        return self.lead in ("截至", "截止", "as of")


@dataclass(frozen=True)
class ProvisionRef(Span):
    """A reference to a numbered provision: 第二十二条, 第22条, 第三款, 第（十七）项, （十七）, 第三章, 第二节,
    第六部分, 第一类, Article 22, item (17). Several at once are several refs (第十条、第十一条); a range
    (第三十二条至第三十五条) gives each provision in it, those between its ends marked ``implied`` (their span
    is the whole range)."""

    unit: str = ""  # 条 款 项 章 节 部分 类 点 个 … ; "paren" for a bare （十七）
    number: int = 0
    written: str = ""  # how the number is written: arabic | cn
    paren: bool = False  # its number in brackets: （十七）, 第（十二）项
    english: bool = False  # Article 22, item (17)
    implied: bool = False  # inside a range, not written
    kind: ClassVar[str] = "provision"

    @property
    def label(self) -> str:
        """The provision as the bulletins label it: 第二十二条, （十七）, 六、 (for 第六部分); "" for other units."""
        from rag.language.numbers import int_to_cn

        n = int_to_cn(self.number) if 0 < self.number < 1000 else str(self.number)
        if self.paren:  # 第（十七）条 names the provision （十七）
            return f"（{n}）"
        if self.unit in ("条", "章", "节"):
            return f"第{n}{self.unit}"
        if self.unit == "部分":
            return f"{n}、"
        return ""


@dataclass(frozen=True)
class PlaceSpan(Span):
    """A place: a division of China (贵州省, 黔东南州, 修文县), a region (东部地区, 长三角), a national new
    area, a country, or a word that ends like a place and is in no list (渝西地区: ``place_kind`` local)."""

    name: str = ""  # bare Chinese name: 贵州, 东部, 美国, 渝西地区
    place_kind: str = ""  # province | prefecture | county | new_area | region | country | local
    province: str = ""
    kind: ClassVar[str] = "place"


@dataclass(frozen=True)
class Quantity(Span):
    """A quantity: its value as written, its number (None for a range: low, high), unit with its magnitude
    word (万元, 亿元, 个工作日, %, 个百分点), the qualifier beside it (以上, 不超过, 内 …)."""

    value: str = ""  # 300, 2—3, 百, 四分之一, 每月
    number: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    qualifier: str = ""
    style: str = ""  # arabic | amount (百亿元) | count (三家) | fraction | recurrence | cn (五万元, 十五日)
    framed: bool = False  # a duration a limit frames (十五日内, 不少于三年): a period the text imposes
    kind: ClassVar[str] = "quantity"


@dataclass(frozen=True)
class DocumentMention(Span):
    """A document a text names: 《中华人民共和国数据安全法》, 数据安全法, 电商法, 本办法, the Data Security Law."""

    name: str = ""  # normalised: no 《》, brackets or 中华人民共和国 (数据安全法)
    doc_kind: str = ""  # the kind its name ends with: 法, 条例, 办法, 行动计划 …
    quoted: bool = False  # written in 《》
    current: bool = False  # 本办法, 本条例, 本法, this Law: the document the text stands in
    pronoun: bool = False  # 该条例, 这份方案: a document named before
    kind: ClassVar[str] = "document"


@dataclass(frozen=True)
class IssueMention(Span):
    """An issue of the bulletin a question names: 本期 / this issue (``relative`` 0: the newest), 上一期 (-1),
    第51期 (``number``), 2023年第51期 (and ``year``), 总第162期 (``total``), 2023年12月的那期 (``year``, ``month``,
    perhaps ``day``), the December 2023 issue."""

    relative: int | None = None  # 0 this issue, -1 the one before, -2 the one before that
    number: int | None = None  # 期号
    total: int | None = None  # 总期号
    year: int | None = None
    month: int | None = None
    day: int | None = None
    kind: ClassVar[str] = "issue"


@dataclass(frozen=True)
class Reading:
    """Everything the layer reads in one text, each list in text order."""

    text: str
    lang: str
    periods: tuple[PeriodSpan, ...] = ()
    provisions: tuple[ProvisionRef, ...] = ()
    places: tuple[PlaceSpan, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    documents: tuple[DocumentMention, ...] = ()
    issues: tuple[IssueMention, ...] = ()
    extra: dict = field(default_factory=dict)

    def spans(self) -> list[Span]:
        """Every span, in text order."""
        every: list[Span] = [*self.periods, *self.provisions, *self.places, *self.quantities, *self.documents, *self.issues]
        return sorted(every, key=lambda s: (s.start, -s.end))
