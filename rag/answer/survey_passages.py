"""Each candidate document's best passage for a list question, and whether it states what was asked.

Every passage of the candidate documents is scored at once from what the index stores (its e5 vector, its
BM25 terms: nothing is embedded but the question); each document's best few passages have their sentences
scored by their stored vectors; a document states the asked thing when its best sentence clears the
relevance floor (sentence cosine + weight × the share of the question's IDF weight its passage holds, the
single-question judge's measure, Settings.survey_floor) and passes the judge's evidence checks (rag.answer.
evidence.fit: the answer type, the period, the place) and holds the question's most specific term."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.answer.evidence import fit
from rag.answer.extractive import is_heading
from rag.answer.terms import QueryTerms
from rag.index import Index
from rag.intent import Intent
from rag.sentences import split_sentences
from rag.types import Chunk

_PER_DOCUMENT = 3  # passages of a document whose sentences are read
_SENTENCES = 4  # of its best sentences, those tried against the evidence checks


@dataclass(frozen=True)
class Found:
    """A document's passage and sentence that state what was asked (offsets into the passage text)."""

    chunk: Chunk
    start: int
    end: int
    score: float  # the relevance the floor was applied to

    @property
    def sentence(self) -> str:
        return self.chunk.text[self.start : self.end]


def _z(x: np.ndarray) -> np.ndarray:
    spread = float(x.std()) or 1.0
    return (x - x.mean()) / spread


def term_shares(index: Index, terms: QueryTerms) -> np.ndarray:
    """For every passage, the share of the question's IDF weight among the terms its text holds (read from
    the BM25 term counts, so no passage is tokenised again)."""
    lexical = index.lexical
    out = np.zeros(lexical.size, dtype=np.float32)
    counts = lexical.counts
    for token, weight in terms.weights.items():
        col = lexical.vocab.get(token)
        if col is not None:
            out[counts.indices[counts.indptr[col] : counts.indptr[col + 1]]] += weight
    return out / terms.total


def best_passages(
    index: Index, docs: Sequence[np.ndarray], vector: np.ndarray, lexical: np.ndarray, weights: tuple[float, float]
) -> tuple[list[np.ndarray], np.ndarray]:
    """For each document (its passage rows), its best rows by fused dense and lexical z-scores, best first; and
    every passage's cosine with the question (rows outside the documents: their least)."""
    rows = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
    if rows.size == 0:
        return [np.zeros(0, dtype=np.int64) for _ in docs], np.zeros(index.dense.size, dtype=np.float32)
    allowed = np.zeros(index.dense.size, dtype=bool)
    allowed[rows] = True
    found, scores = index.dense.search(vector, int(rows.size), allowed)
    dense = np.full(index.dense.size, float(scores.min()) if scores.size else 0.0, dtype=np.float32)
    dense[found] = scores
    fused = np.zeros(index.dense.size, dtype=np.float32)
    fused[rows] = weights[0] * _z(dense[rows]) + weights[1] * _z(lexical[rows])
    return [d[np.argsort(-fused[d], kind="stable")[:_PER_DOCUMENT]] for d in docs], dense


def _sentences(index: Index, chunk: Chunk, vector: np.ndarray, passage: float, min_chars: int) -> list[tuple[float, int, int]]:
    """(cosine, start, end) of the passage's sentences that may answer, best first; the passage's own cosine
    stands for its sentences where the index stored no vectors for them (nothing is embedded here)."""
    split = split_sentences(chunk.text)
    stored = index.sentence_vectors(chunk)
    cosines = stored @ vector if stored is not None and len(stored) == len(split) else np.full(len(split), passage)
    out = [
        (float(cos), s.start, s.end)
        for cos, s in zip(cosines, split, strict=True)
        if len(s.text) >= min_chars and not is_heading(s, chunk) and s.text not in chunk.instructions
    ]
    return sorted(out, key=lambda x: -x[0])


def _holds(where: str, term: str, topic: str) -> bool:
    """Whether the text holds a term of the topic; a one-character term (化 of 数据资产化) only beside the character
    it stands beside in the topic (资产化), not anywhere."""
    if len(term) > 1:
        return term in where
    spots = [i for i, ch in enumerate(topic) if ch == term]
    pairs = [topic[j : j + 2] for i in spots for j in (i - 1, i) if j >= 0 and j + 2 <= len(topic)]
    return any(pair in where for pair in pairs)


def _about(chunk: Chunk, start: int, end: int, topics: Sequence[Topic], share: float) -> bool:
    """Whether the sentence (the whole one a clause was cut from) with its passage's heading is about one of the
    topics: holds its focus term and at least ``share`` of its IDF weight. A list question's documents are all of
    one kind; what tells them apart is whether a sentence is about the asked thing (公共数据 and 授权 and 运营, not
    授权 alone)."""
    text = chunk.text
    opened = max((text.rfind(ch, 0, start) + 1 for ch in "。；;！？!?\n"), default=0)
    where = unicodedata.normalize("NFKC", f"{text[opened:end]} {chunk.header}").lower()
    # A term is held when its words are there: a substring test, not a tokenisation (jieba per sentence would be most
    # of a list answer's time over hundreds of documents; its search mode yields the sub-words anyway).
    for t in topics:
        held = {term for term in t.terms.weights if _holds(where, term, t.text)}
        if (not t.focus or t.focus in where) and t.terms.share(held) >= share:
            return True
    return False


@dataclass(frozen=True)
class Topic:
    """One thing a list question asks the documents about (one alternative of 推动数据资产化或开展数据资产评估): its
    terms weighted by IDF, and its most specific term, which a stating sentence must hold."""

    text: str  # as the question writes it (lower case, NFKC)
    terms: QueryTerms
    focus: str


@dataclass(frozen=True)
class Scores:
    """What one list question's passages scored: every passage's cosine, and its share of the best topic's terms."""

    vector: np.ndarray
    dense: np.ndarray
    shares: np.ndarray
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Floor:
    """When a document states what a list question asks (Settings.survey_floor_*, survey_share)."""

    relevance: float  # sentence cosine + coverage_weight × its passage's share of the question's terms
    coverage_weight: float
    share: float  # of the question's IDF weight the sentence and its heading hold
    min_chars: int  # the shortest sentence that may answer


def stated(index: Index, rows: np.ndarray, scores: Scores, intent: Intent, floor: Floor) -> Found | None:
    """The sentence of one document's best passages (``rows``) that states what was asked, or None."""
    for row in rows:
        chunk = index.chunks[int(row)]
        sentences = _sentences(index, chunk, scores.vector, float(scores.dense[row]), floor.min_chars)
        for cos, start, end in sentences[:_SENTENCES]:
            score = cos + floor.coverage_weight * float(scores.shares[row])
            if score < floor.relevance:
                break
            if fit(intent, chunk, start, end).ok and _about(chunk, start, end, scores.topics, floor.share):
                return Found(chunk, start, end, score)
    return None
