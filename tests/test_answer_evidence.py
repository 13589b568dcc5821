"""A sentence answers a question only when it holds the kind of answer asked for and breaks none of the
question's constraints: checked on made-up sentences, no model."""

import pytest
from conftest import make_passage

from rag.answer.evidence import figures, fit, has_type
from rag.intent import read_intent
from rag.query import normalize_query


def intent(q: str):
    return read_intent(normalize_query(q, 2000))


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("给予多少万元奖励？", "对认定的企业给予一次性奖励100万元。", True),
        ("给予多少万元奖励？", "对作出突出贡献的人才予以重奖。", False),
        ("补助比例是多少？", "按照投资额的30%给予补助。", True),
        ("补助比例是多少？", "按照投资额一定比例给予补助，最高不超过200万元。", False),
        ("建成多少个数据中心？", "建成数据中心12个。", True),
        ("建成多少个数据中心？", "建成一批数据中心。", False),
        ("要支持多大规模的训练？", "支持万卡训练。", True),
        ("要支持多大规模的训练？", "推动5G和IPv6规模部署。", False),  # labels are no figures
        ("几个工作日内答复？", "应当自收到申请之日起5 个工作日内答复。", True),
        ("试行期是多长时间？", "自2024年3月1日起施行。", False),  # a date is no duration
        ("是哪一天印发的？", "12月19日，市政府印发了意见。", True),
        ("是哪一天印发的？", "近日，市政府印发了意见。", False),
        ("宣传周每年什么时候举办？", "本省于每年九月举办网络安全宣传周。", True),  # when: a month answers
        ("宣传周是哪一天举办？", "本省于每年九月举办网络安全宣传周。", False),  # …but not to the day
        ("文号是什么？", "工信部联电子〔2023〕246号", True),
        ("第十二条规定了什么？", "全省实行统一的目录化管理。", True),
        # A deadline, asked in either language, is a time limit or a date: either answers.
        ("What deadline does the office have to reply?", "应当自收到申请之日起十五个工作日内答复。", True),
        ("What deadline does the office have to reply?", "应当于每年3月31日前报送。", True),
        ("What deadline does the office have to reply?", "应当及时答复申请人。", False),
        ("答复的期限是什么？", "应当在二十日内答复。", True),
        ("How much is the fine for leaking data?", "处五万元以上五十万元以下罚款。", True),  # how much: an amount
        ("How much is the fine for leaking data?", "责令改正，给予警告。", False),
        ("处罚款多少？", "违法所得不足一万元的，处十万元以下罚款。", True),
        ("处罚款多少？", "没收违法所得，可以并处违法所得三倍以下的罚款。", True),  # a fine set against a sum
        ("处罚款多少？", "处合同价款百分之一以上百分之三以下的罚款。", True),
        ("补贴多少钱？", "补贴标准提高两倍。", False),  # a multiple is an amount only of a fine
        ("增长了多少个百分点？", "比上年提高3.5个百分点。", True),
        ("占比多少？", "数字经济核心产业占比达到九成。", True),  # 成 is a tenth
        ("多久开展一次巡护？", "林草资源巡护每季度开展一次。", True),  # how often: a rhythm
        ("多久开展一次巡护？", "巡护记录应当保存三年。", False),  # a span is no rhythm
        ("多久开展一次巡护？", "林业主管部门应当定期开展巡护。", False),  # 定期 sets no rhythm
    ],
)
def test_the_kind_of_answer(question, sentence, expected):
    assert has_type(sentence, intent(question)) is expected


def test_figures_leave_out_years_dates_ordinals_and_labels():
    assert figures("到2025年，第3条规定的5G基站达到12.5万个，12月19日印发") == ["12.5"]
    assert figures("培育三个以上平台，支持万卡训练") == ["三", "万"]
    assert figures("统一管理，进一步推进一体化") == []


def _fit(question: str, text: str, section: str = "一、目标", article: str = "某省行动计划", named=None, focus=""):
    p = make_passage(text, article=article, section=section)
    return fit(intent(question), p.chunk, 0, len(text), named, focus)


def test_the_year_in_force_is_the_nearest_one_stated():
    q = "到2025年要建成多少个数据中心？"
    assert _fit(q, "到2027年，建成数据中心12个。").broken == "2025年"
    assert _fit(q, "到2025年，建成数据中心12个。").ok
    assert _fit(q, "建成数据中心12个。", article="某省三年行动计划（2023—2025年）").ok  # the title's end year
    assert _fit(q, "建成数据中心12个。").ok  # no year anywhere: nothing contradicts


