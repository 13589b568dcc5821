"""The index manifest: what built the index, from what, and the checksums to trust it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rag.errors import UserError
from rag.files import atomic_write_text

FORMAT_VERSION = 1
FILENAME = "manifest.json"


class IndexProblem(UserError, RuntimeError):
    """The index cannot be used as it is; ``hint`` says what to run."""

    hint = "python -m rag build"

    def __str__(self) -> str:
        return f"{self.args[0]} — run: {self.hint}"


class IndexMissing(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    pass


class IndexMismatch(IndexProblem):
    pass


@dataclass
class Manifest:
    generation: str
    model: dict  # name, fingerprint, dim
    parser_version: str
    chunker: dict  # version, target_chars, max_chars
    tokenizer: str
    corpus: list[dict]  # path, sha256, issue_id, label, date, articles, chunks
    n_chunks: int
    files: dict[str, str]  # path inside the generation -> sha256
    created: str
    settings: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)  # version, file, rows of the targets table (rag/store/targets.py)
    format_version: int = FORMAT_VERSION

    def stale_sources(self) -> list[str]:
        """Source files that changed (or vanished) since the index was built: its offsets would point at
        the wrong text."""
        from rag.config import resolve_path
        from rag.files import sha256_file

        out = []
        for entry in self.corpus:
            path = resolve_path(entry["path"])
            if not path.is_file() or sha256_file(path) != entry["sha256"]:
                out.append(entry["path"])
        return out

    def save(self, index_dir: Path) -> None:
        atomic_write_text(Path(index_dir) / FILENAME, json.dumps(asdict(self), ensure_ascii=False, indent=2))

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        path = Path(index_dir) / FILENAME
        if not path.is_file():
            raise IndexMissing(f"no index at {index_dir}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"{path} is unreadable ({exc})") from exc
        found = data.get("format_version") if isinstance(data, dict) else None
        if found != FORMAT_VERSION:
            raise IndexMismatch(f"{path} has index format {found}, this version reads {FORMAT_VERSION}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise IndexCorrupt(f"{path} is missing fields ({exc})") from exc
