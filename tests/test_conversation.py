"""Follow-ups resolved against made-up conversations over the bundled bulletin: the language of follow-ups,
each move on the previous turn's structure, questions left alone, history checks, and the time it takes.
No question here is taken from eval/conversations.jsonl."""

import time

import pytest

from rag.catalogue import LibraryCatalogue
from rag.conversation.followup import Move, read_followup
from rag.conversation.resolve import HistoryError, Resolver, Turn, read_history
from rag.errors import UserError
from rag.frames import Context


@pytest.fixture(scope="module")
def resolver(chunks):
    terms = {"robots": ["机器人"], "service": ["服务"], "ai": ["人工智能"], "incubators": ["孵化器"]}
    return Resolver(Context(LibraryCatalogue(chunks), 2000, lambda w: terms.get(w.lower(), [])))


def resolve(resolver, question, *earlier, **turn):
    history = [Turn(q) for q in earlier[:-1]] + [Turn(earlier[-1], **turn)] if earlier else []
    return resolver.resolve(question, history)


# --- the language of follow-ups -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "move", "slot"),
    [
        ("那湖北呢？", Move.SWITCH, "湖北"),
        ("西部地区的呢", Move.SWITCH, "西部地区的"),
        ("换成2024年呢？", Move.SWITCH, "2024年"),
        ("第十五条呢？", Move.SWITCH, "第十五条"),
        ("那么安徽的方案怎么样？", Move.SWITCH, "安徽的方案"),
        ("下一条呢？", Move.NEXT, ""),
        ("上一项规定了什么？", Move.PREVIOUS, ""),
        ("它的牵头单位是谁？", Move.PRONOUN, ""),
        ("这个方案提到哪些起步区？", Move.PRONOUN, ""),
        ("其主要目标是什么？", Move.PRONOUN, ""),
        ("其中关于人才有什么措施？", Move.NARROW, ""),
        ("具体到农业方面呢？", Move.NARROW, "农业"),
        ("云南的公共数据多久内要完成校核？", Move.NONE, ""),
        ("其他省份有类似规定吗？", Move.NONE, ""),
        ("按照本办法，谁负责公共数据目录？", Move.PRONOUN, ""),
        ("本条例什么时候施行？", Move.PRONOUN, ""),
        ("基本法第十条规定了什么？", Move.NONE, ""),  # 本法 inside 基本法 points at nothing
        ("成本规划由谁编制？", Move.NONE, ""),
    ],
)
def test_chinese_follow_up_moves(question, move, slot):
    f = read_followup(question, "zh")
    assert f.move == move
    if slot:
        assert f.slot == slot


@pytest.mark.parametrize(
    ("question", "move"),
    [
        ("And Hubei?", Move.SWITCH),
        ("What about the western region?", Move.SWITCH),
        ("How about 2024?", Move.SWITCH),
        ("What does the next article say?", Move.NEXT),
        ("And the previous item?", Move.PREVIOUS),
        ("What are its main targets?", Move.PRONOUN),
        ("Of these, which concern agriculture?", Move.NARROW),
        ("What does Yunnan require for data verification?", Move.NONE),
    ],
)
def test_english_follow_up_moves(question, move):
    assert read_followup(question, "en").move == move


def test_next_and_previous_read_their_unit():
    assert read_followup("下一章呢", "zh").unit == "章"
    assert read_followup("上一类", "zh").unit == "类"
    assert read_followup("and the next chapter?", "en").unit == "章"


# --- switches: the frame after the follow-up ---------------------------------------------------------------
# Titles are looked up by how they begin: the frame's document is a catalogue entry, not words of a question.


def title(resolver, start):
    return next(t for t in resolver.catalogue.titles if t.startswith(start))


def test_a_region_switch_changes_the_place_and_keeps_the_period(resolver):
    r = resolve(resolver, "西部呢？", "截至11月末，东北地区的5G移动电话用户有多少户？")
    assert r.how == "switch:place" and r.frame.place_names == ("西部",) and r.frame.period.months == {11}
    r = resolve(resolver, "那京津冀呢", "11月末长三角地区5G基站数是多少？")
    assert r.frame.place_names == ("京津冀",) and "京津冀地区" in r.question  # the old place's 地区 kept


