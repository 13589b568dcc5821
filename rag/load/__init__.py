"""Files -> text. Markdown and plain text are their own text. A PDF's text is its text layer, and a
DOCX's its paragraphs, with headings marked `## ` so the one parser reads every format the same way.

Every format's text is then normalised once (rag.load.normalise: look-alike code points to the
characters they stand for). The parser reads ``Document.text``, the normalised text; citations
point into ``Document.source``, the text as read, through ``Document.offsets``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

from rag.files import atomic_write_text
from rag.load.document import Document, LoadError
from rag.load.limits import Limits
from rag.load.normalise import normalise

SUPPORTED = {".md", ".markdown", ".txt", ".pdf", ".docx"}
# Document and LoadError are defined in rag.load.document (the format readers import them from there).
__all__ = [
    "SUPPORTED",
    "Document",
    "LoadError",
    "check_file",
    "given_metadata",
    "keep_metadata",
    "load_bytes",
    "load_document",
    "sidecar_of",
]


def _normalised(doc: Document) -> Document:
    text, offsets = normalise(doc.text)
    pages = [offsets.to_normalised(p) for p in doc.pages] if offsets else doc.pages
    return Document(text, doc.format, pages, doc.encoding, source=doc.text, offsets=offsets)


def _check_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(f"{name}: unsupported file type {suffix or '(none)'}; supported: {', '.join(sorted(SUPPORTED))}")
    return suffix


# The last few PDFs and DOCX files read, by content: adding a bulletin reads it to check it, then
# again to index it, and a 200-page PDF is seconds of work.
_RECENT: OrderedDict[tuple, Document] = OrderedDict()
_RECENT_LOCK = threading.Lock()
_KEEP = 2


def load_bytes(data: bytes, name: str, limits: Limits | None = None) -> Document:
    """Read a file's bytes by the type its name says, normalised; any failure, or a file over
    ``limits``, is a LoadError naming the file."""
    limits = limits or Limits()
    suffix = _check_type(name)
    key = (hashlib.sha256(data).digest(), suffix, limits) if suffix in (".pdf", ".docx") else None
    with _RECENT_LOCK:
        if key in _RECENT:
            return _RECENT[key]
    doc = _read(data, name, limits)
    if len(doc.text) > limits.text_chars:
        raise LoadError(f"{name}: {len(doc.text):,} characters of text; the limit is {limits.text_chars:,}")
    doc = _normalised(doc)
    if key is not None:
        with _RECENT_LOCK:
            _RECENT[key] = doc
            while len(_RECENT) > _KEEP:
                _RECENT.popitem(last=False)
    return doc


def _read(data: bytes, name: str, limits: Limits) -> Document:
    suffix = _check_type(name)
    if not data.strip():
        raise LoadError(f"{name}: the file is empty")
    if suffix == ".pdf":
        from rag.load.pdf import read_pdf

        return read_pdf(data, name, limits)
    if suffix == ".docx":
        from rag.load.docx import read_docx

        return read_docx(data, name, limits)
    from rag.load.text import decode

    text, encoding = decode(data, name)
    return Document(text, "text" if suffix == ".txt" else "markdown", encoding=encoding)


def check_file(path: Path) -> None:
    """A LoadError now, before any work, for a path that is no supported file."""
    path = Path(path)
    _check_type(str(path))
    if not path.is_file():
        raise LoadError(f"{path}: no such file")


def load_document(path: Path, limits: Limits | None = None) -> Document:
    path = Path(path)
    check_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read ({exc.strerror})") from exc
    return load_bytes(data, str(path), limits)


def sidecar_of(path: Path) -> Path:
    """Where the metadata given for a library file is kept (beside it)."""
    return Path(path).with_name(Path(path).name + ".meta.json")


def given_metadata(path: Path) -> dict:
    """Issue metadata given for a file when it was added (its masthead lacked it), or {}."""
    try:
        data = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in data.items() if isinstance(v, str | int)} if isinstance(data, dict) else {}


def keep_metadata(path: Path, meta: dict | None) -> None:
    """Store (or, for none, drop) the metadata given for ``path``, beside it, for every later build."""
    if meta:
        atomic_write_text(sidecar_of(path), json.dumps(meta, ensure_ascii=False))
    else:
        sidecar_of(path).unlink(missing_ok=True)
