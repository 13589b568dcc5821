"""Chunks as JSON lines (readable, diffable, and never unpickled)."""

from __future__ import annotations

import json
from pathlib import Path

from rag.types import Chunk

FILENAME = "chunks.jsonl"


def save_chunks(folder: Path, chunks: list[Chunk]) -> None:
    with (Path(folder) / FILENAME).open("w", encoding="utf-8") as f:
        for c in chunks:
            f.write(json.dumps(vars(c), ensure_ascii=False) + "\n")  # vars: asdict's deep copies cost seconds


def load_chunks(folder: Path) -> list[Chunk]:
    chunks = []
    with (Path(folder) / FILENAME).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                d = json.loads(line)
                d["spans"] = [tuple(s) for s in d["spans"]]
                chunks.append(Chunk(**d))
            except (ValueError, TypeError, KeyError) as exc:
                raise ValueError(f"{FILENAME} line {n}: {exc}") from exc
    return chunks
