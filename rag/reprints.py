"""A passage printed again in a later issue is stored once, under its first printing, citing all."""

from __future__ import annotations

import hashlib

from rag.text import compact
from rag.types import Chunk


def reprint_key(c: Chunk) -> str:
    """Passages are the same when kind, title, section path and text are, whatever the spacing or
    full/half-width forms (a PDF and a Markdown printing differ there)."""
    parts = (c.kind, compact(c.article), c.section, compact(c.text))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def merge_reprints(chunks: list[Chunk], keys: list[str], seen: dict[str, Chunk]) -> tuple[list[Chunk], int]:
    """The chunks of one issue that no earlier issue printed, and how many it reprinted.

    ``seen`` holds the first printing of every passage so far (callers go through issues oldest
    first); a reprint is noted on that first printing instead of being kept twice.
    """
    kept, reprinted = [], 0
    for c, key in zip(chunks, keys, strict=True):
        if c.kind == "issue_card":  # every issue has its own masthead
            kept.append(c)
            continue
        first = seen.get(key)
        if first is not None and first.issue_id != c.issue_id:
            first.also_in.append(
                {
                    "issue_id": c.issue_id,
                    "issue": c.issue_label,
                    "issue_date": c.issue_date,
                    "source_path": c.source_path,
                    "start": c.start,
                    "end": c.end,
                    "page": c.page,
                }
            )
            reprinted += 1
            continue
        seen.setdefault(key, c)
        kept.append(c)
    return kept, reprinted
