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

from rag.load.document import LoadError
from rag.load.limits import Limits

# pdfium is not thread-safe, not even across documents: one reader at a time in this process.
_LOCK = threading.Lock()
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|粗|黑", re.I)
_SEGMENT_GAP = 1.2  # a gap of this many ems on a baseline separates table cells or columns
_MAX_LEAD = 40  # a bold run longer than this opening a line is no field name or provision title
_MAX_BULLET = 8.0  # points: a list bullet drawn as a shape is a dot this size or smaller
_MAX_BULLETS = 200


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
    row: int = 0  # the baseline it stands on: lines of one row are pieces a wide gap apart (cells, columns)


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
                        lines = _Reader(textpage, n, height).lines()
                        pages.append(Page(width, height, _with_bullets(lines, _bullets(page, height))))
                    finally:
                        textpage.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as exc:
            raise LoadError(f"{name}: the PDF cannot be read (damaged: {exc})") from exc
        finally:
            pdf.close()
    return pages


def _bullets(page, height: float) -> list[tuple[float, float]]:
    """Centres of the list bullets a page draws as shapes (a browser's • before each <li>): small
    square paths, which the text layer does not hold."""
    import pypdfium2.raw as raw

    found = []
    box = [ctypes.c_float() for _ in range(4)]
    for k in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box))
        left, bottom, right, top = (v.value for v in box)
        w, h = right - left, top - bottom
        if 1.5 <= w <= _MAX_BULLET and 1.5 <= h <= _MAX_BULLET and 0.7 <= w / h <= 1.4:
            found.append(((left + right) / 2, height - (top + bottom) / 2))
    return found


def _with_bullets(lines: list[Line], bullets: list[tuple[float, float]]) -> list[Line]:
    """A line that a bullet shape stands just left of, level with it, opens with • as written text would.
    (Hundreds of small squares are a chart or a pattern, not a list.)"""
    for x, y in bullets if len(bullets) <= _MAX_BULLETS else ():
        for ln in lines:
            if 0 < ln.x0 - x <= 2.5 * ln.size and ln.top <= y <= ln.bottom and not ln.text.startswith("•"):
                ln.text = "• " + ln.text
                ln.lead = ln.lead + 2 if ln.lead else 0
                break
    return lines


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
        # made once, not per character
        self._rect_ref, self._x_ref, self._y_ref = ctypes.byref(self._rect), ctypes.byref(self._x), ctypes.byref(self._y)

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of character i, top-down, with the font's ascent and descent."""
        r = self._rect
        self.raw.FPDFText_GetLooseCharBox(self.tp, i, self._rect_ref)
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
        """The page's text as segments: runs of characters on one baseline with no wide gap, top
        to bottom and left to right. (pdfium's own line breaks follow the order the text was drawn
        in, which in a browser's tables and LibreOffice's quotation marks is no reading order.)"""
        raw, tp, text = self.raw, self.tp, self.text
        y, x_ref, y_ref = self._y, self._x_ref, self._y_ref
        chars: list[tuple[float, float, float, float, float, int]] = []  # baseline, left, right, top, bottom, index
        for i, ch in enumerate(text):
            if ch in "\r\n\x00" or (ch.isspace() and raw.FPDFText_IsGenerated(tp, i) == 1):
                continue
            raw.FPDFText_GetCharOrigin(tp, i, x_ref, y_ref)
            left, top, right, bottom = self.box(i)
            chars.append((self.height - y.value, left, right, top, bottom, i))
        chars.sort()
        rows: list[list[tuple[float, float, float, float, float, int]]] = []
        em = 0.0  # the tallest box on the baseline so far: thin glyphs (一 —) have short boxes
        for c in chars:
            if rows and c[0] - rows[-1][0][0] <= 0.3 * max(em, 4.0):
                rows[-1].append(c)
                em = max(em, c[4] - c[3])
            else:
                rows.append([c])
                em = c[4] - c[3]
        out: list[Line] = []
        for number, row in enumerate(rows):
            row.sort(key=lambda c: c[1])
            em = max(max(c[4] - c[3] for c in row), 4.0)
            piece = [row[0]]
            for prev, c in zip(row, row[1:], strict=False):
                if c[1] - prev[2] > _SEGMENT_GAP * em:
                    out.append(self._segment(piece, number, em))
                    piece = []
                piece.append(c)
            out.append(self._segment(piece, number, em))
        return [ln for ln in out if ln.text]

    def _segment(self, chars: list[tuple[float, float, float, float, float, int]], row: int, em: float) -> Line:
        text, index = self.text, [c[5] for c in chars]
        parts = [text[index[0]]]
        ends = [1]  # the length of the text after each character
        for prev, c in zip(chars, chars[1:], strict=False):
            i, j = prev[5], c[5]
            gap = j == i + 2 and text[i + 1] == " "  # pdfium saw a word gap there (one of its own spaces)
            # drawn out of order: a gap is a space
            gap = gap or (j != i + 1 and c[1] - prev[2] > 0.25 * em and not (text[i] + text[j]).isspace())
            parts.append(" " + text[j] if gap else text[j])
            ends.append(ends[-1] + len(parts[-1]))
        a, mid, b = index[0], index[len(index) // 2], index[-1]
        sizes = sorted({self.size(a), self.size(mid), self.size(b)})
        bolds = [self.bold(a), self.bold(mid), self.bold(b)]
        lead = self._lead(index) if bolds[0] and not bolds[2] else 0
        return Line(
            text="".join(parts),
            x0=chars[0][1],
            x1=max(c[2] for c in chars),
            top=min(c[3] for c in chars),
            bottom=max(c[4] for c in chars),
            size=sizes[len(sizes) // 2],
            bold=None if None in bolds else all(bolds),
            lead=ends[lead - 1] if lead else 0,
            row=row,
        )

    def _lead(self, index: list[int]) -> int:
        """Characters of the bold run opening the segment, in its text; quotation marks and spaces
        inside the run may be in a regular face (LibreOffice sets “ ” in a Latin font)."""
        end, k = 1, 1
        while k < len(index) and k <= _MAX_LEAD:
            ch = self.text[index[k]]
            if self.bold(index[k]):
                end = k + 1
            elif not (ch.isspace() or unicodedata.category(ch).startswith("P")):
                break
            k += 1
        return end if k <= _MAX_LEAD else 0
