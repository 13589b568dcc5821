"""Where sentences end, in one place: passages split into sentences with their offsets (so an answer
can quote and highlight them), the cut points of long paragraphs, an answer's own sentences, and
whether a paragraph ends whole or was cut by a page break."""

from __future__ import annotations

import re
from dataclasses import dataclass

STOPS = "。！？!?"  # end a sentence
CLAUSE_STOPS = "；;"  # end a clause; policy prose strings whole measures on them
CLOSERS = "”’」』）)"  # closing quotes and brackets stay with the sentence they close
# A paragraph can also end whole before a list (：), after an ellipsis or a closing bracket; anything
# else at its end means a page break cut it.
PARAGRAPH_ENDS = set(STOPS + CLAUSE_STOPS + "：:…" + CLOSERS + "】]>")

# A sentence ends at a stop (with its closing quotes), or at the end of a line (list items, headings).
# A clause stop ends a sentence only in a long one.
_END = re.compile(rf"[{STOPS}]+[{CLOSERS}]*|\n")
_SEMI = re.compile(rf"[{CLAUSE_STOPS}]")
LONG = 120
# Where an over-long paragraph may be cut: just after a sentence or clause stop.
CUT_POINTS = re.compile(rf"(?<=[{STOPS}{CLAUSE_STOPS}])")
# An answer's sentences as written: markers and whitespace kept, cut after the stops or at line ends.
_ANSWER_SENTENCE = re.compile(rf"[^{STOPS}\n]*(?:[{STOPS}]+|\n|$)")


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends whole (trailing whitespace and a bold run's closing ** aside)."""
    text = text.rstrip(" \t\u3000\xa0\ufeff\r*")
    return not text or text[-1] in PARAGRAPH_ENDS


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer, each with its [n] markers and spacing as written."""
    return [s for s in _ANSWER_SENTENCE.findall(text) if s.strip()]


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


def split_sentences(text: str, clauses: bool = True) -> list[Sentence]:
    """The sentences of ``text`` with their offsets. ``clauses=False`` keeps a long sentence whole instead
    of cutting it at its ；: a sentence as a reader (and a citation of one value) counts it."""
    out: list[Sentence] = []
    last = 0
    bounds = [m.end() for m in _END.finditer(text)]
    if not bounds or bounds[-1] != len(text):
        bounds.append(len(text))
    for b in bounds:
        for s, e in _pieces(text, last, b) if clauses else [(last, b)]:
            # Trim whitespace so offsets point at the words themselves.
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(text[s:e], s, e))
        last = b
    return out
