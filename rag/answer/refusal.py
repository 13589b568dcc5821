"""When to say the bulletin does not answer: nothing relevant was retrieved, the question names a place
or organisation the library never mentions, or the model says its passages do not answer."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rag.answer.prompt import REFUSAL
from rag.answer.terms import QueryTerms
from rag.text import compact, is_cjk

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


def coverage(query: str, texts: list[str], tokenize: Callable[[str], list[str]], idf) -> float | None:
    """The largest share of the question's IDF weight one text holds; None for a question with no
    Chinese terms (the lexical side cannot judge it)."""
    terms = QueryTerms(query, tokenize, idf)
    if not any(is_cjk(ch) for ch in "".join(terms.weights)):
        return None
    return max((terms.share(set(tokenize(x))) for x in texts), default=0.0)


def unknown_names(query: str, known: Callable[[str], bool]) -> list[str]:
    """Proper names of three or more characters (广东省, 中国移动) that no passage of the library contains.
    Two-character words are left out: jieba tags common words such as 东西 as places."""
    import jieba.posseg

    text = unicodedata.normalize("NFKC", query)
    return [w for w, tag in jieba.posseg.lcut(text) if tag in _NAME_TAGS and len(w) >= 3 and not known(w)]


def says_refusal(text: str) -> bool:
    return compact(REFUSAL) in compact(text)


def refusal_text(lang: str) -> str:
    return REFUSED_ZH if lang == "zh" else REFUSED_EN
