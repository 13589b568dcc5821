"""Which region a value is about: the province or city of a local plan, 全国 for national documents, and
the areas a statistical sentence lists (东、中、西部和东北地区…分别为 26.1%、24.2%、24.6%和15.9%)."""

from __future__ import annotations

import re

from rag.language.quantities import LIST_JOINERS
from rag.language.spans import Quantity
from rag.places import CITIES, NBS_REGIONS, PROVINCES, REGIONS, find

NATIONAL = "全国"
# The regions of areas.tsv, the statistical ones named with 地区 (东部地区); 东、中、西部 abbreviates 东部、中部、西部.
_AREAS = {r: f"{r}地区" if r in NBS_REGIONS else r for r in REGIONS}
_AREAS |= {r[0]: _AREAS[r] for r in NBS_REGIONS if r.endswith("部")}
_NAMES = {**{p: p for p in (*PROVINCES, *CITIES)}, **_AREAS}
_ITEM = "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True))
_LIST = re.compile(rf"(?:{_ITEM})(?:省|市|地区)?(?:\s*(?:、|和|及|与)\s*(?:{_ITEM})(?:省|市|地区)?)+")


def article_region(title: str, source: str) -> str:
    """The first province, city or county a title names (else its issuing body), or 全国."""
    for text in (title, source):
        for m in find(text):
            if m.place.kind in ("province", "prefecture", "county", "new_area"):
                return m.place.name
    return NATIONAL


def _listed(text: str) -> list[str]:
    items = re.findall(_ITEM, text)
    return [_NAMES[i] for i in items]


def listed_regions(text: str, mentions: list[Quantity]) -> dict[int, str]:
    """Quantity index -> region, where a sentence lists regions and then gives 分别 one value for each."""
    out: dict[int, str] = {}
    for m in _LIST.finditer(text):
        regions = _listed(m.group(0))
        at = text.find("分别", m.end())
        if len(regions) < 2 or at < 0:
            continue
        later = [i for i, x in enumerate(mentions) if x.start > at and i not in out]
        for run in _runs(text, mentions, later):
            if len(run) == len(regions):
                out.update(zip(run, regions, strict=True))
    return out


def _runs(text: str, mentions: list[Quantity], indices: list[int]) -> list[list[int]]:
    """Consecutive mentions joined only by 、 和 及 与: one list each."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1 and LIST_JOINERS.match(text[mentions[i - 1].end : mentions[i].start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def strip_region_list(text: str) -> str:
    """东、中、西部和东北地区 5G 基站 -> 5G 基站: the areas a sentence lists are no part of what it measures."""
    return _LIST.sub("", text, count=1)
