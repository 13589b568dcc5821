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
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
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
_LABEL = re.compile(r"[（(]?[一二三四五六七八九十\d]{1,3}[)）.．、]")
_CLAUSE_MARKS = re.compile(r"[。；;，,：:]")
_SENTENCE_MARKS = re.compile(r"[。；;]")


def read_pdf(data: bytes, name: str, limits: Limits | None = None) -> Document:
    pages = read_pages(data, name, limits or Limits())
    chars = sum(len(ln.text) for page in pages for ln in page.lines)
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise LoadError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    furniture = _furniture(pages)
    kept = [[ln for i, ln in enumerate(page.lines) if i not in drop] for page, drop in zip(pages, furniture, strict=True)]
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


def _keys(line: Line, page: Page, number: int) -> set[str]:
    """The forms the line may recur in from page to page: as it is, and with one number near the
    page's own (give or take a cover or two) written #, so "file:///… 3/47" on page 3 and
    "file:///… 4/47" on page 4 are one footer while table rows stay apart. Each form notes its
    side of the page."""
    side = "top " if line.top < page.height / 2 else "bottom "
    text = " ".join(clean(line.text).split())
    keys = {side + text}
    for m in _DIGITS.finditer(text):
        if len(m.group()) <= 4 and abs(int(m.group()) - number) <= 3:
            keys.add(side + text[: m.start()] + "#" + text[m.end() :])
    return keys


