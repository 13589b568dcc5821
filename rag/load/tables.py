"""Table rows -> lines of text, the same for every format.

Each row is one line marked as a list item (`- `), so a row is one block that the parser never joins
to the next (as it joins a paragraph a page break cut) and a passage never ends inside it. When the first
row is a header (short cells over at least two data rows), every data row names its columns
(地区：贵州 | 基站：12万), so a passage cut from the middle of a long table still says what its
numbers are.
"""

from __future__ import annotations

_HEADER_CELL = 16  # a header cell is a name, not a sentence
SEP = " | "
ITEM = "- "


def _is_header(rows: list[list[str]]) -> bool:
    head = rows[0]
    return (
        len(rows) >= 3
        and len(head) >= 2
        and all(cell and len(cell) <= _HEADER_CELL for cell in head)
        and all(len(row) == len(head) for row in rows[1:])
    )


def table_lines(rows: list[list[str]]) -> list[str]:
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if not _is_header(rows):
        return [ITEM + SEP.join(row) for row in rows]
    head = rows[0]
    named = [SEP.join(f"{h}：{c}" for h, c in zip(head, row, strict=True) if c) for row in rows[1:]]
    return [ITEM + SEP.join(head)] + [ITEM + row for row in named]
