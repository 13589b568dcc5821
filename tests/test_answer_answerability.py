"""Three outcomes decided on the evidence, over a made-up library (no model): answered, not stated (the
topic is there, the detail is not), not found."""

import numpy as np
from conftest import make_passage

from rag.answer.answerability import Judge, Status
from rag.answer.extractive import Candidate
from rag.answer.refusal import Relevance, not_stated_text
from rag.answer.terms import QueryTerms
from rag.intent import read_intent
from rag.query import normalize_query
from rag.sentences import split_sentences
from rag.tokenize import tokenize

PLAN = "某省数字经济行动计划（2023—2025年）"
RULES = "某省公共数据管理办法"
LIBRARY = [
    make_passage("到2027年，建成数据中心12个，算力规模达到5EFLOPS。", article=PLAN, section="一、发展目标", rank=1),
    make_passage("对认定的示范企业予以重奖。", article=PLAN, section="三、保障措施 > （一）加强资金支持", rank=2),
    make_passage("第一条 为了规范公共数据管理，制定本办法。", article=RULES, section="第一章 总则 > 第一条", rank=3),
    make_passage("第二条 公共机构应当自收到申请之日起5个工作日内答复。", article=RULES, section="第一章 总则 > 第二条", rank=4),
]
RELEVANT = Relevance(1.0, 0.9, 0.5, 0.8)


def judge(question: str, relevance: Relevance = RELEVANT, passages=LIBRARY):
    query = normalize_query(question, 2000)
    terms = QueryTerms(query, tokenize, lambda toks: np.ones(len(toks)))
    # Every sentence of every passage a candidate, best-ranked passage first, all close in score.
    candidates = [Candidate(i, s, 0.8, 0.5, 3.0 - 0.1 * i) for i, p in enumerate(passages) for s in split_sentences(p.chunk.text)]
    judge = Judge([p.chunk for p in LIBRARY], margin=1.0)
    verdict = judge.judge(query, read_intent(query), terms, passages, candidates, relevance)
    return verdict, candidates


def test_answered_by_a_sentence_of_the_right_kind():
    verdict, candidates = judge("办法规定公共机构收到申请后几个工作日内答复？")
    assert verdict.status == Status.ANSWERED
    assert any("5个工作日" in candidates[i].sentence.text for i in verdict.fitting)


def test_not_found_when_nothing_relevant_or_the_place_is_never_mentioned():
    assert judge("建成多少个数据中心？", Relevance(0.5, 0.5, 0.0, 0.8))[0].status == Status.NOT_FOUND
    assert judge("甘肃省要建成多少个数据中心？")[0].status == Status.NOT_FOUND
    assert judge("建成多少个数据中心？", passages=[])[0].status == Status.NOT_FOUND


def test_not_stated_for_another_year_and_names_what_is_missing():
    verdict, _ = judge("到2025年要建成多少个数据中心？")
    assert verdict.status == Status.NOT_STATED and verdict.missing.constraint == "2025年"
    assert not_stated_text("zh", verdict.topic, verdict.missing) == f"本期资料提到《{PLAN}》，但没有给出2025年的具体数量。"


def test_not_stated_when_the_text_names_the_thing_but_gives_no_figure():
    verdict, _ = judge("对示范企业奖励多少万元？")
    assert verdict.status == Status.NOT_STATED and verdict.missing.detail_zh == "具体金额"


def test_not_stated_for_a_provision_that_does_not_exist():
    verdict, _ = judge("公共数据管理办法第五十条规定了什么？")
    assert verdict.status == Status.NOT_STATED and verdict.missing.provision == "第五十条"
    assert "没有第五十条这一条款" in not_stated_text("zh", verdict.topic, verdict.missing)
    assert judge("公共数据管理办法第二条规定了什么？")[0].status == Status.ANSWERED
    # 第三部分 is the outline's third top-level heading (三、): the plan has one, not a fifth.
    verdict, _ = judge("数字经济行动计划第五部分提出了哪些措施？")
    assert verdict.missing.provision == "五、"
    assert "没有第五部分这一条款" in not_stated_text("zh", verdict.topic, verdict.missing)
    assert judge("数字经济行动计划第三部分提出了哪些措施？")[0].status == Status.ANSWERED


def test_an_english_focus_is_a_word_the_question_writes_itself():
    # "raise" reads as 出资 in a dictionary; the passage about the fund says 设立. Translations are
    # guesses: they find passages, but a sentence is not "not about" the question for lacking one.
    text = "省财政出资建设算力中心。设立产业基金，规模达到100亿元。"
    fund = [make_passage(text, article=PLAN, section="三、保障措施 > （二）设立基金")]
    query = "How large is the fund the province raises?"
    weights = lambda toks: np.array([2.0 if t == "出资" else 1.0 for t in toks])  # noqa: E731
    terms = QueryTerms("fund 基金 raise 出资 设立", tokenize, weights)
    candidates = [Candidate(0, s, 0.8, 0.5, 3.0) for s in split_sentences(fund[0].chunk.text)]
    judged = Judge([p.chunk for p in LIBRARY + fund], margin=1.0).judge(
        query, read_intent(query), terms, fund, candidates, RELEVANT
    )
    assert judged.status == Status.ANSWERED


