"""A follow-up resolved against the conversation before it is answered: a structured change of the previous
turn's frame (rag.frames: its document, places, period, provisions, topic).

The follow-up's move (rag.conversation.followup) picks one small strategy (rag.conversation.moves): a switch
of place, period, document, provision or topic, a step along the article's outline, a pronoun standing for the
document, place or provision the previous turn was about, or a narrowing inside its topic. The changed frame
is what is answered: its document constrains retrieval and the answer (rag.answer.pipeline), and its words are
the 理解为 text (``resolved_question``). A self-contained question is left as it is. Each earlier turn's frame is
computed once and kept for the turns after it; rules only, well under a millisecond a turn. With an LLM loaded
the model may write the question instead (rag.conversation.rewrite), checked against what the rules found.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rag.catalogue.library import where
from rag.conversation.followup import Followup, Move, read_followup
from rag.conversation.moves import STRATEGIES
from rag.errors import UserError
from rag.frames import Change, Context, Frame, changed, document_of
from rag.frames.render import tidy
from rag.frames.slots import en_places, zh_places
from rag.intent import language, read_intent
from rag.language import labels
from rag.query import normalize_query, printable
from rag.text import compact
from rag.tokenize import words
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
    frame: Frame | None = None  # what the resolved follow-up is about: the answer's constraints (None: read its words)

    @property
    def changed(self) -> bool:
        return self.question != self.asked


# Bare pronouns: a question that names its own place or document (河南的行动计划，它的目标是什么) leans on nothing.
_BARE = ("它", "它们", "it", "its", "they", "their", "them")
_CACHED_HISTORIES = 512  # conversations whose frames are kept: a few per person using the app at once


class Resolver:
    """Follow-up resolution over one index's catalogue (titles, names, outlines: read once)."""

    def __init__(self, context: Context, lexical: Callable[[str], Chunk | None] | None = None) -> None:
        """``context``: the library's catalogue and what else changing a frame reads (rag.frames.Context, the
        answerer's); ``lexical``: the passage a question matches best (BM25), for a turn whose passage is not
        known."""
        self.context, self.lexical = context, lexical
        self.catalogue, self.max_chars = context.catalogue, context.max_chars
        # history (the last MAX_TURNS turns) -> its last turn's frame: each turn's frame is computed once
        self._frames: OrderedDict[tuple[Turn, ...], Frame | None] = OrderedDict()
        self._lock = threading.Lock()
        # The word segmenter loads once (≈1 s) and the place patterns compile: here, not in a user's first follow-up.
        words("预热")
        en_places("warm up")
        zh_places("预热", ())  # the gazetteer's forms (≈0.3 s once CC-CEDICT is read)
        self.catalogue.resolve("预热办法")  # jieba's part-of-speech tagger, which reads document names (≈0.3 s)

    # --- the frame of the previous turn ---------------------------------------------------------------

    def frame(self, history: Sequence[Turn]) -> Frame | None:
        """The last turn's frame, each earlier turn resolved against the one before it."""
        return self._frame_of(tuple(history)[-MAX_TURNS:])

    def _frame_of(self, turns: tuple[Turn, ...]) -> Frame | None:
        if not turns:
            return None
        with self._lock:  # the app answers several people at once
            if turns in self._frames:
                self._frames.move_to_end(turns)
                return self._frames[turns]
        before = self._frame_of(turns[:-1])
        frame = self._turn_frame(turns[-1], before) or before
        with self._lock:
            self._frames[turns] = frame
            if len(self._frames) > _CACHED_HISTORIES:
                self._frames.popitem(last=False)
        return frame

    def _turn_frame(self, turn: Turn, before: Frame | None) -> Frame | None:
        """A turn's frame: its question as the client says it was resolved, else resolved against the turn
        before; its document and section the cited passage's, when the client sent them."""
        text, document, section = turn.resolved or turn.question, turn.article or None, ()
        if turn.article and turn.section:
            section = tuple(turn.section.split(PATH_SEP))
        if not turn.resolved and before is not None and (change := self._change(turn.question, before)) is not None:
            text, document, section = change.text, document or change.document, section or change.section
        return self.context.frame(text, document, section, turn.answer)

    def _answered_from(self, frame: Frame) -> Frame:
        """The frame with the document and section its turn was answered from, when they were not sent:
        only a step (下一条) and a pronoun for a provision need them, so they are looked for only then."""
        if frame.document and frame.section:
            return frame
        found = self._where_answered(frame)
        if not found:
            return frame
        return replace(frame, document=frame.document or found[0], section=frame.section or found[1])

    def _where_answered(self, frame: Frame) -> tuple[str, tuple[str, ...]] | None:
        """The article and section a turn was answered from: a provision the question names, a section title
        it quotes, the passage holding the answer's words, or the best lexical match of the question."""
        outline, article = self.catalogue.outline, frame.document
        for ref in sorted(labels(frame.text)):
            if found := outline.find(ref, article):
                return found
        if found := outline.locate(frame.text, article):
            return found
        for sentence in re.split(r"[。；！？!?\n]|\[\d+\]", frame.answer or ""):
            if len(compact(sentence)) >= 8 and (found := self.catalogue.quoted_in(sentence, article)):
                return found
        if self.lexical is not None:
            chunk = self.lexical(frame.text)
            if chunk is not None and (article is None or chunk.article == article):
                return where(chunk)
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
        followup = read_followup(asked, language(asked))
        if not self._leans_back(asked, followup):
            return Resolution(asked, "self-contained", asked)  # no frame needed: nothing is taken from it
        frame = self.frame(history)
        if frame is None:
            return Resolution(asked, "unresolved", asked)
        change = self._move(asked, followup, frame)
        if rewrite is not None:
            written = rewrite(frame, asked, change.text if change else "")
            if written:
                return Resolution(written, "llm", asked, self.context.frame(written, change.document if change else None))
        if change is None:
            return Resolution(asked, "unresolved", asked)
        return Resolution(change.text, change.how, asked, changed(frame, change, self.context))

    def _leans_back(self, question: str, followup: Followup) -> bool:
        """Whether a question needs the one before it: it makes a follow-up move, and a bare 它 or it is
        not answered by a place or document the question names itself before it (河南的行动计划，它的目标是什么;
        but 它给芜湖集群设了哪几个起步区 leans back: 芜湖 comes after 它)."""
        if followup.move == Move.NONE:
            return False
        if followup.move == Move.PRONOUN and followup.pronoun.lower() in _BARE:
            before = question[: followup.span[0]]  # a pronoun points back: only what stands before it can be meant
            try:
                query = normalize_query(before, self.max_chars)
            except UserError:
                return True
            intent = read_intent(query)
            if intent.regions or document_of(query, intent, self.catalogue):
                return False
        return True

    def _change(self, question: str, frame: Frame) -> Change | None:
        """An earlier turn's question as a change of the frame before it (None: it stands on its own)."""
        followup = read_followup(question, language(question))
        return self._move(question, followup, frame) if self._leans_back(question, followup) else None

    def _move(self, question: str, followup: Followup, frame: Frame) -> Change | None:
        """The follow-up's move applied to the frame by its strategy (rag.conversation.moves)."""
        if followup.move in (Move.NEXT, Move.PREVIOUS):
            frame = self._answered_from(frame)
        elif followup.move == Move.PRONOUN and not (followup.refers_to == "document" and (frame.mention or frame.document)):
            # The turn's own words or document name what 它 is; only when they do not, where it was answered.
            frame = self._answered_from(frame)
        change = STRATEGIES[followup.move](frame, question, followup, self.context)
        if change is None or not change.text.strip():
            return None
        return replace(change, text=tidy(change.text))
