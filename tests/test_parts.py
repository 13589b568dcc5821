"""Questions of several parallel parts (rag.frames.parts, rag.answer.parts) and follow-ups that name a document
by 本办法, a short name or a name the library lacks, over a library of two made-up local regulations
(tests/data/two-cities.md: Shanghai's answers an application in 十个工作日, Shenzhen's audits one in
二十个工作日), indexed with the hash embedder. The text is written for these tests."""

from pathlib import Path

import pytest

from rag.answer.events import final_answer
from rag.catalogue import LibraryCatalogue
from rag.chunk import Chunker
from rag.conversation.resolve import Resolver, Turn
from rag.frames import Context
from rag.frames.parts import split
from rag.parse.issue import parse_issue
from rag.query import normalize_query

TWO_CITIES = Path(__file__).parent / "data" / "two-cities.md"
SHANGHAI = "上海市公共数据开放条例"
SHENZHEN = "深圳市数据交易管理办法"


@pytest.fixture(scope="module")
def context():
    issue = parse_issue(TWO_CITIES.read_text(encoding="utf-8"), source_path=str(TWO_CITIES))
    return Context(LibraryCatalogue(Chunker().chunk_issue(issue)), 2000)


def parts(question, context):
    return split(normalize_query(question, 2000), context)


# --- reading the parts -------------------------------------------------------------------------------------


def test_two_places_asked_each_are_two_frames_each_in_its_own_document(context):
    found = parts("上海和深圳分别要在几个工作日内处理申请？", context)
    assert [p.label for p in found] == ["上海", "深圳"]
    assert [p.frame.place_names for p in found] == [("上海",), ("深圳",)]
    assert [p.frame.document for p in found] == [SHANGHAI, SHENZHEN]
    assert all("分别" not in p.frame.text and "几个工作日" in p.frame.text for p in found)


def test_two_documents_with_ge_and_a_comparison_with_which(context):
    found = parts(f"{SHANGHAI}和{SHENZHEN}各规定了什么法律责任？", context)
    assert [p.frame.document for p in found] == [SHANGHAI, SHENZHEN]
    found = parts("上海的条例与深圳的办法哪个审核期限更长？", context)
    assert [p.frame.document for p in found] == [SHANGHAI, SHENZHEN]


def test_two_years_and_two_provisions(context):
    found = parts("2024年和2025年分别要公开多少数据集？", context)
    assert [sorted(p.frame.period.years) for p in found] == [[2024], [2025]]
    found = parts(f"{SHENZHEN}第三条和第四条分别规定了什么？", context)
    assert [sorted(p.frame.provisions) for p in found] == [["第三条"], ["第四条"]]
    assert {p.frame.document for p in found} == {SHENZHEN}


def test_english_parts_joined_by_and_or_asked_as_what_about(context):
    found = parts("What do Shanghai and Shenzhen require of an application?", context)
    assert [p.frame.place_names for p in found] == [("上海",), ("深圳",)]
    found = parts("Within how many working days must Shanghai answer, and what about Shenzhen?", context)
    assert [p.frame.place_names for p in found] == [("上海",), ("深圳",)]
    assert [p.frame.document for p in found] == [SHANGHAI, SHENZHEN]


@pytest.mark.parametrize(
    "question",
    [
        "违反本条例第三条、第四条规定的，如何处理？",  # provisions a law cites: one question
        "上海和深圳的数据交易场所有哪些？",  # nothing asks for each
        "各地区要在几个工作日内答复？",  # 各 of 各地区 is every region, no part
        "深圳要在几个工作日内完成审核？",
        "What must Shenzhen disclose every quarter?",
    ],
)
def test_questions_of_one_part_are_not_split(context, question):
    assert parts(question, context) == []


# --- answering them ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    from conftest import HashEmbedder, hash_settings

    from rag.answer.pipeline import Answerer
    from rag.index import build_index
    from rag.retrieve import Retriever

    settings = hash_settings(tmp_path_factory.mktemp("two-cities"), TWO_CITIES)
    embedder = HashEmbedder()
    return Answerer(Retriever(build_index(settings, embedder), embedder, settings), settings)


def test_each_part_is_answered_from_its_own_document_with_its_own_citation(answerer):
    a = answerer.answer("上海和深圳分别要在几个工作日内处理申请？")
    assert a.status == "answered" and not a.refused
    assert a.text.startswith("上海：") and "；深圳：" in a.text
    shanghai, shenzhen = a.text.split("；深圳：")
    assert "十个工作日" in shanghai and "[1]" in shanghai and "二十个工作日" in shenzhen and "[2]" in shenzhen
    assert [c.chunk.article for c in a.citations] == [SHANGHAI, SHENZHEN]


def test_a_part_the_library_does_not_give_is_said_and_the_rest_answered(answerer):
    a = answerer.answer("上海和广州分别要在几个工作日内处理申请？")
    assert a.status == "answered" and "十个工作日" in a.text
    assert "广州：本期资料中没有找到相关内容" in a.text
    assert all(c.chunk.article == SHANGHAI for c in a.citations)


def test_a_question_of_one_part_is_answered_as_before(answerer):
    a = answerer.answer("深圳要在几个工作日内完成审核？")
    assert "answered in parts" not in a.flags and "二十个工作日" in a.text


# --- follow-ups naming a document --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resolver(answerer):
    return Resolver(answerer.frames)


def resolved(resolver, question, earlier):
    return resolver.resolve(question, [Turn(earlier)])


def test_ben_banfa_gai_tiaoli_and_a_short_name_are_the_same_entry_as_the_full_name(resolver):
    earlier = f"{SHENZHEN}第三条规定了什么？"
    assert resolved(resolver, "本办法对信息披露有什么要求？", earlier).frame.document == SHENZHEN
    assert resolved(resolver, "该办法的罚款是多少？", earlier).frame.document == SHENZHEN
    r = resolved(resolver, "那数据开放条例呢？", earlier)  # a short name of Shanghai's
    assert r.how == "switch:document" and r.frame.document == SHANGHAI
    assert resolved(resolver, "本条例的复核期限是多久？", "上海的条例什么时候答复申请？").frame.document == SHANGHAI


def test_a_follow_up_naming_a_document_the_library_lacks_is_refused_with_the_closest_title(answerer):
    from rag.conversation.chat import converse

    history = [Turn(f"{SHENZHEN}第三条规定了什么？")]
    a = final_answer(converse(answerer, "那江苏省数据交易管理办法呢？", history))
    assert a.status == "not_found" and a.refused
    assert "江苏省数据交易管理办法" in a.text and SHENZHEN in a.text
