"""Places, in one home: China's whole administrative division from a packaged dictionary (rag.places.division:
provinces, prefectures, counties, with their codes), the national new areas and multi-province regions and
the countries that are no division (areas.tsv), and their English names (CC-CEDICT), so an English question
finds the same places. ``find`` reads the places a text names; the rest are views of it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.places.division import Level, by_code, divisions, mention_counts, senses

AREAS = Path(__file__).with_name("areas.tsv")


def _areas() -> list[tuple[str, str, str, tuple[str, ...], str]]:
    """(kind, bare Chinese name, province or "", English names, source) of every line of areas.tsv."""
    out = []
    for line in AREAS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, zh, province, english, source = (line.split("\t") + ["", "", "", ""])[:5]
            out.append((kind, zh, province, tuple(e for e in english.split("|") if e), source))
    return out


_AREA_ROWS = _areas()
# Bare Chinese names; the English and the recogniser are built on first use (CC-CEDICT takes ≈0.6 s).
PROVINCES = tuple(d.short for d in divisions() if d.level == Level.PROVINCE)
CITIES = tuple(d.short for d in divisions() if d.level == Level.PREFECTURE)
REGION_NAMES = {zh: en for kind, zh, _, en, _ in _AREA_ROWS if kind == "region"}
REGIONS = tuple(REGION_NAMES)
# Countries and blocs that reports compare China with; a follow-up may switch to one (那欧盟呢？ And the EU?).
COUNTRY_NAMES = {zh: en for kind, zh, _, en, _ in _AREA_ROWS if kind == "country"}
COUNTRIES = tuple(COUNTRY_NAMES)
# The four regions of 国家统计局's division (东部, 中部, 西部, 东北), which it names with 地区: 东部地区.
NBS_REGIONS = tuple(zh for kind, zh, _, _, source in _AREA_ROWS if kind == "region" and source == "nbs")
_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区)$")
# The order of the gazetteer (and the preference when two places share a written form).
KINDS = ("province", "region", "country", "prefecture", "new_area", "county")


@dataclass(frozen=True)
class Place:
    name: str  # the bare form titles and sources are matched on: 贵阳, 修文, 东部, 美国
    kind: str  # one of KINDS
    province: str = ""  # the bare province it lies in ("" for a region, a country, or a name several provinces share)
    code: str = ""  # GB/T 2260, for a division


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str  # as written: 贵阳市, 黔东南州
    place: Place


@dataclass(frozen=True)
class Gazetteer:
    forms: dict[str, Place]  # every written form -> its place
    words: dict[str, tuple[str, ...]]  # form -> ordinary words that hold it (三明 in 三明治): no mention there
    ordinary: frozenset[str]  # words with a sense that is no name (区域, 市场, 来宾)
    longest: int


def _rank(p: Place) -> tuple[int, str]:
    return KINDS.index(p.kind), p.code


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    s = senses()
    provinces = {d.code: d.short for d in divisions() if d.level == Level.PROVINCE}
    candidates: dict[str, list[Place]] = {}

    def add(form: str, place: Place) -> None:
        if len(form) >= 2:
            candidates.setdefault(form, []).append(place)

    for d in divisions():
        kind = {Level.PROVINCE: "province", Level.PREFECTURE: "prefecture", Level.COUNTY: "county"}[d.level]
        place = Place(d.short, kind, provinces.get(d.province_code, ""), d.code)
        if d.short != d.name and d.name not in s.ordinary:  # 城区, 郊区: a word, not a name
            add(d.name, place)
        if "自治" in d.name and d.short != d.name:  # 黔东南州, 镇宁县
            add(d.short + d.name[-1], place)
        # A province's or prefecture's bare name names it (贵阳, 黔东南), unless it is also an ordinary word (来宾
        # is "guest": only 来宾市 names the city); a county's never does: measured on the corpus, most bare county
        # names found were pieces of words (和政 in 规章和政策, 定安 in 指定安全).
        # A provincial capital keeps its bare name all the same: 海口 names Haikou far more often than a boast.
        if d.level != Level.COUNTY and d.short != d.name and (d.short not in s.ordinary or d.capital):
            add(d.short, place)
    for kind, zh, province, _, _ in _AREA_ROWS:
        if kind == "english":
            continue
        place = Place(zh, kind, province)
        add(zh, place)
        if kind == "region":
            add(zh + "地区", place)
    forms: dict[str, Place] = {}
    for form, places in candidates.items():
        best = min(places, key=_rank)
        tied = [p for p in places if p.kind == best.kind and p.province != best.province]
        forms[form] = Place(best.name, best.kind, "" if tied else best.province, best.code)
    words: dict[str, set[str]] = {}
    for w in s.ordinary:
        for i in range(len(w)):
            for j in range(i + 2, len(w) + 1):
                if (j - i) < len(w) and w[i:j] in forms:
                    words.setdefault(w[i:j], set()).add(w)
    return Gazetteer(forms, {k: tuple(v) for k, v in words.items()}, s.ordinary, max(map(len, forms), default=0))


def _inside_word(g: Gazetteer, text: str, start: int, end: int, place: Place) -> bool:
    """Whether text[start:end] stands inside an ordinary word (三明 in 三明治), its kind begins one (新建区 in
    新建区域, 深圳市 in 深圳市场: then the shorter 深圳 is the mention), or a word runs across either end of it
    (丽水 in 美丽水乡, 项城市 in 专项城市; 江西 in 长江西岸). A province's name is only cut off at its end: 向西藏
    is 向 + 西藏."""
    form = text[start:end]
    if end < len(text) and form[-1] in "省市区县州" and text[end - 1 : end + 1] in g.ordinary:
        return True
    for w in g.words.get(form, ()):
        at = w.find(form)
        while at >= 0:
            if start - at >= 0 and text[start - at : start - at + len(w)] == w:
                return True
            at = w.find(form, at + 1)
    if place.kind in ("region", "country", "new_area") or form != place.name and place.kind == "province":
        return False
    if end < len(text) and text[end - 1 : end + 1] in g.ordinary:
        return True
    return place.kind != "province" and start > 0 and text[start - 1 : start + 1] in g.ordinary


def find(text: str) -> list[Mention]:
    """The places ``text`` names, in order, longest form first (贵阳市 before 贵阳; 浦东新区, not 浦东)."""
    g = gazetteer()
    out: list[Mention] = []
    i, n = 0, len(text)
    while i < n:
        for length in range(min(g.longest, n - i), 1, -1):
            form = text[i : i + length]
            if form in g.forms and not _inside_word(g, text, i, i + length, g.forms[form]):
                out.append(Mention(i, i + length, form, g.forms[form]))
                i += length
                break
        else:
            i += 1
    return out


def place(name: str) -> Place | None:
    """The place a name written alone denotes (贵阳, 贵阳市, 东部地区), or None."""
    g = gazetteer()
    return g.forms.get(name.strip()) or g.forms.get(bare(name))


def province_of(name: str) -> str:
    """贵阳 -> 贵州, 修文县 -> 贵州, 贵州 -> 贵州; "" for a region, a country, an unknown name, or a name that
    several provinces' places share (鼓楼区)."""
    p = place(name)
    return p.province if p else ""


