"""Question → Answer: retrieve, decide whether the bulletin answers, then answer extractively or with an
LLM, with citations checked. `stream` yields the text as it is produced, then the finished Answer."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from rag.answer.citations import Renumberer, check_citations, cited_numbers, support, unsupported_numbers
from rag.answer.extractive import ASKS_NUMBER, Candidate, ExtractiveSettings, SentenceScorer, opening, select
from rag.answer.generate import stream_answer, trimmed
from rag.answer.prompt import language, load_templates, passage_title
from rag.answer.refusal import (
    Relevance,
    coverage,
    figure_missing,
    provinces_not_covered,
    refusal_text,
    says_refusal,
    unknown_names,
)
from rag.answer.terms import QueryTerms
from rag.config import Settings
from rag.filters import Filters
from rag.models.llm import LLM
from rag.provisions import names_provision, provision_refs
from rag.query import normalize_query, printable
from rag.retrieve import Retriever
from rag.sentences import answer_sentences, split_sentences
from rag.text import NUMBER, compact
from rag.tokenize import tokenize
from rag.types import Answer, Highlight, Passage

# Questions whose answer is usually a figure: quantities, durations, and the targets of a plan.
_NUMBERS_MATTER = re.compile(ASKS_NUMBER.pattern + r"|多久|多长|多大|多高|目标|指标|how long|what target", re.I)
# "What does 第二十二条 say": the provision's own opening, not its best-scoring sentence.
_ASKS_CONTENT = re.compile(r"规定了?什么|讲了?什么|说了?什么|内容|主要|写了?什么|what does .* say|what is in|about", re.I)
_ASKS_DOCUMENT = re.compile(r"哪份|哪篇|哪个文件|哪些文件|哪部|哪项政策|which (document|article|paper|report)", re.I)


class Answerer:
    def __init__(self, retriever: Retriever, settings: Settings, llm: LLM | None = None) -> None:
        self.retriever, self.settings, self.llm = retriever, settings, llm
        self.mode = "extractive" if llm is None else llm.kind
        index = retriever.index
        self.scorer = SentenceScorer(
            retriever.embedder, tokenize, index.lexical.idf, ExtractiveSettings(), index.sentence_vectors
        )

    @cached_property
    def _library_text(self) -> str:
        return "\n".join(unicodedata.normalize("NFKC", c.search_text) for c in self.retriever.index.chunks)

    def _mentioned(self, word: str) -> bool:
        return word in self._library_text

    def _similar(self, sentence: str, texts: list[str]) -> list[float]:
        vectors = self.retriever.embedder.encode_documents([sentence, *texts])
        return [float(x) for x in vectors[1:] @ vectors[0]]

    def relevance(self, query: str, passages: list[Passage], candidates: list[Candidate], terms: QueryTerms) -> Relevance:
        s = self.settings
        cosine = max((c.dense for c in candidates), default=0.0)
        cov = coverage(terms, [p.chunk.search_text for p in passages], tokenize)
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
        turn = _Turn(printable(question), self.mode)
        query = normalize_query(question, self.settings.max_query_chars)
        question = turn.question  # what the answer echoes: no control characters or lone surrogates
        lang = language(query)
        # One embedding and one weighting of the question serve retrieval, sentence scores and refusal.
        query_vector = self.retriever.embedder.encode_queries([query])[0]
        terms = QueryTerms(query, tokenize, self.retriever.index.lexical.idf)
        passages = self.retriever.search(query, self.settings.top_k, filters, query_vector)
        turn.lap("retrieve")
        candidates = self.scorer.candidates(query, passages, terms, query_vector) if passages else []
        turn.lap("score_sentences")

        reason = None
        if not passages:
            reason = "no passage matches the question and filters"
        else:
            rel = self.relevance(query, passages, candidates, terms)
            turn.relevance = round(rel.score, 4)
            reason = self._unanswerable(query, passages, candidates, rel, terms)
        if reason:
            yield refusal_text(lang)
            yield turn.refused(lang, passages, reason)
        elif self.mode == "extractive":
            answer = self._extractive(question, query, passages, candidates)
            yield answer.text
            yield turn.finish(answer)
        else:
            yield from self._generated(turn, query, lang, passages, candidates)

    def _unanswerable(
        self, query: str, passages: list[Passage], candidates: list[Candidate], rel: Relevance, terms: QueryTerms
    ) -> str | None:
        """Why the passages cannot answer the question, or None."""
        if not rel.relevant:
            return f"retrieval relevance {rel.score:.3f} is below the threshold {rel.threshold:.3f}"
        if missing := unknown_names(query, self._mentioned):
            return "the library never mentions " + "、".join(missing)
        # The masthead names the publisher's province: it is no passage about that place.
        content = [unicodedata.normalize("NFKC", p.chunk.search_text) for p in passages if p.chunk.kind != "issue_card"]
        if places := provinces_not_covered(query, content):
            return "no passage found is about " + "、".join(places)
        if term := figure_missing(query, [c.sentence.text for c in candidates], terms):
            return f"the passages mention {term} but state no figure for it"
        return None

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

    def _generated(
        self, turn: _Turn, query: str, lang: str, passages: list[Passage], candidates: list[Candidate]
    ) -> Iterator[str | Answer]:
        s = self.settings
        # Chinese questions: the model reads what the extractive answer would quote. English ones reach
        # the text through meaning alone, where the sentence selection is weak: the top passages instead.
        selected = select(candidates, passages, self.scorer.settings) if lang == "zh" else []
        chosen, shown = trimmed(passages, candidates, s.llm_passages, s.llm_context_chars, selected)
        given = [passages[i] for i in chosen]
        renumber = Renumberer(len(given))
        pieces: list[str] = []
        for delta in stream_answer(self.llm, load_templates(s.prompts_dir, query), query, shown, renumber, s.llm_max_tokens):
            if not pieces:
                turn.timings["first_token"] = time.perf_counter() - turn.t0
            pieces.append(delta)
            yield delta
        turn.lap("generate")
        raw = "".join(pieces).strip()
        if not raw or says_refusal(raw):
            yield turn.refused(lang, passages, "the model found no answer in its passages")
            return
        # Titles count as support: "which document…" is answered with a title.
        texts = [f"{passage_title(p)}\n{p.chunk.text}" for p in shown]
        text, order, flags = check_citations(raw, renumber.order, texts, self._similar)
        flags += [f"number not in the passages: {n}" for n in unsupported_numbers(text, texts)]
        if missing := _numbers_left_out(query, text, selected):
            # A 1.5B model drops or swaps numbers; for a question that asks for one, the quote is the answer.
            quoted = self._extractive(turn.question, query, passages, candidates)
            quoted.flags = [f"the model's answer left out {', '.join(missing)}, which its passage states: quoted instead"]
            yield turn.finish(quoted)
            return
        citations = [given[i] for i in order]
        yield turn.finish(Answer(turn.question, text, False, citations, passages, self.mode, _highlights(text, citations), flags))


@dataclass
class _Turn:
    """One question's clock and bookkeeping."""

    question: str
    mode: str
    t0: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    relevance: float | None = None
    _last: float = 0.0

    def lap(self, name: str) -> None:
        now = time.perf_counter() - self.t0
        self.timings[name] = now - self._last
        self._last = now

    def finish(self, answer: Answer) -> Answer:
        answer.relevance = self.relevance
        answer.timings = {k: round(v, 4) for k, v in {**self.timings, "total": time.perf_counter() - self.t0}.items()}
        return answer

    def refused(self, lang: str, passages: list[Passage], reason: str) -> Answer:
        return self.finish(Answer(self.question, refusal_text(lang), True, [], passages, self.mode, flags=[reason]))


def _numbers_left_out(query: str, text: str, selected: list[Candidate]) -> list[str]:
    """Numbers of the best-scoring selected sentence that an answer to a question about figures lacks."""
    if not selected or not _NUMBERS_MATTER.search(query):
        return []
    best = max(selected, key=lambda c: c.score)
    have = set(NUMBER.findall(compact(text)))
    return [n for n in dict.fromkeys(NUMBER.findall(compact(best.sentence.text))) if n not in have]


def _highlights(text: str, citations: list[Passage]) -> list[Highlight]:
    """For each cited sentence of the answer, the sentence of its passage that supports it best."""
    out: list[Highlight] = []
    for sent in answer_sentences(text):
        for n in cited_numbers(sent):
            if not 1 <= n <= len(citations):
                continue
            best = max(split_sentences(citations[n - 1].chunk.text), key=lambda x: support(sent, x.text), default=None)
            if best is not None and support(sent, best.text) >= 0.3:
                h = Highlight(n, best.start, best.end)
                if h not in out:
                    out.append(h)
    return out
