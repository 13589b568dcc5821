"""Build, save and load the whole index: chunks + FAISS + BM25 + manifest.

Each build writes a fresh generation folder and then switches the manifest to
it in one rename, so a build that dies half-way leaves the old index in use.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from rag.chunk import CHUNKER_VERSION, Chunker
from rag.config import Settings, display_path
from rag.files import sha256_file
from rag.index_vectors import Splitter, embed
from rag.ingest.control import Control
from rag.ingest.run import Job, read_in_worker
from rag.load import check_file, given_metadata, load_document
from rag.load.limits import Limits
from rag.models.base import Embedder
from rag.parse.issue import parse_issue
from rag.reprints import merge_reprints
from rag.store.base import VectorStore
from rag.store.bm25_index import BM25Store, TermCounts
from rag.store.chunks import load_chunks, save_chunks
from rag.store.journal import FolderChange
from rag.store.lock import writer_lock
from rag.store.manifest import IndexCorrupt, IndexMismatch, Manifest
from rag.store.parsed import Parsed, cache_key, drop, load_parsed, prune, save_parsed
from rag.store.sentence_vectors import SentenceVectors
from rag.store.targets import current, load_targets, save_targets, targets_info
from rag.store.vectors import load_store
from rag.targets import EXTRACTOR_VERSION, Target
from rag.tokenize import tokenize
from rag.types import Chunk, Issue

log = logging.getLogger(__name__)
PARSER_VERSION = "3"  # 2: PDF/DOCX/plain-text titles, section titles without a closing 。 3: normalised text, PDFs through pdfium
TOKENIZER = "jieba-search-nfkc-v1"


@dataclass
class Index:
    chunks: list[Chunk]
    dense: VectorStore
    lexical: BM25Store
    manifest: Manifest
    sentences: SentenceVectors | None = None
    # Every file's quantitative values (rag.targets); None when the index was built by another extractor.
    targets: list[Target] | None = field(default_factory=list)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {c.id: row for row, c in enumerate(self.chunks)}

    def sentence_vectors(self, chunk: Chunk) -> np.ndarray | None:
        """The stored vectors of ``chunk``'s sentences (split_sentences order), or None."""
        row = self._rows.get(chunk.id)
        if self.sentences is None or row is None:
            return None
        return self.sentences.of(row)


def parse_file(path: Path, meta: dict | None = None, limits: Limits | None = None) -> Issue:
    """One bulletin file, any supported format, read in this process; ``meta`` overrides what its masthead
    says. Builds do not call this: they read files in the ingest worker (rag.ingest), under its budget."""
    doc = load_document(path, limits)
    issue = parse_issue(doc.text, source_path=display_path(path), name=Path(path).stem, pages=doc.pages, meta=meta)
    issue.offsets = doc.offsets  # chunks cite the file's own text, not its normalised form
    return issue


def _metadata(paths: Sequence[Path], meta: dict[str, dict] | None) -> dict[str, dict]:
    """Metadata given for each file now, else what was given when it was added (kept beside it)."""
    meta = meta or {}
    found = {display_path(p): meta.get(display_path(p)) or given_metadata(p) for p in paths}
    return {k: v for k, v in found.items() if v}


def build_index(
    settings: Settings,
    embedder: Embedder,
    paths: Sequence[Path] | None = None,
    progress: Callable[[int, int], None] | None = None,
    reuse: Index | None = None,
    meta: dict[str, dict] | None = None,
    control: Control | None = None,
    staged: dict[Path, Path] | None = None,
    change: FolderChange | None = None,
) -> Index:
    """Parse, chunk, embed and save; vectors of passages ``reuse`` already holds are not embedded again.

    ``meta`` maps a file's display path to metadata that overrides its masthead; without it, what
    was given when the file was added is used. Files not in the parse cache are read in the ingest
    worker, under the budget of ``settings``. ``control`` cancels the build up to the switch to the
    new generation; a cancelled or failed build leaves the index as it was, parse cache included.
    ``staged`` maps a path the new index lists to where its bytes wait (a staged add), and ``change``
    is what happens to the library folder at the switch (rag.store.journal).
    """
    staged = staged or {}
    with writer_lock(settings.index_dir):
        paths = [Path(p) for p in (paths or settings.corpus)]
        for path in paths:
            check_file(staged.get(path, path))
        created: list[str] = []
        try:
            uploads = {p: (src, display_path(p)) for p, src in staged.items()}
            files = _parse_all(settings, paths, _metadata(paths, meta), control, created, uploads)
            chunks, counts, corpus, targets = _merge_issues(files)
            split = Splitter()
            known = _known_vectors(reuse, embedder, split)
            dense, sentences = embed(settings, embedder, chunks, _checked(progress, control), known, split)
            manifest = _manifest(settings, embedder, corpus, len(chunks))
            manifest.targets = targets_info(targets)
            index = Index(chunks, dense, BM25Store.build_from_counts(counts, tokenize), manifest, sentences, targets)
            if control:
                control.check()  # the last moment at which a cancel changes nothing
        except BaseException:
            drop(settings.index_dir, created)
            raise
        save_index(index, settings.index_dir, change)
        prune(settings.index_dir, {e["cache"] for e in corpus})
        return index


