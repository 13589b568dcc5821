"""Small text helpers shared by parsing, querying and evaluation."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MARKS = re.compile(r"[\s*#>]+")


NUMBER = re.compile(r"\d+(?:\.\d+)?")  # an Arabic number as written in the bulletins: 328.2, 2025
# A figure in any form: an Arabic digit, or Chinese numerals with a unit (三个, 万亿, 十倍).
FIGURE = re.compile(r"\d|[一二三四五六七八九十百千万亿]+[个项家条年倍万亿%]")


def compact(text: str) -> str:
    """The evidence-matching form: NFKC, no whitespace, no Markdown marks (eval README)."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", text))


def char_bigrams(text: str) -> set[str]:
    """Overlapping character pairs of the text as given (callers compact it first)."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


def cn_to_int(numeral: str) -> int | None:
    """二十二 -> 22, 一百零三 -> 103; None when it is not a Chinese numeral."""
    if not numeral or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in numeral):
        return None
    total, digit = 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def int_to_cn(n: int) -> str:
    """22 -> 二十二, 10 -> 十, 105 -> 一百零五 (the way clause numbers are written)."""
    digits = "零一二三四五六七八九"
    if n < 0 or n >= 1000:
        raise ValueError(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + (digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else ""))


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
