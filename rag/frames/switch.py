"""Switches: the same question about another provision, period, document, place or topic — a follow-up
(那河南呢？, 到2027年呢？, 第十五条呢？, And Anhui?) or one part of a question of several (上海和深圳分别…).
One small strategy per slot; ``switch`` picks the one the new words fill. Each returns a Change: the
document the changed frame is about (a place switch may move to another province's document; a switch to a
document the library lacks keeps its name, so that the answer judge refuses it naming the closest titles),
and how the changed frame reads."""

from __future__ import annotations

import re

from rag.frames.frame import Change, Context, Frame, document_of
from rag.frames.render import document_phrase, provision_question, with_document, with_lead, with_suffix
from rag.frames.slots import (
    DOC_NOUN,
    EN_DOC_NOUN,
    Ref,
    Span,
    en_places,
    period_spans,
    place_kind,
    refs,
    short_title,
    split_tail,
    zh_places,
)
from rag.intent import language, period_of, read_intent, regions_named
from rag.places import bare
from rag.query import normalize_query
from rag.text import compact
from rag.tokenize import words


def switch(frame: Frame, slot: str, context: Context) -> Change:
    """The frame's question about ``slot`` (河南, 2024年, 第十五条, 安徽的方案, 居家服务机器人) in place of the
    thing of the same kind it named."""
    if frame.lang == "zh":
        slot = re.sub(r"的$", "", slot).strip()
    if slot_refs := refs(slot, frame.lang):
        return switch_provision(frame, slot_refs[0], context)
    lang = language(slot)
    places = zh_places(slot, regions_named(slot, "zh")) if lang == "zh" else en_places(slot)
    names_document = bool(DOC_NOUN.search(slot) if lang == "zh" else EN_DOC_NOUN.search(slot))
    if period_of(slot, lang) and not places and not names_document:
        return switch_period(frame, slot)
    if names_document and frame.lang == "zh":
        return switch_document(frame, slot, context)
    if places:
        return switch_place(frame, slot, places[0][1], context)
    return switch_topic(frame, slot)


def _same_style(old: Ref, new: Ref) -> bool:
    return (
        old.style == new.style
        or {old.style, new.style} <= {"条", "paren"}
        or old.style.startswith("en:") == new.style.startswith("en:")
        and old.style[3:] == new.style[3:]
    )


def switch_provision(frame: Frame, new: Ref, context: Context) -> Change:
    """第十五条呢？: the provision of the same style replaced, in the same document."""
    old = next((r for r in frame.refs if _same_style(r, new)), None)
    if old is None:
        text = document_phrase(frame) + new.text + ("规定了什么？" if frame.lang == "zh" else " — what does it say?")
        return Change("switch:provision", text, frame.document)
    text, section = provision_question(frame, context.catalogue.outline, old, new.text, new.number)
    return Change("switch:provision", text, frame.document, section)


def switch_period(frame: Frame, slot: str) -> Change:
    """到2025年呢？: the period of the same form replaced (a year for a year), keeping its 到; else added."""
    q, lang = frame.text, frame.lang
    new = period_spans(slot, language(slot))
    old = [(span, k) for span, k in frame.period_spans if new and k == new[0][1]] or frame.period_spans
    if not new or not old:
        text = f"{slot}，{q}" if lang == "zh" else f"{q.rstrip('?')} in {slot}?"
    else:
        (ns, ne), _ = new[0]
        (s, e), _ = old[0]
        text = q[:s] + with_lead(q[s:e], slot[ns:ne]) + q[e:]
    return Change("switch:period", text, frame.document)


def switch_document(frame: Frame, slot: str, context: Context) -> Change:
    """安徽的方案呢？, 那电商法呢？: the document the new words name, by its title (retrieval then meets the title's
    own words) — a short name, an abbreviation or a generic name pointing at one article are the same entry. A
    name the library lacks is kept as written: the answer refuses it."""
    title = entry(slot, context)
    return Change("switch:document", with_document(frame, short_title(title) if title else slot), title)


def entry(name: str, context: Context) -> str | None:
    """The catalogue entry a name means (rag.frames.document_of); None for a name the library lacks."""
    try:
        query = normalize_query(name, context.max_chars)
    except ValueError:
        return None
    return document_of(query, read_intent(query), context.catalogue)


def switch_place(frame: Frame, slot: str, new_place: str, context: Context) -> Change:
    """那河南呢？, And Anhui?: the place of the same kind replaced (a province for a province, a region for a
    region; a list of places named together, 湖南、广东、四川等地, as one). Where the frame's document is the old
    place's own (its title names it), the new place's document is the one about it, when one title names it,
    and a question that named the old document by words of its title names the new one instead; any other
    document stays (a national plan asked about another province)."""
    q = frame.text
    kind = place_kind(new_place)
    same = [p for p in frame.places if place_kind(p[1]) == kind] or list(frame.places)
    new_document = context.catalogue.article_of_place(new_place)
    follows_place = not frame.document or bool(same and bare(same[0][1]) in frame.document)
    document = new_document if follows_place else frame.document
    moves = bool(follows_place and frame.document and new_document and new_document != frame.document)
    span = _place_run(frame, same[0]) if same else None
    if frame.lang != "zh":
        return Change("switch:place", _english_place_switch(frame, slot, span, moves, new_document, context), document)
    if frame.document_span and moves:
        # The previous question named its document by words of that title: name the new document instead.
        return Change("switch:place", with_document(frame, short_title(new_document)), document)
    if span:
        s, e = span
        return Change("switch:place", q[:s] + with_suffix(slot, q[s:e]) + q[e:], document)
    if frame.document_span:
        return Change("switch:place", with_document(frame, slot), document)
    return Change("switch:place", slot + q, document)


