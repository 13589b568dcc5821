"""A library grown one bulletin at a time in every format: searches and filters are right after each
step, a reprinted article is stored once and cited with all its issues, and removal undoes it all."""

from pathlib import Path

from conftest import CountingEmbedder
from documents import markdown_to_docx, markdown_to_pdf

from rag.filters import Filters
from rag.index import build_index, load_index
from rag.library import add_bulletin, bulletins, remove_bulletin
from rag.retrieve import Retriever

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"
REPRINT = "贵州省低空经济发展若干措施"


def _issue(number: int, day: str, title: str, body: str, source: str, reprint: bool = False) -> str:
    """A small bulletin: one new article, and (``reprint``) the 2024-1 article printed again."""
    mini = MINI.read_text(encoding="utf-8")
    old = mini[mini.index(f"## {REPRINT}") :]
    toc = f"1 {title}" + (f"\n\n5 {REPRINT}" if reprint else "")
    text = f"# 大数据发展动态\n\n2024年{day} 第{number}期 总第{162 + number}期\n\n## 本期要目\n\n### 地方新政\n\n{toc}\n\n"
    text += f"## 地方新政\n\n## {title}\n\n{body}\n\n（来源：{source}）\n\n"
    return text + (old if reprint else "")


def _search(settings, embedder, query, **filters):
    retriever = Retriever(load_index(settings, embedder), embedder, settings)
    return retriever.search(query, 5, Filters(**filters) if filters else None)


def test_three_bulletins_in_three_formats_added_and_removed_one_at_a_time(settings, tmp_path):
    embedder = CountingEmbedder()
    index = build_index(settings, embedder)
    uploads = tmp_path / "uploads"
    uploads.mkdir()

    # 1. Markdown, 2024-1: 贵州 低空经济
    index = add_bulletin(settings, embedder, index, MINI)
    hits = _search(settings, embedder, "通用机场 低空航线", regions=("贵州省",))
    assert hits and all("贵州" in p.chunk.article for p in hits)
    assert _search(settings, embedder, "通用机场 低空航线", regions=("深圳",)) == []
    assert _search(settings, embedder, "通用机场", date_from="2024-02") == []

    # 2. DOCX, 2024-2: 深圳 算力, and the 贵州 article reprinted
    shenzhen = _issue(
        2, "1月12日", "深圳市算力基础设施高质量发展行动计划", "到2025年，全市算力规模达到10EFLOPS。", "深圳市工业和信息化局", True
    )
    embedder.texts = 0
    index = add_bulletin(settings, embedder, index, markdown_to_docx(shenzhen, uploads / "bulletin-2024-02.docx"))
    # only the new article (and the new masthead) was embedded: the reprint's vectors were already there
    new = [c for c in index.chunks if c.issue_id == "2024-2"]
    assert new and all(REPRINT not in c.article for c in new)
    assert 0 < embedder.texts <= 3 * len(new) + 10
    reprinted = [c for c in index.chunks if c.article == REPRINT]
    assert reprinted and all(c.issue_id == "2024-1" and [o["issue_id"] for o in c.also_in] == ["2024-2"] for c in reprinted)
    assert next(e for e in index.manifest.corpus if e["issue_id"] == "2024-2")["reprinted"] == len(reprinted)
    top = _search(settings, embedder, "通用机场 低空航线", issues=("2024-2",))[0].chunk
    assert top.article == REPRINT and "又见于 大数据发展动态 第2期" in top.issues_text()
    assert _search(settings, embedder, "算力规模", sources=("深圳市工业和信息化局",))[0].chunk.article.startswith("深圳")
    assert _search(settings, embedder, "算力规模", sources=("贵州省发展和改革委员会",))[0].chunk.article == REPRINT

    # 3. PDF, 2024-3: 云南 数据要素 (a third format; its passages carry pages)
    yunnan = _issue(3, "1月19日", "云南省数据要素市场培育行动方案", "到2025年，培育数据商50家以上。", "云南省发展和改革委员会")
    index = add_bulletin(settings, embedder, index, markdown_to_pdf(yunnan, uploads / "bulletin-2024-03.pdf"))
    assert [b.issue_id for b in bulletins(index)] == ["2023-51", "2024-1", "2024-2", "2024-3"]
    # a one-page PDF: its running head must not hide the masthead's name
    assert bulletins(index)[-1].label == "大数据发展动态 第3期 总第165期 2024-01-19"
    hit = _search(settings, embedder, "培育数据商", date_from="2024-01-15", date_to="2024-01-31")
    assert hit and {p.chunk.issue_id for p in hit} == {"2024-3"} and hit[0].chunk.page == 1
    in_january = _search(settings, embedder, "数据", date_from="2024-01", date_to="2024-01")
    assert in_january and all(p.chunk.issue_date.startswith("2024-01") for p in in_january)
    assert _search(settings, embedder, "数据", date_to="2023-12-31", regions=("云南",))[0].chunk.issue_id == "2023-51"

    # Removing the first printing moves the reprint to the issue that printed it again.
    embedder.texts = 0
    index = remove_bulletin(settings, embedder, index, "2024-1")
    assert embedder.texts == 0
    reprinted = [c for c in index.chunks if c.article == REPRINT]
    assert reprinted and all(c.issue_id == "2024-2" and not c.also_in for c in reprinted)
    assert _search(settings, embedder, "通用机场 低空航线", issues=("2024-1",)) == []

    for issue in ("2024-2", "2024-3"):
        index = remove_bulletin(settings, embedder, index, issue)
    assert [b.issue_id for b in bulletins(index)] == ["2023-51"]
    assert not any(settings.library_dir.iterdir())
    assert _search(settings, embedder, "通用机场 低空航线", regions=("贵州",)) == []
