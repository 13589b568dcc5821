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
from functools import lru_cache
from pathlib import Path

from rag.language import periods
from rag.language.documents import sets_rules
from rag.language.periods import PeriodSpan
from rag.language.quantities import TIME_UNITS, skip_zones
from rag.language.spans import Quantity
from rag.types import PATH_SEP

BACKGROUND_FILE = Path(__file__).resolve().parent.parent / "language" / "background.tsv"

# The words of a report on what happened (with a period 截至…, …月份, …月末: PeriodSpan.as_of, its edge).
# 已 marks what is done (已实现, 已建成, 已初步形成); a sentence opening on 目前/当前 says where things stand.
_REPORTED = re.compile(r"同比|环比|比上年|较上年|上年末|上年同期|去年同期|净增|当月|(?<!不得)已(?!知)|^(?:目前|当前|截至目前)")
_STRUCTURE_BEFORE = re.compile(r"(?:共|共计|合计|包括|分为|分)\s*$")
_STRUCTURE_AFTER = re.compile(r"^\s*(?:举措|措施|方面|部分)")
_SUPPORT = re.compile(r"奖励|奖补|补助|补贴|资助|贴息|扶持资金|一次性")
_CLAUSE_END = re.compile(r"[，,；;。！？!?]")
_DIGIT = re.compile(r"\d")
# 处…罚款 / 罚金 / 拘留: the sanctions with an amount or a term (行政处罚法 第九条; 刑法 罚金).
_PENALTY_AFTER = re.compile(r"^\s*(?:的)?\s*(?P<what>罚款|罚金|行政拘留|拘留)")
PENALTY_WORDS = re.compile(r"罚款|罚金|拘留")


def _outside_titles(text: str, spans: list[PeriodSpan], marks: str) -> list[PeriodSpan]:
    zones = [z for z in skip_zones(text) if text[z[0]] in marks]
    return [s for s in spans if not any(a <= s.start < b for a, b in zones)]


def deadline_years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of every deadline a sentence states (到 2025 年底, 2025 年前), outside titles and brackets;
    到2025年6月 is a date, not a year's deadline."""
    if not _DIGIT.search(text):
        return []
    found = [s for s in periods(text) if s.form == "year" and not s.bare and s.deadline and not _MONTH_AFTER.match(text, s.end)]
    return [(s.start, s.last_year) for s in _outside_titles(text, found, '《〈“‘「『"（(')]


_MONTH_AFTER = re.compile(r"\s*\d{1,2}\s*月")


def is_law(title: str) -> bool:
    """Whether a document's title names a law or regulation (its brackets, 试行 or 修订, left out)."""
    return sets_rules(title)


def period_years(text: str, not_before: int | None = None) -> list[tuple[int, int]]:
    """(offset, end year) of every period a sentence states a target for (2023—2025年期间, “十四五”期间), outside
    titles and brackets; a period that ended before ``not_before`` (the issue's year: “十三五”期间 in a plan's
    review of the past) is no deadline."""
    found = [s for s in periods(text) if s.form in ("years", "plan") and s.deadline]
    found = _outside_titles(text, found, "《〈（(")
    return [(s.start, s.last_year) for s in found if not_before is None or s.last_year >= not_before]


def stated_year(text: str) -> int | None:
    """The one year a title or sentence states as a period (2023年1—11月份 -> 2023); None for none or a span."""
    years = {s.first_year for s in periods(text) if s.form == "year" and not s.bare and s.lead not in ("到", "至")}
    return years.pop() if len(years) == 1 else None


@lru_cache(maxsize=1)
def _background_words() -> tuple[str, ...]:
    lines = BACKGROUND_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def background(section: str) -> bool:
    """Whether a section path runs under a heading of where things stand (一、发展现状和形势 › （一）发展现状), whose
    figures are measured, not set; a heading that also names goals or tasks (发展基础与目标) is none."""
    for part in section.split(PATH_SEP):
        if any(w in part for w in _background_words()) and not re.search(r"目标|任务|举措|措施", part):
            return True
    return False


def reported(text: str) -> bool:
    """Whether a sentence has the marks of a report on what happened: a period as of a date (截至11月末),
    a month's or months' figures (1—11月份, 11月末), or a comparison with the past (同比, 比上年)."""
    if _REPORTED.search(text):
        return True
    return any(s.as_of or (s.form in ("month", "months") and s.edge in ("份", "末", "底", "当月")) for s in periods(text))


