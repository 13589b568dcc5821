"""Retrieval metrics of the evaluation README, overall and per question type."""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rag.text import compact
from rag.types import Passage

MAX_COUNTED_CHARS = 1200  # longer passages never count as hits


def read_gold(path: Path) -> list[dict]:
    rows = []
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path} line {n}: not JSON ({exc})") from exc
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
    by_type = defaultdict(list)
    for r in per_q:
        by_type[r["type"]].append(r)
    return {
        "questions": len(gold),
        "scored": len(per_q),
        "overall": {k: _mean(per_q, k) for k in keys},
        "per_type": {t: {"n": len(rs), **{k: _mean(rs, k) for k in keys}} for t, rs in sorted(by_type.items())},
        "chunk_chars": {"mean": round(statistics.fmean(lengths), 1) if lengths else 0, "max": max(lengths, default=0)},
        "latency_ms": {
            "median": round(1000 * statistics.median(latencies), 1) if latencies else 0,
            "p95": round(1000 * sorted(latencies)[int(0.95 * (len(latencies) - 1))], 1) if latencies else 0,
        },
        "misses": [r["id"] for r in per_q if not r["hit@5"]],
    }
