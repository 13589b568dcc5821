"""The parent side of an ingest. The files to read go to one worker process (rag.ingest.worker), which
has ``Settings.ingest_timeout_s`` of wall time per file and ``ingest_memory_mb`` of address space in
all; past either it is killed with its process group and the file is refused with the reason. A cancel
(rag.ingest.control.Control) kills it too. Results come back as JSON files in a private temporary
folder, outside the index and the library, so a killed worker leaves nothing behind in either.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rag.config import PROJECT_ROOT, Settings
from rag.ingest.control import BudgetExceeded, Control
from rag.load import LoadError
from rag.load.limits import Limits
from rag.parse.issue import ParseError
from rag.store.parsed import chunks_from_json
from rag.targets import Target
from rag.types import Chunk

log = logging.getLogger(__name__)
SCRATCH = "bulletin-ingest-"  # the prefix of each run's private temporary folder
POLL_S = 0.2  # how often the parent looks at the cancel flag and calls on_parse (the budget is kept exactly)
# The worker gets no environment of ours (no keys, no tokens); one thread for any numeric library.
WORKER_ENV = {"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Job:
    """One file for the worker to read."""

    read: Path  # where its bytes are now (an upload is read before it is copied into the library)
    source_path: str  # the path the index records for it
    name: str  # the file's stem, for metadata taken from the file name
    label: str  # how messages name it
    sha256: str  # of the bytes the parent saw: the worker refuses a file that changed since
    meta: dict | None = None  # issue metadata given by the user


@dataclass
class FileRead:
    """What the worker made of one file: the manifest entry, the chunks, their reprint keys, its targets."""

    entry: dict
    chunks: list[Chunk]
    keys: list[str]
    targets: list[Target]
    peaks: dict = field(default_factory=dict)  # the worker's rss_mb and vm_mb after this file (benchmarks)


def read_in_worker(settings: Settings, jobs: list[Job], control: Control | None = None) -> list[FileRead]:
    """Load, parse and chunk ``jobs`` in one worker process under the ingest budget; results in job order.

    Raises LoadError or ParseError for a file that is no bulletin, BudgetExceeded for one that needs
    more time or memory than the budget, IngestCancelled when ``control`` is cancelled.
    """
    _sweep(Path(tempfile.gettempdir()))
    if not jobs:
        return []
    if control:
        control.check()
    with tempfile.TemporaryDirectory(prefix=SCRATCH) as tmp:
        scratch = Path(tmp)
        job_file = scratch / "job.json"
        job_file.write_text(json.dumps(_job(settings, jobs, scratch), ensure_ascii=False), encoding="utf-8")
        with (scratch / "stderr.txt").open("wb") as stderr:
            worker = subprocess.Popen(
                [sys.executable, "-m", "rag.ingest.worker", str(job_file)],
                cwd=PROJECT_ROOT,  # where `rag` is imported from
                env=WORKER_ENV,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                start_new_session=True,  # its own process group: killed whole
            )
        try:
            peaks = _watch(worker, jobs, settings, control, scratch / "stderr.txt")
        finally:
            _kill(worker)
        return [_result(scratch / f"{i}.json", job, peak) for i, (job, peak) in enumerate(zip(jobs, peaks, strict=True))]


def _sweep(temp: Path) -> None:
    """Scratch folders left by parents killed before they could clean up (their workers died with them)."""
    for folder in temp.glob(SCRATCH + "*"):
        try:
            os.kill(int(json.loads((folder / "job.json").read_text(encoding="utf-8"))["parent"]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError, KeyError, TypeError):  # being written, or another user's: not ours to judge
            continue


def _job(settings: Settings, jobs: list[Job], out: Path) -> dict:
    # Of the settings only the chunk sizes and the loaders' caps cross over: paths and secrets stay here.
    files = [
        # Absolute: the worker runs in the project root, not in the folder the user typed the path in.
        {
            "read": str(Path(j.read).resolve()),
            "source_path": j.source_path,
            "name": j.name,
            "label": j.label,
            "sha256": j.sha256,
            "meta": j.meta,
        }
        for j in jobs
    ]
    return {
        "parent": os.getpid(),
        "memory_mb": settings.ingest_memory_mb,
        "nice": settings.ingest_nice,
        "chunking": [settings.chunk_target_chars, settings.chunk_max_chars],
        "limits": asdict(Limits.from_settings(settings)),
        "out": str(out),
        "files": files,
    }


def _watch(worker: subprocess.Popen, jobs: list[Job], settings: Settings, control: Control | None, stderr: Path) -> list[dict]:
    """Wait for a line per file; the clock restarts with each file. Raises at the first problem; returns
    the worker's memory peaks after each file."""
    fd = worker.stdout.fileno()
    pending, done, peaks = b"", 0, []
    since = started = time.monotonic()
    while done < len(jobs):
        if control:
            control.check()
        left = settings.ingest_timeout_s - (time.monotonic() - since)
        ready, _, _ = select.select([fd], [], [], max(0.0, min(POLL_S, left)))
        now = time.monotonic()
        if ready:
            data = os.read(fd, 1 << 16)
            if not data:
                break  # the worker is gone
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                i, msg = _message(line, len(jobs))
                if not msg.get("ok"):
                    raise _refusal(msg, jobs[i], settings, stderr)
                peaks.append({k: msg[k] for k in ("rss_mb", "vm_mb") if k in msg})
                done, since = done + 1, now
        if done < len(jobs):
            if now - since >= settings.ingest_timeout_s:
                raise BudgetExceeded(f"{jobs[done].label}: reading it took longer than {settings.ingest_timeout_s:g} s: refused")
            if control and control.on_parse:
                control.on_parse(jobs[done].label, now - since)
    if done < len(jobs):
        raise _death(worker.wait(), jobs[done], settings, stderr)
    log.debug("worker read %d file(s) in %.2f s, peaks %s", len(jobs), time.monotonic() - started, peaks[-1:])
    return peaks


