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
from rag.load.normalise import clean, normalise
from rag.text import compact, is_cjk

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
    # the masthead's lines stay apart, and its disclaimer stays off the issue card, bold or not
    assert [b.text.split()[0] for b in pdf.card if b.text.startswith(("主", "联合"))] == ["主", "联合主编"]
    assert not any("声明" in b.text for b in pdf.card)
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
def test_the_text_layer_of_a_browser_printed_pdf_maps_shared_glyphs_to_radicals(chromium_bulletin_pdf, bulletin_text):
    """Why rag.load.normalise exists: read by ToUnicode alone (pdfminer, what pdfplumber did), the
    chromium-printed bulletin says ⼤数据 and ⻔ in thousands of places; our reader says 大数据."""
    from pdfminer.high_level import extract_text

    raw = extract_text(str(chromium_bulletin_pdf), maxpages=3)
    assert len(LOOKALIKE.findall(raw)) > 100
    assert not LOOKALIKE.search(load_document(chromium_bulletin_pdf).text)
    # normalised, that reading holds the bulletin's own characters: ⼾ is 户 in a simplified font
    text = clean(extract_text(str(chromium_bulletin_pdf)))
    assert not LOOKALIKE.search(text) and "户" in text and "戶" not in text
    assert {ch for ch in text if is_cjk(ch)} <= set(bulletin_text)


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


def _layout_page() -> str:
    """A bulletin page in two columns (CSS columns: the baselines of the two need not line up),
    then a table of 79 rows over several pages, its header repeated on each page by the browser."""
    said = "推动公共数据开放共享和授权运营，完善数据要素市场第{n}项制度。"
    paras = "".join(f"<p>第{n}段：" + said.format(n=n) * 2 + "</p>" for n in range(1, 9))
    rows = "".join(f"<tr><td>地区{n}</td><td>{n * 3}万个</td><td>{n}.5%</td></tr>" for n in range(1, 80))
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body{{font-family:'Noto Serif CJK SC';font-size:11pt}} .cols{{column-count:2;column-gap:2em}}
p{{text-indent:2em;margin:.3em 0}} td,th{{padding:2px 12px;border:1px solid #999}} tr{{break-inside:avoid}}
</style></head><body><h1>大数据发展动态</h1><p>2024年1月5日 第1期 总第163期</p>
<h2>本期要目</h2><h3>地方新政</h3><p>1 贵州省两栏排版测试办法</p><h2>贵州省两栏排版测试办法</h2>
<div class="cols">{paras}</div><p>一、基站建设情况</p>
<table><thead><tr><th>地区</th><th>基站数</th><th>增速</th></tr></thead><tbody>{rows}</tbody></table>
<p>（来源：贵州省通信管理局）</p></body></html>"""


@pytest.mark.browser
def test_two_columns_read_column_by_column_and_a_table_row_by_row_with_its_header(tmp_path):
    from converters import chromium_pdf, missing_chromium, require

    require(missing_chromium(), "RAG_REQUIRE_BROWSER")
    path = chromium_pdf(_layout_page(), tmp_path / "bulletin-2024-01.pdf")
    doc = load_document(path)
    assert len(doc.pages) >= 3
    paragraphs = [p for p in doc.text.split("\n\n") if p.startswith("第") and "段：" in p]
    # each paragraph whole, in order: the left column, then the right one
    assert [p[:3] for p in paragraphs] == [f"第{n}段" for n in range(1, 9)]
    assert all(p.count("制度。") == 2 for p in paragraphs)
    rows = [p.removeprefix("- ") for p in doc.text.split("\n\n") if p.startswith("- 地区")]
    # one header line (the copies the browser repeats on each page are dropped), then every row
    # in order and whole, each naming its columns
    assert rows[0] == "地区 | 基站数 | 增速"
    assert rows[1:] == [f"地区：地区{n} | 基站数：{n * 3}万个 | 增速：{n}.5%" for n in range(1, 80)]
    issue = parse_file(path)
    chunks = Chunker().chunk_issue(issue)
    table = [c for c in chunks if "基站数：" in c.text]
    assert len(table) >= 2  # a long table is cut into several passages, between rows
    assert all(line.startswith(("地区：", "一、", "地区 |")) for c in table for line in c.text.split("\n"))
