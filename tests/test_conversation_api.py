"""Conversations and the digest through the app's API (gradio_client): /ask with history for each kind of
follow-up, the same question without history as before, a bad history as a clear error, /digest."""

import pytest

from rag.text import compact

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(app_server):
    from gradio_client import Client

    return Client(app_server[0], verbose=False)


def ask(client, question, history=None, **kw):
    return client.predict(question, history=history, api_name="/ask", **kw)


@pytest.mark.parametrize(
    ("earlier", "follow_up", "words", "evidence"),
    [
        ("截至11月末，京津冀地区5G基站有多少个？", "长三角呢？", ["长三角"], "66.6 万"),
        ("北京孵化器指导意见第（十三）条是什么？", "下一条呢？", ["第（十四）条"], "中关村论坛国家级平台作用"),
        (
            "云南省公共数据管理办法由谁印发？",
            "该办法要求公共机构在几个工作日内更新本机构公共数据目录？",
            ["云南"],
            "15 个工作日内更新",
        ),
        ("重庆行动计划的保障措施有哪些？", "其中人才方面有什么安排？", ["重庆"], "顶级院士、专家作为产业顾问"),
        (
            "How many 5G base stations did the western region have at the end of November?",
            "What about the northeast?",
            ["northeast"],
            "20.9 万",
        ),
    ],
)
def test_a_follow_up_with_history_is_answered_as_the_question_it_stands_for(client, earlier, follow_up, words, evidence):
    out = ask(client, follow_up, [{"question": earlier}])
    assert out["question"] == follow_up and all(w in out["resolved_question"] for w in words), out["resolved_question"]
    assert not out["refused"] and any(compact(evidence) in compact(c["text"]) for c in out["citations"])


def test_an_unanswerable_follow_up_is_refused(client):
    out = ask(client, "到2027年呢？", [{"question": "到2025年河南要累计建设多少个智能工厂？", "answer": "400个。"}])
    assert "2027" in out["resolved_question"] and out["refused"] and out["status"] in ("not_stated", "not_found")


def test_a_topic_change_is_left_as_asked_and_without_history_nothing_changes(client):
    q = "云南的公共数据多久内要完成校核？"
    alone = ask(client, q)
    after = ask(client, q, [{"question": "中部地区5G基站有多少？"}])
    assert alone["resolved_question"] == after["resolved_question"] == q
    assert after["resolution"] == "self-contained" and alone["resolution"] == "none"
    assert alone["answer"] == after["answer"]


def test_filters_still_pass_by_position_and_history_by_name(client):
    out = client.predict("公共数据", "", "云南", api_name="/ask")  # question, mode, article
    assert all(c["article"].startswith("云南") for c in out["citations"])


def test_a_bad_history_is_a_clear_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="history"):
        ask(client, "中部呢？", [{"answer": "no question"}])


def test_digest_endpoint(client):
    # Other tests add bulletins to the shared app: the latest issue is whichever was added last.
    latest = client.predict(api_name="/digest")
    out = client.predict("2023-51", api_name="/digest")
    assert out["issue_id"] == "2023-51" and len(out["articles"]) == 9 and out["mode"] == "extractive"
    assert latest["date"] >= out["date"]
    beijing = next(a for a in out["articles"] if a["title"].startswith("北京"))
    assert beijing["issued"] == "12月19日印发" and beijing["kind"] == "指导意见"
    for a in out["articles"]:
        for p in a["points"]:
            assert compact(p["text"].split("…")[0]) in compact(out["citations"][p["cites"][0] - 1]["text"])