def test_a_comparison_baseline_is_not_the_figure_period():
    q = "1—10月份收入累计完成多少亿元？"
    assert _fit(q, "1—11月份，收入累计完成15548亿元，增速与1—10月份持平。").broken == "10月"
    assert _fit(q, "1—10月份，收入累计完成14000亿元。").ok


def test_regions_spelled_out_lists_and_headers():
    q = "截至11月末，中部地区5G基站有多少个？"
    assert _fit(q, "截至11月末，东、中、西部和东北地区5G基站分别达到151.1万、73.6万个。").ok
    assert _fit(q, "截至11月末，京津冀地区5G基站达到32.4万个。").broken == "中部"
    assert _fit("河南要建成多少个智能工厂？", "建成智能工厂50个。", article="河南省行动计划").ok


def test_a_named_document_and_the_focus():
    assert _fit("多少个？", "建成12个。", article="甲方案", named="乙方案").broken == "《乙方案》"
    q = "5G基站中室内基站有多少个？"
    assert _fit(q, "5G基站总数达328.2万个。", focus="室内").broken == "室内"
    assert _fit(q, "其中室内基站达100万个。", focus="室内").ok


def test_a_clause_cut_from_a_long_sentence_is_about_what_the_sentence_opened_with():
    text = (
        "第四十条 经营者未按照规定报送统计资料的，由主管部门责令改正，给予警告；"
        "拒不改正或者情节严重的，处一万元以上十万元以下罚款，对直接负责的主管人员处五千元以上五万元以下罚款。"
        "第四十一条 检测机构出具虚假报告的，处五万元以上五十万元以下罚款。"
    )
    p = make_passage(text, article="某市统计条例", section="第五章 法律责任")
    q = intent("经营者不报送统计资料，拒不改正的，罚款多少？")
    fine = text.index("拒不改正")
    assert fit(q, p.chunk, fine, text.index("。") + 1, None, "经营者").ok  # the clause's sentence names 经营者
    other = text.index("检测机构")
    assert fit(q, p.chunk, other, len(text), None, "经营者").broken == "经营者"  # the next sentence does not


def test_a_clause_counts_the_rest_of_its_sentence_and_the_list_it_introduces():
    text = (
        "第二十条 违反本条例规定，有下列行为之一的，由市场监管部门处二千元以上二万元以下罚款：\n"
        "（一）冒用他人名义登记账户的；\n"
        "（二）拒绝提供检查资料的。\n"
        "逾期不改正的，处二万元以上五万元以下罚款。"
    )
    p = make_passage(text, article="某市账户管理条例", section="第五章 法律责任 > 第二十条")
    q = intent("冒用他人名义登记账户的，罚款多少？")
    lead = text.index("违反")
    assert fit(q, p.chunk, lead, text.index("：") + 1, None, "冒用").ok  # its items say what the fine is for
    late = text.index("逾期")
    assert fit(q, p.chunk, late, len(text), None, "冒用").broken == "冒用"  # the list ends where the items do
    # A clause cut at ； is read with the rest of its sentence as with its opening.
    cut = "第九条 对单位处五万元以上十万元以下罚款；对冒用他人名义的个人处一万元以下罚款。"
    c = make_passage(cut, article="某市账户管理条例", section="第九条").chunk
    assert fit(q, c, 0, cut.index("；") + 1, None, "冒用").ok
    # …but a whole sentence is not read with the next one on its line.
    two = "设立十亿元规模的产业基金。基金下设冒用风险补偿资金。"
    d = make_passage(two, article="某市账户管理条例", section="三、保障").chunk
    assert fit(q, d, 0, two.index("。") + 1, None, "冒用").broken == "冒用"


def test_an_either_or_question_is_answered_only_by_one_of_its_figures():
    q = "巡护记录保存三年还是五年？"
    assert _fit(q, "巡护记录应当至少保存三年。").ok
    assert _fit(q, "巡护记录应当保存3年。").ok  # the same figure in digits
    assert _fit(q, "巡护记录应当长期保存。").broken == "三年或五年"
    assert _fit("每半年还是每年开展一次风险评估？", "应当定期开展风险评估。").broken == "每半年或每年"
