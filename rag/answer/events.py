"""What an answer stream yields, one small union: how a question in a conversation was understood
(Resolved, from rag.conversation), the text as it is written (TextDelta), then the finished Answer (Final).
Front ends read a stream through ``follow`` (the state so far) or ``final_answer`` (the Answer alone):
they never branch on the events' types themselves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from rag.types import Answer


class Resolution(Protocol):
    """How a question was understood, as the front ends read it (rag.conversation.resolve.Resolution is one:
    the conversation layer, which comes after this one, makes them)."""

    @property
    def question(self) -> str:
        """What is answered: the follow-up made standalone, or the question as it came."""

    @property
    def asked(self) -> str:
        """The question as typed."""

    @property
    def how(self) -> str:
        """none | self-contained | switch:<kind> | next | previous | pronoun | narrow | llm | unresolved"""

    @property
    def changed(self) -> bool:
        """Whether what is answered is not what was typed."""


@dataclass(frozen=True)
class Resolved:
    """The question to be answered, as a follow-up was resolved against the conversation."""

    resolution: Resolution


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text, as it is written."""

    text: str


@dataclass(frozen=True)
class Final:
    """The finished answer. Its text may differ from the pieces streamed: citations are checked after the
    stream, and a model's answer may be replaced by the quote."""

    answer: Answer


AnswerEvent = Resolved | TextDelta | Final


@dataclass(frozen=True)
class Progress:
    """An answer stream as read so far."""

    resolution: Resolution | None = None
    text: str = ""  # every piece streamed so far
    delta: str = ""  # the piece the last event added ("" after a Resolved or the Final)
    answer: Answer | None = None  # the finished answer, once the stream has given it


def follow(events: Iterable[AnswerEvent]) -> Iterator[Progress]:
    """The stream's state after each event."""
    state = Progress()
    for event in events:
        if isinstance(event, TextDelta):
            state = replace(state, text=state.text + event.text, delta=event.text)
        elif isinstance(event, Resolved):
            state = replace(state, resolution=event.resolution, delta="")
        else:
            state = replace(state, answer=event.answer, delta="")
        yield state


def final_answer(events: Iterable[AnswerEvent]) -> Answer:
    """Drain a stream; its finished Answer."""
    answer = None
    for state in follow(events):
        answer = state.answer or answer
    if answer is None:
        raise RuntimeError("the answer stream ended without an answer")
    return answer