def _furniture(pages: list[Page]) -> list[set[int]]:
    """For each page, the lines (by index) that are running heads, footers or page numbers: in the
    top or bottom band, and either recurring on many pages or a page number standing alone."""
    keys = [
        {i: _keys(ln, page, number) for i, ln in enumerate(page.lines) if _in_band(ln, page)}
        for number, page in enumerate(pages, 1)
    ]
    seen = Counter(key for page in keys for key in set().union(*page.values()))
    need = max(2, len(pages) // 4)
    out = []
    for page, found in zip(pages, keys, strict=True):
        alone = Counter(ln.row for ln in page.lines)
        out.append(
            {
                i
                for i, forms in found.items()
                if (len(pages) >= 2 and max(seen[k] for k in forms) >= need)
                or (alone[page.lines[i].row] == 1 and _PAGE_NUMBER.match(page.lines[i].text.strip()))
            }
        )
    return out


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
    for band in _bands(lines):
        column = _column(band, style)
        run: list[list[Line]] = []  # consecutive table rows (a wrapped cell is a row of one)
        paragraph: list[Line] = []
        for unit in [*_rows(band), None]:
            if unit is not None and _is_row(unit, run):
                if paragraph:
                    yield _Paragraph(paragraph, column)
                    carry, paragraph = None, []
                run.append(unit)
                continue
            if run:
                yield from _table(run, carry)
                carry, run = None, []
            if unit is None:
                break
            ln = unit[0] if len(unit) == 1 else _merged(unit)
            if paragraph and _runs_on(paragraph[-1], ln, style, column):
                paragraph.append(ln)
                continue
            if paragraph:
                yield _Paragraph(paragraph, column)
                carry = None
            paragraph = [ln]
        if paragraph:
            yield _Paragraph(paragraph, column)


def _rows(lines: list[Line]) -> list[list[Line]]:
    """The lines grouped by the baseline they share, top to bottom, each row left to right."""
    rows: dict[int, list[Line]] = {}
    for ln in lines:
        rows.setdefault(ln.row, []).append(ln)
    out = []
    for _, row in sorted(rows.items(), key=lambda kv: kv[1][0].top):
        row.sort(key=lambda x: x.x0)
        # a list item's bullet or number, a tab stop away from its text, is no table cell
        if len(row) >= 2 and (_BULLET.fullmatch(row[0].text) or _LABEL.fullmatch(clean(row[0].text))):
            row = [_merged(row[:2]), *row[2:]]
        out.append(row)
    return out


def _merged(row: list[Line]) -> Line:
    """Pieces of one baseline that are no table: one line, the gaps a space."""
    first = row[0]
    lead = first.lead if first.lead < len(first.text) else 0
    return replace(first, text=" ".join(x.text for x in row), x1=row[-1].x1, lead=lead)


def _bands(lines: list[Line]) -> list[list[Line]]:
    """The page's lines in reading order, in runs that share a column: the page itself, or, on a
    page with two columns, what stands above them, each column (between lines across the gutter),
    and what stands below."""
    if not lines:
        return []
    mid = (min(ln.x0 for ln in lines) + max(ln.x1 for ln in lines)) / 2
    west = sorted((ln for ln in lines if ln.x1 < mid), key=lambda x: x.top)
    east = [ln for ln in lines if ln.x0 > mid]
    tops = [ln.top for ln in west]
    # Side by side: a right-hand line level with a left-hand one (columns need not share baselines).
    pairs = []
    for e in east:
        k = bisect_left(tops, e.top - e.size)
        while k < len(west) and west[k].top <= e.top + 0.6 * e.size:
            if abs(west[k].top - e.top) <= 0.6 * e.size:
                pairs.append((west[k], e))
                break
            k += 1
    beside = [x for pair in pairs for x in pair]
    # Columns, not a table: the left pieces run to a common edge, the gutter (table cells end
    # where their text does), and rows of three pieces or more are rare.
    gutter = max((w.x1 for w, _ in pairs), default=0.0)
    flush = sum(1 for w, _ in pairs if w.x1 >= gutter - 2 * w.size)
    crowded = sum(1 for w, _ in pairs if sum(1 for ln in lines if ln.row == w.row) > 2)
    if len(pairs) < _MIN_COLUMN_LINES or flush < 0.5 * len(pairs) or crowded > 0.2 * len(pairs):
        return [lines]
    top = min(ln.top for ln in beside)
    bottom = max(ln.bottom for ln in beside)
    above = [ln for ln in lines if ln.bottom <= top]
    below = [ln for ln in lines if ln.top >= bottom]
    bands: list[list[Line]] = [above]
    current: list[Line] = []
    for ln in sorted((ln for ln in lines if ln.bottom > top and ln.top < bottom), key=lambda x: (x.top, x.x0)):
        if ln.x0 <= mid <= ln.x1:  # across the gutter: a title or a full-width paragraph
            bands += [[x for x in current if x.x1 < mid], [x for x in current if x.x1 >= mid], [ln]]
            current = []
        else:
            current.append(ln)
    bands += [[x for x in current if x.x1 < mid], [x for x in current if x.x1 >= mid], below]
    return [b for b in bands if b]


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


def _is_row(unit: list[Line], run: list[list[Line]]) -> bool:
    """A row of two or more cells whose places match the table's (or that could start one), or
    one piece under a later column of the row above: its cell wrapped."""
    if len(unit) == 1:
        if not run or len(run[0]) < 2:
            return False
        piece, above = unit[0], run[-1]
        columns = [c.x0 for c in run[0]]
        under = 0 <= piece.top - max(c.bottom for c in above) <= 0.6 * piece.size
        return under and any(abs(piece.x0 - c) <= piece.size for c in columns[1:])
    if not run:
        return True
    columns = [c.x0 for c in run[0]]
    return all(any(abs(c.x0 - x) <= c.size for x in columns) for c in unit)


def _table(run: list[list[Line]], carry: list[str] | None):
    """(row text, header) per row of a run of table rows; one row alone is no table."""
    columns = [c.x0 for c in run[0]]
    rows: list[list[str]] = []
    for unit in run:
        if len(unit) == 1 and rows:  # a wrapped cell goes on under its column
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - unit[0].x0))
            rows[-1][k] = _join(rows[-1][k], unit[0].text)
            continue
        row = [""] * len(columns)
        for cell in unit:
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - cell.x0))
            row[k] = _join(row[k], cell.text) if row[k] else cell.text
        rows.append(row)
    if carry is not None and len(rows[0]) == len(carry):
        # the table goes on from the last page, its header repeated there or not
        header = carry
        texts = table_lines([header, *(rows[1:] if rows[0] == header else rows)])[1:]
    elif len(rows) >= 2:
        header = rows[0]
        texts = table_lines(rows)
    else:
        yield from ((_merged(unit).text, None) for unit in run)
        return
    for text in texts:
        yield text, header