@dataclass
class _File:
    """One source file of the library, parsed (or read back from the parse cache)."""

    path: Path
    cache_key: str
    sha256: str
    parsed: Parsed
    meta: dict | None

    @property
    def date(self) -> str:
        return self.parsed.entry["date"]


def parse_upload(
    settings: Settings, path: Path, upload: Path, label: str, meta: dict | None, control: Control | None = None
) -> _File:
    """``upload`` read as the library file ``path`` it is about to become (in the ingest worker, under the
    budget) and put in the parse cache, so that the build which adds it finds it parsed. A file that
    fails leaves no trace; forget_parsed drops the cache entry of one that does not go in after all."""
    with writer_lock(settings.index_dir):
        given = {display_path(path): meta} if meta else {}
        return _parse_all(settings, [path], given, control, [], {path: (upload, label)})[0]


def forget_parsed(settings: Settings, keys: list[str]) -> None:
    with writer_lock(settings.index_dir):
        drop(settings.index_dir, keys)


def _parse_all(
    settings: Settings,
    paths: list[Path],
    meta: dict[str, dict],
    control: Control | None,
    created: list[str],
    uploads: dict[Path, tuple[Path, str]] | None = None,
) -> list[_File]:
    """Every file parsed and chunked: from the parse cache when unchanged, else read in the ingest worker
    (its own process, under the time and memory budget), tokenised here and cached; the keys it cached
    are added to ``created``. ``uploads`` maps a path to where its bytes are now and how to name it."""
    chunker = Chunker(settings.chunk_target_chars, settings.chunk_max_chars)  # bad sizes fail here, not in the worker
    chunking = (chunker.target, chunker.limit, CHUNKER_VERSION, PARSER_VERSION, TOKENIZER, EXTRACTOR_VERSION)
    found: list[tuple[Path, str, str, Parsed | None, dict | None]] = []
    jobs: list[Job] = []
    for path in paths:
        given = meta.get(display_path(path))
        source, label = (uploads or {}).get(path, (path, display_path(path)))
        sha = sha256_file(source)
        key = cache_key(sha, display_path(path), given or {}, chunking)
        parsed = load_parsed(settings.index_dir, key)
        found.append((path, key, sha, parsed, given))
        if parsed is None:
            jobs.append(Job(Path(source), display_path(path), Path(path).stem, label, sha, given))
    read = iter(read_in_worker(settings, jobs, control))
    files = []
    for path, key, sha, parsed, given in found:
        if parsed is None:
            r = next(read)
            parsed = Parsed(r.entry, r.chunks, TermCounts.of([tokenize(c.search_text) for c in r.chunks]), r.keys, r.targets)
            save_parsed(settings.index_dir, key, parsed)
            created.append(key)
        files.append(_File(path, key, sha, parsed, given))
    return files


def _checked(progress: Callable[[int, int], None] | None, control: Control | None) -> Callable[[int, int], None] | None:
    """The embedding progress callback, checking for a cancel between batches."""
    if control is None:
        return progress

    def step(done: int, total: int) -> None:
        control.check()
        if progress:
            progress(done, total)

    return step


def _merge_issues(files: list[_File]) -> tuple[list[Chunk], list[TermCounts], list[dict], list[Target]]:
    """Every file's chunks, a reprinted passage kept once (under its first printing), with each
    file's BM25 term counts and manifest entry, and every file's targets (a reprinted target stays
    under each issue that printed it: that is how a value is followed from issue to issue)."""
    chunks: list[Chunk] = []
    targets: list[Target] = []
    counts: list[TermCounts] = []
    corpus: list[dict] = []
    seen: dict[str, Chunk] = {}
    for f in sorted(files, key=lambda f: f.date or "9999"):  # oldest issue first
        mine, reprinted = merge_reprints(f.parsed.chunks, f.parsed.keys, seen)
        kept = {id(c) for c in mine}
        chunks += mine
        targets += f.parsed.targets
        counts.append(f.parsed.counts.only(np.fromiter((id(c) in kept for c in f.parsed.chunks), dtype=bool)))
        entry = {
            "path": display_path(f.path),
            "sha256": f.sha256,
            **f.parsed.entry,
            "chunks": len(mine),
            "reprinted": reprinted,
            "format": f.path.suffix.lower().lstrip("."),
            "cache": f.cache_key,
        }
        if f.meta:
            entry["meta"] = f.meta
        corpus.append(entry)
    ids = [e["issue_id"] for e in corpus]
    if twice := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(f"two files are the same issue ({', '.join(twice)}); give each its own number and date")
    return chunks, counts, corpus, targets


