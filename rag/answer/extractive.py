"""Extractive answers: the passages' own sentences that answer the question, in document order, cited."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.answer.evidence import has_type, sentence_start
from rag.answer.terms import QueryTerms
from rag.config import ExtractiveSettings
from rag.intent import Intent, read_intent
from rag.language import documents, labels, violated
from rag.models.base import Embedder
from rag.provisions import cites_violation, headings, names_provision
from rag.sentences import Sentence, split_sentences
from rag.text import char_bigrams, compact
from rag.tokenize import STOPWORDS, words
from rag.types import PATH_SEP, Chunk, Passage

_WORD = re.compile(r"[\w\u3400-\u9fff]")  # a word, not punctuation


def is_heading(sentence: Sentence, chunk: Chunk) -> bool:
    """The section's own title line ("4. 建设天地一体化信息网络。"): context for the sentences below it,
    never an answer by itself."""
    last = chunk.section.rsplit(PATH_SEP, 1)[-1]
    return bool(last) and compact(sentence.text).rstrip("。.：:") == compact(last).rstrip("。.：:")


@dataclass(frozen=True)
class Candidate:
    passage: int  # index into the passages given
    sentence: Sentence
    dense: float
    lexical: float
    score: float


def _named_passages(query: str, passages: list[Passage]) -> set[int]:
    """The passages a question that names a provision (第二十二条) is answered from when they were found: that
    provision's, or for one named as broken (违反…第三十四条规定的，…) the clauses that punish its breach."""
    refs = labels(query)
    if not refs:
        return set()
    named = {i for i, p in enumerate(passages) if names_provision(p.chunk, refs)}
    broken = violated(query)
    if punishing := {i for i, p in enumerate(passages) if cites_violation(p.chunk, broken)}:
        named = punishing | {i for i in named if names_provision(passages[i].chunk, refs - broken)}
    return named


class SentenceScorer:
    """Scores every sentence of the top passages against the question: dense similarity (z-scored over
    the candidates), the share of the question's IDF weight the sentence contains, and the passage's rank."""

    def __init__(
        self,
        embedder: Embedder,
        tokenize: Callable[[str], list[str]],
        idf: Callable[[list[str]], np.ndarray],
        settings: ExtractiveSettings | None = None,
        stored: Callable[[Chunk], np.ndarray | None] | None = None,
    ) -> None:
        self.embedder, self.tokenize, self.idf = embedder, tokenize, idf
        self.settings = settings or ExtractiveSettings()
        # The index's sentence vectors (split_sentences order), so that a question embeds only itself.
        self.stored = stored or (lambda chunk: None)

    def candidates(
        self,
        query: str,
        passages: list[Passage],
        terms: QueryTerms | None = None,
        query_vector: np.ndarray | None = None,
        intent: Intent | None = None,
    ) -> list[Candidate]:
        """``terms``, ``query_vector`` and ``intent``, when the caller has them already, spare computing them again."""
        s = self.settings
        named = _named_passages(query, passages)
        split = {i: split_sentences(p.chunk.text) for i, p in enumerate(passages) if not named or i in named}
        pool = [
            (i, pos, sent)
            for i, sents in split.items()
            for pos, sent in enumerate(sents)
            if len(sent.text) >= s.min_chars
            and not is_heading(sent, passages[i].chunk)
            # A sentence addressed to an AI is the bulletin's text, never an answer (rag.injection).
            and sent.text not in passages[i].chunk.instructions
        ]
        if not pool:
            return []
        terms = terms or QueryTerms(query, self.tokenize, self.idf)
        if query_vector is None:
            query_vector = self.embedder.encode_queries([query])[0]
        # A sentence is read with its article title and section path: they say what it is about, and the
        # sentence's own words then decide between the sentences of the right section.
        context = [set(self.tokenize(p.chunk.header)) for p in passages]
        # A clause cut from a long sentence at its ；(…向境外提供重要数据的，…罚款；情节严重的，处…罚款) is about what
        # the sentence opened with: its words are read with the sentence up to it.
        lexical = np.array([terms.share(set(self.tokenize(_up_to(passages[i].chunk, sent))) | context[i]) for i, _, sent in pool])
        dense = self._sentence_vectors(passages, split, pool) @ query_vector
        # …and is as close to the question as that opening is (the clause alone lacks its subject).
        opening_row = {(i, sent.start): row for row, (i, _, sent) in enumerate(pool)}
        meant = np.array(
            [
                max(dense[row], dense[opening_row.get((i, sentence_start(passages[i].chunk.text, sent.start)), row)])
                for row, (i, _, sent) in enumerate(pool)
            ]
        )
        intent = intent or read_intent(query)
        floor = s.min_dense_spread_en if intent.lang == "en" else 0.0
        spread = max(float(meant.std()), floor) or 1.0
        dense_z = (meant - meant.mean()) / spread
        wants_figure = intent.answer_type.is_figure
        out = []
        for row, (i, pos, sent) in enumerate(pool):
            score = dense_z[row] + s.lexical_weight * lexical[row] + s.rank_weight / (1 + i)
            if named:  # "what does 第二十二条 say": its opening sentences
                score += s.rank_weight / (1 + pos)
            if wants_figure and has_type(sent.text, intent):  # the kind of figure asked for
                score += s.number_bonus
            out.append(Candidate(i, sent, float(dense[row]), float(lexical[row]), float(score)))
        # One that names a section by its heading (主要目标, 法律责任) is answered from the passages of that section
        # (scored among all, so that a score means the same as for any question).
        within = set() if named else named_sections(query, passages, intent.lang)
        return [c for c in out if c.passage in within] if within else out

    def _sentence_vectors(
        self, passages: list[Passage], split: dict[int, list[Sentence]], pool: list[tuple[int, int, Sentence]]
    ) -> np.ndarray:
        """Stored vectors where the index has them for exactly these sentences; the rest embedded now."""
        stored = {i: self.stored(passages[i].chunk) for i in split}
        out = np.zeros((len(pool), self.embedder.dim), dtype=np.float32)
        missing = []
        for row, (i, pos, _) in enumerate(pool):
            vectors = stored[i]
            if vectors is not None and len(vectors) == len(split[i]):
                out[row] = vectors[pos]
            else:
                missing.append(row)
        if missing:
            out[missing] = self.embedder.encode_documents([pool[row][2].text for row in missing])
        return out


