"""What a non-answer says, and the relevance the decision starts from. The decision itself is
rag/answer/answerability.py: ``not_found`` (nothing on it) says so; ``not_stated`` (the topic is there,
the asked detail is not) names what the bulletin has and what it does not give."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rag.answer.prompt import REFUSAL
from rag.answer.terms import QueryTerms
from rag.language import places
from rag.text import compact, is_cjk

REFUSED_ZH = "本期资料中没有找到相关内容。"
REFUSED_EN = "The bulletin has nothing on this."
# jieba's tags for places, organisations and other proper names.
_NAME_TAGS = {"ns", "nt", "nz", "nr", "nrt"}


def absent_text(lang: str, name: str, closest: tuple[str, ...]) -> str:
    """A named document the library does not hold, and what it has that comes closest."""
    name = name.strip("《》")
    if lang == "en":
        have = "; it has " + ", ".join(f"《{t}》" for t in closest) if closest else ""
        return f"The library holds no document named 《{name}》{have}."
    have = "；有" + "、".join(f"《{t}》" for t in closest) if closest else ""
    return f"资料库中没有《{name}》{have}。"


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
    return [
        w
        for w, tag in jieba.posseg.lcut(text)
        if tag in _NAME_TAGS and len(w) >= 3 and not _government_of_place(w) and not known(w)
    ]


# A place's government as a question calls it (广东省政府, 青岛市人民政府) where a law says 省人民政府: the place decides.
_GOVERNMENT = re.compile(r"(?:人民)?政府")


def _government_of_place(name: str) -> bool:
    """Whether a name is a place's government (广东省政府): whether the library knows the place is the region
    rule's to judge, and the law calls the body by its level (省人民政府), not by the place's name."""
    found = places(name, "zh")
    return bool(found) and found[0].start == 0 and _GOVERNMENT.fullmatch(name[found[0].end :]) is not None


@dataclass(frozen=True)
class Missing:
    """What a not-stated answer says the bulletin lacks."""

    detail_zh: str  # 具体金额, 具体数值 …
    detail_en: str  # the amount, the figure …
    constraint: str = ""  # what the closest text is not about: 2025年, 四川, 10月
    provision: str = ""  # a provision that is not there: 第五十条, 六、 （九）


def says_refusal(text: str) -> bool:
    return compact(REFUSAL) in compact(text)


def refusal_text(lang: str) -> str:
    """The not-found answer."""
    return REFUSED_ZH if lang == "zh" else REFUSED_EN


def not_stated_text(lang: str, topic: str, missing: Missing) -> str:
    """本期资料提到《…》，但没有给出2025年的具体数值。 / The bulletin covers “…” but does not give …"""
    # A top-level heading number (六、) reads as the part it numbers: 没有第六部分这一条款.
    provision = re.sub(r"([一二三四五六七八九十]+)、", r"第\1部分", missing.provision)
    if lang == "zh":
        where = f"《{topic}》" if topic else "相关内容"
        if missing.provision:
            return f"本期资料中的{where}没有{provision}这一条款。"
        detail = f"{missing.constraint}的{missing.detail_zh}" if missing.constraint else missing.detail_zh
        return f"本期资料提到{where}，但没有给出{detail}。"
    where = f"“{topic}”" if topic else "the topic"
    if missing.provision:
        return f"The bulletin has {where}, but it has no provision {provision}."
    asked = f" for {missing.constraint}" if missing.constraint else ""
    return f"The bulletin covers {where} but does not give {missing.detail_en}{asked}."
