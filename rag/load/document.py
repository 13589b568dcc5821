"""What a loader gives back, and the error it raises: a module of its own, so that the format readers
(pdf, docx, text) and the package that dispatches to them (rag.load) both import it and not each other."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.errors import UserError
from rag.load.normalise import OffsetMap


class LoadError(UserError, ValueError):
    """The file cannot be read as a bulletin."""


@dataclass
class Document:
    text: str  # normalised: what the parser reads
    format: str  # markdown | text | pdf | docx
    pages: list[int] = field(default_factory=list)  # offset in ``text`` where each page starts (PDF only)
    encoding: str = ""
    source: str = ""  # the text as read from the file, where citations point
    offsets: OffsetMap | None = None  # positions in ``text`` -> positions in ``source``; None: the same
