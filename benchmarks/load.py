"""Many users at once against the running app's API, on 127.0.0.1 only, bounded in time and count.

    python benchmarks/load.py [--seconds 120] [--searchers 20] [--askers 4] [--llm local]

Starts `python app.py` on a free loopback port, then runs two phases side by side in one run:
  A. the searchers alone (/search), for half the time;
  B. the searchers again while the askers request LLM answers (/ask, mode=local), for the full time.
Reports per phase and kind: requests served, errors, median and 95th-percentile seconds, and the
server's peak memory. Searches must not wait behind LLM answers: compare the search rows of A and B.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MAX_PER_USER = 1000  # a bound on requests, whatever the speed
FALLBACK = ["到2026年要打造多少个典型应用场景？", "云南的公共数据多久内要完成校核？", "人形机器人", "第22条"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _questions(gold: Path) -> list[str]:
    if not gold.is_file():
        return FALLBACK
    return [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Users:
    """Threads that call one endpoint in a loop until the deadline; each has its own client."""

    def __init__(self, url: str, endpoint: str, n: int, questions: list[str], extra: tuple = ()) -> None:
        self.url, self.endpoint, self.n, self.questions, self.extra = url, endpoint, n, questions, extra
        self.times: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def _run(self, k: int, deadline: float) -> None:
        from gradio_client import Client

        client = Client(self.url, verbose=False)
        for i in range(MAX_PER_USER):
            if time.monotonic() >= deadline:
                return
            q = self.questions[(k * 7 + i) % len(self.questions)]
            t0 = time.perf_counter()
            try:
                client.predict(q, *self.extra, api_name=self.endpoint)
                with self.lock:
                    self.times.append(time.perf_counter() - t0)
            except Exception as exc:  # counted and reported, the run goes on
                with self.lock:
                    self.errors.append(f"{type(exc).__name__}: {exc}"[:200])

    def start(self, seconds: float) -> list[threading.Thread]:
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=self._run, args=(k, deadline), daemon=True) for k in range(self.n)]
        for t in threads:
            t.start()
        return threads

    def row(self, phase: str) -> str:
        t = sorted(self.times)
        med = statistics.median(t) if t else float("nan")
        p95 = t[min(len(t) - 1, int(0.95 * len(t)))] if t else float("nan")
        return f"| {phase} | {self.endpoint} | {self.n} | {len(t)} | {len(self.errors)} | {med:.2f} | {p95:.2f} |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--searchers", type=int, default=20)
    ap.add_argument("--askers", type=int, default=4)
    ap.add_argument("--llm", default="local", help="the askers' mode: local, openai or extractive")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    args = ap.parse_args()
    questions = _questions(args.gold)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "RAG_LLM": "none" if args.llm == "extractive" else args.llm, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                print(server.stderr.read()[-3000:], file=sys.stderr)
                return 1
            time.sleep(0.5)
        from gradio_client import Client

        warm = Client(url, verbose=False)
        t0 = time.perf_counter()
        warm.predict(questions[0], args.llm, api_name="/ask")  # loads the model before the clock starts
        print(f"server on {url}; first {args.llm} answer (model load) {time.perf_counter() - t0:.1f} s", flush=True)

        alone = Users(url, "/search", args.searchers, questions)
        for t in alone.start(args.seconds / 2):
            t.join()
        searching = Users(url, "/search", args.searchers, questions)
        asking = Users(url, "/ask", args.askers, questions, (args.llm,))
        threads = searching.start(args.seconds) + asking.start(args.seconds)
        for t in threads:
            t.join()

        print()
        print("| phase | endpoint | users | served | errors | median s | p95 s |")
        print("|---|---|---|---|---|---|---|")
        print(alone.row("A: searches alone"))
        print(searching.row("B: with LLM answers"))
        print(asking.row(f"B: {args.llm} answers"))
        print(f"\nserver peak memory {_peak_mb(server.pid):.0f} MB; {args.seconds:.0f} s per phase B, {args.seconds / 2:.0f} s A")
        for err in sorted(set(alone.errors + searching.errors + asking.errors))[:5]:
            print("error:", err)
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    raise SystemExit(main())
