"""List questions over the catalogue (rag.answer.survey) and questions about an issue itself (rag.answer.
issue_card), on made-up bulletins whose answers are known: plans with and without a given year's target,
rules with fines over and under a bound, local rules with and without a clause on 公共数据授权运营. None of
this text comes from the bundled issue or the dev questions."""

from __future__ import annotations

import json

import pytest
from conftest import HashEmbedder

from rag.config import Settings
from rag.filters import Filters
from rag.index import build_index
from rag.intent import read_intent


def bulletin(number: int, date: str, *articles: tuple[str, str, list[str], str]) -> str:
    """A bulletin issue of ``articles`` (column, title, paragraphs, issuing body)."""
    y, m, d = date.split("-")
    toc = "\n\n".join(f"{column}\n\n{i * 4 + 1:02d} {title}" for i, (column, title, _, _) in enumerate(articles))
    text = f"# 大数据发展动态\n\n{y}年{int(m)}月{int(d)}日 第{number}期 总第{400 + number}期\n\n## 本期要目\n\n{toc}\n\n"
    for column, title, paragraphs, source in articles:
        text += f"## {column}\n\n## {title}\n\n" + "\n\n".join(paragraphs) + f"\n\n（来源：{source}）\n\n"
    return text


HUZHOU = "湖州市数字经济发展规划（2024—2026年）"
JIAXING = "嘉兴市智能制造行动计划（2024—2027年）"
SHAOXING = "绍兴市数据条例"
JINHUA = "金华市公共数据管理条例"
ZHOUSHAN = "舟山市海洋经济发展规划（2025—2026年）"
NATIONAL = "数据资源管理法"
QUZHOU = "衢州市公共数据授权运营管理办法"
LISHUI = "丽水市算力设施建设实施方案"

ISSUES = {
    "bulletin-2025-10.md": bulletin(
        10,
        "2025-03-07",
        (
            "地方新政",
            HUZHOU,
            ["一、发展目标", "到2026年，全市数字经济核心产业增加值达到500亿元，建成省级数字化车间60个。"],
            "湖州市人民政府",
        ),
        (
            "地方新政",
            JIAXING,
            [
                "一、主要目标",
                "到2027年，规模以上工业企业数字化改造覆盖率达到90%以上。",
                "二、阶段安排",
                "到2025年底，建成智能工厂20家，培育系统解决方案供应商30家。",
            ],
            "嘉兴市经信局",
        ),
        (
            "地方新政",
            SHAOXING,
            [
                "第一条 为了促进数据依法有序流动，制定本条例。",
                "第二十条 市人民政府可以授权符合条件的运营机构开展公共数据授权运营，"
                "授权运营单位应当在授权范围内依法使用公共数据。",
                "第四十条 违反本条例第二十条规定，超出授权范围使用公共数据的，由市数据主管部门责令改正，"
                "处十万元以上一百万元以下罚款。",
            ],
            "绍兴市人大常委会",
        ),
    ),
    "bulletin-2025-11.md": bulletin(
        11,
        "2025-03-14",
        (
            "地方新政",
            JINHUA,
            [
                "第一条 为了加强公共数据管理，制定本条例。",
                "第十二条 公共管理和服务机构应当按照公共数据目录归集公共数据，保证数据真实、准确。",
                "第三十五条 违反本条例规定，非法出售公共数据的，由市数据主管部门没收违法所得，处二百万元以上五百万元以下罚款。",
            ],
            "金华市人大常委会",
        ),
        (
            "地方新政",
            ZHOUSHAN,
            ["一、总体目标", "到2026年底，全市海洋经济总产值达到1200亿元，新增远洋渔船20艘。"],
            "舟山市人民政府",
        ),
        (
            "国策要论",
            NATIONAL,
            [
                "第一条 为了规范数据资源管理，制定本法。",
                "第三十条 违反本法规定，未履行数据资源登记义务的，由有关主管部门责令改正，处五万元以上五十万元以下罚款。",
            ],
            "全国人大常委会",
        ),
    ),
    "bulletin-2025-12.md": bulletin(
        12,
        "2025-03-21",
        (
            "地方新政",
            QUZHOU,
            [
                "第一条 为了规范公共数据授权运营，制定本办法。",
                "第六条 公共数据授权运营实行统一授权、统一监管，运营单位不得向第三方提供原始公共数据。",
                "第二十条 违反本办法规定的，由市数据主管部门处一万元以上十万元以下罚款。",
            ],
            "衢州市人民政府",
        ),
        ("前沿观察", LISHUI, ["一、工作目标", "到2028年，建成智算中心3个，算力规模达到5000P。"], "丽水市发改委"),
    ),
}


