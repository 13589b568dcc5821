"""The embedder on PyTorch (sentence-transformers) beside ONNX Runtime fp32 and int8, in one process.

    python benchmarks/embedder.py --gold ../shared/eval/dev.jsonl [--options] [--json FILE]

Query latency: each dev question embedded alone, the engines taking turns question by question,
so a burst of other work on the machine falls on all of them alike. Batch throughput: the bundled
bulletin's passages in batches of 64 as the index build sends them, taking turns batch by batch.
Concurrent: queries per second with several threads asking at once. Agreement: cosine of each
engine's vectors to PyTorch's. Footprint: a fresh process per backend (import, load, peak RSS, is
torch imported). ``--options`` also compares ONNX Runtime session options (threads, graph
optimisation level, execution mode, spinning) on the fp32 export.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.evaluate import read_gold  # noqa: E402


def _passages(settings: Settings) -> list[str]:
    from rag.chunk import Chunker
    from rag.index import parse_file

    chunker = Chunker(settings.chunk_target_chars, settings.chunk_max_chars)
    return [c.search_text for c in chunker.chunk_issue(parse_file(settings.corpus[0]))]


def _engines(folder: Path, options: bool) -> dict[str, tuple[object, float]]:
    """name -> (embedder, load seconds)."""
    from rag.models.embedder import SentenceTransformerEmbedder, _fingerprint
    from rag.models.onnx_embedder import OnnxEmbedder, session_options
    from rag.models.onnx_export import quantize_int8

    quantize_int8(folder)
    fp = _fingerprint(folder)
    makers = {
        "torch (sentence-transformers)": lambda: SentenceTransformerEmbedder(folder),
        "onnx fp32": lambda: OnnxEmbedder(folder, fp),
        "onnx int8": lambda: OnnxEmbedder(folder, fp, precision="int8"),
    }
    if options:
        variants = {
            "threads=1": dict(threads=1),
            "level=basic": dict(level="basic"),
            "level=extended": dict(level="extended"),
            "execution=parallel": dict(parallel=True),
            "spinning=on": dict(spinning=True),
            "threads=1 spinning=on": dict(threads=1, spinning=True),
        }
        for label, kw in variants.items():
            makers[f"onnx fp32 {label}"] = lambda kw=kw: OnnxEmbedder(folder, fp, options=session_options(**kw))
    out = {}
    for name, make in makers.items():
        t = time.perf_counter()
        embedder = make()
        embedder.encode_queries(["预热"])  # first-run allocations are load, not per-query cost
        out[name] = (embedder, time.perf_counter() - t)
    return out


# One child per backend: what a fresh process pays to import the engine, load the model and embed
# one query, and its peak memory; the child also says whether torch got imported.
_CHILD = """
import json, sys, time
t0 = time.perf_counter()
if sys.argv[1] == "torch":
    import sentence_transformers  # noqa: F401
else:
    import onnxruntime, tokenizers  # noqa: F401
