"""Source text -> blocks (headings, paragraphs, list items) with exact source spans.

Markdown marks are cut out of the spans rather than rewritten, so every block's
text is a concatenation of verbatim source pieces.
"""

from __future__ import annotations

import re

from rag.sentences import ends_sentence
from rag.types import Block

_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_IMAGE = re.compile(r"^(!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)$")
_FIGURE_CAPTION = re.compile(r"^图\s*\d+(\s|$)")
_QR = re.compile(r"扫描二维码|^阅读全文$")
_LIST_ITEM = re.compile(r"^[-*+][ \t]+")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
_WS = " \t\u3000\xa0\ufeff\r"
_MIN_CUT_PARAGRAPH = 20


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def _block(source: str, kind: str, spans: list[tuple[int, int]], bold_lead: str = "") -> Block:
    spans = [(s, e) for s, e in spans if e > s]
    return Block(kind, spans, "".join(source[s:e] for s, e in spans), bold_lead)


def _line_block(source: str, start: int, end: int) -> Block | None:
    line = source[start:end]
    m = _HEADING.match(line)
    if m:
        s, e = _strip_span(source, start + m.end(), end)
        # A bold heading is still a heading; drop the stars around it.
        if source.startswith("**", s) and source[s:e].endswith("**") and e - s > 4:
            s, e = s + 2, e - 2
        return _block(source, "heading", [(s, e)]) if e > s else None
    if _IMAGE.match(line) or _FIGURE_CAPTION.match(line) and len(line) < 60 or _QR.search(line):
        return None
    m = _LIST_ITEM.match(line)
    if m:
        return _block(source, "item", [(start + m.end(), end)])
    m = _BOLD_LEAD.match(line)
    if m:
        lead = (start + 2, start + m.end() - 2)
        rest = (start + m.end(), end)
        return _block(source, "para", [lead, rest], bold_lead=m.group(1).strip())
    return _block(source, "para", [(start, end)])


def split_blocks(source: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Blocks of ``source[start:end]``, one per non-blank line, noise lines dropped."""
    end = len(source) if end is None else end
    blocks: list[Block] = []
    pos = start
    while pos < end:
        nl = source.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        s, e = _strip_span(source, pos, line_end)
        if e > s:
            block = _line_block(source, s, e)
            if block is not None and block.text.strip(_WS):
                blocks.append(block)
        pos = line_end + 1
    return blocks


def repair_page_breaks(blocks: list[Block], starts_new: callable) -> list[Block]:
    """Join a paragraph cut by a page break with its continuation.

    ``starts_new(block)`` says whether a block opens a new unit (a numbered
    provision, say), which is never a continuation.
    """
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "para"
            and block.kind == "para"
            and not block.bold_lead
            and len(prev.text) >= _MIN_CUT_PARAGRAPH
            and not ends_sentence(prev.text)
            and not starts_new(block)
        ):
            out[-1] = Block("para", prev.spans + block.spans, prev.text + block.text, prev.bold_lead)
        else:
            out.append(block)
    return out
