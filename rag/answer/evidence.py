"""Whether a sentence can answer a question: it holds the kind of answer the question expects (an amount,
a share, a count, a date …) and breaks none of the constraints the question names (the year or months,
the region, the document). One mechanism for every question; rag/intent.py reads the question.

A constraint is checked on the sentence's scope: the sentence itself, then the passage text before it,
then the section path, then the article title and issuing body. A year a question asks for is met when
the nearest of these that names any year names it (a plan's goal paragraph states 到2025年 once for
the sentences below it); when none names a year, nothing contradicts the question."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.intent import AnswerType, Intent, Period, period_of
from rag.places import bare, spelled_out
from rag.text import CN_NUMERAL_CHARS, MEASURE_WORDS
from rag.types import Chunk

_CN_DIGITS = CN_NUMERAL_CHARS
_MEASURES = MEASURE_WORDS
_ARABIC = r"\d+(?:[.,]\d+)*"
# A Chinese numeral is a figure only before a unit or measure word (not 统一, 一体化, 进一步, 一批).
# After an Arabic number 万 and 亿 are units (12.5万个), not numerals of their own.
_CN_FIGURE = re.compile(rf"(?<![第统进唯之\d.])[{_CN_DIGITS}]{{2,}}(?=[{_MEASURES}卡倍成元年月日天周米吨瓦])|"
                        rf"(?<![第统进唯之一\d.])[二三四五六七八九十百千万亿](?=[{_MEASURES}卡倍成元])")  # fmt: skip
_YEAR_NUMBER = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年|\s*[—–\-~至]\s*(?:19|20)?\d{2}|\s*[)）])")
_MONTH_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?=\s*[月日号])")
_ORDINAL = re.compile(r"第\s*\d+")
_TECH = re.compile(r"\d+\s*(?:G|K|k|nm|Mbps|Gbps)(?![A-Za-z])|IPv\d|[A-Za-z]+\d+[A-Za-z]*")

_AMOUNT = re.compile(rf"(?:{_ARABIC}|[{_CN_DIGITS}]+)\s*(?:多|余)?\s*(?:万亿|亿|千万|百万|万|千)?\s*(?:元|美元|人民币)")
_PERCENT = re.compile(rf"{_ARABIC}\s*[%％]|百分之[{_CN_DIGITS}\d.]+|{_ARABIC}\s*个百分点|[一二三四五六七八九]成(?![为员果本立])")
_COUNT = re.compile(
    rf"(?:{_ARABIC}|[{_CN_DIGITS}]{{2,}}|(?<![第统进唯之])[一二两三四五六七八九十])\s*(?:多|余)?\s*(?:万|亿)?\s*[{_MEASURES}]"
)
# A bare 3月 or 1日 is a date; a duration says 个月, 日内, 个工作日.
_DURATION = re.compile(
    rf"(?:{_ARABIC}|[{_CN_DIGITS}]+)\s*(?:个\s*(?:工作日|自然日|月|星期|小时)|工作日|自然日|天|周|年|小时|分钟|日\s*(?:内|以内|之内))|即时|当日|当天"
)
# A period after 较/与/比 is the baseline of a comparison (增速较1—10月份回落), not the figure's own period.
_BASELINE = re.compile(
    r"(?:较|与|比|相比)\s*(?:上年|去年)?\s*(?:(?:19|20)\d{2}\s*年\s*)?(?:\d{1,2}\s*[—–\-~至到]\s*)?\d{1,2}\s*月(?:份|末|底)?"
)
_DATE_DAY = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}")
_DATE_ANY = re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*月(?:底|末|初|中旬|上旬|下旬)")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")


def figures(text: str) -> list[str]:
    """The figures a text states: Arabic numbers and Chinese numerals before a unit, less years, months
    and days, ordinals (第3条) and technology labels (5G, 8K, IPv6)."""
    text = unicodedata.normalize("NFKC", text)
    for pattern in (_TECH, _ORDINAL, _YEAR_NUMBER, _MONTH_DAY_NUMBER):
        text = pattern.sub(" ", text)
    return re.findall(_ARABIC, text) + _CN_FIGURE.findall(text)


def has_type(text: str, intent: Intent) -> bool:
    """Whether ``text`` holds the kind of answer ``intent`` expects (always, for text-like answers)."""
    kind = intent.answer_type
    text = unicodedata.normalize("NFKC", text)
    if kind == AnswerType.AMOUNT:
        return bool(_AMOUNT.search(text))
    if kind == AnswerType.PERCENT:
        return bool(_PERCENT.search(text))
    if kind == AnswerType.COUNT:
        return bool(_COUNT.search(_TECH.sub(" ", text))) or _unit_figure(text, intent.unit)
    if kind == AnswerType.QUANTITY:
        return bool(figures(text))
    if kind == AnswerType.DURATION:
        return any(m.group(0) and not _YEAR_NUMBER.match(m.group(0)) for m in _DURATION.finditer(text))
    if kind == AnswerType.DATE:
        return bool((_DATE_DAY if intent.asks_day else _DATE_ANY).search(text))
    if kind == AnswerType.DOC_NUMBER:
        return bool(_DOC_NUMBER.search(text))
    return True


def _unit_figure(text: str, unit: str) -> bool:
    """A count in the unit the question names (多少万户 -> 7.71亿户 counts too)."""
    return bool(unit) and bool(re.search(rf"{_ARABIC}\s*(?:万|亿)?\s*{re.escape(unit[-1])}", text))


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
        return period_of(_BASELINE.sub(" ", text), "zh")

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


@dataclass(frozen=True)
class Fit:
    """How one sentence meets a question: the kind of answer, and the first constraint it breaks."""

    typed: bool
    broken: str | None = None  # "2025年", "云南", "《…》", "室内": what the sentence is not about

    @property
    def ok(self) -> bool:
        return self.typed and self.broken is None


def fit(intent: Intent, chunk: Chunk, start: int, end: int, article: str | None = None, focus: str = "") -> Fit:
    """Whether the sentence chunk.text[start:end] can answer. ``article`` is the document the question
    names, when it names one; ``focus`` the question's most specific term, which a sentence giving a
    figure must be about (a 5G total is no count of 室内基站)."""
    scope = Scope.of(chunk, start, end)
    typed = has_type(scope.sentence, intent)
    # The issue card lists every article (its pages, its column): it speaks for each of them.
    if article and chunk.article != article and chunk.kind != "issue_card":
        return Fit(typed, f"《{article}》")
    broken = period_breaks(scope, intent.period) or region_breaks(scope, intent.regions)
    if not broken and focus and intent.answer_type.needs_focus:
        # The issue card is one list (columns over their entries): any of its lines speaks for all.
        own = chunk.text if chunk.kind == "issue_card" else scope.sentence
        where = unicodedata.normalize("NFKC", f"{own} {chunk.header}").lower()
        broken = None if focus in where else focus
    return Fit(typed, broken)
