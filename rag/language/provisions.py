"""References to numbered provisions, in Chinese and English: 第二十二条, 第22条, 第三条第二款第（一）项, 第（十七）条,
（十七）, 第三章, 第二节, 第六部分, 第一类, Article 22, Chapters 2 and 3, item (17). Several at once are read
each (第十条、第十一条), and a range gives every provision in it (第三十二条至第三十五条). How the bulletins
number their own provisions (the outline of a document) is rag.provisions; this module reads references."""

from __future__ import annotations

import re

from rag.language.numbers import fold_width, int_to_cn, small_number
from rag.language.spans import ProvisionRef

_NUM = r"[一二三四五六七八九十百零两\d]+"
# Units a reference counts in: provisions (条 款 项 章 节 部分) and the ordinals a follow-up counts with.
UNITS = ("部分", "方面", "条", "款", "项", "章", "节", "类", "个", "点", "段", "种")
_UNIT = "|".join(UNITS)
_ZH = re.compile(
    rf"第\s*[（(]\s*(?P<pn>{_NUM})\s*[)）]\s*(?P<pu>[条项款])?"
    rf"|第\s*(?P<n>{_NUM})\s*(?P<unit>{_UNIT})"
    r"|[（(]\s*(?P<bn>[一二三四五六七八九十]+|\d{1,2})\s*[)）]"
)
# 第三十二条至第三十五条, 第三十二至三十五条, 第十条、第十一条: the joints between references of one list.
_RANGE_JOINT = re.compile(r"^\s*(?:至|到|—|–|-|~|～)\s*$")
_SHORT_RANGE = re.compile(rf"第\s*(?P<a>{_NUM})\s*(?:至|到|—|–|-|~|～)\s*(?:第\s*)?(?P<b>{_NUM})\s*(?P<unit>条|章|节|项|款)")
_EN_UNITS = {
    "article": "条", "articles": "条", "art.": "条", "clause": "条", "clauses": "条", "chapter": "章", "chapters": "章",
    "section": "节", "sections": "节", "item": "项", "items": "项", "measure": "项", "measures": "项", "point": "项",
    "points": "项", "paragraph": "款", "paragraphs": "款",
}  # fmt: skip
_EN = re.compile(
    r"\b(?P<word>articles?|art\.|clauses?|chapters?|sections?|items?|measures?|points?|paragraphs?)\s*"
    r"(?P<list>[（(]?\s*\d{1,3}(?:\s*[)）])?(?:\s*(?:,|and|to|through|-|–)\s*[（(]?\s*\d{1,3}(?:\s*[)）])?)*)",
    re.I,
)
_EN_NUMBER = re.compile(r"\d{1,3}")
# A heading label a question quotes: “六、保障措施”.
_HEADING = re.compile(r"(?:^|(?<=[“\"「《\s、，,]))([一二三四五六七八九十]+)、(?=\S)")


def _zh_refs(text: str, original: str) -> list[ProvisionRef]:
    out = []
    for m in _SHORT_RANGE.finditer(text):  # 第三十二至三十五条: the ends share one unit
        a, b = small_number(m.group("a")), small_number(m.group("b"))
        if a and b and a < b <= a + 50:
            out += _range(m.start(), m.end(), original[m.start() : m.end()], m.group("unit"), a, b, m.group("a").isdigit())
    for m in _ZH.finditer(text):
        if any(r.start <= m.start() < r.end for r in out):
            continue
        number_text = m.group("pn") or m.group("n") or m.group("bn")
        n = small_number(number_text)
        if not n:
            continue
        paren = bool(m.group("pn") or m.group("bn"))
        unit = (m.group("pu") or "条") if m.group("pn") else m.group("unit") or "paren"
        written = "arabic" if number_text.isdigit() else "cn"
        out.append(ProvisionRef(m.start(), m.end(), original[m.start() : m.end()], unit, n, written, paren))
    out.sort(key=lambda r: r.start)
    return _expand_ranges(original, out)


def _range(start: int, end: int, text: str, unit: str, a: int, b: int, arabic: bool) -> list[ProvisionRef]:
    written = "arabic" if arabic else "cn"
    return [ProvisionRef(start, end, text, unit, n, written, implied=n not in (a, b)) for n in range(a, b + 1)]


def _expand_ranges(text: str, refs: list[ProvisionRef]) -> list[ProvisionRef]:
    """第三十二条至第三十五条: the provisions between the ends, each (their span is the whole range)."""
    out: list[ProvisionRef] = []
    for r in refs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.implied
            and prev.unit == r.unit
            and prev.paren == r.paren
            and prev.number < r.number <= prev.number + 50
            and _RANGE_JOINT.match(text[prev.end : r.start])
        ):
            whole = text[prev.start : r.end]
            out += [
                ProvisionRef(prev.start, r.end, whole, r.unit, n, r.written, r.paren, implied=True)
                for n in range(prev.number + 1, r.number)
            ]
        out.append(r)
    return sorted(out, key=lambda r: (r.start, r.number))