def test_a_switch_to_another_province_moves_to_its_document(resolver):
    r = resolve(resolver, "安徽的方案呢？", "重庆AI及服务机器人行动计划对人才有什么支持？")
    assert r.how == "switch:document" and r.frame.document == title(resolver, "安徽")
    r = resolve(resolver, "那河南呢？", "重庆AI及服务机器人行动计划的保障措施有哪些？")
    assert r.frame.document == title(resolver, "河南") and r.frame.place_names == ("河南",)
    assert "机器人" not in r.question  # the old document's words are gone
    r = resolve(resolver, "那北京的指导意见呢？", "安徽方案的发展目标是什么？")
    assert r.frame.document == title(resolver, "北京")


def test_a_place_switch_inside_a_national_document_keeps_the_document(resolver):
    r = resolve(resolver, "那北京呢？", "视听电子指导意见对广东、四川等地有什么要求？")
    assert r.frame.document == title(resolver, "关于加快推进视听电子") and r.frame.place_names == ("北京",)


def test_a_province_switch_without_a_document_swaps_the_province(resolver):
    r = resolve(resolver, "河南呢？", "安徽对数据中心有什么时延要求？")
    assert r.frame.place_names == ("河南",) and r.frame.document == title(resolver, "河南")


def test_a_year_switch_changes_the_period_and_keeps_the_document(resolver):
    r = resolve(resolver, "2024年呢？", "河南行动计划到2025年要培育多少个智能工厂？")
    assert r.how == "switch:period" and r.frame.period.years == {2024} and r.frame.document == title(resolver, "河南")
    r = resolve(resolver, "1—10月份呢", "1—11月份移动互联网接入流量是多少？")
    assert r.frame.period.months == {10}


def test_a_provision_switch_asks_what_the_new_provision_says(resolver):
    r = resolve(resolver, "第四十条呢？", "云南办法第三十九条是怎么规定的？")
    assert r.frame.provisions == {"第四十条"} and r.frame.document == title(resolver, "云南")
    r = resolve(resolver, "第十二条呢？", "云南办法第十一条规定几个工作日内完成？")
    assert r.frame.provisions == {"第十二条"} and r.frame.intent.asks_content  # not the old clause's figure


def test_a_topic_switch_aligns_on_shared_words(resolver):
    r = resolve(resolver, "居家服务机器人呢？", "重庆的清洁服务机器人要在哪些领域示范应用？")
    assert r.how == "switch:topic" and "居家服务机器人" in r.question and "清洁" not in r.question
    assert r.frame.place_names == ("重庆",)


# --- next and previous ---------------------------------------------------------------------------------------


def test_next_and_previous_clause_by_arithmetic(resolver):
    r = resolve(resolver, "下一条呢？", "云南省公共数据管理办法第十九条讲了什么？")
    assert r.frame.provisions == {"第二十条"} and r.frame.document == title(resolver, "云南")
    assert resolve(resolver, "上一条呢", "云南办法第二十条规定了什么？").frame.provisions == {"第十九条"}
    assert resolve(resolver, "下一条", "“数据要素×”行动计划第（九）条是什么内容？").frame.provisions == {"（十）"}


def test_next_with_its_own_predicate(resolver):
    r = resolve(resolver, "下一条规定了哪些期限？", "云南办法第二十一条是什么？")
    assert r.how == "next" and r.frame.provisions == {"第二十二条"} and r.question.endswith("规定了哪些期限？")


def test_the_next_labelled_paragraph(resolver):
    r = resolve(resolver, "下一类呢？", "重庆要发展的居家服务机器人包括哪些产品？")
    assert "特种服务机器人" in r.question and "居家" not in r.question


def test_the_next_item_under_a_quoted_section_is_that_section(resolver):
    r = resolve(resolver, "第三项呢？", "河南“实施智能制造提升行动”第二项是什么内容？")
    assert r.frame.section[-2:] == ("（三）实施智能制造提升行动", "3.培育智能工厂") and "培育智能工厂" in r.question


