"""Extractive answers over the real bulletin with the real model: what a user without an LLM gets."""

import re

import pytest

from rag.query import QueryError
from rag.text import compact
from rag.types import Answer

pytestmark = pytest.mark.slow


def markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def check_citations(a: Answer) -> None:
    """Every [n] names a citation, every citation is cited, and each highlight lies inside its passage."""
    assert set(markers(a.text)) == set(range(1, len(a.citations) + 1))
    assert markers(a.text)[0] == 1
    for h in a.highlights:
        text = a.citations[h.citation - 1].chunk.text
        assert 0 <= h.start < h.end <= len(text)
        assert compact(text[h.start : h.end]) in compact(a.text)


def test_answer_quotes_the_sentence_with_the_number_and_cites_its_provision(answerer):
    a = answerer.answer("云南的公共数据多久内要完成校核？")
    assert not a.refused and a.mode == "extractive"
    assert "5个工作日" in compact(a.text)
    check_citations(a)
    first = a.citations[0].chunk
    assert first.article.startswith("云南省公共数据管理办法") and first.section.endswith("第二十二条")
    assert {"retrieve", "score_sentences", "total"} <= set(a.timings)


def test_sentences_keep_document_order_and_stay_short(answerer):
    a = answerer.answer("河南行动计划中“加快企业数字化赋能”任务的责任单位是哪些？")
    check_citations(a)
    assert "省工业和信息化厅" in a.text
    assert len(re.sub(r"\[\d+\]", "", a.text)) <= 400
    # Highlights of one passage appear in the order of the source.
    starts = [h.start for h in a.highlights if h.citation == 1]
    assert starts == sorted(starts)


def test_a_named_provision_is_answered_from_its_opening(answerer):
    a = answerer.answer("第22条规定了什么？")
    check_citations(a)
    assert a.citations[0].chunk.section.endswith("第二十二条")
    assert a.text.startswith("第二十二条")


def test_a_restated_sentence_is_quoted_once(answerer):
    a = answerer.answer("到2026年要打造多少个典型应用场景？")
    assert "300" in a.text
    assert compact(a.text).count("典型应用场景") == 1


def test_which_document_questions_name_the_document(answerer):
    a = answerer.answer("哪份文件提出要打造人形机器人通用原型机？")
    assert a.text.startswith("《") and "重庆" in a.text.split("》")[0]


@pytest.mark.parametrize("question", ["如何做红烧肉？", "特斯拉的股价是多少？"])
def test_questions_the_bulletin_does_not_answer_are_refused_with_closest_passages(answerer, question):
    a = answerer.answer(question)
    assert a.refused
    assert a.text == "本期资料中没有找到相关内容。"
    assert a.citations == [] and a.passages  # nothing cited, the closest passages still shown
    assert a.flags


def test_a_document_the_library_does_not_hold_is_named_as_absent(answerer):
    a = answerer.answer("广东省制造业数字化转型行动计划的目标是什么？")
    assert a.refused and a.status == "not_found"
    assert a.text.startswith("资料库中没有《广东省制造业数字化转型行动计划》")
    assert a.citations == [] and a.passages


def test_english_refusal_is_in_english(answerer):
    a = answerer.answer("How do I cook rice?")
    assert a.refused and a.text == "The bulletin has nothing on this."


def test_bad_questions_raise_a_clear_error(answerer):
    with pytest.raises(QueryError):
        answerer.answer("   ")
    with pytest.raises(QueryError, match="2000"):
        answerer.answer("数" * 5000)


def test_filters_that_match_nothing_refuse(answerer):
    from rag.filters import Filters

    a = answerer.answer("云南的公共数据多久内要完成校核？", Filters(articles=("不存在的文件",)))
    assert a.refused and a.passages == []


def test_stream_yields_text_then_the_answer(answerer):
    from rag.answer.events import Final, TextDelta

    events = list(answerer.stream("云南的公共数据多久内要完成校核？"))
    assert isinstance(events[-1], Final) and all(isinstance(e, TextDelta) for e in events[:-1])
    assert "".join(e.text for e in events[:-1]) == events[-1].answer.text
