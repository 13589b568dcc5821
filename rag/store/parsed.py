"""Parsed bulletins cached by file content, so a library change re-reads only the files that changed.

Per bulletin, a JSON file (its chunks and its targets table) and an .npz of their term counts (read with
allow_pickle=False), named by a hash of everything that shapes them: the file's bytes, its metadata,
the parser, chunker and tokenizer versions. A file that cannot be read back is parsed again; the
cache is never trusted over the source.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag.files import atomic_write_bytes, atomic_write_text
from rag.store.bm25_index import TermCounts
from rag.targets import Target
from rag.types import Chunk

log = logging.getLogger(__name__)
FOLDER = "parsed"


@dataclass
class Parsed:
    entry: dict  # issue_id, label, date, articles: what the manifest lists for the file
    chunks: list[Chunk]
    counts: TermCounts  # the lexical terms of each chunk's search text
    keys: list[str]  # each chunk's reprint key
    targets: list[Target] = field(default_factory=list)  # the file's quantitative values (rag.targets)


def chunks_from_json(rows: list[dict]) -> list[Chunk]:
    """Chunks as ``vars(chunk)`` wrote them to JSON (the parse cache, the ingest worker's results)."""
    return [Chunk(**{**c, "spans": [tuple(s) for s in c["spans"]]}) for c in rows]


def cache_key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def load_parsed(index_dir: Path, key: str) -> Parsed | None:
    path = Path(index_dir) / FOLDER / f"{key}.json"
    if not path.is_file() or not path.with_suffix(".npz").is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        chunks = chunks_from_json(data["chunks"])
        with np.load(path.with_suffix(".npz"), allow_pickle=False) as z:
            counts = TermCounts(data["terms"], z["doc"], z["term"], z["count"], len(chunks))
        if len(chunks) != len(data["keys"]) or (counts.term.size and counts.term.max() >= len(counts.terms)):
            raise ValueError("chunks, terms and keys disagree")
        if counts.doc.size and counts.doc.max() >= len(chunks):
            raise ValueError("term counts name a chunk that is not there")
        targets = [Target.from_json(t) for t in data["targets"]]  # a cache without them is from an older build
        return Parsed(data["entry"], chunks, counts, data["keys"], targets)
    except (OSError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as exc:
        log.warning("parse cache %s unreadable (%s); parsing the file again", path.name, exc)
        return None


def save_parsed(index_dir: Path, key: str, parsed: Parsed) -> None:
    path = Path(index_dir) / FOLDER / f"{key}.json"
    c = parsed.counts
    buffer = io.BytesIO()
    np.savez(buffer, doc=c.doc, term=c.term, count=c.count)
    atomic_write_bytes(path.with_suffix(".npz"), buffer.getvalue())  # first: the JSON is what marks it complete
    data = {
        "entry": parsed.entry,
        "chunks": [vars(x) for x in parsed.chunks],
        "terms": c.terms,
        "keys": parsed.keys,
        "targets": [vars(t) for t in parsed.targets],
    }
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


def drop(index_dir: Path, keys: list[str]) -> None:
    """Forget the cached files of ``keys`` (a change that did not go through)."""
    folder = Path(index_dir) / FOLDER
    for key in keys:
        (folder / f"{key}.json").unlink(missing_ok=True)  # first: without it the .npz is never read
        (folder / f"{key}.npz").unlink(missing_ok=True)


def prune(index_dir: Path, keep: set[str]) -> None:
    """Drop cached files no bulletin of the current index uses."""
    folder = Path(index_dir) / FOLDER
    for path in [*folder.glob("*.json"), *folder.glob("*.npz")] if folder.is_dir() else ():
        if path.stem not in keep:
            path.unlink(missing_ok=True)
