"""Question text -> the form both retrievers see."""

from __future__ import annotations

import re
import unicodedata

from rag.errors import UserError
from rag.language import written_as_in_text
from rag.load.normalise import clean


class QueryError(UserError, ValueError):
    """The question cannot be searched; the message says why."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(text: str) -> str:
    """The question as typed, less control characters and lone surrogates (which no JSON or HTML
    writer can encode): what an answer echoes back."""
    return _CONTROL.sub("", text) if isinstance(text, str) else ""


def normalize_query(text: str, max_chars: int) -> str:
    """Clean a question; 第22条 -> 第二十二条 so that it meets the text as written."""
    if not isinstance(text, str):
        raise QueryError("the question must be text")
    text = clean(_CONTROL.sub(" ", text))  # look-alike code points (⼤ for 大) as the passages have them
    # Full-width letters and digits to half-width, as NFKC would, but keep （） and ，：
    text = "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" and ch.isalnum() else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QueryError("the question is empty")
    if len(text) > max_chars:
        raise QueryError(f"the question is {len(text)} characters long; the limit is {max_chars}")
    if not any(ch.isalnum() for ch in text):
        raise QueryError("the question has no words to search for (only punctuation or symbols)")
    return written_as_in_text(text)
