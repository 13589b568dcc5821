"""What a value is — a target a policy sets, a statistic already measured, a procedural time limit, or
something else — and the year it belongs to, from the words around it.

The rules, in the order they are tried (eval/README.md, "targets.jsonl", says why each value is labelled
as it is):
- a value a penalty clause imposes (处五万元以上五十万元以下罚款, 处违法所得一倍以上十倍以下罚款, 处十日以上十五日
  以下拘留) is a ``penalty``; no other value of a sentence that fines is a target (不足十万元的: a condition);
- a recurrence (每月, 年度考核) or a deadline (5 个工作日内, 延长至 10 个工作日) is a ``time_limit``;
- a small count written in Chinese (三家, 四类), a count of the document's own parts (共计 23 条, 18 项
  举措), a threshold that defines what is counted (100Mbps 及以上…的用户达 6 亿户) and a support
  standard (给予一次性奖励 100 万元, 最高不超过 200 万元补助) are ``other``;
- a duration a limit frames (十五日内, 不少于三年, 提前三十日, 有效期为一年) is a ``time_limit`` too;
- a law (法, 条例, 规定, 办法, 决定: it sets rules, not goals) gives no target without a deadline year;
- otherwise the voice decides: a sentence that names a deadline year (到 2025 年) speaks of the
  future, one with the marks of a report (截至 11 月末, 同比, 比上年末, 1—11 月份, 已近) of the past; a
  sentence with neither takes its paragraph's deadline, else its article's voice (a plan sets targets,
  a statistical report measures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.targets.values import TIME_UNITS, Mention, skip_zones

_DEADLINE = re.compile(
    r"(?<!截)(?:到|至)\s*(?P<a>(?:19|20)\d{2})\s*年(?:底|末)?(?!\s*\d{1,2}\s*月)|(?P<b>(?:19|20)\d{2})\s*年(?:底|末)?(?:前|以前)"
)
_YEAR = re.compile(r"(?<![—–\-~～到\d])(?P<y>(?:19|20)\d{2})\s*年(?!\s*[—–\-~～])")
_REPORTED = re.compile(
    r"截至|截止|同比|环比|比上年|较上年|上年末|上年同期|去年同期|净增|\d\s*月份|月末|当月|已近|已达|已超|已经|已有|已建成"
)
_STRUCTURE_BEFORE = re.compile(r"(?:共|共计|合计|包括|分为|分)\s*$")
_STRUCTURE_AFTER = re.compile(r"^\s*(?:举措|措施|方面|部分)")
_SUPPORT = re.compile(r"奖励|奖补|补助|补贴|资助|贴息|扶持资金|一次性")
_CLAUSE_END = re.compile(r"[，,；;。！？!?]")
_DIGIT = re.compile(r"\d")
# 处…罚款 / 罚金 / 拘留: the sanctions with an amount or a term (行政处罚法 第九条; 刑法 罚金).
_PENALTY_AFTER = re.compile(r"^\s*(?:的)?\s*(?P<what>罚款|罚金|行政拘留|拘留)")
PENALTY_WORDS = re.compile(r"罚款|罚金|拘留")
# Kinds of document that set rules: 中华人民共和国数据安全法, …条例, …管理办法（试行）, …规定, 关于…的决定.
_LAW_TITLE = re.compile(r"(?:法|条例|规定|办法|细则|决定|规则|准则)$")
# 2023—2025年期间, “十四五”期间 / 时期 / 末: a period a plan's target is stated for; its end year is the deadline.
_SPAN = re.compile(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到]\s*(?P<end>(?:19|20)\d{2})\s*年\s*(?:期间|间)")
_FIVE_YEAR = re.compile(r"十(?P<n>[一二三四五六七八九])五[”\"」』’]?\s*(?:规划)?\s*(?:期间|时期|末)")


def deadline_years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of every deadline a sentence states (到 2025 年底, 2025 年前), outside titles and brackets."""
    if not _DIGIT.search(text):
        return []
    zones = [z for z in skip_zones(text) if text[z[0]] in '《〈“‘「『"（(']
    out = []
    for m in _DEADLINE.finditer(text):
        if not any(s <= m.start() < e for s, e in zones):
            out.append((m.start(), int(m.group("a") or m.group("b"))))
    return out


def is_law(title: str) -> bool:
    """Whether a document's title names a law or regulation (its brackets, 试行 or 修订, left out)."""
    return bool(_LAW_TITLE.search(re.sub(r"[（(][^（）()]*[）)]", "", title).strip()))


def five_year_plan_end(n: int) -> int:
    """The last year of the nth five-year plan: the third ran 1966–1970 and each since five years (十四五: 2025)."""
    return 1970 + 5 * (n - 3)


def period_years(text: str, not_before: int | None = None) -> list[tuple[int, int]]:
    """(offset, end year) of every period a sentence states a target for (2023—2025年期间, “十四五”期间), outside
    titles and brackets; a period that ended before ``not_before`` (the issue's year: “十三五”期间 in a plan's
    review of the past) is no deadline."""
    if not re.search(r"\d|十", text):
        return []
    zones = [z for z in skip_zones(text) if text[z[0]] in "《〈（("]
    out = []
    for m in _SPAN.finditer(text):
        out.append((m.start(), int(m.group("end"))))
    for m in _FIVE_YEAR.finditer(text):
        out.append((m.start(), five_year_plan_end(10 + "一二三四五六七八九".index(m.group("n")) + 1)))
    return sorted((at, y) for at, y in out if not any(s <= at < e for s, e in zones) and (not_before is None or y >= not_before))


