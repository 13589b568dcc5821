"""List questions, read from the question: 「哪些规划设定了2026年的目标？」「哪些地方的条例规定了公共数据授权运营？」
"Which plans set a target for 2026?" — the noun listed (a kind of document, or places, or bodies), what each listed
document must say, and the rows of the targets table a figure it asks for is. Answered over the catalogue by
rag.answer.survey. Part of the question's intent (rag.intent)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.intent.types import EN_AUX, AnswerType
from rag.language import issue_mentions, periods, places
from rag.language.documents import collective, kinds, kinds_listed


@dataclass(frozen=True)
class Listing:
    """A question that asks which documents (or places, or bodies) say something: answered from every document
    that can hold the answer (rag.answer.survey), not from the top passages."""

    noun: str  # what it lists, as the question says it: 规划, 条例, 文件, 地方, plans
    kinds: tuple[str, ...] = ()  # the kinds of document it checks (rag/language/kinds.tsv); () any document
    places: bool = False  # it lists places (哪些地方的条例, which provinces): documents of a place
    bodies: bool = False  # it lists bodies (哪些部门, which departments): documents by their issuing body (来源)
    predicate: str = ""  # what a listed document must say, in the question's words: 设定了2026年的目标
    # What a passage must be about: the predicate without its verb of saying (2026年的目标, 公共数据授权运营), one per
    # alternative it offers (推动数据资产化或开展数据资产评估: two)
    topics: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()  # the rows of the targets table a figure it asks for is: target, time_limit, penalty


# --- list questions --------------------------------------------------------------------------------
# 「哪些规划设定了2026年的目标？」「哪些地方的条例规定了公共数据授权运营？」"Which plans set a target for 2026?": the
# wh-word and the noun listed open the question (after an issue, a place, a period or a filler word: 本期, 广东省有,
# 资料库中), so that 「行动计划…支持哪些区域开展…」, which lists what one document names, is no list question.
_LIST_WH = r"分别有哪些|有没有哪些|哪些|哪几(?:个|份|部|项|家|类|座)?"
_LIST_FILLER = re.compile(r"^(?:[在于有中里的，,、\s]|资料库|资料|文件中|当中|里面|以来|目前|共|一共|都|还|已经?)*$")
_LIST_CUT = re.compile(r"[？?；;。!！]|，(?=分别|各自|都|具体)")
_PENALTY = re.compile(r"罚款|罚金|处罚|\bfines?\b|\bpenalt", re.I)


@lru_cache(maxsize=1)
def _zh_list() -> re.Pattern[str]:
    """哪些 + the noun listed (a collective noun or a kind of document), perhaps + the kind: 哪些地方的条例, 哪些地方文件
    (a kind right after a noun of places; after one of documents it is the verb: 哪些法规规定了…)."""
    nouns = "|".join(sorted({*collective(), *kinds()}, key=len, reverse=True))
    after = "|".join(sorted(kinds(("law", "rules", "official", "plan", "report", "generic")), key=len, reverse=True))
    return re.compile(rf"(?:{_LIST_WH})(?P<noun>{nouns})(?:的(?P<kind>{after})|(?P<bare>{after})(?![了过着]))?")


def _opens(query: str, start: int, lang: str) -> bool:
    """Whether only an issue, places, periods or filler words stand before ``start`` (the wh-word)."""
    head = query[:start]
    spans = [*issue_mentions(head, lang), *places(head, lang), *periods(head, lang)]
    for span in sorted(spans, key=lambda x: -x.start):
        head = head[: span.start] + head[span.end :]
    return bool(_LIST_FILLER.match(head))


def _rows(query: str, kind: AnswerType, target: bool) -> tuple[str, ...]:
    """The targets table's rows a list question asks for figures of."""
    rows = []
    if target:
        rows.append("target")
    if _PENALTY.search(query):
        rows.append("penalty")
    if kind in (AnswerType.DURATION, AnswerType.DEADLINE):
        rows.append("time_limit")
    return tuple(rows)


