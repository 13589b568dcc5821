"""Periods a text names, in Chinese and English: years (2025年, 2023—2025年), the five-year plans' periods
(“十四五”期间, from plans.tsv), months and ranges of months (11月末, 1—11月份), days (12月19日), quarters,
halves, the whole year; with the word that opens them (到, 截至, by) and closes them (底, 前, 期间), and
whether a comparison takes them as its baseline (较1—10月份). ``period_of`` folds them into the years,
closing months and quarters a question or a sentence's scope names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.language.numbers import CN_NUMERAL_CHARS, cn_to_int, fold_width
from rag.language.spans import PeriodSpan

PLANS_FILE = Path(__file__).with_name("plans.tsv")


@lru_cache(maxsize=1)
def plans() -> dict[str, tuple[int, int]]:
    """十四五 -> (2021, 2025): each five-year plan's first and last year (plans.tsv)."""
    out = {}
    for line in PLANS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, first, last = line.split("\t")[:3]
            out[name] = (int(first), int(last))
    return out


@dataclass(frozen=True)
class Period:
    """What a question asks about, or a passage states: its years, the months its ranges end on, its quarters."""

    years: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()  # the last month of each month or range named (1—10月 -> 10)
    quarters: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.years or self.months or self.quarters)


# --- Chinese ---------------------------------------------------------------------------------------------

_DASH = r"\s*[—–\-~～至到]\s*"
_LEAD_ZH = r"(?P<lead>到|截至|截止|至|在|于|自|从)?\s*"
_CN_MONTH = r"[一二三四五六七八九十]{1,2}"
_ZH = re.compile(
    _LEAD_ZH + r"(?:"
    rf"(?<!\d)(?P<y1>(?:19|20)\d{{2}})\s*年?{_DASH}(?P<y2>(?:19|20)?\d{{2}})\s*年(?P<yedge>底|末|期间|间)?"
    rf"|[“\"「『‘]?(?P<plan>十[一二三四五]五)[”\"」』’]?\s*(?:规划)?\s*(?P<pedge>期间|时期|期末|末|初|以来)?"
    r"|(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)(?P<nian>\s*年度?)?(?P<edge>(?:底|末|初)?(?:以前|之前|前)|底|末|内|初|以来)?"
    r"|(?P<cy>[〇零一二三四五六七八九]{4})年"
    rf"|(?P<m1>\d{{1,2}}){_DASH}(?P<m2>\d{{1,2}})\s*月(?P<medge>份|末|底)?"
    r"|(?P<dm>\d{1,2})\s*月\s*(?P<dd>\d{1,2})\s*[日号]"
    rf"|(?P<cdm>{_CN_MONTH})月(?P<cdd>[一二三四五六七八九十]{{1,3}})[日号]"
    r"|(?<![\d个])(?P<m>\d{1,2})\s*月(?P<edge_m>份|末|底|初|中旬|上旬|下旬|当月)?"
    # 五月, 十二月份: a month in numerals (三个月 counts months; 三月内 would be a span, 第三月 an ordinal).
    rf"|(?<![{CN_NUMERAL_CHARS}第个统进唯之同单])(?P<cm>十[一二]?|[一二三四五六七八九])月(?P<edge_cm>份|末|底|初|中旬|上旬|下旬)?(?![内以之度])"
    r"|(?P<q>第?[一二三四1-4])季度"
    r"|(?P<half>[上下])半年"
    r"|(?P<full>全年)"
    r")"
)
_DATE_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)")
_CN_DIGIT = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}
# A comparison's baseline: 较1—10月份, 与上年同期, 比2022年末.
_BASELINE_BEFORE = re.compile(r"(?:较|与|比|相比)\s*(?:上年|去年)?\s*$")