def write_issues(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ISSUES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in ISSUES]


def service_over(folder, embedder):
    from rag.service import Service

    settings = Settings(index_dir=folder / "index", corpus=tuple(write_issues(folder / "data")), library_dir=folder / "lib")
    build_index(settings, embedder)
    service = Service(settings, embedder)
    service.start()
    return service


@pytest.fixture(scope="module")
def hashed(tmp_path_factory):
    """The library indexed with the hash embedder: the targets table and the catalogue are real, meaning is not."""
    return service_over(tmp_path_factory.mktemp("survey-hash"), HashEmbedder())


def matched(answer) -> set[str]:
    return {c.title for c in answer.coverage.matched}


def checked(answer) -> set[str]:
    return {c.title for c in answer.coverage.checked}


# --- reading the question ------------------------------------------------------------------------


def test_a_list_question_names_what_it_lists_and_what_must_be_said():
    plans = read_intent("哪些规划设定了2026年的目标？").listing
    assert plans.noun == "规划" and "行动计划" in plans.kinds and "条例" not in plans.kinds
    assert (plans.topics, plans.rows) == (("2026年的目标",), ("target",))
    local = read_intent("哪些地方的条例规定了公共数据授权运营？").listing
    assert local.places and local.kinds == ("条例",) and local.topics == ("公共数据授权运营",) and local.rows == ()
    fines = read_intent("哪些法规规定了罚款上限超过一百万元？").listing
    assert fines.noun == "法规" and fines.rows == ("penalty",) and "条例" in fines.kinds and "办法" in fines.kinds
    assert read_intent("Which plans set a target for 2026?").listing.rows == ("target",)
    # alternatives, each a phrase of its own; not two verbs of one object
    assert read_intent("哪些文件提到设立数据交易所或开展数据资产登记？").listing.topics == ("数据交易所", "数据资产登记")
    assert read_intent("哪些文件提到要申请或扩大省级专项资金支持？").listing.topics == ("省级专项资金支持",)
    bodies = read_intent("哪些部门的文件提到了数据交易所？").listing
    assert bodies.bodies and bodies.noun == "部门文件" and bodies.kinds == ()
    # 规定了 after a place noun is the verb, not the kind 规定
    assert read_intent("哪些地方规定了数据交易所的设立？").listing.kinds == ()
    # the object of 对/把 is what is asked about, not what is said of it
    assert read_intent("哪些规划对算力中心提出了建设要求？").listing.topics == ("算力中心",)


def test_a_list_inside_one_document_is_no_list_question():
    # what one document names (its districts, its categories, its bodies): the usual answer
    assert read_intent("湖州规划依托哪些区建设数字化车间？").listing is None
    assert read_intent("绍兴市数据条例第二十条中，授权运营单位有哪些义务？").listing is None
    assert read_intent("数据资源管理法将数据分为哪几类？").listing is None
    assert read_intent("哪份文件规定了罚款？").listing is None  # one document
    assert read_intent("Which provinces does the Huzhou plan name as pilot areas?").listing is None
    assert read_intent("Which region had the fastest growth?").listing is None  # one region


# --- figures: from the targets table ----------------------------------------------------------------


def test_plans_with_and_without_a_given_years_target(hashed):
    a = hashed.answer("哪些规划设定了2026年的目标？")
    assert checked(a) == {HUZHOU, JIAXING, ZHOUSHAN, LISHUI}  # the plans: no 条例, 办法 or 法
    assert matched(a) == {HUZHOU, ZHOUSHAN}
    assert a.text.splitlines()[0] == "共检查 4 份规划，其中 2 份设定了2026年的目标；其余 2 份未提及。"
    assert a.status == "answered" and not a.refused and a.coverage.basis == "targets"
    # each matched document cited once, with the number the coverage gives it
    assert [p.chunk.article for p in a.citations] == [c.title for c in sorted(a.coverage.matched, key=lambda c: c.citation)]
    assert all(f"[{c.citation}]" in a.text for c in a.coverage.matched)
    assert "500亿元" in a.text and "1200亿元" in a.text
    assert matched(hashed.answer("哪些规划设定了2025年的目标？")) == {JIAXING}


def test_no_plan_sets_the_year_asked(hashed):
    a = hashed.answer("哪些规划设定了2030年的目标？")
    assert a.refused and a.status == "not_stated" and matched(a) == set() and len(checked(a)) == 4
    assert a.text.startswith("共检查 4 份规划")


