"""The targets table measured: precision and recall per kind against eval/targets.jsonl, what extraction
adds to a build, and how fast `rag targets --json` answers.

    python benchmarks/targets.py [--runs 5] [--json]

Builds use the stand-in embedder of the tests (tests/conftest.py HashEmbedder), so a build is parsing,
chunking, tokenising, indexing and extracting, without e5: the share extraction takes is then an upper
bound of its share of a real build (e5 embedding adds ≈30 s per bulletin). Each build starts cold (no
parse cache); builds with extraction and with extraction replaced by nothing alternate, and medians are
reported. `rag targets --json` is timed as a user runs it: a new process, the Python start included.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import HashEmbedder  # noqa: E402

import rag.index  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.index import build_index, parse_file  # noqa: E402
from rag.targets import extract_targets  # noqa: E402
from rag.targets.score import read_labels, score  # noqa: E402

LABELS = ROOT / "eval" / "targets.jsonl"
BULLETIN = ROOT / "data" / "bulletin-2023-51.md"


def _build(index_dir: Path, extract) -> tuple[float, float]:
    """(build seconds, seconds inside extraction) of one cold build."""
    shutil.rmtree(index_dir, ignore_errors=True)
    spent = [0.0]

    def timed(issue):
        t0 = time.perf_counter()
        out = extract(issue)
        spent[0] += time.perf_counter() - t0
        return out

    rag.index.extract_targets = timed
    try:
        t0 = time.perf_counter()
        build_index(Settings(index_dir=index_dir, corpus=(BULLETIN,)), HashEmbedder())
        return time.perf_counter() - t0, spent[0]
    finally:
        rag.index.extract_targets = extract_targets


def _cli(index_dir: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "rag", "--index-dir", str(index_dir), "targets", "--json", *extra]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    report = score(read_labels(LABELS), extract_targets(parse_file(BULLETIN)))
    work = Path(tempfile.mkdtemp(prefix="targets-bench-"))
    try:
        with_x, without_x, inside = [], [], []
        for _ in range(args.runs):
            total, spent = _build(work / "index", extract_targets)
            with_x.append(total)
            inside.append(spent)
            without_x.append(_build(work / "index", lambda issue: [])[0])
        _build(work / "index", extract_targets)
        cli = [_cli(work / "index") for _ in range(args.runs)]
        grouped = [_cli(work / "index", "--group") for _ in range(args.runs)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    build, bare, extract = (statistics.median(x) for x in (with_x, without_x, inside))
    timing = {
        "build_s": round(build, 3),
        "build_without_extraction_s": round(bare, 3),
        "extraction_s": round(extract, 4),
        "extraction_share_of_build": round(extract / bare, 4),
        "cli_targets_json_s": {"median": round(statistics.median(cli), 3), "max": round(max(cli), 3)},
        "cli_targets_json_group_s": {"median": round(statistics.median(grouped), 3), "max": round(max(grouped), 3)},
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps({"score": {k: v for k, v in report.items() if k not in ("missed", "wrong")}, **timing}, indent=2))
        return 0
    print(f"{'kind':<12}{'gold':>6}{'rows':>6}{'right':>7}{'precision':>11}{'recall':>8}")
    for kind, m in report["per_kind"].items():
        p = "-" if m["precision"] is None else f"{m['precision']:.3f}"
        r = "-" if m["recall"] is None else f"{m['recall']:.3f}"
        print(f"{kind:<12}{m['gold']:>6}{m['extracted']:>6}{m['right']:>7}{p:>11}{r:>8}")
    print(
        f"cold build of the bundled bulletin (stand-in embedder, median of {args.runs}): {build:.2f} s; "
        f"without extraction {bare:.2f} s; extraction {extract * 1000:.0f} ms = {100 * extract / bare:.1f} % (target ≤ 10 %)"
    )
    c, g = timing["cli_targets_json_s"], timing["cli_targets_json_group_s"]
    print(
        f"rag targets --json: median {c['median']:.2f} s, max {c['max']:.2f} s; "
        f"--group: median {g['median']:.2f} s (target ≤ 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