def _manifest(settings: Settings, embedder: Embedder, corpus: list[dict], n_chunks: int) -> Manifest:
    return Manifest(
        generation=f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}",
        model={"name": embedder.name, "fingerprint": embedder.fingerprint, "dim": embedder.dim},
        parser_version=PARSER_VERSION,
        chunker={"version": CHUNKER_VERSION, "target_chars": settings.chunk_target_chars, "max_chars": settings.chunk_max_chars},
        tokenizer=TOKENIZER,
        corpus=corpus,
        n_chunks=n_chunks,
        files={},
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        settings={"vector_store": settings.vector_store},
    )


def _known_vectors(index: Index | None, embedder: Embedder, split: Splitter) -> dict[str, np.ndarray]:
    """Text -> vector for every chunk and sentence ``index`` holds, if the same model built it."""
    if index is None or index.manifest.model.get("fingerprint") != embedder.fingerprint:
        return {}
    known = dict(zip((c.search_text for c in index.chunks), index.dense.vectors(), strict=True))
    if index.sentences is not None:
        stored, offsets = index.sentences.vectors, index.sentences.offsets
        for row, c in enumerate(index.chunks):
            texts = split(c.text)
            lo, hi = offsets[row], offsets[row + 1]
            if len(texts) == hi - lo:  # else the sentence splitting changed since: embed them afresh
                known.update(zip(texts, stored[lo:hi], strict=True))
    return known


def save_index(index: Index, index_dir: Path, change: FolderChange | None = None) -> None:
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / index.manifest.generation
    tmp = index_dir / f".{index.manifest.generation}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    save_chunks(tmp, index.chunks)
    index.dense.save(tmp)
    if index.sentences is not None:
        index.sentences.save(tmp)
    index.lexical.save(tmp)
    save_targets(tmp, index.targets or [])
    index.manifest.files = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    tmp.rename(gen)
    if change:
        change.record(index_dir, index.manifest.generation)  # a kill after this is finished by the next change
    index.manifest.save(index_dir)  # the switch: readers follow the manifest
    if change:
        change.apply(index_dir)
    index.dense.after_switch()
    for old in index_dir.iterdir():
        if old.is_dir() and old.name != gen.name and (old.name.startswith("gen-") or old.name.startswith(".gen-")):
            shutil.rmtree(old, ignore_errors=True)
    # Temp files of writes a killed build never finished (builds hold writer_lock, so none is in flight).
    for stray in [*index_dir.glob(".*.tmp"), *index_dir.glob("parsed/.*.tmp")]:
        stray.unlink(missing_ok=True)


def load_index(settings: Settings, embedder=None, verify: bool = True, check_sources: bool = True) -> Index:
    """Load and check the index; with an embedder, also check it is the model that built it.

    ``check_sources`` refuses an index whose source files changed since the build:
    its offsets would point at the wrong text.
    """
    manifest = Manifest.load(settings.index_dir)
    gen = Path(settings.index_dir) / manifest.generation
    if not gen.is_dir():
        raise IndexCorrupt(f"index folder {gen} is missing")
    if verify:
        for rel, digest in manifest.files.items():
            path = gen / rel
            if not path.is_file():
                raise IndexCorrupt(f"index file {rel} is missing")
            if sha256_file(path) != digest:
                raise IndexCorrupt(f"index file {rel} does not match its checksum (damaged or changed)")
    if embedder is not None and embedder.fingerprint != manifest.model.get("fingerprint"):
        raise IndexMismatch(f"the index was built with model {manifest.model.get('name')} but {embedder.name} is configured")
    versions = (manifest.tokenizer, manifest.parser_version, manifest.chunker.get("version"))
    if versions != (TOKENIZER, PARSER_VERSION, CHUNKER_VERSION):
        raise IndexMismatch("the index was built by another version of the parser, chunker or tokenizer")
    try:
        chunks = load_chunks(gen)
        dense = load_store(gen, manifest.settings.get("vector_store", "faiss"), settings)
        lexical = BM25Store.load(gen, tokenize)
        sentences = SentenceVectors.load(gen)
        targets = load_targets(gen) if current(manifest) else None
    except (OSError, ValueError, RuntimeError) as exc:
        raise IndexCorrupt(f"index in {gen} cannot be read ({exc})") from exc
    if not (len(chunks) == dense.size == lexical.size == manifest.n_chunks):
        raise IndexCorrupt(
            f"index parts disagree: {len(chunks)} chunks, {dense.size} vectors, "
            f"{lexical.size} BM25 rows, manifest {manifest.n_chunks}"
        )
    if sentences is not None and (sentences.chunks != len(chunks) or sentences.vectors.shape[1] != dense.dim):
        raise IndexCorrupt("the sentence vectors do not match the chunks")
    if embedder is not None and dense.dim != embedder.dim:
        raise IndexMismatch(f"index vectors have {dense.dim} dimensions, the model gives {embedder.dim}")
    index = Index(chunks, dense, lexical, manifest, sentences, targets)
    if check_sources and (stale := stale_sources(index)):
        raise IndexMismatch(f"the index is out of date: {', '.join(stale)} changed since it was built")
    return index


def stale_sources(index: Index) -> list[str]:
    """Source files that changed (or vanished) since the index was built."""
    return index.manifest.stale_sources()
