"""PDFs made by real converters read as well as the Markdown: the bundled bulletin printed by
headless chromium from a web page, and its DOCX converted by LibreOffice."""

import difflib
import re
from pathlib import Path

import pytest
from documents import LOOKALIKE

from rag.chunk import Chunker
from rag.index import parse_file
from rag.load import load_document
from rag.load.normalise import normalise
from rag.text import compact

REAL = [
    pytest.param("chromium_bulletin_pdf", marks=pytest.mark.browser, id="chromium"),
    pytest.param("office_bulletin_pdf", marks=pytest.mark.office, id="libreoffice"),
]


def _paths(issue) -> list[tuple[str, str]]:
    """(article, section path) of every section; whitespace aside (a PDF may space 2023 年)."""
    return [(compact(a.title), compact(" > ".join(p))) for a in issue.articles for p, _ in a.root.walk()]


def _texts(chunks) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for c in chunks:
        if c.kind != "issue_card":
            key = (compact(c.article), compact(c.section))
            out[key] = out.get(key, "") + compact(c.text)
    return out


@pytest.fixture(scope="module")
def markdown_chunks(issue):
    return Chunker().chunk_issue(issue)


@pytest.mark.parametrize("fixture", REAL)
def test_a_real_pdf_gives_the_markdowns_masthead_articles_paths_and_passages(fixture, issue, markdown_chunks, request):
    pdf = parse_file(request.getfixturevalue(fixture))
    assert (pdf.name, pdf.number, pdf.total_number, pdf.date) == ("大数据发展动态", "51", "162", "2023-12-22")
    assert [(compact(a.title), a.column, a.source) for a in pdf.articles] == [
        (compact(a.title), a.column, a.source) for a in issue.articles
    ]
    assert len(pdf.toc) == len(issue.toc) == 9
    want, got = _paths(issue), set(_paths(pdf))
    found = [p for p in want if p in got]
    assert len(found) >= 0.95 * len(want), [p for p in want if p not in got][:10]

    chunks = Chunker().chunk_issue(pdf)
    mine, theirs = _texts(markdown_chunks), _texts(chunks)
    same = [k for k in mine if theirs.get(k) == mine[k]]
    assert len(same) >= 0.95 * len(mine), [k for k in mine if theirs.get(k) != mine[k]][:10]
    # and not a character of the Markdown's passages lost: in order, they are the PDF's, which may
    # also hold a title line the Markdown made a heading (a heading over sub-sections is no passage)
    def body(chunks):
        return "".join(compact(c.text) for c in chunks if c.kind != "issue_card")

    ops = difflib.SequenceMatcher(None, body(markdown_chunks), body(chunks), autojunk=False).get_opcodes()
    assert all(op in ("equal", "insert") for op, *_ in ops), [op for op in ops if op[0] != "equal"][:5]
    assert sum(j2 - j1 for op, _, _, j1, j2 in ops if op == "insert") < 0.01 * len(body(chunks))


@pytest.mark.parametrize("fixture", REAL)
def test_a_real_pdf_shows_no_lookalike_code_point_and_cites_its_pages(fixture, request):
    path = request.getfixturevalue(fixture)
    doc = load_document(path)
    assert not LOOKALIKE.search(doc.text)
    pdf = parse_file(path)
    chunks = Chunker().chunk_issue(pdf)
    for c in chunks:
        assert not LOOKALIKE.search(c.text + c.section + c.article + c.issue_label), c.place()
        assert c.page is not None and 1 <= c.page <= len(doc.pages)
        # the spans are the source's own words: normalised, they are the passage
        assert normalise("".join(doc.source[s:e] for s, e in c.spans))[0] == c.text.replace("\n", "")
    clause = next(c for c in chunks if c.section.endswith("第二十二条") and "云南" in c.article)
    assert "第三章 公共数据收集和归集" in clause.section or "第三章公共数据收集和归集" in clause.section
    assert f"第{clause.page}页" in clause.where()
    # running heads, footers and page numbers are gone
    assert not re.search(r"(?m)^(\d{1,3}|\d{1,3}\s*/\s*\d{1,3})$", doc.text)
    assert "file://" not in doc.text and doc.text.count("大数据发展动态") < 5


@pytest.mark.browser
def test_the_text_layer_of_a_browser_printed_pdf_maps_shared_glyphs_to_radicals(chromium_bulletin_pdf):
    """Why rag.load.normalise exists: read by ToUnicode alone (pdfminer, what pdfplumber did), the
    chromium-printed bulletin says ⼤数据 and ⻔ in thousands of places; our reader says 大数据."""
    from pdfminer.high_level import extract_text

    raw = extract_text(str(chromium_bulletin_pdf), maxpages=3)
    assert len(LOOKALIKE.findall(raw)) > 100
    assert not LOOKALIKE.search(load_document(chromium_bulletin_pdf).text)


@pytest.mark.browser
def test_lookalike_code_points_printed_into_a_pdf_are_read_as_the_characters_they_stand_for(tmp_path):
    """A bulletin page whose own text holds Kangxi radicals, Radicals Supplement forms and ―: chromium
    prints them as they are and pdfium reads them back so; the loader normalises them, and the
    masthead date (2024年1⽉5⽇), the numbering (⼆、) and the citations come out right."""
    from converters import chromium_pdf, missing_chromium, require
    from documents import markdown_to_html, with_lookalikes

    require(missing_chromium(), "RAG_REQUIRE_BROWSER")
    md = (Path(__file__).parent / "data" / "mini-bulletin.md").read_text(encoding="utf-8")
    more = "三、保障措施\n\n（一）简化审批。降低准入门槛，延长期限，见效后支持车载、龙头企业——优先安排。\n\n"
    md = md.replace("（来源：", more + "（来源：")
    path = chromium_pdf(markdown_to_html(with_lookalikes(md)), tmp_path / "bulletin-2024-01.pdf", header_footer=False)
    doc = load_document(path)
    assert LOOKALIKE.search(doc.source), "the text layer should carry the look-alikes"
    assert not LOOKALIKE.search(doc.text)
    issue = parse_file(path)
    assert (issue.date, issue.number) == ("2024-01-05", "1")
    article = issue.articles[0]
    assert [p[-1] for p, _ in article.root.walk() if p] == [
        "一、发展目标",
        "二、重点任务",
        "（一）完善基础设施",
        "（二）培育市场主体",
        "三、保障措施",
        "（一）简化审批",
    ]
    last = Chunker().chunk_issue(issue)[-1]
    assert "降低准入门槛，延长期限，见效后支持车载、龙头企业——优先安排" in last.text
    assert normalise("".join(doc.source[s:e] for s, e in last.spans))[0] == last.text.replace("\n", "")
