"""The moves a follow-up makes against the previous turn's frame, one small strategy each: a switch (another
place, period, document, provision or topic: rag.frames.switch, which a question's parts use too), a step
to the next or previous provision along the article's outline, a pronoun (它, 该办法, 本条例, its) standing
for the frame's document, place or provision, and a narrowing inside its topic. Each returns a Change of the
frame, or None when the frame does not say what the follow-up needs (下一条 after a question with no
provision and no known section)."""

from __future__ import annotations

from collections.abc import Callable

from rag.catalogue import title_of
from rag.conversation.followup import Followup, Move
from rag.frames import Change, Context, Frame
from rag.frames.render import content_tail, document_phrase, english_place, predicate_of, provision_question
from rag.frames.slots import DOC_NOUN, Ref, en_mention, split_tail
from rag.frames.switch import switch
from rag.intent import language
from rag.text import compact


def switch_move(frame: Frame, question: str, f: Followup, context: Context) -> Change | None:
    return switch(frame, f.slot, context)


def _counts(ref: Ref, unit: str) -> bool:
    """Whether a reference is counted in the follow-up's unit (下一条 counts 第二十六条 and 第（十二）条)."""
    style = ref.style[3:] if ref.style.startswith("en:") else ref.style
    style = {"article": "条", "clause": "条", "chapter": "章", "section": "节", "item": "项", "measure": "项", "point": "项"}.get(
        style, style
    )
    if style == unit:
        return True
    if style == "paren":
        return unit in "条项款点个类"
    return unit in "项个类点" and style in "项个类点"


def step(frame: Frame, question: str, f: Followup, context: Context) -> Change | None:
    """下一条呢？, 上一项规定了什么？, the next article: the provision the frame names moved by one; else the
    labelled paragraph it names (物流服务机器人 → 医疗服务机器人); else the section it was answered from, moved
    along the outline at the depth the unit counts."""
    by, how, outline = (1 if f.move == Move.NEXT else -1), str(f.move), context.catalogue.outline
    own = [r for r in frame.refs if _counts(r, f.unit)]
    if own:
        old = own[-1]
        new = old.moved(by)
        if new is None:
            return None
        if f.rest:
            return Change(how, document_phrase(frame) + new + predicate_of(f.rest, frame.lang), frame.document)
        text, section = provision_question(frame, outline, old, new, old.number + by)
        return Change(how, text, frame.document, section)
    q = frame.text
    if found := outline.label_step(q, by, frame.document):
        old_label, new_label = found
        replaced = q.replace(old_label, new_label) if old_label in q else q
        if compact(q).find(compact(old_label)) >= 0 and replaced != q:
            text = replaced if not f.rest else document_phrase(frame) + new_label + predicate_of(f.rest, frame.lang)
            return Change(how, text, frame.document)
    if not (frame.document and frame.section):
        return None
    path = outline.step(frame.document, frame.section, by, outline.part_for(frame.document, frame.section, f.unit))
    if not path:
        return None
    title, phrase = title_of(path[-1]), document_phrase(frame)
    if frame.lang != "zh":  # the outline's words are Chinese: named as they stand (Anhui: 4. 加速算力设施协同部署)
        ask = predicate_of(f.rest, "en").rstrip(" ?.") if f.rest else ""
        text = f"{ask} — {phrase}: {path[-1]}?" if ask else f"{phrase}: {path[-1]}{content_tail('en')}"
        return Change(how, text, frame.document, path)
    head = phrase + (f"的“{title}”" if title and len(title) >= 4 else path[-1].replace(" ", ""))
    tail = predicate_of(f.rest, frame.lang) if f.rest else content_tail(frame.lang)
    return Change(how, head + tail, frame.document, path)


def pronoun(frame: Frame, question: str, f: Followup, context: Context) -> Change | None:
    """它的目标是什么？, 该办法…, 本条例…, 这个地区…, its targets: the pronoun replaced by what the frame names."""
    s, e = f.span
    if frame.lang == "en" or language(question) == "en":
        return _pronoun_en(frame, question, f)
    if f.refers_to == "place":
        if not frame.places:
            return None
        (ps, pe), _ = frame.places[0]
        return Change("pronoun", question[:s] + frame.text[ps:pe] + question[e:], frame.document)
    phrase = document_phrase(frame)
    if f.refers_to == "provision":
        own = frame.refs
        ref = own[-1].text if own else (frame.section[-1].split(" ")[0] if frame.section else "")
        return Change("pronoun", question[:s] + phrase + ref + question[e:], frame.document)
    if not phrase:
        return None
    noun = DOC_NOUN.search(f.pronoun)
    if noun and not DOC_NOUN.search(phrase):
        phrase += "的" + noun.group(0)
    return Change("pronoun", question[:s] + phrase + question[e:], frame.document)


def _pronoun_en(frame: Frame, question: str, f: Followup) -> Change | None:
    s, e = f.span
    place = english_place(frame)
    if f.refers_to == "place":
        return Change("pronoun", question[:s] + place + question[e:], frame.document) if place else None
    found = en_mention(frame.text, place)
    phrase = found[1] if found else place
    if not phrase:
        return None
    if f.pronoun.lower() in ("its", "their"):
        phrase = phrase + "'s" if not phrase.endswith("s") else phrase + "'"
    return Change("pronoun", question[:s] + phrase + question[e:], frame.document)


def narrow(frame: Frame, question: str, f: Followup, context: Context) -> Change | None:
    """其中关于人才有什么措施？, 具体到农业呢？, among them: the frame's subject kept, the follow-up inside it."""
    if frame.lang != "zh":
        return Change("narrow", f"{frame.text.rstrip('?. ')}: {f.rest or question}", frame.document)
    subject, predicate = split_tail(frame.text, "zh")
    if f.slot:
        return Change("narrow", f"{subject}，其中{f.slot}{predicate}", frame.document)
    return Change("narrow", f"{subject}，{question.strip()}", frame.document)


Strategy = Callable[[Frame, str, Followup, Context], Change | None]
STRATEGIES: dict[Move, Strategy] = {
    Move.SWITCH: switch_move,
    Move.NEXT: step,
    Move.PREVIOUS: step,
    Move.PRONOUN: pronoun,
    Move.NARROW: narrow,
}
