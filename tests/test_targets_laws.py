"""Laws read as laws, ranges as one row, a figure once: the targets extractor on made-up provisions and plans
(none copied from a bulletin or from the labels), and over every issue we have."""

import collections
import csv
import io
from pathlib import Path

import pytest
from conftest import BULLETIN
from test_targets_extract import rows

from rag.index import parse_file
from rag.language import quantities
from rag.language.numbers import cn_number
from rag.targets import extract_targets
from rag.targets.export import to_csv, write_xlsx
from rag.targets.score import score
from rag.text import compact

LAW = "某省公共数据管理条例"
SOURCE = "某省人民代表大会常务委员会"


def law(*paragraphs: str, note: tuple[str, ...] = ()):
    return rows(*paragraphs, title=LAW, source=SOURCE, note=note)[1]


# --- penalties ---------------------------------------------------------------------------------


def test_a_fine_range_is_one_penalty_row_in_yuan_with_its_act_party_and_sanctions():
    found = law(
        "## 第五章 法律责任",
        "**第四十条** 违反本条例第十二条规定，擅自公开重要数据的，由主管部门责令改正，没收违法所得，并处二万元以上"
        "二十万元以下罚款，对直接负责的主管人员处五千元以上五万元以下罚款；情节严重的，处二十万元以上二百万元以下罚款，"
        "并可以吊销营业执照。",
    )
    assert [(r.kind, r.value, r.unit, r.low, r.high, r.number) for r in found] == [
        ("penalty", "二万—二十万", "元", 20000, 200000, None),
        ("penalty", "五千—五万", "元", 5000, 50000, None),  # ends of different magnitude, one unit
        ("penalty", "二十万—二百万", "元", 200000, 2000000, None),
    ]
    first, person, severe = found
    assert first.section.endswith("第四十条") and first.indicator == "第四十条罚款"
    assert person.indicator == "第四十条罚款（直接负责的主管人员）"
    assert first.act == "违反本条例第十二条规定，擅自公开重要数据"
    assert severe.act == "违反本条例第十二条规定，擅自公开重要数据；情节严重"
    assert first.measures == "责令改正、没收违法所得" and "吊销营业执照" in severe.measures


def test_no_target_comes_from_a_sentence_that_fines():
    found = law(
        "## 第五章 法律责任",
        "**第四十一条** 违反本条例规定的，处违法所得一倍以上五倍以下罚款；没有违法所得或者违法所得不足三万元的，"
        "处三万元以下罚款；情节严重的，处十日以上十五日以下拘留。",
    )
    assert "target" not in {r.kind for r in found}
    assert [(r.kind, r.indicator, r.value, r.unit, r.qualifier) for r in found] == [
        ("penalty", "第四十一条罚款（按违法所得）", "一—五", "倍", ""),
        ("penalty", "第四十一条罚款", "三万", "元", "以下"),
        ("penalty", "第四十一条拘留", "十—十五", "日", ""),
    ]  # 不足三万元的 is the condition of the second fine (its act), no row of its own
    assert found[1].number == 30000 and "不足三万元" in found[1].act


def test_a_share_written_in_chinese_decimals_is_a_range():
    [r] = law("## 第五章 法律责任", "**第五十条** 违反本条例规定的，处合同价款百分之零点五以上百分之二以下的罚款。")
    assert (r.kind, r.unit, r.low, r.high) == ("penalty", "%", 0.5, 2.0)
    assert cn_number("四点二") == pytest.approx(4.2) and cn_number("二十") == 20 and cn_number("点") is None


# --- time limits in laws -------------------------------------------------------------------------


def test_durations_a_limit_frames_are_time_limits_in_chinese_numerals_too():
    found = law(
        "## 第二章 管理",
        "**第八条** 主管部门应当自收到申请之日起十五日内作出决定。",
        "**第九条** 平台经营者终止服务的，应当提前三十日公示；交易记录保存时间不少于三年。",
        "**第十条** 许可证有效期为二年，期满前六十日内申请延续。",
        "**第十一条** 经批准，可以延期五个工作日。",
    )
    assert [(r.kind, r.value, r.unit) for r in found] == [
        ("time_limit", "十五", "日"),
        ("time_limit", "三十", "日"),
        ("time_limit", "三", "年"),
        ("time_limit", "二", "年"),
        ("time_limit", "六十", "日"),
        ("time_limit", "五", "个工作日"),
    ]
    assert found[1].qualifier == "提前" and found[2].qualifier == "不少于"


@pytest.mark.parametrize(
    "sentence",
    [
        "实施三年行动，编制五年规划。",  # a plan's span, no limit
        "本条例自二〇二四年三月一日起施行。",  # a date in Chinese numerals
        "年满十六周岁的未成年人。",  # an age
        "五个工作日不能办理完毕的，报负责人。",  # a duration that is a condition, no limit around it
        "热线应当与110、119、120等紧急热线联动。",  # numbers of a list no unit ends: names
    ],
)
def test_no_values_in_spans_dates_ages_and_names(sentence):
    assert [m for m in quantities(sentence) if m.unit.endswith(("年", "日", "岁", "个", ""))] == []


def test_the_same_limit_for_two_parties_is_two_rows_told_apart():
    found = law(
        "## 第三章 申请",
        "**第二十条** 第三方应当自收到通知之日起10个工作日内提出意见。",
        "**第二十一条** 协办机关应当自收到通知之日起10个工作日内提出意见。",
    )
    assert [r.indicator for r in found] == ["第三方提出意见时限", "协办机关提出意见时限"]


