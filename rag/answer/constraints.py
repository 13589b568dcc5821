"""What a frame (rag.frames: a resolved follow-up, or one part of a question of several) asks of retrieval and
the answer: its document first — the passages retrieved within it lead, then those the whole library ranks
highest, so that the question is judged relevant or not on the library as any question is, and the judge
(given the document) quotes only the document's — and the section of its document's outline a step moved to
(下一项, the previous article) first of all: the structure boost, from the outline rather than from numbers in
the words. Its places, period and provisions are those its words name, which intent, the structure boost and
the judge read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rag.filters import Filters
from rag.frames import Frame
from rag.types import PATH_SEP, Chunk, Passage


def within(frame: Frame | None, filters: Filters | None) -> Filters | None:
    """The filters with the frame's document added (a document filter the person chose stands as it is)."""
    if frame is None or not frame.document or (filters and filters.articles):
        return filters
    return replace(filters or Filters(), articles=(frame.document,))


def retrieved(frame: Frame | None, filters: Filters | None, search: Callable[[Filters | None], list[Passage]]) -> list[Passage]:
    """The passages a question is answered from: ``search(filters)``, and for a frame with a document the
    document's own passages (``search`` within it) ahead of them."""
    everywhere = search(filters)
    inside = within(frame, filters)
    if inside is filters:
        return everywhere
    mine = search(inside)
    ids = {p.chunk.id for p in mine}
    return _ranked([*mine, *(p for p in everywhere if p.chunk.id not in ids)])


def _ranked(passages: list[Passage]) -> list[Passage]:
    return [replace(p, rank=n) for n, p in enumerate(passages, 1)]


def pinned(
    frame: Frame | None, passages: list[Passage], chunks: Sequence[Chunk], filters: Filters | None, k: int
) -> list[Passage]:
    """``passages`` with (up to ``k`` of) those of the frame's section first, in reading order, then the rest as
    ranked, as many as before. Unchanged when the frame has no section or its section has no passage the
    filters allow."""
    if frame is None or not frame.document or not frame.section:
        return passages
    prefix = PATH_SEP.join(frame.section)
    mine = [
        c
        for c in chunks
        if c.kind == "section"
        and c.article == frame.document
        and (c.section == prefix or c.section.startswith(prefix + PATH_SEP))
        and (not filters or filters.allows(c))
    ][:k]
    if not mine:
        return passages
    ids = {c.id for c in mine}
    top = max((p.score for p in passages), default=0.0)
    known = {p.chunk.id: p for p in passages}
    first = [replace(known[c.id]) if c.id in known else Passage(c, top, 0) for c in mine]
    rest = [p for p in passages if p.chunk.id not in ids]
    return _ranked([*first, *rest][: max(k, len(passages))])