def test_fines_over_a_bound_are_compared_by_the_top_of_their_range(hashed):
    a = hashed.answer("哪些法规规定了罚款上限超过一百万元？")
    assert checked(a) == {SHAOXING, JINHUA, NATIONAL, QUZHOU}  # laws and rules, no plans
    assert matched(a) == {JINHUA}  # 一百万元 itself is no more than 一百万元
    assert matched(hashed.answer("哪些法规规定了罚款上限不低于一百万元？")) == {SHAOXING, JINHUA}
    assert matched(hashed.answer("哪些法规规定了罚款上限不超过十万元？")) == {QUZHOU}


def test_the_issue_and_the_filters_narrow_what_is_checked(hashed):
    newest = hashed.answer("本期哪些规划设定了2026年的目标？")
    assert checked(newest) == {LISHUI} and matched(newest) == set()
    assert checked(hashed.answer("第11期哪些规划设定了2026年的目标？")) == {ZHOUSHAN}
    by_date = hashed.answer("哪些规划设定了2026年的目标？", Filters(date_to="2025-03-10"))
    assert checked(by_date) == {HUZHOU, JIAXING} and matched(by_date) == {HUZHOU}
    by_column = hashed.answer("哪些规划设定了2026年的目标？", Filters(columns=("前沿观察",)))
    assert checked(by_column) == {LISHUI}


def test_the_coverage_in_the_json(hashed):
    from rag.serialize import answer_json

    out = json.loads(json.dumps(answer_json(hashed.answer("哪些规划设定了2026年的目标？")), ensure_ascii=False))
    coverage = out["coverage"]
    assert coverage["counts"] == {"checked": 4, "matched": 2, "not_stated": 2}
    assert {m["title"] for m in coverage["matched"]} == {HUZHOU, ZHOUSHAN}
    assert {m["n"] for m in coverage["matched"]} == {1, 2} and len(out["citations"]) == 2
    assert {x["title"] for x in coverage["not_stated"]} == {JIAXING, LISHUI}
    assert all(x["issue_id"].startswith("2025-") for x in coverage["checked"])
    # an ordinary question has none
    assert "coverage" not in answer_json(hashed.answer("湖州到2026年数字经济核心产业增加值达到多少？"))


def test_an_english_list_question(hashed):
    a = hashed.answer("Which plans set a target for 2026?")
    assert matched(a) == {HUZHOU, ZHOUSHAN}
    assert a.text.splitlines()[0] == "Checked 4 plans; 2 set a target for 2026; the other 2 do not state it."


# --- an issue's masthead and contents ------------------------------------------------------------------


def test_questions_about_an_issue_are_answered_from_its_masthead_and_contents(hashed):
    when = hashed.answer("本期是第几期？哪天出版？")
    assert "2025年3月21日 第12期 总第412期" in when.text and when.citations[0].chunk.kind == "issue_card"
    assert when.citations[0].chunk.issue_id == "2025-12"
    assert "2025年3月14日 第11期" in hashed.answer("上一期是哪天出版的？").text
    first = hashed.answer("本期要目第一篇是什么？")
    assert first.text.startswith(f"地方新政：《{QUZHOU}》（第1页）")
    assert f"《{LISHUI}》" in hashed.answer("本期“前沿观察”栏目收录的是哪篇文章？").text
    assert "第5页" in hashed.answer(f"《{ZHOUSHAN}》在第11期从第几页开始？").text
    listed = hashed.answer("第10期的要目有哪些文章？").text.splitlines()
    assert [line.split("《")[1].split("》")[0] for line in listed] == [HUZHOU, JIAXING, SHAOXING]


# --- passages: each document's best one (e5) --------------------------------------------------------


@pytest.fixture(scope="module")
def meant(tmp_path_factory, embedder):
    return service_over(tmp_path_factory.mktemp("survey-e5"), embedder)


@pytest.mark.slow
def test_local_rules_that_provide_for_authorised_operation_of_public_data(meant):
    a = meant.answer("哪些地方的条例规定了公共数据授权运营？")
    assert checked(a) == {SHAOXING, JINHUA} and matched(a) == {SHAOXING}
    assert a.coverage.basis == "passages" and "公共数据授权运营" in a.text
    every = meant.answer("哪些地方的文件规定了公共数据授权运营？")
    assert matched(every) == {SHAOXING, QUZHOU}
    assert len(checked(every)) == 7  # every local document; the national law is no place's


@pytest.mark.slow
def test_a_topic_no_document_holds(meant):
    a = meant.answer("哪些条例规定了无人机飞行管理？")
    assert a.refused and matched(a) == set() and checked(a) == {SHAOXING, JINHUA}
