"""Answer quality and time per answer, extractive beside the local LLM, on the same questions in one run.

    python benchmarks/answers.py --gold ../shared/eval/dev.jsonl [--modes none,local]

Reports, per mode: citation recall, false refusals, numeric answers correct, refusal accuracy on
unanswerable questions, median / p95 seconds per answer and, for the LLM, seconds to the first words.
Targets (issue 3): LLM median ≤ 8 s with first words within 3 s, on two cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.evaluate import evaluate_answers, read_gold  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--modes", default="none,local", help="comma-separated: none, local, openai")
    args = ap.parse_args()
    quiet_libraries()
    from rag.service import Service, mode_of

    gold = read_gold(Path(args.gold))
    service = Service(Settings.from_env())
    service.open()
    rows = []
    for mode in args.modes.split(","):
        report = evaluate_answers(gold, lambda q, mode=mode: service.answer(q, mode=mode_of(mode)))
        rows.append((mode, report))
        print(f"{mode}: done", file=sys.stderr)

    keys = [
        ("citation_recall", "cite-rec"),
        ("false_refusal", "false-ref"),
        ("numeric_correct", "numeric"),
        ("refusal_accuracy", "refusal"),
    ]
    print(f"{len(gold)} questions ({sum(not g.get('answerable', True) for g in gold)} unanswerable)")
    print(f"{'mode':<12}" + "".join(f"{h:>10}" for _, h in keys) + f"{'median s':>10}{'p95 s':>8}{'first s':>9}")
    for mode, r in rows:
        o, lat, first = r["overall"], r["latency_ms"], r["first_token_ms"]
        print(
            f"{mode:<12}"
            + "".join(f"{o.get(k, float('nan')):>10.3f}" for k, _ in keys)
            + f"{lat['median'] / 1000:>10.2f}{lat['p95'] / 1000:>8.2f}"
            + (f"{first['median'] / 1000:>9.2f}" if first else f"{'-':>9}")
        )
    if len(rows) > 1 and rows[0][1]["latency_ms"]["median"]:
        base = rows[0][1]["latency_ms"]["median"]
        for mode, r in rows[1:]:
            print(f"{mode} takes {r['latency_ms']['median'] / base:.1f}× the time of {rows[0][0]} per answer (median)")
    for mode, r in rows:
        misses = [a["id"] for a in r["answers"] if a.get("citation_recall") == 0.0]
        print(f"{mode}: cited passages without evidence: {', '.join(misses) or 'none'}")
        print(f"{mode}: answers written by " + ", ".join(f"{k} {v}" for k, v in r["written_by"].items()))
    print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
