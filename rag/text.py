"""Small text helpers shared by parsing, querying and evaluation."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = "万亿"
CN_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千万亿"  # every character a Chinese numeral is written with
# Measure words a count is written with (30家, 五项, 12个): how questions ask for a count and how sentences state one.
MEASURE_WORDS = "个项家条座所台套款张人户类种支名位件处只部辆架艘"
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
    """二十二 -> 22, 一百零三 -> 103, 百亿 -> 10_000_000_000, 三千万 -> 30_000_000, 万 -> 10_000; None when
    it is not a Chinese numeral. 万 and 亿 scale everything written before them (a bare one means 1 of it)."""
    if not numeral or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch not in _CN_BIG for ch in numeral):
        return None
    total, section, digit = 0, 0, 0  # section: the part below the next 万/亿
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit or 1) * 10_000
            section = digit = 0
        else:  # 亿 scales 万 too: 万亿 is 10^12
            total = (total + section + digit or 1) * 100_000_000
            section = digit = 0
    return total + section + digit


def split_magnitude(numeral: str) -> tuple[str, str]:
    """A Chinese numeral as (count, magnitude word the unit keeps): 百亿 -> (百, 亿), 千亿 -> (千, 亿),
    三千万 -> (三千, 万), 万 -> (万, ""). Policy texts say 百亿元, 万卡: the unit is 亿元 and the value 百."""
    body = numeral.rstrip("万亿")
    if not body:  # 万, 亿, 万亿: the word is the number
        return numeral[:1], numeral[1:]
    return body, numeral[len(body) :]


def cn_number(numeral: str) -> float | None:
    """A Chinese numeral -> its number, decimals included: 二十二 -> 22, 百亿 -> 1e10, 零点五 -> 0.5; None
    when it is none. Integers (and bare scale words, which cn2an refuses: 百亿元, 万卡) are read by
    cn_to_int; a decimal (零点五, 四点二: laws write 百分之零点五 in full) by cn2an, imported only then
    (its import costs ≈0.1 s, more than extracting a whole issue)."""
    if "点" not in numeral:
        n = cn_to_int(numeral)
        return None if n is None else float(n)
    if not numeral.strip("点") or any(ch not in CN_NUMERAL_CHARS and ch != "点" for ch in numeral):
        return None
    from cn2an import cn2an

    try:
        return float(cn2an(numeral, "normal"))
    except ValueError:
        return None


_FRACTION = re.compile(r"^([〇零一二两三四五六七八九十百千]+)分之([〇零一二两三四五六七八九十百千点]+)$")


def cn_fraction(text: str) -> float | None:
    """四分之一 -> 0.25, 百分之三十 -> 0.3, 百分之零点五 -> 0.005; None when ``text`` is no fraction written
    in Chinese."""
    m = _FRACTION.match(text)
    if not m:
        return None
    whole, part = cn_to_int(m.group(1)), cn_number(m.group(2))
    return part / whole if whole and part is not None else None


def to_number(text: str) -> float | None:
    """A figure as written -> its number: 328.2, ３００, 1,200, 百, 二十, 四分之一; None otherwise."""
    text = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if NUMBER.fullmatch(text):
        return float(text)
    n = cn_number(text)
    if n is not None:
        return n
    return cn_fraction(text)


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


# Provision labels an English question quotes from the Chinese text (第四十三条, （十七）): no Chinese writing.
_QUOTED_LABEL = re.compile(r"第[一二三四五六七八九十百零]+[条章节]|（[一二三四五六七八九十]+）")


def language(text: str) -> str:
    """zh or en, by what most of the text is written in: an English question that quotes a Chinese term
    (or names 第四十三条) is still English; text without Chinese characters is English. The one test of
    language: questions, follow-up slots, prompts and answers all use it."""
    plain = _QUOTED_LABEL.sub(" ", text)
    cjk = sum(1 for ch in plain if is_cjk(ch))
    words = len(re.findall(r"[A-Za-z]{2,}", plain))
    return "zh" if cjk and cjk >= words else "en"


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
