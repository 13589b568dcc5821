"""The embedder on PyTorch (sentence-transformers) beside ONNX Runtime fp32 and int8, in one process.

    python benchmarks/embedder.py --gold ../shared/eval/dev.jsonl [--options] [--json FILE]

Query latency: each dev question embedded alone, the engines taking turns question by question,
so a burst of other work on the machine falls on all of them alike. Batch throughput: the bundled
bulletin's passages, as the index build embeds them. Agreement: cosine of each engine's vectors to
PyTorch's. ``--options`` also compares ONNX Runtime session options (threads, graph optimisation
level, execution mode, spinning) on the fp32 export.
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
            "spinning=off": dict(spinning=False),
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
import json, resource, sys, time
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
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--options", action="store_true", help="also compare ONNX Runtime session options")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the dev questions")
    ap.add_argument("--json", type=Path, help="write the figures to this file too")
    args = ap.parse_args()
    quiet_libraries()
    settings = Settings.from_env()
    from rag.models.e5_convert import ensure_converted

    folder = settings.embedding_model or ensure_converted(settings.cache_dir / "models")
    questions = [g["question"] for g in read_gold(Path(args.gold))]
    passages = _passages(settings)
    engines = _engines(Path(folder), args.options)

    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.rounds):
        for q in questions:
            for name, (embedder, _) in engines.items():
                t = time.perf_counter()
                embedder.encode_queries([q])
                times[name].append(time.perf_counter() - t)

    ref_q = engines["torch (sentence-transformers)"][0].encode_queries(questions)
    rows = {}
    for name, (embedder, load_s) in engines.items():
        t = time.perf_counter()
        docs = embedder.encode_documents(passages)
        batch_s = time.perf_counter() - t
        if name.startswith("torch"):
            ref_d = docs
        cos_q = (embedder.encode_queries(questions) * ref_q).sum(axis=1)
        cos_d = (docs * ref_d).sum(axis=1)
        ms = sorted(1000 * x for x in times[name])
        rows[name] = {
            "load_s": round(load_s, 2),
            "query_median_ms": round(statistics.median(ms), 1),
            "query_p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "batch_texts_per_s": round(len(passages) / batch_s, 1),
            "cosine_to_torch_min": round(float(min(cos_q.min(), cos_d.min())), 5),
            "cosine_to_torch_mean": round(float(np.concatenate([cos_q, cos_d]).mean()), 5),
        }

    print(f"{len(questions)} questions × {args.rounds} rounds one at a time; {len(passages)} passages in batches of 16")
    print(f"{'engine':<34}{'load s':>8}{'q p50 ms':>10}{'q p95 ms':>10}{'batch t/s':>11}{'cos min':>9}{'cos mean':>10}")
    for name, r in rows.items():
        print(
            f"{name:<34}{r['load_s']:>8.2f}{r['query_median_ms']:>10.1f}{r['query_p95_ms']:>10.1f}"
            f"{r['batch_texts_per_s']:>11.1f}{r['cosine_to_torch_min']:>9.5f}{r['cosine_to_torch_mean']:>10.5f}"
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
    sizes = {p.name: round(p.stat().st_size / 1e6) for p in (Path(folder) / "onnx").glob("*.onnx")}
    print("ONNX files (MB): " + ", ".join(f"{k} {v}" for k, v in sorted(sizes.items())))
    if args.json:
        from rag.store.atomic import atomic_write_text

        figures = {"engines": rows, "onnx_mb": sizes, "fresh_process": feet, "torch_only_install_mb": torch_only}
        atomic_write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
