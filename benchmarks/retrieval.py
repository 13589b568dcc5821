"""Retrieval quality and speed, ours beside two baselines, on the same questions in one run.

    python benchmarks/retrieval.py --gold ../shared/eval/dev.jsonl

Baselines: LangChain's default recipe (RecursiveCharacterTextSplitter 1000/200 +
FAISS + the same embedding model) and BM25 over paragraphs (same tokenizer).
"""

from __future__ import annotations

import argparse
import os
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
from rag.store.bm25_index import BM25Store  # noqa: E402
from rag.store.faiss_index import FaissStore  # noqa: E402
from rag.tokenize import tokenize  # noqa: E402
from rag.types import Chunk, Passage  # noqa: E402


def _passages(texts: list[str], rows, scores) -> list[Passage]:
    out = []
    for rank, (row, score) in enumerate(zip(rows, scores, strict=True), 1):
        chunk = Chunk("", texts[row], "", "", "", "", "", "", "", "", "", [(0, 0)])
        out.append(Passage(chunk, float(score), rank))
    return out


def langchain_recipe(source: str, embedder):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    texts = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_text(source)
    store = FaissStore.build(embedder.encode_documents(texts))

    def search(q: str):
        rows, scores = store.search(embedder.encode_queries([q])[0], 10)
        return _passages(texts, rows, scores)

    return texts, search


def bm25_paragraphs(source: str):
    texts = [p.strip() for p in source.split("\n") if p.strip()]
    store = BM25Store.build(texts, tokenize)

    def search(q: str):
        s, _ = store.scores(q)
        rows = np.argsort(-s)[:10]
        return _passages(texts, rows, s[rows])

    return texts, search


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    args = ap.parse_args()
    quiet_libraries()
    gold = read_gold(Path(args.gold))

    from rag.index import build_index
    from rag.models.embedder import load_embedder
    from rag.retrieve import Retriever

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(index_dir=Path(tmp) / "index")
        t0 = time.perf_counter()
        embedder = load_embedder(settings)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        index = build_index(settings, embedder)
        build_s = time.perf_counter() - t1
        ours = Retriever(index, embedder, settings)
        source = Path(settings.corpus[0]).read_text(encoding="utf-8")

        rows = []
        t = time.perf_counter()
        lc_texts, lc_search = langchain_recipe(source, embedder)
        lc_build = time.perf_counter() - t
        t = time.perf_counter()
        bm_texts, bm_search = bm25_paragraphs(source)
        bm_build = time.perf_counter() - t
        for name, search, build in (
            ("ours (structure chunks, hybrid)", lambda q: ours.search(q, 10), build_s),
            ("LangChain 1000/200 + FAISS", lc_search, lc_build),
            ("BM25 over paragraphs", bm_search, bm_build),
        ):
            search("预热")  # first-call costs (jieba dictionary) are not per-question latency
            r = evaluate_retrieval(gold, search)
            rows.append((name, r, build))

    print(f"{len(gold)} questions, {rows[0][1]['scored']} answerable; model load {load_s:.1f} s")
    print(
        f"{'retriever':<34}{'hit@1':>7}{'hit@5':>7}{'rec@5':>7}{'MRR':>7}"
        f"{'mean ch':>9}{'max ch':>8}{'build s':>9}{'p50 ms':>8}{'p95 ms':>8}"
    )
    for name, r, build in rows:
        o, c, lat = r["overall"], r["chunk_chars"], r["latency_ms"]
        print(
            f"{name:<34}{o['hit@1']:>7.3f}{o['hit@5']:>7.3f}{o['recall@5']:>7.3f}{o['mrr@10']:>7.3f}"
            f"{c['mean']:>9.0f}{c['max']:>8}{build:>9.1f}{lat['median']:>8.1f}{lat['p95']:>8.1f}"
        )
    print(f"cold build of the bundled bulletin incl. model load: {load_s + build_s:.1f} s (target ≤ 60 s)")
    print("per type (ours): " + ", ".join(f"{t} {m['hit@1']:.2f}/{m['hit@5']:.2f}" for t, m in rows[0][1]["per_type"].items()))


if __name__ == "__main__":
    main()
