"""Mentions of a bulletin issue in a question: 本期 (this issue: the newest one), 上一期 (the one before),
第51期, 2023年第51期, 总第162期, 2023年12月的那期, 12月22日那期; in English "this issue", "the latest issue",
"the previous issue", "issue 51", "No. 51", "the December 2023 issue". Which issue of a library a mention
means is rag.recency's question; this module only reads the words.

A 第N期 that is a phase of something (一期工程, 第二期项目, 分两期) is no issue: an issue is named by its number
alone, so the mention must not run on into a noun of works or funds."""

from __future__ import annotations

import re

from rag.language.numbers import cn_to_int, fold_width
from rag.language.spans import IssueMention

_NUM = r"\d{1,4}|[〇零一二两三四五六七八九十百千]{1,6}"
# 第二期工程, 一期项目: a phase, not an issue.
_PHASE_AFTER = r"(?!\s*(?:工程|项目|建设|基金|规划|试点|园区|计划|行动|资金|贷款|培训|活动|大赛|会议))"
_ZH = re.compile(
    r"(?P<this>本期|这一?期|最新一期|最近一期|最新的一期|当期)(?!间|限|内|末|货)"
    r"|(?P<prev>上上一?期|上一期|上期|前一期|前期)(?!间|限|内|末|工作|投入|准备|研究|调研)"
    rf"|总第\s*(?P<total>{_NUM})\s*期"
    rf"|(?:(?P<ny>(?:19|20)\d{{2}})\s*年(?:度)?\s*)?(?<!总)第\s*(?P<number>{_NUM})\s*期{_PHASE_AFTER}"
    r"|(?P<dy>(?:19|20)\d{2})\s*年\s*(?P<dm>\d{1,2})\s*月(?:\s*(?P<dd>\d{1,2})\s*日)?\s*(?:出版|印发|发布|刊发)?的?\s*(?:那|这)?一?期"
    r"|(?<![\d年])(?P<om>\d{1,2})\s*月\s*(?P<od>\d{1,2})\s*日\s*(?:出版|刊发)?的?\s*(?:那|这)一?期"
)
_EN_MONTHS = "january february march april may june july august september october november december".split()
_EN_MONTH = "|".join(_EN_MONTHS)
_EN = re.compile(
    r"\b(?P<this>this issue|the (?:latest|newest|current|most recent) issue|the issue at hand)\b"
    r"|\b(?P<prev>the (?:previous|last|preceding) issue|the issue before(?: (?:this|it))?)\b"
    r"|\b(?:issue|no\.)\s*(?:no\.?\s*)?(?P<number>\d{1,3})\b(?!\s*(?:of (?:the )?(?:law|article)))"
    rf"|\bthe\s+(?P<month>{_EN_MONTH})\s+(?P<year>(?:19|20)\d{{2}})\s+issue\b"
    rf"|\bissue of\s+(?P<month2>{_EN_MONTH})\s+(?P<year2>(?:19|20)\d{{2}})\b",
    re.I,
)


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


def _zh(text: str, original: str) -> list[IssueMention]:
    out = []
    for m in _ZH.finditer(text):
        g = m.groupdict()
        at = {"start": m.start(), "end": m.end(), "text": original[m.start() : m.end()]}
        if g["this"]:
            out.append(IssueMention(**at, relative=0))
        elif g["prev"]:
            out.append(IssueMention(**at, relative=-2 if g["prev"].startswith("上上") else -1))
        elif g["total"]:
            out.append(IssueMention(**at, total=_int(g["total"])))
        elif g["number"]:
            out.append(IssueMention(**at, number=_int(g["number"]), year=_int(g["ny"])))
        elif g["dy"]:
            month, day = int(g["dm"]), _int(g["dd"])
            if 1 <= month <= 12:
                out.append(IssueMention(**at, year=int(g["dy"]), month=month, day=day))
        elif 1 <= int(g["om"]) <= 12:
            out.append(IssueMention(**at, month=int(g["om"]), day=int(g["od"])))
    return [x for x in out if x.relative is not None or x.number or x.total or x.month]


def _en(text: str, original: str) -> list[IssueMention]:
    out = []
    for m in _EN.finditer(text):
        g = m.groupdict()
        at = {"start": m.start(), "end": m.end(), "text": original[m.start() : m.end()]}
        if g["this"]:
            out.append(IssueMention(**at, relative=0))
        elif g["prev"]:
            out.append(IssueMention(**at, relative=-1))
        elif g["number"]:
            out.append(IssueMention(**at, number=int(g["number"])))
        else:
            month = g["month"] or g["month2"]
            year = g["year"] or g["year2"]
            out.append(IssueMention(**at, year=int(year), month=_EN_MONTHS.index(month.lower()) + 1))
    return out


def issue_mentions(text: str, lang: str = "zh") -> list[IssueMention]:
    """The issues ``text`` names, in order (an English text is read for the Chinese forms as well)."""
    folded = fold_width(text)
    found = _zh(folded, text) + (_en(folded, text) if lang == "en" else [])
    found.sort(key=lambda s: s.start)
    return [s for i, s in enumerate(found) if not any(o.overlaps(s) for o in found[:i])]
