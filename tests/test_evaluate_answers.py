from dataclasses import replace

from conftest import make_passage

from rag.evaluate import evaluate_answers, numbers_found, score_answer
from rag.types import Answer


def answer(text: str, refused: bool = False, passages: list[str] = (), total: float = 0.5) -> Answer:
    ps = [make_passage(t) for t in passages]
    return Answer("q", text, refused, ps, ps, "extractive", timings={"total": total}, relevance=0.95)


def test_numbers_must_all_appear_whatever_the_spacing():
    assert numbers_found("300个以上", "打造 300 个以上典型场景[1]")
    assert numbers_found("5个工作日（可延长至10个）", "5 个工作日内，复杂的延长至 10 个工作日")
    assert not numbers_found("5个工作日（可延长至10个）", "5 个工作日内")
    assert not numbers_found("", "300")
    assert numbers_found("支持万卡（万卡级）训练", "支持万卡训练[1]")
    assert not numbers_found("支持万卡训练", "支持千卡训练")


def test_scores_follow_the_readme_definitions():
    row = {"id": "x", "type": "numeric", "evidence": ["达328.2万个"], "answer": "328.2万个", "answerable": True}
    good = score_answer(row, answer("5G基站达328.2万个[1]", passages=["5G基站总数达 328.2 万个。"]))
    assert good == {
        "id": "x",
        "type": "numeric",
        "answerable": True,
        "status": "answered",
        "false_refusal": 0.0,
        "citation_recall": 1.0,
        "numeric_correct": 1.0,
    }
    # Right number, but the cited passage lacks the evidence: no citation credit.
    wrong = score_answer(row, answer("328.2万个[1]", passages=["别的段落"]))
    assert wrong["citation_recall"] == 0.0 and wrong["numeric_correct"] == 1.0
    refused = score_answer(row, answer("本期资料中没有找到相关内容。", refused=True))
    assert refused["false_refusal"] == 1.0 and refused["citation_recall"] == 0.0
    un = {"id": "u", "type": "unanswerable", "evidence": [], "answerable": False}
    assert score_answer(un, answer("…", refused=True))["refusal_accuracy"] == 1.0
    assert score_answer(un, answer("胡说[1]", passages=["x"]))["refusal_accuracy"] == 0.0


def test_report_has_overall_per_type_latency_and_calibration_figures():
    gold = [
        {"id": "1", "question": "a", "type": "fact", "evidence": ["甲"], "answerable": True, "lang": "zh"},
        {"id": "2", "question": "b", "type": "unanswerable", "evidence": [], "answerable": False},
    ]
    replies = {"a": answer("甲[1]", passages=["甲乙"], total=0.2), "b": answer("…", refused=False, total=0.4)}
    report = evaluate_answers(gold, replies.__getitem__)
    assert report["overall"] == {"n": 2, "citation_recall": 1.0, "false_refusal": 0.0, "refusal_accuracy": 0.0}
    assert report["per_type"]["fact"]["citation_recall"] == 1.0
    assert report["latency_ms"] == {"median": 200.0, "p95": 200.0}
    assert report["lowest_answerable_relevance"] == {"zh": 0.95}


def test_unanswerable_kinds_statuses_and_yes_no_verdicts():
    gold = [
        {"id": "1", "question": "a", "type": "unanswerable", "kind": "wrong_period", "expected_status": "not_stated",
         "evidence": [], "answerable": False},
        {"id": "2", "question": "b", "type": "unanswerable", "kind": "off_topic", "expected_status": "not_found",
         "evidence": [], "answerable": False},
        {"id": "3", "question": "c", "type": "yesno", "evidence": ["不得"], "answer": "否。不得重复收集。", "answerable": True},
    ]  # fmt: skip
    stated = found = replace(answer("…", refused=True), status="not_stated")
    no = replace(answer("否。不得[1]", passages=["不得重复"]), verdict="no")
    report = evaluate_answers(gold, {"a": stated, "b": found, "c": no}.__getitem__)
    assert report["per_kind"]["wrong_period"] == {"n": 1, "refusal_accuracy": 1.0, "status_match": 1.0}
    assert report["per_kind"]["off_topic"] == {"n": 1, "refusal_accuracy": 1.0, "status_match": 0.0}
    assert report["per_type"]["yesno"]["verdict_correct"] == 1.0
    assert report["status"] == {"answerable": {"answered": 1}, "unanswerable": {"not_stated": 2}}
