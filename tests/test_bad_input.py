"""Whatever is typed in: a normal answer or a clear message, never a traceback or a dead server."""

import json
import os
import subprocess
import sys

import httpx
import pytest
from conftest import ROOT

from rag.query import QueryError
from rag.service import Service
from rag.types import Answer

pytestmark = pytest.mark.slow

HOSTILE = {
    "single character": "云",
    "control characters": "云南\x00\x07的公共\x1b[31m数据\x7f多久校核？",
    "lone surrogates": "云南\ud800的公共数据\udfff多久校核？",
    "sql": "'; DROP TABLE chunks; -- 公共数据",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)>公共数据",
    "japanese": "雲南省の公共データはいつまでに確認しますか？",
    "korean": "윈난성 공공 데이터는 언제까지 확인해야 합니까?",
    "emoji": "🤖 人形机器人 🚀",
    "path": "../../etc/passwd",
}
REFUSED = {
    "empty": ("", "empty"),
    "whitespace": (" \n\t\u3000 ", "empty"),
    "only punctuation": ("？？？！！……", "no words"),
    "100,000 characters": ("数" * 100_000, "limit is 2000"),
}


@pytest.fixture(scope="module")
def service(real_index, embedder):
    s = Service(real_index[0], embedder)
    s.start()
    return s


@pytest.mark.parametrize("question", HOSTILE.values(), ids=HOSTILE.keys())
def test_odd_questions_get_an_answer_or_a_refusal(service, question):
    a = service.answer(question)
    assert isinstance(a, Answer) and a.text
    json.dumps({"answer": a.text, "question": a.question}, ensure_ascii=False).encode("utf-8")
    assert "<script>" not in a.text
    assert service.search(question) is not None


@pytest.mark.parametrize(("question", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_unsearchable_questions_are_refused_with_the_reason(service, question, message):
    with pytest.raises(QueryError, match=message):
        service.answer(question)
    with pytest.raises(QueryError, match=message):
        service.search(question)


@pytest.mark.parametrize(("question", "message"), [v for k, v in REFUSED.items() if k != "whitespace"])
def test_the_api_reports_the_reason_and_keeps_serving(app_server, question, message):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(app_server[0], verbose=False)
    with pytest.raises(AppError, match=message):
        client.predict(question, api_name="/ask")
    for question in HOSTILE.values():
        if question != HOSTILE["lone surrogates"]:  # the client cannot even encode those; see below
            assert "answer" in client.predict(question, api_name="/ask")
    assert client.predict("第22条", api_name="/lookup")["results"]


def test_lone_surrogates_sent_as_json_escapes_get_an_answer(app_server):
    """A browser's JSON can carry \ud800 escapes that decode to lone surrogates on the server."""
    base = app_server[0].rstrip("/")
    # ensure_ascii: surrogates travel as escapes. A raw call sends every input: the filters, then history.
    body = json.dumps({"data": [HOSTILE["lone surrogates"]] + [""] * 8 + [[]]})
    call = httpx.post(f"{base}/gradio_api/call/ask", content=body, headers={"Content-Type": "application/json"})
    assert call.status_code == 200
    events = httpx.get(f"{base}/gradio_api/call/ask/{call.json()['event_id']}", timeout=60).text
    assert "event: complete" in events and '"answer"' in events


def test_the_cli_says_one_line_and_exits_nonzero(real_index, model_folder, tmp_path):
    settings, _ = real_index
    env = {**os.environ, "RAG_INDEX_DIR": str(settings.index_dir), "RAG_EMBEDDING_MODEL": str(model_folder)}
    # argv holds at most 128 KiB per argument: 40,000 characters stand in for 100,000 there
    argv = {**REFUSED, "100,000 characters": ("数" * 40_000, "limit is 2000")}
    for question, message in argv.values():
        out = subprocess.run(
            [sys.executable, "-m", "rag", "ask", question, "--json"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 2 and out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "rag", "ask", HOSTILE["control characters"].replace("\x00", ""), "--json"],  # argv: no NUL
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["answer"]
    questions = tmp_path / "q.jsonl"
    rows = [{"id": k, "question": q} for k, (q, _) in REFUSED.items()] + [{"id": "ok", "question": "云南 第二十二条"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "rag", "ask", "--questions", str(questions)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == 0 and [x["id"] for x in lines] == [r["id"] for r in rows]
    assert all(message in x["error"] for x, (_, message) in zip(lines, REFUSED.values(), strict=False))
    assert lines[-1]["answer"] and "error" not in lines[-1]


@pytest.mark.parametrize("date", ["2023-02-30", "2099-13-45", "2023-00", "2023-12-32"])
def test_an_impossible_date_filter_is_a_clear_error(date):
    from rag.filters import Filters
    from rag.query import QueryError

    with pytest.raises(QueryError, match="is not a date"):
        Filters(date_from=date)
    assert Filters(date_from="2024-02-29", date_to="2024-03")  # a leap day and a month are dates


def test_a_date_range_that_ends_before_it_starts_is_a_clear_error():
    from rag.filters import Filters
    from rag.query import QueryError

    with pytest.raises(QueryError, match="after it ends"):
        Filters(date_from="2024-01-05", date_to="2023-12")
