"""A follow-up, made a standalone question against the conversation before it is answered.

The follow-up's move (rag.conversation.followup) is applied to the previous turn's frame
(rag.conversation.frame): a switch replaces the piece of the previous question of the same kind (its place,
period, provision, document or topic), a step moves along the article's outline, a pronoun is replaced by
the document, place or provision the previous turn was about, and a narrowing keeps the previous question's
subject. A self-contained question is left as it is. Rules only: string work on two short questions and
look-ups in structures built once per index, well under a millisecond a turn. With an LLM loaded the model
may write the question instead (rag.conversation.rewrite), checked against what the rules found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from rag.answer.answerability import Judge
from rag.conversation.followup import DOC_NOUN, EN_DOC_NOUN, Followup, Move, read_followup
from rag.conversation.frame import (
    Frame,
    Ref,
    asks,
    en_mention,
    en_places,
    period_spans,
    place_kind,
    refs,
    short_title,
    split_tail,
    zh_mention,
    zh_places,
)
from rag.conversation.outline import Outline, title_of
from rag.errors import UserError
from rag.intent import language, period_of, read_intent, regions_named
from rag.language import labels
from rag.query import normalize_query, printable
from rag.text import compact
from rag.types import PATH_SEP, Chunk

# Only the last turns matter to a follow-up; a long history costs time and can only mislead.
MAX_TURNS = 8
MAX_HISTORY = 50  # turns a client may send at all


class HistoryError(UserError, ValueError):
    """The conversation history sent with a question cannot be read; the message says why."""


@dataclass(frozen=True)
class Turn:
    """One earlier turn as a client sends it: the question, and optionally what we answered and where from."""

    question: str
    answer: str = ""
    resolved: str = ""  # the question as the system understood it (our own JSON's resolved_question)
    article: str = ""  # the cited passage's article and section, when the client kept them
    section: str = ""


def read_history(raw) -> list[Turn]:
    """History as the API, the JSONL file and the app give it: a list of {question, answer?, …} (or its
    JSON text); None or empty for none."""
    if raw is None or raw == "" or raw == []:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise HistoryError(f"history is not JSON: {exc}") from None
    if not isinstance(raw, list):
        raise HistoryError("history must be a list of {question, answer?} turns")
    if len(raw) > MAX_HISTORY:
        raise HistoryError(f"history has {len(raw)} turns; at most {MAX_HISTORY} are accepted")
    turns = []
    for n, item in enumerate(raw, 1):
        if isinstance(item, str):
            item = {"question": item}
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise HistoryError(f"history turn {n} has no question text")
        fields = {k: item.get(k) or "" for k in ("answer", "resolved", "article", "section")}
        if "resolved_question" in item and not fields["resolved"]:
            fields["resolved"] = item.get("resolved_question") or ""
        if any(not isinstance(v, str) for v in fields.values()):
            raise HistoryError(f"history turn {n}: answer, resolved, article and section must be text")
        turns.append(Turn(printable(item["question"]).strip(), **{k: printable(v) for k, v in fields.items()}))
    return [t for t in turns if t.question]


@dataclass(frozen=True)
class Resolution:
    question: str  # what is answered: the follow-up made standalone, or the question as it came
    how: str  # none (no history) | self-contained | switch:<kind> | next | previous | pronoun | narrow | llm | unresolved
    asked: str = ""  # the question as typed

    @property
    def changed(self) -> bool:
        return self.question != self.asked


class Resolver:
    """Follow-up resolution over one index: its articles' outline and titles are read once."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        judge: Judge,
        lexical: Callable[[str], Chunk | None] | None = None,
        english_terms: Callable[[str], Iterable[str]] | None = None,
    ) -> None:
        """``lexical``: the passage a question matches best (BM25), for a turn whose passage is not known;
        ``english_terms``: the Chinese terms of an English word (rag.crosslingual), for English switches."""
        self.chunks, self.judge, self.lexical, self.english_terms = chunks, judge, lexical, english_terms
        self.outline = Outline(chunks)
        self.titles = list(judge.titles)
        # Each article's passages in the matching form, to find the passage an earlier answer quoted.
        self._texts: dict[str, list[tuple[str, Chunk]]] = {}
        for c in chunks:
            if c.kind == "section":
                self._texts.setdefault(c.article, []).append((compact(c.text), c))
        # The word segmenter loads once (≈1 s) and the place patterns compile: here, not in a user's first follow-up.
        _words("预热", "zh")
        en_places("warm up")
        zh_places("预热", ())  # the gazetteer's forms (≈0.3 s once CC-CEDICT is read)

    # --- the frame of the previous turn ---------------------------------------------------------------

    def frame(self, history: Sequence[Turn]) -> Frame | None:
        """The last turn's frame, each earlier turn resolved against the one before it."""
        frame: Frame | None = None
        for turn in list(history)[-MAX_TURNS:]:
            question = turn.resolved or (self._apply(turn.question, frame)[0] if frame else turn.question)
            frame = self._frame(question, turn) or frame
        return frame

    def _frame(self, question: str, turn: Turn) -> Frame | None:
        try:
            query = normalize_query(question, 2000)
        except UserError:
            return None
        lang = language(query)
        intent = read_intent(query)
        article = turn.article or self.judge.named_article(query, intent)
        section: tuple[str, ...] = tuple(turn.section.split(PATH_SEP)) if turn.article and turn.section else ()
        if lang == "zh":
            mention = zh_mention(question, self.titles, article)
            places = zh_places(question, intent.regions)
        else:
            m = en_mention(question)
            mention = m[0] if m else None
            places = en_places(question)
        return Frame(question, lang, intent, article or None, section, mention, places, turn.answer)

    def _answered_from(self, frame: Frame) -> Frame:
        """The frame with the article and section its turn was answered from, when they were not sent:
        only a step (下一条) needs them, so they are looked for only then."""
        if frame.article and frame.section:
            return frame
        found = self._where_answered(frame.question, frame.answer, frame.article)
        if not found:
            return frame
        return replace(frame, article=frame.article or found[0], section=frame.section or found[1])

    def _where_answered(self, question: str, answer: str, article: str | None) -> tuple[str, tuple[str, ...]] | None:
        """The article and section a turn was answered from: a provision the question names, a section title
        it quotes, the passage holding the answer's words, or the best lexical match of the question."""
        lang = language(question)
        for ref in sorted(labels(question)):
            if found := self.outline.find(ref, article):
                return found
        if found := self.outline.locate(question, article):
            return found
        for sentence in re.split(r"[。；！？!?\n]|\[\d+\]", answer or ""):
            flat = compact(sentence)
            if len(flat) >= 8:
                pool = self._texts.get(article, []) if article else (x for xs in self._texts.values() for x in xs)
                chunk = next((c for text, c in pool if flat in text), None)
                if chunk is not None:
                    return chunk.article, tuple(chunk.section.split(PATH_SEP)) if chunk.section else ()
        if self.lexical is not None and lang == "zh":
            chunk = self.lexical(question)
            if chunk is not None and (article is None or chunk.article == article):
                return chunk.article, tuple(chunk.section.split(PATH_SEP)) if chunk.section else ()
        return None

    # --- resolving --------------------------------------------------------------------------------------

    def resolve(
        self, question: str, history: Sequence[Turn], rewrite: Callable[[Frame, str, str], str | None] | None = None
    ) -> Resolution:
        """The question to answer. ``rewrite`` (an LLM's, rag.conversation.rewrite) is asked for follow-ups
        when given: (frame, follow-up, the rules' resolution or "") -> a question or None."""
        asked = printable(question).strip()
        if not history:
            return Resolution(asked, "none", asked)
        if not self._leans_back(asked):
            return Resolution(asked, "self-contained", asked)  # no frame needed: nothing is taken from it
        frame = self.frame(history)
        if frame is None:
            return Resolution(asked, "unresolved", asked)
        resolved, how = self._apply(asked, frame)
        if rewrite is not None:
            written = rewrite(frame, asked, resolved if how != "unresolved" else "")
            if written:
                return Resolution(written, "llm", asked)
        return Resolution(resolved, how, asked)

    def _leans_back(self, question: str) -> bool:
        """Whether a question needs the one before it: it makes a follow-up move, and a bare 它 or it is
        not answered by a place or document the question names itself (河南的行动计划，它的目标是什么)."""
        f = read_followup(question, language(question))
        if f.move == Move.NONE:
            return False
        if f.move == Move.PRONOUN and f.pronoun.lower() in ("它", "它们", "it", "its", "they", "their", "them"):
            try:
                query = normalize_query(question, 2000)
            except UserError:
                return False
            intent = read_intent(query)
            if intent.regions or self.judge.named_article(query, intent):
                return False
        return True

    def _apply(self, question: str, frame: Frame) -> tuple[str, str]:
        if not self._leans_back(question):
            return question, "self-contained"
        f = read_followup(question, language(question))
        out: tuple[str, str] | None = None
        if f.move == Move.SWITCH:
            out = self._switch(frame, f)
        elif f.move in (Move.NEXT, Move.PREVIOUS):
            out = self._step(self._answered_from(frame), f)
        elif f.move == Move.PRONOUN:
            # The turn's own words or article name what 它 is; only when they do not, where it was answered.
            named = f.refers_to == "document" and (frame.mention or frame.article)
            out = self._pronoun(question, frame if named else self._answered_from(frame), f)
        elif f.move == Move.NARROW:
            out = self._narrow(question, frame, f)
        if out is None or not out[0].strip():
            return question, "unresolved"
        return _tidy(out[0]), out[1]

    # SWITCH -------------------------------------------------------------------------------------------

    def _switch(self, frame: Frame, f: Followup) -> tuple[str, str] | None:
        slot, lang = f.slot, frame.lang
        if lang == "zh":
            slot = re.sub(r"的$", "", slot).strip()
        slot_refs = refs(slot, lang)
        if slot_refs:
            return self._switch_ref(frame, slot_refs[0])
        slot_lang = language(slot)
        period = period_of(slot, slot_lang)
        places = zh_places(slot, regions_named(slot, "zh")) if slot_lang == "zh" else en_places(slot)
        names_doc = bool(DOC_NOUN.search(slot) if slot_lang == "zh" else EN_DOC_NOUN.search(slot))
        if period and not places and not names_doc:
            return self._switch_period(frame, slot)
        if names_doc and lang == "zh":
            return _replace_doc(frame, self._document_name(slot)), "switch:document"
        if places:
            return self._switch_place(frame, slot, places[0][1]), "switch:place"
        return _switch_topic(frame, slot), "switch:topic"

    def _switch_ref(self, frame: Frame, new: Ref) -> tuple[str, str] | None:
        q = frame.question
        old = next((r for r in refs(q, frame.lang) if _same_style(r, new)), None)
        if old is not None:
            changed = q[: old.span[0]] + new.text + q[old.span[1] :]
            if frame.intent.asks_content or asks_item(q):
                return self._named_item(changed, frame, old, new.text, new.number), "switch:provision"
            return _content_question(changed[: old.span[0] + len(new.text)], frame.lang), "switch:provision"
        return _content_question(_doc_phrase(frame, self.titles) + new.text, frame.lang), "switch:provision"

    def _switch_period(self, frame: Frame, slot: str) -> tuple[str, str]:
        q, lang = frame.question, frame.lang
        new = period_spans(slot, language(slot))
        if not new:
            return f"{slot}，{q}" if lang == "zh" else f"{q.rstrip('?')} in {slot}?", "switch:period"
        (ns, ne), kind = new[0]
        old = [(span, k) for span, k in period_spans(q, lang) if k == kind] or period_spans(q, lang)
        if not old:
            return (f"{slot}，{q}" if lang == "zh" else f"{q.rstrip('?')} in {slot}?"), "switch:period"
        (s, e), _ = old[0]
        return q[:s] + _keep_prefix(q[s:e], slot[ns:ne]) + q[e:], "switch:period"

    def _switch_place(self, frame: Frame, slot: str, new_place: str) -> str:
        q = frame.question
        kind = place_kind(new_place)
        same = [p for p in frame.regions if place_kind(p[1]) == kind] or frame.regions
        new_article = self._article_of_place(new_place)
        switches_document = bool(frame.article and new_article and new_article != frame.article)
        if frame.lang != "zh":
            if not same:
                return f"{q.rstrip('?')} in {slot}?"
            (s, e), _ = same[0]
            if q[max(0, s - 4) : s].lower() == "the " and slot.lower().startswith("the "):
                slot = slot[4:]
            q = q[:s] + slot + q[e:]
            return self._without_title_words(q, frame.article, new_article) if switches_document else q
        if frame.mention and switches_document:
            # The previous question named its document by words of that title: name the new document instead.
            return _replace_doc(frame, short_title(new_article) if new_article else slot)
        if same:
            (s, e), _ = same[0]
            return q[:s] + _with_suffix(slot, q[s:e]) + q[e:]
        if frame.mention:
            return _replace_doc(frame, slot)
        return slot + q

    def _without_title_words(self, question: str, old: str | None, new: str | None) -> str:
        """An English question switched to another document, less the words that named the old one (its
        title's terms: 'AI and service robots' of Chongqing's plan when the question moves to Beijing's)."""
        if self.english_terms is None or not old or not new:
            return question
        old_flat, new_flat = compact(old).lower(), compact(new).lower()

        def names_old(word: str) -> bool:
            terms = {word.lower(), *(compact(t).lower() for t in self.english_terms(word))}
            return any(t in old_flat for t in terms if t) and not any(t in new_flat for t in terms if t)

        words = list(re.finditer(r"[A-Za-z][\w'-]*", question))
        dropped = [w.group(0).lower() not in _EN_KEEP and names_old(w.group(0)) for w in words]
        # A joining word between two dropped words goes with them (AI and service robots).
        for i in range(1, len(words) - 1):
            if words[i].group(0).lower() in ("and", "or", "&") and dropped[i - 1] and dropped[i + 1]:
                dropped[i] = True
        for w, drop in reversed(list(zip(words, dropped, strict=True))):
            if drop:
                question = question[: w.start()] + question[w.end() :]
        # Joining words left with nothing to join (for and ?) go too.
        joining = r"and|or|of|for|on|about|in|the|to|with|at|from|into|towards?|regarding|&"
        question = re.sub(rf"(?:\s+(?:{joining}))+\s*(?=[?.!]|$)", "", question, flags=re.I)
        return re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", question)).strip()

    def _document_name(self, slot: str) -> str:
        """A document a follow-up switches to by a generic name (重庆的行动计划), by its title when the name
        points at one article: retrieval then meets the title's own words."""
        try:
            query = normalize_query(slot, 2000)
        except UserError:
            return slot
        article = self.judge.named_article(query, read_intent(query))
        return short_title(article) if article else slot

    def _article_of_place(self, place: str) -> str | None:
        titles = [t for t in self.titles if place in t]
        return titles[0] if len(titles) == 1 else None

    # NEXT / PREVIOUS ------------------------------------------------------------------------------------

    def _step(self, frame: Frame, f: Followup) -> tuple[str, str] | None:
        by = 1 if f.move == Move.NEXT else -1
        q, how = frame.question, str(f.move)
        own = [r for r in refs(q, frame.lang) if _counts(r, f.unit)]
        if own:
            old = own[-1]
            new = old.moved(by)
            if new is None:
                return None
            changed = q[: old.span[0]] + new + q[old.span[1] :]
            if f.rest:
                return _doc_phrase(frame, self.titles) + new + _predicate(f.rest, frame.lang), how
            if frame.intent.asks_content or asks_item(q):
                return self._named_item(changed, frame, old, new, old.number + by), how
            return _content_question(changed[: old.span[0] + len(new)], frame.lang), how
        if found := self.outline.label_step(q, by, frame.article):
            old_label, new_label = found
            at = compact(q).find(compact(old_label))
            changed = q.replace(old_label, new_label) if old_label in q else q
            if at >= 0 and changed != q:
                return (
                    changed if not f.rest else _doc_phrase(frame, self.titles) + new_label + _predicate(f.rest, frame.lang)
                ), how
        if frame.article and frame.section:
            depth = self.outline.part_for(frame.article, frame.section, f.unit)
            path = self.outline.step(frame.article, frame.section, by, depth)
            if path:
                part = path[-1]
                title = title_of(part)
                if title and len(title) >= 4:
                    head = _doc_phrase(frame, self.titles) + "的“" + title + "”"
                else:
                    head = _doc_phrase(frame, self.titles) + part.replace(" ", "")
                return head + (_predicate(f.rest, frame.lang) if f.rest else _content_tail(frame.lang)), how
        return None

    def _named_item(self, question: str, frame: Frame, old: Ref, new: str, number: int) -> str:
        """An item counted inside a section the question quotes (“适度超前建设网络基础设施”下面第二项): its
        title added, so that retrieval meets the item's own words."""
        if old.style in ("条", "章", "节", "paren") or not frame.article:
            return question
        parent = self.outline.locate(frame.question, frame.article)
        if parent is None:
            return question
        child = self.outline.child(parent[0], parent[1], number)
        if child is None:
            return question
        title = title_of(child[-1])
        at = question.find(new) + len(new)
        tail = re.match(r"[\u4e00-\u9fff]{0,2}?(?:任务|内容|措施|举措|类|项)?", question[at:])
        at += tail.end() if tail else 0
        return f"{question[:at]}（{title}）{question[at:]}" if title else question

    # PRONOUN --------------------------------------------------------------------------------------------

    def _pronoun(self, question: str, frame: Frame, f: Followup) -> tuple[str, str] | None:
        s, e = f.span
        if frame.lang == "en" or language(question) == "en":
            return self._pronoun_en(question, frame, f)
        if f.refers_to == "place":
            if not frame.regions:
                return None
            (ps, pe), _ = frame.regions[0]
            return question[:s] + frame.question[ps:pe] + question[e:], "pronoun"
        phrase = _doc_phrase(frame, self.titles)
        if f.refers_to == "provision":
            own = refs(frame.question, "zh")
            ref = own[-1].text if own else (frame.section[-1].split(" ")[0] if frame.section else "")
            return question[:s] + phrase + ref + question[e:], "pronoun"
        if not phrase:
            return None
        noun = DOC_NOUN.search(f.pronoun)
        if noun and not DOC_NOUN.search(phrase):
            phrase += "的" + noun.group(0)
        return question[:s] + phrase + question[e:], "pronoun"

    def _pronoun_en(self, question: str, frame: Frame, f: Followup) -> tuple[str, str] | None:
        s, e = f.span
        place = _en_place_name(frame)
        if f.refers_to == "place":
            if not place:
                return None
            return question[:s] + place + question[e:], "pronoun"
        found = en_mention(frame.question, place)
        phrase = found[1] if found else (place or "")
        if not phrase:
            return None
        word = f.pronoun.lower()
        if word in ("its", "their"):
            phrase = phrase + "'s" if not phrase.endswith("s") else phrase + "'"
        return question[:s] + phrase + question[e:], "pronoun"

    # NARROW ---------------------------------------------------------------------------------------------

    def _narrow(self, question: str, frame: Frame, f: Followup) -> tuple[str, str]:
        if frame.lang != "zh":
            return f"{frame.question.rstrip('?. ')}: {f.rest or question}", "narrow"
        subject, predicate = split_tail(frame.question, "zh")
        if f.slot:
            return f"{subject}，其中{f.slot}{predicate}", "narrow"
        own = question.strip()
        return f"{subject}，{own}", "narrow"


