"""Whether a sentence can answer a question: it holds the kind of answer the question expects (an amount,
a share, a count, a date …) and breaks none of the constraints the question names (the year or months,
the region, the document). One mechanism for every question; rag/intent.py reads the question, and the
language layer (rag.language) reads the sentence: its quantities and its periods.

A constraint is checked on the sentence's scope: the sentence itself, then the passage text before it,
then the section path, then the article title and issuing body. A year a question asks for is met when
the nearest of these that names any year names it (a plan's goal paragraph states 到2025年 once for
the sentences below it); when none names a year, nothing contradicts the question."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.intent import AnswerType, Intent, Period
from rag.language import period_of, periods, quantities
from rag.language.documents import has_document_number
from rag.language.numbers import CN_NUMERAL_CHARS
from rag.language.quantities import MEASURE_WORDS, TIME_UNITS, in_base_unit
from rag.places import bare, spelled_out
from rag.provisions import numbering
from rag.sentences import CLOSERS, STOPS
from rag.types import Chunk

_ARABIC = r"\d+(?:[.,]\d+)*"
# A Chinese numeral is a figure only before a unit or measure word (not 统一, 一体化, 进一步, 一批).
# After an Arabic number 万 and 亿 are units (12.5万个), not numerals of their own.
_CN_FIGURE = re.compile(rf"(?<![第统进唯之\d.])[{CN_NUMERAL_CHARS}]{{2,}}(?=[{MEASURE_WORDS}卡倍成元年月日天周米吨瓦])|"
                        rf"(?<![第统进唯之一\d.])[二三四五六七八九十百千万亿](?=[{MEASURE_WORDS}卡倍成元])")  # fmt: skip
_ORDINAL = re.compile(r"第\s*\d+")
_TECH = re.compile(r"\d+\s*(?:G|K|k|nm|Mbps|Gbps)(?![A-Za-z])|IPv\d|[A-Za-z]+\d+[A-Za-z]*")
# A duration of none: done at once (即时办结, 当日办结).
_AT_ONCE = re.compile(r"即时|当日|当天")
_PERCENT_UNITS = ("%", "个百分点", "百分点", "成")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _dates(text: str) -> list[tuple[int, int]]:
    """Where a text states a year, month or day (2025年, 1—11月份, 12月19日; (2023)): no figure there."""
    out = []
    for s in periods(text):
        bracketed = s.bare and re.match(r"\s*[)）]", text[s.end :])
        if not s.bare or bracketed or s.form == "years":
            out.append(s.span)
    return out


def figures(text: str) -> list[str]:
    """The figures a text states: Arabic numbers and Chinese numerals before a unit, less years, months
    and days, ordinals (第3条) and technology labels (5G, 8K, IPv6)."""
    text = unicodedata.normalize("NFKC", text)
    for pattern in (_TECH, _ORDINAL):
        text = pattern.sub(" ", text)
    text = _blank(text, _dates(text))
    return re.findall(_ARABIC, text) + _CN_FIGURE.findall(text)


def has_type(text: str, intent: Intent) -> bool:
    """Whether ``text`` holds the kind of answer ``intent`` expects (always, for text-like answers)."""
    kind = intent.answer_type
    text = unicodedata.normalize("NFKC", text)
    if kind == AnswerType.QUANTITY:
        return bool(figures(text))
    if kind == AnswerType.DOC_NUMBER:
        return has_document_number(text)
    if kind == AnswerType.DATE:
        return _has_date(text, intent.asks_day)
    if kind == AnswerType.RECURRENCE:
        # A rhythm (每年, 每季度); 定期 sets none, and "how often" is then not stated.
        return any(q.style == "recurrence" for q in quantities(text))
    if kind not in (AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.COUNT, AnswerType.DURATION, AnswerType.DEADLINE):
        return True
    values = quantities(_TECH.sub(lambda m: " " * len(m.group(0)), text), glosses=True)
    if kind == AnswerType.AMOUNT:
        # A fine may be set against a sum rather than in yuan (违法所得四倍以下的罚款, 货值10%以下的罚款): that is its amount.
        relative = "罚款" in text and any(q.unit in ("倍", "%") for q in values)
        return relative or any(q.unit.endswith(("元", "美元")) for q in values)
    if kind == AnswerType.PERCENT:
        return any(q.unit in _PERCENT_UNITS or (q.style == "fraction" and q.unit == "%") for q in values)
    if kind == AnswerType.COUNT:
        counted = [q for q in values if q.unit.lstrip("万亿") and q.unit.lstrip("万亿")[-1] in MEASURE_WORDS]
        return bool(counted) or _unit_figure(values, intent.unit)
    duration = bool(_AT_ONCE.search(text)) or any(q.unit.endswith(TIME_UNITS) and q.style != "recurrence" for q in values)
    return duration or (kind == AnswerType.DEADLINE and _has_date(text, False))


def _has_date(text: str, to_the_day: bool) -> bool:
    """A date (to the day when asked: 12月19日), or any year, month or part of one (2025年, 每年五月, 11月底)."""
    for s in periods(text):
        if s.form == "date":
            return True
        if not to_the_day and ((s.form == "year" and not s.bare) or s.form == "month" or s.edge in _MONTH_PARTS):
            return True
    return False


_MONTH_PARTS = ("底", "末", "初", "上旬", "中旬", "下旬")


def _unit_figure(values: list, unit: str) -> bool:
    """A count in the unit the question names (多少万户 -> 7.71亿户 counts too)."""
    return bool(unit) and any(q.unit.endswith(unit[-1]) for q in values)


@dataclass(frozen=True)
class Scope:
    """Where a sentence stands: its own text, the passage text before it, and the passage's header."""

    sentence: str
    before: str
    section: str
    article: str  # title and issuing body

    @classmethod
    def of(cls, chunk: Chunk, start: int, end: int) -> Scope:
        return cls(chunk.text[start:end], chunk.text[:start], chunk.section, f"{chunk.article} {chunk.source}")

    def layers(self) -> tuple[str, ...]:
        return (self.sentence, self.before, self.section, self.article)


