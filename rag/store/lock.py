"""One writer per index folder at a time, across processes (the app, the CLI, a second app) and
across the threads of one process.

A library change holds the lock for the whole of its work — read the current manifest and folder,
parse, build, switch — so two changes never start from the same state and neither is lost. The
lock is re-entrant for the thread that holds it (a change calls the build, which takes it too):
flock alone would deadlock there, since a second open() of the file is a second lock holder.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

LOCK_NAME = ".lock"


@dataclass
class _Holder:
    thread_lock: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    file: IO[str] | None = None


_holders: dict[Path, _Holder] = {}
_holders_guard = threading.Lock()


def _holder(index_dir: Path) -> _Holder:
    key = index_dir.resolve()
    with _holders_guard:
        return _holders.setdefault(key, _Holder())


@contextmanager
def writer_lock(index_dir: Path, wait: bool = True) -> Iterator[bool]:
    """Held for a whole library change; a second change of the same folder waits for the first.
    The kernel drops the lock when its process dies, so a killed change never leaves it held.
    With ``wait=False`` it yields False at once when another holds it (and True when taken)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    holder = _holder(index_dir)
    if not holder.thread_lock.acquire(blocking=wait):
        yield False
        return
    try:
        if holder.depth == 0:
            f = (index_dir / LOCK_NAME).open("a")
            try:
                fcntl.flock(f, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.close()
                yield False
                return
            holder.file = f
        holder.depth += 1
        try:
            yield True
        finally:
            holder.depth -= 1
            if holder.depth == 0 and holder.file is not None:
                fcntl.flock(holder.file, fcntl.LOCK_UN)
                holder.file.close()
                holder.file = None
    finally:
        holder.thread_lock.release()
