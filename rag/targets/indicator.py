"""A short name for what a value measures, from the words around it: the noun a count counts
(培育 300 个绿色工厂 -> 绿色工厂), the subject a rate or amount belongs to (数字化研发设计工具普及率
达到85%以上 -> 数字化研发设计工具普及率; 数据交易规模增长 1 倍 -> 数据交易规模增长), the act a time
limit governs (5 个工作日内予以答复 -> 予以答复时限). A clause that only relates a value to the one
before it (同比增长 6.9%, 占比为 15.5%, 比上年末净增 4621 万户) is named after that one's subject.
Names serve reading and grouping across issues; they are not scored."""

from __future__ import annotations

import re

from rag.language.quantities import LIST_JOINERS, PREFIX_QUALIFIERS
from rag.language.spans import Quantity
from rag.targets.regions import strip_region_list

_STOP = re.compile(r"[，,；;。！？!?：:]")
# Verbs linking a subject to its value (达到 85%), longest first.
_LINKS = sorted(
    "达到 达 为 至 超过 突破 小于 大于 低于 高于 不高于 不低于 不超过 最高不超过 分别为 分别达到 分别达 分别 完成 "
    "实现 累计完成 达到了 控制在 保持在 已近 近".split(),
    key=len,
    reverse=True,
)
_CHANGES = sorted("增长 增加 提高 提升 下降 降低 缩短 节约 减少 扩大 回落 收窄 净增 高".split(), key=len, reverse=True)
# Verbs before the thing a count counts or an amount belongs to: 培育 300 个… , 实现营业收入 300 亿元
_ACTIONS = re.compile(
    r"^.*?(?:力争|计划|推动|支持|引进培育|引进|培育建设|培育|打造|建设|建成|新建|认定|设立|开发|形成|突破|组建|"
    r"实现|完成|部署|创建|争创|布局|探索)"
)
# A clause that relates its value to an earlier one.
_RELATIONAL = re.compile(r"^(?:同比|环比|比上年|较|比|占|在.{1,12}中占|拉动|其中|增速|降幅|差值|增幅)")
_LEAD = re.compile(
    r"^(?:其中|以及|和|及|与|并|且|累计|全省|全市|全国|规模以上|重点行业|、|\s"
    r"|(?:截至|截止)?\s*(?:\d+\s*[—–-]\s*)?\d+\s*月(?:份|末|底)?(?:当月)?)+"
)
# A leading party and its act (三家基础电信企业完成…, …企业的): who reports, not what is measured.
_PARTY = re.compile(r"^.*?[一二两三四五六七八九十][家个类大].*?(?:的|完成|发展|实现)")
_COUNT_NOUN_END = re.compile(r"完成|发展|实现|积极|开展")
_COUNTED = tuple("个 家 项 款 条 台 套 座 所 名 辆 架 部 件 种 张 处 类 大 批 卡 跳".split())


def _clause(text: str, start: int, end: int) -> tuple[int, str, str]:
    lo = max((m.end() for m in _STOP.finditer(text, 0, start)), default=0)
    hi = _STOP.search(text, end)
    return lo, text[lo:start], text[end : hi.start() if hi else len(text)]


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    name = _LEAD.sub("", name)
    return name.strip("、的等")[:40]


def _after_de(noun: str) -> str:
    """示范性强、显示度高的典型应用场景 -> 典型应用场景; and no further figures."""
    noun = re.split(r"\d", noun)[0].rstrip("的")
    return noun.rsplit("的", 1)[1] if "的" in noun else noun


def indicator(text: str, m: Quantity, mentions: list[Quantity], kind: str, base: str = "") -> str:
    """``base`` is the indicator of the sentence's last value that was not itself relational."""
    lo, before, after = _clause(text, m.start, m.end)
    # Within a list of value phrases (30 项以上、引进…30 家以上), a value's words start after the one before.
    for o in mentions:
        if lo <= o.end <= m.start and "、" in text[o.end : m.start] and not LIST_JOINERS.match(text[o.end : m.start]):
            before = text[o.end : m.start]
    before = strip_region_list(before)
    if kind == "time_limit":
        act = _tidy(re.split(r"的|，|,", after)[0]).removeprefix("内")
        if not act and m.qualifier == "延长至":  # 可以延长至 10 个工作日: the limit before, extended
            act = base.removesuffix("时限") + "延长"
        if act and m.style != "recurrence":
            act = _party(before) + act  # 第三方 / 被征求意见机关 …提出意见: whose limit it is
        return (act or _tidy(_strip_links(_subject(before, m)))) + ("周期" if m.style == "recurrence" else "时限")
    if m.qualifier == "级":  # 千亿级细分新市场: the scale of each
        return _tidy(_after_de(after)) + "规模"
    if m.style == "count":  # 三家基础电信企业完成…: the party counted
        return _tidy(_after_de(_COUNT_NOUN_END.split(after, 1)[0]))
    subject = _subject(before, m)
    change = next((v for v in _CHANGES if subject.endswith(v)), "")
    core = _tidy(_strip_links(subject[: len(subject) - len(change)]) + change)
    if is_relational(core):
        return _tidy(base + core) if base else core
    if m.unit.lstrip("万亿").endswith(_COUNTED):
        noun = after.lstrip()
        if noun and not noun.startswith(("、", "和", "及")) and (name := _tidy(_after_de(noun))):
            return name  # 培育 300 个绿色工厂
    name = _tidy(_ACTIONS.sub("", core)) if not change else core
    return name or _tidy(_after_de(after)) or _tidy(_STOP.split(text[:lo].rstrip("，,；; "))[-1])[-16:]


_MODAL = re.compile(r"应当|可以|必须|须|应")


def _party(before: str) -> str:
    """The party a limit binds: the words of the clause before its modal (第三方应当自…起 -> 第三方), when short."""
    found = _MODAL.search(before)
    party = _tidy(before[: found.start()]) if found else ""
    return party if 1 < len(party) <= 12 and "的" not in party[-1:] else ""


def is_relational(name: str) -> bool:
    """同比增长, 占比为, 比上年末净增: a name that only relates its value to an earlier one."""
    return bool(_RELATIONAL.match(name))


def _subject(before: str, m: Quantity) -> str:
    """The words before the value, without a comparator (不高于理论时延的) or a leading 三家…的."""
    subject = before.rstrip()
    if m.qualifier in (*PREFIX_QUALIFIERS, "近") and (at := subject.rfind(m.qualifier)) >= 0:
        subject = subject[:at].removesuffix("已")
    if lead := _PARTY.match(subject):
        subject = subject[lead.end() :]
    return subject


def _strip_links(subject: str) -> str:
    subject = subject.rstrip()
    changed = True
    while changed:
        changed = False
        for verb in _LINKS:
            if subject.endswith(verb):
                subject = subject[: -len(verb)].rstrip()
                changed = True
                break
    return subject
