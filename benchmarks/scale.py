"""How the library scales: 1, 10, 100 and 500 bulletins side by side in one run.

    python benchmarks/scale.py [--sizes 1,10,100,500] [--gold ../shared/eval/dev.jsonl]

Bulletins past the first are synthetic, made from the bundled issue: their own masthead (date,
number), every article title made their own, every Arabic number altered, provinces swapped (so
sources and regions differ), and the sentences of each paragraph after its first shuffled.
Structure, length and vocabulary stay real; no passage is shared, so nothing merges as a reprint.

Embedding 500 bulletins with e5 on two cores would take about five hours, so each library is built
with a stand-in embedder (a hash-seeded random 384-dimension vector per text: the same index sizes and
search cost as e5). Adding one bulletin is then timed twice and reported as a sum: the index work at
that library size (parse, reprint merge, vector reuse, BM25, FAISS, sentence vectors, atomic write),
measured with the stand-in, plus the e5 embedding of that bulletin's new text, measured for real in
the same run. Queries are real: the dev questions embedded by e5 and searched over each library; list questions
(哪些文件…) are answered over every document of each library (the first answer reads the library's documents
once; the median is of the answers after it).
Each size runs in its own process, so peak memory is that library's (with the e5 model loaded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
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

import numpy as np  # noqa: E402

from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.places import PROVINCES  # noqa: E402

MASTHEAD = "2023年12月22日 第51期 总第162期"
FALLBACK_QUESTIONS = ["到2026年要打造多少个典型应用场景？", "云南的公共数据多久内要完成校核？", "第二十二条", "人形机器人"]


class StandIn:
    """A text's vector from its hash: as many dimensions as e5, none of its meaning."""

    name, fingerprint, dim = "stand-in", "stand-in-384", 384

    def encode_documents(self, texts):
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out

    encode_queries = encode_documents


def synthetic(md: str, i: int) -> str:
    """Bulletin number ``i`` made from the bundled one."""
    rng = random.Random(i)
    day = dt.date(2014, 1, 3) + dt.timedelta(days=7 * i)
    number = (day.timetuple().tm_yday - 1) // 7 + 1
    text = md.replace(MASTHEAD, "\0MASTHEAD\0")
    provinces = list(PROVINCES)
    swap = dict(zip(["重庆", "北京", "河南", "安徽", "云南"], rng.sample(provinces, 5), strict=True))
    text = re.sub("|".join(swap), lambda m: swap[m.group(0)], text)
    memo: dict[str, str] = {}  # the same number the same way everywhere, so titles still match the contents

    def alter(m: re.Match) -> str:
        s = m.group(0)
        if s not in memo:
            memo[s] = (
                str(max(1, int(float(s) * rng.uniform(0.5, 1.5)))) if "." not in s else f"{float(s) * rng.uniform(0.5, 1.5):.1f}"
            )
        return memo[s]

    text = re.sub(r"\d+(\.\d+)?", alter, text)
    # Every title its own, in the contents and above the article alike: a new issue brings new articles
    # (a title shared by two issues would make their identical passages one reprint).
    for title in ("行动计划", "指导意见", "管理办法", "行动方案", "运行情况", "研究报告"):
        text = text.replace(title, f"{title}{i}")
    lines = []
    for line in text.split("\n"):
        parts = re.split(r"(?<=。)", line)
        if not line.startswith("#") and len(parts) > 3:
            rest = [p for p in parts[1:] if p]
            rng.shuffle(rest)
            line = parts[0] + "".join(rest)
        lines.append(line)
    masthead = f"{day.year}年{day.month}月{day.day}日 第{number}期 总第{200 + i}期"
    return "\n".join(lines).replace("\0MASTHEAD\0", masthead)


