"""One loaded library for a long-running front end (the app): search, answers per mode, lookup,
library changes. It decides nothing about retrieval itself: it calls the functions the CLI calls,
and keeps what must be shared safely between concurrent users.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.answer.pipeline import Answerer
from rag.config import Settings
from rag.conversation import chat
from rag.conversation.resolve import Resolution, read_history
from rag.digest.extract import Digest
from rag.filters import Filters, facets
from rag.index import Index, load_index
from rag.ingest.control import Control, IngestCancelled
from rag.library import Bulletin, add_bulletin, added_bulletin, bulletins, open_library, rebuild_library, remove_bulletin
from rag.lookup import Context, Provision, context, lookup
from rag.models.llm import LLM, load_llm
from rag.query import normalize_query
from rag.retrieve import Retriever
from rag.store.manifest import FILENAME, IndexProblem, Manifest
from rag.targets import Target, select
from rag.targets.rows import passage_of
from rag.types import Answer, Chunk, Passage

log = logging.getLogger(__name__)

# Answer modes as the app names them -> the LLM backend setting.
MODES = {"extractive": "none", "local": "local", "openai": "openai"}
Progress = Callable[[int, int], None]


class NoIndex(IndexProblem):
    """The service has no usable index; the message says why and what to do."""

    hint = "rebuild it in the app's Library tab, or: python -m rag build"


class Service:
    def __init__(self, settings: Settings, embedder=None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._retriever: Retriever | None = None
        self._answerers: dict[str, Answerer] = {}
        self._llms: dict[str, LLM | None] = {}
        self.problem: str | None = None
        self._state = threading.Lock()  # guards the swap of index and answerers
        self._changes = threading.Lock()  # one library change at a time
        self._running: Control | None = None  # the library change under way, which cancel() stops
        # Two cores: one LLM answer at a time. Searches and extractive answers never take this lock.
        self._llm_turn = threading.Lock()
        self._loading = threading.Lock()  # a 1.9 GB model is loaded once, however many ask at once
        self._reloading = threading.Lock()
        self._seen: tuple[int, int, int] | None = None  # the manifest file the loaded index was checked against

    @property
    def embedder(self):
        if self._embedder is None:
            from rag.models.embedder import load_embedder

            self._embedder = load_embedder(self.settings)
        return self._embedder

    # --- the index ---------------------------------------------------------------------------

    def start(self, progress: Progress | None = None) -> None:
        """Load the index, building it on first start; a damaged one is reported, not served."""
        try:
            index = open_library(self.settings, self.embedder, progress)
        except IndexProblem as exc:
            self.problem = str(exc)
            log.error("The index cannot be used: %s", exc)
            return
        self._use(index)

    def rebuild(self, progress: Progress | None = None, control: Control | None = None) -> Index:
        """A fresh index of the whole library: the bundled bulletins and the library folder."""
        with self._change(control) as control:
            index = rebuild_library(self.settings, self.embedder, progress, control)
            self._use(index)
            return index

    def _use(self, index: Index, seen: tuple[int, int, int] | None = None) -> None:
        retriever = Retriever(index, self.embedder, self.settings)
        with self._state:
            self._retriever, self._answerers, self.problem = retriever, {}, None
            self._seen = seen

    @property
    def retriever(self) -> Retriever:
        """The current index's retriever. Another process (the CLI, a second app) may have changed the
        library since it was loaded: a new manifest generation on disk is loaded first, so nobody is
        answered from, or changes the library on, a list of bulletins that is no longer the library."""
        self._follow_disk()
        with self._state:
            if self._retriever is None:
                raise NoIndex(self.problem or "no index is loaded")
            return self._retriever

    def _follow_disk(self) -> None:
        seen = _manifest_stamp(self.settings)
        if seen is None or seen == self._seen:  # one stat() per call while nothing changed
            return
        with self._reloading:
            if seen == self._seen:
                return
            with self._state:
                mine = self._retriever.index.manifest.generation if self._retriever is not None else None
            try:
                on_disk = Manifest.load(self.settings.index_dir).generation
                if on_disk != mine:
                    log.info("The library changed on disk (generation %s): loading it.", on_disk)
                    self._use(load_index(self.settings, self.embedder), seen)
                    return
            except IndexProblem as exc:
                # Mid-switch or damaged: keep answering from the index we have, look again next call.
                log.warning("the index on disk cannot be loaded yet (%s); keeping generation %s", exc, mine)
                return
            with self._state:
                self._seen = seen

    # --- questions -----------------------------------------------------------------------------

    def modes(self) -> list[str]:
        """Answer modes that can run here: extractive always, the others when installed or configured."""
        out = ["extractive"]
        if importlib.util.find_spec("llama_cpp") is not None and _weights_installed():
            out.append("local")
        if self.settings.openai_base_url and self.settings.openai_model:
            out.append("openai")
        return out

    def _answerer(self, mode: str) -> Answerer:
        if mode not in MODES:
            raise ValueError(f"unknown answer mode {mode!r}; choose one of {', '.join(MODES)}")
        retriever = self.retriever
        with self._state:
            answerer = self._answerers.get(mode)
            if answerer is not None and answerer.retriever is retriever:
                return answerer
        with self._loading:
            if mode not in self._llms:
                self._llms[mode] = load_llm(self.settings.with_(llm=MODES[mode]))
        answerer = Answerer(retriever, self.settings, self._llms[mode])
        with self._state:
            self._answerers[mode] = answerer
        return answerer

    def ask(
        self, question: str, filters: Filters | None = None, mode: str = "extractive", history=None
    ) -> Iterator[str | Answer]:
        """Text as it is written, then the finished Answer (see Answerer.stream); with ``history`` (earlier
        turns, rag.conversation.resolve.read_history) a follow-up is answered as the question it stands for."""
        for event in self.converse(question, history, filters, mode):
            if not isinstance(event, Resolution):
                yield event

    def converse(
        self, question: str, history=None, filters: Filters | None = None, mode: str = "extractive"
    ) -> Iterator[Resolution | str | Answer]:
        """A question in a conversation: how it was understood (a Resolution) first, then as ``ask``."""
        normalize_query(question, self.settings.max_query_chars)  # a bad question fails before any wait
        turns = read_history(history)  # and a bad history
        answerer = self._answerer(mode)
        # The LLM may rewrite the follow-up as well as answer it: both inside the one LLM turn.
        chat.resolver_for(answerer)  # built once per index: not a resolution's time
        with contextlib.nullcontext() if answerer.llm is None else self._llm_turn:
            t0 = time.perf_counter()
            resolution = chat.resolve(answerer, question, turns)
            yield resolution
            yield from chat.stream_resolved(answerer, resolution, filters, time.perf_counter() - t0)

    def default_mode(self) -> str:
        """The configured mode (RAG_LLM) when it can run here, else extractive."""
        wanted = next((m for m, backend in MODES.items() if backend == self.settings.llm), "extractive")
        return wanted if wanted in self.modes() else "extractive"

    def warm(self, mode: str, question: str) -> None:
        """Load a mode's model and answer one question, so the first user does not wait for either."""
        t0 = time.perf_counter()
        try:
            self.answer(question, mode=mode)
            log.info("The %s model is ready (loaded and warmed up in %.1f s).", mode, time.perf_counter() - t0)
        except Exception:  # a warm-up is a courtesy: the user's own question will report the problem
            log.exception("warming up %s failed", mode)

    def answer(self, question: str, filters: Filters | None = None, mode: str = "extractive", history=None) -> Answer:
        final = None
        for event in self.ask(question, filters, mode, history):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        return self.retriever.search(question, k, filters)

    def lookup(self, reference: str, limit: int = 5) -> list[Provision]:
        return lookup(self.retriever.index.chunks, reference, limit, self.settings.max_query_chars)

    def versions(self, title: str, limit: int = 5) -> list:
        """The versions of the documents whose title is (or holds) ``title`` (rag.versions.Group), each with
        its status and the provision diff between consecutive versions."""
        title = normalize_query(title, self.settings.max_query_chars)
        return self.retriever.versions.find(title, limit)

    def context(self, chunk_id: str) -> Context:
        return context(self.retriever.index.chunks, chunk_id)

    # --- the digest ----------------------------------------------------------------------------------

    def digest(self, issue: str | None = None, mode: str = "extractive") -> Digest:
        """本期要点 of one issue (default: the latest); an LLM mode writes the points, one LLM turn at a time."""
        from rag.digest import build_digest

        if mode == "extractive":
            return build_digest(self.retriever.index.chunks, self.retriever.index.targets, issue)
        answerer = self._answerer(mode)
        with self._llm_turn:
            return build_digest(
                answerer.retriever.index.chunks, answerer.retriever.index.targets, issue, answerer.llm, self.settings.prompts_dir
            )

    # --- the targets table ---------------------------------------------------------------------

    def targets(self, region=(), year=(), kind=(), issue=(), indicator: str = "") -> list[Target]:
        """Rows of the targets table kept with the index (rag.targets.select filters them)."""
        rows = self.retriever.index.targets
        if rows is None:
            raise NoIndex("the index holds no targets table of this version")
        return select(rows, region, year, kind, issue, indicator)

    def target_passage(self, row: Target) -> tuple[Chunk, tuple[int, int] | None] | None:
        """The passage holding a row's value, and the value's offsets in it."""
        return passage_of(self.retriever.index.chunks, row)

    # --- the library ---------------------------------------------------------------------------

    def bulletins(self) -> list[Bulletin]:
        return bulletins(self.retriever.index)

    def facets(self) -> dict[str, list]:
        """The values each filter can take in the current library (rag.filters.facets), by field name."""
        with self._state:
            chunks = self._retriever.index.chunks if self._retriever is not None else []
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
        with self._change(control) as control:
            index = add_bulletin(self.settings, self.embedder, self.retriever.index, file, name, progress, meta, control)
            self._use(index)
        return added_bulletin(index, file)

    def remove(self, issue: str, progress: Progress | None = None, control: Control | None = None) -> None:
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


def _manifest_stamp(settings: Settings) -> tuple[int, int, int] | None:
    """Identity of the manifest file: a switch writes a new file (atomic rename), so a new inode."""
    try:
        st = (Path(settings.index_dir) / FILENAME).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _weights_installed() -> bool:
    from rag.models.gguf import ModelUnavailable, part_files

    try:
        part_files()
    except ModelUnavailable:
        return False
    return True
