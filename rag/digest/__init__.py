"""本期要点: a digest of one issue — each article's issuing body, date, kind of document, main points and
figures, each cited [n] — extractive (extract), or written by an LLM and grounded (write); rendered as text,
Markdown or JSON (render)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from rag.config import CitationSettings
from rag.digest.extract import Digest, DigestError, extract_digest
from rag.targets import Target
from rag.types import Chunk

__all__ = ["Digest", "DigestError", "build_digest"]


def build_digest(
    chunks: Sequence[Chunk],
    targets: Sequence[Target] | None,
    issue_id: str | None = None,
    llm=None,
    prompts_dir=None,
    citations: CitationSettings | None = None,
) -> Digest:
    """The digest of one issue (default: the latest); with ``llm``, its points written by the model and
    grounded under ``citations`` (Settings.citations)."""
    t0 = time.perf_counter()
    digest = extract_digest(chunks, targets, issue_id)
    if llm is not None:
        from rag.digest.write import write_digest

        write_digest(digest, llm, prompts_dir, citations or CitationSettings())
    digest.seconds = round(time.perf_counter() - t0, 3)
    return digest
