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


# --- hostile and oversized files (tests/test_ingest_limits.py, benchmarks/ingest_limits.py) ---

_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_DOC_TAIL = b"</w:body></w:document>"


def _write_inflating(z, name: str, megabytes: int, head: bytes = b"", tail: bytes = b"") -> None:
    """An entry of ``megabytes`` that deflates to about a thousandth of that, written as a stream."""
    import zipfile

    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    block = b" " * (1024 * 1024)
    with z.open(info, "w", force_zip64=True) as out:
        out.write(head)
        for _ in range(megabytes):
            out.write(block)
        out.write(tail)


def docx_bomb(path: Path, megabytes: int, *, nested: int = 0, like: Path | None = None) -> Path:
    """A DOCX whose word/document.xml inflates to ``megabytes`` (a zip bomb); with ``nested``, the
    bomb sits instead in a zip that many levels deep inside it (an embedded object), and the
    document itself is small. ``like``: a real DOCX whose other parts it carries."""
    import io
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if like is not None:
            with zipfile.ZipFile(like) as real:
                for item in real.infolist():
                    if item.filename != "word/document.xml" or nested:
                        z.writestr(item, real.read(item))
        if not nested:
            _write_inflating(z, "word/document.xml", megabytes, _DOC_HEAD, _DOC_TAIL)
            return path
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as deepest:
            _write_inflating(deepest, "payload.bin", megabytes)
        for level in range(nested - 1):
            outer = io.BytesIO()
            with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as wrap:
                wrap.writestr(f"level{level}.zip", inner.getvalue())
            inner = outer
        z.writestr("word/embeddings/oleObject1.bin", inner.getvalue())
    return path


def docx_with_entries(path: Path, entries: int, like: Path) -> Path:
    """A real DOCX plus ``entries`` tiny parts (images, say): many entries, little data."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, zipfile.ZipFile(like) as real:
        for item in real.infolist():
            z.writestr(item, real.read(item))
        for n in range(entries):
            z.writestr(f"word/media/image{n}.png", b"\x89PNG")
    return Path(path)


def regulation_pdf(path: Path, pages: int, *, page_size: tuple[float, float] | None = None, running_head: bool = False) -> Path:
    """A long regulation as a text PDF (reportlab's own CID font): a title, then 第N条 after 第N条,
    each a few varied sentences, filling ``pages`` pages (A4, or ``page_size`` in points: one
    14400-point page holds some 80,000 characters); page numbers at the foot, and with
    ``running_head`` the title again in small type atop every page."""
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from rag.language.numbers import int_to_cn

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = page_size or A4
    rng = random.Random(pages)
    nouns = ["公共数据", "数据安全", "授权运营", "共享开放", "主管部门", "公共机构", "目录管理", "质量控制", "平台建设"]
    verbs = ["应当建立健全", "负责组织实施", "依法加强", "统筹推进", "按照规定落实", "定期开展"]

    def sentence() -> str:
        a, b, c = rng.sample(nouns, 3)
        return f"{a}{rng.choice(verbs)}{b}和{c}工作，第{rng.randint(1, 99)}项措施按年度评估。"

    def lines():
        clause = 0
        while True:
            clause += 1
            text = f"第{int_to_cn(clause % 999 or 999)}条 " + "".join(sentence() for _ in range(rng.randint(2, 5)))
            for k in range(0, len(text), per_line):
                yield text[k : k + per_line], k + per_line >= len(text)

    def head() -> None:
        if running_head:
            c.setFont(font, 9)
            c.drawString(72, height - 40, "某省公共数据管理条例")

    c = canvas.Canvas(str(path), pagesize=(width, height))
    size, leading, per_line = 10.5, 16, int((width - 144) // 10.5)
    head()
    c.setFont(font, 16)
    c.drawString(72, height - 72, "某省公共数据管理条例")
    y, page = height - 104, 1
    c.setFont(font, size)
    for line, last in lines():
        if y < 72:
            c.setFont(font, 9)
            c.drawCentredString(width / 2, 36, str(page))
            if page == pages:
                break
            c.showPage()
            head()
            page, y = page + 1, height - 72
            c.setFont(font, size)
        c.drawString(72, y, line)
        y -= leading + (6 if last else 0)
    c.save()
    return Path(path)
