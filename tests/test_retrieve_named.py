"""Retrieval weighs passages by what a question names and asks: a named document (by name, short name, English
name or its place) is preferred to a look-alike of another province, and an editor's note restating its document
answers questions about the document as a whole, not about what one provision says. A library of two made-up
provincial regulations with the same articles (tests/data/two-laws.md), embedded with the hash embedder."""

from pathlib import Path

import pytest

from rag.catalogue import Catalogue
from rag.config import Settings
from rag.index import build_index
from rag.intent import asks_about
from rag.language.documents import english_kinds
from rag.retrieve import Retriever

TWO_LAWS = Path(__file__).parent / "data" / "two-laws.md"
JIANGXI, HUNAN = "江西省林草资源保护条例", "湖南省林草资源保护条例"
NEUTRAL = {"named_document_bonus_z": 0.0, "named_place_bonus_z": 0.0, "editor_note_offset_z": 0.0, "issue_card_offset_z": 0.0}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from conftest import HashEmbedder

    root = tmp_path_factory.mktemp("two-laws")
    settings = Settings(index_dir=root / "index", corpus=(TWO_LAWS,), library_dir=root / "library")
    return settings, build_index(settings, HashEmbedder())


def top(library, question: str, **changes) -> tuple[str, str]:
    from conftest import HashEmbedder

    settings, index = library
    first = Retriever(index, HashEmbedder(), settings.with_(**changes)).search(question, 3)[0].chunk
    return first.article, first.section


def test_a_named_document_wins_over_its_look_alike(library):
    question = "江西省林草资源保护条例对巡护记录的保存有什么要求？"  # only 湖南's 第三条 speaks of 记录 and 保存
    assert top(library, question, **NEUTRAL)[0] == HUNAN
    assert top(library, question) == (JIANGXI, "第三条")


def test_an_english_name_names_the_document(library):
    from conftest import HashEmbedder

    settings, index = library
    retriever = Retriever(index, HashEmbedder(), settings)
    question = "Under the Jiangxi forest and grassland resources protection regulations, who hangs the tags?"
    assert retriever.named_documents(question) == ((JIANGXI,), True)
    assert top(library, question) == (JIANGXI, "第二条")
    assert top(library, question, **NEUTRAL)[1] != "第二条"


def test_an_editors_note_answers_about_the_document_not_about_a_provision(library):
    content = "古树名木的挂牌保护由谁负责？"  # the note restates 第二条 with more of these words
    assert top(library, content, **NEUTRAL)[1] == "编者按"
    assert top(library, content)[1] == "第二条"
    assert top(library, "江西省林草资源保护条例是什么时候发布的？共几条？")[1] == "编者按"


def test_a_question_about_the_document_or_the_issue_prefers_the_note_or_the_card(library):
    size = "江西省林草资源保护条例共有几条？"  # the note says 共3条; 第一条 shares more of the words
    assert top(library, size, **NEUTRAL)[1] == "第一条"
    assert top(library, size)[1] == "编者按"
    page = "《湖南省林草资源保护条例》在本期从第几页开始？"  # the card of its issue lists it with its page
    assert top(library, page, **NEUTRAL)[1] != "本期信息"
    assert top(library, page)[1] == "本期信息"


def test_what_a_question_is_about():
    assert asks_about("本期要目中排在第一篇的是哪份文件？") == "issue"
    assert asks_about("视听电子指导意见是哪一天印发的？") == "document"
    assert asks_about("Which bodies jointly issued the guiding opinions?") == "document"
    assert asks_about("北京孵化器指导意见共推出多少项举措？") == "document"  # its size, as a note states it
    assert asks_about("该办法从哪几个方面作出规定？") == "document"
    assert asks_about("重庆计划到2027年突破多少项关键核心技术？") == "text"  # a target the plan's text sets
    assert asks_about("安徽计划申请增加多少条国际互联网数据专用通道？") == "text"  # 多少条 counts channels, not articles
    assert asks_about("古树名木的挂牌保护由谁负责？") == "text"


def test_a_place_names_its_documents():
    catalogue = Catalogue([JIANGXI, HUNAN, "湖南省古树名木保护办法", "中华人民共和国测绘成果法"])
    assert catalogue.of_places(["江西"]) == (JIANGXI,)
    assert catalogue.of_places(["湖南"]) == (HUNAN, "湖南省古树名木保护办法")
    assert catalogue.of_places(["云南"]) == ()  # the national law is of no place


