"""Issue -> chunks: one per provision or section, split at sentence ends only when long."""

from __future__ import annotations

import hashlib

from rag.injection import instruction_sentences
from rag.references import reference_data
from rag.sentences import CUT_POINTS
from rag.types import PATH_SEP, Article, Block, Chunk, Issue, Section, place

# 2: each chunk carries what its bibliographic reference needs (Chunk.ref)
# 3: and the sentences in it that speak to an AI (Chunk.instructions, rag.injection)
CHUNKER_VERSION = "3"


def _slice(block: Block, lo: int, hi: int) -> Block:
    """The part of a block between two text offsets, with its source spans."""
    spans, pos = [], 0
    for s, e in block.spans:
        a, b = max(lo, pos), min(hi, pos + (e - s))
        if a < b:
            spans.append((s + a - pos, s + b - pos))
        pos += e - s
    return Block(block.kind, spans, block.text[lo:hi])


def _split_long(block: Block, limit: int) -> list[Block]:
    """Cut an over-long paragraph between sentences (or, failing that, at the limit)."""
    if len(block.text) <= limit:
        return [block]
    cuts = [m.start() for m in CUT_POINTS.finditer(block.text)] + [len(block.text)]
    pieces, lo, last = [], 0, 0
    for cut in cuts:
        if cut - lo > limit and last > lo:
            pieces.append((lo, last))
            lo = last
        while cut - lo > limit:  # one sentence longer than the limit
            pieces.append((lo, lo + limit))
            lo += limit
        last = cut
    if lo < len(block.text):
        pieces.append((lo, len(block.text)))
    return [_slice(block, a, b) for a, b in pieces if b > a]


def _pack(blocks: list[Block], target: int, limit: int) -> list[list[Block]]:
    """Group paragraphs into runs of about ``target`` characters, never over ``limit``."""
    parts = [p for b in blocks for p in _split_long(b, target)]
    groups: list[list[Block]] = []
    size = 0
    for p in parts:
        if groups and size + len(p.text) + 1 <= target:
            groups[-1].append(p)
            size += len(p.text) + 1
        else:
            groups.append([p])
            size = len(p.text)
    # A short tail reads better with the run before it.
    if (
        len(groups) > 1
        and sum(len(p.text) for p in groups[-1]) < target // 4
        and sum(len(p.text) + 1 for p in groups[-2] + groups[-1]) <= limit
    ):
        groups[-2].extend(groups.pop())
    return groups


class Chunker:
    def __init__(self, target_chars: int = 600, max_chars: int = 1200) -> None:
        if not 0 < target_chars <= max_chars:
            raise ValueError("need 0 < target_chars <= max_chars")
        self.target, self.limit = target_chars, max_chars

    def chunk_issue(self, issue: Issue) -> list[Chunk]:
        chunks: list[Chunk] = []
        if issue.card:
            chunks += self._make(issue, None, "本期信息", issue.card, "issue_card", header=f"{issue.label} 刊头与本期要目")
        for article in issue.articles:
            if article.editor_note:
                chunks += self._make(issue, article, "编者按", article.editor_note, "editor_note")
            for path, section in article.root.walk():
                chunks += self._section_chunks(issue, article, path, section)
        return chunks

    def _section_chunks(self, issue: Issue, article: Article, path: tuple[str, ...], section: Section) -> list[Chunk]:
        if not section.blocks:
            return []
        blocks = ([section.heading] if section.heading else []) + section.blocks
        return self._make(issue, article, PATH_SEP.join(path), blocks, "section")

    def _make(
        self, issue: Issue, article: Article | None, section: str, blocks: list[Block], kind: str, header: str = ""
    ) -> list[Chunk]:
        title = article.title if article else ""
        header = header or place(title, section)
        out = []
        # The issue card stays whole unless it would break the hard limit.
        target = self.limit if kind == "issue_card" else self.target
        groups = _pack(blocks, target, self.limit)
        ref = reference_data(issue, article)
        for group in groups:
            text = "\n".join(b.text for b in group)
            digest = hashlib.sha1(f"{issue.issue_id}|{title}|{section}|{text}".encode()).hexdigest()[:16]
            out.append(
                Chunk(
                    id=digest,
                    text=text,
                    header=header,
                    issue_id=issue.issue_id,
                    issue_label=issue.label,
                    issue_date=issue.date,
                    article=title,
                    column=article.column if article else "",
                    source=article.source if article else "",
                    section=section,
                    source_path=issue.source_path,
                    spans=issue.source_spans([s for b in group for s in b.spans]),
                    kind=kind,
                    page=issue.page_at(group[0].spans[0][0]) if group[0].spans else None,
                    ref=ref,
                    instructions=instruction_sentences(text),
                )
            )
        return out
