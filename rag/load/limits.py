"""What one file may cost before it is refused: checked from sizes and counts, before the costly work.

A 1.7 MB DOCX can inflate to gigabytes and a small PDF can hold hundreds of pages, so the upload cap
alone bounds nothing. The loaders take these limits as an argument (Limits.from_settings builds them
from the one Settings); nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.config import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # DOCX (a zip): the uncompressed size of the parts, as the zip directory states it. A part
    # cannot inflate past its stated size: Python's zipfile stops there and fails the CRC check.
    unzipped_ratio: int = 50  # at most this many times the file's own size ...
    unzipped_floor: int = 16 * MB  # ... but never less than this (small files compress well too)
    unzipped_bytes: int = 200 * MB  # and never more than this, however large the file
    zip_entries: int = 2000  # a bulletin's DOCX has a few dozen parts
    zip_depth: int = 2  # zips inside the DOCX (embedded objects) are opened this deep, no deeper
    # PDF
    pdf_pages: int = 1000
    # Any format: characters of text once read (the bundled bulletin has 170,000).
    text_chars: int = 5_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The caps every loader is given, as configured."""
        return cls(
            unzipped_ratio=settings.max_unzipped_ratio,
            unzipped_floor=settings.max_unzipped_floor,
            unzipped_bytes=settings.max_unzipped_bytes,
            zip_entries=settings.max_zip_entries,
            pdf_pages=settings.max_pdf_pages,
            text_chars=settings.max_text_chars,
        )

    def unzipped_cap(self, file_bytes: int) -> int:
        return min(self.unzipped_bytes, max(self.unzipped_floor, self.unzipped_ratio * file_bytes))
