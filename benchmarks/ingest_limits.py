"""What hostile or oversized files cost to refuse or read (issue 18): seconds and peak memory per case.

    python benchmarks/ingest_limits.py [--add] [--compare-with ../main] [--out DIR]

Each case runs in its own process: the files are generated here (tests/documents.py), the worker
imports the loader, notes its memory, reads the file with the default limits and reports the
time, the peak RSS and the extra memory over what it held before reading. Targets: a compressed
bomb refused in ≤ 5 s with ≤ 300 MB extra memory; a 200-page text PDF added in ≤ 30 s.

Then it adds the 200-page PDF to an index of the bundled bulletin with a stand-in embedder: the
add's own work (read the file — once to check it, once to index it —, parse, chunk, tokenise,
index, write), its peak memory, and how many new texts e5 would have to embed. --compare-with runs
the same with another checkout's code (e.g. a worktree of the commit before), for a before/after.
--add also times the real `python -m rag add` (e5 embedding every new passage and sentence).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
PY = sys.executable
MB = 1024 * 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: str) -> None:
    """Read one file as the app would; print one JSON line."""
    from rag.load import LoadError, load_document

    before = _peak_mb()
    start = time.perf_counter()
    try:
        doc = load_document(Path(path))
        outcome = f"read: {len(doc.pages)} pages, {len(doc.text):,} characters"
    except LoadError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[-1][:90]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": _peak_mb(), "extra": _peak_mb() - before, "outcome": outcome}))


def _files(out: Path) -> list[tuple[str, Path]]:
    from documents import docx_bomb, docx_with_entries, markdown_to_docx, regulation_pdf

    mini = markdown_to_docx((ROOT / "tests" / "data" / "mini-bulletin.md").read_text(encoding="utf-8"), out / "mini.docx")
    return [
        ("DOCX bomb: document.xml 1.7 GB inflated", docx_bomb(out / "bomb.docx", 1700, like=mini)),
        ("DOCX bomb nested in an embedded zip", docx_bomb(out / "nested.docx", 1700, nested=1, like=mini)),
        ("DOCX bomb nested 3 zips deep", docx_bomb(out / "deep.docx", 1700, nested=3, like=mini)),
        ("DOCX with 5,000 entries", docx_with_entries(out / "entries.docx", 5000, like=mini)),
        ("PDF, 200 text pages", regulation_pdf(out / "regulation-200.pdf", 200)),
        ("PDF, 1,200 pages (over the cap)", regulation_pdf(out / "regulation-1200.pdf", 1200)),
        ("PDF, one 14,400-pt page", regulation_pdf(out / "one-page.pdf", 1, page_size=(14400, 14400))),
    ]


def _run(path: Path) -> dict:
    result = subprocess.run([PY, __file__, "--worker", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    if result.returncode:
        nan = float("nan")
        return {"seconds": nan, "peak": nan, "extra": nan, "outcome": "crashed: " + result.stderr[-200:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def _timed_add(repo: Path, index: Path, files: list[Path], library: Path) -> list[tuple[Path, float, float, str]]:
    """Index the bundled bulletin with ``repo``'s code, then add each file to a copy of it."""
    env = {**os.environ, "RAG_LIBRARY_DIR": str(library)}
    py = repo / ".venv" / "bin" / "python"
    subprocess.run([str(py), "-m", "rag", "--index-dir", str(index), "build"], cwd=repo, env=env, check=True, capture_output=True)
    out = []
    for n, path in enumerate(files, 1):
        copy = index.with_name(f"{index.name}-add{n}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(index, copy)
        shutil.rmtree(library, ignore_errors=True)
        start = time.perf_counter()
        probe = [str(py), "-c", _ADD, str(copy), str(path)]
        result = subprocess.run(probe, cwd=repo, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        lines = (result.stdout or result.stderr).strip().splitlines()
        peak = json.loads(lines[-1])["peak"] if result.returncode == 0 else float("nan")
        said = next((line for line in (result.stdout + result.stderr).splitlines() if line.startswith(("Added", "error"))), "")
        out.append((path, seconds, peak, said))
    return out


# `python -m rag add` in a child that reports its own peak memory afterwards.
_ADD = """
import json, resource, sys
from rag.cli import main
code = main(["--index-dir", sys.argv[1], "add", sys.argv[2], "--number", "7", "--date", "2024-02-02"])
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
sys.exit(code)
"""


# add_bulletin with a stand-in embedder, in a child running ``repo``'s code; prints one JSON line.
_STUB_ADD = """
import hashlib, json, resource, sys, tempfile, time
from pathlib import Path
import numpy as np
from rag.config import Settings
from rag.index import build_index
from rag.library import add_bulletin

class Stub:
    name, dim, fingerprint = "stub", 64, "stub-v1"
    texts = 0
    def encode_documents(self, texts):
        self.texts += len(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest() * 2, dtype=np.uint8).astype(np.float32) for t in texts]
        return np.stack(rows) if rows else np.zeros((0, 64), np.float32)
    encode_queries = encode_documents

root, repo = Path(tempfile.mkdtemp()), Path(sys.argv[1])
settings = Settings(index_dir=root / "index", corpus=(repo / "data" / "bulletin-2023-51.md",), library_dir=root / "library")
stub = Stub()
base = build_index(settings, stub)
stub.texts = 0
wall, cpu = time.perf_counter(), time.process_time()
add_bulletin(settings, stub, base, Path(sys.argv[2]), meta={"number": "7", "date": "2024-02-02"})
print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "texts": stub.texts,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _stub_add(repo: Path, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run([PY, "-c", _STUB_ADD, str(repo), str(path)], cwd=repo, env=env, capture_output=True, text=True)
    if result.returncode:
        return {"seconds": float("nan"), "cpu": float("nan"), "texts": 0, "peak": float("nan"), "error": result.stderr[-300:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--add", action="store_true", help="also time `rag add` of the 200-page PDFs (real embedding)")
    ap.add_argument("--compare-with", help="another checkout (with its own .venv) to time the same adds with")
    ap.add_argument("--extra-pdf", action="append", default=[], help="another PDF to add (with --add)")
    ap.add_argument("--out", help="folder for the generated files (default: a temporary one)")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return
    out = Path(args.out or tempfile.mkdtemp(prefix="ingest-limits-"))
    out.mkdir(parents=True, exist_ok=True)
    files = _files(out)
    print("| case                                     | file KB | seconds | peak RSS MB | extra MB | outcome")
    for name, path in files:
        r = _run(path)
        size = path.stat().st_size / 1024
        print(f"| {name:<40} | {size:>7,.0f} | {r['seconds']:>7.2f} | {r['peak']:>11.0f} | {r['extra']:>8.0f} | {r['outcome']}")
    pdfs = [path for name, path in files if "200 text pages" in name] + [Path(p) for p in args.extra_pdf]
    runs = [("this checkout", ROOT)] + ([("--compare-with", Path(args.compare_with).resolve())] if args.compare_with else [])
    print()
    print("| code           | file                      | add s (no e5) | CPU s | peak RSS MB | new texts for e5")
    for label, repo in runs:
        for path in pdfs:
            r = _stub_add(repo, path)
            cells = f"{r['seconds']:>13.1f} | {r['cpu']:>5.1f} | {r['peak']:>11.0f} | {r['texts']:,}"
            print(f"| {label:<14} | {path.name:<25} | {cells}")
    if args.add:
        print()
        print("| code           | file                      | add s | peak RSS MB | said")
        for label, repo in runs:
            for path, seconds, peak, said in _timed_add(repo, out / f"index-{label.strip('-')}", pdfs, out / "library"):
                print(f"| {label:<14} | {path.name:<25} | {seconds:>5.1f} | {peak:>11.0f} | {said[:110]}")
    print(f"(files in {out})")


if __name__ == "__main__":
    main()