def test_next_section_from_where_the_turn_was_answered(resolver):
    section = "二、主要任务 > （三）实施智能制造提升行动 > 2.打造智能车间"
    r = resolve(resolver, "下一项呢？", "河南对智能车间有什么目标？", article=title(resolver, "河南"), section=section)
    assert r.how == "next" and r.frame.section[-1] == "3.培育智能工厂" and r.frame.document == title(resolver, "河南")


def test_a_step_past_the_end_is_unresolved(resolver):
    article = title(resolver, "2023年")
    r = resolve(resolver, "下一条呢？", "11月末5G基站有多少？", article=article, section="五、地区发展情况")
    assert r.how == "unresolved" and r.question == "下一条呢？" and r.frame is None


# --- pronouns and narrowing ------------------------------------------------------------------------------------


def test_a_pronoun_is_the_previous_turns_document(resolver):
    r = resolve(resolver, "它对首席数据官有什么要求？", "河南制造业数字化转型行动计划是哪天印发的？")
    assert r.how == "pronoun" and r.frame.document == title(resolver, "河南") and "它" not in r.question
    r = resolve(resolver, "这个方案提出建设几个起步区？", "安徽数字基础设施行动方案由哪个部门印发？")
    assert r.frame.document == title(resolver, "安徽")
    r = resolve(resolver, "它对合肥的算力有什么安排？", "安徽数字基础设施行动方案由哪个部门印发？")
    assert r.how == "pronoun" and r.frame.document == title(resolver, "安徽")  # 合肥 after 它 is not what 它 is


def test_ben_banfa_and_gai_banfa_are_the_conversations_document(resolver):
    for follow_up in ("本办法对公共数据主管部门有什么要求？", "该办法第十条规定了什么？"):
        r = resolve(resolver, follow_up, "云南办法什么时候施行？")
        assert r.how == "pronoun" and r.frame.document == title(resolver, "云南")


def test_a_pronoun_without_a_named_document_takes_the_articles_title(resolver):
    article = title(resolver, "北京")
    r = resolve(resolver, "它的发展目标是什么？", "孵化器要建设多少个？", article=article)
    assert r.frame.document == article and r.frame.place_names == ("北京",)


def test_narrowing_keeps_the_previous_subject(resolver):
    r = resolve(resolver, "其中关于人才有哪些措施？", "重庆行动计划在保障措施方面提出了哪些内容？")
    assert r.how == "narrow" and "保障措施" in r.question and "人才" in r.question
    assert r.frame.document == title(resolver, "重庆")
    r = resolve(resolver, "其中物联网呢？", "1—11月份新兴业务收入增长了多少？")
    assert r.frame.period.months == {11} and "物联网" in r.question


# --- English ---------------------------------------------------------------------------------------------------


def test_english_switches_and_pronouns(resolver):
    r = resolve(resolver, "What about the eastern region?", "How many 5G users did the western region have in November?")
    assert r.frame.place_names == ("东部",) and r.frame.lang == "en"
    r = resolve(resolver, "How many smart factories does it plan?", "When was Henan's manufacturing action plan issued?")
    assert r.frame.document == title(resolver, "河南") and "Henan's manufacturing action plan" in r.question


def test_an_english_document_switch_drops_the_old_documents_words(resolver):
    r = resolve(resolver, "And Beijing?", "What support does Chongqing give to service robots?")
    assert r.frame.document == title(resolver, "北京") and "robots" not in r.question


# --- how the understood question reads (理解为：…) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up", "earlier", "reads"),
    [
        ("西部呢？", "截至11月末，东北地区的5G移动电话用户有多少户？", "截至11月末，西部地区的5G移动电话用户有多少户？"),
        ("2024年呢？", "河南行动计划到2025年要培育多少个智能工厂？", "河南行动计划到2024年要培育多少个智能工厂？"),
        ("上一条呢", "云南办法第二十条规定了什么？", "云南办法第十九条规定了什么？"),
        ("该办法第十条规定了什么？", "云南办法什么时候施行？", "云南办法第十条规定了什么？"),
    ],
)
def test_the_understood_question_reads_as_a_question_someone_would_ask(resolver, follow_up, earlier, reads):
    assert resolve(resolver, follow_up, earlier).question == reads


