"""When to say the bulletin does not answer: nothing relevant was retrieved, the question names a place
or organisation the library never mentions (or a province its passages are not about), it asks for a
figure the passages do not state, or the model says its passages do not answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.answer.prompt import REFUSAL
from rag.answer.terms import QueryTerms
from rag.places import provinces_named
from rag.text import FIGURE, compact, is_cjk

REFUSED_ZH = "本期资料中没有找到相关内容。"
REFUSED_EN = "The bulletin has nothing on this."
# jieba's tags for places, organisations and other proper names.
_NAME_TAGS = {"ns", "nt", "nz", "nr", "nrt"}


@dataclass(frozen=True)
class Relevance:
    score: float  # best sentence cosine + coverage_weight × coverage
    sentence_cosine: float
    coverage: float | None  # share of the question's IDF weight found in one passage; None without CJK tokens
    threshold: float

    @property
    def relevant(self) -> bool:
        return self.score >= self.threshold


def coverage(terms: QueryTerms, texts: list[str], tokenize: Callable[[str], list[str]]) -> float | None:
    """The largest share of the question's IDF weight one text holds; None for a question with no
    Chinese terms (the lexical side cannot judge it)."""
    if not any(is_cjk(ch) for ch in "".join(terms.weights)):
        return None
    return max((terms.share(set(tokenize(x))) for x in texts), default=0.0)


def unknown_names(query: str, known: Callable[[str], bool]) -> list[str]:
    """Proper names of three or more characters (广东省, 中国移动) that no passage of the library contains.
    Two-character words are left out: jieba tags common words such as 东西 as places."""
    import jieba.posseg

    text = unicodedata.normalize("NFKC", query)
    return [w for w, tag in jieba.posseg.lcut(text) if tag in _NAME_TAGS and len(w) >= 3 and not known(w)]


# Questions that ask for a figure outright ("是多少", "占比", "几个").
_ASKS_FIGURE = re.compile(r"多少|几[个项家条年月天%]|比例|占比|百分之|how (many|much)|what (share|percentage)", re.I)


def provinces_not_covered(query: str, texts: Sequence[str]) -> list[str]:
    """Provinces the question names that none of the retrieved passages is about: the answer would be
    another place's figure (a national total, a neighbour's target)."""
    return [zh for zh in provinces_named(query) if not any(zh in t for t in texts)]


def figure_missing(query: str, sentences: Sequence[str], terms: QueryTerms) -> str | None:
    """For a question that asks for a figure: its rarest term that the candidate sentences contain, when
    none of those sentences states a number (the text names the thing but gives no figure for it)."""
    if not _ASKS_FIGURE.search(query):
        return None
    for term in sorted(terms.weights, key=lambda t: -terms.weights[t]):
        holding = [s for s in sentences if len(term) >= 2 and term in s]
        if holding:
            return None if any(FIGURE.search(s.replace(term, "")) for s in holding) else term
    return None


def says_refusal(text: str) -> bool:
    return compact(REFUSAL) in compact(text)


def refusal_text(lang: str) -> str:
    return REFUSED_ZH if lang == "zh" else REFUSED_EN