def _zh_span(m: re.Match, text: str) -> PeriodSpan | None:
    g = m.groupdict()
    lead = g["lead"] or ""
    start = m.start("lead") if lead else m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    core = m.end("lead") + len(text[m.end("lead") : m.end()]) - len(text[m.end("lead") : m.end()].lstrip()) if lead else start
    common = {"start": start, "end": m.end(), "text": text[start : m.end()], "lead": lead, "core_start": core}
    if g["y1"]:
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else int(g["y1"][:2] + g["y2"])
        return PeriodSpan(**common, form="years", first_year=int(g["y1"]), last_year=y2, edge=g["yedge"] or "")
    if g["plan"]:
        first, last = plans().get(g["plan"], (None, None))
        if first is None:
            return None
        return PeriodSpan(**common, form="plan", first_year=first, last_year=last, edge=g["pedge"] or "")
    if g["y"]:
        y = int(g["y"])
        return PeriodSpan(**common, form="year", first_year=y, last_year=y, edge=g["edge"] or "", bare=not g["nian"])
    if g["cy"]:
        digits = "".join(str(_CN_DIGIT[ch]) for ch in g["cy"])
        return PeriodSpan(**common, form="year", first_year=int(digits), last_year=int(digits))
    if g["m1"]:
        a, b = int(g["m1"]), int(g["m2"])
        if not (1 <= a <= b <= 12):
            return None
        return PeriodSpan(**common, form="months", first_month=a, last_month=b, edge=g["medge"] or "")
    if g["dm"] or g["cdm"]:
        month = int(g["dm"]) if g["dm"] else cn_to_int(g["cdm"])
        day = int(g["dd"]) if g["dd"] else cn_to_int(g["cdd"])
        if not month or not day or not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return PeriodSpan(**common, form="date", first_month=month, last_month=month, day=day)
    if g["m"] or g["cm"]:
        month = int(g["m"]) if g["m"] else cn_to_int(g["cm"])
        if not 1 <= month <= 12:
            return None
        return PeriodSpan(**common, form="month", first_month=month, last_month=month, edge=g["edge_m"] or g["edge_cm"] or "")
    if g["q"]:
        q = g["q"].lstrip("第")
        return PeriodSpan(**common, form="quarter", quarter=_QUARTERS.get(q) or int(q))
    if g["half"]:
        last = 6 if g["half"] == "上" else 12
        return PeriodSpan(**common, form="half", first_month=last - 5, last_month=last)
    return PeriodSpan(**common, form="full_year", first_month=1, last_month=12)


def _zh_periods(text: str) -> list[PeriodSpan]:
    out = []
    for m in _ZH.finditer(text):
        found = _zh_span(m, text)
        if found is not None:
            out.append(found)
    for m in _DATE_ISO.finditer(text):
        if 1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("d")) <= 31:
            y, mo = int(m.group("y")), int(m.group("m"))
            out.append(PeriodSpan(m.start(), m.end(), m.group(0), "date", y, y, mo, mo, int(m.group("d"))))
    return _baselines(text, sorted(out, key=lambda s: s.start))


def _baselines(text: str, spans: list[PeriodSpan]) -> list[PeriodSpan]:
    """Spans a comparison takes as its baseline (较2022年1—10月份): the first after 较/与/比, and those joined to it."""
    out: list[PeriodSpan] = []
    for s in spans:
        prev = out[-1] if out else None
        joined = prev is not None and prev.baseline and not text[prev.end : s.start].strip()
        if joined or _BASELINE_BEFORE.search(text[: s.start]):
            s = PeriodSpan(**{**vars(s), "baseline": True})
        out.append(s)
    return out


# --- English ---------------------------------------------------------------------------------------------

_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], 1)
    for m in names
}  # fmt: skip
_EN_NUMBERS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_EN_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_EN = re.compile(
    r"(?P<lead>\b(?:by|before|until|through|in|since|as of|at the end of|end of)\s+)?(?:"
    r"(?P<y1>\b(?:19|20)\d{2})\s*(?:-|–|—|to|through)\s*(?P<y2>(?:19|20)\d{2}\b)"
    r"|(?P<y>\b(?:19|20)\d{2}\b)"
    r"|\bfirst\s+(?P<n>\w+)\s+months\b"
    r"|(?P<month>\b(?:" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\b)"
    r"|\b(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s*quarter\b|\bq(?P<qd>[1-4])\b"
    r"|\b(?P<hw>first|second)\s+half\b"
    r"|\b(?P<full>(?:full|whole|entire) year)\b"
    r")",
    re.I,
)


