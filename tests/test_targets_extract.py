"""The targets extractor on made-up sentences of each pattern (none copied from the bundled issue)."""

import pytest

from rag.language import quantities
from rag.language.numbers import cn_fraction, cn_to_int, split_magnitude, to_number
from rag.parse.issue import parse_issue
from rag.targets import extract_targets

PLAN = "某省数字经济高质量发展行动方案（2024—2026年）"
REPORT = "2024年1—6月份某省软件业运行情况"


def bulletin(*paragraphs: str, title: str = PLAN, source: str = "某省人民政府办公厅", note: tuple[str, ...] = ()) -> str:
    head = f"# 大数据发展动态\n\n2024年7月5日 第27期 总第190期\n\n## 本期要目\n\n### 地方新政\n\n12 {title}\n\n"
    body = ("## 编者按\n\n" + "\n\n".join(note) + "\n\n" if note else "") + f"# {title}\n\n" + "\n\n".join(paragraphs)
    return head + body + f"\n\n（来源：{source}）\n"


def rows(*paragraphs: str, **kw):
    text = bulletin(*paragraphs, **kw)
    return text, extract_targets(parse_issue(text, source_path="made-up.md"))


def brief(found):
    return [(r.kind, r.value, r.unit, r.qualifier, r.year) for r in found]


# --- numbers -------------------------------------------------------------------------------------


def test_chinese_numerals_with_scale_words():
    assert cn_to_int("百亿") == 10**10 and cn_to_int("三千万") == 3 * 10**7 and cn_to_int("万亿") == 10**12
    assert cn_to_int("一亿二千万") == 120_000_000 and cn_to_int("两") == 2 and cn_to_int("亿元") is None
    assert (
        split_magnitude("百亿") == ("百", "亿")
        and split_magnitude("万") == ("万", "")
        and split_magnitude("五十亿") == ("五十", "亿")
    )
    assert cn_fraction("三分之二") == pytest.approx(2 / 3) and cn_fraction("分之") is None
    assert to_number("１,２00") == 1200 and to_number("二十") == 20 and to_number("一批") is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("新建智算中心 12 座，算力规模达到 10 EFLOPS 以上。", [("12", "座", ""), ("10", "EFLOPS", "以上")]),
        ("设立总规模五十亿元的产业基金。", [("五十", "亿元", "")]),
        ("打造 3—5 个千亿级产业集群。", [("3—5", "个", ""), ("千", "亿", "级")]),
        ("数据中心电能利用效率降至 1.3 以下。", [("1.3", "", "以下")]),
        ("全省在用机架约 1,200 个。", [("1,200", "个", "约")]),
        ("入驻企业达３００家。", [("３００", "家", "")]),
        ("各类平台分别为 8.2 万、3.1 万和 0.6 万个。", [("8.2", "万个", ""), ("3.1", "万个", ""), ("0.6", "万个", "")]),
        ("渗透率分别提高 2.5 个和 1.8 个百分点。", [("2.5", "个百分点", ""), ("1.8", "个百分点", "")]),
        ("出口额占比已近三分之一。", [("三分之一", "", "近")]),
        ("研发投入强度达到百分之三。", [("百分之三", "%", "")]),
    ],
)
def test_values_as_written_with_units_and_qualifiers(sentence, expected):
    assert [(m.value, m.unit, m.qualifier) for m in quantities(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "推进 5G、6G 与 IPv6 部署，发展 4K/8K 超高清和 3D 打印。",  # designations
        "《某省“十五五”规划（2026—2030年）》自2025年1月1日起施行。",  # titles, quotes, dates
        "依据第十二条和第3款办理。",  # ordinals
        "赋能千行百业，惠及千家万户。",  # idioms
        "开展“百校千企”对接活动，深化产教融合。",  # slogans
        "平台包括数据汇聚（一级节点）功能。",  # glosses in brackets
    ],
)
def test_no_values_in_names_dates_ordinals_and_idioms(sentence):
    assert quantities(sentence) == []


# --- kinds and years --------------------------------------------------------------------------


