"""The targets table kept with the index: stored per generation, checked, updated on add/remove, read
without an embedder, followed across issues; the CLI over it."""

import json
from pathlib import Path

import pytest
from conftest import BULLETIN, ROOT, HashEmbedder

import rag.index
from rag.cli import main
from rag.index import load_index
from rag.library import add_bulletin, remove_bulletin
from rag.store.manifest import IndexCorrupt, IndexMismatch, Manifest
from rag.store.targets import FILENAME, read_targets
from rag.targets import groups, select

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"


def _later_issue(tmp_path, airports: str = "15") -> Path:
    """The mini bulletin again as issue 2 with one target changed."""
    text = MINI.read_text(encoding="utf-8").replace("第1期", "第2期").replace("1月5日", "1月12日")
    text = text.replace("通用机场12个", f"通用机场{airports}个")
    path = tmp_path / "upload" / "bulletin-2024-02.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_is_a_checksummed_file_of_the_generation_and_loads_with_the_index(settings, base):
    gen = settings.index_dir / base.manifest.generation
    assert (gen / FILENAME).is_file() and FILENAME in base.manifest.files
    assert base.manifest.targets["rows"] == len(base.targets) > 100
    reloaded = load_index(settings)
    assert [r.as_json() for r in reloaded.targets] == [r.as_json() for r in base.targets]
    manifest, rows = read_targets(settings.index_dir)
    assert manifest.generation == base.manifest.generation and len(rows) == len(base.targets)
    # Offsets point into the source file.
    text = BULLETIN.read_text(encoding="utf-8")
    r = next(r for r in rows if r.kind == "target" and r.value == "300" and r.unit == "亿元")
    # The body's sentence is cut by a page break in the file (the parser joins it): compare without whitespace.
    assert "".join(text[r.start : r.end].split()) == "".join(r.text.split()) and "300 亿元" in text[r.value_start : r.value_end]
    # The editor's note restates it: one row, both places, each pointing at the figure in the file.
    assert [p["section"] for p in r.places] == ["二、主要目标", "编者按"]
    assert all("300" in text[p["value_start"] : p["value_end"]] for p in r.places)


def test_a_damaged_or_outdated_table_is_refused(settings, base):
    path = settings.index_dir / base.manifest.generation / FILENAME
    path.write_text(path.read_text(encoding="utf-8").replace("300", "301", 1), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="checksum"):
        read_targets(settings.index_dir)
    manifest = Manifest.load(settings.index_dir)
    manifest.targets = {"version": "0"}
    manifest.save(settings.index_dir)
    with pytest.raises(IndexMismatch, match="no targets table"):
        read_targets(settings.index_dir)
    assert load_index(settings, verify=False).targets is None  # the rest of the index still serves


def test_add_extracts_only_the_new_bulletin_and_remove_drops_its_rows(settings, base, monkeypatch, tmp_path):
    calls = []  # files read (and their targets extracted) in the ingest worker
    real = rag.index.read_in_worker

    def reading(settings, jobs, control=None):
        calls.extend(j.name for j in jobs)
        return real(settings, jobs, control)

    monkeypatch.setattr(rag.index, "read_in_worker", reading)
    index = add_bulletin(settings, HashEmbedder(), base, MINI)
    assert calls == ["mini-bulletin"]  # the bundled issue came from the parse cache
    mine = select(index.targets, issue=["2024-1"])
    assert [(r.kind, r.value, r.unit, r.year, r.region) for r in mine] == [
        ("target", "12", "个", 2025, "贵州"),
        ("target", "50", "条", 2025, "贵州"),
        ("target", "300", "个", None, "贵州"),
        ("target", "5", "家", None, "贵州"),
    ]
    assert load_index(settings).targets == index.targets
    index = remove_bulletin(settings, HashEmbedder(), index, "2024-1")
    assert calls == ["mini-bulletin"] and not select(index.targets, issue=["2024-1"])
    assert len(read_targets(settings.index_dir)[1]) == len(base.targets)


def test_one_indicator_is_followed_across_issues(settings, base, tmp_path):
    index = add_bulletin(settings, HashEmbedder(), base, MINI)
    index = add_bulletin(settings, HashEmbedder(), index, _later_issue(tmp_path))
    found = groups(select(index.targets, region=["贵州"]))
    airports = next(g for g in found if "通用机场" in g["indicator"])
    assert airports["changed"] and airports["issues"] == ["2024-1", "2024-2"]
    assert [(r["issue_id"], r["value"]) for r in airports["rows"]] == [("2024-1", "12"), ("2024-2", "15")]
    routes = next(g for g in found if "低空航线" in g["indicator"])
    assert not routes["changed"] and len(routes["rows"]) == 2
    assert found[0] is airports  # changes first


def test_cli_targets_json_csv_xlsx_and_filters(settings, base, capsys, tmp_path):
    args = ["--index-dir", str(settings.index_dir), "targets"]
    assert main([*args, "--json", "--kind", "target", "--region", "河南", "--year", "2025"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {(r["kind"], r["region"], r["year"]) for r in rows} == {("target", "河南", 2025)}
    assert {"group", "value_start", "page", "issuer"} <= set(rows[0])
    assert main([*args, "--csv", "--indicator", "智能工厂"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kind,region,indicator,value") and len(lines) == 2 and ",400," in lines[1]
    xlsx = tmp_path / "t.xlsx"
    assert main([*args, "--xlsx", str(xlsx), "--kind", "time_limit"]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "类型" and sheet.max_row == 1 + 15 and sheet["A2"].value == "时限"
    assert main([*args, "--kind", "plan"]) == 2 and "unknown kind" in capsys.readouterr().err


def test_cli_eval_targets_reports_per_kind(capsys):
    assert main(["eval", "--targets", str(ROOT / "eval" / "targets.jsonl"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    target = report["per_kind"]["target"]
    assert target["gold"] == 55 and target["precision"] >= 0.85 and target["recall"] >= 0.90
    assert set(report["per_kind"]) == {"target", "statistic", "time_limit", "penalty", "other"}
