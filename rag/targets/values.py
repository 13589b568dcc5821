"""Quantities in one sentence of policy Chinese: where each value stands, as written, with its number,
unit and the qualifier beside it. What a value *is* (a target, a statistic, …) is decided elsewhere
(rag/targets/kinds.py); this module only reads the words.

The rules follow how Chinese official texts write numbers (GB/T 15835, 出版物上数字用法): measured
quantities in Arabic digits (300 个, 15548 亿元, 2—3 个, 85%); scale words in Chinese (百亿元, 万卡,
千亿级); small counts of parties, categories and tiers in Chinese (三家, 四类, 六大), which describe
structure rather than measure anything. Nothing is read inside titles 《》, quotation marks (slogans and
names: “十四五”, “2346”), brackets (glosses: 5G（第五代移动通信技术）), dates, years and ordinals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import CN_NUMERAL_CHARS, NUMBER, cn_fraction, cn_number, cn_to_int, split_magnitude, to_number

# Units, longest first so 个百分点 wins over 个. Calendar words (月份, 月末) are not units: dates are skipped.
_CJK_UNITS = sorted(
    """个百分点 百分点 个工作日 工作日 个月 小时 分钟 毫秒 微秒 秒 季度 周 天 日 年 个 家 项 款 条 台 套 座 所 名 人次 人
    户 章 节 元 美元 卡 吨 千瓦时 千瓦 兆瓦 瓦 平方公里 平方米 亩 公里 千米 米 辆 架 次 部 件 种 张 处 片 枚 颗 倍 类 大 跳 期 批
    """.split(),
    key=len,
    reverse=True,
)
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
    rf"(?P<unit>元|倍|{_CN_TIME_UNITS})"
)
# What frames a duration as a limit: 十五日内, 届满三十日前, 不少于三年, 提前三十日, 有效期为一年, 延期五个工作日.
_FRAME_AFTER = re.compile(r"^\s*(?:内|以内|之内|以上|以下|前|后|届满|期满)")
_FRAME_BEFORE = re.compile(
    r"(?:不得超过|不超过|不得少于|不少于|不低于|至少|最长|最多|最短|延长至|延长|延期|顺延|提前|最近|连续|满|为|期|前|后|起|时间|期限)\s*$"
)
# Recurrences: 每月, 每季度; 年度 as a modifier (年度考核, 年度动态调整), not 2023年度 or 本年度
_EVERY = re.compile(r"每\s*(?P<unit>个月|季度|半年|工作日|月|季|年|周|日|天)")
_ANNUAL = re.compile(r"(?<![\d０-９年本上下该当今明前去跨分半全各同次财])(?<!上一)(?<!下一)年度")

# Where no value is read.
_ZONES = re.compile(
    r"《[^》]*》|〈[^〉]*〉|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"|[（(][^（()）]*[)）]"
    rf"|(?:19|20)\d{{2}}\s*(?:{_DASH}(?:19|20)?\d{{2}}\s*)?年(?:\s*\d{{1,2}}\s*(?:{_DASH}\d{{1,2}}\s*)?月(?:份|末|底|初|中)?(?:\s*\d{{1,2}}\s*日)?)?"
    rf"|(?<![\d个])\d{{1,2}}\s*(?:{_DASH}\d{{1,2}}\s*)?月(?:份|末|底|初|中|当月|上旬|中旬|下旬)?(?:\s*\d{{1,2}}\s*[日号])?"
    rf"|第\s*[\d{CN_NUMERAL_CHARS}]+"
    r"|[〇零一二三四五六七八九]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?"
    r"|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]"
)
_BEFORE_NUMBER_BAD = re.compile(r"[A-Za-z0-9.．_/\-]$")  # IPv6, U30, 4K/8K: part of a name
_AFTER_NUMBER_BAD = re.compile(r"^\s?[A-Za-z]")  # 5G, 10G PON, 3D: a designation, unless the unit is Latin

PREFIX_QUALIFIERS = ("最长不得超过", "最高不超过", "不得超过", "不得少于", "不得低于", "不超过", "不高于", "不低于",
                     "不少于", "不大于", "不小于", "超过", "高于", "低于", "小于", "大于", "少于", "多于", "至少",
                     "延长至")  # fmt: skip
SUFFIX_QUALIFIERS = ("及以上", "以上", "以下", "以内", "左右", "上下", "内")
_CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")
LIST_JOINERS = re.compile(r"^\s*(?:、|和|及|与|或|至)\s*$")


@dataclass
class Mention:
    value: str  # as written: 300, 2—3, 百, 四分之一, 每月
    number: float | None  # in the stated unit; None for a range
    low: float | None
    high: float | None
    unit: str  # with its magnitude word, spaces removed: 亿元, 万个, 个百分点, GB/户·月
    qualifier: str
    start: int  # the value and its unit (and a qualifier written after them) in the sentence
    end: int
    style: str  # arabic | amount (百亿元) | count (三家: structure) | fraction | recurrence | cn (五万元, 十五日)
    framed: bool = False  # a duration a limit frames (十五日内, 不少于三年, 提前三十日): a period the text imposes


def skip_zones(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ZONES.finditer(text)]


def _inside(span: tuple[int, int], zones: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in zones)


_DASH_RE = re.compile(_DASH)
# Whether a sentence can hold a value at all: most cannot, and are passed over at the cost of one search.
MAY_HOLD_VALUE = re.compile(r"\d|[百千万亿]|分之|每|年度|[一二两三四五六七八九十][家个类大项款跳种所座台套条日天年周元倍小分]")


def _range(num: str) -> tuple[str, float | None, float | None, float | None]:
    dash = _DASH_RE.search(num)
    if dash:
        low, high = to_number(num[: dash.start()]), to_number(num[dash.end() :])
        parts = (num[: dash.start()].strip(), num[dash.end() :].strip())
        dash = dash.group(0).strip()
        return f"{parts[0]}{dash}{parts[1]}", None, low, high
    return num.strip(), to_number(num), None, None


TIME_UNITS = ("个工作日", "工作日", "个月", "小时", "分钟", "周", "天", "日", "年")


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
    for q in ("近", "约", "逾"):  # directly before: 已近四分之一, 约 1,200 个 (近日 holds no figure)
        if before.rstrip().endswith(q):
            return q, end
    return "", end


def find_mentions(text: str) -> list[Mention]:
    """Every value of ``text`` outside titles, quotes, brackets, dates and ordinals, in reading order."""
    zones = skip_zones(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: Mention, span: tuple[int, int]) -> None:
        if not _inside(span, zones) and not _inside(span, taken):
            found.append(m)
            taken.append(span)

    for m in _CN_FRACTION.finditer(text):
        numeral = m.group("num")
        whole, part = numeral.split("分之")
        if whole == "百":  # 百分之三十 is 30 %
            number, unit = cn_number(part), "%"
        else:
            number, unit = cn_fraction(numeral), ""
        q, e = _qualify(text, m.start(), m.end())
        add(Mention(numeral, number, None, None, unit, q, m.start(), e, "fraction"), m.span())
    for m in _ARABIC.finditer(text):
        if not _arabic_ok(text, m):
            continue
        value, number, low, high = _range(m.group("num"))
        unit = (m.group("mag") or "") + re.sub(r"\s+", "", m.group("unit") or "")
        unit = unit.replace("％", "%")
        q, e = _qualify(text, m.start(), m.end(), unit)
        if m.group("approx"):
            q = q or "余"
        framed = unit.endswith(TIME_UNITS) and _framed(text, m.start(), m.end())
        add(Mention(value, number, low, high, unit, q, m.start(), e, "arabic", framed), m.span())
    for m in _CN_QUANTITY.finditer(text):
        if (mention := _cn_quantity(text, m)) is not None:
            add(mention, m.span())
    for m in _CN_AMOUNT.finditer(text):
        if not (m.group("level") or m.group("unit")) or _parallel(text, m.end(), m.start()):
            continue  # 千行百业, 千家万户: idioms, no amount
        count, magnitude = split_magnitude(m.group("num"))
        number = cn_to_int(count)
        if number is None:
            continue
        unit = magnitude + (m.group("unit") or "")
        q, e = ("级", m.end()) if m.group("level") else _qualify(text, m.start(), m.end(), unit)
        add(Mention(count, float(number), None, None, unit, q, m.start(), e, "amount"), m.span())
    for m in _CN_COUNT.finditer(text):
        numeral, unit = m.group("num"), m.group("unit")
        if _parallel(text, m.end(), m.start()) or (unit == "大" and len(numeral) > 1) or text[m.end() : m.end() + 1] in "批":
            continue  # 一家一策, 二十大, 一大批
        if unit == "个" and text.startswith(("工作日", "月", "小时", "多月"), m.end()):
            continue  # 五个工作日不能办理完毕的: a duration no limit frames, no count
        number = cn_to_int(numeral)
        if number is None:
            continue
        add(Mention(numeral, float(number), None, None, unit, "", m.start(), m.end(), "count"), m.span())
    for m in _EVERY.finditer(text):
        unit = m.group("unit").removeprefix("个")
        unit = {"季": "季度"}.get(unit, unit)
        add(Mention(m.group(0).replace(" ", ""), 1.0, None, None, unit, "每", m.start(), m.end(), "recurrence"), m.span())
    for m in _ANNUAL.finditer(text):
        add(Mention("年度", 1.0, None, None, "年", "每", m.start(), m.end(), "recurrence"), m.span())
    found.sort(key=lambda x: x.start)
    _share_list_units(text, found)
    # 110、119、120 等热线: bare numbers a list runs through that no unit ends are names, not quantities.
    found = [m for m in found if m.style != "arabic" or m.unit or m.qualifier in ("以上", "以下", "左右")]
    return _join_ranges(text, found)


def _cn_quantity(text: str, m: re.Match) -> Mention | None:
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
    time = unit not in ("元", "倍")
    q, e = _qualify(text, m.start(), m.end(), unit)
    framed = time and _framed(text, m.start(), m.end())
    if time and not framed:
        return None
    if not q and time:
        q = next((w for w in ("提前", "最近", "连续") if text[: m.start()].rstrip().endswith(w)), "")
    if len(ends) == 2:
        return Mention(f"{ends[0]}—{ends[1]}", None, numbers[0], numbers[1], magnitude + unit, q, m.start(), e, "cn", framed)
    return Mention(ends[0], numbers[0], None, None, magnitude + unit, q, m.start(), e, "cn", framed)


def _framed(text: str, start: int, end: int) -> bool:
    """Whether a limit word stands right before or after a duration (十五日内, 不少于三年, 提前 30 日)."""
    return bool(_FRAME_AFTER.match(text[end:])) or bool(_FRAME_BEFORE.search(text[:start]))


_SCALE = {"万亿": 10**12, "亿": 10**8, "万": 10**4}


def in_base_unit(m: Mention) -> tuple[str, float | None, float | None, float | None]:
    """(unit, number, low, high) with the magnitude word folded into the numbers: 五 万元 -> 元, 50000.
    Fines are compared across clauses that write 五千元 and 五万元, so they are kept in 元."""
    for word, scale in _SCALE.items():
        if m.unit.startswith(word) and m.unit != word:
            return m.unit[len(word) :], *(None if x is None else x * scale for x in (m.number, m.low, m.high))
    return m.unit, m.number, m.low, m.high


def _join_ranges(text: str, found: list[Mention]) -> list[Mention]:
    """五万元以上五十万元以下, 一倍以上十倍以下, 10 日以上 15 日以下: one range, low–high, not two values. The
    ends' magnitude words go into the numbers (五万—五十万 元) so that ends of different magnitude compare."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.qualifier in ("以上", "及以上")
            and m.qualifier in ("以下", "以内")
            and prev.number is not None
            and m.number is not None
            and not text[prev.end : m.start].strip()
            and in_base_unit(prev)[0] == in_base_unit(m)[0]
        ):
            unit, low, _, _ = in_base_unit(prev)
            _, high, _, _ = in_base_unit(m)
            words = [_written(text, x) for x in (prev, m)]
            value = f"{words[0]}—{words[1]}"
            out[-1] = Mention(value, None, low, high, unit, "", prev.start, m.end, prev.style, prev.framed or m.framed)
            continue
        out.append(m)
    return out


