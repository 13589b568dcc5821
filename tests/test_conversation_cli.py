"""Conversations through the command line, as a user runs it: `ask --questions` lines with history (each kind
of follow-up), `chat` with piped input, `eval --conversations`, and `digest`. Made-up conversations; none is
taken from eval/conversations.jsonl."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from rag.text import compact

pytestmark = pytest.mark.slow

# (id, history, follow-up, words the resolved question must hold, evidence the answer must cite, or None: refused)
CONVERSATIONS = [
    ("region", ["截至11月末，京津冀地区5G基站有多少个？"], "长三角呢？", ["长三角"], "66.6 万"),
    ("next", ["云南办法第三十六条规定了什么？"], "下一条呢？", ["第三十七条"], "数据产品经营权等分置的产权运行机制"),
    (
        "pronoun",
        ["河南制造业数字化转型行动计划是哪天印发的？"],
        "它对优秀智能应用场景建设单位奖励多少？",
        ["河南"],
        "不超过 50 万元奖励",
    ),
    (
        "narrowing",
        ["截至11月末，全国互联网宽带接入端口有多少个？"],
        "其中光纤接入端口有多少？",
        ["宽带接入端口", "光纤"],
        "10.92亿个",
    ),
    (
        "english",
        ["When did Anhui issue its digital infrastructure action plan?"],
        "How big a training cluster will it support?",
        ["Anhui"],
        "万卡训练",
    ),
    ("unanswerable", ["到2025年河南要累计建设多少个智能工厂？"], "到2027年呢？", ["2027"], None),
    (
        "topic",
        ["中部地区5G基站有多少？"],
        "云南的公共数据多久内要完成校核？",
        ["云南的公共数据多久内要完成校核？"],
        "5 个工作日内",
    ),
]


def run(*args, index_dir, model_folder, check=True, input=None):
    env = {
        **os.environ,
        "RAG_INDEX_DIR": str(index_dir),
        "RAG_EMBEDDING_MODEL": str(model_folder),
        "HF_HUB_OFFLINE": "1",
        "RAG_LIBRARY_DIR": f"{index_dir}-library",
    }
    return subprocess.run(
        [sys.executable, "-m", "rag", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=check,
        input=input,
    )


@pytest.fixture(scope="module")
def index_dir(real_index):
    return real_index[0].index_dir


def test_ask_questions_file_with_history_resolves_and_answers_each_kind(index_dir, model_folder, tmp_path):
    lines = [{"id": i, "question": q, "history": [{"question": h} for h in hist]} for i, hist, q, _, _ in CONVERSATIONS]
    lines.append({"id": "alone", "question": "长三角呢？"})  # no history: answered as it stands, as before
    qfile = tmp_path / "conversations.jsonl"
    qfile.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = run("ask", "--questions", str(qfile), index_dir=index_dir, model_folder=model_folder)
    results = {r["id"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert list(results) == [x["id"] for x in lines]
    for i, _, question, words, evidence in CONVERSATIONS:
        r = results[i]
        assert r["question"] == question and all(w in r["resolved_question"] for w in words), (i, r["resolved_question"])
        if evidence is None:
            assert r["refused"] and r["status"] in ("not_stated", "not_found"), i
        else:
            assert not r["refused"] and any(compact(evidence) in compact(c["text"]) for c in r["citations"]), i
    assert results["topic"]["resolution"] == "self-contained"
    assert results["alone"]["resolved_question"] == "长三角呢？" and results["alone"]["resolution"] == "none"


def test_a_bad_history_line_is_reported_inline(index_dir, model_folder, tmp_path):
    qfile = tmp_path / "bad.jsonl"
    qfile.write_text('{"id": 1, "question": "中部呢？", "history": "not json"}\n', encoding="utf-8")
    out = run("ask", "--questions", str(qfile), index_dir=index_dir, model_folder=model_folder)
    assert "history is not JSON" in json.loads(out.stdout)["error"]


def test_chat_resolves_follow_ups_and_starts_over(index_dir, model_folder):
    turns = "\n".join(["云南办法第二十二条规定了什么？", "下一条呢？", "新对话", "下一条呢？", ":q"]) + "\n"
    out = run("chat", index_dir=index_dir, model_folder=model_folder, input=turns)
    first, second = out.stdout.split("（新对话）")
    assert "理解为：云南办法第二十三条规定了什么？" in first and "第二十三条" in first.split("理解为")[1]
    # After 新对话 nothing is left to refer to: the bare follow-up is answered as it stands.
    assert "理解为" not in second


def test_eval_conversations_reports_each_kind(index_dir, model_folder, tmp_path):
    rows = [json.loads(x) for x in (ROOT / "eval" / "followups.jsonl").read_text(encoding="utf-8").splitlines()]
    few = tmp_path / "few.jsonl"
    few.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[::6]), encoding="utf-8")
    out = run("eval", "--conversations", str(few), "--split", "all", "--json", index_dir=index_dir, model_folder=model_folder)
    report = json.loads(out.stdout)
    assert report["conversations"] == len(rows[::6]) and set(report["per_kind"]) <= {r["kind"] for r in rows}
    for key in ("cited", "alone_cited", "gold_cited", "agree"):
        assert key in report["overall"]
    assert report["resolve_ms"]["median"] < 20
    text = run("eval", "--conversations", str(few), "--split", "all", index_dir=index_dir, model_folder=model_folder).stdout
    assert "overall" in text and "resolution: median" in text


def test_digest_from_the_command_line(index_dir, model_folder, bulletin_text):
    data = json.loads(run("digest", "--json", index_dir=index_dir, model_folder=model_folder).stdout)
    assert data["issue_id"] == "2023-51" and len(data["articles"]) == 9 and data["seconds"] < 2.0
    for a in data["articles"]:
        for p in a["points"]:
            passage = data["citations"][p["cites"][0] - 1]
            assert compact(p["text"].split("…")[0]) in compact(passage["text"])
            assert compact(passage["text"][:30]) in compact(bulletin_text)
    md = run("digest", "2023-51", "--markdown", index_dir=index_dir, model_folder=model_folder).stdout
    assert md.startswith("# 本期要点") and md.count("\n## ") == 10  # nine articles and the sources
    bad = run("digest", "1999-1", index_dir=index_dir, model_folder=model_folder, check=False)
    assert bad.returncode == 2 and "no issue" in bad.stderr
