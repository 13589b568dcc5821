"""Question → Answer: retrieve, decide on the evidence whether the bulletin answers (answered, not stated,
not found), then answer extractively or with an LLM, with citations checked. `stream` yields the text as
it is produced, then the finished Answer (rag.answer.events); `write` is the same as a generator that
returns the Answer, for a layer above that finishes it (rag.conversation.chat)."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from rag.answer.answerability import Judge, Judgement, Status
from rag.answer.citations import MARKER, PLACEHOLDER, Renumberer, check_citations, cited_numbers, ground, support
from rag.answer.constraints import pinned, retrieved, within
from rag.answer.events import Final, TextDelta, final_answer
from rag.answer.evidence import figures, has_type
from rag.answer.extractive import Candidate, SentenceScorer, opening, select
from rag.answer.generate import stream_answer, trimmed
from rag.answer.parts import answer_parts
from rag.answer.polarity import model_verdict, verdict, verdict_text
from rag.answer.prompt import load_templates, passage_title
from rag.answer.refusal import Relevance, absent_text, coverage, not_stated_text, refusal_text, says_refusal
from rag.answer.survey import Survey
from rag.answer.terms import QueryTerms
from rag.catalogue import LibraryCatalogue
from rag.config import ExtractiveSettings, Settings
from rag.crosslingual import model_translation
from rag.filters import Filters
from rag.frames import Context, Frame
from rag.frames.parts import split
from rag.injection import without_addresses
from rag.intent import AnswerType, Intent, read_intent
from rag.models.llm import LLM
from rag.provisions import names_provision
from rag.query import normalize_query, printable
from rag.retrieve import LexicalQuery, Retriever
from rag.sentences import answer_sentences, split_sentences
from rag.text import NUMBER, compact
from rag.tokenize import tokenize
from rag.types import Answer, Highlight, Passage


class Answerer:
    def __init__(self, retriever: Retriever, settings: Settings, llm: LLM | None = None) -> None:
        self.retriever, self.settings, self.llm = retriever, settings, llm
        self.mode = "extractive" if llm is None else llm.kind
        index = retriever.index
        self.scorer = SentenceScorer(retriever.embedder, tokenize, index.lexical.idf, settings.extractive, index.sentence_vectors)
        # The library's catalogue (titles, names, outlines), shared with the follow-up resolver.
        self.catalogue = LibraryCatalogue(index.chunks)
        self.judge = Judge(
            index.chunks, settings.answer_margin, self.catalogue, lambda phrase: retriever.bridge.translate(phrase).terms
        )
        # What reading a question as frames needs (its parts; a follow-up's resolver reads the same).
        self.frames = Context(
            self.catalogue, settings.max_query_chars, lambda word: retriever.bridge.translate(word).terms.keys()
        )
        self.survey = Survey(retriever, settings, self.judge)  # list and masthead questions, over the catalogue

    def _similar(self, sentence: str, texts: list[str]) -> list[float]:
        vectors = self.retriever.embedder.encode_documents([sentence, *texts])
        return [float(x) for x in vectors[1:] @ vectors[0]]

    def relevance(self, intent: Intent, passages: list[Passage], candidates: list[Candidate], terms: QueryTerms) -> Relevance:
        s = self.settings
        cosine = max((c.dense for c in candidates), default=0.0)
        cov = coverage(terms, [p.chunk.search_text for p in passages], tokenize)
        threshold = s.refusal_threshold_zh if intent.lang == "zh" else s.refusal_threshold_en
        score = cosine + s.refusal_coverage_weight * (cov or 0.0)
        return Relevance(float(score), float(cosine), None if cov is None else float(cov), threshold)

    def answer(self, question: str, filters: Filters | None = None) -> Answer:
        return final_answer(self.stream(question, filters))

    def stream(self, question: str, filters: Filters | None = None, frame: Frame | None = None) -> Iterator[TextDelta | Final]:
        """The text as it is written, then the finished Answer."""
        answer = yield from self.write(question, filters, frame)
        yield Final(answer)

    def _read(self, query: str, turn: _Turn) -> _Question:
        """Everything the answer needs to know about the question, computed once: its intent, one e5
        embedding and one weighting of its terms (shared by retrieval, sentence scores and the decision),
        and for an English question the Chinese terms the lexical side reads."""
        intent = read_intent(query)
        vector = self.retriever.embedder.encode_queries([query])[0]
        lexical = self.retriever.lexical_query(query)
        if intent.lang == "en" and self.llm is not None and self.settings.llm_translates_questions:
            # The loaded model renders the question in Chinese: a further query for both retrievers.
            prompt = (Path(self.settings.prompts_dir) / "en" / "translate.txt").read_text(encoding="utf-8")
            if chinese := model_translation(self.llm, prompt, query):
                lexical = lexical.plus(chinese)
                both = vector + self.retriever.embedder.encode_queries([chinese])[0]
                vector = both / (np.linalg.norm(both) or 1.0)
                turn.translation = chinese
            turn.lap("translate")
        terms = QueryTerms(lexical.text, tokenize, self.retriever.index.lexical.idf, lexical.weights)
        return _Question(query, intent, vector, lexical, terms)

    def write(
        self, question: str, filters: Filters | None = None, frame: Frame | None = None
    ) -> Generator[TextDelta, None, Answer]:
        """Yields the answer's text as it is written; returns the finished Answer (``yield from`` it). ``frame``:
        what a resolved follow-up is about (rag.frames), whose document constrains retrieval and the answer."""
        turn = _Turn(printable(question), self.mode)
        query = normalize_query(question, self.settings.max_query_chars)
        parts = split(query, self.frames) if frame is None else []  # a question of several parallel parts
        if parts and (answer := (yield from answer_parts(self, turn.question, parts, filters))) is not None:
            return turn.finish(answer)
        q = self._read(query, turn)
        question = turn.question  # what the answer echoes: no control characters or lone surrogates
        if (listed := self.survey.answer(question, q.intent, q.vector, filters)) is not None:
            yield TextDelta(listed.text)  # an issue's masthead, or which documents …: over the catalogue
            return turn.finish(listed)
        k = self.settings.top_k
        passages = retrieved(frame, filters, lambda only: self.retriever.search(q.query, k, only, q.vector, q.lexical))
        passages = pinned(frame, passages, self.retriever.index.chunks, within(frame, filters), k)
        turn.lap("retrieve")
        candidates = self.scorer.candidates(q.query, passages, q.terms, q.vector, q.intent) if passages else []
        turn.lap("score_sentences")
        relevance = self.relevance(q.intent, passages, candidates, q.terms) if passages else None
        turn.relevance = None if relevance is None else round(relevance.score, 4)
        document = frame.document if frame is not None else None
        judgement = self.judge.judge(q.query, q.intent, q.terms, passages, candidates, relevance, document)
        turn.lap("judge")
        if judgement.status != Status.ANSWERED:
            refused, _ = note_instructions(turn.refused(q.intent.lang, passages, judgement))
            yield TextDelta(refused.text)
            return refused
        if self.mode == "extractive":
            answer, _ = self._noted(self._extractive(question, q.intent, passages, candidates, judgement))
            yield TextDelta(answer.text)
            return turn.finish(answer)
        answer = yield from self._generated(turn, q.query, q.intent, passages, candidates, judgement)
        answer, note = self._noted(answer)
        if note:
            yield TextDelta(note)
        return answer

    def _noted(self, answer: Answer) -> tuple[Answer, str]:
        """The answer with what it must say about its passages (an earlier version's figures, text written
        for an AI), and the text that was appended."""
        answer, versions = note_versions(self.retriever, self.settings, answer)
        answer, instructions = note_instructions(answer)
        return answer, versions + instructions

    def _extractive(
        self, question: str, intent: Intent, passages: list[Passage], candidates: list[Candidate], judgement: Judgement
    ) -> Answer:
        settings = self.scorer.settings
        named = [i for i, p in enumerate(passages) if names_provision(p.chunk, set(intent.provisions))]
        if named and intent.asks_content:
            chosen = opening(candidates, named[0], settings.max_chars)
        else:
            chosen = _chosen(candidates, passages, settings, judgement)
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
        if citations and intent.asks_document and citations[0].chunk.article:
            text = f"《{citations[0].chunk.article}》：{text}"
        decided = None
        if intent.answer_type == AnswerType.YESNO and chosen:
            # The deciding sentence: the best-scoring one quoted. Its modal (不得, 可以 …) gives the verdict.
            decided = verdict(question, max(chosen, key=lambda c: c.score).sentence.text)
            if decided is not None:
                text = verdict_text(decided, intent.lang) + text
        said = None if decided is None else decided.value
        return Answer(question, text, False, citations, passages, "extractive", highlights, verdict=said)

    def _generated(
        self,
        turn: _Turn,
        query: str,
        intent: Intent,
        passages: list[Passage],
        candidates: list[Candidate],
        judgement: Judgement,
    ) -> Generator[TextDelta, None, Answer]:
        s = self.settings
        # Chinese questions: the model reads what the extractive answer would quote. English ones reach
        # the text through meaning alone, where the sentence selection is weak: the top passages instead.
        selected = _chosen(candidates, passages, self.scorer.settings, judgement) if intent.lang == "zh" else []
        chosen, shown = trimmed(passages, candidates, s.llm_passages, s.llm_context_chars, selected)
        given = [passages[i] for i in chosen]
        renumber = Renumberer(len(given))
        pieces: list[str] = []
        for delta in stream_answer(self.llm, load_templates(s.prompts_dir, query), query, shown, renumber, s.llm_max_tokens):
            if not pieces:
                turn.timings["first_token"] = time.perf_counter() - turn.t0
            pieces.append(delta)
            yield TextDelta(delta)
        turn.lap("generate")
        raw = PLACEHOLDER.sub("", "".join(pieces)).strip()
        quoted = self._extractive(turn.question, intent, passages, candidates, judgement)
        if not raw or says_refusal(raw):
            # The evidence holds a sentence of the asked kind that meets the question's constraints (that was
            # decided before the model ran); a 1.5B model that finds nothing in it is overruled by the quote.
            return turn.finish(
                replace(quoted, flags=["the model found no answer in its passages; the evidence is quoted instead"])
            )
        # Titles count as support: "which document…" is answered with a title.
        texts = [f"{passage_title(p)}\n{p.chunk.text}" for p in shown]
        text, order, flags = check_citations(raw, renumber.order, texts, self._similar, s.citations)
        sentences = [[x.text for x in split_sentences(p.chunk.text)] for p in shown]
        grounded = ground(text, order, texts, sentences, self._similar, s.citations)
        text, order, flags = grounded.text, grounded.order, flags + grounded.notes
        if why := _overruled(intent, turn.question, text, quoted, selected):
            return turn.finish(replace(quoted, flags=[why]))
        citations = [given[i] for i in order]
        highlights = _highlights(text, citations, [candidates_of(passages, candidates, p) for p in citations], s.citations.weak)
        return turn.finish(Answer(turn.question, text, False, citations, passages, self.mode, highlights, flags))


def _overruled(intent: Intent, question: str, text: str, quoted: Answer, selected: list[Candidate]) -> str | None:
    """Why the grounded model answer ``text`` gives way to the extractive quote, or None when it stands. The
    evidence answers (that was decided before the model ran), so the quote is always there to fall back on."""
    if not compact(MARKER.sub("", text)):
        return "no sentence of the model's answer was supported by its passages; the evidence is quoted instead"
    if intent.answer_type == AnswerType.YESNO and (why := _verdict_conflict(question, text, quoted)):
        return why  # the verdict is read off the deciding sentence, never taken from the model
    if missing := _numbers_left_out(intent, text, selected):
        # A 1.5B model drops or swaps numbers; for a question that asks for one, the quote is the answer.
        return f"the model's answer left out {', '.join(missing)}, which its passage states: quoted instead"
    return None


def note_instructions(answer: Answer) -> tuple[Answer, str]:
    """Bulletin text that speaks to an AI never steers an answer: web addresses and contact details the
    question did not ask for are removed, and an answer whose passages hold such text says so (and
    carries the flag ``instructions_in_source``). Returns the answer so noted, and what was appended
    ("" when nothing was)."""
    text, removed = without_addresses(answer.text, answer.question)
    flags = list(answer.flags)
    if removed:
        flags.append("removed web addresses or contact details the question did not ask for: " + ", ".join(removed))
    shown = answer.citations or answer.passages
    marked = [n for n, p in enumerate(shown, 1) if p.chunk.instructions]
    if not marked:
        return replace(answer, text=text, flags=flags), ""
    where = "、".join(f"《{shown[n - 1].chunk.article}》" for n in marked[:3])
    refs = "".join(f"[{n}]" for n in marked) if answer.citations else ""
    note = f"（注意：{'所引' if refs else '相关'}段落{refs}含有写给 AI 的指令性文字（见于{where}），已忽略，未作为依据。）"
    flags.append("instructions_in_source: " + " | ".join(x for n in marked for x in shown[n - 1].chunk.instructions))
    return replace(answer, text=text + note, flags=flags), note


def note_versions(retriever: Retriever, settings: Settings, answer: Answer) -> tuple[Answer, str]:
    """When a cited passage is of the version in force and an earlier version of the document gave other
    figures there, the answer says so: 「（注：征求意见稿（…第20期…）第五条为 15个工作日。）」. Returns the answer
    so noted, and what was appended ("" when nothing was)."""
    if not settings.answer_from_version_in_force or answer.refused:
        return answer, ""
    notes: list[str] = []
    for p in answer.citations:
        for version, change in retriever.versions.earlier(p.chunk.id):
            figures = "、".join(f.old for f in change.figures if f.old)
            note = f"{version.status}（{version.document.issue_label}）{change.old.number}为 {figures}"
            if figures and note not in notes:
                notes.append(note)
    if not notes:
        return answer, ""
    text = "（注：" + "；".join(notes) + "。）"
    flags = [*answer.flags, "an earlier version of the cited document said otherwise: " + "; ".join(notes)]
    return replace(answer, text=answer.text + text, flags=flags), text


def _chosen(
    candidates: list[Candidate], passages: list[Passage], settings: ExtractiveSettings, judgement: Judgement
) -> list[Candidate]:
    """The extractive selection among the sentences that break no constraint, holding at least one that
    has the kind of answer asked for."""
    usable = [candidates[i] for i in judgement.usable]
    chosen = select(usable, passages, settings)
    fitting = [candidates[i] for i in judgement.fitting]
    if fitting and not any(c in fitting for c in chosen):
        best = max(fitting, key=lambda c: c.score)
        chosen = select([best, *(c for c in chosen if c is not best)][: settings.max_sentences], passages, settings)
    return chosen


def _verdict_conflict(question: str, text: str, quoted: Answer) -> str | None:
    """Why the model's yes or no cannot stand: the deciding sentence says otherwise, or states no verdict
    the model could have read."""
    said, decided = model_verdict(MARKER.sub("", text)), quoted.verdict
    if said is None:
        return None if decided is None else "the model gave no verdict; the deciding sentence's is given"
    if decided is None:
        return "the model gave a verdict the deciding sentence does not state: the sentence is quoted instead"
    if said.value != decided:
        return f"the model said {said.value}, the deciding sentence says {decided}: quoted instead"
    return None


@dataclass(frozen=True)
class _Question:
    query: str  # normalised
    intent: Intent
    vector: np.ndarray  # e5 query embedding (with the model's translation, for an English question)
    lexical: LexicalQuery
    terms: QueryTerms


@dataclass
class _Turn:
    """One question's clock and bookkeeping."""

    question: str
    mode: str
    t0: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    relevance: float | None = None
    translation: str = ""  # the model's Chinese rendering of an English question, when one was made
    _last: float = 0.0

    def lap(self, name: str) -> None:
        now = time.perf_counter() - self.t0
        self.timings[name] = now - self._last
        self._last = now

    def finish(self, answer: Answer) -> Answer:
        """The answer with the turn's relevance and timings."""
        timings = {k: round(v, 4) for k, v in {**self.timings, "total": time.perf_counter() - self.t0}.items()}
        return replace(answer, relevance=self.relevance, timings=timings)

    def refused(self, lang: str, passages: list[Passage], judgement: Judgement) -> Answer:
        if judgement.absent is not None:
            text = absent_text(lang, *judgement.absent)
        elif judgement.status == Status.NOT_STATED and judgement.missing is not None:
            text = not_stated_text(lang, judgement.topic, judgement.missing)
        else:
            text = refusal_text(lang)
        return self.finish(
            Answer(self.question, text, True, [], passages, self.mode, flags=[judgement.reason], status=str(judgement.status))
        )


