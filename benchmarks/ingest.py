"""Ingest under a budget: what reading a file costs the worker and the parent, and whether the app
keeps answering searches meanwhile.

    python benchmarks/ingest.py [--parts files,adds,app] [--work /tmp/bulletin-ingest-bench] [--baseline DIR]

files  Per file, added to a library holding the mini bulletin: a normal bulletin (the bundled one as
       Markdown and as a PDF), a DOCX zip bomb (word/document.xml of 1 GB of repeated text, a few MB
       compressed), once as it is (the loaders' caps refuse it) and once with those caps lifted (as if
       they missed it: the worker's memory budget is what stops it), and PDFs of one long regulation,
       ≈ 200 and ≈ 900 pages (the cap is 1,000). Outcome, wall time of the worker and of
       the whole add, and peak memory of each: the worker's resident and mapped (what the budget caps)
       high-water marks, sampled from /proc; the parent's resident peak over what it held before the
       add. Each add runs in a fresh process over a copy of one index, with the stand-in embedder of
       benchmarks/scale.py, so that the figures are the ingest's own (e5 costs the same per new text
       whatever the file: the adds part measures it).
adds   `add` with e5, the model loaded: the mini bulletin into a library of the bundled one, and the
       bundled one into a library of the mini one; median of 3. With --baseline DIR (a checkout of the
       code before, e.g. `git worktree add ../base <commit>`), the same with that code, for comparison.
app    `python app.py` on a loopback port, over its own index: search latency (median, p95) from
       --searchers clients, first idle, then while the app adds each heavy file through the library
       tab's endpoint, one after the other: the zip bomb, the ≈ 900-page PDF (取消 pressed 15 s into
       its embedding), and a new issue whose passages are all new (≈ 1,300 texts for e5: the parent
       embedding rather than the worker reading).

Generated files are kept in --work and reused.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

BUNDLED = ROOT / "data" / "bulletin-2023-51.md"
MINI = ROOT / "tests" / "data" / "mini-bulletin.md"


# --- the files -------------------------------------------------------------------------------------


def zip_bomb(path: Path, megabytes: int = 1024) -> Path:
    """A DOCX whose word/document.xml is ``megabytes`` of one repeated paragraph, deflated to a few MB."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("x")
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    head = src.read("word/document.xml").decode().split("<w:body>")[0] + "<w:body>"
    block = ("<w:p><w:r><w:t>" + "数据要素。" * 100 + "</w:t></w:r></w:p>").encode() * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                z.writestr(item, src.read(item.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head.encode())
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                f.write(block)
            f.write(b"</w:body></w:document>")
    return path


def long_regulation(articles: int = 990, sentences_each: int = 6, seed: int = 7) -> str:
    """A bulletin of one long regulation: chapters of 第N条, each ``sentences_each`` sentences of the bundled issue."""
    from rag.language.numbers import int_to_cn as cn_number

    sentences = [s for s in re.split(r"(?<=。)", BUNDLED.read_text(encoding="utf-8")) if 20 <= len(s.strip()) <= 120]
    sentences = [re.sub(r"[#*\n]", "", s).strip() for s in sentences]
    rng = random.Random(seed)
    title = "某省公共数据授权运营管理条例"
    lines = ["# 大数据发展动态", "", "2024年3月8日 第10期 总第172期", "", "## 本期要目", "", "### 地方新政", "", f"1 {title}", ""]
    lines += ["## 地方新政", "", f"## {title}", ""]
    for n in range(1, articles + 1):
        if n % 100 == 1:
            lines += [f"第{cn_number(n // 100 + 1)}章 第{n // 100 + 1}部分", ""]
        lines += [f"第{cn_number(n)}条 " + "".join(rng.sample(sentences, sentences_each)), ""]
    lines += ["（来源：某省人民代表大会常务委员会）", ""]
    return "\n".join(lines)


def pages_of(pdf: Path) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf.read_bytes()))


