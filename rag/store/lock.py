"""One writer per index folder at a time, across processes (the app, the CLI, a second app)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Held for a whole build; a second build of the same folder waits for the first to finish.
    The kernel drops the lock when its process dies, so a killed build never leaves it held."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