_SAID = re.compile(r"^[\u4e00-\u9fff]{1,3}了")  # 规定了, 设定了, 提到了: the verb of saying, with its 了
# 对X提出了…, 把X列为…, 将X作为…: the object of the preposition is what the documents are asked about.
_OBJECT = re.compile(r"^(?:对|把|将|就)(?P<object>.{2,}?)(?:提出|作出|作了|列为|作为|给予|进行|实行|予以|规定|明确|有)")
_OR = re.compile(r"或者|或是|或|\bor\b")
_LEADING = ("v", "vd", "ad", "d", "c")  # jieba's tags of verbs, adverbs and conjunctions: 要争取或加大…, 开展…


def _core(phrase: str) -> str:
    """A phrase without the verbs, adverbs and conjunctions it opens with (要争取或加大中央预算内投资支持 -> 中央预算内
    投资支持), unless nothing would be left."""
    import jieba.posseg

    words = jieba.posseg.lcut(phrase)
    k = 0
    while k < len(words) - 1 and words[k].flag in _LEADING:
        k += 1
    rest = phrase[sum(len(w.word) for w in words[:k]) :]
    return rest if len(rest) >= 2 else phrase


def _topics(predicate: str, lang: str) -> tuple[str, ...]:
    """What a list question's predicate is about: without the verb of saying that opens it (规定了, 提到, mention), the
    object of 对/把 (对首台（套）重大技术装备提出了支持措施 -> 首台（套）重大技术装备), without the verbs that act on it
    (开展数据资产评估 -> 数据资产评估); one per alternative when each is a phrase of its own (推动数据资产化或开展数据
    资产评估), not when 或 joins two verbs of one object (争取或加大…支持)."""
    if lang == "en":
        topic = predicate.split(" ", 1)[1] if " " in predicate else predicate
        return (topic,) if topic else ()
    topic = _SAID.sub("", predicate, count=1)
    if m := _OBJECT.match(topic):
        topic = m.group("object")
    topic = _core(topic)
    parts = [p.strip() for p in _OR.split(topic)]
    parts = parts if len(parts) > 1 and all(len(p) >= 4 for p in parts) else [topic]
    return tuple(_core(p) for p in parts if p)


def listing(query: str, lang: str, kind: AnswerType = AnswerType.TEXT, target: bool = False) -> Listing | None:
    """The list a question asks for, or None."""
    if lang == "zh":
        m = _zh_list().search(query)
        if m is None or not _opens(query, m.start(), lang):
            return None
        noun = m.group("noun")
        places_first = collective().get(noun, ("",))[0] in ("places", "bodies")
        own = m.group("kind") or (m.group("bare") if places_first else None) or ""
        end = m.end() if own else m.end("noun")
        predicate = _LIST_CUT.split(query[end:], 1)[0].strip()
    else:
        english = {en: zh for zh, (_, _, names) in collective().items() for en in names}
        english |= {en + "s": zh for zh, names in kinds().items() for en in names if not en.endswith("s")}
        words = "|".join(sorted(map(re.escape, english), key=len, reverse=True))
        m = re.match(rf"(?:in (?:this|the latest) issue,?\s*)?(?:which|what)\s+(?P<noun>{words})\b", query, re.I)
        if m is None or re.match(rf"\s+{EN_AUX}\b", query[m.end() :], re.I):
            return None  # "Which provinces does the guideline name": what one document lists
        noun, own, predicate = english[m.group("noun").lower()], "", _LIST_CUT.split(query[m.end() :], 1)[0].strip()
    lists = collective().get(noun, ("documents",))[0]
    return Listing(
        # 地方条例, 部门文件: places and bodies are listed by their documents
        noun=m.group("noun") if lang == "en" else noun + (own or ("" if lists == "documents" else "文件")),
        kinds=kinds_listed(own or noun) if (own or lists == "documents") else (),
        places=lists == "places",
        bodies=lists == "bodies",
        predicate=predicate,
        topics=_topics(predicate, lang),
        rows=_rows(query, kind, target),
    )