def make_files(work: Path) -> dict[str, Path]:
    """The files of the `files` part, generated once into ``work``: a label ending "(caps lifted)" is read
    with the loaders' caps lifted, as if they missed it, so that only the worker's budget is left."""
    from documents import markdown_to_pdf

    work.mkdir(parents=True, exist_ok=True)
    files = {"bulletin .md": BUNDLED}
    pdf = work / "bulletin-2023-51.pdf"
    if not pdf.exists():
        markdown_to_pdf(BUNDLED.read_text(encoding="utf-8"), pdf)
    files["bulletin .pdf"] = pdf
    bomb = work / "bulletin-bomb.docx"
    if not bomb.exists():
        zip_bomb(bomb)
    files["zip bomb .docx"] = bomb
    files["zip bomb .docx (caps lifted)"] = bomb
    for name, sentences_each in (("bulletin-2024-10.pdf", 6), ("bulletin-2024-11.pdf", 26)):  # ≈ 200 and ≈ 900 pages
        long_pdf = work / name
        if not long_pdf.exists():
            markdown_to_pdf(long_regulation(sentences_each=sentences_each).replace("第10期", f"第{name[14:16]}期"), long_pdf)
        files[f"{pages_of(long_pdf)}-page .pdf"] = long_pdf
    return files


def fresh_issue(work: Path) -> Path:
    """A new issue made from the bundled one (benchmarks/scale.py's synthetic): every passage new."""
    from scale import synthetic

    path = work / "bulletin-2014-9.md"
    if not path.exists():
        path.write_text(synthetic(BUNDLED.read_text(encoding="utf-8"), 9), encoding="utf-8")
    return path


# --- files: one add per fresh process ---------------------------------------------------------------