def _in_force(scope: Scope, read) -> set[int]:
    """The values ``read`` finds in the nearest layer of the scope that has any."""
    for layer in scope.layers():
        found = read(layer)
        if found:
            return found
    return set()


def period_breaks(scope: Scope, asked: Period) -> str | None:
    """The asked period the scope contradicts ("2025年", "10月"), or None."""

    def read(text: str) -> Period:
        return period_of(periods(text), "zh")  # a comparison's baseline (较1—10月份) is no period of its own

    if asked.years:
        years = _in_force(scope, lambda t: set(read(t).years))
        if years and not asked.years & years:
            return "、".join(f"{y}年" for y in sorted(asked.years))
    if asked.months:
        months = _in_force(scope, lambda t: set(read(t).months))
        if months and max(asked.months) not in months:
            return f"{max(asked.months)}月"
    if asked.quarters:
        text = " ".join(scope.layers())
        if not asked.quarters & set(read(text).quarters):
            return "、".join(f"第{q}季度" for q in sorted(asked.quarters))
    return None


def region_breaks(scope: Scope, regions: tuple[str, ...]) -> str | None:
    """A region the question names that neither the sentence nor its passage's header is about."""
    where = spelled_out(unicodedata.normalize("NFKC", f"{scope.sentence} {scope.section} {scope.article}"))
    missing = [r for r in regions if bare(r) not in where]
    return "、".join(missing) or None


def choice_breaks(scope: Scope, intent: Intent) -> str | None:
    """The figures of an either-or question (每半年还是每年) when the sentence states neither (定期): it answers
    the question only by stating one of them."""
    if not intent.choices:
        return None
    stated = {_compared(q) for q in quantities(unicodedata.normalize("NFKC", scope.sentence))}
    if any(_compared(q) in stated for q in intent.choices):
        return None
    return "或".join(q.text for q in intent.choices)


def _compared(q) -> tuple:
    """What two figures share when they are the same: 三年 and 3年, 每年 and 每年."""
    unit, number, low, high = in_base_unit(q)
    return (q.style == "recurrence", unit, number, low, high)


@dataclass(frozen=True)
class Fit:
    """How one sentence meets a question: the kind of answer, and the first constraint it breaks."""

    typed: bool
    broken: str | None = None  # "2025年", "云南", "《…》", "室内": what the sentence is not about

    @property
    def ok(self) -> bool:
        return self.typed and self.broken is None


def sentence_start(text: str, start: int) -> int:
    """Where the whole sentence holding offset ``start`` begins: after the last sentence stop or line end."""
    return max((text.rfind(ch, 0, start) + 1 for ch in STOPS + "\n"), default=0)


_LIST_ITEM = ("paren_cn", "arabic", "paren_arabic")
_SENTENCE_END = re.compile(rf"[{STOPS}]|\n")


def sentence_end(text: str, end: int) -> int:
    """Where the whole sentence holding a clause that ends at ``end`` ends, and with it the list it introduces: a
    sentence ending at ： (有下列行为之一的，…处一万元以上十万元以下罚款：) is completed by the numbered lines below it
    (（一）伪造…的；（二）…), which say what its rule is about."""
    if text[:end].rstrip().rstrip(CLOSERS).endswith(tuple(STOPS)):
        return end  # a whole sentence already
    m = _SENTENCE_END.search(text, end)
    if m is not None and m.group(0) != "\n":
        return m.end()
    at = len(text) if m is None else m.start()
    if not text[:at].rstrip().endswith(("：", ":")):
        return at
    while at < len(text):
        line_end = text.find("\n", at + 1)
        line_end = len(text) if line_end < 0 else line_end
        line = text[at:line_end].strip()
        if line:
            found = numbering(line)
            if found is None or found[0] not in _LIST_ITEM:
                break
        at = line_end
    return at


def fit(intent: Intent, chunk: Chunk, start: int, end: int, article: str | None = None, focus: str = "") -> Fit:
    """Whether the sentence chunk.text[start:end] can answer. ``article`` is the document the question
    names, when it names one; ``focus`` the question's most specific term, which a sentence giving a
    figure must be about (a 5G total is no count of 室内基站)."""
    scope = Scope.of(chunk, start, end)
    typed = has_type(scope.sentence, intent)
    # The issue card lists every article (its pages, its column): it speaks for each of them.
    if article and chunk.article != article and chunk.kind != "issue_card":
        return Fit(typed, f"《{article}》")
    broken = period_breaks(scope, intent.period) or region_breaks(scope, intent.regions) or choice_breaks(scope, intent)
    if not broken and focus and intent.answer_type.needs_focus:
        # The issue card is one list (columns over their entries): any of its lines speaks for all.
        # A clause cut from a long sentence at its ；(…的，处一万元以上十万元以下罚款) is about what the
        # sentence opened with: the whole sentence counts, and so do the items of a list it introduces.
        own = (
            chunk.text
            if chunk.kind == "issue_card"
            else chunk.text[sentence_start(chunk.text, start) : sentence_end(chunk.text, end)]
        )
        where = unicodedata.normalize("NFKC", f"{own} {chunk.header}").lower()
        broken = None if focus in where else focus
    return Fit(typed, broken)
