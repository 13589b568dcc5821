"""Quantities in Chinese policy text: where each value stands, as written, with its number (or range low–high),
its unit with the magnitude word (万元, 亿元, 个工作日, %, 个百分点) and the qualifier beside it (以上, 不超过,
内 …). What a value *is* (a target, a statistic, a fine …) is decided by its readers (rag.targets.kinds);
this module only reads the words. Units and qualifiers are data (units.tsv, qualifiers.tsv).

The rules follow how Chinese official texts write numbers (GB/T 15835, 出版物上数字用法): measured
quantities in Arabic digits (300 个, 15548 亿元, 2—3 个, 85%); scale words in Chinese (百亿元, 万卡,
千亿级); small counts of parties, categories and tiers in Chinese (三家, 四类, 六大), which describe
structure rather than measure anything; laws write every figure in Chinese (处五万元以上五十万元以下罚款:
one range). Nothing is read inside titles 《》, quotation marks, brackets, dates, years and ordinals.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from rag.language.numbers import CN_NUMERAL_CHARS, NUMBER, cn_fraction, cn_number, cn_to_int, split_magnitude, to_number
from rag.language.spans import Quantity

_HERE = Path(__file__).parent


def _rows(name: str) -> list[list[str]]:
    lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def units() -> dict[str, str]:
    """Unit -> what it measures (percent, multiple, time, money, measure, count), from units.tsv."""
    return {row[0]: row[1] for row in _rows("units.tsv")}


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, tuple[str, str]]:
    """Qualifier -> (where it stands: before, just_before, after; the bound it sets), from qualifiers.tsv."""
    return {row[0]: (row[1], row[2]) for row in _rows("qualifiers.tsv")}


def _words(position: str) -> tuple[str, ...]:
    return tuple(sorted((w for w, (p, _) in qualifiers().items() if p == position), key=len, reverse=True))


PREFIX_QUALIFIERS = _words("before")
SUFFIX_QUALIFIERS = _words("after")
_JUST_BEFORE = _words("just_before")
MEASURE_WORDS = "".join(u for u, c in units().items() if c == "count" and len(u) == 1 and u not in "章节大跳期批卡")
TIME_UNITS = ("个工作日", "工作日", "个月", "小时", "分钟", "周", "天", "日", "年")
# Units, longest first so 个百分点 wins over 个. Calendar words (月份, 月末) are not units: dates are skipped.
_CJK_UNITS = sorted((u for u in units() if u != "%"), key=len, reverse=True)
_LATIN_UNITS = r"(?:[KMGTPE]B(?:/[户人年月天日秒]+(?:[·・][户人年月天日秒])?)?|[KMGT]bps|[kMGT]Wh?|[EPT]?FLOPS|km|ms)"
_UNIT = rf"(?:{_LATIN_UNITS}|{'|'.join(_CJK_UNITS)}|%|％)"
_MAGNITUDE = r"(?:万亿|千亿|百亿|千万|百万|十万|亿|万)"
_DASH = r"\s*[—–\-~～至到]\s*"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# 300 个以上, 2—3 个, 15548 亿元, 180 余家, 2728 亿 GB, 151.1 万 (its unit comes at the end of the list)
_ARABIC = re.compile(
    rf"(?P<num>(?:{_NUM})(?:{_DASH}(?:{_NUM}))?)\s*(?P<mag>{_MAGNITUDE})?\s*(?P<approx>余|多)?\s*(?P<unit>{_UNIT})?"
)
_BIG = "百千万亿"
# 百亿元, 万卡, 千亿级, 三百个: a Chinese numeral holding a scale word, then a unit or 级
_CN_AMOUNT = re.compile(
    rf"(?<![{CN_NUMERAL_CHARS}第每])(?P<num>[{CN_NUMERAL_CHARS}]*[{_BIG}])(?P<level>级)?(?P<unit>{'|'.join(_CJK_UNITS)}|%)?"
)
# 三家, 四类, 六大, 一跳: a small count in Chinese, always with its classifier
_CN_COUNT = re.compile(
    rf"(?<![{CN_NUMERAL_CHARS}第进统唯之某单同每])(?P<num>[一二两三四五六七八九十]{{1,3}})(?P<unit>家|个|类|大|项|款|跳|种|所|座|台|套|条)"
)
_CN_FRACTION = re.compile(r"(?P<num>[一二两三四五六七八九十百千]+分之[〇零一二两三四五六七八九十百千点]+)")
# Laws write every figure in Chinese (处五万元以上五十万元以下罚款, 自收到申请之日起十五日内, 一倍以上十倍以下):
# a numeral (a range 三至五) with a unit of money, time or multiple. A duration needs a limit around it
# (_framed) to be read: 三年行动, 五年规划 name a plan's span, not a period the text imposes.
_CN_NUMERAL = rf"[{CN_NUMERAL_CHARS}](?:[{CN_NUMERAL_CHARS}点]*[{CN_NUMERAL_CHARS}])?"
_CN_TIME_UNITS = r"个工作日|工作日|个多月|个月|个小时|小时|分钟|日|天|周(?!岁)|年(?!度)"
_CN_QUANTITY = re.compile(
    rf"(?<![{CN_NUMERAL_CHARS}第每本当月])(?P<num>{_CN_NUMERAL}(?:\s*[至到—–-]\s*{_CN_NUMERAL})?)"
    rf"(?P<unit>元|倍|成(?![为员果本立功熟长效交])|{_CN_TIME_UNITS})"
)
# What frames a duration as a limit: 十五日内, 届满三十日前, 不少于三年, 提前三十日, 有效期为一年, 延期五个工作日.
# A duration weighed against another (三年还是五年) is a limit asked about.
_FRAME_AFTER = re.compile(r"^\s*(?:内|以内|之内|以上|以下|前|后|届满|期满|还是)")
_FRAME_BEFORE = re.compile(
    r"(?:不得超过|不超过|不得少于|不少于|不低于|至少|最长|最多|最短|延长至|延长|延期|顺延|提前|最近|连续|满|为|期|前|后|起|时间|期限)\s*$"
)
# Recurrences: 每月, 每季度. 年度 alone (年度报告, 年度考核) names a report or a review, not a limit: no value.
_EVERY = re.compile(
    r"每\s*(?P<unit>个月|季度|半年|工作日|月|季|周|日|天)|每\s*年(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月)"
)

# Where no value is read.
_ZONES = re.compile(
    r"《[^》]*》|〈[^〉]*〉|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"|[（(][^（()）]*[)）]"
    rf"|(?:19|20)\d{{2}}\s*(?:{_DASH}(?:19|20)?\d{{2}}\s*)?年(?:\s*\d{{1,2}}\s*(?:{_DASH}\d{{1,2}}\s*)?月(?:份|末|底|初|中)?(?:\s*\d{{1,2}}\s*日)?)?"
    rf"|(?<![\d个])\d{{1,2}}\s*(?:{_DASH}\d{{1,2}}\s*)?月(?:份|末|底|初|中|当月|上旬|中旬|下旬)?(?:\s*\d{{1,2}}\s*[日号])?"
    rf"|第\s*[\d{CN_NUMERAL_CHARS}]+"
    r"|[〇零一二三四五六七八九]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?"
    r"|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]"
)
_QUOTE_OPENERS = '《〈“‘「『"（('
_BEFORE_NUMBER_BAD = re.compile(r"[A-Za-z0-9.．_/\-]$")  # IPv6, U30, 4K/8K: part of a name
_AFTER_NUMBER_BAD = re.compile(r"^\s?[A-Za-z]")  # 5G, 10G PON, 3D: a designation, unless the unit is Latin
_CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")
LIST_JOINERS = re.compile(r"^\s*(?:、|和|及|与|或|至)\s*$")
_LIST_NEXT = re.compile(r"\s*(?:、|和|及|与)\s*\d")
# Whether a sentence can hold a value at all: most cannot, and are passed over at the cost of one search.
MAY_HOLD_VALUE = re.compile(r"\d|[百千万亿]|分之|每|年度|[一二两三四五六七八九十][家个类大项款跳种所座台套条日天年周元倍小分]")
_DASH_RE = re.compile(_DASH)
_SPACES = re.compile(r"\s+")


def skip_zones(text: str) -> list[tuple[int, int]]:
    """Titles, quotations, brackets, dates and ordinals: stretches no value is read in."""
    return [m.span() for m in _ZONES.finditer(text)]


def _inside(span: tuple[int, int], zones: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in zones)


def _range(num: str) -> tuple[str, float | None, float | None, float | None]:
    dash = _DASH_RE.search(num)
    if dash:
        low, high = to_number(num[: dash.start()]), to_number(num[dash.end() :])
        parts = (num[: dash.start()].strip(), num[dash.end() :].strip())
        return f"{parts[0]}{dash.group(0).strip()}{parts[1]}", None, low, high
    return num.strip(), to_number(num), None, None


def _qualify(text: str, start: int, end: int, unit: str = "") -> tuple[str, int]:
    """The word after the value (300 个以上: then where the value's words end) or the comparator before it
    (in its clause, no other figure between: 不高于理论时延的 1.5 倍)."""
    after = text[end:]
    stripped = after.lstrip()
    for q in SUFFIX_QUALIFIERS:
        if stripped.startswith(q) and (q != "内" or unit.endswith(TIME_UNITS)):  # 5 个工作日内, not 10 个内河港口
            return q, end + len(after) - len(stripped) + len(q)
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    before = text[clause_start:start]
    for q in PREFIX_QUALIFIERS:
        at = before.rfind(q)
        if at >= 0 and not NUMBER.search(before[at:]) and len(before) - at - len(q) <= 12:
            return q, end
    for q in _JUST_BEFORE:  # directly before: 已近四分之一, 约 1,200 个 (近日 holds no figure)
        if before.rstrip().endswith(q):
            return q, end
    return "", end


def _quantity(text: str, start: int, end: int, **fields) -> Quantity:
    return Quantity(start, end, text[start:end], **fields)


def quantities(text: str, glosses: bool = False) -> list[Quantity]:
    """Every value of ``text`` outside dates and ordinals, and outside titles, quotes and brackets unless
    ``glosses`` (an answer's evidence may stand in a bracket: 最高补助（500万元）), in reading order."""
    zones = [z for z in skip_zones(text) if not glosses or text[z[0]] not in _QUOTE_OPENERS]
    found: list[Quantity] = []

    def add(q: Quantity | None) -> None:
        if q is not None and not _inside(q.span, zones) and not any(q.overlaps(f) for f in found):
            found.append(q)

    for m in _CN_FRACTION.finditer(text):
        add(_fraction(text, m))
    for m in _ARABIC.finditer(text):
        add(_arabic(text, m))
    for m in _CN_QUANTITY.finditer(text):
        add(_cn_quantity(text, m))
    for m in _CN_AMOUNT.finditer(text):
        add(_cn_amount(text, m))
    for m in _CN_COUNT.finditer(text):
        add(_cn_count(text, m))
    for m in _EVERY.finditer(text):
        unit = (m.group("unit") or "年").removeprefix("个")
        unit = {"季": "季度"}.get(unit, unit)
        add(
            _quantity(
                text,
                m.start(),
                m.end(),
                value=_SPACES.sub("", m.group(0)),
                number=1.0,
                unit=unit,
                qualifier="每",
                style="recurrence",
            )
        )
    for m in _annual().finditer(text):
        add(_quantity(text, m.start(), m.end(), value="年度", number=1.0, unit="年", qualifier="每", style="recurrence"))
    found.sort(key=lambda x: x.start)
    found = _share_list_units(text, found)
    # 110、119、120 等热线: bare numbers a list runs through that no unit ends are names, not quantities.
    found = [m for m in found if m.style != "arabic" or m.unit or m.qualifier in ("以上", "以下", "左右")]
    return _join_ranges(text, found)


@lru_cache(maxsize=1)
def _annual() -> re.Pattern[str]:
    """年度 as a modifier of an act (年度考核, 年度动态调整: a yearly rhythm), not a year's own (2023年度, 本年度)
    and not in the name of a document (年度报告, 年度安全生产工作计划: a kind of document, kinds.tsv, ends it)."""
    from rag.language.documents import kinds

    names = "|".join(sorted(kinds(), key=len, reverse=True))
    return re.compile(
        rf"(?<![\d０-９年本上下该当今明前去跨分半全各同次财])(?<!上一)(?<!下一)年度(?![^，。；、,;的]{{0,10}}?(?:{names}))"
    )


def _fraction(text: str, m: re.Match) -> Quantity:
    numeral = m.group("num")
    whole, part = numeral.split("分之")
    number, unit = (cn_number(part), "%") if whole == "百" else (cn_fraction(numeral), "")  # 百分之三十 is 30 %
    q, e = _qualify(text, m.start(), m.end())
    return _quantity(text, m.start(), e, value=numeral, number=number, unit=unit, qualifier=q, style="fraction")


def _arabic(text: str, m: re.Match) -> Quantity | None:
    if not _arabic_ok(text, m):
        return None
    value, number, low, high = _range(m.group("num"))
    unit = ((m.group("mag") or "") + _SPACES.sub("", m.group("unit") or "")).replace("％", "%")
    q, e = _qualify(text, m.start(), m.end(), unit)
    if m.group("approx"):
        q = q or "余"
    # A time in 万 or 亿 (2.06万亿分钟) is a volume counted, never a limit.
    framed = unit.endswith(TIME_UNITS) and not m.group("mag") and _framed(text, m.start(), m.end())
    fields = {"unit": unit, "qualifier": q, "style": "arabic", "framed": framed}
    return _quantity(text, m.start(), e, value=value, number=number, low=low, high=high, **fields)


def _cn_amount(text: str, m: re.Match) -> Quantity | None:
    """百亿元, 万卡, 千亿级: a Chinese numeral holding a scale word, with a unit or 级."""
    if not (m.group("level") or m.group("unit")) or _parallel(text, m.end(), m.start()):
        return None  # 千行百业, 千家万户: idioms, no amount
    count, magnitude = split_magnitude(m.group("num"))
    number = cn_to_int(count)
    if number is None:
        return None
    unit = magnitude + (m.group("unit") or "")
    q, e = ("级", m.end()) if m.group("level") else _qualify(text, m.start(), m.end(), unit)
    return _quantity(text, m.start(), e, value=count, number=float(number), unit=unit, qualifier=q, style="amount")


def _cn_count(text: str, m: re.Match) -> Quantity | None:
    numeral, unit = m.group("num"), m.group("unit")
    if _parallel(text, m.end(), m.start()) or (unit == "大" and len(numeral) > 1) or text[m.end() : m.end() + 1] in "批":
        return None  # 一家一策, 二十大, 一大批
    if unit == "个" and text.startswith(("工作日", "月", "小时", "多月"), m.end()):
        return None  # 五个工作日不能办理完毕的: a duration no limit frames, no count
    if numeral == "一" and unit == "个":
        return None  # 一个会计年度, 一个科普专栏: the article "a", no count
    number = cn_to_int(numeral)
    if number is None:
        return None
    return _quantity(text, m.start(), m.end(), value=numeral, number=float(number), unit=unit, style="count")


def _cn_quantity(text: str, m: re.Match) -> Quantity | None:
    """五万元, 一倍, 十五日 (framed), 三至五年 (framed): a quantity written in Chinese numerals."""
    num, unit = m.group("num"), m.group("unit")
    if _parallel(text, m.end(), m.start()):
        return None  # 一日一报, 一年一度
    dash = re.search(r"\s*[至到—–-]\s*", num)
    ends = [num[: dash.start()], num[dash.end() :]] if dash else [num]
    magnitude = ""
    if unit == "元":  # 五万元 -> 五 万元, as 百亿元 and 300 万元 are read
        split = [split_magnitude(e) for e in ends]
        if len({mag for _, mag in split}) == 1:
            ends, magnitude = [c for c, _ in split], split[0][1]
    numbers = [cn_number(e) for e in ends]
    if any(n is None for n in numbers):
        return None
    time = unit not in ("元", "倍", "成")
    q, e = _qualify(text, m.start(), m.end(), unit)
    framed = time and _framed(text, m.start(), m.end())
    if time and not framed:
        return None
    if not q and time:
        q = next((w for w in ("提前", "最近", "连续") if text[: m.start()].rstrip().endswith(w)), "")
    fields = {"unit": magnitude + unit, "qualifier": q, "style": "cn", "framed": framed}
    if len(ends) == 2:
        return _quantity(text, m.start(), e, value=f"{ends[0]}—{ends[1]}", low=numbers[0], high=numbers[1], **fields)
    return _quantity(text, m.start(), e, value=ends[0], number=numbers[0], **fields)


def _framed(text: str, start: int, end: int) -> bool:
    """Whether a limit word stands right before or after a duration (十五日内, 不少于三年, 提前 30 日), or the
    duration closes its clause after a verb (记录应当至少保存三年。): what a clause ends on is what it imposes,
    where 三年行动计划 runs on into a name. A span looked back on (近三年，) is none."""
    if _FRAME_AFTER.match(text[end:]) or _FRAME_BEFORE.search(text[:start]):
        return True
    return bool(_CLAUSE_CLOSES.match(text[end:])) and not _LOOKED_BACK.search(text[:start])


# A duration that ends its clause (…保存三年。), and the words before one that make it a span looked back on.
_CLAUSE_CLOSES = re.compile(r"^\s*(?:[，,；;。！？!?]|$)")
_LOOKED_BACK = re.compile(r"(?:近|过去|这|此前|以来|最近|前)\s*$")


_SCALE = {"万亿": 10**12, "亿": 10**8, "万": 10**4}


def in_base_unit(m: Quantity) -> tuple[str, float | None, float | None, float | None]:
    """(unit, number, low, high) with the magnitude word folded into the numbers: 五 万元 -> 元, 50000.
    Fines are compared across clauses that write 五千元 and 五万元, so they are kept in 元."""
    for word, scale in _SCALE.items():
        if m.unit.startswith(word) and m.unit != word:
            return m.unit[len(word) :], *(None if x is None else x * scale for x in (m.number, m.low, m.high))
    return m.unit, m.number, m.low, m.high


# Two units of time one range may run across, and how many of the larger one the smaller makes.
_IN_LARGER = {("个月", "年"): 1 / 12, ("小时", "日"): 1 / 24, ("小时", "天"): 1 / 24}


def _joins(text: str, prev: Quantity, m: Quantity) -> bool:
    """五万元以上五十万元以下, 六个月至三年以内: two ends of one range."""
    if prev.number is None or m.number is None:
        return False
    between = text[prev.end : m.start].strip()
    same_unit = in_base_unit(prev)[0] == in_base_unit(m)[0]
    if prev.qualifier in ("以上", "及以上") and m.qualifier in ("以下", "以内") and between in ("", "、", "，", ","):
        return same_unit
    if between in ("至", "到", "—", "–", "~", "～") and same_unit and not prev.qualifier:  # 百分之二十至百分之五十
        return prev.number <= m.number
    # 六个月至三年: a duration's ends in two units of time, one range
    return between in ("至", "到") and (prev.unit, m.unit) in _IN_LARGER


def _join_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """五万元以上五十万元以下, 一倍以上十倍以下, 10 日以上 15 日以下: one range, low–high, not two values. The
    ends' magnitude words go into the numbers (五万—五十万 元) so that ends of different magnitude compare."""
    out: list[Quantity] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is None or not _joins(text, prev, m):
            out.append(m)
            continue
        if in_base_unit(prev)[0] == in_base_unit(m)[0]:
            unit, low, _, _ = in_base_unit(prev)
            high = in_base_unit(m)[1]
            value, qualifier = f"{_written(prev)}—{_written(m)}", ""
        else:  # 六个月至三年以内: the range in the larger unit (0.5—3 年), each end as written
            unit, low, high = m.unit, prev.number * _IN_LARGER[(prev.unit, m.unit)], m.number
            value, qualifier = f"{prev.value}{prev.unit}—{m.value}", m.qualifier
        out[-1] = _quantity(text, prev.start, m.end, value=value, low=low, high=high, unit=unit, qualifier=qualifier,
                            style=prev.style, framed=prev.framed or m.framed)  # fmt: skip
    return out


def _written(m: Quantity) -> str:
    """An end of a range as written, with its magnitude word: 五万, 10万, 百分之零点五."""
    if m.style == "fraction":
        return m.value
    unit = in_base_unit(m)[0]
    return m.value + m.unit[: len(m.unit) - len(unit)]


def _arabic_ok(text: str, m: re.Match) -> bool:
    if _BEFORE_NUMBER_BAD.search(text[: m.start()]):
        return False
    unit = m.group("unit") or ""
    if not re.match(_LATIN_UNITS, unit) and _AFTER_NUMBER_BAD.match(text[m.end("num") :]):
        return False  # 5G, 10G PON, 3D
    if m.group("unit") or m.group("mag") or _LIST_NEXT.match(text[m.end() :]):
        return True  # a bare figure that a list continues (26.1%、24.2%…) takes the unit of the list's end
    return text[m.end() :].lstrip().startswith(("以上", "以下", "左右"))  # a ratio: 降至 1.3 以下


def _parallel(text: str, end: int, start: int = 0) -> bool:
    """A numeral + unit beside another numeral + one character: a parallel idiom (千家万户, 一企一策)."""
    return (end < len(text) and text[end] in CN_NUMERAL_CHARS) or (start >= 2 and text[start - 2] in CN_NUMERAL_CHARS)


def _share_list_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """In 151.1 万、73.6 万、20.9 万个 and 1.1 个和 0.6 个百分点 the last member's unit is every member's."""
    found = list(found)
    for i in range(len(found) - 2, -1, -1):
        a, b = found[i], found[i + 1]
        if a.style != "arabic" or b.style != "arabic" or not LIST_JOINERS.match(text[a.end : b.start]) or a.unit == b.unit:
            continue
        if not a.unit or b.unit.startswith(a.unit) or (a.unit in ("万", "亿") and b.unit.startswith(a.unit)):
            found[i] = replace(a, unit=b.unit)
        elif a.unit in ("万", "亿", "万亿") and not b.unit.startswith(("万", "亿")):
            found[i] = replace(a, unit=a.unit + b.unit.lstrip("万亿"))
    return found
