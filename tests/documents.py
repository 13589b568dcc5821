"""Render a Markdown bulletin as PDF (reportlab) or DOCX (python-docx), as office tools would.

Headings get a larger font (PDF) or a heading style (DOCX); paragraphs wrap; every PDF page has
a running head and a page number. The Markdown marks themselves do not reach the document.
"""

from __future__ import annotations

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
