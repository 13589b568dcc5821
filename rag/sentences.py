"""Split a passage into sentences with their offsets, so an answer can quote and highlight them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at 。！？ (or ; ? ! in half-width text), or at the end of a line (list items,
# headings). 「；」 ends a sentence only in a long one: policy prose strings whole measures on it.
_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n")
_SEMI = re.compile(r"[；;]")
LONG = 120


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the passage text
    end: int


def _pieces(text: str, start: int, end: int):
    if end - start <= LONG:
        yield start, end
        return
    last = start
    for m in _SEMI.finditer(text, start, end):
        if m.end() - last >= 20:
            yield last, m.end()
            last = m.end()
    if last < end:
        yield last, end


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    last = 0
    bounds = [m.end() for m in _END.finditer(text)]
    if not bounds or bounds[-1] != len(text):
        bounds.append(len(text))
    for b in bounds:
        for s, e in _pieces(text, last, b):
            # Trim whitespace so offsets point at the words themselves.
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(text[s:e], s, e))
        last = b
    return out
