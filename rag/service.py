"""The one way the interfaces reach the system — the CLI (rag.cli), the app (app.py) and the OpenAI-compatible
API (rag.api) are thin layers over a Service: open the library, search, ask (a question in a conversation,
as typed events: rag.answer.events), digest, the targets table, lookup, versions, add, remove, build. It
decides nothing about retrieval or answers itself; it wires the stages once and keeps what concurrent users
of a long-running front end must share safely (one index, one LLM answer at a time, one library change).

Modules of the later stages are imported where they are first used: `rag targets` reads its table without
importing the answer pipeline and its language data.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.filters import Filters, facets
from rag.ingest.control import Control, IngestCancelled
from rag.loaded import LoadedIndex, NoIndex, Progress
from rag.store.manifest import IndexMissing
from rag.types import Answer, Chunk, Passage

if TYPE_CHECKING:
    from rag.answer.events import AnswerEvent
    from rag.answer.pipeline import Answerer
    from rag.digest.extract import Digest
    from rag.index import Index
    from rag.library import Bulletin
    from rag.lookup import Context, Provision
    from rag.models.llm import LLM
    from rag.targets import Target

log = logging.getLogger(__name__)

# Answer modes as the app names them -> the LLM backend setting.
MODES = {"extractive": "none", "local": "local", "openai": "openai"}


def mode_of(llm: str) -> str:
    """The answer mode of an LLM backend setting (Settings.llm: none, local, openai)."""
    return next((m for m, backend in MODES.items() if backend == llm), "extractive")


class Service(LoadedIndex):
    """The library (rag.loaded.LoadedIndex: opened, followed on disk) and everything done with it."""

    def __init__(self, settings: Settings, embedder=None, progress: Progress | None = None) -> None:
        super().__init__(settings, embedder, progress)
        self._llms: dict[str, LLM | None] = {}
        self._changes = threading.Lock()  # one library change at a time
        self._running: Control | None = None  # the library change under way, which cancel() stops
        # Two cores: one LLM answer at a time. Searches and extractive answers never take this lock.
        self._llm_turn = threading.Lock()
        self._loading = threading.Lock()  # a 1.9 GB model is loaded once, however many ask at once

    def build(
        self, paths: Sequence[Path] | None = None, progress: Progress | None = None, control: Control | None = None
    ) -> Index:
        """A fresh index of the whole library (the bundled bulletins and the library folder), or, given
        ``paths``, of exactly those files."""
        from rag.index import build_index
        from rag.library import rebuild_library

        with self._change(control) as control:
            if paths:
                index = build_index(self.settings, self.embedder, [Path(p) for p in paths], progress, control=control)
            else:
                index = rebuild_library(self.settings, self.embedder, progress, control)
            self._use(index)
            return index

    def rebuild(self, progress: Progress | None = None, control: Control | None = None) -> Index:
        return self.build(None, progress, control)

    # --- questions -----------------------------------------------------------------------------

    def modes(self) -> list[str]:
        """Answer modes that can run here: extractive always, the others when installed or configured."""
        out = ["extractive"]
        if importlib.util.find_spec("llama_cpp") is not None and _weights_installed():
            out.append("local")
        if self.settings.openai_base_url and self.settings.openai_model:
            out.append("openai")
        return out

    def default_mode(self) -> str:
        """The configured mode (RAG_LLM) when it can run here, else extractive."""
        wanted = mode_of(self.settings.llm)
        return wanted if wanted in self.modes() else "extractive"

    def _llm(self, mode: str) -> LLM | None:
        _check_mode(mode)
        with self._loading:
            if mode not in self._llms:
                from rag.models.llm import load_llm

                self._llms[mode] = load_llm(self.settings.with_(llm=MODES[mode]))
            return self._llms[mode]

    def answerer(self, mode: str = "extractive") -> Answerer:
        """The answer pipeline of one mode over the current index (built once per index and mode)."""
        from rag.answer.pipeline import Answerer

        _check_mode(mode)
        retriever = self.retriever  # no index: said before a model is loaded
        with self._state:
            answerer = self._answerers.get(mode)
            if answerer is not None and answerer.retriever is retriever:
                return answerer
        answerer = Answerer(retriever, self.settings, self._llm(mode))
        with self._state:
            self._answerers[mode] = answerer
        return answerer

    def ask(self, question: str, filters: Filters | None = None, mode: str = "extractive", history=None) -> Iterator[AnswerEvent]:
        """A question, in a conversation when ``history`` (earlier turns: rag.conversation.chat.as_turns) is
        given: how it was understood (Resolved), its text as it is written, then the finished Answer
        (rag.answer.events; ``follow`` and ``final_answer`` read them)."""
        from rag.conversation import chat
        from rag.query import normalize_query

        normalize_query(question, self.settings.max_query_chars)  # a bad question fails before any wait
        turns = chat.as_turns(history)  # and a bad history
        answerer = self.answerer(mode)
        # The LLM may rewrite the follow-up as well as answer it: both inside the one LLM turn.
        chat.resolver_for(answerer)  # built once per index, outside that turn
        with contextlib.nullcontext() if answerer.llm is None else self._llm_turn:
            yield from chat.converse(answerer, question, turns, filters)

    def answer(self, question: str, filters: Filters | None = None, mode: str = "extractive", history=None) -> Answer:
        from rag.answer.events import final_answer

        return final_answer(self.ask(question, filters, mode, history))

    def warm(self, mode: str, question: str) -> None:
        """Load a mode's model and answer one question, so the first user does not wait for either."""
        t0 = time.perf_counter()
        try:
            self.answer(question, mode=mode)
            log.info("The %s model is ready (loaded and warmed up in %.1f s).", mode, time.perf_counter() - t0)
        except Exception:  # a warm-up is a courtesy: the user's own question will report the problem
            log.exception("warming up %s failed", mode)

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        return self.retriever.search(question, k, filters)

    def lookup(self, reference: str, limit: int = 5) -> list[Provision]:
        from rag.lookup import lookup

        return lookup(self.index.chunks, reference, limit, self.settings.max_query_chars)

    def versions(self, title: str, limit: int = 5) -> list:
        """The versions of the documents whose title is (or holds) ``title`` (rag.versions.Group), each with
        its status and the provision diff between consecutive versions."""
        from rag.query import normalize_query
        from rag.versions import Catalogue

        title = normalize_query(title, self.settings.max_query_chars)
        index = self.index
        with self._state:
            retriever = self._retriever
        catalogue = retriever.versions if retriever is not None else Catalogue(index.chunks)  # the retriever's is kept
        return catalogue.find(title, limit)

    def context(self, chunk_id: str) -> Context:
        from rag.lookup import context

        return context(self.index.chunks, chunk_id)

    # --- the digest and the targets table -------------------------------------------------------

    def digest(self, issue: str | None = None, mode: str = "extractive") -> Digest:
        """本期要点 of one issue (default: the latest); an LLM mode writes the points, one LLM turn at a time."""
        from rag.digest import build_digest

        index = self.index
        if mode == "extractive":
            return build_digest(index.chunks, index.targets, issue)
        llm = self._llm(mode)
        with self._llm_turn:
            s = self.settings
            return build_digest(index.chunks, index.targets, issue, llm, s.prompts_dir, s.citations)

    def targets(self, region=(), year=(), kind=(), issue=(), indicator: str = "") -> list[Target]:
        """Rows of the targets table kept with the index (rag.targets.select filters them). A service that
        has not opened the index reads the table alone (no embedding model, no vectors), after building the
        index when there is none yet."""
        from rag.targets import select

        with self._state:
            opened = self._index is not None or self.problem is not None
        if opened:
            rows = self.index.targets
            if rows is None:
                raise NoIndex("the index holds no targets table of this version")
        else:
            rows = self._read_targets()
        return select(rows, region, year, kind, issue, indicator)

    def _read_targets(self) -> list[Target]:
        from rag.store.manifest import IndexMismatch
        from rag.store.targets import read_targets

        try:
            manifest, rows = read_targets(self.settings.index_dir)
        except IndexMissing:
            self.open()
            manifest, rows = read_targets(self.settings.index_dir)
        if stale := manifest.stale_sources():
            raise IndexMismatch(f"the index is out of date: {', '.join(stale)} changed since it was built")
        return rows

    def target_passage(self, row: Target) -> tuple[Chunk, tuple[int, int] | None] | None:
        """The passage holding a row's value, and the value's offsets in it."""
        from rag.targets.rows import passage_of

        return passage_of(self.index.chunks, row)

    # --- the library ---------------------------------------------------------------------------

    def bulletins(self) -> list[Bulletin]:
        from rag.library import bulletins

        return bulletins(self.index)

    def facets(self) -> dict[str, list]:
        """The values each filter can take in the current library (rag.filters.facets), by field name."""
        with self._state:
            chunks = self._index.chunks if self._index is not None else []
        return facets(chunks)

    def add(
        self,
        file: Path,
        name: str | None = None,
        progress: Progress | None = None,
        meta: dict | None = None,
        control: Control | None = None,
    ) -> Bulletin:
        """Add one bulletin; on any error or a cancel the current index stays in use, unchanged. The file is
        read in the ingest worker, so searches and answers go on meanwhile."""
        from rag.library import add_bulletin, added_bulletin

        with self._change(control) as control:
            index = add_bulletin(self.settings, self.embedder, self.retriever.index, file, name, progress, meta, control)
            self._use(index)
        return added_bulletin(index, file)

    def remove(self, issue: str, progress: Progress | None = None, control: Control | None = None) -> None:
        from rag.library import remove_bulletin

        with self._change(control) as control:
            self._use(remove_bulletin(self.settings, self.embedder, self.retriever.index, issue, progress, control))

    @contextmanager
    def _change(self, control: Control | None) -> Iterator[Control]:
        """One library change at a time; while it runs, cancel() reaches it."""
        control = control or Control()
        outcome = "failed"
        with self._changes:
            self._running = control
            try:
                control.check()  # cancelled while it waited for the change before it
                yield control
                outcome = "done"
            except IngestCancelled:
                outcome = "cancelled"
                raise
            finally:
                self._running = None
                control.end(outcome)

    def cancel(self, wait_s: float = 30.0) -> str:
        """Cancel the library change under way (a worker reading a file is killed; a build stops before
        its switch) and wait up to ``wait_s`` for it to end. Returns its outcome: "cancelled" (nothing
        changed), "done" (too late: it went through), "failed", "running" (not over yet), or "none"."""
        control = self._running
        if control is None:
            return "none"
        control.cancel()
        return control.wait(wait_s) or "running"


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown answer mode {mode!r}; choose one of {', '.join(MODES)}")


def _weights_installed() -> bool:
    from rag.models.gguf import ModelUnavailable, part_files

    try:
        part_files()
    except ModelUnavailable:
        return False
    return True
