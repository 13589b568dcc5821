"""The language layer reads each kind of span, in Chinese and English, on sentences written for these tests;
every span points at its own words in the text it was read from."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.language import (
    documents,
    issue_mentions,
    labels,
    language,
    period_of,
    periods,
    places,
    provision_chain,
    provision_refs,
    quantities,
    read,
    regions,
    violated,
    written_as_in_text,
)
from rag.language.periods import plans

# --- periods -------------------------------------------------------------------------------------------


def _period(text, lang="zh"):
    found = periods(text, lang)
    assert len(found) == 1, found
    return found[0]


def test_a_year_a_range_and_a_deadline():
    y = _period("某县2026年新建公园3座")
    assert (y.form, y.first_year, y.last_year, y.deadline) == ("year", 2026, 2026, False)
    r = _period("2024—2026年期间新增岗位")
    assert (r.form, r.first_year, r.last_year, r.deadline) == ("years", 2024, 2026, True)
    d = _period("到2030年底建成示范区")
    assert (d.first_year, d.lead, d.edge, d.deadline, d.text) == (2030, "到", "底", True, "到2030年底")
    assert _period("2028年前完成改造").deadline
    assert _period("截止2024年末，累计发放").as_of


def test_a_five_year_plan_is_read_from_its_table_with_its_end_year():
    assert plans()["十四五"] == (2021, 2025)
    p = _period("“十五五”时期要完成的任务")
    assert (p.form, p.first_year, p.last_year, p.deadline) == ("plan", 2026, 2030, True)
    assert period_of(periods("十三五期间累计投入")).years == {2020}


def test_months_dates_quarters_halves():
    m = _period("前7—9月份的营业收入")
    assert (m.form, m.first_month, m.last_month) == ("months", 7, 9)
    assert _period("截至8月末的用户").as_of and _period("截至8月末的用户").last_month == 8
    d = _period("6月30日起施行")
    assert (d.form, d.first_month, d.day) == ("date", 6, 30)
    assert _period("第二季度的增速").quarter == 2
    assert _period("下半年开工").last_month == 12
    p = period_of(periods("2027年1—5月份，全年目标"))
    assert p.years == {2027} and p.months == {5, 12}
    # A month in numerals, as laws write it; a count of months, a span or another word's 一 is none.
    assert (_period("每年五月举办宣传周").form, _period("十二月底前报送").last_month) == ("month", 12)
    assert _period("十二月底前报送").edge == "底"
    assert periods("三个月内办结") == [] and periods("三月内办结") == [] and periods("实行统一月度结算") == []


def test_a_comparisons_baseline_is_not_the_figures_period():
    found = periods("3—6月份销量较2026年1—2月份增长")
    assert [s.baseline for s in found] == [False, True, True]
    assert period_of(found).months == {6} and period_of(found).years == set()


def test_english_periods():
    assert _period("What must be done by 2029?", "en").deadline
    assert _period("in the first nine months", "en").last_month == 9
    assert _period("revenue in Q2", "en").quarter == 2
    assert period_of(periods("from March to August", "en"), "en", "from March to August").months == {8}
    assert periods("May the office refuse?", "en") == []  # the verb
    assert _period("in the second half", "en").last_month == 12


# --- provisions ----------------------------------------------------------------------------------------


def test_provision_references_arabic_and_chinese():
    assert labels("办法第7条和第十二条") == {"第七条", "第十二条"}
    chain = [(r.unit, r.number, r.label) for r in provision_refs("第五条第二款第（三）项")]
    assert chain == [("条", 5, "第五条"), ("款", 2, ""), ("项", 3, "（三）")]
    assert labels("第四章") == {"第四章"} and labels("第2节") == {"第二节"}
    assert labels("第（八）条") == {"（八）"} and labels("（十一）") == {"（十一）"}
    assert labels("规划第三部分") == {"三、"}


def test_several_references_at_once_are_each_read():
    assert labels("违反第八条、第九条的") == {"第八条", "第九条"}
    spread = provision_refs("第二十条至第二十三条")
    assert [r.number for r in spread] == [20, 21, 22, 23]
    assert [r.implied for r in spread] == [False, True, True, False]
    assert labels("第四至六条") == {"第四条", "第五条", "第六条"}
    assert provision_chain("“三、重点任务”的第（二）条") == ["三、", "（二）"]


def test_the_provisions_an_act_breaks():
    assert violated("违反本办法第十二条第二款规定，擅自出售数据的，处五万元以下罚款") == {"第十二条"}
    assert violated("违反《某省档案条例》第八条、第九条的规定的，怎么处罚？") == {"第八条", "第九条"}
    assert violated("违反本办法规定，有下列行为之一的") == set()  # no provision named
    assert violated("依照本办法第十二条的规定申请登记。违反规定的，不予登记") == set()  # another clause's reference
    assert violated("第十二条 数据处理者应当建立台账。") == set()


def test_english_references():
    assert labels("What does Article 31 require?") == {"第三十一条"}
    assert labels("Articles 4 to 6") == {"第四条", "第五条", "第六条"}
    assert labels("item (9) of the notice") == {"（九）"}
    assert labels("Chapter 5") == {"第五章"}
    assert written_as_in_text("What does Article 31 require?") == "What does 第三十一条 require?"
    assert written_as_in_text("第 8 条与(4)") == "第八条与（四）"


# --- places --------------------------------------------------------------------------------------------


def test_places_from_the_gazetteer_with_their_suffix():
    found = places("湖北省和西部地区以及某个开发新区")
    assert [(p.text, p.name, p.place_kind) for p in found][:2] == [("湖北省", "湖北", "province"), ("西部地区", "西部", "region")]
    assert regions(found) == ("湖北", "西部")
    assert [p.name for p in places("宜昌市夷陵区")] == ["宜昌", "夷陵"]
    assert [p.place_kind for p in places("与德国合作")] == ["country"]
    en = places("How does Hubei compare with the Pearl River Delta?", "en")
    assert regions(en) == ("湖北", "珠三角")


# --- quantities ----------------------------------------------------------------------------------------


def _q(text):
    return [(q.value, q.number, q.low, q.high, q.unit, q.qualifier) for q in quantities(text)]


def test_numbers_units_and_qualifiers():
    assert _q("补助不超过80万元") == [("80", 80.0, None, None, "万元", "不超过")]
    assert _q("增长3.5个百分点") == [("3.5", 3.5, None, None, "个百分点", "")]
    assert _q("覆盖率达到九成") == [("九", 9.0, None, None, "成", "")]
    assert _q("资金约两千万元")[0][4] == "万元"
    assert _q("占比百分之零点五")[0][1:2] == (0.5,) and _q("占比百分之零点五")[0][4] == "%"
    assert _q("已近四分之一")[0][1] == pytest.approx(0.25)


def test_a_range_is_one_quantity():
    assert _q("处二千元以上二万元以下罚款") == [("二千—二万", None, 2000.0, 20000.0, "元", "")]
    assert _q("期限为三个月至二年以内")[0][2:5] == (0.25, 2.0, "年")
    assert _q("建设20—30个站点")[0][2:5] == (20.0, 30.0, "个")


def test_durations_need_a_limit_in_chinese_numerals():
    assert _q("自受理之日起十日内作出决定")[0][:1] == ("十",)
    assert _q("实施三年行动") == []  # a plan's span, not a limit
    assert _q("档案应当至少保存五年。")[0][:1] == ("五",)  # the duration the clause ends on is what it imposes
    assert _q("有关记录保存二年，") != []
    assert _q("近三年，全省新增企业") == [] and _q("力争用三年时间") == []  # looked back on; a plan's span
    assert [q[4] for q in _q("通话时长2.06万亿分钟。")] == ["万亿分钟"]  # a volume, counted
    from rag.language.quantities import quantities

    assert not quantities("通话时长2.06万亿分钟。")[0].framed


def test_no_quantity_inside_titles_dates_or_ordinals():
    assert _q("《办法》第3条于2027年4月1日施行") == []
    assert _q("年度考核") != [] and _q("发布本单位年度报告") == []  # a yearly review; the name of a report


# --- documents -----------------------------------------------------------------------------------------


def test_document_mentions_in_chinese():
    found = documents("依照《中华人民共和国行政许可法》和本条例的规定")
    assert [(d.name, d.doc_kind, d.quoted, d.current) for d in found] == [
        ("行政许可法", "法", True, False),
        ("", "条例", False, True),
    ]
    bare = documents("网络安全法第二十一条说了什么")
    assert [(d.text, d.doc_kind) for d in bare] == [("网络安全法", "法")]
    assert [d.pronoun for d in documents("该方案提出了什么")] == [True]


def test_document_mentions_in_english():
    found = documents("What does the Cybersecurity Law say, and what do these Measures add?", "en")
    assert [(d.text, d.doc_kind, d.current) for d in found] == [
        ("Cybersecurity Law", "法", False),
        ("these Measures", "办法", True),
    ]
    assert [d.text for d in documents("Under the Regulations on Map Management, who approves?", "en")] == [
        "Regulations on Map Management"
    ]


def _issues(text, lang="zh"):
    return [(m.text, m.relative, m.number, m.total, m.year, m.month, m.day) for m in issue_mentions(text, lang)]


def test_issue_mentions_this_issue_and_the_ones_before():
    assert _issues("这一期的要目里第一篇是什么？") == [("这一期", 0, None, None, None, None, None)]
    assert _issues("最新一期讲了哪些法规") == [("最新一期", 0, None, None, None, None, None)]
    assert _issues("上一期刊登的条例") == [("上一期", -1, None, None, None, None, None)]
    assert _issues("上上期的办法") == [("上上期", -2, None, None, None, None, None)]
    # 期 of a period (本期间), a term (期限) or a work (前期工作) is no issue
    assert _issues("本期间内完成，前期工作经费") == []


def test_issue_mentions_by_number_and_date():
    assert _issues("第８期里的方案") == [("第８期", None, 8, None, None, None, None)]
    assert _issues("2025年第十二期的规划") == [("2025年第十二期", None, 12, None, 2025, None, None)]
    assert _issues("总第三百零一期的编者按") == [("总第三百零一期", None, None, 301, None, None, None)]
    assert _issues("2025年3月的那期说了什么") == [("2025年3月的那期", None, None, None, 2025, 3, None)]
    assert _issues("3月14日那期") == [("3月14日那期", None, None, None, None, 3, 14)]
    # a phase of works or funds, and asking which issue, name none
    assert _issues("第二期工程和二期基金分两期建设，本刊是第几期？") == []


def test_issue_mentions_in_english():
    assert _issues("What did the previous issue say about fines?", "en") == [
        ("the previous issue", -1, None, None, None, None, None)
    ]
    assert _issues("In issue 7, which plans …", "en") == [("issue 7", None, 7, None, None, None, None)]
    assert _issues("the March 2025 issue", "en") == [("the March 2025 issue", None, None, None, 2025, 3, None)]
    assert _issues("Which laws does the latest issue print?", "en")[0][:2] == ("the latest issue", 0)


def test_language():
    assert language("What does 第十条 of the law say?") == "en"
    assert language("第十条是什么") == "zh"


# --- every span points into its text --------------------------------------------------------------------

PIECES = [
    "到", "截至", "2025年", "年底", "1—11月份", "十四五", "期间", "第三季度", "上半年", "第22条", "第十条、第十一条",
    "至", "第（三）项", "（四）", "第六部分", "Article 9", "河南省", "东部地区", "Henan", "万元", "以上", "以下", "一万",
    "十", "百分之", "零点五", "个工作日", "内", "%", "3.5", "《数据安全法》", "本办法", "Data Security Law", "by 2027",
    "本期", "上一期", "第", "期", "总第", "2024年3月的那期", "this issue", " ", "，", "。", "的",
]  # fmt: skip
texty = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty, st.sampled_from(["zh", "en"]))
def test_every_span_points_at_its_own_words(text, lang):
    for span in read(text, lang).spans():
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
