"""Where a PDF page's lines stand together: rows on one baseline, columns, tables.

A row is the pieces of one baseline a wide gap apart. Two columns are many rows with one piece each
side of a gutter the left pieces run up to (they need not share baselines); the page is then read
column by column, a line across the gutter closing a band. A table is a run of rows of two or more
pieces standing in the same places; a piece alone under a later column is a wrapped cell. Its
rows become one line each (rag.load.tables), and a table the last page ended in goes on with its
header, repeated or not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from rag.load.normalise import clean
from rag.load.pdf_lines import Line
from rag.load.tables import table_lines

_MIN_COLUMN_LINES = 4
_LATIN = re.compile(r"[A-Za-z0-9]")
# Word's list bullets come from the Symbol and Wingdings fonts, in the private use area.
BULLET = re.compile(r"^[•·●▪◦■□\uf0a7\uf0b7\uf06c\uf076\uf0d8\uf0fc]\s*")
_LABEL = re.compile(r"[（(]?[一二三四五六七八九十\d]{1,3}[)）.．、]")


def join(a: str, b: str) -> str:
    return a + (" " if _LATIN.match(a[-1:]) and _LATIN.match(b[:1]) else "") + b


def rows(lines: list[Line]) -> list[list[Line]]:
    """The lines grouped by the baseline they share, top to bottom, each row left to right."""
    rows: dict[int, list[Line]] = {}
    for ln in lines:
        rows.setdefault(ln.row, []).append(ln)
    out = []
    for _, row in sorted(rows.items(), key=lambda kv: kv[1][0].top):
        row.sort(key=lambda x: x.x0)
        # a list item's bullet or number, a tab stop away from its text, is no table cell
        if len(row) >= 2 and (BULLET.fullmatch(row[0].text) or _LABEL.fullmatch(clean(row[0].text))):
            row = [merged(row[:2]), *row[2:]]
        out.append(row)
    return out


def merged(row: list[Line]) -> Line:
    """Pieces of one baseline that are no table: one line, the gaps a space."""
    first = row[0]
    lead = first.lead if first.lead < len(first.text) else 0
    return replace(first, text=" ".join(x.text for x in row), x1=row[-1].x1, lead=lead)


def bands(lines: list[Line]) -> list[list[Line]]:
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


def is_row(unit: list[Line], run: list[list[Line]]) -> bool:
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


def table(run: list[list[Line]], carry: list[str] | None):
    """(row text, header) per row of a run of table rows; one row alone is no table."""
    columns = [c.x0 for c in run[0]]
    rows: list[list[str]] = []
    for unit in run:
        if len(unit) == 1 and rows:  # a wrapped cell goes on under its column
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - unit[0].x0))
            rows[-1][k] = join(rows[-1][k], unit[0].text)
            continue
        row = [""] * len(columns)
        for cell in unit:
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - cell.x0))
            row[k] = join(row[k], cell.text) if row[k] else cell.text
        rows.append(row)
    if carry is not None and len(rows[0]) == len(carry):
        # the table goes on from the last page, its header repeated there or not
        header = carry
        texts = table_lines([header, *(rows[1:] if rows[0] == header else rows)])[1:]
    elif len(rows) >= 2:
        header = rows[0]
        texts = table_lines(rows)
    else:
        yield from ((merged(unit).text, None) for unit in run)
        return
    for text in texts:
        yield text, header
