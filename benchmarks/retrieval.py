"""Retrieval quality and speed, ours beside three baselines, on the same questions in one run.

    python benchmarks/retrieval.py --gold ../shared/eval/dev.jsonl [--rounds 3] [--json FILE]

Baselines, all over the bundled bulletin's source text and the same model (multilingual-e5-small).
By default each peer embeds as its recipe does, through sentence-transformers on PyTorch (what
LangChain's HuggingFaceEmbeddings and Chatchat run); ``--peers-embedder ours`` gives them our ONNX
Runtime embedder instead, so that only the pipelines differ:
- LangChain's default recipe: RecursiveCharacterTextSplitter 1000/200 + FAISS.
- Langchain-Chatchat's recipe: its ChineseRecursiveTextSplitter at Chatchat's defaults (750/150),
  FAISS and BM25 (rank_bm25's BM25Okapi over jieba.lcut_for_search, as LangChain's BM25Retriever
  does) fused by LangChain's EnsembleRetriever formula (weights 0.5/0.5, reciprocal rank, c = 60).
- BM25 over paragraphs (our tokenizer).

Cold build (model load included), peak memory and quality: each pipeline in a fresh process of
its own, one after the other; ``--rounds`` repeats the set, taking turns, and the figures are the
medians. Search latency: afterwards, in one process, all pipelines over one embedder object,
taking turns question by question (warm, query embedding included), so that other work on the
machine weighs on all of them alike; CPU time per search is printed beside the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.evaluate import evaluate_retrieval, read_gold  # noqa: E402
from rag.types import Chunk, Passage  # noqa: E402

TOP = 10  # every pipeline returns ten passages: hit@5 and MRR@10 are read from the same depth
PEERS_WITH_A_MODEL = ("langchain", "chatchat")


def _embedder(name: str, settings: Settings, peers: str):
    """The embedder a pipeline runs: ours loads what every entry point loads (ONNX Runtime); a peer loads
    the same folder through sentence-transformers (its recipe's stack) unless told to use ours."""
    from dataclasses import replace

    from rag.models.embedder import load_embedder

    if name in PEERS_WITH_A_MODEL and peers == "native":
        settings = replace(settings, embedding_backend="torch")
    return load_embedder(settings)


def _passages(texts: list[str], rows, scores) -> list[Passage]:
    out = []
    for rank, (row, score) in enumerate(zip(rows, scores, strict=True), 1):
        chunk = Chunk("", texts[row], "", "", "", "", "", "", "", "", "", [(0, 0)])
        out.append(Passage(chunk, float(score), rank))
    return out


def ours(settings: Settings, source: str, embedder):
    from rag.index import build_index
    from rag.retrieve import Retriever

    index = build_index(settings, embedder)
    retriever = Retriever(index, embedder, settings)
    return [c.text for c in index.chunks], lambda q: retriever.search(q, TOP)


def langchain_recipe(settings: Settings, source: str, embedder):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from rag.store.faiss_index import FaissStore

    texts = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_text(source)
    store = FaissStore.build(embedder.encode_documents(texts))

    def search(q: str):
        rows, scores = store.search(embedder.encode_queries([q])[0], TOP)
        return _passages(texts, rows, scores)

    return texts, search


def chinese_recursive_splitter(chunk_size: int, chunk_overlap: int):
    """Chatchat's ChineseRecursiveTextSplitter: LangChain's recursive splitter over Chinese sentence
    and clause marks (regexes), each mark kept at the end of its piece, chunks stripped and blank
    lines collapsed."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=["\n\n", "\n", "。|！|？", r"\.\s|\!\s|\?\s", r"；|;\s", r"，|,\s"],
        keep_separator="end",
        is_separator_regex=True,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
    )

    def split(text: str) -> list[str]:
        return [re.sub(r"\n{2,}", "\n", c.strip()) for c in splitter.split_text(text) if c.strip()]

    return split


def chatchat_recipe(settings: Settings, source: str, embedder):
    import jieba
    from rank_bm25 import BM25Okapi

    from rag.fusion import rrf
    from rag.store.faiss_index import FaissStore

    jieba.setLogLevel(60)
    texts = chinese_recursive_splitter(750, 150)(source)
    store = FaissStore.build(embedder.encode_documents(texts))
    bm25 = BM25Okapi([jieba.lcut_for_search(t) for t in texts])

    def search(q: str):
        dense_rows, _ = store.search(embedder.encode_queries([q])[0], TOP)
        lexical = bm25.get_scores(jieba.lcut_for_search(q))
        lexical_rows = np.argsort(-lexical, kind="stable")[:TOP]
        fused = rrf([(0.5, lexical_rows), (0.5, dense_rows)])  # EnsembleRetriever: BM25 first, then FAISS
        best = sorted(fused, key=lambda row: -fused[row])[:TOP]
        return _passages(texts, best, [fused[r] for r in best])

    return texts, search


def bm25_paragraphs(settings: Settings, source: str, embedder):
    from rag.store.bm25_index import BM25Store
    from rag.tokenize import tokenize

    texts = [p.strip() for p in source.split("\n") if p.strip()]
    store = BM25Store.build(texts, tokenize)

    def search(q: str):
        s, _ = store.scores(q)
        rows = np.argsort(-s)[:TOP]
        return _passages(texts, rows, s[rows])

    return texts, search


PIPELINES = {
    "ours": ("ours (structure chunks, hybrid)", ours, True),
    "langchain": ("LangChain 1000/200 + FAISS", langchain_recipe, True),
    "chatchat": ("Chatchat 750/150, BM25+FAISS", chatchat_recipe, True),
    "bm25": ("BM25 over paragraphs", bm25_paragraphs, False),
}


class _Counted:
    """The embedder as it is, counting the passages it embeds (what a build pays for)."""

    def __init__(self, embedder) -> None:
        self.inner, self.documents = embedder, 0
        self.name, self.fingerprint, self.dim = embedder.name, embedder.fingerprint, embedder.dim
        self.encode_queries = embedder.encode_queries

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        self.documents += len(texts)
        return self.inner.encode_documents(texts)


def run_worker(name: str, gold_path: Path, out: Path, index_dir: Path, peers: str) -> None:
    """One pipeline in this (fresh) process: load the model, build, search every dev question."""
    from rag.files import atomic_write_text

    quiet_libraries()
    gold = read_gold(gold_path)
    _, build, needs_model = PIPELINES[name]
    settings = Settings.from_env(index_dir=index_dir)
    source = Path(settings.corpus[0]).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    embedder = None
    if needs_model:
        embedder = _Counted(_embedder(name, settings, peers))
    t1 = time.perf_counter()
    texts, search = build(settings, source, embedder)
    t2 = time.perf_counter()
    search("预热")  # first-call costs (jieba dictionary) are not per-question latency
    r = evaluate_retrieval(gold, search)
    figures = {
        "name": name,
        "embedder": type(embedder.inner).__name__ if embedder else None,
        "embedded": embedder.documents if embedder else 0,
        "load_s": t1 - t0,
        "build_s": t2 - t1,
        "cold_s": t2 - t0,
        "chunks": len(texts),
        "peak_rss_mb": _peak_rss_mb(),
        "retrieval": r,
    }
    atomic_write_text(out, json.dumps(figures, ensure_ascii=False))


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: the latter keeps the peak of the
    parent that forked us."""
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def _warm_page_cache(settings: Settings) -> None:
    """Read the model files once, so the first pipeline does not pay the disk for the others."""
    from rag.models.e5_convert import ensure_converted

    folder = settings.embedding_model or ensure_converted(settings.cache_dir / "models")
    for path in Path(folder).rglob("*"):
        if path.is_file():
            with path.open("rb") as f:
                while f.read(1 << 24):
                    pass


def shared_latency(names: list[str], gold: list[dict], rounds: int, ours_index: Path | None, peers: str) -> dict[str, dict]:
    """Search latency of every pipeline in this one process, the pipelines taking turns question by
    question: wall and CPU milliseconds per search. Pipelines with the same stack share one embedder."""
    settings = Settings.from_env(index_dir=ours_index)
    embedder = _embedder("ours", settings, peers)
    native = _embedder("langchain", settings, peers) if peers == "native" else embedder
    source = Path(settings.corpus[0]).read_text(encoding="utf-8")
    searchers = {}
    for name in names:
        if name == "ours" and ours_index is not None:
            from rag.index import load_index
            from rag.retrieve import Retriever

            retriever = Retriever(load_index(settings, embedder), embedder, settings)
            searchers[name] = lambda q, r=retriever: r.search(q, TOP)
        else:
            own = native if name in PEERS_WITH_A_MODEL else embedder
            searchers[name] = PIPELINES[name][1](settings, source, own)[1]
        searchers[name]("预热")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(rounds):
        for row in gold:
            for name, search in searchers.items():
                t, c = time.perf_counter(), time.process_time()
                search(row["question"])
                cpu[name].append(time.process_time() - c)
                wall[name].append(time.perf_counter() - t)
    out = {}
    for name in names:
        ms = sorted(1000 * x for x in wall[name])
        out[name] = {
            "median": round(statistics.median(ms), 1),
            "p95": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "cpu_median": round(1000 * statistics.median(cpu[name]), 1),
            "searches": len(ms),
        }
    return out


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def summarise(runs: dict[str, list[dict]], latency: dict[str, dict]) -> dict:
    out = {}
    for name, rs in runs.items():
        first = rs[0]["retrieval"]
        out[name] = {
            "label": PIPELINES[name][0],
            "rounds": len(rs),
            "embedder": rs[0]["embedder"],
            "chunks": rs[0]["chunks"],
            "embedded": rs[0]["embedded"],
            "overall": first["overall"],
            "chunk_chars": first["chunk_chars"],
            "per_type": first["per_type"],
            "search_median_ms": latency[name]["median"],
            "search_p95_ms": latency[name]["p95"],
            "search_cpu_median_ms": latency[name]["cpu_median"],
            "searches_timed": latency[name]["searches"],
            # The same questions timed in the pipeline's own process, one pipeline at a time.
            "own_process_median_ms": statistics.median(r["retrieval"]["latency_ms"]["median"] for r in rs),
            "load_s": round(_median(rs, "load_s"), 2),
            "build_s": round(_median(rs, "build_s"), 2),
            "cold_s": round(_median(rs, "cold_s"), 2),
            "peak_rss_mb": round(_median(rs, "peak_rss_mb")),
        }
    ratios = {}
    for peer in ("langchain", "chatchat"):
        if peer in out and "ours" in out:
            o, p = out["ours"], out[peer]
            ratios[peer] = {
                "search_median": round(o["search_median_ms"] / p["search_median_ms"], 2),
                "search_p95": round(o["search_p95_ms"] / p["search_p95_ms"], 2),
                "search_cpu": round(o["search_cpu_median_ms"] / p["search_cpu_median_ms"], 2),
                "cold_build": round(o["cold_s"] / p["cold_s"], 2),
                "peak_rss": round(o["peak_rss_mb"] / p["peak_rss_mb"], 2),
            }
    return {"pipelines": out, "ratios_ours_over_peer": ratios}


def report(summary: dict, questions: int) -> None:
    rows = summary["pipelines"]
    first = next(iter(rows.values()))
    print(
        f"{questions} questions; build, memory and quality: {first['rounds']} round(s), each pipeline in a fresh "
        f"process (medians); search: {first['searches_timed']} searches each, one process, taking turns"
    )
    print(
        f"{'retriever':<34}{'hit@1':>7}{'hit@5':>7}{'rec@5':>7}{'MRR':>7}{'chunks':>8}{'embedded':>9}{'mean ch':>9}{'max ch':>8}"
        f"{'load s':>8}{'build s':>9}{'p50 ms':>8}{'p95 ms':>8}{'cpu ms':>8}{'peak MB':>9}"
    )
    for r in rows.values():
        o, c = r["overall"], r["chunk_chars"]
        print(
            f"{r['label']:<34}{o['hit@1']:>7.3f}{o['hit@5']:>7.3f}{o['recall@5']:>7.3f}{o['mrr@10']:>7.3f}"
            f"{r['chunks']:>8}{r['embedded']:>9}{c['mean']:>9.0f}{c['max']:>8}{r['load_s']:>8.1f}{r['build_s']:>9.1f}"
            f"{r['search_median_ms']:>8.1f}{r['search_p95_ms']:>8.1f}{r['search_cpu_median_ms']:>8.1f}{r['peak_rss_mb']:>9}"
        )
    print("embedders: " + ", ".join(f"{name} {r['embedder']}" for name, r in rows.items() if r["embedder"]))
    ratios = summary["ratios_ours_over_peer"]
    if ratios:
        print(f"\n{'ours / peer':<34}{'search p50':>11}{'p95':>7}{'cpu':>7}{'cold build':>12}{'peak RSS':>10}")
        for peer, x in ratios.items():
            print(
                f"{rows[peer]['label']:<34}{x['search_median']:>10.2f}×{x['search_p95']:>6.2f}×{x['search_cpu']:>6.2f}×"
                f"{x['cold_build']:>11.2f}×{x['peak_rss']:>9.2f}×"
            )
        lc, cc = ratios.get("langchain"), ratios.get("chatchat")
        if lc and cc:
            print(
                f"targets: search p50 ≤ 0.6× LangChain ({lc['search_median']:.2f}×), p95 ≤ 0.8× ({lc['search_p95']:.2f}×), "
                f"cold build ≤ 1.3× Chatchat ({cc['cold_build']:.2f}×)"
            )
    if "ours" in rows:
        o = rows["ours"]
        print(f"cold build of the bundled bulletin incl. model load: {o['cold_s']:.1f} s (target ≤ 60 s); {o['embedder']}")
        print("per type (ours): " + ", ".join(f"{t} {m['hit@1']:.2f}/{m['hit@5']:.2f}" for t, m in o["per_type"].items()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--rounds", type=int, default=1, help="run every pipeline this many times, taking turns")
    ap.add_argument("--only", default=",".join(PIPELINES), help="comma-separated: " + ",".join(PIPELINES))
    ap.add_argument("--json", type=Path, help="write the same figures to this file")
    ap.add_argument(
        "--peers-embedder",
        choices=("native", "ours"),
        default="native",
        help="peers embed through sentence-transformers/PyTorch as their recipes do (native), or with ours",
    )
    ap.add_argument("--worker", choices=list(PIPELINES), help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    gold = Path(args.gold).resolve()
    if args.worker:
        run_worker(args.worker, gold, args.out, args.index_dir, args.peers_embedder)
        return
    quiet_libraries()
    names = [n for n in args.only.split(",") if n]
    _warm_page_cache(Settings.from_env())
    runs: dict[str, list[dict]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for name in names:
                out, index_dir = Path(tmp) / f"{name}-{round_}.json", Path(tmp) / f"index-{name}-{round_}"
                cmd = [sys.executable, __file__, "--gold", str(gold), "--worker", name, "--out", str(out)]
                cmd += ["--peers-embedder", args.peers_embedder]
                subprocess.run([*cmd, "--index-dir", str(index_dir)], check=True)
                runs[name].append(json.loads(out.read_text(encoding="utf-8")))
        ours_index = Path(tmp) / f"index-ours-{args.rounds - 1}" if "ours" in names else None
        latency = shared_latency(names, read_gold(gold), args.rounds, ours_index, args.peers_embedder)
    summary = summarise(runs, latency)
    summary["peers_embedder"] = args.peers_embedder
    report(summary, runs[names[0]][0]["retrieval"]["questions"])
    if args.json:
        from rag.files import atomic_write_text

        atomic_write_text(args.json, json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