def _en_span(m: re.Match, text: str) -> PeriodSpan | None:
    g = m.groupdict()
    lead = " ".join((g["lead"] or "").lower().split())
    lead = "by" if lead in ("at the end of", "end of") and g["y"] else lead
    core = m.end("lead") if g["lead"] else m.start()
    common = {"start": m.start(), "end": m.end(), "text": m.group(0), "lead": lead, "core_start": core}
    if g["y1"]:
        return PeriodSpan(**common, form="years", first_year=int(g["y1"]), last_year=int(g["y2"]), bare=True)
    if g["y"]:
        y = int(g["y"])
        return PeriodSpan(**common, form="year", first_year=y, last_year=y, bare=True)
    if g["n"]:
        n = _EN_NUMBERS.get(g["n"].lower()) or (int(g["n"]) if g["n"].isdigit() else 0)
        return PeriodSpan(**common, form="months", first_month=1, last_month=n) if 1 <= n <= 12 else None
    if g["month"]:
        word = g["month"].lower()
        if word == "may" and not _dated(text, m.start("month"), m.end("month")):
            return None  # "may" is also a verb: a month only beside a day or year
        month = _EN_MONTHS[word]
        return PeriodSpan(**common, form="month", first_month=month, last_month=month)
    if g["qw"] or g["qd"]:
        return PeriodSpan(**common, form="quarter", quarter=_EN_ORDINAL.get((g["qw"] or "").lower()) or int(g["qd"]))
    if g["hw"]:
        last = 6 if g["hw"].lower() == "first" else 12
        return PeriodSpan(**common, form="half", first_month=last - 5, last_month=last)
    return PeriodSpan(**common, form="full_year", first_month=1, last_month=12)


def _dated(text: str, start: int, end: int) -> bool:
    after, before = text[end : end + 6], text[max(0, start - 7) : start]
    return bool(re.match(r"\s+(?:\d{1,2}\b|(?:19|20)\d{2}\b)", after)) or before.lower().endswith("end of ")


def _en_periods(text: str) -> list[PeriodSpan]:
    return [s for m in _EN.finditer(text) if (s := _en_span(m, text)) is not None]


def periods(text: str, lang: str = "zh") -> list[PeriodSpan]:
    """The periods ``text`` names, in order. Chinese text is read for Chinese forms; English for both (an
    English question may quote 2023年1—11月份)."""
    folded = fold_width(text)
    if lang == "en":
        spans = _en_periods(folded) + [s for s in _zh_periods(folded) if not s.bare]
        spans.sort(key=lambda s: s.start)
        return [s for i, s in enumerate(spans) if not any(o.overlaps(s) for o in spans[:i])]
    return _zh_periods(folded)


def period_of(spans: list[PeriodSpan], lang: str = "zh", text: str = "") -> Period:
    """Years, closing months and quarters of the spans that are no baseline. A range of years names its ends;
    a plan's period, its last year. An English text naming several single months keeps the last (or, when
    it names a span of them — from … to, through, a dash — the latest)."""
    own = [s for s in spans if not s.baseline]
    years: set[int] = set()
    for s in own:
        if s.form == "plan":
            years.add(s.last_year)
        elif s.first_year is not None:
            years |= {s.first_year, s.last_year}
    months = {s.last_month for s in own if s.last_month is not None and s.form not in ("date", "month")}
    single = [s.last_month for s in own if s.form == "month"]
    if lang == "en" and single:
        months.add(max(single) if re.search(r"\bto\b|\bthrough\b|[-–—]", text) else single[-1])
    else:
        months |= set(single)
    quarters = {s.quarter for s in own if s.quarter}
    return Period(frozenset(years), frozenset(months), frozenset(quarters))
