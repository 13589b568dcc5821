"""Lexical scores: BM25 (bm25s) over an injected tokenizer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np


def _bm25s():
    import logging

    import bm25s

    # bm25s sets its own logger to DEBUG on import and chatters on every build.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class BM25Store:
    dirname = "bm25"

    def __init__(self, model, tokenizer: Callable[[str], list[str]]) -> None:
        self.model = model
        self.tokenizer = tokenizer

    @classmethod
    def build(cls, texts: list[str], tokenizer: Callable[[str], list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Store:
        model = _bm25s().BM25(k1=k1, b=b)
        model.index([tokenizer(t) or [""] for t in texts], show_progress=False)
        return cls(model, tokenizer)

    def scores(self, query: str) -> tuple[np.ndarray, float]:
        """BM25 score of every row, and the share of the query's tokens the index knows
        (0 for a question in another script); one tokenisation serves both."""
        tokens = self.tokenizer(query)
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32), 0.0
        return np.asarray(self.model.get_scores(known), dtype=np.float32), len(known) / len(tokens)

    def idf(self, tokens: list[str]) -> np.ndarray:
        """BM25's inverse document frequency of each token; unknown tokens get the rarest weight."""
        df = np.diff(np.asarray(self.model.scores["indptr"]))
        n = self.size
        ids = [self.model.vocab_dict.get(t) for t in tokens]
        counts = np.array([0 if i is None else df[i] for i in ids], dtype=np.float64)
        return np.log(1 + (n - counts + 0.5) / (counts + 0.5))

    @property
    def size(self) -> int:
        return int(self.model.scores["num_docs"])

    def save(self, folder: Path) -> None:
        self.model.save(str(Path(folder) / self.dirname), show_progress=False)

    @classmethod
    def load(cls, folder: Path, tokenizer: Callable[[str], list[str]]) -> BM25Store:
        model = _bm25s().BM25.load(str(Path(folder) / cls.dirname), allow_pickle=False, show_progress=False, verbosity=0)
        return cls(model, tokenizer)
