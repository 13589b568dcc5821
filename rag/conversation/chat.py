"""Answering inside a conversation, one layer above Answerer.stream: the follow-up is resolved against the
history (rag.conversation.resolve), the resolved question is answered like any other — so a follow-up the
bulletin does not answer is refused like any question — and the Answer records what was understood."""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator, Sequence

import numpy as np

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
        resolver = Resolver(retriever.index.chunks, answerer.judge, _best_lexical(retriever), _english_terms(retriever))
        _resolvers[retriever] = resolver
    return resolver


def _english_terms(retriever: Retriever):
    """An English word's Chinese terms in this library (the retriever's bridge, loaded on first use)."""

    def terms(word: str):
        return retriever.bridge.translate(word).terms.keys()

    return terms


def _best_lexical(retriever: Retriever):
    """The passage BM25 ranks first for a question: where an earlier turn was most likely answered, found
    without an embedding (a few milliseconds)."""

    def best(question: str) -> Chunk | None:
        try:
            scores, _ = retriever.index.lexical.scores(normalize_query(question, retriever.settings.max_query_chars))
        except ValueError:
            return None
        if not len(scores):
            return None
        row = int(np.argmax(scores))
        return retriever.index.chunks[row] if scores[row] > 0 else None

    return best


def resolve(answerer: Answerer, question: str, history) -> Resolution:
    """The question to answer, given the history (a list of Turn, or of {question, answer?} dicts)."""
    turns = history if _are_turns(history) else read_history(history)
    resolver = resolver_for(answerer)  # built at the first question, so that no follow-up waits for it
    rewrite = None
    if answerer.llm is not None and turns:
        rewrite = Rewriter(answerer.llm, answerer.settings.prompts_dir)
    return resolver.resolve(question, turns, rewrite)


def stream(answerer: Answerer, question: str, history=None, filters: Filters | None = None) -> Iterator[str | Answer]:
    """Answerer.stream for a question in a conversation: text as it is written, then the Answer, whose
    ``resolved_question`` and ``resolution`` say how the question was understood."""
    resolver_for(answerer)  # built once per index (≈1 s with the word segmenter): not a resolution's time
    t0 = time.perf_counter()
    resolution = resolve(answerer, question, history)
    yield from stream_resolved(answerer, resolution, filters, time.perf_counter() - t0)


def stream_resolved(
    answerer: Answerer, resolution: Resolution, filters: Filters | None = None, took: float = 0.0
) -> Iterator[str | Answer]:
    """The answer to a resolved question (see ``stream``; a front end that shows 理解为：… first calls
    ``resolve`` and then this). A follow-up that could not be tied to the conversation is not answered
    as it stands — 下一条呢？ alone retrieves at random — but refused with a request to ask in full."""
    if resolution.how == "unresolved":
        refused = _unresolved(answerer, resolution)
        yield refused.text
        events: Iterator[str | Answer] = iter([refused])
    else:
        events = answerer.stream(resolution.question, filters)
    for event in events:
        if isinstance(event, Answer):
            event.question = resolution.asked or event.question
            event.resolved_question = resolution.question
            event.resolution = resolution.how
            event.timings["resolve"] = round(took, 4)
        yield event


UNRESOLVED = {
    "zh": "没能确定这个追问指的是上文中的哪份文件、哪个地区或哪一条，请把问题问完整（写明文件、地区或条款）。",
    "en": "I could not tell which document, place or article this follow-up refers to; please ask it in full.",
}


def _unresolved(answerer: Answerer, resolution: Resolution) -> Answer:
    lang = language(resolution.asked) if resolution.asked.strip() else "zh"
    normalize_query(resolution.asked, answerer.settings.max_query_chars)  # an empty question is still an error
    a = Answer(resolution.asked, UNRESOLVED[lang], True, [], [], answerer.mode, flags=["the follow-up could not be resolved"])
    a.status = "not_found"
    return a


def answer(answerer: Answerer, question: str, history=None, filters: Filters | None = None) -> Answer:
    final = None
    for event in stream(answerer, question, history, filters):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final


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


def _are_turns(history) -> bool:
    return isinstance(history, Sequence) and not isinstance(history, str) and all(isinstance(t, Turn) for t in history)
