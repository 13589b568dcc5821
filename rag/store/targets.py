"""The targets table of an index generation as JSON lines, and a reader that needs nothing else of the
index (no embedder, no vectors): `rag targets` answers from the manifest and this one file."""

from __future__ import annotations

import json
from pathlib import Path

from rag.files import atomic_write_text, sha256_file
from rag.store.manifest import IndexCorrupt, IndexMismatch, Manifest
from rag.targets import EXTRACTOR_VERSION, Target

FILENAME = "targets.jsonl"


def save_targets(folder: Path, rows: list[Target]) -> None:
    atomic_write_text(Path(folder) / FILENAME, "".join(json.dumps(vars(r), ensure_ascii=False) + "\n" for r in rows))


def load_targets(folder: Path) -> list[Target]:
    path = Path(folder) / FILENAME
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(Target.from_json(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{FILENAME} line {n}: {exc}") from exc
    return rows


def targets_info(rows: list[Target]) -> dict:
    """What the manifest records of the table: the extractor that made it and its size."""
    return {"version": EXTRACTOR_VERSION, "file": FILENAME, "rows": len(rows)}


def current(manifest: Manifest) -> bool:
    """Whether the index holds a targets table made by this version of the extractor."""
    return manifest.targets.get("version") == EXTRACTOR_VERSION


def read_targets(index_dir: Path, verify: bool = True) -> tuple[Manifest, list[Target]]:
    """The manifest and the targets table of the index in use, checked against the manifest's checksum."""
    manifest = Manifest.load(index_dir)
    if not current(manifest):
        raise IndexMismatch("the index holds no targets table of this version (it was built before, or by another version)")
    path = Path(index_dir) / manifest.generation / FILENAME
    digest = manifest.files.get(FILENAME)
    if not path.is_file() or digest is None:
        raise IndexCorrupt(f"index file {FILENAME} is missing")
    if verify and sha256_file(path) != digest:
        raise IndexCorrupt(f"index file {FILENAME} does not match its checksum (damaged or changed)")
    try:
        return manifest, load_targets(path.parent)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path} cannot be read ({exc})") from exc
