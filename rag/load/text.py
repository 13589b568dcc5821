"""Bytes -> text: UTF-8 (with or without BOM), UTF-16 with a BOM, or the GB18030 family.

GB18030 decodes almost any byte string, so a file is taken as GB text only when
charset-normalizer finds it the best reading; otherwise it is refused, never guessed.
"""

from __future__ import annotations

import codecs

from rag.load.document import LoadError

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CHINESE = ["gb18030", "big5"]


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a text file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), encoding
            except UnicodeDecodeError as exc:
                raise LoadError(f"{name}: starts with a {encoding} mark but is not {encoding} text") from exc
    if b"\0" in data[:8192]:
        raise LoadError(f"{name}: binary data, not text")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CHINESE).best()
    if best is None or best.encoding not in _CHINESE:
        raise LoadError(f"{name}: neither UTF-8 nor GB18030/GBK/Big5 text; save it as UTF-8 and try again")
    try:
        return _checked(data.decode(best.encoding), name), best.encoding
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not valid {best.encoding} text ({exc.reason} at byte {exc.start})") from exc


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise LoadError(f"{name}: the file is empty")
    controls = sum(1 for ch in text[:8192] if ch < " " and ch not in "\t\n\r\f")
    if controls > 8:
        raise LoadError(f"{name}: binary data, not text")
    return text
