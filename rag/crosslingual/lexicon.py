"""The English -> Chinese lexicon: the glossary (glossary.tsv), the kinds of document (rag/language/kinds.tsv),
the places gazetteer and CC-CEDICT inverted (English definition -> Chinese headwords). Read once per process
(≈0.6 s for CC-CEDICT)."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rag import cedict
from rag.language.documents import kinds
from rag.places import english_places

GLOSSARY = Path(__file__).with_name("glossary.tsv")
_PAREN = re.compile(r"\([^)]*\)")
# Definitions that point elsewhere rather than translate.
_SKIP = (
    "cl:", "see ", "variant of", "old variant", "abbr. for", "surname ", "used in", "erhua variant", "also written", "also pr."
)  # fmt: skip
MAX_WORDS = 4  # longer definitions are explanations, not names of things


class Lexicon:
    """English phrase (lower case) -> Chinese terms; the glossary's and the gazetteer's own terms first."""

    def __init__(self, own: dict[str, list[str]], dictionary: dict[str, list[str]]) -> None:
        self.own, self.dictionary = own, dictionary
        self.longest = max((len(k.split()) for k in (*own, *dictionary)), default=1)

    def terms(self, phrase: str) -> list[str]:
        """The curated terms when there are any (they are the field's usage), else the dictionary's."""
        return self.own.get(phrase) or self.dictionary.get(phrase, [])


def _clean(definition: str) -> str | None:
    d = _PAREN.sub(" ", definition).lower().strip()
    if d.startswith(_SKIP):
        return None
    d = re.sub(r"^(?:to |a |an |the |lit\. |fig\. )+", "", d)
    d = " ".join(re.sub(r"[^a-z0-9 \-']", " ", d).split())
    return d if d and len(d.split()) <= MAX_WORDS else None


def _cedict() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for entry in cedict.entries():
        if len(entry.simplified) < 2:  # single characters are too ambiguous to search on
            continue
        for definition in entry.definitions:
            key = _clean(definition)
            if key and entry.simplified not in out[key]:
                out[key].append(entry.simplified)
    return dict(out)


def _own() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for en, zh in english_places().items():
        out[en].append(zh)
    for zh, names in kinds().items():  # kinds of document: measures -> 办法, action plan -> 行动计划
        for en in names:
            out[en].append(zh)
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, _, zh = line.partition("\t")
            out[" ".join(en.lower().split())] += [t for t in zh.split("|") if t]
    return dict(out)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    return Lexicon(_own(), _cedict())
