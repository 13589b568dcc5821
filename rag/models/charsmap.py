"""Build a SentencePiece "precompiled charsmap" from a per-codepoint table.

The e5 model file ships its normaliser as a plain table (codepoint -> replacement);
Hugging Face's ``Precompiled`` normaliser wants SentencePiece's binary form: a
darts-clone double-array trie over the UTF-8 keys, followed by the NUL-terminated
replacement strings. This module writes that form, so the converted tokenizer
normalises exactly like the original XLM-R one.
"""

from __future__ import annotations

import struct

_LEAF_FLAG = 1 << 8
_VALUE_FLAG = 1 << 31
_MAX_OFFSET = 1 << 21


def _encode_offset(offset: int) -> int:
    if offset < _MAX_OFFSET:
        return offset << 10
    if offset & 0xFF == 0 and (offset >> 8) < _MAX_OFFSET:
        return ((offset >> 8) << 10) | (1 << 9)
    raise ValueError(f"double-array offset {offset} cannot be encoded")


def _build_double_array(keys: dict[bytes, int]) -> list[int]:
    """Pack a byte trie (key -> value) into darts-clone units."""
    # Trie as nested dicts; the value of a node sits under the pseudo-label None.
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value

    units = [0] * 512
    used = bytearray(512)
    used[0] = 1  # the root
    search_from = 1
    queue: list[tuple[int, dict]] = [(0, root)]
    while queue:
        pos, node = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        slots = labels + ([0] if None in node else [])
        base = search_from
        while True:
            need = (base | 0xFF) + 1
            if need > len(units):
                grow = need - len(units) + 1024
                units.extend([0] * grow)
                used.extend(bytes(grow))
            if all(not used[base ^ s] and (base ^ s) != 0 for s in slots):
                break
            base += 1
        units[pos] |= _encode_offset(pos ^ base)
        if None in node:
            units[pos] |= _LEAF_FLAG
            units[base] = _VALUE_FLAG | node[None]
            used[base] = 1
        for label in labels:
            child = base ^ label
            units[child] = label
            used[child] = 1
            queue.append((child, node[label]))
        while search_from < len(used) and used[search_from]:
            search_from += 1
    # Lookups XOR a byte into a base, so the array must reach base|0xFF for every base.
    last = max((i for i, u in enumerate(units) if u), default=0)
    size = (last | 0xFF) + 1
    return units[:size]


def build_precompiled_charsmap(table: dict[int, str]) -> bytes:
    """Serialise {codepoint: replacement} into SentencePiece's charsmap blob."""
    normalized = bytearray()
    keys: dict[bytes, int] = {}
    offsets: dict[str, int] = {}
    for cp, replacement in sorted(table.items()):
        if replacement not in offsets:
            offsets[replacement] = len(normalized)
            normalized += replacement.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = offsets[replacement]
    units = _build_double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def lookup(charsmap: bytes, text: str) -> str | None:
    """Replacement for the first codepoint of ``text`` (reference reader, for tests)."""
    (trie_size,) = struct.unpack_from("<I", charsmap, 0)
    units = struct.unpack_from(f"<{trie_size // 4}I", charsmap, 4)
    normalized = charsmap[4 + trie_size :]

    def offset(u: int) -> int:
        return (u >> 10) << ((u & (1 << 9)) >> 6)

    pos = offset(units[0])
    for byte in chr(ord(text[0])).encode("utf-8"):
        pos ^= byte
        unit = units[pos]
        if unit & (_VALUE_FLAG | 0xFF) != byte:
            return None
        pos ^= offset(unit)
        if unit & _LEAF_FLAG:
            start = units[pos] & (_VALUE_FLAG - 1)
            end = normalized.index(b"\0", start)
            return normalized[start:end].decode("utf-8")
    return None
