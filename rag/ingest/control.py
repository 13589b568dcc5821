"""What a caller holds over a running ingest (a library change in the app, `rag add`, a build): a way to
cancel it from another thread, and a view of the worker while it reads a file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.errors import UserError


class IngestCancelled(UserError):
    """The user cancelled the change before the index switched; nothing changed."""


class BudgetExceeded(UserError, ValueError):
    """A file needed more wall time or memory to read than the ingest budget allows; it was refused."""


@dataclass
class Control:
    """Checked between the steps of a library change and, while the worker runs, five times a second.

    ``on_parse(label, seconds)`` is called about five times a second while the worker reads the file ``label``.
    """

    on_parse: Callable[[str, float], None] | None = None
    _cancelled: threading.Event = field(default_factory=threading.Event, repr=False)
    _ended: threading.Event = field(default_factory=threading.Event, repr=False)
    outcome: str = ""  # once ended: "done", "cancelled" or "failed"

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def end(self, outcome: str) -> None:
        """Said by whoever ran the change, when it is over and everything is back in place or switched."""
        self.outcome = outcome
        self._ended.set()

    def wait(self, timeout: float | None = None) -> str:
        """The outcome, once the change ended; "" if it is still running after ``timeout`` seconds."""
        return self.outcome if self._ended.wait(timeout) else ""

    def check(self) -> None:
        """Raise IngestCancelled once cancel() was called: callers check before each step that changes anything."""
        if self._cancelled.is_set():
            raise IngestCancelled("cancelled: the library and the index are as they were")
