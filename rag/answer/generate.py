"""Grounded generation: the top passages, cut to their most relevant sentences so the prompt stays small
on two cores, go to the LLM; its stream comes back with citations renumbered as it arrives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rag.answer.citations import Renumberer
from rag.answer.extractive import Candidate
from rag.answer.prompt import Templates, build_messages
from rag.models.llm import LLM
from rag.types import Passage


def _join(text: str, chosen: list) -> str:
    chosen = sorted(chosen, key=lambda x: x.start)
    parts, last_end = [], 0
    for sent in chosen:
        if text[last_end : sent.start].strip():
            parts.append("…")
        parts.append(sent.text)
        last_end = sent.end
    if text[last_end:].strip():
        parts.append("…")
    return "".join(parts)


def best_passages(passages: list[Passage], candidates: list[Candidate], max_passages: int) -> list[int]:
    """The top passages in retrieval order, editor's notes after the text: a note restates the document
    it introduces, and the model cites whatever comes first. Passages with no usable sentence are left out."""
    usable = {c.passage for c in candidates}
    order = sorted((i for i in range(len(passages)) if i in usable), key=lambda i: passages[i].chunk.kind == "editor_note")
    return order[:max_passages]


def trimmed(
    passages: list[Passage], candidates: list[Candidate], max_passages: int, max_chars: int
) -> tuple[list[int], list[Passage]]:
    """What the model reads: the chosen passage indices, and copies of those passages cut to their best
    sentences within one character budget (each keeps at least its best sentence)."""
    chosen = best_passages(passages, candidates, max_passages)
    picked: dict[int, list] = {i: [] for i in chosen}
    used = 0
    for c in sorted((c for c in candidates if c.passage in picked), key=lambda c: -c.score):
        if picked[c.passage] and used + len(c.sentence.text) > max_chars:
            continue
        picked[c.passage].append(c.sentence)
        used += len(c.sentence.text)
    out = []
    for i in chosen:
        text = passages[i].chunk.text
        out.append(replace(passages[i], chunk=replace(passages[i].chunk, text=_join(text, picked[i]))))
    return chosen, out


def stream_answer(
    llm: LLM, templates: Templates, question: str, passages: list[Passage], renumber: Renumberer, max_tokens: int
) -> Iterator[str]:
    for delta in llm.stream(build_messages(templates, question, passages), max_tokens):
        shown = renumber.feed(delta)
        if shown:
            yield shown
    rest = renumber.finish()
    if rest:
        yield rest
