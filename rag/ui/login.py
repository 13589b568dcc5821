"""The app's login check: constant-time comparison, and failures slowed down.

Gradio calls the check from its /login route; an async check lets a failure wait without holding a
worker thread. Failures take turns (one lock), so thirty guesses sent at once take as long as thirty
sent one by one; a correct password never waits for them.
"""

from __future__ import annotations

import asyncio
import hmac
import time

from rag.config import Settings

RESET_AFTER_S = 600.0  # a run of failures is forgotten after ten quiet minutes


class LoginCheck:
    def __init__(self, settings: Settings) -> None:
        user, sep, password = settings.app_auth.partition(":")
        if not sep or not user or not password:
            raise ValueError("RAG_APP_AUTH must be user:password")
        self._user, self._password = user.encode(), password.encode()
        self._delay, self._max = settings.login_delay_s, settings.login_delay_max_s
        self._failures = 0
        self._last_failure = 0.0
        self._turn: asyncio.Lock | None = None

    async def verify(self, username: str, password: str) -> bool:
        # A plain async method, not __call__: Gradio awaits the check only when
        # inspect.iscoroutinefunction says so, and an un-awaited coroutine is truthy (a login for anyone).
        ok = hmac.compare_digest(username.encode(), self._user) & hmac.compare_digest(password.encode(), self._password)
        if ok:
            return True
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:
            now = time.monotonic()
            if now - self._last_failure > RESET_AFTER_S:
                self._failures = 0
            self._failures += 1
            self._last_failure = now
            await asyncio.sleep(self.wait_s(self._failures))
        return False

    def wait_s(self, failures: int) -> float:
        return min(self._delay * 2 ** (failures - 1), self._max)