@dataclass
class SentenceFacts:
    """What the kinds of a sentence's values depend on beyond the values themselves."""

    text: str
    mentions: list[Quantity]
    deadlines: list[tuple[int, int]] = field(default_factory=list)  # stated in this sentence
    carried: int | None = None  # the deadline stated earlier in its paragraph (or editor's note)
    reported: bool = False
    background: bool = False  # under a heading of where things stand (发展现状, 主要成效: rag/language/background.tsv)


def _is_threshold(m: Quantity, s: SentenceFacts) -> bool:
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


def _is_structure(m: Quantity, s: SentenceFacts) -> bool:
    """共计 23 条, 18 项举措: a count of the document's own parts, not a goal."""
    parts_counted = m.unit in ("条", "章", "节", "款", "项")
    if parts_counted and _STRUCTURE_BEFORE.search(s.text[max(0, m.start - 3) : m.start]):
        return True
    return m.unit in ("项", "条", "个", "大", "") and bool(_STRUCTURE_AFTER.match(s.text[m.end :]))


def _is_time_limit(m: Quantity, s: SentenceFacts) -> bool:
    if m.style == "recurrence" or m.unit.endswith("工作日"):
        return True
    return m.unit.endswith(TIME_UNITS) and (m.qualifier in ("内", "以内", "延长至") or m.framed)


def penalty_of(m: Quantity, s: SentenceFacts) -> str:
    """罚款, 罚金 or 拘留 when the value is what a penalty clause imposes (…以下罚款), else ""."""
    found = _PENALTY_AFTER.match(s.text[m.end :])
    return found.group("what").removeprefix("行政") if found else ""


def _is_support_standard(m: Quantity, s: SentenceFacts) -> bool:
    """What a recipient may get (给予一次性奖励 100 万元, 不超过 500 万元后补助) sets no level to reach."""
    return m.unit.endswith("元") and bool(_SUPPORT.search(s.text))


_PLAN_VERBS = re.compile(r"新增|新建|培育|打造|建设|建成|引进|认定|设立|创建|争创|布局|推动|支持")


def _is_set_count(m: Quantity, s: SentenceFacts) -> bool:
    """新增上市企业十家 by a deadline: a count in Chinese that a plan sets (not a category: 四类, 六大)."""
    if m.unit in ("类", "大", "跳") or not (s.deadlines or s.carried is not None) or s.reported:
        return False
    clause_start = max((x.end() for x in _CLAUSE_END.finditer(s.text, 0, m.start)), default=0)
    return bool(_PLAN_VERBS.search(s.text, clause_start, m.start))


def _in_condition(m: Quantity, s: SentenceFacts) -> bool:
    """Whether the value stands in a condition: its clause ends in 的， (违法所得不足十万元的，处…), or, in a
    clause that fines, it comes before the 的， that ends the act punished (将一个单位工程发包给两个以上的施工
    单位，或者…的，由…处…)."""
    end = _CLAUSE_END.search(s.text, m.end)
    if end and s.text[: end.start()].rstrip().endswith("的") and end.group(0) in "，,":
        return True
    if not PENALTY_WORDS.search(s.text):
        return False
    tier = max((x.end() for x in re.finditer(r"[；;]", s.text[: m.start])), default=0)
    act_end = min((s.text.find(x, tier) for x in ("的，", "的,") if s.text.find(x, tier) >= 0), default=-1)
    return act_end >= m.end and not PENALTY_WORDS.search(s.text, tier, act_end)


def kind_of(m: Quantity, s: SentenceFacts, article_reports: bool, law: bool = False) -> tuple[str, bool]:
    """(kind, kept alone), kind "" for no row: an ``other`` value is kept only beside a value of another kind, unless it is a
    support standard, which is always listed (the value most easily mistaken for a target). ``law``: the
    article is a law or regulation."""
    if penalty_of(m, s):
        return "penalty", True
    if _is_time_limit(m, s):
        return "time_limit", True
    if _in_condition(m, s):
        return "", False  # 违法所得不足十万元的, 由两个以上行政机关共同制作的: what a rule applies to, no figure it sets
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
    if s.reported or s.background:
        return "statistic"
    if s.carried is not None:
        return "target"
    return "statistic" if article_reports else "target"


def target_year(m: Quantity, s: SentenceFacts) -> int | None:
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