def stated_year(text: str) -> int | None:
    """The one year a title or sentence states as a period (2023年1—11月份 -> 2023); None for none or a span."""
    years = {int(m.group("y")) for m in _YEAR.finditer(text) if not _spanned(text, m.start())}
    return years.pop() if len(years) == 1 else None


def _spanned(text: str, at: int) -> bool:
    """2023至2025年: the year ends a span (截至2023年底 does not)."""
    before = text[max(0, at - 3) : at].rstrip()
    return before.endswith("至") and not before.endswith("截至")


def reported(text: str) -> bool:
    """Whether a sentence has the marks of a report on what happened."""
    return bool(_REPORTED.search(text))


@dataclass
class SentenceFacts:
    """What the kinds of a sentence's values depend on beyond the values themselves."""

    text: str
    mentions: list[Mention]
    deadlines: list[tuple[int, int]] = field(default_factory=list)  # stated in this sentence
    carried: int | None = None  # the deadline stated earlier in its paragraph (or editor's note)
    reported: bool = False


def _is_threshold(m: Mention, s: SentenceFacts) -> bool:
    """100Mbps 及以上接入速率的用户达 6 亿户: a value inside a 的-phrase naming what a later value in the
    clause counts. The phrase is short and no list (、) or other value runs through it."""
    end = _CLAUSE_END.search(s.text, m.end)
    stop = end.start() if end else len(s.text)
    de = s.text.find("的", m.end, stop)
    if de < 0 or de - m.end > 15 or "、" in s.text[m.end : de]:
        return False
    if any(m.end <= o.start < de for o in s.mentions):
        return False
    return any(de < o.start < stop and o.style in ("arabic", "amount") for o in s.mentions)


def _is_structure(m: Mention, s: SentenceFacts) -> bool:
    """共计 23 条, 18 项举措: a count of the document's own parts, not a goal."""
    parts_counted = m.unit in ("条", "章", "节", "款", "项")
    if parts_counted and _STRUCTURE_BEFORE.search(s.text[max(0, m.start - 3) : m.start]):
        return True
    return m.unit in ("项", "条", "个", "大", "") and bool(_STRUCTURE_AFTER.match(s.text[m.end :]))


def _is_time_limit(m: Mention, s: SentenceFacts) -> bool:
    if m.style == "recurrence" or m.unit.endswith("工作日"):
        return True
    return m.unit.endswith(TIME_UNITS) and (m.qualifier in ("内", "以内", "延长至") or m.framed)


def penalty_of(m: Mention, s: SentenceFacts) -> str:
    """罚款, 罚金 or 拘留 when the value is what a penalty clause imposes (…以下罚款), else ""."""
    found = _PENALTY_AFTER.match(s.text[m.end :])
    return found.group("what").removeprefix("行政") if found else ""


def _is_support_standard(m: Mention, s: SentenceFacts) -> bool:
    """What a recipient may get (给予一次性奖励 100 万元, 不超过 500 万元后补助) sets no level to reach."""
    return m.unit.endswith("元") and bool(_SUPPORT.search(s.text))


_PLAN_VERBS = re.compile(r"新增|新建|培育|打造|建设|建成|引进|认定|设立|创建|争创|布局|推动|支持")


def _is_set_count(m: Mention, s: SentenceFacts) -> bool:
    """新增上市企业十家 by a deadline: a count in Chinese that a plan sets (not a category: 四类, 六大)."""
    if m.unit in ("类", "大", "跳") or not (s.deadlines or s.carried is not None) or s.reported:
        return False
    clause_start = max((x.end() for x in _CLAUSE_END.finditer(s.text, 0, m.start)), default=0)
    return bool(_PLAN_VERBS.search(s.text, clause_start, m.start))


def kind_of(m: Mention, s: SentenceFacts, article_reports: bool, law: bool = False) -> tuple[str, bool]:
    """(kind, kept alone): an ``other`` value is kept only beside a value of another kind, unless it is a
    support standard, which is always listed (the value most easily mistaken for a target). ``law``: the
    article is a law or regulation."""
    if penalty_of(m, s):
        return "penalty", True
    if _is_time_limit(m, s):
        return "time_limit", True
    if PENALTY_WORDS.search(s.text) or (law and not s.deadlines and s.carried is None):
        return "other", False
    if m.style == "count" and _is_set_count(m, s):
        return "target", True
    if m.style == "count" or _is_structure(m, s) or _is_threshold(m, s):
        return "other", False
    if _is_support_standard(m, s):
        return "other", True
    return voice(s, article_reports), True


def voice(s: SentenceFacts, article_reports: bool) -> str:
    if s.deadlines:
        return "target"
    if s.reported:
        return "statistic"
    if s.carried is not None:
        return "target"
    return "statistic" if article_reports else "target"


def target_year(m: Mention, s: SentenceFacts) -> int | None:
    """The deadline stated before the value in its sentence, else the sentence's first, else its paragraph's."""
    before = [y for at, y in s.deadlines if at < m.start]
    if before:
        return before[-1]
    if s.deadlines:
        return s.deadlines[0][1]
    return s.carried


def article_reports(sentences: list[SentenceFacts]) -> bool:
    """An article whose figures mostly come with the marks of a report (截至, 同比, …) is a report: its
    other figures are statistics too."""
    numeric = [s for s in sentences if any(m.style in ("arabic", "amount", "fraction") for m in s.mentions)]
    if not numeric:
        return False
    past = sum(1 for s in numeric if s.reported and not s.deadlines)
    future = sum(1 for s in numeric if s.deadlines)
    return past > future and past * 2 >= len(numeric)
