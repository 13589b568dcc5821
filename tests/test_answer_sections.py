"""A question that asks about a section by its heading (提出了哪些主要目标, 法律责任有哪些) is answered from the
passages of that section, whatever the preamble's similarity to it; a heading the question only uses to qualify a
further noun, or that is part of a document's name, decides nothing. Text written for the test; the hash
embedder stands in for e5."""

import numpy as np
from conftest import HashEmbedder, make_passage

from rag.answer.extractive import SentenceScorer, named_sections
from rag.tokenize import tokenize

PLAN = "某省数字化转型行动计划（2024—2026年）"
PREAMBLE = "为推动某省数字化转型行动计划提出的主要目标落地，加快建设数字强省，制定本行动计划。"
GOALS = "到2026年，规模以上工业企业数字化改造实现全覆盖，建成省级智能工厂二百家。"
MEASURES = "加强组织领导，建立省级工作专班，统筹推进行动计划实施。"


def _passages():
    return [
        make_passage(PREAMBLE, article=PLAN, section="", rank=1),
        make_passage(GOALS, article=PLAN, section="一、总体要求 > （二）主要目标", rank=2),
        make_passage(MEASURES, article=PLAN, section="三、保障措施 > （一）加强组织领导", rank=3),
    ]


def _scorer():
    return SentenceScorer(HashEmbedder(), tokenize, lambda tokens: np.array([1.0 if len(t) > 1 else 0.2 for t in tokens]))


def test_a_question_naming_a_heading_is_answered_from_that_section():
    question = "某省行动计划提出了哪些主要目标？"
    assert named_sections(question, _passages(), "zh") == {1}
    candidates = _scorer().candidates(question, _passages())
    assert {c.sentence.text for c in candidates} == {GOALS}
    # Without the heading named, the preamble (which shares the question's words) stays a candidate.
    assert PREAMBLE in {c.sentence.text for c in _scorer().candidates("某省行动计划提出了什么？", _passages())}


def test_a_chapter_heading_asked_about_with_a_function_word_after_it():
    passages = [
        make_passage("第三条 国家建立数据分类分级保护制度。", article="某数据法", section="第一章 总则 > 第三条", rank=1),
        make_passage("第四十条 违反本法规定的，处五万元以下罚款。", article="某数据法", section="第六章 法律责任 > 第四十条"),
    ]
    assert named_sections("某数据法的法律责任有哪些？", passages, "zh") == {1}
    assert named_sections("违反某数据法要承担哪些法律责任", passages, "zh") == {1}


def test_a_heading_that_qualifies_a_noun_or_names_a_document_is_no_section_asked():
    passages = [
        make_passage("第九条 公共机构不得新建共享通道。", article="某办法", section="第二章 平台 > 第九条", rank=1),
        make_passage("第二十条 共享数据分为三类。", article="某办法", section="第四章 数据共享 > 第二十条", rank=2),
    ]
    assert named_sections("公共机构可以新建数据共享、开放通道吗？", passages, "zh") == set()
    assert named_sections("公共机构可以新建数据共享的通道吗？", passages, "zh") == set()
    assert named_sections("数据共享有哪些类别？", passages, "zh") == {1}
    # 安徽省行动计划 names the plan, not a section 行动计划 of it.
    plan = [make_passage("实施十项重点工程。", article="安徽省某行动计划", section="五、行动计划 > （一）重点工程")]
    assert named_sections("安徽省行动计划有哪些重点任务？", plan, "zh") == set()
    assert named_sections("安徽省行动计划的重点工程有哪些？", plan, "zh") == {0}
    # A heading inside a word of the question is no heading named (安全 is not 数据安全's chapter 安全).
    one = [make_passage("第八条 保障网络安全。", article="某法", section="第二章 安全 > 第八条")]
    assert named_sections("数据安全有什么要求？", one, "zh") == set()
