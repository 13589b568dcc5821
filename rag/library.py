"""The bulletins in the index: list, add, remove.

Each change writes a new index generation (the old one stays in use until the switch) and reuses
the vectors of passages that did not change, so adding one bulletin embeds only its own passages.
A new file is read in the ingest worker (rag.ingest) before anything is written: a file that is no
bulletin, or needs more time or memory than the budget, never reaches the library folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rag.config import Settings, resolve_path
from rag.errors import UserError
from rag.index import Index, build_index, forget_parsed, load_index, parse_upload
from rag.ingest.control import Control
from rag.load import SUPPORTED, LoadError, keep_metadata
from rag.models.base import Embedder
from rag.parse.issue import META_FIELDS, ParseError
from rag.store.atomic import atomic_write_bytes
from rag.store.manifest import IndexMissing, IndexProblem

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


def _free_path(folder: Path, name: str) -> Path:
    path, n = folder / name, 1
    while path.exists():
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def add_bulletin(
    settings: Settings,
    embedder: Embedder,
    index: Index,
    file: Path,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    meta: dict | None = None,
    control: Control | None = None,
) -> Index:
    """Read ``file`` as a bulletin (in the ingest worker, under its time and memory budget), copy it into
    the library folder and index it with the rest.

    ``meta`` (name, number, total_number, date) overrides what the masthead or file name says. A refused
    file, a failure or a cancel through ``control`` leaves the index and the library folder as they were.
    """
    name = safe_name(name or Path(file).name)
    file = Path(file)
    size = file.stat().st_size
    if size > settings.max_upload_bytes:
        raise LibraryError(f"{name}: {size:,} bytes; the limit is {settings.max_upload_bytes:,}")
    data = file.read_bytes()
    meta = {k: str(v).strip() for k, v in (meta or {}).items() if k in META_FIELDS and v and str(v).strip()}
    digest = hashlib.sha256(data).hexdigest()
    for e in index.manifest.corpus:
        if e["sha256"] == digest:
            raise LibraryError(f"{name}: {e['label']} is already in the library ({e['path']}); remove it first")
    folder = Path(settings.library_dir)
    dest = _free_path(folder, name)
    try:
        parsed = parse_upload(settings, dest, file, name, meta, control)
    except (LoadError, ParseError) as exc:
        raise LibraryError(str(exc)) from exc
    try:
        _admit(name, parsed.parsed.entry, index)
        if control:
            control.check()
        return _copy_and_build(settings, embedder, index, dest, data, meta, progress, control)
    except BaseException:
        forget_parsed(settings, [parsed.cache_key])
        raise


def _admit(name: str, entry: dict, index: Index) -> None:
    """A parsed file goes in only as a bulletin with articles, of an issue not in the library yet."""
    if not entry["articles"]:
        raise LibraryError(f"{name}: no articles found (a bulletin needs titled articles, e.g. under a 本期要目)")
    for e in index.manifest.corpus:
        if e["issue_id"] == entry["issue_id"]:
            raise LibraryError(f"{name}: {e['label']} is already in the library ({e['path']}); remove it first")


def _copy_and_build(settings, embedder, index: Index, dest: Path, data: bytes, meta: dict, progress, control) -> Index:
    """The file in the library folder, then the index with it; on any failure neither stays."""
    folder = dest.parent
    made_folder = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(dest, data)
    try:
        keep_metadata(dest, meta)  # so that a rebuild from the library folder reads it the same way
        return build_index(settings, embedder, [*_paths(index), dest], progress, reuse=index, control=control)
    except BaseException:
        keep_metadata(dest, None)
        dest.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def remove_bulletin(
    settings: Settings, embedder: Embedder, index: Index, issue: str, progress=None, control: Control | None = None
) -> Index:
    """Drop one bulletin (by issue id, label or path); its copy in the library folder is deleted."""
    corpus = index.manifest.corpus
    gone = [e for e in corpus if issue in (e["issue_id"], e["label"], e["path"])]
    if not gone:
        known = ", ".join(e["issue_id"] for e in corpus)
        raise LibraryError(f"no bulletin {issue!r} in the library (it holds: {known})")
    keep = [resolve_path(e["path"]) for e in corpus if e not in gone]
    if not keep:
        raise LibraryError("that is the only bulletin in the library; add another before removing it")
    new = build_index(settings, embedder, keep, progress, reuse=index, control=control)
    library = Path(settings.library_dir).resolve()
    for e in gone:
        path = resolve_path(e["path"]).resolve()
        if path.parent == library:  # bundled bulletins stay where they are
            keep_metadata(path, None)
            path.unlink(missing_ok=True)
    return new


def _paths(index: Index) -> list[Path]:
    return [resolve_path(e["path"]) for e in index.manifest.corpus]


def library_paths(settings: Settings) -> list[Path]:
    """What the library is: the bundled corpus and every bulletin added to the library folder."""
    folder = Path(settings.library_dir)
    extra = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED) if folder.is_dir() else []
    return [*settings.corpus, *extra]


def rebuild_library(
    settings: Settings, embedder: Embedder, progress: Callable[[int, int], None] | None = None, control: Control | None = None
) -> Index:
    """A fresh index of the whole library. Vectors of the current index, when it can be read and the
    same model built it, are reused for passages that did not change."""
    try:
        current = load_index(settings, verify=False, check_sources=False)
    except IndexProblem:
        current = None
    return build_index(settings, embedder, library_paths(settings), progress, reuse=current, control=control)


def open_library(settings: Settings, embedder: Embedder, progress: Callable[[int, int], None] | None = None) -> Index:
    """The index every interface starts from (CLI, app, benchmarks): loaded and checked, or, when there is
    none yet, built from the whole library. A damaged or out-of-date index raises IndexProblem."""
    try:
        return load_index(settings, embedder)
    except IndexMissing:
        log.warning("No index in %s yet: building it from the library.", settings.index_dir)
        return rebuild_library(settings, embedder, progress)