# What joins places named together: 湖南、广东和四川; Hunan, Guangdong and Sichuan.
_JOINED = re.compile(r"\s*(?:、|,|和|与|及|以及|或|and|or)\s*(?:and\s+|or\s+)?", re.I)


def _place_run(frame: Frame, first: tuple[Span, str]) -> Span:
    """The span of ``first`` and the places joined to it (湖南、广东、四川、上海 of …等地): replaced as one."""
    (s, e), _ = first
    for (ps, pe), _ in frame.places:
        if ps >= e and _JOINED.fullmatch(frame.text[e:ps]):
            e = pe
    return s, e


def _english_place_switch(frame: Frame, slot: str, span: Span | None, moves: bool, new_document, context) -> str:
    q = frame.text
    if span is None:
        return f"{q.rstrip('?')} in {slot}?"
    s, e = span
    if q[max(0, s - 4) : s].lower() == "the " and slot.lower().startswith("the "):
        slot = slot[4:]
    q = q[:s] + slot + q[e:]
    return _without_title_words(q, frame.document, new_document, context) if moves else q


# Words a document switch never drops: they ask, or name no document.
_EN_KEEP = set("what which who how many much does do did is are was were the a an of to and in on for by plan plans".split())
_JOINING = r"and|or|of|for|on|about|in|the|to|with|at|from|into|towards?|regarding|&"


def _without_title_words(question: str, old: str | None, new: str | None, context: Context) -> str:
    """An English question switched to another document, less the words that named the old one (its
    title's terms: 'AI and service robots' of Chongqing's plan when the question moves to Beijing's)."""
    if context.english_terms is None or not old or not new:
        return question
    old_flat, new_flat = compact(old).lower(), compact(new).lower()

    def names_old(word: str) -> bool:
        terms = {word.lower(), *(compact(t).lower() for t in context.english_terms(word))}
        return any(t in old_flat for t in terms if t) and not any(t in new_flat for t in terms if t)

    found = list(re.finditer(r"[A-Za-z][\w'-]*", question))
    dropped = [w.group(0).lower() not in _EN_KEEP and names_old(w.group(0)) for w in found]
    # A joining word between two dropped words goes with them (AI and service robots).
    for i in range(1, len(found) - 1):
        if found[i].group(0).lower() in ("and", "or", "&") and dropped[i - 1] and dropped[i + 1]:
            dropped[i] = True
    for w, drop in reversed(list(zip(found, dropped, strict=True))):
        if drop:
            question = question[: w.start()] + question[w.end() :]
    # Joining words left with nothing to join (for and ?) go too.
    question = re.sub(rf"(?:\s+(?:{_JOINING}))+\s*(?=[?.!]|$)", "", question, flags=re.I)
    return re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", question)).strip()


def switch_topic(frame: Frame, slot: str) -> Change:
    """居家服务机器人呢？: the frame's question about ``slot`` instead of its own topic — aligned on a word they share
    (物流服务机器人 → 医疗服务机器人, 5G基站 → 5G用户), else in place of the words before the predicate that are no
    place, period or document."""
    q, lang = frame.text, frame.lang
    if aligned := _aligned(q, slot, lang):
        return Change("switch:topic", aligned, frame.document)
    subject, predicate = split_tail(q, lang)
    if lang != "zh":
        return Change("switch:topic", f"{q.rstrip('?. ')}: {slot}?", frame.document)
    fixed = [span for span, _ in frame.places] + [span for span, _ in period_spans(subject, "zh")]
    if frame.document_span:
        fixed.append(frame.document_span)
    fixed += [m.span() for m in re.finditer(r"[，,]|在.{1,12}?方面|中", subject)]
    start = max((e for _, e in fixed if e <= len(subject)), default=0)
    start = start + (1 if subject[start : start + 1] == "的" else 0)
    return Change("switch:topic", subject[:start] + slot + predicate, frame.document)


def _words(text: str, lang: str) -> list[tuple[int, int, str]]:
    if lang == "zh":
        out, at = [], 0
        for tok in words(text):
            out.append((at, at + len(tok), tok.lower()))
            at += len(tok)
        return out
    return [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"[\w'-]+", text)]


_FUNCTION = set("的 了 和 与 及 在 是 为 对 有 the a an of to and in on for is are".split())


def _aligned(q: str, slot: str, lang: str) -> str | None:
    """``q`` with the words matching ``slot`` replaced by it, aligned on the longest run of words they share
    (the shared words anchor where the slot goes)."""
    qw, sw = _words(q, lang), _words(slot, lang)
    best: tuple[int, int, int] | None = None  # (length, q index, slot index)
    for i in range(len(qw)):
        for j in range(len(sw)):
            n = 0
            while i + n < len(qw) and j + n < len(sw) and qw[i + n][2] == sw[j + n][2]:
                n += 1
            content = n and not all(sw[j + k][2] in _FUNCTION or not sw[j + k][2].strip() for k in range(n))
            if content and (best is None or n > best[0]):
                best = (n, i, j)
    if best is None:
        return None
    n, i, j = best
    start_i = i - j  # where the slot's first word falls in q
    end_i = start_i + len(sw)
    if start_i < 0 or end_i > len(qw) or n == len(sw):
        return None  # it does not fit, or nothing is new: the slot is already there
    s, e = qw[start_i][0], qw[end_i - 1][1]
    return q[:s] + slot + q[e:]
