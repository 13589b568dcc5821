"""A PDF's text layer -> lines with their place, type size and weight (pdfium, through pypdfium2).

pdfium interprets each page in C and splits its text into lines itself; we take a page's text in
one call and ask for the boxes and fonts of only a few characters per line, so reading costs one
pass over the content plus a handful of calls per line: linear in pages. (pdfplumber built a
Python dict per character and per attribute, then laid out every page: 200 text pages took
minutes, a browser-printed bulletin 7 s.)

pdfium also reads a font's own glyph names where a text layer maps shared glyphs to Kangxi radicals,
so browser-printed Chinese comes out as the characters written; what it passes on is normalised
later with every other format (rag.load.normalise).
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from dataclasses import dataclass

from rag.load import LoadError
from rag.load.limits import Limits

# pdfium is not thread-safe, not even across documents: one reader at a time in this process.
_LOCK = threading.Lock()
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|粗|黑", re.I)
_CELL_GAP = 2.0  # a gap of this many ems inside a line separates table cells
_SPACES = re.compile(r"\s+")
_MAX_LEAD = 40  # a bold run longer than this opening a line is no field name or provision title


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float  # from the top of the page, in points
    bottom: float
    size: float  # type size in points, the page's scaling included
    bold: bool | None  # the whole line is set bold; None when the fonts do not say (Type3 fonts)
    lead: int = 0  # characters of a bold run opening the line, when regular type follows
    cells: tuple[tuple[float, str], ...] = ()  # (x0, text) of pieces a wide gap apart, when more than one


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]


def read_pages(data: bytes, name: str, limits: Limits) -> list[Page]:
    """Every page's lines; a LoadError for what is no readable PDF or is over the limits."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError(f"{name}: not a PDF file")
    # pdfium rebuilds a damaged cross-reference table and would read a cut file's first pages as if
    # they were all of it; a PDF ends with %%EOF (a few bytes of padding may follow).
    if b"%%EOF" not in data[-4096:]:
        raise LoadError(f"{name}: the PDF cannot be read (damaged or truncated: no end-of-file marker)")
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
                raise LoadError(f"{name}: the PDF is encrypted; save an unprotected copy and try again") from exc
            raise LoadError(f"{name}: the PDF cannot be read (damaged or truncated: {exc})") from exc
        try:
            count = len(pdf)
            if count > limits.pdf_pages:
                raise LoadError(f"{name}: {count:,} pages; the limit is {limits.pdf_pages:,}")
            pages, chars = [], 0
            for i in range(count):
                page = pdf[i]
                try:
                    width, height = page.get_size()
                    textpage = page.get_textpage()
                    try:
                        n = raw.FPDFText_CountChars(textpage)
                        chars += max(0, n)
                        if chars > limits.text_chars:
                            raise LoadError(
                                f"{name}: more than {limits.text_chars:,} characters of text by page {i + 1}; "
                                "split the file or raise the limit"
                            )
                        pages.append(Page(width, height, _Reader(textpage, n, height).lines()))
                    finally:
                        textpage.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as exc:
            raise LoadError(f"{name}: the PDF cannot be read (damaged: {exc})") from exc
        finally:
            pdf.close()
    return pages


