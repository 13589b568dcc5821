"""Ingest out of process: a file past the time or memory budget, a killed worker or a cancel leaves the
index and the library folder exactly as they were, and no worker behind."""

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import BULLETIN, ROOT, CountingEmbedder, HashEmbedder

from rag.config import Settings
from rag.index import load_index
from rag.ingest.control import BudgetExceeded, Control, IngestCancelled
from rag.ingest.run import read_in_worker
from rag.library import add_bulletin, rebuild_library
from rag.service import Service

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> Path:
    """13 MB of Markdown (the bundled bulletin 80 times: under the 20 MB upload cap and the 5,000,000
    characters of text): seconds and ≈ 100 MB in the worker, where a normal bulletin needs ≈ 0.3 s and
    ≈ 25 MB. A new issue, so not already in the library."""
    text = BULLETIN.read_text(encoding="utf-8").replace("第51期", "第52期").replace("12月22日", "12月29日")
    path = tmp_path_factory.mktemp("heavy") / "bulletin-2023-52.md"
    path.write_text(text * 80, encoding="utf-8")
    return path


def _snapshot(*folders: Path) -> dict[str, str]:
    """Every file under the folders, with its SHA-256: what 'exactly as before' compares."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")) if folder.exists() else []:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def _workers(parent: int | None = None) -> list[int]:
    """Ingest workers of ``parent`` (this process) that are still there, zombies included."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == (parent or os.getpid()) and b"rag.ingest.worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _refused(settings, base, heavy, error, match, control=None):
    before = _snapshot(settings.index_dir, settings.library_dir)
    with pytest.raises(error, match=match):
        add_bulletin(settings, HashEmbedder(), base, heavy, control=control)
    assert _snapshot(settings.index_dir, settings.library_dir) == before
    assert load_index(settings, HashEmbedder()).manifest.generation == base.manifest.generation
    assert _workers() == []


def test_a_file_over_the_time_budget_is_killed_and_changes_nothing(settings, base, heavy):
    _refused(settings.with_(ingest_timeout_s=0.3), base, heavy, BudgetExceeded, r"took longer than 0.3 s: refused")


def test_a_file_over_the_memory_budget_is_refused_and_changes_nothing(settings, base, heavy):
    _refused(settings.with_(ingest_memory_mb=50), base, heavy, BudgetExceeded, r"needed more than 50 MB of memory: refused")


def test_a_worker_killed_from_outside_changes_nothing(settings, base, heavy):
    def kill_it(label, seconds):
        for pid in _workers():
            os.kill(pid, signal.SIGKILL)

    _refused(settings, base, heavy, BudgetExceeded, r"SIGKILL", Control(on_parse=kill_it))


def test_a_cancel_while_the_worker_reads_kills_it_and_changes_nothing(settings, base, heavy):
    control = Control()
    control.on_parse = lambda label, seconds: control.cancel()
    _refused(settings, base, heavy, IngestCancelled, "cancelled", control)


def test_a_cancel_while_embedding_keeps_the_old_index_and_library(settings, base):
    control = Control()
    before = _snapshot(settings.index_dir, settings.library_dir)

    def embedding(done, total):
        if done:  # after the first batch
            control.cancel()

    embedder = CountingEmbedder()
    with pytest.raises(IngestCancelled):
        add_bulletin(settings.with_(batch_size=1), embedder, base, MINI, progress=embedding, control=control)
    assert embedder.texts > 0  # it was embedding when it stopped
    assert _snapshot(settings.index_dir, settings.library_dir) == before  # the parse cache entry too
    add_bulletin(settings, HashEmbedder(), base, MINI)  # and the same file goes in afterwards


def test_a_rebuild_reads_library_files_under_the_same_budget(settings, base, heavy):
    settings.library_dir.mkdir()
    (settings.library_dir / heavy.name).write_bytes(heavy.read_bytes())
    before = _snapshot(settings.index_dir)
    with pytest.raises(BudgetExceeded, match="took longer than"):
        rebuild_library(settings.with_(ingest_timeout_s=0.3), HashEmbedder())
    assert _snapshot(settings.index_dir) == before and _workers() == []


def test_the_service_cancels_an_add_and_searches_go_on_meanwhile(settings, heavy):
    service = Service(settings, HashEmbedder())
    service.start()
    generation = service.retriever.index.manifest.generation
    reading, errors = threading.Event(), []
    control = Control(on_parse=lambda label, seconds: reading.set())

    def add():
        try:
            service.add(heavy, control=control)
        except IngestCancelled as exc:
            errors.append(exc)

    thread = threading.Thread(target=add)
    thread.start()
    assert reading.wait(30)  # the worker is reading the file
    assert service.search("公共数据 校核", 3)  # nothing the add holds keeps a search waiting
    assert service.cancel() == "cancelled"
    thread.join(30)
    assert errors and _workers() == []
    assert service.retriever.index.manifest.generation == generation
    assert not settings.library_dir.exists() or not any(settings.library_dir.iterdir())
    assert service.cancel() == "none"  # nothing is running now


def test_a_worker_dies_with_its_parent(bulletin_pdf):
    """A parent killed with SIGKILL (no chance to clean up) takes its worker with it, mid-file."""
    code = f"""
import hashlib, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from rag.config import Settings
from rag.ingest.run import Job, read_in_worker
p = Path({str(bulletin_pdf)!r})
read_in_worker(Settings(), [Job(p, p.name, p.stem, p.name, hashlib.sha256(p.read_bytes()).hexdigest())])
"""
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        worker = None
        for _ in range(200):  # the PDF keeps the worker busy for seconds
            worker = next(iter(_workers(parent.pid)), None)
            if worker:
                break
            time.sleep(0.02)
        assert worker, "no worker started"
    finally:
        parent.kill()
        parent.wait()
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.02)
    assert not _alive(worker)
    # Its private folder stayed behind (no one ran the parent's cleanup); the next ingest sweeps it.
    mine = f'"parent": {parent.pid},'
    left = [d for d in Path(tempfile.gettempdir()).glob("bulletin-ingest-*") if mine in _read(d / "job.json")]
    assert left
    read_in_worker(Settings(), [])
    assert not any(d.exists() for d in left)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody reaped (an orphan's fate when PID 1 does not reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
