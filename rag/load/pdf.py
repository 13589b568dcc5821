"""A PDF's lines -> the text the parser reads, one paragraph per line as the Markdown has it.

Structure comes from the text: the parser builds the section tree from the numbering (第X章 › 第X条,
一、 › （一） › 1.) whatever the type looks like, so this module only has to hand it whole paragraphs,
headings marked and page furniture gone. The evidence it weighs, line by line:
- a heading is set larger than the body text (≥ 1.15×), or is one short line wholly in bold;
- a bold run that opens a line and goes on in regular type is marked `**lead**`, as the Markdown
  marks field names (主 编) and provision titles;
- a line runs on into the next when the next follows at the usual spacing, in the same type, not
  indented, and the line reached the column's right edge; a numbered line after a finished
  sentence, a bullet, a new bold lead and a table row always start afresh;
- running heads, footers and page numbers sit in the top or bottom band and, digits aside, recur
  on many pages (a browser's "12/2/26, 4:11 AM 标题" and "file:///… 3/47"), or are a bare number.
Two-column pages are read column by column (a line across the gutter closes a band); lines whose
pieces stand a wide gap apart in the same places are a table, one row per line (rag.load.tables),
and a header row the next page repeats is dropped there.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from rag.load import Document, LoadError
from rag.load.limits import Limits
from rag.load.normalise import clean
from rag.load.pdf_lines import Line, Page, read_pages
from rag.load.tables import table_lines
from rag.parse.blocks import ends_sentence
from rag.parse.sections import numbering

_BAND = 0.08  # share of the page height at top and bottom where running heads and footers live
_HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
_BOLD_HEADING_CHARS = 40
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?[-—–\s]*$|^\d{1,4}\s*/\s*\d{1,4}$|^(page\s*)?\d{1,4}(\s*of\s*\d{1,4})?$", re.I
)
_DIGITS = re.compile(r"\d+")
_MIN_CHARS_PER_PAGE = 20
_LATIN = re.compile(r"[A-Za-z0-9]")
# Word's list bullets come from the Symbol and Wingdings fonts, in the private use area.
_BULLET = re.compile(r"^[•·●▪◦■□\uf0a7\uf0b7\uf06c\uf076\uf0d8\uf0fc]\s*")
_MIN_COLUMN_LINES = 4
_CLAUSE_MARKS = re.compile(r"[。；;，,：:]")
_SENTENCE_MARKS = re.compile(r"[。；;]")


def read_pdf(data: bytes, name: str, limits: Limits | None = None) -> Document:
    pages = read_pages(data, name, limits or Limits())
    chars = sum(len(ln.text) for page in pages for ln in page.lines)
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise LoadError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    furniture = _furniture(pages)
    kept = [[ln for ln in page.lines if not _is_furniture(ln, page, furniture)] for page in pages]
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


# --- page furniture ---------------------------------------------------------------------------


def _in_band(line: Line, page: Page) -> bool:
    return line.top < page.height * _BAND or line.bottom > page.height * (1 - _BAND)


def _key(line: Line) -> str:
    return _DIGITS.sub("#", " ".join(clean(line.text).split()))


def _furniture(pages: list[Page]) -> set[str]:
    """Texts (digits aside) in the top or bottom band that recur on many pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_key(ln) for ln in page.lines if _in_band(ln, page)})
    need = max(2, len(pages) // 4)
    return {key for key, n in seen.items() if n >= need}


def _is_furniture(line: Line, page: Page, furniture: set[str]) -> bool:
    return _in_band(line, page) and (_key(line) in furniture or bool(_PAGE_NUMBER.match(line.text.strip())))


# --- the document's type and spacing ------------------------------------------------------------


@dataclass
class _Style:
    body: float  # the body text's type size
    gap: float  # the usual space between two lines of a paragraph

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
        return cls(body, median(gaps) if gaps else 0.3 * body)

    def heading(self, line: Line) -> bool:
        return line.size >= self.body * _HEADING_RATIO


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= 0.1 * max(a, b)


# --- one page ----------------------------------------------------------------------------------


@dataclass
class _Column:
    left: float
    right: float


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
    for band in _bands(page, lines):
        column = _column(band, style)
        run: list[Line] = []  # consecutive table rows
        paragraph: list[Line] = []
        for ln in [*band, None]:
            if ln is not None and _is_row(ln, run):
                if paragraph:
                    yield _Paragraph(paragraph, column)
                    carry, paragraph = None, []
                run.append(ln)
                continue
            if run:
                yield from _table(run, carry)
                carry, run = None, []
            if paragraph and ln is not None and _runs_on(paragraph[-1], ln, style, column):
                paragraph.append(ln)
                continue
            if paragraph:
                yield _Paragraph(paragraph, column)
                carry = None
            paragraph = [ln] if ln is not None else []


def _bands(page: Page, lines: list[Line]) -> list[list[Line]]:
    """The page's lines in reading order, in runs that share a column: the page itself, or on a
    two-column page each column of each band between lines that cross the gutter."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    mid = (left + right) / 2
    west = [ln for ln in lines if ln.x1 < mid - 2]
    east = [ln for ln in lines if ln.x0 > mid + 2]
    # Side by side, not one under the other: many right-hand lines share a baseline with a left one.
    beside = sum(1 for e in east if any(abs(e.top - w.top) < 0.5 * e.size for w in west[:200]))
    if min(len(west), len(east), beside) < _MIN_COLUMN_LINES or any(ln.cells for ln in lines if ln.x0 <= mid <= ln.x1):
        return [lines]
    bands: list[list[Line]] = []
    current: list[Line] = []
    for ln in sorted(lines, key=lambda x: x.top):
        if ln.x0 <= mid <= ln.x1:  # across the gutter: a title or a full-width paragraph
            bands += _by_column(current, mid)
            bands.append([ln])
            current = []
        else:
            current.append(ln)
    bands += _by_column(current, mid)
    return [b for b in bands if b]


def _by_column(lines: list[Line], mid: float) -> list[list[Line]]:
    return [[ln for ln in lines if ln.x1 < mid], [ln for ln in lines if ln.x1 >= mid]]


def _column(lines: list[Line], style: _Style) -> _Column:
    body = [ln for ln in lines if _same_size(ln.size, style.body)] or lines
    # The column's edge: the leftmost start two lines share (first lines are indented, and a
    # hanging quotation mark may stand out alone).
    starts = Counter(round(ln.x0) for ln in body)
    shared = [x for x, n in starts.items() if n >= 2]
    left = float(min(shared) if shared else min(starts))
    ends = sorted(ln.x1 for ln in body)
    right = ends[int(0.8 * (len(ends) - 1))] if len(ends) >= _MIN_COLUMN_LINES else max(ends)
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
        and not _BULLET.match(line.text)
        # a full line that ends a sentence, then 第十一条 …: a new provision, not a wrap
        and not (ends_sentence(prev.text) and numbering(clean(line.text)))
    )


def _join(a: str, b: str) -> str:
    return a + (" " if _LATIN.match(a[-1:]) and _LATIN.match(b[:1]) else "") + b


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
        text = _join(text, ln.text)
    first = lines[0]
    if style.heading(first):
        return "## " + text
    # One short line standing alone, in bold or, where the fonts do not say, numbered and worded
    # like a title (第四章 公共数据共享, 四、组织实施): a heading the type size does not show.
    alone = len(lines) == 1 and len(text) <= _BOLD_HEADING_CHARS and first.x1 < column.right - 2 * first.size
    if alone and (first.bold or (first.bold is None and _titled(text, after))):
        return "## " + text
    if _BULLET.match(text):
        return _BULLET.sub("- ", text)
    if 0 < first.lead < len(text):
        lead = text[: first.lead].rstrip()
        return f"**{lead}**{text[len(lead) :]}"
    return text


# --- tables ------------------------------------------------------------------------------------


def _is_row(line: Line, run: list[Line]) -> bool:
    """A line of two or more cells whose places match the table's (or that could start one)."""
    if len(line.cells) < 2:
        # a wrapped cell: one piece that starts where a later column does
        return bool(run) and len(line.cells) <= 1 and _continues_cell(line, run[-1])
    if not run:
        return True
    columns = [x for x, _ in run[0].cells]
    return all(any(abs(x - c) <= line.size for c in columns) for x, _ in line.cells)


def _continues_cell(line: Line, row: Line) -> bool:
    columns = [x for x, _ in row.cells]
    return (
        len(columns) >= 2
        and any(abs(line.x0 - c) <= line.size for c in columns[1:])
        and 0 <= line.top - row.bottom <= 0.6 * line.size
    )


def _table(run: list[Line], carry: list[str] | None):
    """(row text, header) per row of a run of table lines; one line alone is no table."""
    rows: list[list[str]] = []
    columns: list[float] = []
    for ln in run:
        if len(ln.cells) >= 2:
            columns = columns or [x for x, _ in ln.cells]
            row = [""] * len(columns)
            for x, text in ln.cells:
                k = min(range(len(columns)), key=lambda c: abs(columns[c] - x))
                row[k] = (row[k] + " " + text).strip()
            rows.append(row)
        elif rows:  # a wrapped cell goes on under its column
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - ln.x0))
            rows[-1][k] = _join(rows[-1][k], ln.text.strip())
    if carry is not None and rows and len(rows[0]) == len(carry):
        # the table goes on from the last page, its header repeated there or not
        header = carry
        texts = table_lines([header, *(rows[1:] if rows[0] == header else rows)])[1:]
    elif len(rows) >= 2:
        header = rows[0]
        texts = table_lines(rows)
    else:
        yield from ((ln.text, None) for ln in run)
        return
    for text in texts:
        yield text, header
