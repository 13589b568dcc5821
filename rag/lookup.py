"""Citation lookup: a clause reference or a quoted phrase -> the exact provisions, with their full text.

Not a semantic search. A reference that names a provision (「云南 第二十二条」, 「数据要素× （十三）」,
「第22条」) is matched on the section tree; otherwise the text is taken as a quote and matched
fuzzily (whitespace, full/half-width punctuation and a wrong character or two do not matter).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rag.language import labels
from rag.language.provisions import without_refs
from rag.load.normalise import clean
from rag.provisions import names_part, names_provision
from rag.query import QueryError, normalize_query
from rag.types import PATH_SEP, Chunk

MIN_QUOTE_CHARS = 4
# partial_ratio of a quote against a passage: one wrong character in ten still scores 90.
QUOTE_CUTOFF = 80.0
# Text beside a provision number longer than this is a quote that happens to contain one.
MAX_HINT_CHARS = 16
QUOTE_MARKS = "「」『』“”\"'‘’"


@dataclass
class Provision:
    how: str  # "provision" (matched on the section tree) | "quote" (fuzzy text match)
    score: float  # 100 for a structural match; the quote's similarity otherwise
    chunk: Chunk  # the first passage of the provision: issue, article and source metadata
    section: str  # the provision's path, down to the matched part
    text: str  # the provision's full text, every passage under it in document order
    start: int  # source offsets of the whole provision
    end: int
    match: tuple[int, int] | None = None  # the quoted span within ``text``

    def citation(self) -> dict:
        return {**self.chunk.citation(), "section": self.section, "start": self.start, "end": self.end}


@dataclass
class Context:
    """A passage with its neighbours in the same section, for checking a citation in place."""

    chunk: Chunk
    section: str  # the enclosing section shown
    pieces: list[tuple[Chunk, bool]]  # (passage, is the one cited), in document order


def _compact(text: str) -> tuple[str, list[int]]:
    """NFKC, lower case, no whitespace; with each output character's offset in the input."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if not c.isspace():
                out.append(c)
                where.append(i)
    return "".join(out), where


def _under(chunk: Chunk, issue_id: str, article: str, path: str) -> bool:
    return (
        chunk.issue_id == issue_id
        and chunk.article == article
        and chunk.kind == "section"
        and (chunk.section == path or chunk.section.startswith(path + PATH_SEP))
    )


def provision_text(chunks: Sequence[Chunk], first: Chunk, path: str) -> tuple[str, list[Chunk]]:
    """The full text of the provision at ``path`` in ``first``'s article, and its passages."""
    parts = sorted((c for c in chunks if _under(c, first.issue_id, first.article, path)), key=lambda c: c.start)
    return "\n".join(c.text for c in parts), parts


def _provision(chunks: Sequence[Chunk], first: Chunk, path: str, how: str, score: float) -> Provision:
    text, parts = provision_text(chunks, first, path)
    parts = parts or [first]
    text = text or first.text
    return Provision(how, score, parts[0], path, text, min(c.start for c in parts), max(c.end for c in parts))


def _matches_hint(chunk: Chunk, hint: str) -> bool:
    if not hint:
        return True
    where = _compact(f"{chunk.article} {chunk.source} {chunk.issue_label}")[0]
    return all(word in where for word in (_compact(w)[0] for w in hint.split()))


def _structural(chunks: Sequence[Chunk], refs: set[str], hint: str) -> list[Provision]:
    found: dict[tuple[str, str, str], Provision] = {}
    for c in chunks:
        if c.kind != "section" or not names_provision(c, refs) or not _matches_hint(c, hint):
            continue
        parts = c.section.split(PATH_SEP)
        # The provision is the path down to the part the reference names (a clause's items stay inside).
        depth = next(i for i, part in enumerate(parts) if names_part(part, refs))
        path = PATH_SEP.join(parts[: depth + 1])
        key = (c.issue_id, c.article, path)
        if key not in found:
            found[key] = _provision(chunks, c, path, "provision", 100.0)
    return sorted(found.values(), key=lambda p: (p.chunk.issue_id, p.chunk.source_path, p.start))


def _quotes(chunks: Sequence[Chunk], quote: str, limit: int) -> list[Provision]:
    q, _ = _compact(clean(quote))  # a quote copied from a PDF viewer may carry ⼤ for 大
    if len(q) < MIN_QUOTE_CHARS:
        raise QueryError(f"give a clause reference (第二十二条, （十三）) or a quote of at least {MIN_QUOTE_CHARS} characters")
    candidates = [c for c in chunks if c.kind != "issue_card"]
    texts = [_compact(c.text)[0] for c in candidates]
    hits = process.extract(q, texts, scorer=fuzz.partial_ratio, limit=limit * 3, score_cutoff=QUOTE_CUTOFF)
    found: dict[tuple[str, str, str], Provision] = {}
    for _, score, row in sorted(hits, key=lambda h: (-h[1], h[2])):
        c = candidates[row]
        key = (c.issue_id, c.article, c.section)
        if key in found:
            continue
        p = _provision(chunks, c, c.section, "quote", round(float(score), 1)) if c.kind == "section" else None
        if p is None:  # an editor's note is its own provision
            p = Provision("quote", round(float(score), 1), c, c.section, c.text, c.start, c.end)
        norm, where = _compact(p.text)
        span = fuzz.partial_ratio_alignment(q, norm)
        if span is not None and span.dest_end > span.dest_start:
            p.match = (where[span.dest_start], where[span.dest_end - 1] + 1)
        found[key] = p
        if len(found) == limit:
            break
    return list(found.values())


def lookup(chunks: Sequence[Chunk], reference: str, limit: int = 5, max_chars: int = 2000) -> list[Provision]:
    """Provisions named by ``reference``: structural matches if it names a provision, else quote matches."""
    text = normalize_query(reference, max_chars)
    text = text.replace("(", "（").replace(")", "）")
    refs = labels(text)
    if refs:
        hint = without_refs(text)
        found = _structural(chunks, refs, hint)
        if found or len(hint) <= MAX_HINT_CHARS:
            # A reference to a provision that is not there finds nothing, not a look-alike.
            return found[:limit]
    return _quotes(chunks, reference.strip().strip(QUOTE_MARKS), limit)


def context(chunks: Sequence[Chunk], chunk_id: str, max_chars: int = 1500) -> Context:
    """The cited passage with the passages around it in its enclosing section, within ``max_chars``."""
    target = next((c for c in chunks if c.id == chunk_id), None)
    if target is None:
        raise KeyError(f"no passage {chunk_id} in the index")
    parts = target.section.split(PATH_SEP)
    parent = PATH_SEP.join(parts[:-1]) if len(parts) > 1 else target.section
    same = sorted(
        (c for c in chunks if c.issue_id == target.issue_id and c.article == target.article and c.kind == target.kind),
        key=lambda c: c.start,
    )
    if parent:
        same = [c for c in same if c.section == parent or c.section.startswith(parent + PATH_SEP) or c is target]
    i = next(k for k, c in enumerate(same) if c.id == chunk_id)
    lo, hi, size = i, i + 1, len(target.text)
    # Grow outwards one neighbour at a time, nearest first, while the budget lasts.
    while True:
        grew = False
        for j in (lo - 1, hi):
            if 0 <= j < len(same) and size + len(same[j].text) <= max_chars:
                size += len(same[j].text)
                lo, hi = min(lo, j), max(hi, j + 1)
                grew = True
        if not grew:
            break
    return Context(target, parent, [(c, c.id == chunk_id) for c in same[lo:hi]])
