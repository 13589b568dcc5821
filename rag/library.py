"""The bulletins in the index: list, add, remove.

Each change writes a new index generation (the old one stays in use until the switch) and reuses
the vectors of passages that did not change, so adding one bulletin embeds only its own passages.
Every change holds the library lock from the moment it reads the current manifest until its switch,
so concurrent changes (two CLIs, the app) run one after the other, each on the state the last left.
A new file waits in the library folder under a staging name and is read in the ingest worker
(rag.ingest): a file that is no bulletin, or needs more time or memory than the budget, never takes
its own name there; the rename happens at the switch (rag.store.journal), so a kill leaves no copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rag.config import Settings, display_path, resolve_path
from rag.errors import UserError
from rag.files import atomic_write_bytes, sha256_file
from rag.index import Index, build_index, forget_parsed, load_index, parse_upload
from rag.ingest.control import Control
from rag.load import SUPPORTED, LoadError, keep_metadata, sidecar_of
from rag.models.base import Embedder
from rag.parse.issue import META_FIELDS, ParseError
from rag.store.journal import STAGING_PREFIX, FolderChange, claims, recover
from rag.store.lock import writer_lock
from rag.store.manifest import IndexMissing, IndexProblem, Manifest

log = logging.getLogger(__name__)


class LibraryError(UserError, ValueError):
    """A library change that cannot be made; the index is unchanged."""


@dataclass
class Bulletin:
    issue_id: str
    label: str
    date: str
    path: str
    articles: int
    chunks: int
    reprinted: int = 0  # passages an earlier issue printed already, stored once there


def bulletins(index: Index) -> list[Bulletin]:
    return [
        Bulletin(
            e["issue_id"], e["label"], e.get("date", ""), e["path"], len(e["articles"]), e.get("chunks", 0), e.get("reprinted", 0)
        )
        for e in index.manifest.corpus
    ]


_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


def safe_name(name: str) -> str:
    """A file name fit for the library folder; anything that could climb out of it is refused."""
    base = Path(name).name
    if base != name.strip() or not base or base.startswith(".") or ".." in base or _UNSAFE.search(base):
        raise LibraryError(f"refused file name {name!r}: use a plain name such as bulletin-2024-01.md")
    if Path(base).suffix.lower() not in SUPPORTED:
        raise LibraryError(f"{base}: unsupported file type; supported: {', '.join(sorted(SUPPORTED))}")
    return base


def _free_path(folder: Path, name: str, data: bytes) -> Path:
    """Where the file goes: its own name, unless another file holds that name (the same bytes left
    there by a crash of an older version are simply taken over)."""
    path, n = folder / name, 1
    while path.exists() and path.read_bytes() != data:
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def current_index(settings: Settings, known: Index | None = None) -> Index | None:
    """The index as the manifest on disk has it now (``known`` when it is that generation already), or
    None when there is none. Changes call it with the library lock held: they start from this state,
    never from a copy a process loaded earlier, so a change made meanwhile by another process is kept."""
    try:
        generation = Manifest.load(settings.index_dir).generation
    except IndexMissing:
        return None
    if known is not None and known.manifest.generation == generation:
        return known
    return load_index(settings, verify=False, check_sources=False)


@contextlib.contextmanager
def library_change(settings: Settings, known: Index | None = None) -> Iterator[Index | None]:
    """The library lock, what a killed change left finished or undone, then the current index."""
    with writer_lock(settings.index_dir):
        _recover(settings)
        yield current_index(settings, known)


def _recover(settings: Settings) -> None:
    """Finish or undo a change a killed process left (the caller holds the library lock)."""
    try:
        generation = Manifest.load(settings.index_dir).generation
    except IndexProblem:
        generation = None
    recover(settings.index_dir, settings.library_dir, generation)


def recover_if_idle(settings: Settings) -> None:
    """What a reader does before it opens the index: the same recovery, when no change is under way
    (a reader never waits for a change)."""
    with writer_lock(settings.index_dir, wait=False) as taken:
        if taken:
            _recover(settings)


def add_bulletin(
    settings: Settings,
    embedder: Embedder,
    index: Index | None,
    file: Path,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    meta: dict | None = None,
    control: Control | None = None,
) -> Index:
    """Read ``file`` as a bulletin (in the ingest worker, under its time and memory budget), copy it into
    the library folder and index it with the rest of the library as it is when the lock is taken.

    ``index`` is the caller's copy, used only when it is still the current generation. ``meta`` (name,
    number, total_number, date) overrides what the masthead or file name says. The copy waits under a
    staging name and takes its own name at the switch, so a refused file, a failure, a cancel through
    ``control`` or a kill leaves the index and the library folder as they were, or both changed.
    """
    name = safe_name(name or Path(file).name)
    file = Path(file)
    size = file.stat().st_size
    if size > settings.max_upload_bytes:
        raise LibraryError(f"{name}: {size:,} bytes; the limit is {settings.max_upload_bytes:,}")
    data = file.read_bytes()
    meta = {k: str(v).strip() for k, v in (meta or {}).items() if k in META_FIELDS and v and str(v).strip()}
    digest = hashlib.sha256(data).hexdigest()
    with library_change(settings, index) as current:
        corpus = current.manifest.corpus if current is not None else []
        for e in corpus:
            if e["sha256"] == digest:
                raise LibraryError(f"{name}: {e['label']} is already in the library ({e['path']}); remove it first")
        folder = Path(settings.library_dir)
        folder.mkdir(parents=True, exist_ok=True)
        dest = _free_path(folder, name, data)
        if not dest.exists():
            sidecar_of(dest).unlink(missing_ok=True)  # metadata orphaned by an older version's crash
        staged = folder / f"{STAGING_PREFIX}{uuid.uuid4().hex[:8]}-{dest.name}"
        atomic_write_bytes(staged, data)
        try:
            try:
                parsed = parse_upload(settings, dest, staged, name, meta, control)
            except (LoadError, ParseError) as exc:
                raise LibraryError(str(exc)) from exc
            try:
                _admit(name, parsed.parsed.entry, corpus)
                if control:
                    control.check()
                paths = _paths(current) if current is not None else _others(settings, dest)
                return _build_with(settings, embedder, current, paths, dest, staged, meta, progress, control)
            except BaseException:
                forget_parsed(settings, [parsed.cache_key])
                raise
        finally:
            if not claims(settings.index_dir, staged):  # else the switch happened: the next change moves it
                staged.unlink(missing_ok=True)  # gone already when the add went through
                sidecar_of(staged).unlink(missing_ok=True)


def _others(settings: Settings, dest: Path) -> list[Path]:
    return [p for p in library_paths(settings) if p.resolve() != dest.resolve()]


def _build_with(settings, embedder, current, paths, dest: Path, staged: Path, meta: dict, progress, control) -> Index:
    """The index with ``dest`` added; its bytes (and metadata) take their names at the switch."""
    change = FolderChange(moves=[(str(staged), str(dest))])
    if meta:  # so that a rebuild from the library folder reads it the same way
        keep_metadata(staged, meta)
        change.moves.append((str(sidecar_of(staged)), str(sidecar_of(dest))))
    elif sidecar_of(dest).exists():
        change.deletes.append(str(sidecar_of(dest)))
    given = {display_path(dest): meta} if meta else None
    return build_index(
        settings,
        embedder,
        [*paths, dest],
        progress,
        reuse=current,
        meta=given,
        control=control,
        staged={dest: staged},
        change=change,
    )


def _admit(name: str, entry: dict, corpus: list[dict]) -> None:
    """A parsed file goes in only as a bulletin with articles, of an issue not in the library yet."""
    if not entry["articles"]:
        raise LibraryError(f"{name}: no articles found (a bulletin needs titled articles, e.g. under a 本期要目)")
    for e in corpus:
        if e["issue_id"] == entry["issue_id"]:
            raise LibraryError(f"{name}: {e['label']} is already in the library ({e['path']}); remove it first")


def remove_bulletin(
    settings: Settings, embedder: Embedder, index: Index | None, issue: str, progress=None, control: Control | None = None
) -> Index:
    """Drop one bulletin (by issue id, label or path) from the library as it is when the lock is taken;
    its copy in the library folder is deleted at the switch."""
    with library_change(settings, index) as current:
        if current is None:
            raise LibraryError("there is no index yet: run python -m rag build")
        corpus = current.manifest.corpus
        gone = [e for e in corpus if issue in (e["issue_id"], e["label"], e["path"])]
        if not gone:
            known = ", ".join(e["issue_id"] for e in corpus)
            raise LibraryError(f"no bulletin {issue!r} in the library (it holds: {known})")
        keep = [resolve_path(e["path"]) for e in corpus if e not in gone]
        if not keep:
            raise LibraryError("that is the only bulletin in the library; add another before removing it")
        library = Path(settings.library_dir).resolve()
        change = FolderChange()
        for e in gone:
            path = resolve_path(e["path"]).resolve()
            if path.parent == library:  # bundled bulletins stay where they are
                change.deletes += [str(path), str(sidecar_of(path))]
        return build_index(settings, embedder, keep, progress, reuse=current, control=control, change=change)


def added_bulletin(index: Index, file: Path) -> Bulletin:
    """The bulletin ``file`` became (found by its bytes: other changes may have come in meanwhile)."""
    digest = sha256_file(file)
    return next(b for b, e in zip(bulletins(index), index.manifest.corpus, strict=True) if e["sha256"] == digest)


def _paths(index: Index) -> list[Path]:
    return [resolve_path(e["path"]) for e in index.manifest.corpus]


def library_paths(settings: Settings) -> list[Path]:
    """What the library is: the bundled corpus and every bulletin added to the library folder."""
    folder = Path(settings.library_dir)
    extra = (
        sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED and not p.name.startswith("."))
        if folder.is_dir()
        else []
    )
    return [*settings.corpus, *extra]


def _drop_copies(paths: list[Path], current: Index | None, folder: Path) -> list[Path]:
    """Byte-identical files of the library folder are one bulletin (an older version's killed add left
    such a copy, ``name-1.md``): the one the index lists, or the first, is kept and the others deleted —
    nothing is lost, and the rebuild is not refused as "two files are the same issue"."""
    listed = {resolve_path(e["path"]).resolve() for e in current.manifest.corpus} if current is not None else set()
    by_hash: dict[str, list[Path]] = {}
    for p in paths:
        if p.is_file():
            by_hash.setdefault(sha256_file(p), []).append(p)
    keep: set[Path] = set()
    for group in by_hash.values():
        chosen = next((p for p in group if p.resolve() in listed), group[0])
        keep.add(chosen)
        for p in group:
            if p != chosen and p.parent.resolve() == folder.resolve():  # a bundled file is never deleted
                log.warning("%s is a copy of %s: deleted", display_path(p), display_path(chosen))
                keep_metadata(p, None)
                p.unlink(missing_ok=True)
    return [p for p in paths if p in keep or p.parent.resolve() != folder.resolve()]


def rebuild_library(
    settings: Settings, embedder: Embedder, progress: Callable[[int, int], None] | None = None, control: Control | None = None
) -> Index:
    """A fresh index of the whole library. Vectors of the current index, when it can be read and the
    same model built it, are reused for passages that did not change."""
    with writer_lock(settings.index_dir):
        _recover(settings)
        try:
            current = current_index(settings)
        except IndexProblem:  # unreadable or of another version: built afresh, nothing reused
            current = None
        paths = _drop_copies(library_paths(settings), current, Path(settings.library_dir))
        return build_index(settings, embedder, paths, progress, reuse=current, control=control)


def open_library(settings: Settings, embedder: Embedder, progress: Callable[[int, int], None] | None = None) -> Index:
    """The index every interface starts from (CLI, app, benchmarks): loaded and checked, or, when there is
    none yet, built from the whole library. A damaged or out-of-date index raises IndexProblem."""
    recover_if_idle(settings)
    try:
        return load_index(settings, embedder)
    except IndexMissing:
        log.warning("No index in %s yet: building it from the library.", settings.index_dir)
        return rebuild_library(settings, embedder, progress)
