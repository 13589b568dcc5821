"""本期, 上一期, 第N期, 总第N期 and 2024年5月的那期 become an issue filter over the library's issues (rag.recency),
applied by retrieval like any other; on made-up bulletins of three issues (no text of the bundled one)."""

from __future__ import annotations

import pytest
from conftest import HashEmbedder

from rag.config import Settings
from rag.filters import Filters
from rag.index import build_index
from rag.language import issue_mentions
from rag.recency import LibraryIssue, resolve
from rag.retrieve import Retriever


def bulletin(number: int, date: str, title: str, paragraphs: list[str]) -> str:
    y, m, d = date.split("-")
    return (
        f"# 大数据发展动态\n\n{y}年{int(m)}月{int(d)}日 第{number}期 总第{300 + number}期\n\n"
        f"## 本期要目\n\n### 地方新政\n\n01 {title}\n\n## 地方新政\n\n## {title}\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n（来源：某省数据局）\n"
    )


ISSUES = {
    "bulletin-2024-18.md": bulletin(18, "2024-05-03", "湖州市算力设施建设方案", ["到2026年，全市建成智算中心2个。"]),
    "bulletin-2024-19.md": bulletin(19, "2024-05-10", "嘉兴市数据交易管理办法", ["数据交易场所应当建立交易规则。"]),
    "bulletin-2024-20.md": bulletin(20, "2024-05-17", "绍兴市公共数据开放办法", ["公共数据开放目录每年更新一次。"]),
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory) -> Retriever:
    folder = tmp_path_factory.mktemp("recency")
    paths = []
    for name, text in ISSUES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    settings = Settings(index_dir=folder / "index", corpus=tuple(paths), library_dir=folder / "library")
    embedder = HashEmbedder()
    return Retriever(build_index(settings, embedder), embedder, settings)


def issues_found(retriever: Retriever, question: str, filters: Filters | None = None) -> set[str]:
    return {p.chunk.issue_id for p in retriever.search(question, 20, filters)}


def test_this_issue_is_the_newest_and_the_last_one_the_one_before(retriever):
    assert issues_found(retriever, "本期是第几期？哪天出版？") == {"2024-20"}
    assert issues_found(retriever, "上一期讲了什么") == {"2024-19"}
    assert issues_found(retriever, "上上期的方案") == {"2024-18"}
    # no mention: every issue
    assert issues_found(retriever, "数据") == {"2024-18", "2024-19", "2024-20"}


def test_this_issue_after_the_filters(retriever):
    # the newest issue a filter leaves is 本期
    assert issues_found(retriever, "本期的文件", Filters(date_to="2024-05-12")) == {"2024-19"}


def test_an_issue_by_number_total_number_or_date(retriever):
    assert issues_found(retriever, "第18期的方案提出了什么目标") == {"2024-18"}
    assert issues_found(retriever, "2024年第19期的办法") == {"2024-19"}
    assert issues_found(retriever, "总第320期说了什么") == {"2024-20"}
    assert issues_found(retriever, "2024年5月10日那期的办法") == {"2024-19"}
    assert issues_found(retriever, "2024年5月的那期") == {"2024-18", "2024-19", "2024-20"}


def test_an_issue_the_library_lacks_finds_nothing(retriever):
    assert retriever.search("第99期的办法", 5) == []
    assert retriever.search("2023年第18期的方案", 5) == []


def test_the_current_issue_can_be_pinned(retriever):
    pinned = Retriever(retriever.index, retriever.embedder, retriever.settings.with_(current_issue="2024-19"))
    assert issues_found(pinned, "本期的文件") == {"2024-19"}
    assert issues_found(pinned, "上一期的文件") == {"2024-18"}


def test_the_same_number_in_two_years_means_the_newest_unless_the_year_is_given():
    issues = [
        LibraryIssue("2023-5", "第5期", "2023-02-03", 5, 100),
        LibraryIssue("2024-5", "第5期", "2024-02-02", 5, 150),
    ]
    assert resolve(issue_mentions("第5期的规划"), issues) == ["2024-5"]
    assert resolve(issue_mentions("2023年第5期的规划"), issues) == ["2023-5"]
    assert resolve(issue_mentions("上一期"), issues) == ["2023-5"]
    assert resolve(issue_mentions("上上期"), issues) == []


def test_a_year_naming_the_issue_is_no_period_of_the_answer():
    from rag.intent import read_intent

    assert read_intent("2023年第51期的行动计划提出到2026年的目标是什么？").period.years == {2026}
    assert read_intent("2023年12月的那期里，到2025年要建成多少个基站？").period.years == {2025}