# --- helpers -------------------------------------------------------------------------------------------


_ASKS_ITEM = re.compile(r"是什么|什么内容|哪一?项|讲了?什么|说了?什么|规定了?什么|怎么规定|如何规定|what (?:is|does)")


def asks_item(question: str) -> bool:
    """Whether a question asks what a numbered item is (第一项任务是什么, 是什么内容)."""
    return bool(
        re.search(r"是什么|什么内容|哪一?项|讲了?什么|说了?什么|规定了?什么|怎么规定|如何规定|what (?:is|does)", question)
    )


def _same_style(old: Ref, new: Ref) -> bool:
    return (
        old.style == new.style
        or {old.style, new.style} <= {"条", "paren"}
        or old.style.startswith("en:") == new.style.startswith("en:")
        and old.style[3:] == new.style[3:]
    )


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


def _with_suffix(new: str, old: str) -> str:
    """A place replaced keeps the old one's 地区 when the new one has no suffix of its own: 京津冀地区 + 长三角 →
    长三角地区."""
    suffix = re.search(r"(?:地区|新区)$", old)
    if suffix and not re.search(r"(?:地区|新区|省|市|区|县)$", new):
        return new + suffix.group(0)
    return new


def _keep_prefix(old: str, new: str) -> str:
    """A period replaced, keeping the old one's 到/截至 when the new one has none: 到2027年 + 2025年 → 到2025年."""
    lead = re.match(r"(?:到|截至|截止|至|在)\s*", old)
    if lead and not re.match(r"(?:到|截至|截止|至|在)", new):
        return lead.group(0) + new
    return new


