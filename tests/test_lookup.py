"""Citation lookup: clause references on the section tree first, then fuzzy quotes."""

import pytest

from rag.lookup import context, lookup
from rag.query import QueryError


def _paths(found):
    return [(p.chunk.article, p.section) for p in found]


@pytest.mark.parametrize("ref", ["云南 第二十二条", "第22条", "云南省 第 22 条", "「第二十二条」"])
def test_a_clause_reference_gives_the_whole_clause(chunks, ref):
    found = lookup(chunks, ref)
    assert len(found) == 1
    p = found[0]
    assert p.how == "provision"
    assert p.chunk.article.startswith("云南省公共数据管理办法")
    assert p.section.endswith("第二十二条") and p.section.startswith("第三章")
    # The full clause: its first and its last paragraph.
    assert p.text.startswith("第二十二条") and "5 个工作日内校核完毕" in p.text and p.text.endswith("校核完毕。")
    assert p.start < p.end


@pytest.mark.parametrize("ref", ["数据要素× （十三）", "数据要素×(13)", "数据要素× 第（十三）条"])
def test_a_numbered_item_of_an_action_plan(chunks, ref):
    found = lookup(chunks, ref)
    assert len(found) == 1
    assert "数据要素×" in found[0].chunk.article
    assert found[0].section.split(" > ")[-1].startswith("（十三）")


def test_without_an_article_every_document_with_that_item_is_listed(chunks):
    articles = {p.chunk.article[:4] for p in lookup(chunks, "第（十七）条")}
    assert len(articles) >= 2 and all(p.how == "provision" for p in lookup(chunks, "第（十七）条"))
    narrowed = lookup(chunks, "北京 第（十七）条")
    assert [a[:2] for a, _ in _paths(narrowed)] == ["北京"]


@pytest.mark.parametrize("ref", ["云南 第九十九条", "重庆 第二十二条"])
def test_a_provision_that_is_not_there_finds_nothing_not_a_look_alike(chunks, ref):
    assert lookup(chunks, ref) == []


@pytest.mark.parametrize(
    "quote",
    [
        "公共机构应当自收到校核申请之日起 5 个工作日内校核完毕",  # as written
        "公共机构应当自收到校核申请之日起5个工作日内校核完毕",  # whitespace differs
        "「公共机构应当自收到校核申请之曰起 5 个工作日内校核完毕」",  # a wrong character, quoted
        "公共机构应当自收到校核申请之日起 ５ 个工作日内校核完毕;",  # full-width digit, half-width ;
    ],
)
def test_a_quote_finds_its_provision_despite_small_differences(chunks, quote):
    found = lookup(chunks, quote)
    assert found and found[0].how == "quote"
    best = found[0]
    assert best.section.endswith("第二十二条") and best.score >= 85
    lo, hi = best.match
    assert "收到校核申请之日起 5 个工作日内校核完毕" in best.text[lo - 2 : hi + 2]


def test_an_unrelated_quote_finds_nothing(chunks):
    assert lookup(chunks, "今天北京的天气非常晴朗适合去公园散步") == []


@pytest.mark.parametrize("bad", ["", "   ", "数据"])
def test_empty_or_too_short_text_is_a_clear_error(chunks, bad):
    with pytest.raises(QueryError):
        lookup(chunks, bad)


def test_context_shows_neighbours_of_the_cited_passage_in_its_section(chunks):
    target = next(c for c in chunks if c.section.endswith("第二十二条"))
    ctx = context(chunks, target.id, max_chars=1500)
    cited = [c for c, is_cited in ctx.pieces if is_cited]
    assert cited == [target]
    assert len(ctx.pieces) >= 3
    assert all(c.section.startswith(ctx.section) for c, _ in ctx.pieces)
    assert sum(len(c.text) for c, _ in ctx.pieces) <= 1500
    starts = [c.start for c, _ in ctx.pieces]
    assert starts == sorted(starts)


def test_context_of_an_unknown_passage_is_a_key_error(chunks):
    with pytest.raises(KeyError):
        context(chunks, "no-such-id")