class WorkerWatch:
    """Samples the ingest worker(s) of process ``parent`` (this one) from /proc: peaks, and when the
    first one was seen and the last one ended (perf_counter seconds)."""

    def __init__(self, parent: int | None = None) -> None:
        self.parent = parent or os.getpid()
        self.rss_mb = self.vm_mb = 0
        self.seen = self.gone = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = str(self.parent)
        while not self._stop.is_set():
            alive = False
            for stat in Path("/proc").glob("[0-9]*/status"):
                try:
                    text = stat.read_text()
                    if f"\nPPid:\t{me}\n" not in text or b"rag.ingest.worker" not in (stat.parent / "cmdline").read_bytes():
                        continue
                except OSError:
                    continue
                alive = True
                fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
                self.rss_mb = max(self.rss_mb, int(fields.get("VmHWM", "0 kB").split()[0]) // 1024)
                self.vm_mb = max(self.vm_mb, int(fields.get("VmPeak", "0 kB").split()[0]) // 1024)
            now = time.perf_counter()
            if alive:
                self.seen = self.seen or now
                self.gone = now
            time.sleep(0.02)


def _rss_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


NO_CAPS = {"max_unzipped_ratio": 10**6, "max_unzipped_bytes": 10**12, "max_text_chars": 10**10}


def one_add(path: Path, index_dir: Path, caps: bool = True) -> dict:
    """Add ``path`` to a copy of ``index_dir``; run in a fresh process (--one). Without ``caps`` the
    loaders' size caps are lifted: only the worker's budget stands."""
    from scale import StandIn

    from rag.config import Settings
    from rag.index import load_index
    from rag.library import add_bulletin

    tmp = Path(tempfile.mkdtemp(prefix="ingest-one-"))
    try:
        shutil.copytree(index_dir, tmp / "index")
        settings = Settings(index_dir=tmp / "index", corpus=(MINI,), library_dir=tmp / "library", **({} if caps else NO_CAPS))
        embedder = StandIn()
        index = load_index(settings, embedder)
        Path("/proc/self/clear_refs").write_text("5")  # the parent's peak from here on
        before = _rss_mb("VmRSS")
        t0 = time.perf_counter()
        with WorkerWatch() as watch:
            try:
                new = add_bulletin(settings, embedder, index, path)
                e = next(e for e in new.manifest.corpus if e["issue_id"] not in {x["issue_id"] for x in index.manifest.corpus})
                outcome = f"added: {e['chunks']} passages"
            except Exception as exc:  # the outcome is what the table reports
                outcome = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        return {
            "outcome": outcome,
            "add_s": seconds,
            "worker_s": (watch.gone - t0) if watch.gone else None,
            "worker_rss_mb": watch.rss_mb,
            "worker_vm_mb": watch.vm_mb,
            "parent_extra_mb": _rss_mb("VmHWM") - before,
            "parent_mb": _rss_mb("VmHWM"),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def part_files(work: Path) -> None:
    from scale import StandIn

    from rag.config import Settings
    from rag.index import build_index

    files = make_files(work)
    index_dir = work / "files-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    build_index(Settings(index_dir=index_dir, corpus=(MINI,)), StandIn())
    settings = Settings()
    print(f"\n## files (budget {settings.ingest_timeout_s:g} s, {settings.ingest_memory_mb} MB; stand-in embedder)\n")
    print("| file | size | outcome | worker s | worker peak RSS MB | worker peak mapped MB | add s | parent extra MB |")
    print("|---|---|---|---|---|---|---|---|")
    for label, path in files.items():
        one = [sys.executable, __file__, "--one", str(path), "--index", str(index_dir)]
        one += ["--no-caps"] if label.endswith("(caps lifted)") else []
        out = subprocess.run(one, capture_output=True, text=True, timeout=900)
        if out.returncode:
            print(f"| {label} | failed: {out.stderr[-300:]} |")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        worker = f"{r['worker_s']:.1f}" if r["worker_s"] is not None else "-"
        size = f"{path.stat().st_size / 1e6:.2f} MB"
        print(
            f"| {label} | {size} | {r['outcome'][:90]} | {worker} | {r['worker_rss_mb']} | {r['worker_vm_mb']} "
            f"| {r['add_s']:.1f} | {r['parent_extra_mb']:.0f} |",
            flush=True,
        )


# --- adds: with e5, this code and a baseline -------------------------------------------------------


def add_times(reps: int) -> dict:
    """Median seconds of adding mini → [bundled] and bundled → [mini], e5 loaded; run with the code to time
    first on sys.path (--add-times)."""
    from rag.cli import quiet_libraries

    quiet_libraries()
    import rag
    from rag.config import Settings
    from rag.index import build_index
    from rag.library import add_bulletin
    from rag.models.embedder import load_embedder

    embedder = load_embedder(Settings())
    print(f"timing the code in {Path(rag.__file__).parent.parent}", file=sys.stderr)
    out = {}
    for base, new in ((BUNDLED, MINI), (MINI, BUNDLED)):
        tmp = Path(tempfile.mkdtemp(prefix="ingest-adds-"))
        try:
            settings = Settings(index_dir=tmp / "base", corpus=(base,))
            built = build_index(settings, embedder)
            times = []
            for r in range(reps):
                shutil.copytree(tmp / "base", tmp / f"i{r}")
                s = settings.with_(index_dir=tmp / f"i{r}", library_dir=tmp / f"lib{r}")
                t0 = time.perf_counter()
                add_bulletin(s, embedder, built, new)
                times.append(time.perf_counter() - t0)
            out[f"{new.name} into [{base.name}]"] = times
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def part_adds(reps: int, baseline: Path | None) -> None:
    print(f"\n## adds (e5, model loaded; median of {reps})\n")
    roots = [("this code", ROOT)] + ([("baseline", baseline.resolve())] if baseline else [])
    rows = {}
    for name, root in roots:
        # ingest puts this checkout first on sys.path; the code to time goes before it (rag is imported later).
        code = (
            f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import ingest; "
            f"sys.path.insert(0, {str(root)!r}); print(json.dumps(ingest.add_times({reps})))"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=1800)
        if out.returncode:
            print(f"{name}: failed\n{out.stderr[-2000:]}")
            continue
        rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
        assert str(root) in out.stderr, f"{name}: timed the wrong code ({out.stderr[-300:]})"
    print("| add | " + " | ".join(f"{n} median s (runs)" for n in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for case in next(iter(rows.values()), {}):
        cells = [f"{statistics.median(r[case]):.2f} ({', '.join(f'{t:.2f}' for t in r[case])})" for r in rows.values()]
        print(f"| {case} | " + " | ".join(cells) + " |")


# --- app: searches while adding -------------------------------------------------------------------


def _questions() -> list[str]:
    gold = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if gold.is_file():
        return [json.loads(x)["question"] for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    return ["到2026年要打造多少个典型应用场景？", "云南的公共数据多久内要完成校核？", "人形机器人", "第22条"]


class Searchers:
    """``n`` clients searching in a loop until stopped: (start, seconds) of each search."""

    def __init__(self, url: str, n: int) -> None:
        self.url, self.n, self.searches, self.errors = url, n, [], 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _run(self, k: int) -> None:
        from gradio_client import Client

        client, questions = Client(self.url, verbose=False), _questions()
        i = 0
        while not self._stop.is_set():
            t0 = time.perf_counter()
            try:
                client.predict(questions[(k * 7 + i) % len(questions)], api_name="/search")
                self.searches.append((t0, time.perf_counter() - t0))
            except Exception:  # counted; the run goes on
                self.errors += 1
            i += 1

    def __enter__(self) -> Searchers:
        self._threads = [threading.Thread(target=self._run, args=(k,), daemon=True) for k in range(self.n)]
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()

    def times(self, start: float = 0.0, end: float = float("inf")) -> list[float]:
        """Latencies of the searches that started between ``start`` and ``end``."""
        return [s for t0, s in self.searches if start <= t0 < end]

    @staticmethod
    def cells(times: list[float], idle: float | None = None) -> str:
        t = sorted(times)
        if not t:
            return "0 | - | - | -"
        med, p95 = statistics.median(t) * 1000, t[min(len(t) - 1, int(0.95 * len(t)))] * 1000
        ratio = f"{med / idle:.2f}×" if idle else "1×"
        return f"{len(t)} | {med:.0f} | {p95:.0f} | {ratio}"


def _cancel_after_worker(url: str, watch: WorkerWatch, seconds: float) -> None:
    """Press 取消 ``seconds`` after the app's worker ended (the add is then embedding)."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    while not (watch.gone and time.perf_counter() - watch.gone > 0.5):
        time.sleep(0.1)
    time.sleep(seconds)
    client.predict(api_name="/ui_cancel")


def part_app(work: Path, searchers: int, idle_s: float) -> None:
    import httpx
    from conftest import free_port
    from gradio_client import Client, handle_file

    files = make_files(work)
    # (label, file, cancel this many seconds after its worker ended: the PDF's ≈ 7,000 new texts would
    # keep e5 busy for minutes; the new issue's ≈ 1,300 show the embedding phase whole)
    heavy = [("zip bomb .docx", files["zip bomb .docx"], None)]
    heavy += [(label, path, 15.0) for label, path in list(files.items())[-1:]]  # the longest PDF
    heavy += [("new issue .md (all passages new)", fresh_issue(work), None)]
    app_dir = work / "app"
    shutil.rmtree(app_dir, ignore_errors=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "RAG_LLM": "none", "RAG_INDEX_DIR": str(app_dir / "index"), "RAG_LIBRARY_DIR": str(app_dir / "library")}
    server = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):  # the first start builds the index: a minute or two
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise SystemExit("the app did not start")
            time.sleep(0.5)
        client = Client(url, verbose=False)
        client.predict(_questions()[0], api_name="/search")  # warm
        print(f"\n## app ({searchers} searching clients; /search latency in ms)\n")
        print("| phase | add s | outcome | searches | median ms | p95 ms | vs idle |")
        print("|---|---|---|---|---|---|---|")
        with Searchers(url, searchers) as idle:
            time.sleep(idle_s)
        idle_median = statistics.median(idle.times()) * 1000
        print(f"| idle ({idle_s:.0f} s) | - | - | {idle.cells(idle.times())} |", flush=True)
        for label, path, cancel_after in heavy:
            with WorkerWatch(server.pid) as watch, Searchers(url, searchers) as during:
                if cancel_after is not None:
                    threading.Thread(target=_cancel_after_worker, args=(url, watch, cancel_after), daemon=True).start()
                t0 = time.perf_counter()
                status = client.predict([handle_file(str(path))], "", "", api_name="/ui_add")[0]
                t1 = time.perf_counter()
            said = re.sub(r"<[^>]+>", "", status).strip()[:70]
            if cancel_after is not None:
                said += f" (取消 {cancel_after:g} s after the worker)"
            reading = during.times(t0, watch.gone or t1)
            print(f"| adding {label}: worker reading | {t1 - t0:.1f} | {said} | {during.cells(reading, idle_median)} |")
            rest = during.times(watch.gone or t1, t1)
            print(f"| adding {label}: parent tokenising, embedding | | | {during.cells(rest, idle_median)} |", flush=True)
        peak = [x for x in Path(f"/proc/{server.pid}/status").read_text().splitlines() if x.startswith("VmHWM")]
        print(f"\nserver peak memory {int(peak[0].split()[1]) // 1024} MB" if peak else "")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default="files,adds,app")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bulletin-ingest-bench")
    ap.add_argument("--baseline", type=Path, help="a checkout of the code before, timed in the adds part too")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--searchers", type=int, default=2)
    ap.add_argument("--idle-s", type=float, default=30)
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: one add in this process
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--no-caps", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_add(args.one, args.index, caps=not args.no_caps)))
        return 0
    parts = args.parts.split(",")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    if "files" in parts:
        part_files(args.work)
    if "adds" in parts:
        part_adds(args.reps, args.baseline)
    if "app" in parts:
        part_app(args.work, args.searchers, args.idle_s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