# --- left alone ------------------------------------------------------------------------------------------------


def test_without_history_or_with_a_self_contained_question_nothing_changes(resolver):
    q = "安徽的智能计算中心要支持多大规模的训练？"
    assert resolve(resolver, q).how == "none" and resolve(resolver, q).question == q
    r = resolve(resolver, q, "云南的公共数据多久内要完成校核？")
    assert r.question == q and r.how == "self-contained" and not r.changed and r.frame is None


def test_a_bare_pronoun_in_a_question_naming_its_own_document_is_no_follow_up(resolver):
    q = "河南的行动计划，它对智能工厂有什么目标？"
    assert resolve(resolver, q, "云南办法什么时候施行？").how == "self-contained"


def test_a_conversation_of_three_turns_resolves_each_against_the_last(resolver):
    history = [Turn("云南办法第五条规定了什么？"), Turn("下一条呢？")]
    r = resolver.resolve("再下一条呢？", history)
    assert r.frame.provisions == {"第七条"} and r.frame.document == title(resolver, "云南")


def test_a_turn_resolved_by_the_client_is_taken_as_given(resolver):
    history = [Turn("下一条呢？", resolved="云南办法第八条规定了什么？")]
    assert resolver.resolve("下一条呢？", history).frame.provisions == {"第九条"}


def test_each_earlier_turns_frame_is_computed_once(resolver, monkeypatch):
    history = [Turn("云南办法第五条规定了什么？"), Turn("下一条呢？"), Turn("再下一条呢？")]
    resolver.resolve("下一条呢？", history)
    import rag.frames.frame as frames

    calls, read = [], frames.read_frame
    monkeypatch.setattr(frames, "read_frame", lambda text, *a, **k: calls.append(text) or read(text, *a, **k))
    r = resolver.resolve("下一条呢？", [*history, Turn("下一条呢？")])
    assert r.frame.provisions == {"第九条"}
    assert len(calls) == 2  # the newest earlier turn's frame and the resolved one's: the others are kept


# --- history as clients send it ---------------------------------------------------------------------------------


def test_history_is_read_from_lists_json_and_our_own_answer_json():
    assert read_history(None) == [] and read_history([]) == []
    turns = read_history('[{"question": "问1", "answer": "答1"}, "问2", {"question": "问3", "resolved_question": "问3全"}]')
    assert [t.question for t in turns] == ["问1", "问2", "问3"] and turns[0].answer == "答1" and turns[2].resolved == "问3全"


@pytest.mark.parametrize(
    "bad", ["not json", '{"question": "x"}', [{"answer": "no question"}], [{"question": 3}], [{"question": "q"}] * 51]
)
def test_a_bad_history_is_a_user_error(bad):
    with pytest.raises(HistoryError) as err:
        read_history(bad)
    assert isinstance(err.value, UserError)


def test_resolution_takes_well_under_20_ms(resolver):
    cases = [
        ("中部呢？", "截至11月末，东部地区5G基站有多少个？"),
        ("下一条呢？", "云南办法第十条规定了什么？"),
        ("它的目标是什么？", "安徽数字基础设施行动方案是谁印发的？"),
        ("And the northeast?", "How many 5G base stations did the central region have?"),
        ("1—11月份电信业务收入是多少？", "河南到2025年要建多少智能工厂？"),
    ]
    for q, prev in cases:  # once each, so that nothing is measured for the first time
        resolve(resolver, q, prev)
    t0 = time.perf_counter()
    for _ in range(20):
        for q, prev in cases:
            resolve(resolver, q, prev)
    per = (time.perf_counter() - t0) / (20 * len(cases))
    assert per < 0.020, f"{per * 1000:.1f} ms per resolution"