def test_an_editors_note_paraphrase_is_no_focus_for_what_the_text_says():
    # The note restates the rule in its own words (违规); the provision says 违反. A question about what the text
    # says, worded as the note is, is answered by the provision's figure, not refused as "not about 违规".
    law = "某省数据条例"
    note = make_passage("该条例对违规出境数据等行为设定了罚则。", article=law, section="", kind="editor_note", rank=1)
    rule = make_passage("第四十条 违反本条例规定出境数据的，处十万元以上一百万元以下罚款。", article=law, section="第四十条")
    query = "违规出境数据的，最高可处多少罚款？"
    weights = lambda toks: np.array([5.0 if t == "违规" else 1.0 for t in toks])  # noqa: E731
    terms = QueryTerms(query, tokenize, weights)
    passages = [note, rule]
    candidates = [Candidate(i, s, 0.8, 0.5, 3.0) for i, p in enumerate(passages) for s in split_sentences(p.chunk.text)]
    judge_ = Judge([note.chunk, rule.chunk], margin=1.0)
    assert judge_.focus(query, terms, read_intent(query), passages) != "违规"
    judged = judge_.judge(query, read_intent(query), terms, passages, candidates, RELEVANT)
    assert judged.status == Status.ANSWERED
    assert any("十万元以上" in candidates[i].sentence.text for i in judged.fitting)
    # A question about the document as a whole (its background) may take the note's words as its focus.
    about = "该条例出台的背景是什么？对违规出境数据罚多少？"
    assert judge_.focus(about, QueryTerms(about, tokenize, weights), read_intent(about), passages) == "违规"


def test_english_messages():
    verdict, _ = judge("How many data centres will be built by 2025?")
    assert verdict.status == Status.NOT_STATED
    assert not_stated_text("en", verdict.topic, verdict.missing).startswith(f"The bulletin covers “{PLAN}”")


def test_provisions_listed_side_by_side_are_each_looked_up_not_nested():
    judge_ = Judge([p.chunk for p in LIBRARY], margin=1.0)
    assert judge_.missing_provision("违反本办法第一条、第二条规定的，如何处理？", RULES) is None
    assert judge_.missing_provision("第一条、第九条规定了什么？", RULES) == "第九条"


def test_an_english_name_the_library_never_mentions_is_not_found():
    from rag.language.names import english_names

    assert [s.text for s in english_names("What is Kweichow Moutai's share price, and how does Shanghai's plan compare?")] == [
        "Kweichow Moutai",
        "Shanghai",
    ]
    assert [s.text for s in english_names("Which bodies jointly issued the guiding opinions in November?")] == []
    lexicon = {"data centre": ["数据中心"], "data": ["数据"], "centre": ["中心"]}

    def terms(phrase: str):
        return [t for w, ts in lexicon.items() if w in phrase.lower() for t in ts]

    query = normalize_query("How many data centres does the Huangguoshu Waterfall Company run?", 2000)
    without = Judge([p.chunk for p in LIBRARY], margin=1.0)
    with_terms = Judge([p.chunk for p in LIBRARY], margin=1.0, english_terms=terms)
    assert with_terms.unknown_english_names(query, read_intent(query)) == ["Huangguoshu Waterfall Company"]
    assert without.unknown_english_names(query, read_intent(query)) == []  # no dictionary: no judgement
    # A name whose words render terms the library holds, or a place, is known; China says nothing either way.
    for known in ("How many data centres does the Data Centre Alliance run?", "How many data centres did China build?"):
        q = normalize_query(known, 2000)
        assert with_terms.unknown_english_names(q, read_intent(q)) == []


def test_a_places_government_is_judged_by_its_place_not_as_a_name():
    from rag.answer.refusal import unknown_names

    library = "广东省知识产权保护条例 第六条 省人民政府应当每年发布知识产权保护白皮书。青岛市专利保护规定 市人民政府负责。"
    # A law says 省人民政府 where a question says 广东省政府: whether the library knows 广东 is the region rule's to judge.
    assert unknown_names("广东省政府每年要发布什么报告？", library.__contains__) == []
    assert unknown_names("青岛市政府负责什么？", library.__contains__) == []
    assert unknown_names("中国移动的基站建了多少个？", library.__contains__) == ["中国移动"]  # any other body is a name
