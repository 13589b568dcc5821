"""Small text helpers shared by parsing, querying and evaluation."""

from __future__ import annotations

import re
import unicodedata

_MARKS = re.compile(r"[\s*#>]+")


NUMBER = re.compile(r"\d+(?:\.\d+)?")  # an Arabic number as written in the bulletins: 328.2, 2025


def compact(text: str) -> str:
    """The evidence-matching form: NFKC, no whitespace, no Markdown marks (eval README)."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", text))


def char_bigrams(text: str) -> set[str]:
    """Overlapping character pairs of the text as given (callers compact it first)."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def tidy_title(text: str) -> str:
    """A heading as a title: PDF line-wrap spaces between CJK removed, brackets full-width."""
    text = text.replace("(", "（").replace(")", "）")
    text = re.sub(r"\s+", " ", text).strip()
    out = []
    for i, ch in enumerate(text):
        if ch == " ":
            prev, nxt = text[i - 1], text[i + 1]
            if (is_cjk(prev) or prev in "（）") and (is_cjk(nxt) or nxt in "（）"):
                continue
            if nxt in "（" or prev in "）":
                continue
        out.append(ch)
    return "".join(out)
