"""Question text -> the form both retrievers see."""

from __future__ import annotations

import re
import unicodedata

from rag.load.normalise import clean
from rag.text import int_to_cn


class QueryError(ValueError):
    """The question cannot be searched; the message says why."""


_ARABIC_PROVISION = re.compile(r"第\s*(\d{1,3})\s*(条|章|节)")
_PAREN_NUMBER = re.compile(r"[（(]\s*(\d{1,2})\s*[)）]")
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
    text = _ARABIC_PROVISION.sub(lambda m: f"第{int_to_cn(int(m.group(1)))}{m.group(2)}", text)
    text = _PAREN_NUMBER.sub(lambda m: f"（{int_to_cn(int(m.group(1)))}）", text)
    return text


_REF = re.compile(r"第[一二三四五六七八九十百零]+[条章节]|（[一二三四五六七八九十]+）")


def provision_refs(query: str) -> set[str]:
    """Numbered provisions a (normalised) question names: {'第二十二条', '（十七）'}."""
    refs = set(_REF.findall(query))
    # 第（十七）条 names the provision （十七）.
    refs |= {f"（{m}）" for m in re.findall(r"第（([一二三四五六七八九十]+)）条", query)}
    return refs
