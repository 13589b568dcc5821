"""Every format reads to the same bulletin: PDF and DOCX give the Markdown's articles, paths and text."""

import re
import zipfile

import pytest
from conftest import BULLETIN

from rag.chunk import Chunker
from rag.index import parse_file
from rag.load import LoadError, load_bytes, load_document
from rag.parse.issue import metadata_from_name, parse_issue
from rag.text import compact


def _shape(issue):
    return [(a.title, a.column, a.source, [p for p, _ in a.root.walk()]) for a in issue.articles]


def _passages(issue):
    """The text under each (article, section path). Chunk borders may differ by a character or two of
    length; the text may not. reportlab's CID font draws no middle dot (户·月): left out on both sides."""
    out: dict[tuple[str, str], str] = {}
    for c in Chunker().chunk_issue(issue):
        if c.kind != "issue_card":
            out[c.article, c.section] = out.get((c.article, c.section), "") + compact(c.text).replace("·", "")
    return out


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pdf_and_docx_give_the_markdowns_articles_sections_and_passages(fmt, issue, request):
    other = parse_file(request.getfixturevalue(f"bulletin_{fmt}"))
    assert (other.issue_id, other.label) == (issue.issue_id, issue.label)
    assert _shape(other) == _shape(issue)
    assert _passages(other) == _passages(issue)


def test_pdf_citations_carry_page_numbers_and_running_heads_are_gone(bulletin_pdf):
    doc = load_document(bulletin_pdf)
    assert doc.format == "pdf" and len(doc.pages) > 20 and doc.pages == sorted(doc.pages)
    # page numbers and the running head are dropped; the masthead's own 大数据发展动态 stays
    assert not re.search(r"(?m)^\d{1,3}$", doc.text)
    assert doc.text.count("大数据发展动态") < 5
    issue = parse_issue(doc.text, name=bulletin_pdf.stem, pages=doc.pages)
    chunks = Chunker().chunk_issue(issue)
    pages = [c.page for c in chunks]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] >= len(doc.pages) - 1
    clause = next(c for c in chunks if c.section.endswith("第二十二条") and "云南" in c.article)
    # the page is where the clause's text really is
    at = doc.text.index(clause.text[:20])
    assert doc.pages[clause.page - 1] <= at < (doc.pages[clause.page] if clause.page < len(doc.pages) else len(doc.text))
    assert f"第{clause.page}页" in clause.where()


def test_gbk_text_without_bom_and_utf16_with_bom_read_as_the_same_text(bulletin_text):
    gbk = load_bytes(bulletin_text.encode("gb18030"), "bulletin.txt")
    assert gbk.text == bulletin_text and gbk.encoding == "gb18030"
    utf16 = load_bytes(bulletin_text.encode("utf-16"), "bulletin.md")
    assert utf16.text == bulletin_text


def test_plain_text_without_heading_marks_finds_the_same_articles(bulletin_text, issue):
    plain = re.sub(r"(?m)^#{1,6}\s+", "", bulletin_text).replace("**", "")
    other = parse_issue(plain, name="bulletin-2023-51")
    assert [(a.title, a.column, a.source) for a in other.articles] == [(a.title, a.column, a.source) for a in issue.articles]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.md", "empty"),
        (b"   \n\n", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(200), "image.md", "binary"),
        (b"plain words", "notes.pdf", "not a PDF"),
        (b"not a zip at all", "letter.docx", "not a DOCX"),
        (b"x", "sheet.xlsx", "unsupported"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(LoadError, match=message):
        load_bytes(data, name)


def test_a_renamed_zip_is_not_taken_for_a_docx(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(LoadError, match="not a Word document"):
        load_document(path)


def test_truncated_encrypted_and_scanned_pdfs_are_refused(bulletin_pdf, tmp_path):
    data = bulletin_pdf.read_bytes()
    with pytest.raises(LoadError, match="cannot be read"):
        load_bytes(data[: len(data) // 3], "cut.pdf")

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), pagesize=A4, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, "Confidential bulletin text " * 3)
    c.save()
    with pytest.raises(LoadError, match="encrypted"):
        load_document(locked)

    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=A4)
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)  # a page of picture, no text layer
        c.showPage()
    c.save()
    with pytest.raises(LoadError, match="no text layer"):
        load_document(scan)


def test_issue_metadata_comes_from_the_masthead_else_the_file_name_else_the_caller(bulletin_text):
    assert metadata_from_name("大数据发展动态2024年第3期.pdf") == {"number": "3", "date": "2024"}
    assert metadata_from_name("dsj_2024-01-05.docx") == {"date": "2024-01-05"}
    no_masthead = bulletin_text.replace("2023年12月22日 第51期 总第162期", "")
    from_name = parse_issue(no_masthead, name="bulletin-2024-07")
    assert (from_name.number, from_name.date, from_name.issue_id) == ("7", "2024", "2024-7")
    given = parse_issue(bulletin_text, name="x", meta={"number": "52", "date": "2023-12-29", "name": "动态"})
    assert given.label == "动态 第52期 总第162期 2023-12-29"


def test_the_bundled_markdown_still_reads_as_markdown():
    doc = load_document(BULLETIN)
    assert doc.format == "markdown" and doc.encoding == "utf-8" and doc.pages == []


def test_table_rows_are_one_line_each_and_name_their_columns_under_a_header():
    from rag.load.tables import table_lines

    assert table_lines([["地区", "基站"], ["贵州", "12万"], ["云南", ""], ["四川", "9万"]]) == [
        "- 地区 | 基站",
        "- 地区：贵州 | 基站：12万",
        "- 地区：云南",
        "- 地区：四川 | 基站：9万",
    ]
    # no header: two rows, or a first row of sentences
    assert table_lines([["主 编", "贵阳智能大数据战略研究院"], ["邮 箱", "GIDI2018@163.com"]]) == [
        "- 主 编 | 贵阳智能大数据战略研究院",
        "- 邮 箱 | GIDI2018@163.com",
    ]
