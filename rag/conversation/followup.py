"""Follow-up language, in one place: how a question leans on the one before it, in Chinese and English.

A follow-up makes one move against the previous turn:
- SWITCH: the same question about something else — 那河南呢？ 中部呢？ 到2025年呢？ 第三十条呢？ And Guangdong?
  What about the northeast?
- NEXT / PREVIOUS: the neighbouring provision or item — 下一条呢？ 上一项 下一类 the next article
- PRONOUN: 它, 该办法, 这个计划, 其…, it, its, this plan — the previous turn's document (or place, or provision)
- NARROW: 其中…, 具体到…, among them — inside the previous turn's topic
- NONE: a self-contained question (a topic change), left as it is.

Only the words of the follow-up are read here; rag.conversation.resolve applies the move to the previous
turn's frame. Words that ask (a slot holding one is a question of its own, not a bare switch) and the
nouns of documents are rag.frames.slots'. No list of this bulletin's topics: the rules are about how people ask again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rag.frames.slots import ALL_KINDS, EN_ASKING, EN_DOC, ZH_ASKING
from rag.tokenize import words


class Move(StrEnum):
    SWITCH = "switch"
    NEXT = "next"
    PREVIOUS = "previous"
    PRONOUN = "pronoun"
    NARROW = "narrow"
    NONE = "none"


@dataclass(frozen=True)
class Followup:
    move: Move
    slot: str = ""  # SWITCH: what takes the old thing's place (河南, 到2025年, 第三十条); NARROW: the narrower topic
    unit: str = ""  # NEXT/PREVIOUS: the unit counted (条, 项, 类, 章, 节 …), in Chinese
    rest: str = ""  # the follow-up's own predicate, when it has one (规定了什么？); "" for a bare 下一条呢？
    span: tuple[int, int] = (0, 0)  # PRONOUN: where the pronoun stands in the question
    pronoun: str = ""  # PRONOUN: the words as written (它, 该办法, its)
    refers_to: str = ""  # PRONOUN: document | place | provision


# --- Chinese -------------------------------------------------------------------------------------------

# Openers that hand the turn back to the previous question (那, 那么, 还有, 另外 …).
_ZH_LEAD = r"(?:那么|那|还有|另外|再看看?|再问一下|然后|换成|换到|如果是|要是)?\s*[，,、]?\s*"
# A bare ending: the predicate is the previous question's.
_ZH_BARE_END = r"\s*(?:的情况|情况|的话|方面)?\s*(?:呢|怎么样|怎样|如何|又如何|又是怎样的?|是多少|又是多少)?\s*[？?！!。.…]*\s*$"
_ZH_ENDS_HANGING = re.compile(r"(?:呢|怎么样|又如何|又是怎样的?|又是多少)\s*[？?！!。.…]*\s*$")
_UNITS_ZH = "条项款类个点章节段种部分方面"
_ZH_STEP = re.compile(rf"(?P<dir>下一|后一|接下来的?一?|再下一|上一|前一|再往下一|再往前一)(?P<unit>[{_UNITS_ZH}])")
_ZH_NARROW = re.compile(
    r"^\s*(?:那么|那)?\s*(?:其中|具体到|具体来说|特别是|尤其是|这其中|这里面|这当中|里面|当中)\s*[，,：:]?\s*"
)
# Pronouns. 它 alone; a demonstrative needs its noun (该办法, 这个计划, 此项); 其 only opens a question.
# 本 only before a kind of document (本办法, 本条例, 本法: the document a law's text calls itself, and in a
# follow-up the one the conversation is about); 本地区, 本期 are no references back.
# After a demonstrative any kind of document (rag.frames.slots.ALL_KINDS) points back: 该法, 这份方案.
_POINTED_NOUN = "(?:" + "|".join(ALL_KINDS) + ")"
_PLACE_NOUN = r"(?:省|市|地区|地方|区域|城市)"
_PROVISION_NOUN = r"(?:一条|条|一项|项|款|一款)"
_ZH_PRONOUN = re.compile(
    rf"(?P<doc>(?:该|这个|这份|这一|这项|这部|此|上述|前述|这|本)(?P<dn>{_POINTED_NOUN}))"
    rf"|(?P<place>(?:该|这个|此|这)(?P<pn>{_PLACE_NOUN}))"
    rf"|(?P<prov>(?:该|这|此)(?P<vn>{_PROVISION_NOUN}))"
    r"|(?P<it>(?<!其)它们?)"
)
_ZH_QI = re.compile(r"^\s*(?:那么|那)?\s*其(?![中他它余次实后间])")


def _word_starts(text: str, at: int) -> bool:
    """Whether a word begins at ``at`` (本 of 按照本办法 does; 本 of 基本法 or 成本规划 does not)."""
    offset = 0
    for word in words(text):
        if offset >= at:
            return offset == at
        offset += len(word)
    return False


def _zh(question: str) -> Followup:
    q = question.strip()
    if m := _ZH_NARROW.match(q):
        rest = q[m.end() :]
        hanging = bool(_ZH_ENDS_HANGING.search(rest)) and not ZH_ASKING.search(rest)
        slot = re.sub(_ZH_BARE_END, "", rest) if hanging else ""
        return Followup(Move.NARROW, slot=slot.strip(), rest="" if hanging else rest)
    if m := _ZH_STEP.search(q):
        move = Move.NEXT if m.group("dir")[0] in "下后接再" and "前" not in m.group("dir") else Move.PREVIOUS
        rest = (q[: m.start()] + q[m.end() :]).strip()
        rest = "" if not ZH_ASKING.search(rest) else re.sub(rf"^{_ZH_LEAD}", "", rest)
        return Followup(move, unit=m.group("unit"), rest=rest)
    if _ZH_ENDS_HANGING.search(q) or re.match(r"^\s*(?:那么|那|还有|另外)", q):
        body = re.sub(_ZH_BARE_END, "", re.sub(rf"^{_ZH_LEAD}", "", q)).strip()
        if body and not ZH_ASKING.search(body) and len(body) <= 40:
            return Followup(Move.SWITCH, slot=body)
    if m := next((m for m in _ZH_PRONOUN.finditer(q) if not m.group(0).startswith("本") or _word_starts(q, m.start())), None):
        kind = "document" if m.group("doc") else "place" if m.group("place") else "provision" if m.group("prov") else "document"
        return Followup(Move.PRONOUN, span=m.span(), pronoun=m.group(0), refers_to=kind, rest=q)
    if m := _ZH_QI.match(q):
        return Followup(Move.PRONOUN, span=(m.end() - 1, m.end()), pronoun="其", refers_to="document", rest=q)
    return Followup(Move.NONE)


# --- English -------------------------------------------------------------------------------------------

_EN_UNITS = {
    "article": "条", "clause": "条", "provision": "条", "chapter": "章", "section": "节", "item": "项", "measure": "项",
    "point": "项", "task": "项", "paragraph": "项", "category": "类", "one": "项", "part": "项",
}  # fmt: skip
_EN_UNIT = "|".join(_EN_UNITS)
_EN_STEP = re.compile(
    rf"\b(?:the\s+)?(?P<dir>next|following|previous|preceding|one\s+before|one\s+after)\s*(?P<unit>{_EN_UNIT})?\b", re.I
)
_EN_SWITCH = re.compile(
    r"^\s*(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|what\s+of|and\s+for|same\s+for|and|also)\s+"
    r"(?P<slot>.+?)\s*[?.!]*\s*$",
    re.I,
)
_EN_NARROW = re.compile(
    r"^\s*(?:and\s+)?(?:among\s+(?:them|these|those|it)|of\s+(?:these|those|them|which|that|this)|in\s+particular|"
    r"specifically|within\s+(?:it|that|this|them)|out\s+of\s+(?:that|these|those|them)|of\s+the\s+(?:total|above))\s*[,:]?\s*",
    re.I,
)
_EN_PRONOUN = re.compile(
    rf"\b(?P<doc>(?:this|that|these|those|the\s+same)\s+{EN_DOC})\b"
    r"|\b(?P<place>(?:this|that|the\s+same)\s+(?:province|city|region|area|place))\b"
    r"|\b(?P<prov>(?:this|that|the\s+same)\s+(?:article|clause|item|provision))\b"
    r"|\b(?P<its>its|their)\b|\b(?P<it>it|they|them)\b",
    re.I,
)


def _en(question: str) -> Followup:
    q = question.strip()
    if m := _EN_NARROW.match(q):
        return Followup(Move.NARROW, rest=q[m.end() :])
    if m := _EN_STEP.search(q):
        unit = _EN_UNITS.get((m.group("unit") or "item").lower(), "项")
        move = Move.NEXT if m.group("dir").lower() in ("next", "following", "one after") else Move.PREVIOUS
        rest = (q[: m.start()] + q[m.end() :]).strip()
        rest = rest if EN_ASKING.search(re.sub(r"^(?:and\s+)?(?:what|how)\s+about\b", "", rest, flags=re.I)) else ""
        return Followup(move, unit=unit, rest=rest)
    if m := _EN_SWITCH.match(q):
        slot = m.group("slot")
        if not EN_ASKING.search(slot) and len(slot.split()) <= 8:
            return Followup(Move.SWITCH, slot=slot)
    if m := _EN_PRONOUN.search(q):
        kind = "place" if m.group("place") else "provision" if m.group("prov") else "document"
        return Followup(Move.PRONOUN, span=m.span(), pronoun=m.group(0), refers_to=kind, rest=q)
    return Followup(Move.NONE)


def read_followup(question: str, lang: str) -> Followup:
    """The move a question makes against the previous turn (Move.NONE: it stands on its own)."""
    return _zh(question) if lang == "zh" else _en(question)