t1 = time.perf_counter()
from rag.config import Settings
from rag.models.embedder import load_embedder
e = load_embedder(Settings.from_env(embedding_backend=sys.argv[1]))
e.encode_queries(["云南的公共数据多久内要完成校核？"])
t2 = time.perf_counter()
# VmHWM, not ru_maxrss: the latter keeps the peak of the parent that forked us.
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "peak_rss_mb": rss, "torch_imported": "torch" in sys.modules}))
"""


def footprint(backend: str) -> dict:
    import subprocess

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _CHILD, backend], cwd=root, capture_output=True, text=True, check=True)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in json.loads(out.stdout.splitlines()[-1]).items()}


def installed_mb(names: list[str]) -> float:
    from importlib import metadata

    return round(sum(f.size or 0 for n in names for f in (metadata.distribution(n).files or [])) / 1e6)


# Installed only for the PyTorch path (and the one-off conversion): nothing else at run time needs them.
TORCH_ONLY = ["torch", "sympy", "mpmath", "networkx", "sentence-transformers", "scikit-learn", "joblib", "threadpoolctl"]


def _concurrent_qps(embedder, questions: list[str], callers: int) -> float:
    """Queries per second with ``callers`` threads asking at once (the app serves 20 searchers so)."""
    from concurrent.futures import ThreadPoolExecutor

    t = time.perf_counter()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(lambda q: embedder.encode_queries([q]), questions))
    return len(questions) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--options", action="store_true", help="also compare ONNX Runtime session options")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the dev questions")
    ap.add_argument("--callers", type=int, default=4, help="threads asking at once in the concurrent phase")
    ap.add_argument("--json", type=Path, help="write the figures to this file too")
    args = ap.parse_args()
    quiet_libraries()
    settings = Settings.from_env()
    from rag.models.e5_convert import ensure_converted

    folder = settings.embedding_model or ensure_converted(settings.cache_dir / "models")
    questions = [g["question"] for g in read_gold(Path(args.gold))]
    passages = _passages(settings)
    engines = _engines(Path(folder), args.options)

    # Every phase takes turns engine by engine, one small piece at a time: load from other work on
    # the machine then falls on all engines alike.
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.rounds):
        for q in questions:
            for name, (embedder, _) in engines.items():
                t = time.perf_counter()
                embedder.encode_queries([q])
                times[name].append(time.perf_counter() - t)
    # Batches as the index build sends them: 64 texts of similar length.
    ordered = sorted(passages, key=len)
    batch_s = dict.fromkeys(engines, 0.0)
    docs: dict[str, list[np.ndarray]] = {name: [] for name in engines}
    for lo in range(0, len(ordered), 64):
        for name, (embedder, _) in engines.items():
            t = time.perf_counter()
            docs[name].append(embedder.encode_documents(ordered[lo : lo + 64]))
            batch_s[name] += time.perf_counter() - t
    qps: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.rounds):
        for name, (embedder, _) in engines.items():
            qps[name].append(_concurrent_qps(embedder, questions, args.callers))

    torch_name = "torch (sentence-transformers)"
    ref_q, ref_d = engines[torch_name][0].encode_queries(questions), np.concatenate(docs[torch_name])
    rows = {}
    for name, (embedder, load_s) in engines.items():
        cos_q = (embedder.encode_queries(questions) * ref_q).sum(axis=1)
        cos_d = (np.concatenate(docs[name]) * ref_d).sum(axis=1)
        ms = sorted(1000 * x for x in times[name])
        rows[name] = {
            "load_s": round(load_s, 2),
            "query_median_ms": round(statistics.median(ms), 1),
            "query_p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "batch_texts_per_s": round(len(passages) / batch_s[name], 1),
            "concurrent_qps": round(statistics.median(qps[name]), 1),
            "cosine_to_torch_min": round(float(min(cos_q.min(), cos_d.min())), 5),
            "cosine_to_torch_mean": round(float(np.concatenate([cos_q, cos_d]).mean()), 5),
        }

    print(
        f"{len(questions)} questions × {args.rounds} rounds one at a time; {len(passages)} passages in batches of 64; "
        f"{args.callers} concurrent callers"
    )
    print(
        f"{'engine':<34}{'load s':>8}{'q p50 ms':>10}{'q p95 ms':>10}{'batch t/s':>11}{'conc q/s':>10}"
        f"{'cos min':>9}{'cos mean':>10}"
    )
    for name, r in rows.items():
        print(
            f"{name:<34}{r['load_s']:>8.2f}{r['query_median_ms']:>10.1f}{r['query_p95_ms']:>10.1f}"
            f"{r['batch_texts_per_s']:>11.1f}{r['concurrent_qps']:>10.1f}{r['cosine_to_torch_min']:>9.5f}{r['cosine_to_torch_mean']:>10.5f}"
        )
    feet = {backend: footprint(backend) for backend in ("torch", "onnx")}
    for backend, f in feet.items():
        print(
            f"fresh process, {backend}: import {f['import_s']:.2f} s, load + first query {f['load_s']:.2f} s, "
            f"peak RSS {f['peak_rss_mb']:.0f} MB, torch imported: {f['torch_imported']}"
        )
    torch_only = installed_mb(TORCH_ONLY)
    ort_mb = installed_mb(["onnxruntime"])
    print(f"installed only for the PyTorch path: {torch_only} MB ({', '.join(TORCH_ONLY)}); onnxruntime: {ort_mb} MB")
    onnx_dir = Path(folder) / "onnx"
    sizes = {
        name: round(sum(f.stat().st_size for f in onnx_dir.glob(name + "*")) / 1e6) for name in ("model.onnx", "model_int8.onnx")
    }
    print("ONNX model files (MB, graph + weights): " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    if args.json:
        from rag.files import atomic_write_text

        figures = {"engines": rows, "onnx_mb": sizes, "fresh_process": feet, "torch_only_install_mb": torch_only}
        atomic_write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