def test_a_deadline_year_makes_targets_and_carries_through_its_paragraph():
    _, found = rows(
        "## 一、发展目标",
        "到2026年，全省建成5G基站12万个。培育省级数字化转型促进中心20家以上，数字经济核心产业增加值占比达到12%左右。",
        "力争打造 2—3 个国家级工业互联网平台。",
    )
    assert brief(found) == [
        ("target", "12", "万个", "", 2026),
        ("target", "20", "家", "以上", 2026),
        ("target", "12", "%", "左右", 2026),
        ("target", "2—3", "个", "力争", None),  # a new paragraph without a year: null, not the title's 2026
    ]
    assert found[3].low == 2 and found[3].high == 3 and found[3].number is None


def test_the_editors_note_is_one_unit_for_its_year():
    _, found = rows(
        "## 一、总体要求",
        "全面提升数字基础设施水平。",
        note=("近日，某省印发《方案》，提出到 2027 年全省数据产业规模突破 500 亿元。", "《方案》明确，培育数据商 100 家以上。"),
    )
    assert [(r.section, r.value, r.unit, r.year) for r in found] == [
        ("编者按", "500", "亿元", 2027),
        ("编者按", "100", "家", 2027),
    ]


def test_report_sentences_are_statistics_of_the_period_year():
    _, found = rows(
        "## 一、总体情况",
        "1—6月份，全省软件业务收入完成 3560 亿元，同比增长 12.4%。",
        "截至 6 月末，规模以上软件企业达 2150 家，比上年末净增 86 家。",
        "信息技术服务收入占比已超过六成。",
        title=REPORT,
        source="某省工业和信息化厅",
    )
    assert {r.kind for r in found} == {"statistic"} and {r.year for r in found} == {2024}
    assert [(r.value, r.unit) for r in found] == [("3560", "亿元"), ("12.4", "%"), ("2150", "家"), ("86", "家")]


def test_a_baseline_in_a_plan_is_a_statistic():
    _, found = rows("## 一、发展基础", "截至2023年底，全省累计建成数据中心机架8.6万架，同比增长15.2%。")
    assert brief(found) == [("statistic", "8.6", "万架", "", 2023), ("statistic", "15.2", "%", "", 2023)]


def test_time_limits_and_recurrences():
    _, found = rows(
        "## 第三章 管理",
        "**第十条** 主管部门应当自收到申请之日起3个工作日内作出答复；情况复杂的，可以延长至7个工作日。",
        "**第十一条** 目录每半年更新一次，并纳入年度绩效考核。",
        title="某省数据安全管理办法",
    )
    assert brief(found) == [
        ("time_limit", "3", "个工作日", "内", None),
        ("time_limit", "7", "个工作日", "延长至", None),
        ("time_limit", "每半年", "半年", "每", None),
        ("time_limit", "年度", "年", "每", None),
    ]
    assert found[0].text.startswith("主管部门")  # the clause label is no part of the sentence


def test_support_standards_counts_and_thresholds_are_other():
    _, found = rows(
        "## 三、支持政策",
        "对新认定的国家级专精特新企业给予一次性奖励 50 万元。",
        "## 四、主要任务",
        "到2025年，围绕五类场景建设 40 个示范项目。",
        "推动两个平台互联互通。",  # a count alone: no row
        "到2025年，带宽 1000Mbps 及以上的企业用户达到 3000 户。",
    )
    assert brief(found) == [
        ("other", "50", "万元", "", None),
        ("other", "五", "类", "", None),
        ("target", "40", "个", "", 2025),
        ("other", "1000", "Mbps", "及以上", None),
        ("target", "3000", "户", "", 2025),
    ]


def test_a_count_in_chinese_that_a_plan_sets_is_a_target():
    _, found = rows("## 一、目标", "到2025年，全市新增上市企业十家。")
    assert brief(found) == [("target", "十", "家", "", 2025)]


def test_counts_of_the_documents_own_parts_are_no_rows():
    _, found = rows("## 前言", "《方案》共计18条，从四个方面提出12项举措。")
    assert found == []


# --- regions, indicators, offsets --------------------------------------------------------------


