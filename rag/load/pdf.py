"""A PDF's lines -> the text the parser reads, one paragraph per line as the Markdown has it.

Structure comes from the text: the parser builds the section tree from the numbering (第X章 › 第X条,
一、 › （一） › 1.) whatever the type looks like, so this module only hands it whole paragraphs with
headings marked, once page furniture is gone (rag.load.pdf_furniture) and columns and tables are
told apart (rag.load.pdf_regions). The evidence it weighs, line by line:
- a heading is set larger than the body text (≥ 1.15×), or is one short line standing alone in
  bold, or, where the fonts do not say (a browser's Type3 fonts), numbered and worded as a title
  and followed by text;
- a bold run that opens a line and goes on in regular type is marked `**lead**`, as the Markdown
  marks field names (主 编) and provision titles;
- a line runs on into the next when the next follows at the usual spacing, in the same type, not
  indented, and the line reached the column's right edge; a numbered line after a finished
  sentence, a bullet, a new bold lead and a table row always start afresh.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from rag.load.document import Document, LoadError
from rag.load.limits import Limits
from rag.load.normalise import clean
from rag.load.pdf_furniture import furniture
from rag.load.pdf_lines import Line, Page, read_pages
from rag.load.pdf_regions import BULLET, bands, is_row, join, merged, rows, table
from rag.provisions import numbering
from rag.sentences import ends_sentence

_HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
_BOLD_HEADING_CHARS = 40
_MIN_CHARS_PER_PAGE = 20
_FEW_LINES = 4  # a column with fewer lines has its right edge at its longest line
_CLAUSE_MARKS = re.compile(r"[。；;，,：:]")
_SENTENCE_MARKS = re.compile(r"[。；;]")


def read_pdf(data: bytes, name: str, limits: Limits | None = None) -> Document:
    pages = read_pages(data, name, limits or Limits())
    chars = sum(len(ln.text) for page in pages for ln in page.lines)
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise LoadError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    drops = furniture(pages)
    kept = [[ln for i, ln in enumerate(page.lines) if i not in drop] for page, drop in zip(pages, drops, strict=True)]
    style = _Style.of(kept)
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    carry: list[str] | None = None  # the header of a table the last page ended in
    for page, lines in zip(pages, kept, strict=True):
        starts.append(length)
        ended: list[str] | None = None
        for block, header in _page_blocks(page, lines, style, carry):
            parts.append(block + "\n\n")
            length += len(block) + 2
            ended = header
        carry = ended
    return Document("".join(parts), "pdf", pages=starts)


# --- the document's type and spacing ------------------------------------------------------------


@dataclass
class _Column:
    left: float
    right: float


@dataclass
class _Style:
    body: float  # the body text's type size
    gap: float  # the usual space between two lines of a paragraph
    column: _Column  # the text column of the document's pages (a page of short lines, a masthead, has no edge of its own)

    @classmethod
    def of(cls, pages: list[list[Line]]) -> _Style:
        sizes: Counter[float] = Counter()
        for lines in pages:
            for ln in lines:
                sizes[round(ln.size * 2) / 2] += len(ln.text)
        body = sizes.most_common(1)[0][0] if sizes else 10.0
        gaps = [
            b.top - a.bottom
            for lines in pages
            for a, b in zip(lines, lines[1:], strict=False)
            if _same_size(a.size, body) and _same_size(b.size, body) and 0 < b.top - a.bottom < 2 * body
        ]
        lines = [ln for page in pages for ln in page if _same_size(ln.size, body)]
        return cls(body, median(gaps) if gaps else 0.3 * body, _column(lines, 0.02))

    def heading(self, line: Line) -> bool:
        return line.size >= self.body * _HEADING_RATIO


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= 0.1 * max(a, b)


# --- one page ----------------------------------------------------------------------------------


@dataclass
class _Paragraph:
    lines: list[Line]
    column: _Column


def _page_blocks(page: Page, lines: list[Line], style: _Style, carry: list[str] | None):
    """(text, table header or None) of each paragraph or table row of the page, in reading order."""
    items = list(_page_items(page, lines, style, carry))
    for k, item in enumerate(items):
        if isinstance(item, _Paragraph):
            after = items[k + 1] if k + 1 < len(items) else None
            yield _block(item, style, after.lines[0].text if isinstance(after, _Paragraph) else None), None
        else:
            yield item


def _page_items(page: Page, lines: list[Line], style: _Style, carry: list[str] | None):
    """The page's paragraphs, and its table rows as (text, header), in reading order.

    ``carry`` is the header of a table the previous page ended in: a table opening this page
    goes on with it.
    """
    regions = bands(lines)
    for band in regions:
        # one column of the document's page, or one of two on this page: then its own edges
        column = style.column if len(regions) == 1 else _column([ln for ln in band if _same_size(ln.size, style.body)] or band)
        run: list[list[Line]] = []  # consecutive table rows (a wrapped cell is a row of one)
        paragraph: list[Line] = []
        for unit in [*rows(band), None]:
            if unit is not None and is_row(unit, run):
                if paragraph:
                    yield _Paragraph(paragraph, column)
                    carry, paragraph = None, []
                run.append(unit)
                continue
            if run:
                yield from table(run, carry)
                carry, run = None, []
            if unit is None:
                break
            ln = unit[0] if len(unit) == 1 else merged(unit)
            if paragraph and _runs_on(paragraph[-1], ln, style, column):
                paragraph.append(ln)
                continue
            if paragraph:
                yield _Paragraph(paragraph, column)
                carry = None
            paragraph = [ln]
        if paragraph:
            yield _Paragraph(paragraph, column)


def _column(lines: list[Line], share: float = 0.0) -> _Column:
    """The left and right edges of a column of text: the leftmost start more than ``share`` of the
    lines (and two at least) have in common (first lines are indented, a hanging quotation mark may
    stand out alone), and where most full lines end."""
    if not lines:
        return _Column(0.0, 0.0)
    starts = Counter(round(ln.x0) for ln in lines)
    shared = [x for x, n in starts.items() if n >= max(2, share * len(lines))]
    left = float(min(shared) if shared else min(starts))
    ends = sorted(ln.x1 for ln in lines)
    right = ends[int(0.8 * (len(ends) - 1))] if len(ends) >= _FEW_LINES else ends[-1]
    return _Column(left, right)


def _runs_on(prev: Line, line: Line, style: _Style, column: _Column) -> bool:
    """Whether ``line`` continues the paragraph whose last line is ``prev``."""
    size = line.size
    return (
        style.heading(prev) == style.heading(line)
        and _same_size(prev.size, size)
        and prev.bold == line.bold
        and -0.2 * size <= line.top - prev.bottom <= style.gap + 0.3 * size
        and prev.x1 >= column.right - 2 * size  # the line above reached the right edge: it wrapped
        and line.x0 <= column.left + 0.6 * size  # and this one is not indented
        and not line.lead
        and not BULLET.match(line.text)
        # a full line that ends a sentence, then 第十一条 …: a new provision, not a wrap
        and not (ends_sentence(prev.text) and numbering(clean(line.text)))
    )


def _titled(text: str, after: str | None) -> bool:
    """Numbered and worded as a title (no 。；，： in it), and followed by text rather than by
    more title-like lines: a list of such lines (报告目录) stays paragraphs, so none of it can
    become a heading with nothing under it, which would leave its words out of every passage."""
    text, after = clean(text).strip(), clean(after or "").strip()
    if not numbering(text) or _CLAUSE_MARKS.search(text):
        return False
    return bool(_SENTENCE_MARKS.search(after) or len(after) > _BOLD_HEADING_CHARS)


def _block(paragraph: _Paragraph, style: _Style, after: str | None) -> str:
    """The paragraph's text, marked as the Markdown would; ``after`` is the next paragraph's start."""
    lines, column = paragraph.lines, paragraph.column
    text = lines[0].text
    for ln in lines[1:]:
        text = join(text, ln.text)
    first = lines[0]
    if style.heading(first):
        return "## " + text
    # One short line standing alone, in bold or, where the fonts do not say, numbered and worded
    # like a title (第四章 公共数据共享, 四、组织实施): a heading the type size does not show.
    alone = len(lines) == 1 and len(text) <= _BOLD_HEADING_CHARS and first.x1 < column.right - 2 * first.size
    if alone and (first.bold or (first.bold is None and _titled(text, after))):
        return "## " + text
    if BULLET.match(text):
        return BULLET.sub("- ", text)
    if 0 < first.lead < len(text):
        lead = text[: first.lead].rstrip()
        return f"**{lead}**{text[len(lead) :]}"
    return text


# --- tables ------------------------------------------------------------------------------------
