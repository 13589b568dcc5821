"""The question's terms weighted by IDF, and the share of that weight a text holds: used to score
sentences and to judge whether retrieval found anything relevant."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class QueryTerms:
    def __init__(
        self,
        query: str,
        tokenize: Callable[[str], list[str]],
        idf: Callable[[list[str]], np.ndarray],
        scale: dict[str, float] | None = None,
    ) -> None:
        """``scale``: a further weight per token (how surely a translated term renders the question)."""
        tokens = sorted(set(tokenize(query)))
        self.weights = dict(zip(tokens, idf(tokens), strict=True)) if tokens else {}
        if scale is not None:
            self.weights = {t: w * min(1.0, scale.get(t, 0.0)) for t, w in self.weights.items() if scale.get(t, 0.0) > 0}
        self.total = sum(self.weights.values()) or 1.0

    def share(self, tokens: set[str]) -> float:
        """The share of the question's IDF weight among these tokens."""
        return sum(self.weights[t] for t in tokens if t in self.weights) / self.total
