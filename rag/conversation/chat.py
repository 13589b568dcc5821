"""Answering inside a conversation, one layer above Answerer.stream: the follow-up is resolved against the
history (rag.conversation.resolve), the resolved question is answered like any other — so a follow-up the
bulletin does not answer is refused like any question — and the Answer records what was understood.
``converse`` is the one place a question is resolved and then answered (rag.service calls it)."""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np

from rag.answer.events import AnswerEvent, Final, Resolved, TextDelta
from rag.answer.pipeline import Answerer
from rag.conversation.resolve import Resolution, Resolver, Turn, read_history
from rag.conversation.rewrite import Rewriter
from rag.filters import Filters
from rag.intent import language
from rag.query import normalize_query
from rag.retrieve import Retriever
from rag.types import Answer, Chunk

# One resolver per loaded index (its outline is read once); gone with the index.
_resolvers: weakref.WeakKeyDictionary[Retriever, Resolver] = weakref.WeakKeyDictionary()


def resolver_for(answerer: Answerer) -> Resolver:
    retriever = answerer.retriever
    resolver = _resolvers.get(retriever)
    if resolver is None:
        resolver = Resolver(answerer.frames, _best_lexical(retriever))
        _resolvers[retriever] = resolver
    return resolver


def _best_lexical(retriever: Retriever):
    """The passage BM25 ranks first for a question (an English one through its Chinese terms): where an
    earlier turn was most likely answered, found without an embedding (a few milliseconds)."""

    def best(question: str) -> Chunk | None:
        try:
            query = normalize_query(question, retriever.settings.max_query_chars)
        except ValueError:
            return None
        lexical = retriever.lexical_query(query)
        if lexical.weights is None:
            scores, _ = retriever.index.lexical.scores(query)
        else:
            scores = retriever.index.lexical.weighted_scores(lexical.weights)
        if not len(scores):
            return None
        row = int(np.argmax(scores))
        return retriever.index.chunks[row] if scores[row] > 0 else None

    return best


def resolve(answerer: Answerer, question: str, history) -> Resolution:
    """The question to answer, given the history (a list of Turn, or of {question, answer?} dicts)."""
    turns = as_turns(history)
    resolver = resolver_for(answerer)  # built at the first question, so that no follow-up waits for it
    rewrite = None
    if answerer.llm is not None and turns:
        rewrite = Rewriter(answerer.llm, answerer.settings.prompts_dir)
    return resolver.resolve(question, turns, rewrite)


def converse(answerer: Answerer, question: str, history=None, filters: Filters | None = None) -> Iterator[AnswerEvent]:
    """A question in a conversation: how it was understood (Resolved), then the answer as Answerer.stream
    gives it, whose ``resolved_question`` and ``resolution`` say how the question was understood. A
    follow-up that could not be tied to the conversation is not answered as it stands — 下一条呢？ alone
    retrieves at random — but refused with a request to ask in full."""
    resolver_for(answerer)  # built once per index (≈1 s with the word segmenter): not a resolution's time
    t0 = time.perf_counter()
    resolution = resolve(answerer, question, history)
    took = time.perf_counter() - t0
    yield Resolved(resolution)
    if resolution.how == "unresolved":
        answer = _unresolved(answerer, resolution)
        yield TextDelta(answer.text)
    else:
        answer = yield from answerer.write(resolution.question, filters, resolution.frame)
    asked, timings = resolution.asked or answer.question, {**answer.timings, "resolve": round(took, 4)}
    yield Final(
        replace(answer, question=asked, resolved_question=resolution.question, resolution=resolution.how, timings=timings)
    )


UNRESOLVED = {
    "zh": "没能确定这个追问指的是上文中的哪份文件、哪个地区或哪一条，请把问题问完整（写明文件、地区或条款）。",
    "en": "I could not tell which document, place or article this follow-up refers to; please ask it in full.",
}


def _unresolved(answerer: Answerer, resolution: Resolution) -> Answer:
    lang = language(resolution.asked) if resolution.asked.strip() else "zh"
    normalize_query(resolution.asked, answerer.settings.max_query_chars)  # an empty question is still an error
    flags = ["the follow-up could not be resolved"]
    return Answer(resolution.asked, UNRESOLVED[lang], True, [], [], answerer.mode, flags=flags, status="not_found")


def turn_of(a: Answer) -> Turn:
    """A finished answer as a history turn, with what it was understood as and where it was answered from:
    what the app and `rag chat` keep for the next question."""
    cited = a.citations[0].chunk if a.citations else None
    return Turn(
        question=a.question,
        answer=a.text,
        resolved=a.resolved_question or a.question,
        article=cited.article if cited else "",
        section=cited.section if cited else "",
    )


def turn_json(t: Turn) -> dict:
    return {"question": t.question, "answer": t.answer, "resolved": t.resolved, "article": t.article, "section": t.section}


def as_turns(history) -> list[Turn]:
    """A history of Turns (what `rag chat` keeps) as it is; else read as the API gives it (read_history)."""
    if isinstance(history, Sequence) and not isinstance(history, str) and all(isinstance(t, Turn) for t in history):
        return list(history)
    return read_history(history)
