"""Files -> text. Offsets everywhere are character offsets into the text returned here."""

from __future__ import annotations

from pathlib import Path

SUPPORTED = {".md", ".markdown", ".txt"}


class LoadError(ValueError):
    """The file cannot be read as a bulletin."""


def load_text(path: Path) -> str:
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise LoadError(f"{path}: unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(SUPPORTED))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise LoadError(f"{path}: the file is empty")
    if b"\0" in data[:8192]:
        raise LoadError(f"{path}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
