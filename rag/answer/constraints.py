"""What a frame (rag.frames: a resolved follow-up, or one part of a question of several) asks of retrieval and
the answer: its document as a filter (a question known to be about one document is answered from it or not
at all), and the section of its document's outline a step moved to (下一项, the previous article) first among
the passages — the structure boost, from the outline rather than from numbers in the words. Its places,
period and provisions are those its words name, which intent, the structure boost and the judge read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rag.filters import Filters
from rag.frames import Frame
from rag.types import PATH_SEP, Chunk, Passage


def within(frame: Frame | None, filters: Filters | None) -> Filters | None:
    """The filters with the frame's document added (a document filter the person chose stands as it is)."""
    if frame is None or not frame.document or (filters and filters.articles):
        return filters
    return replace(filters or Filters(), articles=(frame.document,))


def pinned(
    frame: Frame | None, passages: list[Passage], chunks: Sequence[Chunk], filters: Filters | None, k: int
) -> list[Passage]:
    """``passages`` with those of the frame's section first (in reading order), then the rest as ranked; the
    first ``k``. Unchanged when the frame has no section or its section has no passage the filters allow."""
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
    return [replace(p, rank=n) for n, p in enumerate([*first, *rest][:k], 1)]
