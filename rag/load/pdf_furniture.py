"""Running heads, footers and page numbers: the lines of a PDF that are the page's, not the text's.

They sit in the top or bottom band of the page and recur from page to page, the page's own number
aside (a browser prints "12/2/26, 4:11 AM 标题" at the top and "file:///… 3/47" at the foot of every
page), or they are a page number standing alone.
"""

from __future__ import annotations

import re
from collections import Counter

from rag.load.normalise import clean
from rag.load.pdf_lines import Line, Page

_BAND = 0.08  # share of the page height at top and bottom where running heads and footers live
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?[-—–\s]*$|^\d{1,4}\s*/\s*\d{1,4}$|^(page\s*)?\d{1,4}(\s*of\s*\d{1,4})?$", re.I
)
_DIGITS = re.compile(r"\d+")


def _in_band(line: Line, page: Page) -> bool:
    return line.top < page.height * _BAND or line.bottom > page.height * (1 - _BAND)


def _keys(line: Line, page: Page, number: int) -> set[str]:
    """The forms the line may recur in from page to page: as it is, and with one number near the
    page's own (give or take a cover or two) written #, so "file:///… 3/47" on page 3 and
    "file:///… 4/47" on page 4 are one footer while table rows stay apart."""
    # its side of the page and its type size: a title set large under a running head of the same
    # words is no running head
    side = ("top " if line.top < page.height / 2 else "bottom ") + f"{round(line.size)}pt "
    text = " ".join(clean(line.text).split())
    keys = {side + text}
    for m in _DIGITS.finditer(text):
        if len(m.group()) <= 4 and abs(int(m.group()) - number) <= 3:
            keys.add(side + text[: m.start()] + "#" + text[m.end() :])
    return keys


def furniture(pages: list[Page]) -> list[set[int]]:
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
