"""The command line, run as a user would, against an index built in a temp folder."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import BULLETIN, ROOT
from test_library import MINI

from rag.text import compact

pytestmark = pytest.mark.slow


def run(*args, index_dir, model_folder, check=True, **env_vars):
    env = {
        **os.environ,
        "RAG_INDEX_DIR": str(index_dir),
        "RAG_EMBEDDING_MODEL": str(model_folder),
        "HF_HUB_OFFLINE": "1",
        # Never the developer's own library folder: `build` rebuilds the whole library.
        "RAG_LIBRARY_DIR": f"{index_dir}-library",
    }
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "-m", "rag", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=check
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, model_folder):
    folder = tmp_path_factory.mktemp("cli-index")
    out = run("build", index_dir=folder, model_folder=model_folder)
    assert "9 articles" in out.stderr
    return folder


def test_search_json_cites_exact_offsets(index_dir, model_folder, bulletin_text):
    out = run(
        "search", "云南第二十条用什么作为必要标识", "--top-k", "3", "--json", index_dir=index_dir, model_folder=model_folder
    )
    result = json.loads(out.stdout)
    assert len(result["passages"]) == 3
    p = result["passages"][0]
    for field in ("text", "article", "section", "issue", "source_path", "start", "end", "score"):
        assert field in p
    source = (ROOT / p["source_path"]).read_text(encoding="utf-8")
    assert source == bulletin_text
    assert "".join(source[s:e] for s, e in p["spans"]) == p["text"].replace("\n", "")
    # start..end covers the passage in place (Markdown marks included)
    assert p["start"] == p["spans"][0][0] and p["end"] == p["spans"][-1][1]
    assert compact(p["text"][:20]) in compact(source[p["start"] : p["end"]])


def test_questions_file_keeps_order_and_ids(index_dir, model_folder, tmp_path):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in [{"id": "b", "question": "5G基站"}, {"question": "孵化器"}]),
        encoding="utf-8",
    )
    out = run("search", "--questions", str(qfile), "--top-k", "2", index_dir=index_dir, model_folder=model_folder)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["b", None]
    assert [x["question"] for x in lines] == ["5G基站", "孵化器"]
    assert all(len(x["passages"]) == 2 for x in lines)


def test_eval_reports_metrics(index_dir, model_folder, tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "t1", "question": "5G基站总数", "type": "numeric", "evidence": ["5G基站总数达328.2万个"], "answerable": True},
        {"id": "t2", "question": "火星基地", "type": "unanswerable", "evidence": [], "answerable": False},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = run("eval", "--gold", str(gold), "--json", index_dir=index_dir, model_folder=model_folder)
    report = json.loads(out.stdout)
    assert report["scored"] == 1 and report["overall"]["hit@5"] == 1.0
    assert report["chunk_chars"]["max"] <= 1200 and report["latency_ms"]["median"] > 0


def test_bad_input_exits_nonzero_with_one_line(index_dir, model_folder):
    out = run("search", "   ", index_dir=index_dir, model_folder=model_folder, check=False)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["error: the question is empty"]
    out = run("build", str(BULLETIN.with_suffix(".xls")), index_dir=index_dir, model_folder=model_folder, check=False)
    assert out.returncode == 2 and "unsupported file type .xls" in out.stderr


def test_ask_json_has_answer_citations_and_timings(index_dir, model_folder, bulletin_text):
    out = run("ask", "云南的公共数据多久内要完成校核？", "--json", index_dir=index_dir, model_folder=model_folder)
    result = json.loads(out.stdout)
    assert result["refused"] is False and result["mode"] == "extractive"
    assert "5个工作日" in compact(result["answer"]) and "[1]" in result["answer"]
    c = result["citations"][0]
    assert c["n"] == 1 and c["section"].endswith("第二十二条")
    assert compact(c["text"][:30]) in compact(bulletin_text[c["start"] : c["end"]])
    assert result["timings"]["total"] > 0


def test_ask_streams_text_and_lists_citations(index_dir, model_folder):
    out = run("ask", "第22条规定了什么？", index_dir=index_dir, model_folder=model_folder)
    first, *rest = out.stdout.splitlines()
    assert first.startswith("第二十二条") and first.endswith("[1]")
    assert any(line.startswith("[1] 云南省公共数据管理办法（试行） › 第三章") for line in rest)


def test_ask_questions_file_one_line_each_in_order_errors_inline(index_dir, model_folder, tmp_path):
    qfile = tmp_path / "q.jsonl"
    rows = [{"id": "a", "question": "如何做红烧肉？"}, {"id": "b", "question": "  "}, {"id": "c", "question": "5G基站总数"}]
    qfile.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = run("ask", "--questions", str(qfile), index_dir=index_dir, model_folder=model_folder)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    assert lines[0]["refused"] is True and lines[0]["closest"]
    assert lines[1]["error"] == "the question is empty"
    assert lines[2]["refused"] is False and lines[2]["citations"]


def test_eval_answers_reports_citations_and_refusals(index_dir, model_folder, tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {
            "id": "t1",
            "question": "截至11月末5G基站总数达到多少万个？",
            "type": "numeric",
            "evidence": ["5G基站总数达328.2万个"],
            "answer": "328.2万个",
            "answerable": True,
        },
        {"id": "t2", "question": "特斯拉的股价是多少？", "type": "unanswerable", "evidence": [], "answerable": False},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = run("eval", "--gold", str(gold), "--answers", "--json", index_dir=index_dir, model_folder=model_folder)
    report = json.loads(out.stdout)
    assert report["per_type"]["numeric"] == {"n": 1, "citation_recall": 1.0, "false_refusal": 0.0, "numeric_correct": 1.0}
    assert report["per_type"]["unanswerable"] == {"n": 1, "refusal_accuracy": 1.0}


def test_openai_backend_without_endpoint_is_a_clear_error(index_dir, model_folder):
    env_free = {k: v for k, v in os.environ.items() if not k.startswith("RAG_OPENAI")}
    out = subprocess.run(
        [sys.executable, "-m", "rag", "ask", "问题", "--llm", "openai"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**env_free, "RAG_INDEX_DIR": str(index_dir), "RAG_EMBEDDING_MODEL": str(model_folder)},
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: --llm openai needs an endpoint: set RAG_OPENAI_BASE_URL (e.g. http://127.0.0.1:8080/v1) and RAG_OPENAI_MODEL"
    ]


def test_lookup_prints_the_provision_in_full(index_dir, model_folder):
    out = run("lookup", "云南 第22条", "--json", index_dir=index_dir, model_folder=model_folder)
    [p] = json.loads(out.stdout)["results"]
    assert p["how"] == "provision" and p["section"].endswith("第二十二条") and "5 个工作日内校核完毕" in p["text"]
    text = run("lookup", "公共机构应当自收到校核申请之日起5个工作日内", index_dir=index_dir, model_folder=model_folder).stdout
    assert "第二十二条" in text and "quote" in text
    missing = run("lookup", "云南 第九十九条", index_dir=index_dir, model_folder=model_folder, check=False)
    assert missing.returncode == 1 and "No provision" in missing.stdout


def test_add_list_remove(index_dir, model_folder, tmp_path):
    folder = tmp_path / "index"
    shutil.copytree(index_dir, folder)
    lib = {"RAG_LIBRARY_DIR": str(tmp_path / "library")}
    added = run("add", str(MINI), index_dir=folder, model_folder=model_folder, **lib)
    assert "Added 大数据发展动态 第1期" in added.stderr and "6 chunks" in added.stderr
    rows = json.loads(run("list", "--json", index_dir=folder, model_folder=model_folder).stdout)
    assert [r["issue_id"] for r in rows] == ["2023-51", "2024-1"]
    again = run("add", str(MINI), index_dir=folder, model_folder=model_folder, check=False, **lib)
    assert again.returncode == 2 and "already in the library" in again.stderr
    run("remove", "2024-1", index_dir=folder, model_folder=model_folder, **lib)
    listed = run("list", index_dir=folder, model_folder=model_folder).stdout
    assert "2023-51" in listed and "2024-1" not in listed
    assert not any((tmp_path / "library").iterdir())


def test_build_without_files_rebuilds_the_whole_library(index_dir, model_folder, tmp_path):
    """`rag build` after `rag add` keeps the added bulletin: the CLI and the app share one idea of the library."""
    folder = tmp_path / "index"
    shutil.copytree(index_dir, folder)
    lib = {"RAG_LIBRARY_DIR": str(tmp_path / "library")}
    run("add", str(MINI), index_dir=folder, model_folder=model_folder, **lib)
    built = run("build", index_dir=folder, model_folder=model_folder, **lib)
    assert "Indexed 2 bulletin(s)" in built.stderr
    rows = json.loads(run("list", "--json", index_dir=folder, model_folder=model_folder, **lib).stdout)
    assert [r["issue_id"] for r in rows] == ["2023-51", "2024-1"]
    hits = json.loads(run("search", "通用机场 低空航线", "--json", index_dir=folder, model_folder=model_folder, **lib).stdout)
    assert hits["passages"][0]["issue_id"] == "2024-1"


def test_a_file_past_the_ingest_budget_exits_2_with_one_line_and_changes_nothing(index_dir, model_folder, tmp_path):
    """`add` and `build` read files in the ingest worker: past the budget it is killed, the index and the
    library folder stay as they were."""
    from test_ingest import _snapshot

    heavy = tmp_path / "bulletin-2023-52.md"
    heavy.write_text(BULLETIN.read_text(encoding="utf-8").replace("第51期", "第52期") * 80, encoding="utf-8")
    library = tmp_path / "library"
    before = _snapshot(index_dir, library)
    budget = {"RAG_INGEST_TIMEOUT_S": "0.3", "RAG_LIBRARY_DIR": str(library)}
    for args, named in ((("add", str(heavy)), heavy.name), (("build", str(BULLETIN), str(heavy)), str(heavy))):
        out = run(*args, index_dir=index_dir, model_folder=model_folder, check=False, **budget)
        assert out.returncode == 2, out.stderr
        assert out.stderr.strip().splitlines() == [f"error: {named}: reading it took longer than 0.3 s: refused"]
        assert _snapshot(index_dir, library) == before
