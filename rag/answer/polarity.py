"""Yes or no, read off the sentence that decides it: a provision says what a body may, must or must not do.
Only explicit modal words count (不得, 禁止, 不予, 不适用 … / 可以, 应当, 鼓励, 属于 …); a sentence with
neither gives no verdict, and the answer is then the quote alone. 除外 is left out: an exception clause
(…的除外) decides only the questions about the exception, which a word list cannot tell. The 1.5B
model's own yes or no is never trusted over this."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from rag.language import language

# Negative first: 不适用 holds 适用, 不属于 holds 属于.
_NEGATIVE = re.compile(
    r"不得|禁止|严禁|不予|不应|不能|不可|不准|不允许|不适用|不属于|无需|无须|不需要|不必|不再|不纳入|不列入|不支持|不鼓励|不追溯|不能追溯"
)
_POSITIVE = re.compile(r"可以|应当|应该|必须|须|鼓励|支持|允许|属于|适用|有权|纳入|列入|推动|推广|开展|建立|设立|给予|实行|实施")


# A modal word inside an attribute (不予开放的公共数据, 可以共享的数据) describes what the sentence is about,
# not what it says of it: such attributes are set aside before the predicate's modal is read.
_ATTRIBUTE = re.compile(rf"(?:{_NEGATIVE.pattern}|{_POSITIVE.pattern}|未|非)[\u4e00-\u9fff]{{0,6}}?的(?=[\u4e00-\u9fff])")


def _predicate(text: str) -> str:
    return _ATTRIBUTE.sub(" ", text)


class Verdict(Enum):
    YES = "yes"
    NO = "no"


def verdict(question: str, deciding: str) -> Verdict | None:
    """The answer to a yes/no question from the sentence that decides it; None when the sentence states no
    modal either way. A question asked in the negative (是否不得…) flips it."""
    text = _predicate(unicodedata.normalize("NFKC", deciding))
    if _NEGATIVE.search(text):
        said = Verdict.NO
    elif _POSITIVE.search(text):
        said = Verdict.YES
    else:
        return None
    if _asked_negatively(question):
        return Verdict.YES if said == Verdict.NO else Verdict.NO
    return said


# A question asked in the negative: its own predicate is negated (是否不得…, 不能…吗, Is it not …, may not).
_ZH_ASKED_NOT = re.compile(
    r"(?:是否|能否|可否)(?:不|无需|禁止)|不(?:得|能|可以|应|需要|允许|予|适用|属于)[^，。？?]*[吗么][？?]?$"
)
_EN_ASKED_NOT = re.compile(
    r"^(?:is|are|does|do|can|may|must|should)n't\b|^\w+ (?:it|they) not\b|\b(?:may|must|need|should) not\b", re.I
)


def _asked_negatively(question: str) -> bool:
    q = unicodedata.normalize("NFKC", question).strip()
    if language(q) == "zh":
        return bool(_ZH_ASKED_NOT.search(_predicate(q)))
    return bool(_EN_ASKED_NOT.search(q))


def verdict_text(v: Verdict, lang: str) -> str:
    if lang == "zh":
        return "是。" if v == Verdict.YES else "否。"
    return "Yes. " if v == Verdict.YES else "No. "


_MODEL_YES = re.compile(r"^\s*(?:是|可以|能|会|有|对|yes\b)", re.I)
_MODEL_NO = re.compile(r"^\s*(?:否|不|没有|不能|不可以|不会|不得|no\b)", re.I)


def model_verdict(text: str) -> Verdict | None:
    """The yes or no a model's answer opens with, if any."""
    if _MODEL_NO.match(text):
        return Verdict.NO
    if _MODEL_YES.match(text):
        return Verdict.YES
    return None
