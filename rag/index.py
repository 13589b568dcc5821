"""Build, save and load the whole index: chunks + FAISS + BM25 + manifest.

Each build writes a fresh generation folder and then switches the manifest to
it in one rename, so a build that dies half-way leaves the old index in use.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from rag.chunk import CHUNKER_VERSION, Chunker
from rag.config import Settings, display_path, resolve_path
from rag.load import load_text
from rag.parse.issue import parse_issue
from rag.sentences import split_sentences
from rag.store.atomic import sha256_file
from rag.store.bm25_index import BM25Store
from rag.store.chunks import load_chunks, save_chunks
from rag.store.faiss_index import FaissStore
from rag.store.manifest import IndexCorrupt, IndexMismatch, Manifest
from rag.store.sentence_vectors import SentenceVectors
from rag.tokenize import tokenize
from rag.types import Chunk, Issue

log = logging.getLogger(__name__)
PARSER_VERSION = "1"
TOKENIZER = "jieba-search-nfkc-v1"


@dataclass
class Index:
    chunks: list[Chunk]
    dense: FaissStore
    lexical: BM25Store
    manifest: Manifest
    sentences: SentenceVectors | None = None

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {c.id: row for row, c in enumerate(self.chunks)}

    def sentence_vectors(self, chunk: Chunk) -> np.ndarray | None:
        """The stored vectors of ``chunk``'s sentences (split_sentences order), or None."""
        row = self._rows.get(chunk.id)
        if self.sentences is None or row is None:
            return None
        return self.sentences.of(row)


def parse_files(paths: Sequence[Path]) -> list[Issue]:
    return [parse_issue(load_text(p), source_path=display_path(p), name=Path(p).stem) for p in paths]


def build_index(
    settings: Settings,
    embedder,
    paths: Sequence[Path] | None = None,
    progress: Callable[[int, int], None] | None = None,
    reuse: Index | None = None,
) -> Index:
    """Parse, chunk, embed and save; vectors of passages ``reuse`` already holds are not embedded again."""
    paths = [Path(p) for p in (paths or settings.corpus)]
    issues = parse_files(paths)
    chunker = Chunker(settings.chunk_target_chars, settings.chunk_max_chars)
    chunks: list[Chunk] = []
    corpus = []
    for path, issue in zip(paths, issues, strict=True):
        mine = chunker.chunk_issue(issue)
        chunks += mine
        corpus.append(
            {
                "path": display_path(path),
                "sha256": sha256_file(path),
                "issue_id": issue.issue_id,
                "label": issue.label,
                "date": issue.date,
                "articles": [a.title for a in issue.articles],
                "chunks": len(mine),
            }
        )
    texts = [c.search_text for c in chunks]
    sentences = [[x.text for x in split_sentences(c.text)] for c in chunks]
    flat = [x for group in sentences for x in group]
    vectors = _vectors(texts + flat, embedder, settings.batch_size * 4, progress, reuse)
    dense = FaissStore.build(vectors[: len(texts)])
    per_chunk, at = [], len(texts)
    for group in sentences:
        per_chunk.append(vectors[at : at + len(group)])
        at += len(group)
    sentence_vectors = SentenceVectors.build(per_chunk, embedder.dim)
    lexical = BM25Store.build(texts, tokenize)
    manifest = Manifest(
        generation=f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}",
        model={"name": embedder.name, "fingerprint": embedder.fingerprint, "dim": embedder.dim},
        parser_version=PARSER_VERSION,
        chunker={"version": CHUNKER_VERSION, "target_chars": settings.chunk_target_chars, "max_chars": settings.chunk_max_chars},
        tokenizer=TOKENIZER,
        corpus=corpus,
        n_chunks=len(chunks),
        files={},
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    index = Index(chunks, dense, lexical, manifest, sentence_vectors)
    save_index(index, settings.index_dir)
    return index


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _known_vectors(index: Index | None, embedder) -> dict[str, np.ndarray]:
    """Text key -> vector for every chunk and sentence ``index`` holds, if the same model built it."""
    if index is None or index.manifest.model.get("fingerprint") != embedder.fingerprint:
        return {}
    known = dict(zip((_text_key(c.search_text) for c in index.chunks), index.dense.vectors(), strict=True))
    if index.sentences is not None:
        for row, c in enumerate(index.chunks):
            keys, stored = [_text_key(x.text) for x in split_sentences(c.text)], index.sentences.of(row)
            if len(keys) == len(stored):  # else the sentence splitting changed since: embed them afresh
                known.update(zip(keys, stored, strict=True))
    return known


def _vectors(texts: list[str], embedder, step: int, progress, reuse: Index | None) -> np.ndarray:
    """Document embeddings of ``texts``, each distinct text embedded once, and none that ``reuse`` holds."""
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    known = _known_vectors(reuse, embedder)
    todo: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        key = _text_key(text)
        if key in known:
            out[i] = known[key]
        else:
            todo.setdefault(text, []).append(i)
    pending = list(todo)
    step = max(1, step)
    if progress:
        progress(0, len(pending))
    for lo in range(0, len(pending), step):
        batch = pending[lo : lo + step]
        for text, vector in zip(batch, embedder.encode_documents(batch), strict=True):
            out[todo[text]] = vector
        if progress:
            progress(min(lo + step, len(pending)), len(pending))
    return out


def save_index(index: Index, index_dir: Path) -> None:
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
    index.manifest.files = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    tmp.rename(gen)
    index.manifest.save(index_dir)  # the switch: readers follow the manifest
    for old in index_dir.iterdir():
        if old.is_dir() and old.name != gen.name and (old.name.startswith("gen-") or old.name.startswith(".gen-")):
            shutil.rmtree(old, ignore_errors=True)


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
        dense = FaissStore.load(gen)
        lexical = BM25Store.load(gen, tokenize)
        sentences = SentenceVectors.load(gen)
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
    index = Index(chunks, dense, lexical, manifest, sentences)
    if check_sources and (stale := stale_sources(index)):
        raise IndexMismatch(f"the index is out of date: {', '.join(stale)} changed since it was built")
    return index


def stale_sources(index: Index) -> list[str]:
    """Source files that changed (or vanished) since the index was built."""
    out = []
    for entry in index.manifest.corpus:
        path = resolve_path(entry["path"])
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            out.append(entry["path"])
    return out
