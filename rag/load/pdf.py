"""A PDF's text layer -> text, with page starts, headings marked and running heads dropped.

Headings are told by font size (larger than the body text), paragraphs by line ends: a line that
runs to the right margin continues on the next line. Running heads and page numbers sit in the
top or bottom band of the page and repeat, so they are dropped there.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from statistics import median

from rag.load import Document, LoadError
from rag.provisions import numbering
from rag.sentences import ends_sentence

_BAND = 0.07  # share of the page height at top and bottom where running heads live
_HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?[-—–\s]*$|^\d{1,4}\s*/\s*\d{1,4}$")
_MIN_CHARS_PER_PAGE = 20
_LATIN = re.compile(r"[A-Za-z0-9]")
_BULLET = re.compile(r"^[•·●▪◦]\s*")


def _lines(page) -> list[dict]:
    out = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        text = line["text"].strip()
        if text:
            size = median(c["size"] for c in line["chars"]) if line["chars"] else 0.0
            box = {k: line[k] for k in ("x0", "x1", "top", "bottom")}
            out.append({"text": text, "size": size, **box})
    return out


def _open(data: bytes, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError(f"{name}: not a PDF file")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = [_lines(p) for p in pdf.pages]
        heights = [float(p.height) for p in pdf.pages]
        pdf.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise LoadError(f"{name}: the PDF is encrypted; save an unprotected copy and try again") from exc
    except Exception as exc:  # pdfminer raises many types for damaged files; all mean the same here
        raise LoadError(f"{name}: the PDF cannot be read (damaged or truncated: {type(exc).__name__})") from exc
    return pages, heights


def _running_heads(pages: list[list[dict]], heights: list[float]) -> set[str]:
    """Texts in the top or bottom band that recur on several pages."""
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen.update({ln["text"] for ln in lines if _in_band(ln, height)})
    need = max(3, len(pages) // 4)
    return {text for text, n in seen.items() if n >= need}


def _in_band(line: dict, height: float) -> bool:
    return line["top"] < height * _BAND or line["bottom"] > height * (1 - _BAND)


def _join(a: str, b: str) -> str:
    return a + (" " if _LATIN.match(a[-1:]) and _LATIN.match(b[:1]) else "") + b


def read_pdf(data: bytes, name: str) -> Document:
    pages, heights = _open(data, name)
    chars = sum(len(ln["text"]) for lines in pages for ln in lines)
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise LoadError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    heads = _running_heads(pages, heights)
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[round(ln["size"], 1)] += len(ln["text"])
    body = sizes.most_common(1)[0][0]
    # The usual space between two lines of a paragraph; more than that is a paragraph break.
    gaps = [b["top"] - a["bottom"] for lines in pages for a, b in zip(lines, lines[1:], strict=False) if b["top"] > a["bottom"]]
    line_gap = median(gaps) if gaps else 0.0

    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for lines, height in zip(pages, heights, strict=True):
        kept = [ln for ln in lines if not (_in_band(ln, height) and (ln["text"] in heads or _PAGE_NUMBER.match(ln["text"])))]
        starts.append(length)
        right = max((ln["x1"] for ln in kept), default=0.0)
        left = min((ln["x0"] for ln in kept), default=0.0)
        paragraphs: list[tuple[bool, str]] = []
        prev = None
        for ln in kept:
            heading = ln["size"] >= body * _HEADING_RATIO
            runs_on = (
                prev is not None
                and prev["heading"] == heading
                and ln["top"] - prev["bottom"] <= line_gap + 0.3 * ln["size"]
                and prev["x1"] >= right - 1.5 * ln["size"]  # the line above ran to the margin
                and ln["x0"] <= left + 0.5 * ln["size"]  # and this one is not indented
                and not _BULLET.match(ln["text"])
                # a full line that ends a sentence, then 第十一条 …: a new provision, not a wrap
                and not (ends_sentence(prev["text"]) and numbering(ln["text"]))
            )
            if runs_on:
                paragraphs[-1] = (heading, _join(paragraphs[-1][1], ln["text"]))
            else:
                paragraphs.append((heading, ln["text"]))
            prev = {**ln, "heading": heading}
        for heading, text in paragraphs:
            text = _BULLET.sub("- ", text) if not heading else text
            block = ("## " if heading else "") + text + "\n\n"
            parts.append(block)
            length += len(block)
    return Document("".join(parts), "pdf", pages=starts)
