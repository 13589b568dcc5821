"""Retrieval metrics of the evaluation README, overall and per question type."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from rag.text import NUMBER, compact
from rag.types import Answer, Passage

MAX_COUNTED_CHARS = 1200  # longer passages never count as hits


def jsonl_rows(path: Path, error: type[Exception] = ValueError) -> Iterator[tuple[int, dict]]:
    """(line number, row) of a JSON-lines file, blank lines skipped; a line that is not JSON raises
    ``error`` naming the file and line."""
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                raise error(f"{path} line {n}: not JSON ({exc})") from exc


def read_gold(path: Path) -> list[dict]:
    rows = []
    for n, row in jsonl_rows(path):
        if "question" not in row:
            raise ValueError(f"{path} line {n}: no 'question' field")
        rows.append(row)
    return rows


def found(evidence: str, text: str) -> bool:
    return len(text) <= MAX_COUNTED_CHARS and compact(evidence) in compact(text)


def score_question(row: dict, passages: list[Passage]) -> dict:
    evidence = row.get("evidence") or []
    texts = [p.chunk.text for p in passages]
    first = next((i + 1 for i, t in enumerate(texts[:10]) if any(found(e, t) for e in evidence)), None)
    top5 = texts[:5]
    return {
        "hit@1": float(first == 1),
        "hit@5": float(first is not None and first <= 5),
        "recall@5": sum(any(found(e, t) for t in top5) for e in evidence) / len(evidence) if evidence else 0.0,
        "mrr@10": 1.0 / first if first else 0.0,
    }


def _mean(rows: list[dict], key: str) -> float:
    return round(statistics.fmean(r[key] for r in rows), 3) if rows else 0.0


def _by_type(rows: list[dict]) -> dict[str, list[dict]]:
    by_type = defaultdict(list)
    for r in rows:
        by_type[r["type"]].append(r)
    return dict(sorted(by_type.items()))


def _ms(values: list[float], q: float) -> float:
    return round(1000 * sorted(values)[int(q * (len(values) - 1))], 1) if values else 0.0


def evaluate_retrieval(gold: list[dict], search: Callable[[str], list[Passage]]) -> dict:
    per_q, lengths, latencies = [], [], []
    for row in gold:
        t0 = time.perf_counter()
        passages = search(row["question"])
        latencies.append(time.perf_counter() - t0)
        lengths += [len(p.chunk.text) for p in passages]
        if row.get("answerable", True) and row.get("evidence"):
            per_q.append({"id": row.get("id"), "type": row.get("type", "?"), **score_question(row, passages)})
    keys = ["hit@1", "hit@5", "recall@5", "mrr@10"]
    by_type = _by_type(per_q)
    return {
        "questions": len(gold),
        "scored": len(per_q),
        "overall": {k: _mean(per_q, k) for k in keys},
        "per_type": {t: {"n": len(rs), **{k: _mean(rs, k) for k in keys}} for t, rs in by_type.items()},
        "chunk_chars": {"mean": round(statistics.fmean(lengths), 1) if lengths else 0, "max": max(lengths, default=0)},
        "latency_ms": {
            "median": round(1000 * statistics.median(latencies), 1) if latencies else 0,
            "p95": _ms(latencies, 0.95),
        },
        "misses": [r["id"] for r in per_q if not r["hit@5"]],
    }


_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十百千万亿]+")


def numbers_found(reference: str, answer: str) -> bool:
    """Every number of the reference answer appears in the answer (spacing and width ignored); a
    reference written only in Chinese numerals (万卡) is matched on those."""
    ref, ans = compact(reference), compact(answer)
    pattern = NUMBER if NUMBER.search(ref) else _CN_NUMBER
    wanted = pattern.findall(ref)
    have = set(pattern.findall(ans))
    return bool(wanted) and all(n in have for n in wanted)


def score_answer(row: dict, answer: Answer) -> dict:
    out = {
        "id": row.get("id"),
        "type": row.get("type", "?"),
        "answerable": row.get("answerable", True),
        "status": answer.status,
    }
    if not out["answerable"]:
        out |= {"kind": row.get("kind", "unanswerable"), "refusal_accuracy": float(answer.refused)}
        if row.get("expected_status"):
            out["status_match"] = float(answer.status == row["expected_status"])
        return out
    evidence = row.get("evidence") or []
    cited = [p.chunk.text for p in answer.citations]
    out |= {
        "false_refusal": float(answer.refused),
        "citation_recall": float(any(found(e, t) for e in evidence for t in cited)),
    }
    if row.get("type") == "numeric":
        out["numeric_correct"] = float(numbers_found(row.get("answer", ""), answer.text))
    if row.get("type") == "yesno" and not answer.refused:
        out["verdict_correct"] = float(_verdict(row.get("answer", "")) == answer.verdict)
    return out


def _verdict(reference: str) -> str | None:
    """The verdict a yes/no reference answer opens with (是… / 否… / Yes… / No…)."""
    ref = reference.strip().lower()
    if ref.startswith(("是", "有", "yes", "可以")):
        return "yes"
    if ref.startswith(("否", "不", "没有", "no")):
        return "no"
    return None


KEYS = ["citation_recall", "false_refusal", "numeric_correct", "verdict_correct", "refusal_accuracy", "status_match"]


def summary(rows: list[dict]) -> dict:
    out: dict = {"n": len(rows)}
    for k in KEYS:
        vals = [r[k] for r in rows if k in r]
        if vals:
            out[k] = round(statistics.fmean(vals), 3)
    return out


def evaluate_answers(gold: list[dict], ask: Callable[[str], Answer]) -> dict:
    """Answer metrics of the evaluation README, overall, per type and per unanswerable kind: refusal accuracy
    and status (not_stated / not_found) on unanswerable questions, false refusals and citation recall on
    answerable ones, numbers in numeric answers, verdicts of yes/no answers."""
    rows, totals, firsts = [], [], []
    lowest: dict[str, float] = {}
    written_by: dict[str, int] = {}
    for g in gold:
        answer = ask(g["question"])
        rows.append(score_answer(g, answer))
        if not answer.refused:
            written_by[answer.mode] = written_by.get(answer.mode, 0) + 1
        totals.append(answer.timings.get("total", 0.0))
        if "first_token" in answer.timings:
            firsts.append(answer.timings["first_token"])
        if g.get("answerable", True) and answer.relevance is not None:
            lang = g.get("lang", "zh")
            lowest[lang] = round(float(min(lowest.get(lang, answer.relevance), answer.relevance)), 4)
    unanswerable = [r for r in rows if not r["answerable"]]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in unanswerable:
        by_kind[r["kind"]].append(r)
    return {
        "questions": len(gold),
        "overall": summary(rows),
        "per_type": {t: summary(rs) for t, rs in _by_type(rows).items()},
        "per_kind": {k: summary(rs) for k, rs in sorted(by_kind.items())},
        # How each group was answered: answered / not_stated / not_found.
        "status": {
            "answerable": dict(Counter(r["status"] for r in rows if r["answerable"])),
            "unanswerable": dict(Counter(r["status"] for r in unanswerable)),
        },
        "latency_ms": {"median": _ms(totals, 0.5), "p95": _ms(totals, 0.95)},
        "first_token_ms": {"median": _ms(firsts, 0.5), "p95": _ms(firsts, 0.95)} if firsts else None,
        # The refusal threshold should sit just under these (Settings.refusal_threshold_*).
        "lowest_answerable_relevance": lowest,
        # Who wrote the answers given: in an LLM mode, "extractive" counts the answers quoted instead.
        "written_by": written_by,
        "answers": rows,
    }


def evaluate_lists(gold: list[dict], ask: Callable[[str], Answer]) -> dict:
    """List questions (eval/lists.jsonl: question, documents — the titles whose text answers it): precision and
    recall of the documents an answer names (its coverage's matched documents), and whether it was answered over
    the catalogue at all (a coverage)."""
    rows, times = [], []
    for g in gold:
        t0 = time.perf_counter()
        answer = ask(g["question"])
        times.append(time.perf_counter() - t0)
        want = set(g.get("documents", []))
        named = {c.title for c in answer.coverage.matched} if answer.coverage else set()
        right = len(named & want)
        rows.append(
            {
                "id": g.get("id"),
                "question": g["question"],
                "listed": answer.coverage is not None,
                "checked": len(answer.coverage.checked) if answer.coverage else 0,
                # nothing named and nothing wanted: exact; nothing named, something wanted: recall 0
                "precision": right / len(named) if named else float(not want),
                "recall": right / len(want) if want else float(not named),
                "exact": named == want,
                "missed": sorted(want - named),
                "wrong": sorted(named - want),
            }
        )
    overall = {k: _mean(rows, k) for k in ("precision", "recall", "exact", "listed")} if rows else {}
    return {"questions": len(gold), "overall": overall, "latency_ms": {"median": _ms(times, 0.5), "p95": _ms(times, 0.95)},
            "answers": rows}  # fmt: skip
