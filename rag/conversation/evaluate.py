"""Scores on two-turn conversations (eval/conversations.jsonl; its README): for the follow-up, evidence
cited (answerable) and refusal (unanswerable) — answered with its history, alone (what the system did
before it kept conversations), and as the gold standalone question (what perfect resolution would give);
whether the resolved question names the same article, places and provisions as the gold one; whether a
self-contained question was left as it was; and the time resolution took."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable

from rag.answer.answerability import Judge
from rag.evaluate import found
from rag.intent import read_intent
from rag.query import normalize_query
from rag.types import Answer

Ask = Callable[[str, list], Answer]


def names(judge: Judge, question: str) -> tuple[str | None, frozenset, frozenset]:
    """The article, places and provisions a question names (as the answer checks read them)."""
    query = normalize_query(question, 2000)
    intent = read_intent(query)
    return judge.named_article(query, intent), frozenset(intent.regions), intent.provisions


def _outcome(row: dict, a: Answer) -> dict:
    if row.get("answerable", True):
        cited = [p.chunk.text for p in a.citations]
        return {"cited": float(any(found(e, t) for e in row.get("evidence") or [] for t in cited)), "refused": float(a.refused)}
    out = {"refused": float(a.refused)}
    if row.get("expected_status"):
        out["status_match"] = float(a.status == row["expected_status"])
    return out


def score_row(row: dict, judge: Judge, with_history: Answer, alone: Answer, gold: Answer) -> dict:
    resolved = with_history.resolved_question or with_history.question
    ours, theirs = names(judge, resolved), names(judge, row["resolved"])
    out = {
        "id": row.get("id"),
        "kind": row.get("kind", "?"),
        "answerable": row.get("answerable", True),
        "resolved": resolved,
        "how": with_history.resolution,
        "resolve_ms": round(1000 * with_history.timings.get("resolve", 0.0), 2),
        "agree_article": float(ours[0] == theirs[0]),
        "agree_places": float(ours[1] == theirs[1]),
        "agree_provisions": float(ours[2] == theirs[2]),
    }
    out["agree"] = float(out["agree_article"] and out["agree_places"] and out["agree_provisions"])
    if row.get("kind") == "topic_change":
        out["unchanged"] = float(resolved == row["question"])
    for name, answer in (("", with_history), ("alone_", alone), ("gold_", gold)):
        out |= {name + k: v for k, v in _outcome(row, answer).items()}
    return out


METRICS = [
    ("cited", "answerable"),  # the follow-up's evidence is among the cited passages
    ("refused", "unanswerable"),  # an unanswerable follow-up is refused (not_stated or not_found)
    ("status_match", "unanswerable"),
    ("refused", "answerable"),  # a false refusal
    ("alone_cited", "answerable"),
    ("alone_refused", "unanswerable"),
    ("gold_cited", "answerable"),
    ("gold_refused", "unanswerable"),
    ("agree", None),
    ("unchanged", None),
]


def _key(metric: str, group: str | None) -> str:
    if group is None:
        return metric
    if metric == "refused" and group == "answerable":
        return "false_refusal"
    return metric


def summary(rows: list[dict]) -> dict:
    out: dict = {"n": len(rows)}
    for metric, group in METRICS:
        pool = [r for r in rows if group is None or r["answerable"] == (group == "answerable")]
        values = [r[metric] for r in pool if metric in r]
        if values:
            out[_key(metric, group)] = round(statistics.fmean(values), 3)
    return out


def evaluate_conversations(rows: list[dict], ask: Ask, judge: Judge) -> dict:
    """``ask(question, history)`` answers in a conversation; history [] answers a question alone."""
    scored = []
    for row in rows:
        with_history = ask(row["question"], row.get("history") or [])
        alone = ask(row["question"], [])
        gold = ask(row["resolved"], [])
        scored.append(score_row(row, judge, with_history, alone, gold))
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in scored:
        by_kind[r["kind"]].append(r)
    ms = [r["resolve_ms"] for r in scored]
    return {
        "conversations": len(rows),
        "overall": summary(scored),
        "per_kind": {k: summary(v) for k, v in sorted(by_kind.items())},
        "resolve_ms": {
            "median": round(statistics.median(ms), 2) if ms else 0.0,
            "max": max(ms, default=0.0),
        },
        "rows": scored,
    }


COLUMNS = [
    ("cited", "cited"),
    ("alone_cited", "alone"),
    ("gold_cited", "gold-q"),
    ("false_refusal", "false-ref"),
    ("refused", "refused"),
    ("alone_refused", "alone"),
    ("status_match", "status"),
    ("agree", "agree"),
    ("unchanged", "unchanged"),
]


def report_text(report: dict) -> str:
    """The report as a table: answered with history, alone and as the gold question."""
    lines = [
        f"{report['conversations']} conversations. cited: the follow-up's evidence cited (answerable); refused: "
        "unanswerable follow-ups refused; alone: the same follow-up without history; gold-q: the gold standalone question; "
        "agree: the resolved question names the gold one's article, places and provisions; "
        "unchanged: topic changes left as asked",
        f"{'kind':<15}{'n':>4}" + "".join(f"{h:>10}" for _, h in COLUMNS),
    ]

    def line(name: str, m: dict) -> str:
        return f"{name:<15}{m['n']:>4}" + "".join(f"{m[k]:>10.3f}" if k in m else f"{'-':>10}" for k, _ in COLUMNS)

    lines.append(line("overall", report["overall"]))
    lines += [line(k, m) for k, m in report["per_kind"].items()]
    ms = report["resolve_ms"]
    lines.append(f"resolution: median {ms['median']} ms, max {ms['max']} ms per follow-up")
    return "\n".join(lines)
