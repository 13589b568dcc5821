"""Numbers as Chinese writes them: Arabic digits, Chinese numerals (二十二, 一百零三, 两, 百亿, 零点五) and
fractions (四分之一, 百分之三十). Every reader of quantities, periods and provision numbers reads numerals here."""

from __future__ import annotations

import re
import unicodedata

from rag.text import NUMBER

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = "万亿"
CN_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千万亿"  # every character a Chinese numeral is written with


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


def small_number(text: str) -> int | None:
    """A provision or ordinal number: 22, 二十二, 两 -> 2; None for anything else."""
    text = text.strip()
    return int(text) if text.isdigit() else cn_to_int(text)


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


def fold_width(text: str) -> str:
    """Full-width digits, letters and signs as half-width (３００ -> 300), one character for one, so that
    offsets into the folded text are offsets into ``text``."""
    out = []
    for ch in text:
        if "\uff01" <= ch <= "\uff5e":
            folded = unicodedata.normalize("NFKC", ch)
            out.append(folded if len(folded) == 1 else ch)
        else:
            out.append(ch)
    return "".join(out)
