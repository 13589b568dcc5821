"""Citation markers an answer can be trusted with: [k] points at a passage the model was given,
markers are renumbered in order of first use, and sentences without one get one or are flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.text import compact

# [1], [1, 3], 【2】, ［2］ — the forms small models write.
MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_OPEN = "[【［"
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n|$)")
SUPPORTED = 0.5  # share of a sentence's character bigrams found in a passage


@dataclass
class Renumberer:
    """Rewrites the prompt's passage numbers to answer numbers while the text streams: the first passage
    cited becomes [1]. Numbers that name no passage are dropped."""

    n_passages: int
    order: list[int] = field(default_factory=list)  # answer number n -> passage index order[n - 1]
    _buffer: str = ""

    def _rewrite(self, text: str) -> str:
        def one(m: re.Match) -> str:
            out = []
            for k in map(int, re.split(r"\s*[,，、]\s*", m.group(1))):
                if not 1 <= k <= self.n_passages:
                    continue
                if k - 1 not in self.order:
                    self.order.append(k - 1)
                n = self.order.index(k - 1) + 1
                if f"[{n}]" not in out:
                    out.append(f"[{n}]")
            return "".join(out)

        return MARKER.sub(one, text)

    def feed(self, text: str) -> str:
        """The text that is safe to show: everything but a marker that may still be open."""
        self._buffer += text
        cut = max(self._buffer.rfind(ch) for ch in _OPEN)
        if cut >= 0 and not any(ch in self._buffer[cut:] for ch in "]】］") and len(self._buffer) - cut < 16:
            ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        else:
            ready, self._buffer = self._buffer, ""
        return self._rewrite(ready)

    def finish(self) -> str:
        ready, self._buffer = self._buffer, ""
        return self._rewrite(ready)


def bigrams(text: str) -> set[str]:
    t = compact(MARKER.sub("", text)).lower()
    return {t[i : i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def support(sentence: str, passage_text: str) -> float:
    grams = bigrams(sentence)
    if not grams:
        return 0.0
    return len(grams & bigrams(passage_text)) / len(grams)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def attach_missing(text: str, passage_texts: list[str], order: list[int]) -> tuple[str, list[str]]:
    """Give each uncited sentence the citation of the passage that clearly supports it (adding that
    passage to `order` when new); sentences that no passage supports are returned as flags."""
    out, flags = [], []
    for sent in sentences(text):
        body = MARKER.sub("", sent).strip()
        if MARKER.search(sent) or len(compact(body)) < 4:
            out.append(sent)
            continue
        scores = [support(body, t) for t in passage_texts]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is None or scores[best] < SUPPORTED:
            flags.append(f"no passage supports: {body}")
            out.append(sent)
            continue
        if best not in order:
            order.append(best)
        marker = f"[{order.index(best) + 1}]"
        # Before the closing punctuation, as in the prompt's example: "…理由[1]。"
        m = re.search(r"[。！？!?.\s]+$", sent)
        out.append(sent[: m.start()] + marker + sent[m.start() :] if m else sent + marker)
    return "".join(out), flags


def cited_numbers(text: str) -> list[int]:
    seen: list[int] = []
    for m in MARKER.finditer(text):
        for k in map(int, re.split(r"\s*[,，、]\s*", m.group(1))):
            if k not in seen:
                seen.append(k)
    return seen
