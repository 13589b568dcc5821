"""Proper names an English text writes: runs of capitalised words (Kweichow Moutai, the Bank of China, the
Huangguoshu Waterfall), joined by of or and, without the question's opening word (What, How …) or a
possessive's 's. Which of them a library knows is its reader's question (rag.answer.answerability); this module
only finds them. Months and weekdays are dates, not names (rag.language.periods reads them)."""

from __future__ import annotations

import re

from rag.language.spans import Span

_RUN = re.compile(r"\b[A-Z][\w’'×-]*(?:\s+(?:(?:of|and)\s+)?[A-Z][\w’'×-]*)*")
# Capitalised words that open a question or a clause, not a name.
_OPENERS = frozenset("""what which who whom whose when where why how does do did is are was were can could may might must
    should shall will would has have had if once under according in by for of the a an and at within after before
    during i""".split())  # fmt: skip
_CALENDAR = frozenset("""january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays
    sundays""".split())  # fmt: skip


def english_names(text: str) -> list[Span]:
    """The proper names ``text`` writes, in order."""
    out = []
    for m in _RUN.finditer(text):
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group(0))]
        while words and m.group(0)[words[0][0] : words[0][1]].lower() in _OPENERS:
            words.pop(0)
        while words and m.group(0)[words[-1][0] : words[-1][1]].lower() in _OPENERS:
            words.pop()
        if not words:
            continue
        start, end = m.start() + words[0][0], m.start() + words[-1][1]
        name = re.sub(r"[’']s$", "", text[start:end])
        if name.lower() in _CALENDAR or len(name) < 2:
            continue
        out.append(Span(start, start + len(name), name))
    return out