def _doc_phrase(frame: Frame, titles: list[str]) -> str:
    """How to name again what the previous turn was about: its own words for the document, else the
    article's title, else its place."""
    mention = frame.mention_text
    if frame.lang != "zh":
        return mention or _en_place_name(frame)
    if mention and (DOC_NOUN.search(mention) or not frame.article):
        return mention
    if frame.article:
        return short_title(frame.article)
    if frame.regions:
        (s, e), _ = frame.regions[0]
        return frame.question[s:e]
    return mention


def _en_place_name(frame: Frame) -> str:
    if frame.lang == "en" and frame.regions:
        (s, e), _ = frame.regions[0]
        return " ".join(w[:1].upper() + w[1:] for w in frame.question[s:e].split())
    return ""


def _replace_doc(frame: Frame, slot: str) -> str:
    """The previous question with its document named by ``slot`` instead (河南的行动计划): its own mention
    replaced, or its place, or ``slot`` put in front."""
    q = frame.question
    if frame.mention:
        s, e = frame.mention
        old = q[s:e]
        noun = DOC_NOUN.search(old)
        if noun and not DOC_NOUN.search(slot):
            slot = slot + "的" + noun.group(0)
        return q[:s] + slot + q[e:]
    if frame.regions:
        (s, e), _ = frame.regions[0]
        return q[:s] + slot + q[e:]
    return slot + q


