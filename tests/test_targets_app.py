"""The 指标目标 tab and the /targets endpoint: the table, a row's passage with its value highlighted, the
downloads, and the API giving what `rag targets --json` prints."""

import json
from pathlib import Path

import pytest
from conftest import BULLETIN, HashEmbedder

from app import TARGET_HEADERS, Handlers
from rag.cli import main
from rag.config import Settings
from rag.index import build_index
from rag.service import Service


@pytest.fixture(scope="module")
def handlers(tmp_path_factory):
    root = tmp_path_factory.mktemp("targets-app")
    settings = Settings(index_dir=root / "index", corpus=(BULLETIN,), library_dir=root / "library")
    build_index(settings, HashEmbedder())
    service = Service(settings, HashEmbedder())
    service.start()
    return Handlers(service, root)


class _Click:
    def __init__(self, row):
        self.row_value = row


def test_the_table_filters_downloads_and_groups(handlers):
    table, note, csv, xlsx = handlers.targets_view(["云南"], [], ["time_limit"], [], "", False)
    assert len(table["value"]) == 12 and "共 12 行" in note
    assert {row[0] for row in table["value"]} == {"时限"} and csv["visible"] and xlsx["value"].endswith(".xlsx")
    assert Path(csv["value"]).read_text(encoding="utf-8-sig").startswith("kind,region,indicator")
    grouped, note, *_ = handlers.targets_view(["河南"], ["2025"], ["target"], [], "", True)
    assert "组" in note and all(len(row) == 7 for row in grouped["value"])
    plan, *_ = handlers.targets_view([], [], ["target"], [], "典型应用场景", False)
    cells = [dict(zip(TARGET_HEADERS, row, strict=True)) for row in plan["value"]]
    [cell] = [c for c in cells if c["指标"] == "典型应用场景"]  # one row, though the note restates it: both places
    assert "编者按" in cell["各处出处"] and "总体目标" in cell["各处出处"] and cell["下限"] == cell["上限"] == ""
    bad, note, *_ = handlers.targets_view([], ["二〇二五"], [], [], "", False)
    assert bad["value"] == [] and "not a year" in note


def test_a_row_opens_its_passage_with_the_value_highlighted(handlers):
    table, *_ = handlers.targets_view(["安徽"], [], ["target"], [], "训练", False)
    [row] = table["value"]
    html = handlers.target_selected(_Click(row))
    assert "<mark>万卡</mark>" in html and "高标准打造智能计算中心" in html and "参考文献" in html
    assert "不在资料库" in handlers.target_selected(_Click(["x", "2023-51@1"]))


@pytest.mark.slow
def test_api_targets_gives_the_cli_json(app_server, capsys):
    from gradio_client import Client

    url, service = app_server
    client = Client(url, verbose=False)
    out = client.predict("", "河南,安徽", "2025", "target", api_name="/targets")
    assert out and {(r["kind"], r["year"]) for r in out} == {("target", 2025)} and {r["region"] for r in out} == {"河南", "安徽"}
    assert main(["--index-dir", str(service.settings.index_dir), "targets", "--json", "--region", "河南", "--region", "安徽",
                 "--year", "2025", "--kind", "target"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out) == out
    grouped = client.predict("智能工厂", group=True, api_name="/targets")
    assert grouped[0]["region"] == "河南" and grouped[0]["rows"][0]["value"] == "400"
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="unknown kind"):
        client.predict("", kind="plan", api_name="/targets")
