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


def best_passages(
    passages: list[Passage], candidates: list[Candidate], max_passages: int, selected: list[Candidate] = ()
) -> list[int]:
    """The passages of the extractive selection (best sentence first) when there is one; otherwise the
    top passages in retrieval order with editor's notes after the text (a note restates the document
    it introduces, and the model cites whatever comes first). On the dev set the 1.5B model cited
    correctly more often (.88 vs .84) and began writing sooner (3.3 vs 4.9 s) with the selection alone."""
    order: list[int] = []
    for c in sorted(selected, key=lambda c: -c.score):
        if c.passage not in order:
            order.append(c.passage)
    if order:
        return order[:max_passages]
    usable = {c.passage for c in candidates}
    rest = sorted((i for i in range(len(passages)) if i in usable), key=lambda i: passages[i].chunk.kind == "editor_note")
    return rest[:max_passages]


def trimmed(
    passages: list[Passage],
    candidates: list[Candidate],
    max_passages: int,
    max_chars: int,
    selected: list[Candidate] = (),
) -> tuple[list[int], list[Passage]]:
    """What the model reads: the chosen passage indices, and copies of those passages cut to the selected
    sentences and then their best others, within one character budget (each keeps its best sentence)."""
    chosen = best_passages(passages, candidates, max_passages, selected)
    picked: dict[int, list] = {i: [] for i in chosen}
    used = 0
    first = sorted(selected, key=lambda c: -c.score)
    for c in first + sorted((c for c in candidates if c.passage in picked and c not in first), key=lambda c: -c.score):
        if c.passage not in picked or c.sentence in picked[c.passage]:
            continue
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