def test_english_names_resolve_by_their_terms_and_kind():
    catalogue = Catalogue([JIANGXI, HUNAN, "中华人民共和国测绘成果法", "某市数据条例"])
    assert english_kinds("the Surveying Results Law") == ("法",)
    assert "条例" in english_kinds("Zhejiang's digital economy promotion regulation")
    law = catalogue.named_by_terms(["测绘", "成果", "法"], ["法"], [], 0.6)
    assert law == ("中华人民共和国测绘成果法",)
    assert catalogue.named_by_terms(["测绘", "成果"], ["条例"], [], 0.6) == ()  # a regulation is no law
    # Two provinces' look-alikes: the place the question names decides; without it they tie and none is named.
    assert catalogue.named_by_terms(["林草", "资源", "保护"], ["条例"], ["湖南"], 0.6) == (HUNAN,)
    assert catalogue.named_by_terms(["林草", "资源", "保护"], ["条例"], [], 0.6) == ()
    assert catalogue.named_by_terms(["数据"], ["条例"], [], 0.6) == ()  # 数据 alone is every question's word


def test_rows_added_to_a_list_do_not_move_the_others():
    from rag.fusion import zscore

    rows, scores = [1, 2, 3], [0.9, 0.8, 0.7]
    alone = zscore([(1.0, rows, scores)])
    added = zscore([(1.0, [*rows, 7, 8], [*scores, 0.75, 0.1], 3)])
    assert all(abs(added[r] - alone[r]) < 1e-9 for r in rows)
    assert 0 < added[7] < added[2] and added[8] == 0.0  # on the list's scale; below its weakest, nothing


def test_an_english_name_resolves_to_the_title_it_says_most_of():
    # "the Regulations for the Implementation of the Standardization Law": 标准化 + law's 法 say 标准化法 of the
    # national regulation; a city's 标准化条例 is wholly covered by 标准化 alone, but the question says more.
    national, city = "中华人民共和国标准化法实施条例", "某市标准化条例"
    catalogue = Catalogue([national, city])
    assert catalogue.named_by_terms(["标准化", "法", "条例"], ["条例"], [], 0.6) == (national,)
    assert catalogue.named_by_terms(["标准化", "条例"], ["条例"], [], 0.6) == (city,)  # without 法: the city's
    # A one-character term covers only next to a longer term's run: 法 of 法律援助 is no part of 援助's name.
    from rag.catalogue.names import _covered

    assert _covered("标准化法实施", ["标准化", "法"]) == [True] * 4 + [False] * 2
    assert _covered("法律援助", ["援助", "法"]) == [False, False, True, True]


PENALTY_LAW = """# 大数据发展动态

2024年3月1日 第9期 总第171期

## 本期要目

### 地方新政

01 湖州市网络安全条例

# 湖州市网络安全条例

第三条 网络运营单位应当制定网络安全事件应急预案，定期组织演练。

第四条 网络运营单位应当每年开展一次网络安全检查。

第九条 违反本条例第三条规定，未制定应急预案的，由网信部门责令限期改正，可以处二万元以下罚款。

第十条 违反本条例第四条规定的，由网信部门给予警告。

（来源：湖州市人大常委会）
"""


def test_a_provision_named_as_broken_asks_for_the_clause_punishing_it(tmp_path):
    from conftest import HashEmbedder, hash_settings

    from rag.answer.pipeline import Answerer

    source = tmp_path / "penalty.md"
    source.write_text(PENALTY_LAW, encoding="utf-8")
    settings = hash_settings(tmp_path, source)
    index = build_index(settings, HashEmbedder())
    retriever = Retriever(index, HashEmbedder(), settings)
    question = "违反湖州市网络安全条例第三条规定的，怎么处罚？"
    assert retriever.search(question, 3)[0].chunk.section.endswith("第九条")
    assert retriever.search("湖州市网络安全条例第三条规定了什么？", 3)[0].chunk.section.endswith("第三条")  # named, not broken
    answer = Answerer(retriever, settings).answer(question)
    assert "二万元以下罚款" in answer.text and answer.citations[0].chunk.section.endswith("第九条")
