"""Question → Answer: retrieve, decide whether the bulletin answers, then answer extractively or with an
LLM, with citations checked. `stream` yields the text as it is produced, then the finished Answer."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator
from functools import cached_property

from rag.answer.citations import Renumberer, attach_missing, sentences, support
from rag.answer.extractive import Candidate, ExtractiveSettings, SentenceScorer, opening, select
from rag.answer.generate import stream_answer, trimmed
from rag.answer.prompt import language, load_templates
from rag.answer.refusal import Relevance, coverage, refusal_text, says_refusal, unknown_names
from rag.answer.sentences import split_sentences
from rag.config import Settings
from rag.models.llm import LLM
from rag.query import normalize_query, provision_refs
from rag.retrieve import Filters, Retriever, names_provision
from rag.tokenize import tokenize
from rag.types import Answer, Highlight, Passage

# "What does 第二十二条 say": the provision's own opening, not its best-scoring sentence.
_ASKS_CONTENT = re.compile(r"规定了?什么|讲了?什么|说了?什么|内容|主要|写了?什么|what does .* say|what is in|about", re.I)
_ASKS_DOCUMENT = re.compile(r"哪份|哪篇|哪个文件|哪些文件|哪部|哪项政策|which (document|article|paper|report)", re.I)


class Answerer:
    def __init__(self, retriever: Retriever, settings: Settings, llm: LLM | None = None) -> None:
        self.retriever, self.settings, self.llm = retriever, settings, llm
        self.mode = "extractive" if llm is None else llm.kind
        lexical = retriever.index.lexical
        self.scorer = SentenceScorer(retriever.embedder, tokenize, lexical.idf, ExtractiveSettings())

    @cached_property
    def _library_text(self) -> str:
        return "\n".join(unicodedata.normalize("NFKC", c.search_text) for c in self.retriever.index.chunks)

    def _mentioned(self, word: str) -> bool:
        return word in self._library_text

    def relevance(self, query: str, passages: list[Passage], candidates: list[Candidate]) -> Relevance:
        s = self.settings
        cosine = max((c.dense for c in candidates), default=0.0)
        cov = coverage(query, [p.chunk.search_text for p in passages], tokenize, self.retriever.index.lexical.idf)
        lang = language(query)
        threshold = s.refusal_threshold_zh if lang == "zh" else s.refusal_threshold_en
        score = cosine + s.refusal_coverage_weight * (cov or 0.0)
        return Relevance(float(score), float(cosine), None if cov is None else float(cov), threshold)

    def answer(self, question: str, filters: Filters | None = None) -> Answer:
        final = None
        for event in self.stream(question, filters):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(self, question: str, filters: Filters | None = None) -> Iterator[str | Answer]:
        t0 = time.perf_counter()
        query = normalize_query(question, self.settings.max_query_chars)
        lang = language(query)
        passages = self.retriever.search(query, self.settings.top_k, filters)
        timings = {"retrieve": time.perf_counter() - t0}
        candidates = self.scorer.candidates(query, passages) if passages else []
        timings["score_sentences"] = time.perf_counter() - t0 - timings["retrieve"]

        rel: Relevance | None = None

        def done(answer: Answer) -> Answer:
            answer.relevance = None if rel is None else round(rel.score, 4)
            answer.timings = {k: round(v, 4) for k, v in {**timings, "total": time.perf_counter() - t0}.items()}
            return answer

        def refuse(reason: str) -> Iterator[str | Answer]:
            text = refusal_text(lang)
            yield text
            yield done(Answer(question, text, True, [], passages, self.mode, flags=[reason]))

        if not passages:
            yield from refuse("no passage matches the question and filters")
            return
        rel = self.relevance(query, passages, candidates)
        if not rel.relevant:
            yield from refuse(f"retrieval relevance {rel.score:.3f} is below the threshold {rel.threshold:.3f}")
            return
        missing = unknown_names(query, self._mentioned)
        if missing:
            yield from refuse("the library never mentions " + "、".join(missing))
            return
        if self.mode == "extractive":
            answer = self._extractive(question, query, passages, candidates)
            yield answer.text
            yield done(answer)
            return
        yield from self._generated(question, query, lang, passages, candidates, timings, t0, done)

    def _extractive(self, question: str, query: str, passages: list[Passage], candidates: list[Candidate]) -> Answer:
        settings = self.scorer.settings
        named = [i for i, p in enumerate(passages) if names_provision(p.chunk, provision_refs(query))]
        if named and _ASKS_CONTENT.search(query):
            chosen = opening(candidates, named[0], settings.max_chars)
        else:
            chosen = select(candidates, passages, settings)
        order: list[int] = []
        parts: list[str] = []
        highlights: list[Highlight] = []
        for i, c in enumerate(chosen):
            if c.passage not in order:
                order.append(c.passage)
            n = order.index(c.passage) + 1
            highlights.append(Highlight(n, c.sentence.start, c.sentence.end))
            parts.append(c.sentence.text)
            # One marker after a run of sentences from the same passage.
            if i + 1 == len(chosen) or chosen[i + 1].passage != c.passage:
                parts.append(f"[{n}]")
        text = "".join(parts)
        citations = [passages[i] for i in order]
        if citations and _ASKS_DOCUMENT.search(query) and citations[0].chunk.article:
            text = f"《{citations[0].chunk.article}》：{text}"
        return Answer(question, text, False, citations, passages, "extractive", highlights)

    def _generated(self, question, query, lang, passages, candidates, timings, t0, done) -> Iterator[str | Answer]:
        s = self.settings
        chosen, shown = trimmed(passages, candidates, s.llm_passages, s.llm_context_chars)
        given = [passages[i] for i in chosen]
        renumber = Renumberer(len(given))
        templates = load_templates(s.prompts_dir, query)
        pieces: list[str] = []
        for delta in stream_answer(self.llm, templates, query, shown, renumber, s.llm_max_tokens):
            if not pieces:
                timings["first_token"] = time.perf_counter() - t0
            pieces.append(delta)
            yield delta
        timings["generate"] = time.perf_counter() - t0 - timings["retrieve"] - timings["score_sentences"]
        raw = "".join(pieces).strip()
        if not raw or says_refusal(raw):
            text = refusal_text(lang)
            yield done(Answer(question, text, True, [], passages, self.mode, flags=["the model found no answer in its passages"]))
            return
        order = list(renumber.order)
        text, flags = attach_missing(raw, [p.chunk.text for p in shown], order)
        citations = [given[i] for i in order]
        yield done(Answer(question, text, False, citations, passages, self.mode, _highlights(text, citations), flags))


def _highlights(text: str, citations: list[Passage]) -> list[Highlight]:
    """For each cited sentence of the answer, the sentence of its passage that supports it best."""
    from rag.answer.citations import cited_numbers

    out: list[Highlight] = []
    for sent in sentences(text):
        for n in cited_numbers(sent):
            if not 1 <= n <= len(citations):
                continue
            best = max(split_sentences(citations[n - 1].chunk.text), key=lambda x: support(x.text, sent), default=None)
            if best is not None and support(best.text, sent) >= 0.3:
                h = Highlight(n, best.start, best.end)
                if h not in out:
                    out.append(h)
    return out
