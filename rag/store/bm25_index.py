"""Lexical scores: BM25 over an injected tokenizer, scored at query time from term counts.

The index keeps raw term counts (a sparse docs × terms matrix, column per term), not precomputed
scores, so a library change only stacks each bulletin's counts (computed once, when the bulletin is
parsed) instead of re-scoring every passage: the one-bulletin add stays fast at hundreds of
bulletins. A query reads the columns of its few terms. Scores are Lucene's BM25 (as bm25s computes
them): idf · tf / (tf + k1 · (1 − b + b · len / avg len)).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from rag.files import atomic_write_text


@dataclass
class TermCounts:
    """Term counts of a run of documents: ``terms`` is their vocabulary, each (doc, term, count)
    triple one term of one document, all indices local to this run."""

    terms: list[str]
    doc: np.ndarray
    term: np.ndarray
    count: np.ndarray
    docs: int

    @classmethod
    def of(cls, tokens: Sequence[Sequence[str]]) -> TermCounts:
        vocab: dict[str, int] = {}
        doc, term, count = [], [], []
        for d, toks in enumerate(tokens):
            for t, n in Counter(toks).items():
                doc.append(d)
                term.append(vocab.setdefault(t, len(vocab)))
                count.append(n)
        as32 = lambda x: np.asarray(x, dtype=np.int32)  # noqa: E731
        return cls(list(vocab), as32(doc), as32(term), as32(count), len(tokens))

    def only(self, keep: np.ndarray) -> TermCounts:
        """The counts of the documents where ``keep`` is true, renumbered in order."""
        renumber = np.cumsum(keep, dtype=np.int64) - 1
        m = keep[self.doc]
        return TermCounts(self.terms, renumber[self.doc[m]].astype(np.int32), self.term[m], self.count[m], int(keep.sum()))


class BM25Store:
    dirname = "bm25"

    def __init__(
        self,
        vocab: dict[str, int],
        counts: sparse.csc_matrix,
        tokenizer: Callable[[str], list[str]],
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.vocab, self.counts, self.tokenizer, self.k1, self.b = vocab, counts.tocsc(), tokenizer, k1, b
        lengths = np.asarray(self.counts.sum(axis=1), dtype=np.float64).ravel()
        avg = lengths.mean() if lengths.size else 1.0
        self._norm = (k1 * (1 - b + b * lengths / (avg or 1.0))).astype(np.float32)
        self._df = np.diff(self.counts.indptr)

    @classmethod
    def build(cls, texts: list[str], tokenizer: Callable[[str], list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Store:
        return cls.build_from_counts([TermCounts.of([tokenizer(t) for t in texts])], tokenizer, k1, b)

    @classmethod
    def build_from_counts(
        cls, parts: Sequence[TermCounts], tokenizer: Callable[[str], list[str]], k1: float = 1.2, b: float = 0.75
    ) -> BM25Store:
        """The documents of ``parts``, one run after another."""
        vocab: dict[str, int] = {}
        rows, cols, vals, offset = [], [], [], 0
        for part in parts:
            ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in part.terms), dtype=np.int32, count=len(part.terms))
            rows.append(part.doc.astype(np.int64) + offset)
            cols.append(ids[part.term] if len(part.term) else part.term)
            vals.append(part.count)
            offset += part.docs
        cat = lambda xs, t: np.concatenate(xs).astype(t) if xs else np.zeros(0, t)  # noqa: E731
        counts = sparse.csc_matrix(
            (cat(vals, np.float32), (cat(rows, np.int64), cat(cols, np.int64))), shape=(offset, max(1, len(vocab)))
        )
        return cls(vocab, counts, tokenizer, k1, b)

    def _term_scores(self, ids: list[int]) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float32)
        idf = self._idf_of(np.asarray([self._df[i] for i in ids], dtype=np.float64))
        for i, w in zip(ids, idf, strict=True):
            lo, hi = self.counts.indptr[i], self.counts.indptr[i + 1]
            rows, tf = self.counts.indices[lo:hi], self.counts.data[lo:hi]
            scores[rows] += (w * tf / (tf + self._norm[rows])).astype(np.float32)
        return scores

    def scores(self, query: str) -> tuple[np.ndarray, float]:
        """BM25 score of every row, and the share of the query's tokens the index knows
        (0 for a question in another script); one tokenisation serves both."""
        tokens = self.tokenizer(query)
        known = [self.vocab[t] for t in tokens if t in self.vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32), 0.0
        return self._term_scores(known), len(known) / len(tokens)

    def weighted_scores(self, weights: dict[str, float]) -> np.ndarray:
        """BM25 of every row for weighted tokens (a translated question: each Chinese term weighed by how
        surely it renders the English); tokens the index does not know add nothing."""
        scores = np.zeros(self.size, dtype=np.float32)
        for token, weight in weights.items():
            i = self.vocab.get(token)
            if i is not None and weight > 0:
                scores += np.float32(weight) * self._term_scores([i])
        return scores

    def _idf_of(self, df: np.ndarray) -> np.ndarray:
        return np.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def idf(self, tokens: list[str]) -> np.ndarray:
        """BM25's inverse document frequency of each token; unknown tokens get the rarest weight."""
        ids = [self.vocab.get(t) for t in tokens]
        return self._idf_of(np.array([0 if i is None else self._df[i] for i in ids], dtype=np.float64))

    @property
    def size(self) -> int:
        return int(self.counts.shape[0])

    def save(self, folder: Path) -> None:
        out = Path(folder) / self.dirname
        out.mkdir(parents=True, exist_ok=True)
        for name, array in (("indptr", self.counts.indptr), ("indices", self.counts.indices), ("data", self.counts.data)):
            np.save(out / f"{name}.npy", array, allow_pickle=False)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        params = {"k1": self.k1, "b": self.b, "docs": self.size, "terms": self.counts.shape[1]}
        atomic_write_text(out / "vocab.json", json.dumps({"params": params, "terms": terms}, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path, tokenizer: Callable[[str], list[str]]) -> BM25Store:
        out = Path(folder) / cls.dirname
        meta = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
        p = meta["params"]
        arrays = [np.load(out / f"{n}.npy", allow_pickle=False) for n in ("data", "indices", "indptr")]
        counts = sparse.csc_matrix(tuple(arrays), shape=(p["docs"], p["terms"]))
        if len(meta["terms"]) > p["terms"] or counts.indptr[-1] != len(counts.data):
            raise ValueError("the BM25 files do not agree with each other")
        return cls({t: i for i, t in enumerate(meta["terms"])}, counts, tokenizer, p["k1"], p["b"])