def _en_refs(text: str, original: str) -> list[ProvisionRef]:
    out = []
    for m in _EN.finditer(text):
        words = original[m.start() : m.end()]
        unit = _EN_UNITS[m.group("word").lower()]
        paren = unit in ("项", "款")  # an item or paragraph is the bulletins' （十七）
        numbers = [(int(x.group(0)), m.start("list") + x.start()) for x in _EN_NUMBER.finditer(m.group("list"))]
        joints = re.findall(r"to|through|-|–", m.group("list"))
        for k, (n, _) in enumerate(numbers):
            if n:
                out.append(ProvisionRef(m.start(), m.end(), words, unit, n, "arabic", paren, english=True))
            if joints and k + 1 < len(numbers) and numbers[k + 1][0] <= n + 50:
                out += [
                    ProvisionRef(m.start(), m.end(), words, unit, x, "arabic", paren, english=True, implied=True)
                    for x in range(n + 1, numbers[k + 1][0])
                ]
    return out


def provision_refs(text: str, headings: bool = False) -> list[ProvisionRef]:
    """The provisions ``text`` refers to, in order; ``headings``: a quoted heading label (“六、…”) too."""
    folded = fold_width(text)
    english = _en_refs(folded, text)
    out = english + [r for r in _zh_refs(folded, text) if not any(r.overlaps(e) for e in english)]
    if headings:
        out += [
            ProvisionRef(
                m.start(1), m.end(1) + 1, text[m.start(1) : m.end(1) + 1], "heading", small_number(m.group(1)) or 0, "cn"
            )
            for m in _HEADING.finditer(folded)
        ]
    return sorted(out, key=lambda r: (r.start, r.number))


def labels(text: str) -> set[str]:
    """The provisions a text names, labelled as the bulletins label them: {'第二十二条', '（十七）', '六、'}."""
    return {r.label for r in provision_refs(text) if r.label}


# An act that breaks a provision, as a penalty clause names it (违反本条例第三十四条第一款规定, 违反《…》第十条、第十一条的
# 规定) and a question asks after it (违反北京市信息化促进条例第三十四条规定的，怎么处罚): within one clause.
_VIOLATES = re.compile(r"违反[^，。；;,？?！!：:]{0,40}?规定")


def violated(text: str) -> set[str]:
    """The provisions ``text`` names as broken (违反…第三十四条规定): a penalty clause cites them; a question that names
    them so asks what follows the breach, not what they say."""
    return {label for m in _VIOLATES.finditer(text) for label in labels(m.group(0))}


def provision_chain(text: str) -> list[str]:
    """The provisions a question names, outermost first, as they appear: 「六、保障措施的第（九）条」 -> ['六、',
    '（九）'], 「第四十三条第（十二）项」 -> ['第四十三条', '（十二）']; a list or range, each in order."""
    chain: list[str] = []
    for r in provision_refs(text, headings=True):
        label = r.label or (r.text if r.unit == "heading" else "")
        if label and label not in chain:
            chain.append(label)
    return chain


_AFTER_NUMBER = re.compile(r"^第?\s*[（(]?\s*\d+\s*[)）]?\s*")


def written_as_in_text(text: str) -> str:
    """第22条 -> 第二十二条, (17) -> （十七）, Article 22 -> 第二十二条: provision numbers as the bulletins write
    them, the rest of the text as it is."""
    out, at = [], 0
    done: set[tuple[int, int]] = set()
    for r in provision_refs(text):
        if r.implied or (r.start, r.end) in done or r.start < at:
            continue
        if r.english:
            same = [x for x in provision_refs(text) if (x.start, x.end) == (r.start, r.end) and not x.implied]
            named = [x.label or f"第{int_to_cn(x.number)}{x.unit}" for x in same]
            ranged = len(same) < len([x for x in provision_refs(text) if (x.start, x.end) == (r.start, r.end)])
            words = f"{named[0]}至{named[-1]}" if ranged else "、".join(named)
        elif r.written == "arabic":
            number = int_to_cn(r.number) if r.number < 1000 else str(r.number)
            head = "第" if r.text.startswith("第") else ""
            body = f"（{number}）" if r.paren else number
            words = head + body + _AFTER_NUMBER.sub("", r.text)
        else:
            continue
        out.append(text[at : r.start] + words)
        at = r.end
        done.add((r.start, r.end))
    return "".join(out) + text[at:]


def without_refs(text: str) -> str:
    """What a reference says besides its provision numbers: the article it means (「云南」, 「数据要素×」)."""
    spans = provision_refs(text)
    chars = list(text)
    for r in spans:
        for k in range(r.start, r.end):
            chars[k] = " "
    return re.sub(r"[\s「」『』“”\"'《》〈〉:：,，。、；;]+", " ", "".join(chars)).strip()