def _numbers_left_out(intent: Intent, text: str, selected: list[Candidate]) -> list[str]:
    """Numbers of the best selected sentence holding the asked kind of figure that an answer to a question
    about a figure lacks; for a question about a target, of the best sentence stating any figure."""
    if intent.answer_type.is_figure:
        typed = [c for c in selected if has_type(c.sentence.text, intent)]
    elif intent.asks_target:
        typed = [c for c in selected if figures(c.sentence.text)]
    else:
        return []
    if not typed:
        return []
    best = max(typed, key=lambda c: c.score)
    have = set(NUMBER.findall(compact(text)))
    return [n for n in dict.fromkeys(NUMBER.findall(compact(best.sentence.text))) if n not in have]


def candidates_of(passages: list[Passage], candidates: list[Candidate], passage: Passage) -> list[Candidate]:
    """The scored sentences of one of the passages."""
    i = next((k for k, p in enumerate(passages) if p.chunk.id == passage.chunk.id), None)
    return [c for c in candidates if c.passage == i]


def _highlights(text: str, citations: list[Passage], scored: list[list[Candidate]], weak: float) -> list[Highlight]:
    """For each cited sentence of the answer, the sentence of its passage that supports it best by words;
    a cited passage whose words the answer does not share (an English answer) shows the sentence of it
    that best answers the question: the Chinese quote is always there."""
    out: list[Highlight] = []
    for sent in answer_sentences(text):
        for n in cited_numbers(sent):
            if not 1 <= n <= len(citations):
                continue
            best = max(split_sentences(citations[n - 1].chunk.text), key=lambda x: support(sent, x.text), default=None)
            if best is not None and support(sent, best.text) >= weak:
                h = Highlight(n, best.start, best.end)
                if h not in out:
                    out.append(h)
    for n, mine in enumerate(scored, 1):
        if mine and not any(h.citation == n for h in out):
            best = max(mine, key=lambda c: c.score).sentence
            out.append(Highlight(n, best.start, best.end))
    return out
