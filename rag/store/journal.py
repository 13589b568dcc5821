"""What a library change does to the library folder, recorded before the index switches.

An add copies its file into the folder under a staging name first; a remove leaves the file
where it is. Just before the manifest switches to the new generation, the folder's part of the
change (staged name → final name, files to delete) is written here; just after, it is carried
out and the record dropped. Whoever takes the library lock next finishes a change a kill
interrupted: forward when the manifest did switch to its generation, else back (the staged copy
removed). So a kill at any moment leaves the folder and the index as they were, or both changed.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rag.files import atomic_write_text, fsync_dir

log = logging.getLogger(__name__)
FILENAME = "pending-change.json"
STAGING_PREFIX = ".adding-"  # a dot name: never read as a bulletin of the library folder


@dataclass
class FolderChange:
    moves: list[tuple[str, str]] = field(default_factory=list)  # staged path -> final path
    deletes: list[str] = field(default_factory=list)
    generation: str = ""  # the index generation the change belongs to

    def __bool__(self) -> bool:
        return bool(self.moves or self.deletes)

    def record(self, index_dir: Path, generation: str) -> None:
        self.generation = generation
        atomic_write_text(Path(index_dir) / FILENAME, json.dumps(asdict(self), ensure_ascii=False))

    def apply(self, index_dir: Path) -> None:
        """Carry the change out (again, after a kill: each step is idempotent), then drop the record."""
        folders = set()
        for src, dst in self.moves:
            if Path(src).exists():
                os.replace(src, dst)
                folders.add(Path(dst).parent)
        for path in self.deletes:
            Path(path).unlink(missing_ok=True)
            folders.add(Path(path).parent)
        for folder in folders:
            if folder.is_dir():
                fsync_dir(folder)
        (Path(index_dir) / FILENAME).unlink(missing_ok=True)

    def undo(self, index_dir: Path) -> None:
        for src, _ in self.moves:
            Path(src).unlink(missing_ok=True)
        (Path(index_dir) / FILENAME).unlink(missing_ok=True)


def pending(index_dir: Path) -> FolderChange | None:
    path = Path(index_dir) / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return FolderChange([tuple(m) for m in data["moves"]], list(data["deletes"]), str(data["generation"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # A record is written atomically, so this is a damaged disk or a hand edit: say so, keep going.
        log.warning("ignoring an unreadable %s (%s)", path, exc)
        path.unlink(missing_ok=True)
        return None


def claims(index_dir: Path, path: Path) -> bool:
    """Whether a recorded change still has to move ``path`` (so it must not be cleaned up)."""
    change = pending(index_dir)
    return change is not None and any(Path(src) == Path(path) for src, _ in change.moves)


def recover(index_dir: Path, library_dir: Path, current_generation: str | None) -> str:
    """Finish or undo what a killed change left (call with the library lock held). Returns what was done:
    "forward", "back" or ""; staged copies no record claims are removed either way."""
    done = ""
    change = pending(index_dir)
    if change is not None:
        if current_generation and change.generation == current_generation:
            change.apply(index_dir)
            done = "forward"
        else:
            change.undo(index_dir)
            done = "back"
        log.warning("finished a library change a killed process left half-done (%s)", done)
    folder = Path(library_dir)
    if folder.is_dir():
        for stray in folder.glob(STAGING_PREFIX + "*"):
            stray.unlink(missing_ok=True)
            done = done or "swept"
    return done
