"""A zip archive (a DOCX) checked from its directory before anything is inflated.

The central directory states each entry's uncompressed size, and Python's zipfile never inflates an
entry past it (it stops there and fails the CRC check), so adding up the stated sizes bounds what
parsing can inflate. Zips inside the archive (embedded objects) are checked the same way, their
sizes counted against the same budget, to ``Limits.zip_depth``; they are read through a stream,
never held in memory whole.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from rag.load.document import LoadError
from rag.load.limits import Limits

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass
class _Budget:
    name: str
    limits: Limits
    cap: int  # bytes the whole archive may inflate to, nested zips included
    inflated: int = 0
    entries: int = 0


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """A LoadError, at once, for an archive over the limits: too many entries, a part or the whole
    inflating past the cap, zips nested too deep, or a damaged directory."""
    budget = _Budget(name, limits, limits.unzipped_cap(len(data)))
    _check(io.BytesIO(data), "", budget, depth=0)


def _check(file: IO[bytes], within: str, budget: _Budget, depth: int) -> None:
    """``within``: the path of the zip inside the archive ("" for the archive itself, else ending in /)."""
    name, limits = budget.name, budget.limits
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"{name}: damaged zip archive ({within or 'the file'}: {exc})") from exc
    with archive:
        entries = archive.infolist()
        budget.entries += len(entries)
        if budget.entries > limits.zip_entries:
            raise LoadError(f"{name}: more than {limits.zip_entries:,} entries in the archive; not a bulletin")
        for info in entries:
            budget.inflated += info.file_size
            if info.file_size > budget.cap or budget.inflated > budget.cap:
                raise LoadError(
                    f"{name}: {within}{info.filename} inflates to {info.file_size:,} bytes "
                    f"({budget.inflated:,} so far), over the {budget.cap:,}-byte limit for a file of this size "
                    "(a zip bomb?)"
                )
        for info in entries:
            if info.is_dir() or info.file_size < 22 or not _is_zip(archive, info, name):
                continue
            if depth + 1 > limits.zip_depth:
                raise LoadError(f"{name}: zips nested more than {limits.zip_depth} deep ({within}{info.filename})")
            with archive.open(info) as inner:  # seekable: read as a stream, never whole
                _check(inner, f"{within}{info.filename}/", budget, depth + 1)


def _is_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bool:
    try:
        with archive.open(info) as entry:
            return entry.read(4) in _ZIP_MAGIC
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"{name}: damaged zip archive ({info.filename}: {exc})") from exc