def _switch_topic(frame: Frame, slot: str) -> str:
    """The previous question about ``slot`` instead of its own topic: aligned on a word they share (物流服务
    机器人 → 医疗服务机器人, 5G基站 → 5G用户), else in place of the words before the predicate that are no
    place, period or document."""
    q, lang = frame.question, frame.lang
    if aligned := _aligned(q, slot, lang):
        return aligned
    subject, predicate = split_tail(q, lang)
    if lang != "zh":
        return f"{q.rstrip('?. ')}: {slot}?"
    fixed = [span for span, _ in frame.regions] + [span for span, _ in period_spans(subject, "zh")]
    if frame.mention:
        fixed.append(frame.mention)
    fixed += [m.span() for m in re.finditer(r"[，,]|在.{1,12}?方面|中", subject)]
    start = max((e for _, e in fixed if e <= len(subject)), default=0)
    start = start + (1 if subject[start : start + 1] == "的" else 0)
    return subject[:start] + slot + predicate


def _words(text: str, lang: str) -> list[tuple[int, int, str]]:
    if lang == "zh":
        from rag.tokenize import _jieba

        out, at = [], 0
        for tok in _jieba().lcut(text):
            out.append((at, at + len(tok), tok.lower()))
            at += len(tok)
        return out
    return [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"[\w'-]+", text)]


# Words a document switch never drops: they ask, or name no document.
_EN_KEEP = set("what which who how many much does do did is are was were the a an of to and in on for by plan plans".split())
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
    if start_i < 0 or end_i > len(qw):
        return None
    if n == len(sw):
        return None  # nothing new: the slot is already there
    s, e = qw[start_i][0], qw[end_i - 1][1]
    return q[:s] + slot + q[e:]


def _content_question(head: str, lang: str) -> str:
    return head + _content_tail(lang)


def _content_tail(lang: str) -> str:
    return "规定了什么？" if lang == "zh" else " — what does it say?"


def _predicate(rest: str, lang: str) -> str:
    """A follow-up's own predicate after the thing it points at (下一条规定了什么 → 规定了什么？)."""
    rest = rest.strip()
    if lang == "zh":
        rest = re.sub(r"^(?:那么|那|的)", "", rest)
    return rest if asks(rest, lang) else _content_tail(lang)


def _tidy(question: str) -> str:
    question = re.sub(r"[，,]{2,}", "，", question)
    return re.sub(r"\s{2,}", " ", question).strip()
