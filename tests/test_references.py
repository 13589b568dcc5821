"""Bibliographic references: the exact GB/T 7714, BibTeX and RIS strings, and where pages come from."""

import pytest

from rag.chunk import Chunker
from rag.parse.issue import parse_issue
from rag.references import article_pages, bibtex_entry, export, gbt7714, ris_entry
from rag.serialize import passage_json
from rag.types import Passage

MADE_UP = """# 数字政策简报

2024年3月8日 第9期 总第120期

**主 编** 某市数字经济研究院

## 本期要目

### 地方新政

3 某省公共数据授权运营管理办法（试行）

12 某市算力券实施细则

### 产业镜像

20 2024年1—2月份软件业运行情况

## 编者按

近日，某省印发《办法》。

# 某省公共数据授权运营管理办法（试行）

**第一条** 为规范公共数据授权运营，制定本办法。

（来源：某省人民政府办公厅）

# 某市算力券实施细则

一、每年发放算力券总额不超过 1 亿元。

（来源：某市数据局）

# 2024年1—2月份软件业运行情况

1—2月份，软件业务收入同比增长 11%。

（来源：某部运行监测协调局）
"""


@pytest.fixture(scope="module")
def issue():
    return parse_issue(MADE_UP, source_path="made-up.md")


@pytest.fixture(scope="module")
def chunks(issue):
    return Chunker().chunk_issue(issue)


def _first(chunks, kind, article=""):
    return next(c for c in chunks if c.kind == kind and article in c.article)


def test_gbt7714_of_an_article_an_editors_note_and_the_issue_card(chunks):
    assert gbt7714(_first(chunks, "section", "授权运营")) == (
        "某省人民政府办公厅. 某省公共数据授权运营管理办法（试行）[J]. 数字政策简报, 2024(9): 3-11."
    )
    # The last article: the contents say where it starts, nothing says where it ends.
    assert gbt7714(_first(chunks, "section", "软件业")) == (
        "某部运行监测协调局. 2024年1—2月份软件业运行情况[J]. 数字政策简报, 2024(9): 20."
    )
    issue_ref = "某市数字经济研究院. 数字政策简报[J]. 2024(9)."
    assert gbt7714(_first(chunks, "editor_note")) == issue_ref == gbt7714(_first(chunks, "issue_card"))


def test_bibtex_and_ris_entries(chunks):
    c = _first(chunks, "section", "算力券")
    assert bibtex_entry(c) == (
        "@article{bulletin2024n9-" + bibtex_entry(c).split("-", 1)[1].split(",", 1)[0] + ",\n"
        "  author = {{某市数据局}},\n"
        "  title = {{某市算力券实施细则}},\n"
        "  journal = {数字政策简报},\n"
        "  year = {2024},\n"
        "  number = {9},\n"
        "  pages = {12--19},\n"
        "  note = {总第120期},\n"
        "  date = {2024-03-08}\n"
        "}\n"
    )
    assert ris_entry(c) == (
        "TY  - JOUR\nAU  - 某市数据局\nTI  - 某市算力券实施细则\nT2  - 数字政策简报\nSP  - 12\nEP  - 19\n"
        "PY  - 2024\nDA  - 2024/03/08\nIS  - 9\nLA  - zh\nER  - \n"
    )
    assert ris_entry(_first(chunks, "issue_card")).startswith("TY  - JFULL\nTI  - 数字政策简报\nA2  - 某市数字经济研究院\n")


def test_export_cites_each_work_once_in_order(chunks):
    cited = [_first(chunks, "section", "算力券"), _first(chunks, "section", "算力券"), _first(chunks, "editor_note")]
    assert export(cited, "gbt").splitlines() == [
        "[1] 某市数据局. 某市算力券实施细则[J]. 数字政策简报, 2024(9): 12-19.",
        "[2] 某市数字经济研究院. 数字政策简报[J]. 2024(9).",
    ]
    assert export(cited, "bibtex").count("@") == 2 and export(cited, "ris").count("ER  -") == 2
    with pytest.raises(ValueError, match="unknown reference format"):
        export(cited, "apa")


def test_pages_from_a_pdf_and_articles_on_one_page(issue):
    a, b, c = issue.articles
    assert article_pages(issue, a) == [3, 11] and article_pages(issue, c) == [20, 20]
    # From a PDF the last article ends where its text does, in the contents' numbering.
    starts = sorted({0, c.start - 5, c.end - 2})
    pdf = parse_issue(MADE_UP, source_path="made-up.pdf", pages=starts)
    assert article_pages(pdf, pdf.articles[2]) == [20, 21]
    # Two articles starting on the same page: the first is cited by that page.
    same = parse_issue(MADE_UP.replace("12 某市算力券", "3 某市算力券"), source_path="x.md")
    assert article_pages(same, same.articles[0]) == [3, 3]
    # No contents and no pages: no page range at all.
    bare = parse_issue(MADE_UP.split("## 本期要目")[0] + MADE_UP.split("### 产业镜像\n\n20 2024年1—2月份软件业运行情况\n\n")[1])
    assert all(article_pages(bare, x) is None for x in bare.articles)


def test_every_json_passage_carries_its_reference(chunks):
    c = _first(chunks, "section", "算力券")
    assert passage_json(Passage(c, 1.0, 1))["reference"] == gbt7714(c)


def test_a_passage_without_issue_data_still_reads_as_a_reference():
    from conftest import make_passage

    c = make_passage("文本", article="某办法").chunk
    c.source, c.issue_label = "某厅", "某简报 第3期"
    assert gbt7714(c) == "某厅. 某办法[J]. 某简报 第3期."