def _message(line: bytes, n: int) -> tuple[int, dict]:
    try:
        msg = json.loads(line)
        i = int(msg["i"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(f"the ingest worker said something unexpected: {line[:200]!r}") from exc
    if not 0 <= i < n:
        raise RuntimeError(f"the ingest worker named file {i} of {n}")
    return i, msg


def _refusal(msg: dict, job: Job, settings: Settings, stderr: Path) -> Exception:
    kind, error = msg.get("kind"), str(msg.get("error", ""))
    if kind == "load":
        return LoadError(error)
    if kind == "parse":
        return ParseError(error)
    if kind == "memory":
        return BudgetExceeded(f"{job.label}: reading it needed more than {settings.ingest_memory_mb} MB of memory: refused")
    log.error("the ingest worker failed on %s:\n%s", job.label, _tail(stderr))
    return RuntimeError(f"{job.label}: the parser failed ({error})")


def _death(code: int, job: Job, settings: Settings, stderr: Path) -> Exception:
    """The worker ended without a word about ``job``: killed by the kernel or crashed in native code,
    which on a crafted file is almost always memory running out."""
    log.info("the ingest worker ended with %s on %s:\n%s", code, job.label, _tail(stderr))
    if code < 0:
        why = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        return BudgetExceeded(
            f"{job.label}: reading it stopped the parser ({why}); it may need more than "
            f"{settings.ingest_memory_mb} MB of memory: refused"
        )
    return RuntimeError(f"{job.label}: the ingest worker ended (exit status {code}) before it finished the file")


def _kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:  # still running (a budget, a cancel, an error of ours): the whole group goes
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    worker.stdout.close()


def _tail(path: Path, limit: int = 4000) -> str:
    try:
        return path.read_bytes()[-limit:].decode("utf-8", "replace")
    except OSError:
        return ""


def _result(path: Path, job: Job, peaks: dict) -> FileRead:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        chunks, keys, entry = chunks_from_json(data["chunks"]), list(data["keys"]), dict(data["entry"])
        targets = [Target.from_json(t) for t in data["targets"]]
        if len(keys) != len(chunks) or not {"issue_id", "label", "date", "articles"} <= entry.keys():
            raise ValueError("chunks, keys and entry disagree")
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise RuntimeError(f"{job.label}: the ingest worker's result cannot be read ({exc})") from exc
    return FileRead(entry, chunks, keys, targets, peaks)