class _Reader:
    """One page's text page: its lines, with a few characters' boxes and fonts asked per line."""

    def __init__(self, textpage, count: int, height: float) -> None:
        import pypdfium2.raw as raw

        self.raw, self.tp, self.count, self.height = raw, textpage, count, height
        text = textpage.get_text_range(0, count) if count > 0 else ""
        if len(text) != count:  # characters beyond the BMP come as two UTF-16 units: one call each instead
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))
        self.text = text
        self._rect = raw.FS_RECTF()
        self._matrix = raw.FS_MATRIX()
        self._name = ctypes.create_string_buffer(256)
        self._flags = ctypes.c_int()
        self._x, self._y = ctypes.c_double(), ctypes.c_double()

    def piece(self, a: int, b: int) -> str:
        return self.text[a:b].replace("\x00", "")  # a glyph the font maps to no character

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of character i, top-down, with the font's ascent and descent."""
        r = self._rect
        self.raw.FPDFText_GetLooseCharBox(self.tp, i, ctypes.byref(r))
        return r.left, self.height - r.top, r.right, self.height - r.bottom

    def size(self, i: int) -> float:
        # pdfium's font size leaves out the text and page matrices; browsers print at 0.75 scale.
        m = self._matrix
        self.raw.FPDFText_GetMatrix(self.tp, i, ctypes.byref(m))
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
        return self.raw.FPDFText_GetFontSize(self.tp, i) * scale

    def bold(self, i: int) -> bool | None:
        weight = self.raw.FPDFText_GetFontWeight(self.tp, i)
        n = self.raw.FPDFText_GetFontInfo(self.tp, i, self._name, len(self._name), ctypes.byref(self._flags))
        name = self._name.raw[: max(0, min(n, len(self._name)) - 1)].decode("latin-1") if n > 1 else ""
        if not name and weight <= 0:
            return None  # a Type3 font (browsers print CJK so): neither name nor weight
        return weight >= 600 or bool(_BOLD_NAME.search(name))

    def lines(self) -> list[Line]:
        out = []
        text, start = self.text, 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            a, b = start, end
            while a < b and text[a].isspace():
                a += 1
            while b > a and (text[b - 1].isspace() or text[b - 1] == "\x00"):
                b -= 1
            if b > a:
                out.append(self._line(a, b))
            start = end + 1
        return out

    def origin(self, i: int) -> float:
        x, y = self._x, self._y
        self.raw.FPDFText_GetCharOrigin(self.tp, i, ctypes.byref(x), ctypes.byref(y))
        return x.value

    def _drawn_in_order(self, a: int, b: int) -> bool:
        xs = [self.origin(i) for i in range(a, b)]
        return all(x2 >= x1 - 0.5 for x1, x2 in zip(xs, xs[1:], strict=False))

    def _in_order(self, a: int, b: int, size: float) -> str:
        """The line's text in the order it reads; pdfium keeps the order it was drawn in, and
        LibreOffice draws a run's quotation marks after the run (数据要素“×” for “数据要素×”)."""
        xs = [self.origin(i) for i in range(a, b)]
        drawn = sorted((k for k in range(a, b) if self.raw.FPDFText_IsGenerated(self.tp, k) != 1), key=lambda k: xs[k - a])
        out = []
        for prev, k in zip([None, *drawn], drawn, strict=False):
            if prev is not None and self.box(k)[0] - self.box(prev)[2] > 0.25 * size:
                out.append(" ")  # pdfium's own spaces stood where the gaps were before the sort
            out.append(self.text[k])
        return "".join(out).replace("\x00", "")

    def _line(self, a: int, b: int) -> Line:
        first, last = self.box(a), self.box(b - 1)
        mid = (a + b - 1) // 2
        sizes = sorted({self.size(a), self.size(mid), self.size(b - 1)})
        size = sizes[len(sizes) // 2]
        bolds = [self.bold(a), self.bold(mid), self.bold(b - 1)]
        ordered = self._drawn_in_order(a, b)
        lead = self._lead(a, b) if bolds[0] and not bolds[2] and ordered else 0
        whole = None if None in bolds else all(bolds)
        return Line(
            text=self.piece(a, b) if ordered else self._in_order(a, b, size),
            x0=first[0],
            x1=last[2],
            top=min(first[1], last[1]),
            bottom=max(first[3], last[3]),
            size=size,
            bold=whole,
            lead=lead,
            cells=self._cells(a, b, size) if ordered else (),
        )

    def _lead(self, a: int, b: int) -> int:
        """Characters of the bold run opening the line; quotation marks and spaces inside it may be
        in a regular face (LibreOffice sets “ ” in a Latin font)."""
        end, k = a + 1, a + 1
        while k < b and k - a <= _MAX_LEAD:
            if self.bold(k):
                end = k + 1
            elif not (self.text[k].isspace() or unicodedata.category(self.text[k]).startswith("P")):
                break
            k += 1
        return end - a if k - a <= _MAX_LEAD else 0

    def _cells(self, a: int, b: int, size: float) -> tuple[tuple[float, str], ...]:
        """Pieces of the line a wide gap apart (table cells); () for an ordinary line."""
        text = self.text
        cuts = [
            (m.start(), m.end())
            for m in _SPACES.finditer(text, a, b)
            if self.box(m.end())[0] - self.box(m.start() - 1)[2] > _CELL_GAP * size
        ]
        if not cuts:
            return ()
        pieces, lo = [], a
        for k, j in cuts:
            pieces.append((self.box(lo)[0], self.piece(lo, k).strip()))
            lo = j
        pieces.append((self.box(lo)[0], self.piece(lo, b).strip()))
        return tuple(p for p in pieces if p[1])

