"""Retrieval over the real bulletin with the real model (questions of our own, not the dev set)."""

import pytest

from rag.filters import Filters
from rag.langchain_retriever import BulletinRetriever
from rag.retrieve import Retriever

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def retriever(real_index, embedder):
    settings, index = real_index
    return Retriever(index, embedder, settings)


def test_a_named_clause_comes_first(retriever):
    top = retriever.search("云南公共数据管理办法第49条讲什么", 3)[0].chunk
    assert top.section == "第八章 附则 > 第四十九条"


def test_a_numbered_item_of_a_plan(retriever):
    top = retriever.search("数据要素×行动计划第（十八）条", 3)[0].chunk
    assert top.section.endswith("（十八）加强数据安全保障")


def test_a_plain_question_finds_its_provision(retriever):
    passages = retriever.search("5G基站总数达到多少万个？", 5)
    assert any("328.2万个" in p.chunk.text for p in passages)


def test_english_question_reaches_the_chinese_text(retriever):
    passages = retriever.search("When do Yunnan's public data measures take effect?", 5)
    assert any(p.chunk.article.startswith("云南") for p in passages)


def test_passages_are_ranked_and_scored(retriever):
    passages = retriever.search("孵化器", 8)
    assert [p.rank for p in passages] == list(range(1, 9))
    assert all(a.score >= b.score for a, b in zip(passages, passages[1:], strict=False))


def test_filters(retriever):
    only = retriever.search("数据安全", 10, Filters(articles=("云南",)))
    assert only and all(p.chunk.article.startswith("云南") for p in only)
    column = retriever.search("数据安全", 10, Filters(columns=("产业镜像",)))
    assert column and all(p.chunk.column == "产业镜像" for p in column)
    assert retriever.search("数据安全", 10, Filters(columns=("不存在的栏目",))) == []
    assert retriever.search("数据安全", 10, Filters(issues=("1999-01",))) == []


def test_langchain_retriever(retriever):
    docs = BulletinRetriever(retriever=retriever, k=3).invoke("云南公共数据第二十二条")
    assert len(docs) == 3
    assert docs[0].metadata["section"].endswith("第二十二条")
    assert {"article", "section", "issue", "start", "end", "source_path"} <= set(docs[0].metadata)


def test_fusion_keeps_margins():
    from rag.fusion import rrf, zscore

    # dense nearly tied, lexical clear: the lexical winner must win under zscore
    dense = ([1, 2, 3], [0.901, 0.900, 0.899])
    lexical = ([3, 1, 2], [9.0, 2.0, 1.0])
    z = zscore([(0.7, *dense), (1.0, *lexical)])
    assert max(z, key=z.get) == 3
    r = rrf([(1.0, dense[0]), (1.0, lexical[0])])
    assert set(r) == {1, 2, 3}