def make_library(md: str, folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"bulletin-{i:04d}.md"
        if i == 0:
            shutil.copy(ROOT / "data" / "bulletin-2023-51.md", path)
        elif not path.exists():
            path.write_text(synthetic(md, i), encoding="utf-8")
        paths.append(path)
    return paths


def _questions(gold: Path | None) -> list[str]:
    if gold and gold.is_file():
        from rag.evaluate import read_gold

        return [row["question"] for row in read_gold(gold)]
    return FALLBACK_QUESTIONS


def _disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def child(size: int, work: Path, gold: Path | None) -> dict:
    """One library size, in its own process."""
    quiet_libraries()
    from rag.filters import Filters
    from rag.index import build_index, load_index
    from rag.library import add_bulletin
    from rag.models.embedder import load_embedder
    from rag.retrieve import Retriever

    md = (ROOT / "data" / "bulletin-2023-51.md").read_text(encoding="utf-8")
    paths = make_library(md, work / "bulletins", size)
    index_dir = work / f"index-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = Settings(index_dir=index_dir, corpus=tuple(paths), library_dir=work / f"added-{size}")
    shutil.rmtree(settings.library_dir, ignore_errors=True)
    stand_in = StandIn()

    t0 = time.perf_counter()
    index = build_index(settings, stand_in)
    build_s = time.perf_counter() - t0

    extra = work / "new" / "bulletin-9999.md"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text(synthetic(md, 9999), encoding="utf-8")
    t0 = time.perf_counter()
    index = add_bulletin(settings, stand_in, index, extra)
    add_s = time.perf_counter() - t0

    e5 = load_embedder(Settings())
    t0 = time.perf_counter()
    retriever = Retriever(load_index(settings), e5, settings)  # what a start of the app or the CLI loads
    load_s = time.perf_counter() - t0
    index = retriever.index
    questions = _questions(gold)
    for q in questions[:3]:
        retriever.search(q)
    times, filtered = [], []
    region = Filters(regions=("云南",))  # a filter as the app sends it: here about one passage in ten
    for q in questions:
        t0 = time.perf_counter()
        retriever.search(q)
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        retriever.search(q, filters=region)
        filtered.append((time.perf_counter() - t0) * 1000)
    times.sort()
    lists = _list_questions(retriever, settings)
    return {
        "bulletins": len(index.manifest.corpus),
        "chunks": len(index.chunks),
        "sentences": int(index.sentences.vectors.shape[0]) if index.sentences is not None else 0,
        "build_s": build_s,
        "add_index_s": add_s,
        "load_s": load_s,
        "disk_mb": _disk(index_dir) / 1e6,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "query_median_ms": statistics.median(times),
        "query_p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "filtered_median_ms": statistics.median(filtered),
        "queries": len(times),
        **lists,
    }


LIST_QUESTIONS = ["哪些文件提到了量子信息？", "哪些文件设定了2026年的目标？", "哪些地方的文件规定了公共数据授权运营？"]


def _list_questions(retriever, settings: Settings) -> dict:
    """Seconds to answer list questions over every document of the library (rag.answer.survey): the first one
    (which reads the library's documents, targets and versions once) and the median of the rest, warm."""
    from rag.answer.pipeline import Answerer

    answerer = Answerer(retriever, settings)
    t0 = time.perf_counter()
    answerer.answer(LIST_QUESTIONS[0])
    first = time.perf_counter() - t0
    warm, checked = [], 0
    for q in LIST_QUESTIONS * 2:
        t0 = time.perf_counter()
        a = answerer.answer(q)
        warm.append(time.perf_counter() - t0)
        checked = max(checked, len(a.coverage.checked) if a.coverage else 0)
    return {"list_first_ms": first * 1000, "list_median_ms": statistics.median(warm) * 1000, "list_checked": checked}


def e5_embedding_of_one_bulletin(work: Path) -> tuple[float, int]:
    """Seconds e5 takes to embed what one new bulletin adds (passages and sentences, each distinct text once)."""
    from rag.chunk import Chunker
    from rag.index_vectors import embed_texts
    from rag.models.embedder import load_embedder
    from rag.parse.issue import parse_issue
    from rag.sentences import split_sentences

    md = (ROOT / "data" / "bulletin-2023-51.md").read_text(encoding="utf-8")
    chunks = Chunker().chunk_issue(parse_issue(synthetic(md, 9999), name="bulletin-9999"))
    texts = list(dict.fromkeys([c.search_text for c in chunks] + [s.text for c in chunks for s in split_sentences(c.text)]))
    settings = Settings()
    e5 = load_embedder(settings)
    e5.encode_documents(texts[:8])
    t0 = time.perf_counter()
    embed_texts(texts, e5, settings.batch_size * 4, None, {})  # as a build embeds them: by length, in batches
    return time.perf_counter() - t0, len(texts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,10,100,500")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--work", type=Path, help="keep the synthetic bulletins and indexes here")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="rag-scale-"))
    if args.child:
        print(json.dumps(child(args.child, work, args.gold)))
        return 0

    quiet_libraries()
    embed_s, n_texts = e5_embedding_of_one_bulletin(work)
    print(f"e5 embedding of one new bulletin: {n_texts} texts in {embed_s:.1f} s", flush=True)
    rows = []
    for size in map(int, args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--child", str(size), "--work", str(work), "--gold", str(args.gold)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((size, row))
        print(f"  {size} bulletins done: build {row['build_s']:.0f} s", flush=True)

    head = (
        "| library | chunks | sentences | build s | add one: index work s | + e5 embedding s | = add s "
        "| load s | disk MB | peak RSS MB | query median ms | query p95 ms | filtered median ms "
        "| list question: documents checked | first ms | median ms |"
    )
    print()
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for _, r in rows:
        print(
            f"| {r['bulletins']} | {r['chunks']:,} | {r['sentences']:,} | {r['build_s']:.1f} | {r['add_index_s']:.1f} "
            f"| {embed_s:.1f} | **{r['add_index_s'] + embed_s:.1f}** | {r['load_s']:.1f} | {r['disk_mb']:.0f} "
            f"| {r['peak_mb']:.0f} | **{r['query_median_ms']:.1f}** | {r['query_p95_ms']:.1f} | {r['filtered_median_ms']:.1f} "
            f"| {r['list_checked']} | {r['list_first_ms']:.0f} | **{r['list_median_ms']:.0f}** |"
        )
    print(f"\n{rows[0][1]['queries']} questions per library; 'library' counts the added bulletin. Work folder: {work}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
