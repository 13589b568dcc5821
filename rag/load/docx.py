"""A DOCX's paragraphs and tables -> text; paragraphs in a heading style are marked `## `."""

from __future__ import annotations

import io
import zipfile

from rag.load.document import Document, LoadError
from rag.load.limits import Limits
from rag.load.tables import table_lines
from rag.load.zipcheck import check_zip


def _style(paragraph) -> str:
    try:
        return (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def _is_heading(paragraph) -> bool:
    style = _style(paragraph)
    return style.startswith("heading") or style == "title" or style.startswith("标题")


def _paragraph(paragraph) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    if _is_heading(paragraph):
        return "## " + " ".join(text.split())
    if _style(paragraph).startswith("list"):
        return "- " + text
    runs = [r for r in paragraph.runs if r.text]
    # A bold run opening a paragraph is a field name (**主 编**) or an inline provision title.
    if runs and runs[0].bold and len(runs) > 1 and not all(r.bold for r in runs):
        lead = runs[0].text.strip()
        if lead and text.startswith(lead):
            return f"**{lead}**{text[len(lead) :]}"
    return text


def read_docx(data: bytes, name: str, limits: Limits | None = None) -> Document:
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LoadError(f"{name}: not a DOCX file (a DOCX is a zip archive)")
    check_zip(data, name, limits or Limits())  # before python-docx inflates every part
    try:
        doc = open_docx(io.BytesIO(data))
    except zipfile.BadZipFile as exc:  # a part that does not inflate to its stated size, say
        raise LoadError(f"{name}: the DOCX is damaged ({exc})") from exc
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise LoadError(f"{name}: not a Word document (the zip holds no word/document.xml)") from exc
    except Exception as exc:  # lxml and python-docx raise many types for damaged files
        raise LoadError(f"{name}: the DOCX cannot be read ({type(exc).__name__})") from exc
    blocks: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            blocks.append(_paragraph(Paragraph(child, doc)))
        elif tag == "tbl":
            from docx.table import Table

            blocks += table_lines([[c.text for c in row.cells] for row in Table(child, doc).rows])
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise LoadError(f"{name}: the document has no text")
    return Document(text + "\n", "docx")
