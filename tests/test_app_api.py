"""The app's API through gradio_client: /ask, /search, /lookup, errors, login, and `python app.py`."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, free_port

from app import build_app, launch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(app_server):
    from gradio_client import Client

    return Client(app_server[0], verbose=False)


def test_six_documented_endpoints(client):
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(named) == {"/ask", "/search", "/lookup", "/targets", "/digest", "/versions"}


def test_lookup_takes_just_the_reference(client):
    out = client.predict("云南 第二十二条", api_name="/lookup")
    [p] = out["results"]
    assert p["how"] == "provision" and p["article"].startswith("云南省公共数据管理办法")
    assert p["section"].endswith("第二十二条") and "5 个工作日内校核完毕" in p["text"]
    assert p["source_path"] == "data/bulletin-2023-51.md" and p["start"] < p["end"]


def test_ask_returns_the_cli_json_with_cited_passages(client):
    out = client.predict("云南的公共数据多久内要完成校核？", api_name="/ask")
    assert out["refused"] is False and out["mode"] == "extractive"
    assert "5 个工作日" in out["answer"] and "[1]" in out["answer"]
    assert out["citations"][0]["section"].endswith("第二十二条")


def test_ask_refuses_what_the_bulletin_does_not_say(client):
    out = client.predict("如何做红烧肉？", api_name="/ask")
    assert out["refused"] is True and out["answer"] == "本期资料中没有找到相关内容。" and out["closest"]


def test_search_with_a_filter(client):
    out = client.predict("公共数据", 3, "", "", "2023-51", api_name="/search")
    assert len(out["passages"]) == 3 and all(p["issue_id"] == "2023-51" for p in out["passages"])
    assert client.predict("公共数据", 3, "", "", "1999-1", api_name="/search")["passages"] == []


@pytest.mark.parametrize("endpoint", ["/ask", "/search", "/lookup"])
def test_an_empty_text_is_a_clear_error_not_a_crash(client, endpoint):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name=endpoint)
    assert client.predict("第22条", api_name="/lookup")["results"]  # still serving


def test_with_login_configured_every_endpoint_needs_it(app_server):
    from gradio_client import Client

    url, service = app_server
    settings = service.settings.with_(app_auth="staff:s3cret")
    demo = build_app(service)
    port = free_port()
    launch(demo, settings, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert httpx.get(f"{base}/config").status_code == 401
        for name in ("ask", "search", "lookup"):
            r = httpx.post(f"{base}/gradio_api/call/{name}", json={"data": ["第22条"]})
            assert r.status_code == 401, name
        with pytest.raises(Exception):  # noqa: B017 (the client's error type varies by failure point)
            Client(base + "/", verbose=False)
        logged_in = Client(base + "/", auth=("staff", "s3cret"), verbose=False)
        assert logged_in.predict("第22条", api_name="/lookup")["results"]
    finally:
        demo.close()


def test_python_app_py_builds_a_missing_index_and_serves_on_loopback(tmp_path, model_folder):
    port = free_port()
    env = {
        **os.environ,
        "GRADIO_SERVER_PORT": str(port),
        "RAG_INDEX_DIR": str(tmp_path / "index"),
        "RAG_LIBRARY_DIR": str(tmp_path / "library"),
        "RAG_EMBEDDING_MODEL": str(model_folder),
    }
    env.pop("GRADIO_SERVER_NAME", None)
    log = tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        assert proc.poll() is None, log.read_text()
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
        assert (tmp_path / "index" / "manifest.json").is_file()
        assert f"Running on local URL:  http://127.0.0.1:{port}" in Path(log).read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_search_filters_by_source_region_and_date(client):
    def search(**kw):
        args = {"article": "", "column": "", "issue": "", "source": "", "region": "", "date_from": "", "date_to": ""}
        args.update(kw)
        return client.predict("公共数据", 5, *args.values(), api_name="/search")["passages"]

    yunnan = search(region="云南")
    assert yunnan and all("云南" in p["article"] or "云南" in p["source"] for p in yunnan)
    assert search(region="西藏") == []
    assert all("国家数据局" in p["source"] for p in search(source="国家数据局"))
    assert search(date_from="2023-12-01", date_to="2023-12-31") and search(date_from="2024") == []
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="not a date"):
        search(date_from="last week")
