"""A question of several parallel parts: the same thing asked of two or more places, documents, years or
provisions — 「东部地区和东北地区的…分别是多少」, 「A办法和B条例各有什么安排」, 「A与B哪个…」, "What do Shanghai
and Shenzhen require?", "…, and what about the northeast?". Read as frames that differ in one slot: the
question about the first item, and for each further item that frame switched to it (rag.frames.switch, the
machinery of a switch follow-up), so each part is retrieved and judged within its own document.

Only real parallel parts: the items are joined to each other (和, 与, 及, 、, and) and, in Chinese, the
question says it asks each (分别, 各有, 哪个) after them. A list of provisions a law cites (违反本法第十条、第十一条
规定的) asks one thing and is left whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.frames.frame import Context, Frame, changed
from rag.frames.slots import DOC_NOUN, Span
from rag.frames.switch import entry, switch
from rag.language import language, periods, places, provision_refs


@dataclass(frozen=True)
class Part:
    label: str  # the item as the question writes it: 上海, 云南办法, 2025年, 第十条, the northeast
    frame: Frame  # the question about this item alone


@dataclass(frozen=True)
class Items:
    """Items of one kind joined in a question: their spans, and the span they cover together."""

    kind: str  # place | document | period | provision
    spans: tuple[Span, ...]

    @property
    def span(self) -> Span:
        return self.spans[0][0], self.spans[-1][1]


# 分别; 各 before what is asked of each (各有, 各是, 各自); 哪个 of a comparison (A与B哪个更…).
_ZH_CUE = re.compile(
    r"分别|各自|各(?=有|是|为|要|需|应|占|达|提出|规定|设|定|给|对|在|怎么|怎样|如何|多少|几|哪些|什么)|哪一?个|哪家|哪一?部"
)
_ZH_JOIN = re.compile(r"\s*(?:、|和|与|及|以及|跟|同|或)\s*")
_EN_JOIN = re.compile(r"\s*(?:,\s*)?(?:and|or|&)\s+(?:the\s+)?|\s*,\s*", re.I)
_EN_AND = re.compile(r"\b(?:and|or)\b|&", re.I)
# ", and what about the northeast?": a second part asked as a follow-up inside the question.
_EN_TAIL = re.compile(r"\s*[,;]?\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<slot>[^?]+?)\s*\?*\s*$", re.I)


def split(query: str, context: Context) -> list[Part]:
    """The parts of a (normalised) question, one frame each; [] for a question of one part."""
    lang = language(query)
    if lang == "en" and (m := _EN_TAIL.search(query)) and m.start() > 0:
        return _tail_parts(query, m, context)
    cue = _ZH_CUE.search(query) if lang == "zh" else None
    if (lang == "zh" and cue is None) or (lang == "en" and not _EN_AND.search(query)):
        return []  # nothing asks for each part, or nothing is joined: one part (most questions, at once)
    items = _joined(query, lang, context, cue.start() if cue else len(query))
    if items is None:
        return []
    base_text = _one_part(query, items, cue)
    base = context.frame(base_text)
    if base is None:
        return []
    out = [Part(_label(query, items.spans[0]), base)]
    for s, e in items.spans[1:]:
        change = switch(base, query[s:e], context)
        out.append(Part(_label(query, (s, e)), changed(base, change, context)))
    return out


def _label(query: str, span: Span) -> str:
    text = query[span[0] : span[1]]
    return text[1:-1] if text.startswith("《") and text.endswith("》") else text


def _one_part(query: str, items: Items, cue: re.Match | None) -> str:
    """The question about the first item alone: the items replaced by it, the word asking each dropped."""
    (s, e), (first_s, first_e) = items.span, items.spans[0]
    text = query[:s] + query[first_s:first_e] + query[e:]
    if cue is not None:
        at = cue.start() - (e - s) + (first_e - first_s)
        text = text[:at] + text[at + len(cue.group(0)) :]
    return text


def _tail_parts(query: str, m: re.Match, context: Context) -> list[Part]:
    """ "…, and what about X?": the question before it, and that question switched to X."""
    first = query[: m.start()].rstrip(" ,;") + "?"
    base = context.frame(first)
    if base is None:
        return []
    slot = m.group("slot")
    own = [p.text for p in places(first, "en")]
    return [Part(own[0] if own else first, base), Part(slot, changed(base, switch(base, slot, context), context))]


def _joined(query: str, lang: str, context: Context, before: int) -> Items | None:
    """The first run of two or more items of one kind joined to each other, before ``before`` (the cue)."""
    spans_of = {
        "place": [p.span for p in places(query, lang) if p.place_kind != "country" or lang == "zh"],
        "period": [p.span for p in periods(query, lang) if not p.baseline],
        "provision": [r.span for r in provision_refs(query) if not r.implied],
    }
    join = _ZH_JOIN if lang == "zh" else _EN_JOIN
    for kind, spans in spans_of.items():
        run = _run([sp for sp in spans if sp[1] <= before], query, join)
        if run is not None and _distinct(query, run):
            return Items(kind, run)
    if lang == "zh" and (documents := _documents(query, before, context)):
        return Items("document", documents)
    return None


def _run(spans: list[Span], query: str, join: re.Pattern[str]) -> tuple[Span, ...] | None:
    """The first run of spans with only joining words between them."""
    spans = sorted(set(spans))
    for i in range(len(spans) - 1):
        run = [spans[i]]
        for nxt in spans[i + 1 :]:
            if nxt[0] >= run[-1][1] and join.fullmatch(query[run[-1][1] : nxt[0]]):
                run.append(nxt)
            else:
                break
        if len(run) >= 2:
            return tuple(run)
    return None


def _distinct(query: str, run: tuple[Span, ...]) -> bool:
    return len({query[s:e] for s, e in run}) == len(run)


_NAME_START = re.compile(r"(?:^|[，,。；;：:？?！!]|关于|按照|根据|依照|对比|比较|请问)\s*")
_ENDS_NAME = re.compile(rf"{DOC_NOUN.pattern}[》”\"」]?$")
_NAME_END = re.compile(rf"{DOC_NOUN.pattern}[》”\"」]?")


def _documents(query: str, before: int, context: Context) -> tuple[Span, ...] | None:
    """Two documents named side by side (A行动计划和B办法, 《A》与《B》): the words before a joining word back to
    the start of the clause, and after it up to the first document noun, each the name of a catalogue entry
    (or of a document the library lacks, which that part will say)."""
    for m in _ZH_JOIN.finditer(query, 0, before):
        if not _ENDS_NAME.search(query[: m.start()]):
            continue
        end = _NAME_END.search(query, m.end(), before)
        if end is None or re.search(r"[，,。；;：:？?]", query[m.end() : end.end()]):
            continue
        start = max((x.end() for x in _NAME_START.finditer(query, 0, m.start())), default=0)
        left, right = (start, m.start()), (m.end(), end.end())
        names = [query[s:e] for s, e in (left, right)]
        found = [entry(n, context) for n in names]
        known = [f is not None or bool(context.catalogue.resolve(n).absent) for f, n in zip(found, names, strict=True)]
        if all(known) and len(set(found)) == 2:
            return left, right
    return None
