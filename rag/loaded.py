"""The library's index as a long-running process holds it (rag.service builds on this): opened, or built
from the library when there is none yet; swapped whole after a change; and followed on disk, where another
process (the CLI, a second app) may have changed the library since."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.store.manifest import FILENAME, IndexMissing, IndexProblem, Manifest

if TYPE_CHECKING:
    from rag.answer.pipeline import Answerer
    from rag.index import Index
    from rag.retrieve import Retriever

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


class NoIndex(IndexProblem):
    """No usable index is loaded; the message says why and what to do."""

    hint = "rebuild it in the app's Library tab, or: python -m rag build"


class LoadedIndex:
    def __init__(self, settings: Settings, embedder=None, progress: Progress | None = None) -> None:
        """``progress``: embedding progress of a build it starts itself (a library with no index yet)."""
        self.settings, self.progress = settings, progress
        self._embedder = embedder
        self._index: Index | None = None
        self._retriever: Retriever | None = None  # None while the index was read without the model
        self._answerers: dict[str, Answerer] = {}  # per index (rag.service), dropped with it
        self.problem: str | None = None
        self._state = threading.Lock()  # guards the swap of index, retriever and answerers
        self._reloading = threading.Lock()
        self._seen: tuple[int, int, int] | None = None  # the manifest file the loaded index was checked against

    @property
    def embedder(self):
        if self._embedder is None:
            from rag.models.embedder import load_embedder

            self._embedder = load_embedder(self.settings)
        return self._embedder

    # --- the index ---------------------------------------------------------------------------

    def open(self, progress: Progress | None = None, model: bool = True) -> Index:
        """The library's index, loaded and checked, or built from the whole library when there is none yet; a
        damaged or out-of-date one raises IndexProblem. ``model=False`` reads it without the embedding model
        (loaded only to build): what the commands that list, look up or digest need, not a search."""
        from rag.index import load_index
        from rag.library import open_library

        if not model:
            try:
                index = load_index(self.settings)
            except IndexMissing:
                pass
            else:
                self._use(index, model=False)
                return index
        index = open_library(self.settings, self.embedder, progress or self.progress)
        self._use(index)
        return index

    def start(self, progress: Progress | None = None) -> None:
        """Open the index for a long-running front end: a damaged one is reported (``problem``), not served."""
        try:
            self.open(progress)
        except IndexProblem as exc:
            self.problem = str(exc)
            log.error("The index cannot be used: %s", exc)

    def _use(self, index: Index, seen: tuple[int, int, int] | None = None, model: bool = True) -> None:
        from rag.retrieve import Retriever

        retriever = Retriever(index, self.embedder, self.settings) if model else None
        with self._state:
            self._index, self._retriever, self._answerers, self.problem = index, retriever, {}, None
            self._seen = seen

    @property
    def index(self) -> Index:
        """The current index (see ``retriever``)."""
        return self._current()[0]

    @property
    def retriever(self) -> Retriever:
        """The current index's retriever. Another process (the CLI, a second app) may have changed the
        library since it was loaded: a new manifest generation on disk is loaded first, so nobody is
        answered from, or changes the library on, a list of bulletins that is no longer the library."""
        retriever = self._current()[1]
        if retriever is None:  # the index was read without the model: opened with it, which checks the model
            self.open()
            retriever = self._current()[1]
        assert retriever is not None
        return retriever

    def _current(self) -> tuple[Index, Retriever | None]:
        self._follow_disk()
        with self._state:
            if self._index is None:
                raise NoIndex(self.problem or "no index is loaded")
            return self._index, self._retriever

    def _follow_disk(self) -> None:
        seen = _manifest_stamp(self.settings)
        if seen is None or seen == self._seen:  # one stat() per call while nothing changed
            return
        with self._reloading:
            if seen == self._seen:
                return
            with self._state:
                mine = self._index.manifest.generation if self._index is not None else None
                model = self._retriever is not None
            try:
                on_disk = Manifest.load(self.settings.index_dir).generation
                if on_disk != mine:
                    from rag.index import load_index

                    log.info("The library changed on disk (generation %s): loading it.", on_disk)
                    self._use(load_index(self.settings, self.embedder if model else None), seen, model)
                    return
            except IndexProblem as exc:
                # Mid-switch or damaged: keep answering from the index we have, look again next call.
                log.warning("the index on disk cannot be loaded yet (%s); keeping generation %s", exc, mine)
                return
            with self._state:
                self._seen = seen


def _manifest_stamp(settings: Settings) -> tuple[int, int, int] | None:
    """Identity of the manifest file: a switch writes a new file (atomic rename), so a new inode."""
    try:
        st = (Path(settings.index_dir) / FILENAME).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)
