"""Reading what a question asks: the kind of answer and the constraints it names, Chinese and English."""

import pytest

from rag.intent import AnswerType, language, period_of, read_intent, regions_named
from rag.query import normalize_query


def intent(q: str):
    return read_intent(normalize_query(q, 2000))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("某市对获奖企业给予多少万元奖励？", AnswerType.AMOUNT),
        ("补助比例是多少？", AnswerType.PERCENT),
        ("宽带用户渗透率是多少？", AnswerType.PERCENT),
        ("到2025年要建成多少个数据中心？", AnswerType.COUNT),
        ("计划培育几家龙头企业？", AnswerType.COUNT),
        ("算力规模要达到多少？", AnswerType.QUANTITY),
        ("收到申请后几个工作日内答复？", AnswerType.DURATION),
        ("试行期是多长时间？", AnswerType.DURATION),
        ("这份通知是哪一天印发的？", AnswerType.DATE),
        ("该意见的文号是什么？", AnswerType.DOC_NUMBER),
        ("公共机构可以拒绝共享吗？", AnswerType.YESNO),
        ("是否允许重复收集？", AnswerType.YESNO),
        ("办法里有没有何时公开的规定？", AnswerType.YESNO),  # 是否/有没有 wins over 何时
        ("第十二条规定了什么？", AnswerType.PROVISION),
        ("哪些文件提到了量子信息？", AnswerType.TEXT),
        ("办法把公共数据分为哪几类？", AnswerType.TEXT),  # which kinds, not how many
        ("How much funding does the province give to each platform?", AnswerType.AMOUNT),
        ("What share of users are on fibre?", AnswerType.PERCENT),
        ("How many base stations were built?", AnswerType.COUNT),
        ("How many base stations, and what share of the total?", AnswerType.COUNT),
        ("Within how many working days must the body reply?", AnswerType.DURATION),
        ("When does the measure take effect?", AnswerType.DATE),
        ("What is the document number of the notice?", AnswerType.DOC_NUMBER),
        ("May a public body collect the same data twice?", AnswerType.YESNO),
        ("Once a request is refused, can the applicant appeal?", AnswerType.YESNO),
        ("Can a body collect data again when it could obtain it through sharing?", AnswerType.YESNO),  # when joins
        ("Is there a deadline, and when is it?", AnswerType.DEADLINE),  # a duration or a date answers
        ("电子档案至少保存多少年？", AnswerType.DURATION),
        ("What does Article 12 say?", AnswerType.PROVISION),
        ("Which cities host the new nodes?", AnswerType.TEXT),
        # One table of types for both languages: a deadline is a time limit or a date, as 期限 is.
        ("What deadline does the platform have to act on a notice?", AnswerType.DEADLINE),
        ("平台处理通知的期限是什么？", AnswerType.DEADLINE),
        ("How much is the fine for selling the data?", AnswerType.AMOUNT),
        ("对出售数据的罚款是多少元？", AnswerType.AMOUNT),
        ("How much will the sector grow?", AnswerType.QUANTITY),
        # How often is a rhythm, not a span; a fine asked as 多少罚款 is an amount.
        ("处理重要数据的单位需要隔多久做一次安全评估？", AnswerType.RECURRENCE),
        ("巡护多长时间开展一次？", AnswerType.RECURRENCE),
        ("How often must the platform be inspected?", AnswerType.RECURRENCE),
        ("抽查的频次是多少？", AnswerType.RECURRENCE),
        ("按什么频率开展巡检？", AnswerType.RECURRENCE),
        # 频率 naming radio frequencies asks nothing: the ask is the time limit.
        ("卫星频率使用许可的审批期限是几个工作日？", AnswerType.DURATION),
        ("情节严重的，最高可处多少罚款？", AnswerType.AMOUNT),
        # A question of several asks, one any sentence may answer: a rule without the figure (定期) still answers it.
        ("巡护多长时间开展一次，由哪个部门负责？", AnswerType.TEXT),
        ("年度报告多久报送一次？报给谁？", AnswerType.TEXT),
        ("How often is the register audited, and who keeps it?", AnswerType.TEXT),
        ("违法的，罚款多少，由谁处罚？", AnswerType.TEXT),
        # …but two asks of a figure keep the first one's type, and a condition clause is no ask of its own.
        ("每个项目补助多少元？共支持几个项目？", AnswerType.AMOUNT),
        ("未按期整改的，最高罚款多少元？", AnswerType.AMOUNT),
    ],
)
def test_answer_types(question, kind):
    assert intent(question).answer_type == kind


def test_periods_years_months_quarters():
    p = period_of("2023年1—10月份收入累计完成多少？")
    assert p.years == {2023} and p.months == {10}
    assert period_of("截至11月末").months == {11}
    assert period_of("第三季度的流量").quarters == {3}
    assert period_of("上半年").months == {6} and period_of("全年").months == {12}
    en = period_of("How many users at the end of November 2023?", "en")
    assert en.years == {2023} and en.months == {11}
    assert period_of("from January to October", "en").months == {10}
    assert period_of("in the third quarter", "en").quarters == {3}
    assert period_of("in the first ten months", "en").months == {10}
    assert not period_of("May a body refuse?", "en")  # the verb, not the month


def test_regions_in_chinese_and_english():
    assert regions_named("河南省和东北地区的目标") == ("河南", "东北")  # in the order named
    assert regions_named("深圳市的孵化器") == ("深圳",)
    assert regions_named("What does Henan plan for the Yangtze River Delta?") == ("河南", "长三角")
    assert regions_named("全国的基站") == ()


def test_provisions_and_document_questions():
    i = intent("What does item (19) of the guiding opinions cover?")
    assert i.lang == "en" and i.provisions == {"（十九）"}
    assert intent("Article 22 of the measures").provisions == {"第二十二条"}
    assert intent("哪份文件提出设立孵化器？").asks_document
    assert intent("Which documents mention quantum computing?").asks_document
    assert intent("本期哪些文件提到5G？").asks_several
    assert intent("这份意见是哪一天印发的？").asks_day and not intent("哪一年跻身前列？").asks_day


def test_language_follows_most_of_the_question():
    assert language("What does 第四十三条 of the measures say?") == "en"
    assert language("数据要素×是什么") == "zh"
    assert language("5G基站有多少") == "zh"


def test_the_figures_an_either_or_question_weighs():
    every = intent("重要数据处理者每半年还是每年开展一次风险评估？").choices
    assert [(q.text, q.style) for q in every] == [("每半年", "recurrence"), ("每年", "recurrence")]
    years = intent("记录保存三年还是五年？").choices  # 三年 before 还是 is a duration asked about
    assert [(q.number, q.unit) for q in years] == [(3.0, "年"), (5.0, "年")]
    assert intent("手续是分头跑还是一起办？").choices == ()  # no figures: nothing to hold an answer to