# Function words that join a heading to a noun after it (公共数据共享的通道, 目标和任务): it then only qualifies that noun.
_JOINERS = frozenset("的 之 和 与 及 或 等 、".split())


def named_sections(query: str, passages: list[Passage], lang: str) -> set[int]:
    """The passages under a heading the question asks about by name (提出了哪些主要目标 → （二）主要目标; 法律责任有哪些 →
    第六章 法律责任): the heading, of two characters or more, is whole words of the question outside the names of
    documents it writes (数据安全法 names a law, not a chapter 数据安全), and ends the question's clause or is followed
    by a function word (rag.tokenize.STOPWORDS) that does not join it to a further noun (新建公共数据共享、开放通道
    asks about channels, not the chapter 公共数据共享)."""
    text = unicodedata.normalize("NFKC", query)
    pieces, last = [], 0
    for d in sorted(documents(text, lang), key=lambda d: d.start):
        pieces.append(text[last : d.start])
        last = d.end
    pieces.append(text[last:])
    ends: set[str] = set()  # the word runs of the question that end where a heading may end
    for piece in map(compact, pieces):
        run = [w for w in words(piece) if w]
        for a in range(len(run)):
            for b in range(a + 1, len(run) + 1):
                after = run[b] if b < len(run) else ""
                if after in _JOINERS or (after not in STOPWORDS and _WORD.search(after)):
                    continue
                ends.add("".join(run[a:b]))

    def named(heading: str) -> bool:
        h = compact(heading)
        return len(h) >= 2 and h in ends

    return {i for i, p in enumerate(passages) if any(named(h) for h in headings(p.chunk))}


def _up_to(chunk: Chunk, sentence: Sentence) -> str:
    """The sentence a clause belongs to, from its opening to the clause's end."""
    return chunk.text[sentence_start(chunk.text, sentence.start) : sentence.end]


def _repeats(c: Candidate, chosen: list[Candidate], overlap: float) -> bool:
    """Editor's notes restate the text they introduce: one copy of a statement is enough."""
    mine = char_bigrams(compact(c.sentence.text))
    for o in chosen:
        theirs = char_bigrams(compact(o.sentence.text))
        if len(mine & theirs) >= overlap * min(len(mine), len(theirs) or 1):
            return True
    return False


def select(candidates: list[Candidate], passages: list[Passage], settings: ExtractiveSettings) -> list[Candidate]:
    """The best sentence and those close to it, a few at most, no repeats, in document order."""
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda c: -c.score)
    best = ranked[0].score
    chosen: list[Candidate] = []
    used = 0
    for c in ranked:
        if len(chosen) >= settings.max_sentences or c.score < best - settings.margin:
            break
        if chosen and (used + len(c.sentence.text) > settings.max_chars or _repeats(c, chosen, settings.repeat_overlap)):
            continue
        chosen.append(c)
        used += len(c.sentence.text)

    def place(c: Candidate):
        ch = passages[c.passage].chunk
        return (ch.source_path, ch.start, c.sentence.start)

    return sorted(chosen, key=place)


def opening(candidates: list[Candidate], passage: int, max_chars: int) -> list[Candidate]:
    """A provision's opening sentences, in order, within the length budget: the answer to
    "what does 第二十二条 say"."""
    mine = sorted((c for c in candidates if c.passage == passage), key=lambda c: c.sentence.start)
    chosen: list[Candidate] = []
    used = 0
    for c in mine:
        if chosen and used + len(c.sentence.text) > max_chars:
            break
        chosen.append(c)
        used += len(c.sentence.text)
    return chosen