def _written(text: str, m: Mention) -> str:
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
    if m.group("unit") or m.group("mag") or _followed_by_list(text, m.end()):
        return True
    return text[m.end() :].lstrip().startswith(("以上", "以下", "左右"))  # a ratio: 降至 1.3 以下


def _followed_by_list(text: str, end: int) -> bool:
    """A bare figure that a list continues (26.1%、24.2%…): it takes the unit of the list's end."""
    return bool(re.match(r"\s*(?:、|和|及|与)\s*\d", text[end:]))


def _parallel(text: str, end: int, start: int = 0) -> bool:
    """A numeral + unit beside another numeral + one character: a parallel idiom (千家万户, 一企一策)."""
    return (end < len(text) and text[end] in CN_NUMERAL_CHARS) or (start >= 2 and text[start - 2] in CN_NUMERAL_CHARS)


def _share_list_units(text: str, found: list[Mention]) -> None:
    """In 151.1 万、73.6 万、20.9 万个 and 1.1 个和 0.6 个百分点 the last member's unit is every member's."""
    for i in range(len(found) - 2, -1, -1):
        a, b = found[i], found[i + 1]
        if a.style != "arabic" or b.style != "arabic" or not LIST_JOINERS.match(text[a.end : b.start]):
            continue
        if a.unit == b.unit:
            continue
        if not a.unit or b.unit.startswith(a.unit) or (a.unit in ("万", "亿") and b.unit.startswith(a.unit)):
            a.unit = b.unit
        elif a.unit in ("万", "亿", "万亿") and not b.unit.startswith(("万", "亿")):
            a.unit = a.unit + b.unit.lstrip("万亿")
