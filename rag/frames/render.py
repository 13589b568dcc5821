"""How a changed frame reads as a question: naming its document again, a place or period replaced in the
words the question used (keeping their 地区 or 到), a provision's content asked for. Text is made here only
for what a person reads (理解为：…, ``resolved_question``) and what the embedder and BM25 read; the frame's
fields are the constraints."""

from __future__ import annotations

import re

from rag.catalogue import Outline, entry_of, title_of
from rag.frames.frame import Frame
from rag.frames.slots import DOC_NOUN, Ref, asks, short_title

_ASKS_ITEM = re.compile(r"是什么|什么内容|哪一?项|讲了?什么|说了?什么|规定了?什么|怎么规定|如何规定|what (?:is|does)")


def asks_item(question: str) -> bool:
    """Whether a question asks what a numbered item is (第一项任务是什么, 是什么内容)."""
    return bool(_ASKS_ITEM.search(question))


def document_phrase(frame: Frame) -> str:
    """How to name again what a frame is about: its own words for the document, else the document's title,
    else its place."""
    mention = frame.mention
    if frame.lang != "zh":
        return mention or english_place(frame)
    if mention and (DOC_NOUN.search(mention) or not frame.document):
        # Words that name the document without its place (河南那个制造业…行动计划: 制造业…行动计划) get it back.
        place = entry_of(frame.document).place if frame.document else ""
        return place + mention if place and place not in mention and not mention.startswith("《") else mention
    if frame.document:
        return short_title(frame.document)
    if frame.places:
        (s, e), _ = frame.places[0]
        return frame.text[s:e]
    return mention


def english_place(frame: Frame) -> str:
    """An English frame's first place, capitalised as a name (the eastern region → The Eastern Region)."""
    if frame.lang == "en" and frame.places:
        (s, e), _ = frame.places[0]
        return " ".join(w[:1].upper() + w[1:] for w in frame.text[s:e].split())
    return ""


def with_document(frame: Frame, name: str) -> str:
    """The frame's question with its document named by ``name`` instead (河南的行动计划): its own mention
    replaced, or its place, or ``name`` put in front."""
    q = frame.text
    if frame.document_span:
        s, e = frame.document_span
        noun = DOC_NOUN.search(q[s:e])
        if noun and not DOC_NOUN.search(name):
            name = name + "的" + noun.group(0)
        return q[:s] + name + q[e:]
    if frame.places:
        (s, e), _ = frame.places[0]
        return q[:s] + name + q[e:]
    return name + q


def with_suffix(new: str, old: str) -> str:
    """A place replaced keeps the old one's 地区 when the new one has no suffix of its own: 京津冀地区 + 长三角 →
    长三角地区."""
    suffix = re.search(r"(?:地区|新区)$", old)
    if suffix and not re.search(r"(?:地区|新区|省|市|区|县)$", new):
        return new + suffix.group(0)
    return new


def with_lead(old: str, new: str) -> str:
    """A period replaced, keeping the old one's 到/截至 when the new one has none: 到2027年 + 2025年 → 到2025年."""
    lead = re.match(r"(?:到|截至|截止|至|在)\s*", old)
    if lead and not re.match(r"(?:到|截至|截止|至|在)", new):
        return lead.group(0) + new
    return new


def content_tail(lang: str) -> str:
    return "规定了什么？" if lang == "zh" else " — what does it say?"


def predicate_of(rest: str, lang: str) -> str:
    """A follow-up's own predicate after the thing it points at (下一条规定了什么 → 规定了什么？)."""
    rest = rest.strip()
    if lang == "zh":
        rest = re.sub(r"^(?:那么|那|的)", "", rest)
    return rest if asks(rest, lang) else content_tail(lang)


def item_path(frame: Frame, outline: Outline, old: Ref, number: int) -> tuple[str, ...]:
    """The section of the ``number``-th item under the section the frame's words quote (保障措施第（五）条, “适度超前
    建设网络基础设施”下面第二项), in its document's outline; () when it quotes none, or the provision is an
    article, chapter or section (numbered through the whole document, not within a section)."""
    if old.style in ("条", "章", "节") or not frame.document:
        return ()
    parent = outline.locate(frame.text, frame.document)
    child = outline.child(parent[0], parent[1], number) if parent else None
    return child or ()


def provision_question(frame: Frame, outline: Outline, old: Ref, new: str, number: int) -> tuple[str, tuple[str, ...]]:
    """The frame's question about provision ``new`` (the ``number``-th) in place of ``old``, and the section it
    is in when the outline says: as the question asked when it asked what the provision says (or what an item
    is), else what the new provision says (a figure of the old one is no question about the new one). An item
    counted inside a quoted section gets its title (第二项（培育智能工厂）): retrieval meets its words."""
    q = frame.text
    path = item_path(frame, outline, old, number)
    title = title_of(path[-1]) if path and old.style != "paren" else ""
    if frame.intent.asks_content or asks_item(q):
        replaced = q[: old.span[0]] + new + q[old.span[1] :]
        if not title:
            return replaced, path
        at = old.span[0] + len(new)
        tail = re.match(r"[\u4e00-\u9fff]{0,2}?(?:任务|内容|措施|举措|类|项)?", replaced[at:])
        at += tail.end() if tail else 0
        return f"{replaced[:at]}（{title}）{replaced[at:]}", path
    head = q[: old.span[0]] + new + (f"（{title}）" if title else "")
    return head + content_tail(frame.lang), path


def tidy(question: str) -> str:
    question = re.sub(r"[，,]{2,}", "，", question)
    return re.sub(r"\s{2,}", " ", question).strip()
