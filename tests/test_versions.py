"""Versions of one document across issues: grouping, status, and the provision-by-provision diff, on
made-up bulletins whose changes are known (none of this text comes from the bundled issue)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.chunk import Chunker
from rag.parse.issue import parse_issue
from rag.versions import Catalogue, Provision, base_title, diff
from rag.versions.diff import provision_number
from rag.versions.titles import repealed_titles

CITY = "某市"
DRAFT_TITLE = f"{CITY}公共数据管理办法（征求意见稿）"
FINAL_TITLE = f"{CITY}公共数据管理办法"
OLD_RULE = f"{CITY}政务数据共享暂行办法"
BODY = f"{CITY}数据管理局"

DRAFT = [
    "第一条 为了规范公共数据管理，促进公共数据共享开放，根据有关法律法规，结合本市实际，制定本办法。",
    "第二条 本市行政区域内公共数据的收集、归集、共享、开放及其安全管理，适用本办法。",
    "第三条 市公共数据主管部门负责统筹协调全市公共数据管理工作，区公共数据主管部门负责本区公共数据管理工作。",
    "第四条 公共机构应当按照公共数据目录归集公共数据，并对所归集数据的准确性、完整性负责。",
    "第五条 公共机构收到数据共享申请后，应当自收到申请之日起15个工作日内答复；不予共享的，应当说明理由。",
    "第六条 公共数据开放实行目录管理，开放目录应当每年至少更新一次。",
    "第七条 公共机构可以向社会公众征集数据开放需求，并定期公布征集结果。",
    "第八条 任何单位和个人不得利用公共数据从事危害国家安全、侵害他人合法权益的活动。",
    "第九条 公共机构及其工作人员违反本办法第五条规定，逾期不答复共享申请的，由公共数据主管部门责令改正。",
    "第十条 本办法自公布之日起施行。",
]
# The final text: a principle inserted as 第三条 (so 第三条–第六条 become 第四条–第七条), the time limit of
# old 第五条 cut from 15 to 10 working days, old 第七条 dropped (so 第八条 keeps its number), 第九条's
# cross-reference following the renumbering, and the commencement clause now repealing the old rule.
FINAL = [
    DRAFT[0],
    DRAFT[1],
    "第三条 公共数据管理应当坚持统筹规划、分类分级、安全可控的原则，保障数据安全和个人信息权益。",
    "第四条" + DRAFT[2].removeprefix("第三条"),
    "第五条" + DRAFT[3].removeprefix("第四条"),
    "第六条 公共机构收到数据共享申请后，应当自收到申请之日起10个工作日内答复；不予共享的，应当说明理由。",
    "第七条" + DRAFT[5].removeprefix("第六条"),
    DRAFT[7],
    "第九条 公共机构及其工作人员违反本办法第六条规定，逾期不答复共享申请的，由公共数据主管部门责令改正。",
    f"第十条 本办法自2025年1月1日起施行，《{OLD_RULE}》同时废止。",
]
OLD_RULE_TEXT = [
    "第一条 为了推进政务数据共享，提高行政效能，制定本办法。",
    "第二条 政务部门之间共享数据，应当通过全市统一的共享平台进行。",
    "第三条 本办法自发布之日起试行。",
]
OTHER = [  # a plan of another city, whose title shares nothing with the rule
    "一、总体要求",
    "到2026年，全市建成数据要素市场体系。",
]


def bulletin(number: int, date: str, *articles: tuple[str, list[str], str]) -> str:
    """A small bulletin issue of ``articles`` (title, paragraphs, issuing body)."""
    y, m, d = date.split("-")
    toc = "\n\n".join(f"{i + 1} {title}" for i, (title, _, _) in enumerate(articles))
    text = f"# 大数据发展动态\n\n{y}年{int(m)}月{int(d)}日 第{number}期 总第{200 + number}期\n\n"
    text += f"## 本期要目\n\n### 地方新政\n\n{toc}\n\n"
    text += "## 地方新政\n\n"
    for title, paragraphs, source in articles:
        text += f"## {title}\n\n" + "\n\n".join(paragraphs) + f"\n\n（来源：{source}）\n\n"
    return text


ISSUES = {
    "bulletin-2024-10.md": bulletin(10, "2024-03-08", (OLD_RULE, OLD_RULE_TEXT, BODY)),
    "bulletin-2024-20.md": bulletin(
        20, "2024-05-17", (DRAFT_TITLE, DRAFT, BODY), ("某县数据要素发展规划", OTHER, "某县人民政府")
    ),
    "bulletin-2024-30.md": bulletin(30, "2024-07-26", (FINAL_TITLE, FINAL, BODY)),
}


def chunks_of(*names: str):
    out = []
    for name in names:
        out += Chunker().chunk_issue(parse_issue(ISSUES[name], source_path=name))
    return out


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(chunks_of(*ISSUES))


def brief(changes):
    return [(c.old.number, c.new.number, c.renumbered, c.text_changed) for c in changes]


# --- titles -------------------------------------------------------------------------------------


def test_titles_without_version_markers_are_the_same_document():
    assert base_title(DRAFT_TITLE) == base_title(FINAL_TITLE) == base_title(f"{CITY}公共数据管理暂行办法")
    assert base_title(f"{CITY}公共数据管理办法（2024年修订）") == base_title(f"{CITY}公共数据管理办法（试行）")
    assert base_title(f"关于公开征求《{DRAFT_TITLE}》意见的通知") == base_title(FINAL_TITLE)
    # a plan's period is part of its title: another period is another plan
    assert base_title("某省行动计划（2024—2026年）") != base_title("某省行动计划（2027—2029年）")


def test_repeal_lines_name_the_repealed_documents_only():
    assert repealed_titles(f"本办法自2025年1月1日起施行，《{OLD_RULE}》同时废止。") == [OLD_RULE]
    assert repealed_titles("本规定自公布之日起施行。原《某省数据条例》（某政发〔2020〕1号）废止。") == ["某省数据条例"]
    assert repealed_titles("依据《中华人民共和国数据安全法》，制定本办法；《某办法》同时废止。") == ["某办法"]
    assert repealed_titles("对不符合本办法的文件予以废止。") == []


def test_provision_numbers_leave_chapters_out():
    assert provision_number("第三章 公共数据收集 > 第二十二条") == "第二十二条"
    assert provision_number("二、重点任务 > （三）加强数据治理") == "二、（三）"
    assert provision_number("总体要求") == ""


# --- the diff -----------------------------------------------------------------------------------


def test_diff_reports_exactly_the_changes_made():
    old = [Provision(f"第一章 总则 > {t.split(' ')[0]}", t) for t in DRAFT]
    new = [Provision(f"第一章 总则 > {t.split(' ')[0]}", t) for t in FINAL]
    d = diff(old, new)
    assert [p.number for p in d.added] == ["第三条"]
    assert [p.number for p in d.removed] == ["第七条"]
    assert brief(d.changed) == [
        ("第三条", "第四条", True, False),
        ("第四条", "第五条", True, False),
        ("第五条", "第六条", True, True),
        ("第六条", "第七条", True, False),
        ("第十条", "第十条", False, True),
    ]
    limit = next(c for c in d.changed if c.new.number == "第六条")
    assert [(f.old, f.new, f.text) for f in limit.figures] == [("15个工作日", "10个工作日", "15 → 10 个工作日")]
    # 第一、二、八条 (same number, same text) and 第九条 (its reference follows the renumbering) are not listed
    assert d.unchanged == 4


def test_a_provision_moved_elsewhere_is_one_change_not_a_removal_and_an_addition():
    old = [Provision(t.split(" ")[0], t) for t in DRAFT[:6]]
    moved = [DRAFT[0], DRAFT[5].replace("第六条", "第二条"), DRAFT[1].replace("第二条", "第三条")]
    moved += [DRAFT[2].replace("第三条", "第四条"), DRAFT[3].replace("第四条", "第五条"), DRAFT[4].replace("第五条", "第六条")]
    d = diff(old, [Provision(t.split(" ")[0], t) for t in moved])
    assert not d.added and not d.removed
    assert all(c.renumbered and not c.text_changed for c in d.changed) and len(d.changed) == 5


def test_identical_versions_have_no_changes():
    provisions = [Provision(t.split(" ")[0], t) for t in DRAFT]
    d = diff(provisions, [Provision(p.section, p.text) for p in provisions])
    assert d.empty and d.unchanged == len(DRAFT) and d.aligned_share == 1.0


def test_unrelated_documents_do_not_align():
    a = [Provision(t.split(" ")[0], t) for t in DRAFT]
    b = [Provision(t.split(" ")[0], t) for t in OLD_RULE_TEXT]
    assert diff(a, b).aligned_share < 0.5


# --- grouping and status ------------------------------------------------------------------------


def test_draft_and_final_are_one_document_with_statuses(catalogue):
    groups = catalogue.find(FINAL_TITLE)
    g = groups[0]
    assert [(v.document.issue_id, v.status, v.in_force) for v in g.versions] == [
        ("2024-20", "征求意见稿", False),
        ("2024-30", "现行", True),
    ]
    assert g.versions[0].superseded_by.issue_id == "2024-30"
    assert g.title == FINAL_TITLE and g.current == 1
    # the other documents stay on their own
    assert len(catalogue.versioned) == 1
    old = catalogue.find(OLD_RULE)[0]
    assert len(old.versions) == 1 and old.versions[0].status == "已废止"
    assert old.versions[0].repealed_by.title == FINAL_TITLE
    assert catalogue.find("某县数据要素发展规划")[0].versions[0].status == "现行"


def test_the_diff_between_issues_is_the_known_one(catalogue):
    d = catalogue.find(FINAL_TITLE)[0].diffs[0]
    assert [p.number for p in d.added] == ["第三条"] and [p.number for p in d.removed] == ["第七条"]
    assert brief(d.changed) == [
        ("第三条", "第四条", True, False),
        ("第四条", "第五条", True, False),
        ("第五条", "第六条", True, True),
        ("第六条", "第七条", True, False),
        ("第十条", "第十条", False, True),
    ]


def test_a_trial_rule_replaced_by_the_formal_one():
    trial = bulletin(5, "2024-02-02", (f"{CITY}公共数据管理办法（试行）", DRAFT, BODY))
    chunks = Chunker().chunk_issue(parse_issue(trial, source_path="t.md")) + chunks_of("bulletin-2024-30.md")
    g = Catalogue(chunks).find(FINAL_TITLE)[0]
    assert [v.status for v in g.versions] == ["已被取代", "现行"]
    only_trial = Catalogue(Chunker().chunk_issue(parse_issue(trial, source_path="t.md"))).find(FINAL_TITLE)[0]
    assert [v.status for v in only_trial.versions] == ["试行"]


def test_another_body_or_other_provisions_is_another_document():
    other_body = bulletin(30, "2024-07-26", (FINAL_TITLE, FINAL, "另一市数据管理局"))
    chunks = chunks_of("bulletin-2024-20.md") + Chunker().chunk_issue(parse_issue(other_body, source_path="o.md"))
    assert not Catalogue(chunks).versioned
    unrelated = bulletin(30, "2024-07-26", (FINAL_TITLE, OLD_RULE_TEXT, BODY))
    chunks = chunks_of("bulletin-2024-20.md") + Chunker().chunk_issue(parse_issue(unrelated, source_path="u.md"))
    assert not Catalogue(chunks).versioned


def test_passages_of_the_superseded_draft_are_marked(catalogue):
    draft = catalogue.find(FINAL_TITLE)[0].versions[0].document
    final = catalogue.find(FINAL_TITLE)[0].versions[1].document
    gone = catalogue.superseded()
    assert {i for p in draft.provisions for i in p.chunk_ids} <= gone
    assert not {i for p in final.provisions for i in p.chunk_ids} & gone
    # a document of one version is never superseded, repealed or not
    assert (
        not {
            i
            for g in catalogue.groups
            if len(g.versions) == 1
            for v in g.versions
            for p in v.document.provisions
            for i in p.chunk_ids
        }
        & gone
    )


def test_earlier_versions_that_said_otherwise(catalogue):
    final = catalogue.find(FINAL_TITLE)[0].versions[1].document
    limit = next(p for p in final.provisions if p.number == "第六条")
    [(version, change)] = catalogue.earlier(limit.chunk_ids[0])
    assert version.status == "征求意见稿" and change.old.number == "第五条"
    assert [f.text for f in change.figures] == ["15 → 10 个工作日"]
    same = next(p for p in final.provisions if p.number == "第二条")
    assert catalogue.earlier(same.chunk_ids[0]) == []


def write_issues(folder: Path, names=tuple(ISSUES)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        (folder / name).write_text(ISSUES[name], encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_versions_json_shape(catalogue):
    from rag.serialize import versions_json

    out = versions_json(catalogue.find(FINAL_TITLE)[0])
    json.dumps(out, ensure_ascii=False)
    assert out["title"] == FINAL_TITLE and out["in_force"] == "2024-30"
    assert [v["status"] for v in out["versions"]] == ["征求意见稿", "现行"]
    [step] = out["diffs"]
    assert (step["from"], step["to"]) == ("2024-20", "2024-30")
    assert [a["number"] for a in step["added"]] == ["第三条"] and [r["number"] for r in step["removed"]] == ["第七条"]
    limit = next(c for c in step["changed"] if c["new_number"] == "第六条")
    assert limit["old_number"] == "第五条" and limit["renumbered"] and limit["text_changed"]
    assert limit["figures"] == [{"old": "15个工作日", "new": "10个工作日", "text": "15 → 10 个工作日"}]
    assert "15个工作日" in limit["old_text"] and "10个工作日" in limit["new_text"]


# --- the library: CLI and service ---------------------------------------------------------------


def test_versions_from_a_library_index_by_cli_and_service(tmp_path, capsys):
    from conftest import HashEmbedder

    from rag.cli import main
    from rag.config import Settings
    from rag.index import build_index
    from rag.service import Service

    settings = Settings(index_dir=tmp_path / "index", corpus=tuple(write_issues(tmp_path / "data")), library_dir=tmp_path / "lib")
    build_index(settings, HashEmbedder())
    service = Service(settings, HashEmbedder())
    service.start()
    [group] = [g for g in service.versions("公共数据管理办法") if len(g.versions) > 1]
    assert [v.document.issue_id for v in group.versions] == ["2024-20", "2024-30"]

    assert main(["--index-dir", str(settings.index_dir), "versions", FINAL_TITLE, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    top = out["documents"][0]
    assert top["in_force"] == "2024-30" and len(top["diffs"]) == 1
    assert len(top["diffs"][0]["changed"]) == 5
    assert main(["--index-dir", str(settings.index_dir), "versions", "没有这个文件的标题"]) == 1


def test_search_answers_from_the_version_in_force(tmp_path):
    from conftest import HashEmbedder

    from rag.config import Settings
    from rag.filters import Filters
    from rag.index import build_index
    from rag.retrieve import Retriever

    settings = Settings(index_dir=tmp_path / "index", corpus=tuple(write_issues(tmp_path / "data")), library_dir=tmp_path / "lib")
    embedder = HashEmbedder()
    index = build_index(settings, embedder)
    question = "公共机构收到数据共享申请后多少个工作日内答复？"
    hits = Retriever(index, embedder, settings).search(question, 10)
    assert hits and all(p.chunk.article != DRAFT_TITLE for p in hits)
    assert any("10个工作日" in p.chunk.text for p in hits)
    # the draft is still there when asked for, by name or by issue, and with the setting off
    assert any(p.chunk.article == DRAFT_TITLE for p in Retriever(index, embedder, settings).search("征求意见稿 " + question, 10))
    by_issue = Retriever(index, embedder, settings).search(question, 10, Filters(issues=("2024-20",)))
    assert by_issue and all(p.chunk.issue_id == "2024-20" for p in by_issue)
    off = settings.with_(answer_from_version_in_force=False)
    assert any(p.chunk.article == DRAFT_TITLE for p in Retriever(index, embedder, off).search(question, 10))


def test_a_draft_alone_is_searched_as_before(tmp_path):
    from conftest import HashEmbedder

    from rag.config import Settings
    from rag.index import build_index
    from rag.retrieve import Retriever

    paths = write_issues(tmp_path / "data", ("bulletin-2024-20.md",))
    settings = Settings(index_dir=tmp_path / "index", corpus=tuple(paths), library_dir=tmp_path / "lib")
    embedder = HashEmbedder()
    index = build_index(settings, embedder)
    retriever = Retriever(index, embedder, settings)
    assert retriever._in_force_rows is None
    assert retriever.search("公共机构收到数据共享申请后多少个工作日内答复？", 3)[0].chunk.article == DRAFT_TITLE


def test_an_answer_from_the_final_text_says_what_the_draft_said(tmp_path):
    from conftest import HashEmbedder

    from rag.answer.pipeline import note_versions
    from rag.config import Settings
    from rag.index import build_index
    from rag.retrieve import Retriever
    from rag.types import Answer, Passage

    settings = Settings(index_dir=tmp_path / "index", corpus=tuple(write_issues(tmp_path / "data")), library_dir=tmp_path / "lib")
    embedder = HashEmbedder()
    retriever = Retriever(build_index(settings, embedder), embedder, settings)
    final = retriever.versions.find(FINAL_TITLE)[0].versions[1].document
    chunk_of = {c.id: c for c in retriever.index.chunks}

    def answer_citing(number: str) -> Answer:
        chunk = chunk_of[next(p for p in final.provisions if p.number == number).chunk_ids[0]]
        return Answer("q", "…[1]", False, [Passage(chunk, 1.0, 1)], [], "extractive")

    limit, note = note_versions(retriever, settings, answer_citing("第六条"))
    assert note and limit.text == "…[1]" + note
    assert "征求意见稿" in limit.text and "第五条为 15个工作日" in limit.text
    same, note = note_versions(retriever, settings, answer_citing("第二条"))
    assert note == "" and same.text == "…[1]"
    off = answer_citing("第六条")
    assert note_versions(retriever, settings.with_(answer_from_version_in_force=False), off) == (off, "")
