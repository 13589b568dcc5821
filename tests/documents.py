"""Render a Markdown bulletin as PDF (reportlab), DOCX (python-docx) or HTML, as office tools would.

Headings get a larger font (PDF) or a heading style (DOCX); paragraphs wrap; every PDF page has
a running head and a page number. The Markdown marks themselves do not reach the document.
The HTML is what real converters print (tests/converters.py: chromium, LibreOffice).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.sax.saxutils import escape

_HEADING = re.compile(r"^#{1,6}\s+")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
_ITEM = re.compile(r"^[-*+]\s+")
_IMAGE = re.compile(r"^(!\[|<img\b)")


def blocks(markdown: str) -> list[tuple[str, str, str]]:
    """(kind, bold lead, text) per non-blank line: kind is heading, item (a bullet list) or para."""
    out = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or _IMAGE.match(line):
            continue
        if _HEADING.match(line):
            out.append(("heading", "", _HEADING.sub("", line).strip("* ")))
            continue
        if _ITEM.match(line):
            out.append(("item", "", _ITEM.sub("", line)))
            continue
        m = _BOLD_LEAD.match(line)
        lead = m.group(1) if m else ""
        out.append(("para", lead, (lead + line[m.end() :]) if m else line))
    return out


_MD_HEADING = re.compile(r"^(#{1,6})\s+")
# What a web editor's bulletin page looks like: the browser's own heading sizes (h4 is body-sized
# bold), body paragraphs indented two characters as Chinese text is, a serif CJK face.
_CSS = "body{font-family:'Noto Serif CJK SC',serif;font-size:11pt;line-height:1.6} p{text-indent:2em;margin:.3em 0}"


def markdown_to_html(markdown: str, title: str = "大数据发展动态", css: str = _CSS) -> str:
    """A plain HTML page: # levels to <h1>–<h6>, **lead** to <strong>, - items to a bullet list."""
    out = [f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>']
    out.append(f"<style>{css}</style></head><body>")
    levels = iter(len(m.group(1)) for line in markdown.splitlines() if (m := _MD_HEADING.match(line.strip())))
    for kind, lead, text in blocks(markdown):
        if kind == "heading":
            n = next(levels)
            out.append(f"<h{n}>{html.escape(text)}</h{n}>")
        elif kind == "item":
            out.append(f"<ul><li>{html.escape(text)}</li></ul>")
        elif lead:
            out.append(f"<p><strong>{html.escape(lead)}</strong>{html.escape(text[len(lead) :])}</p>")
        else:
            out.append(f"<p>{html.escape(text)}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def markdown_to_pdf(markdown: str, path: Path, running_head: str = "大数据发展动态") -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    font = "STSong-Light"  # a CID font reportlab carries itself: no font file needed
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=4)
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=20, wordWrap="CJK", spaceBefore=6, spaceAfter=6)

    def page_furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawString(doc.leftMargin, A4[1] - 36, running_head)
        canvas.drawCentredString(A4[0] / 2, 28, str(doc.page))
        canvas.restoreState()

    story = [
        Paragraph(("● " if kind == "item" else "") + escape(text), head if kind == "heading" else body)
        for kind, _, text in blocks(markdown)
    ]
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=running_head)
    doc.build(story, onFirstPage=page_furniture, onLaterPages=page_furniture)
    return Path(path)


def markdown_to_docx(markdown: str, path: Path) -> Path:
    from docx import Document

    doc = Document()
    for kind, lead, text in blocks(markdown):
        if kind == "heading":
            doc.add_heading(text, level=2)
        elif kind == "item":
            doc.add_paragraph(text, style="List Bullet")
        elif lead:
            p = doc.add_paragraph()
            p.add_run(lead).bold = True
            p.add_run(text[len(lead) :])
        else:
            doc.add_paragraph(text)
    doc.save(str(path))
    return Path(path)


# What fonts put into text layers for these characters (rag.load.normalise): Kangxi radicals,
# CJK Radicals Supplement forms, a compatibility ideograph, the dash Noto CJK draws for ——.
LOOKALIKES = {
    "一": "\u2f00",
    "二": "\u2f06",
    "十": "\u2f17",
    "大": "\u2f24",
    "日": "\u2f47",
    "月": "\u2f49",
    "行": "\u2f8f",
    "门": "\u2ed4",
    "长": "\u2ed3",
    "见": "\u2ec5",
    "车": "\u2ecb",
    "龙": "\u2ef0",
    "更": "\uf901",
    "—": "\u2015",
}


def with_lookalikes(text: str) -> str:
    """``text`` as a PDF text layer often gives it: look-alike code points for common characters."""
    return text.translate(str.maketrans(LOOKALIKES))

# Any look-alike: Kangxi radicals, the CJK Radicals Supplement, compatibility ideographs, ― for ——.
LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\u2015\U0002f800-\U0002fa1f]")