# 东、中、西部和东北地区: a list that names 部 once for all its members.
_ELLIPSIS = re.compile(r"((?:[东南西北中]\s*、\s*)+[东南西北中])部")


def spelled_out(text: str) -> str:
    """``text`` with elliptical region lists written out (东、中、西部 -> 东部、中部、西部), for matching."""
    return _ELLIPSIS.sub(lambda m: "、".join(ch + "部" for ch in m.group(1) if ch not in "、 "), text)


def places_in(text: str) -> list[str]:
    """The provinces, prefectures, counties and new areas named in ``text`` (bare), in the order of the
    gazetteer: provinces first, then by code."""
    found = {m.place for m in find(text) if m.place.kind not in ("region", "country")}
    return list(dict.fromkeys(p.name for p in sorted(found, key=_rank)))


def _english(text: str) -> list[str]:
    """CC-CEDICT's "Ürümqi or Urumqi" -> ["urumqi"]; accents dropped, lower case."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [" ".join(part.split()) for part in plain.split(" or ") if len(part.strip()) >= 3]


@lru_cache(maxsize=1)
def english_places() -> dict[str, str]:
    """English name -> Chinese (bare) name of every province and prefecture (CC-CEDICT's names and their
    pinyin), and of the regions of areas.tsv. Where two places share a spelling (苏州 and 宿州 are both
    Suzhou; 陕西's pinyin is 山西's name) the name CC-CEDICT gives wins over a pinyin, a province over a
    prefecture, a capital over another city, and then the place CC-CEDICT refers to more often."""
    s, counts = senses(), mention_counts()
    best: dict[str, tuple[tuple, str]] = {}

    def offer(en: str, rank: tuple, zh: str) -> None:
        if en not in best or rank < best[en][0]:
            best[en] = (rank, zh)

    for d in divisions():
        if d.level == Level.COUNTY:
            continue
        for headword in dict.fromkeys((d.short, d.name)):
            for name in s.names.get(headword, ()):
                if not name.place and d.level != Level.PROVINCE:
                    continue
                tail = (d.level, not d.capital, -counts.get(d.short, 0) - counts.get(d.name, 0))
                # A name alone is a province's own (Macao, Inner Mongolia); a city's may be anything (Lake Baikal).
                for given in (*name.english, *(name.alone if d.level == Level.PROVINCE else ())):
                    for en in _english(given):
                        offer(en, (0, *tail), d.short)
                for en in {name.pinyin, name.pinyin.replace("'", "")}:
                    if len(en) >= 3:
                        offer(en, (1, *tail), d.short)
    out = {en: zh for en, (_, zh) in best.items()}
    out |= {en: zh for kind, zh, _, names, _ in _AREA_ROWS if kind in ("region", "english") for en in names}
    return out


@lru_cache(maxsize=1)
def _english_pattern() -> re.Pattern[str]:
    # One pattern for all the names (longest first, so "central china region" wins over "central china"):
    # ~900 patterns one by one would overflow re's cache of compiled patterns and compile on every question.
    names = sorted({*english_places(), *(en for names in COUNTRY_NAMES.values() for en in names)}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def english_mentions(text: str) -> list[tuple[tuple[int, int], str]]:
    """(span, Chinese bare name) of the places and countries an English text names, as whole words (lower case)."""
    countries = {en: zh for zh, names in COUNTRY_NAMES.items() for en in names}
    places = english_places()
    return [(m.span(), places.get(m.group(0)) or countries[m.group(0)]) for m in _english_pattern().finditer(text.lower())]


def provinces_named(text: str) -> list[str]:
    """Provinces a question names, in Chinese or (whole words) in English."""
    q = unicodedata.normalize("NFKC", text).lower()
    zh = {m.place.name for m in find(q) if m.place.kind == "province"}
    en = {p for _, p in english_mentions(q) if p in PROVINCES}
    return [p for p in PROVINCES if p in zh | en]


def bare(place: str) -> str:
    """贵州省 -> 贵州, 深圳市 -> 深圳, 东部地区 -> 东部, 修文县 -> 修文: the form titles and sources are matched on."""
    p = place.strip()
    known = gazetteer().forms.get(p) if len(p) >= 2 else None
    if known is not None and known.kind != "country":
        return known.name
    return _SUFFIX.sub("", p) or p


__all__ = [
    "CITIES", "COUNTRIES", "COUNTRY_NAMES", "KINDS", "PROVINCES", "REGIONS", "REGION_NAMES", "Mention", "Place",
    "bare", "by_code", "english_mentions",
    "english_places", "find", "place", "places_in", "province_of", "provinces_named", "spelled_out",
]  # fmt: skip
