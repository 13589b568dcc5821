"""Quality and cost at library scale, in one run: the library of 15 real issues (第51期, 2024年第2期, 2024年第5期 and the
12 issues of ../shared/corpus/library/: 84 real regulations) beside the three-issue library of the quality floors
(第51期, 第2期, 第5期), each in a process of its own.

    python benchmarks/library.py [--work DIR] [--fresh] [--json FILE]

For each library:
- build: every issue but 2024年第5期 indexed from scratch with e5 (ONNX), then 第5期 added as `rag add` adds it
  (its text alone embedded): build and add seconds. With ``--work`` an index built earlier from the same files is
  reused (its times are then those recorded when it was built), unless ``--fresh``.
- peak memory of that process (e5 loaded), and the library's size.
- search: every question of the dev sets searched once to warm up, then once timed (the query's e5 embedding
  included): median and p95.
- quality: retrieval hit@1 / hit@5 (ten passages) and extractive answers (citation recall, false refusals,
  refusal accuracy) of 第51期's dev set, 第2期's dev set and our held-out 第51期 set. Each set's questions were
  written for its own issue, so its 本期 is pinned to that issue (Settings.current_issue); the figures with 本期
  read as the library reads it (the newest issue) are given too.
The big library's figures are printed beside the three-issue library's, with their ratio (big / three).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.quality import shared_folder  # noqa: E402

ADDED = "eval/issue-2024-05/bulletin-2024-05.md"  # the issue each library takes in last (rag add)


def libraries() -> dict[str, list[Path]]:
    shared = shared_folder()
    if shared is None:
        raise SystemExit("the shared corpus (../shared beside the clone) is not on this machine")
    three = [ROOT / "data" / "bulletin-2023-51.md", shared / "corpus" / "bulletin-2024-02.md", ROOT / ADDED]
    library = sorted((shared / "corpus" / "library").glob("bulletin-*.md"))
    return {"three issues": three, "library": [*three[:2], *library, three[2]]}


def question_sets() -> list[tuple[str, Path, str]]:
    """(name, file, the issue its 本期 means)."""
    shared = shared_folder()
    return [
        ("第51期 dev", shared / "eval" / "dev.jsonl", "2023-51"),
        ("第2期 dev", shared / "eval" / "dev-2024-02.jsonl", "2024-2"),
        ("第51期 held-out", ROOT / "eval" / "heldout.jsonl", "2023-51"),
    ]


def _build(files: list[Path], folder: Path, fresh: bool, embedder) -> dict:
    """The library's index in ``folder``: all files but the last built, then the last added; the seconds each took
    (read back from the folder when an index of these files is there already and ``fresh`` is not asked)."""
    from rag.index import build_index
    from rag.library import add_bulletin

    record = folder / "timings.json"
    names = [f.name for f in files]
    if not fresh and record.is_file() and json.loads(record.read_text())["files"] == names:
        return {**json.loads(record.read_text()), "reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    settings = _settings(files[:-1], folder)
    t0 = time.perf_counter()
    index = build_index(settings, embedder)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    add_bulletin(settings, embedder, index, files[-1])
    add_s = time.perf_counter() - t0
    out = {"files": names, "build_s": build_s, "add_s": add_s}
    record.write_text(json.dumps(out))
    return {**out, "reused": False}


def _settings(corpus: list[Path], folder: Path, **changes) -> Settings:
    return Settings(index_dir=folder / "index", corpus=tuple(corpus), library_dir=folder / "added", **changes)


def _quality(index, embedder, settings: Settings) -> dict:
    """Retrieval and extractive answers of each question set, with 本期 as its issue and as the library reads it."""
    from rag.answer.pipeline import Answerer
    from rag.evaluate import evaluate_answers, evaluate_retrieval, read_gold
    from rag.retrieve import Retriever

    out = {}
    for name, path, issue in question_sets():
        gold = read_gold(path)
        for pinned in (True, False):
            s = settings.with_(current_issue=issue if pinned else "")
            retriever = Retriever(index, embedder, s)
            answerer = Answerer(retriever, s)
            r = evaluate_retrieval(gold, lambda q, rt=retriever: rt.search(q, 10))["overall"]
            a = evaluate_answers(gold, answerer.answer)["overall"]
            out[f"{name}{'' if pinned else ' (本期 = newest)'}"] = {
                "hit@1": r["hit@1"],
                "hit@5": r["hit@5"],
                "citation_recall": a.get("citation_recall"),
                "false_refusal": a.get("false_refusal"),
                "refusal_accuracy": a.get("refusal_accuracy"),
            }
    return out


def child(name: str, work: Path, fresh: bool) -> dict:
    quiet_libraries()
    from rag.index import load_index
    from rag.models.embedder import load_embedder
    from rag.retrieve import Retriever

    files = libraries()[name]
    folder = work / name.replace(" ", "-")
    embedder = load_embedder(Settings())
    built = _build(files, folder, fresh, embedder)
    settings = _settings(files[:-1], folder)
    index = load_index(settings)
    retriever = Retriever(index, embedder, settings)
    from rag.evaluate import read_gold

    questions = [row["question"] for _, path, _ in question_sets() for row in read_gold(path)]
    for q in questions:
        retriever.search(q)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        retriever.search(q)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "library": name,
        "issues": len({c.issue_id for c in index.chunks}),
        "articles": len({(c.issue_id, c.article) for c in index.chunks if c.article}),
        "passages": len(index.chunks),
        **built,
        "search_median_ms": statistics.median(times),
        "search_p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "searches": len(times),
        "quality": _quality(index, embedder, settings),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _ratio(big: float | None, small: float | None) -> str:
    return f"{big / small:.2f}×" if big is not None and small else "-"


def report(small: dict, big: dict) -> str:
    lines = [
        "| library | issues | articles | passages | build s | add one issue s | peak RSS MB | search median ms | search p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in (small, big):
        lines.append(
            f"| {r['library']} | {r['issues']} | {r['articles']} | {r['passages']:,} | {r['build_s']:.1f} | {r['add_s']:.1f} "
            f"| {r['peak_mb']:.0f} | {r['search_median_ms']:.1f} | {r['search_p95_ms']:.1f} |"
        )
    keys = ("build_s", "add_s", "peak_mb", "search_median_ms", "search_p95_ms")
    ratio = {k: _ratio(big[k], small[k]) for k in keys}
    lines.append(
        f"| ratio library / three | {big['issues'] / small['issues']:.1f}× | | {big['passages'] / small['passages']:.1f}× "
        f"| {ratio['build_s']} | {ratio['add_s']} | {ratio['peak_mb']} | {ratio['search_median_ms']} | {ratio['search_p95_ms']} |"
    )
    metrics = ("hit@1", "hit@5", "citation_recall", "false_refusal", "refusal_accuracy")
    lines += ["", "| questions | " + " | ".join(f"{m}: three / library" for m in metrics) + " |", "|---" * 6 + "|"]
    for name, figures in big["quality"].items():
        mine = small["quality"][name]
        cells = []
        for m in metrics:
            a, b = mine.get(m), figures.get(m)
            cells.append("-" if a is None else f"{a:.3f} / {b:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, help="keep the indexes here (and reuse them on a later run)")
    ap.add_argument("--fresh", action="store_true", help="build again even when --work holds the indexes")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="rag-library-"))
    if args.child:
        print(json.dumps(child(args.child, work, args.fresh), ensure_ascii=False))
        return 0
    rows = {}
    for name in libraries():
        cmd = [sys.executable, __file__, "--child", name, "--work", str(work)] + (["--fresh"] if args.fresh else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
        r = rows[name]
        print(f"  {name}: {r['issues']} issues, build {r['build_s']:.0f} s{' (reused)' if r['reused'] else ''}", flush=True)
    print()
    print(report(rows["three issues"], rows["library"]))
    print(f"\n{rows['library']['searches']} searches per library. Work folder: {work}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