def test_a_law_sets_no_target_without_a_deadline():
    found = law("## 第四章 服务", "**第三十条** 政务服务热线实行24小时服务，开设5个服务窗口。")
    assert "target" not in {r.kind for r in found}


# --- ranges and periods in plans ------------------------------------------------------------------


def test_a_range_is_one_row_in_a_plan_too():
    _, found = rows("## 一、目标", "到2026年，培育数据服务企业50家以上100家以下。")
    assert [(r.kind, r.value, r.low, r.high, r.number, r.year) for r in found] == [("target", "50—100", 50, 100, None, 2026)]


def test_a_target_for_a_period_gets_the_periods_end_year():
    _, found = rows(
        "## 一、目标",
        "“十四五”期间，全省新建数据中心机架5万架。",
        "2024—2026年期间，累计培育专精特新企业300家。",
        "## 二、基础",
        "“十三五”期间，全省建成5G基站3万个。",  # a period already over (the issue is of 2024): no deadline
    )
    assert [(r.value, r.kind, r.year) for r in found][:2] == [("5", "target", 2025), ("300", "target", 2026)]
    assert found[2].year != 2020


# --- a figure once ------------------------------------------------------------------------------------


def test_a_figure_the_note_restates_is_one_row_with_both_places():
    text, found = rows(
        "## 一、发展目标",
        "到2027年，全省培育数据商 80 家以上，数据产业规模突破 600 亿元。",
        note=("近日，某省印发《方案》，提出到2027年培育数据商80家以上，数据产业规模突破600亿元。",),
    )
    assert [(r.value, r.unit, len(r.places)) for r in found] == [("80", "家", 2), ("600", "亿元", 2)]
    body, note = found[0].places
    assert body["section"] == "一、发展目标" and note["section"] == "编者按"
    assert all(text[p["value_start"] : p["value_end"]].startswith("80") for p in found[0].places)
    # Scored against labels that list the note's row and the body's: both found, nothing extra.
    gold = [{"kind": "target", "article": found[0].article, "value": "80", "unit": "家", "year": 2027}] * 2
    report = score(gold, found[:1])
    assert report["per_kind"]["target"]["right"] == 2 and report["per_kind"]["target"]["precision"] == 1.0


def test_exports_carry_the_new_fields(tmp_path):
    found = law("## 第五章 法律责任", "**第四十条** 违反本条例规定的，处一万元以上十万元以下罚款。")
    table = list(csv.DictReader(io.StringIO(to_csv(found))))
    assert (table[0]["kind"], table[0]["low"], table[0]["high"]) == ("penalty", "10000.0", "100000.0")
    assert table[0]["act"] == "违反本条例规定" and "第四十条" in table[0]["places"]
    from openpyxl import load_workbook

    write_xlsx(found, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    headings = [c.value for c in sheet[1]]
    assert sheet["A2"].value == "罚则" and {"下限", "上限", "违法行为", "各处出处"} <= set(headings)


# --- every issue we have ---------------------------------------------------------------------------

# The shared corpus sits beside the clone (../shared, as the Makefile has it), or beside a folder above it.
SHARED = next(
    (p / "shared" / "corpus" for p in Path(__file__).resolve().parents if (p / "shared" / "corpus").is_dir()), Path("-")
)
ISSUES = [BULLETIN, SHARED / "bulletin-2024-02.md", *sorted((SHARED / "library").glob("bulletin-*.md"))]


@pytest.mark.parametrize("path", ISSUES, ids=lambda p: p.stem)
def test_every_issue_no_fine_as_target_no_one_character_name_no_figure_twice(path):
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    found = extract_targets(parse_file(path))
    assert found
    assert not [r.text for r in found if r.kind == "target" and "罚款" in r.text]
    assert not [(r.indicator, r.value) for r in found if len(compact(r.indicator)) <= 1]
    twice = collections.Counter((r.article, compact(r.indicator), r.value, r.year) for r in found)
    assert not [k for k, n in twice.items() if n > 1]


# --- no junk rows ------------------------------------------------------------------------------------------


def test_the_act_a_clause_punishes_gives_no_row():
    found = law(
        "## 第五章 法律责任",
        "**第四十三条** 违反本条例规定，将一项工程交给三个以上的单位，或者拆分工程的，由主管部门责令改正，"
        "处工程价款百分之一至百分之三的罚款，并可处五千元以上、三万元以下罚款。",
    )
    assert [(r.kind, r.value, r.unit, r.low, r.high) for r in found] == [
        ("penalty", "百分之一—百分之三", "%", 1.0, 3.0),  # 至 joins one range
        ("penalty", "五千—三万", "元", 5000, 30000),  # so does 、 between 以上 and 以下
    ]


def test_an_annual_document_and_an_annual_date_are_no_recurrence():
    found = law(
        "## 第四章 监督",
        "**第三十条** 主管部门应当于每年4月30日前公布上一年度工作年度报告，编制年度安全检查计划，并将其纳入年度考核。",
    )
    assert [(r.kind, r.value, r.indicator) for r in found] == [("time_limit", "年度", "考核周期")]


def test_a_range_of_durations_in_two_units_is_one_time_limit():
    [r] = law("## 第三章 管理", "**第二十条** 对违反者，可以自决定之日起六个月至二年以内限制其申请资格。")
    assert (r.kind, r.value, r.unit, r.low, r.high, r.qualifier) == ("time_limit", "六个月—二", "年", 0.5, 2.0, "以内")