def test_regions_of_a_local_plan_a_national_one_and_a_listed_breakdown():
    _, local = rows("## 一、目标", "到2025年，建成算力中心 5 个。", title="贵州省算力发展行动计划", source="贵州省人民政府")
    assert {r.region for r in local} == {"贵州"}
    _, national = rows("## 一、目标", "到2025年，建成算力中心 5 个。", title="算力基础设施发展行动计划", source="工业和信息化部")
    assert {r.region for r in national} == {"全国"}
    _, listed = rows(
        "## 二、分地区情况",
        "截至6月末，东、中、西部地区数据中心机架分别达到 120 万、60 万和 45 万架，同比增长 8%、11%和 14%。",
        title=REPORT,
    )
    assert [(r.region, r.value) for r in listed] == [
        ("东部地区", "120"), ("中部地区", "60"), ("西部地区", "45"), ("东部地区", "8"), ("中部地区", "11"), ("西部地区", "14"),
    ]  # fmt: skip
    assert {r.indicator for r in listed[:3]} == {"数据中心机架"} and listed[3].indicator == "数据中心机架同比增长"


def test_indicators_name_what_is_counted_or_measured():
    _, found = rows(
        "## 一、目标",
        "到2026年，培育 200 个智能工厂，规模以上工业企业数字化研发设计工具普及率达到 90%，数据交易规模增长 2 倍。",
    )
    assert [r.indicator for r in found] == ["智能工厂", "工业企业数字化研发设计工具普及率", "数据交易规模增长"]


def test_offsets_point_at_the_sentence_and_the_value_in_the_source():
    text, found = rows("## 一、目标", "到2026年，培育 200 个智能工厂。")
    [r] = found
    assert text[r.start : r.end] == "到2026年，培育 200 个智能工厂。" == r.text
    assert text[r.value_start : r.value_end] == "200 个"
    assert r.issue_id == "2024-27" and r.issuer == "某省人民政府办公厅" and r.section == "一、目标"


# --- where a plan stands and where it goes ----------------------------------------------------------


def test_a_goal_paragraph_gives_its_year_to_the_list_that_elaborates_it():
    _, found = rows(
        "一、总体要求",
        "**（二）主要目标。**到2026年，全省数字产业综合实力明显增强。",
        "——产业规模稳步扩大。数字产业营业收入超过800亿元，年均增速超过15%。",
        "——创新能力持续提升。建设省级创新中心6个以上。",
        "二、重点任务",
        "支持企业建设实验室20个。",  # another section: no year of the goal's
    )
    years = {r.value: r.year for r in found if r.kind == "target"}
    assert years["800"] == 2026 and years["15"] == 2026 and years["6"] == 2026
    assert years["20"] is None


def test_numbered_items_after_a_lead_in_take_its_year_and_plain_paragraphs_do_not():
    _, found = rows(
        "到2027年，主要目标如下：",
        "1.建成算力中心3个。",
        "2.培育龙头企业10家。",
    )
    assert {(r.value, r.year) for r in found if r.kind == "target"} == {("3", 2027), ("10", 2027)}


def test_figures_under_a_heading_of_where_things_stand_are_statistics_not_targets():
    _, found = rows(
        "一、发展现状和形势",
        "（一）发展现状",
        "全省建成5G基站12万个，数据中心机架规模达到8万架。",
        "目前，省级政务云覆盖率达到100%。",
        "二、发展目标",
        "到2026年，建成5G基站20万个。",
    )
    kinds = {r.value: r.kind for r in found}
    assert kinds["12"] == "statistic" and kinds["8"] == "statistic" and kinds["100"] == "statistic"
    assert kinds["20"] == "target"


def test_what_is_already_done_is_measured():
    _, found = rows(
        "二、发展目标",
        "到2026年，示范园区达到30个。",
        "三、重点任务",
        "已实现县级以上区域全覆盖，乡镇覆盖率达到96%。",
        "推动建设示范园区10个。",
    )
    kinds = {r.value: r.kind for r in found}
    assert kinds["96"] == "statistic" and kinds["10"] == "target"
