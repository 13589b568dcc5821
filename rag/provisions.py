"""Provision numbering, in one place: how the bulletins number their provisions (第X章 › 第X条,
一、 › （一） › 1.), how a question or reference names one (第22条, 第（十七）条, (3)), and the map from a
provision number to the passages under it. The parser, the query normaliser, retrieval, look-up and
answers all read the numbering through here."""

from __future__ import annotations

import re

from rag.text import int_to_cn
from rag.types import PATH_SEP, Chunk

CN_NUMERALS = "一二三四五六七八九十百零〇"
# (style, pattern), outermost first: the rank of a style is how it nests (第X章 holds 第X条, 一、 holds （一）).
STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第[{CN_NUMERALS}\d]+章")),
    ("part", re.compile(rf"^第[{CN_NUMERALS}\d]+节")),
    ("clause", re.compile(rf"^第[{CN_NUMERALS}\d]+条")),
    ("cn", re.compile(rf"^[{CN_NUMERALS}]+、")),
    ("paren_cn", re.compile(rf"^[（(]\s*[{CN_NUMERALS}]+\s*[）)]")),
    ("arabic", re.compile(r"^\d{1,2}\s*[.．、](?![\d])")),
    ("paren_arabic", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
]
RANK = {style: rank for rank, (style, _) in enumerate(STYLES)}


def numbering(text: str) -> tuple[str, str] | None:
    """(style, number as written) of a provision's leading number, if it has one."""
    for style, pattern in STYLES:
        m = pattern.match(text)
        if m:
            return style, m.group(0)
    return None


# --- how questions and references name a provision --------------------------------------------

_ARABIC_PROVISION = re.compile(r"第\s*(\d{1,3})\s*(条|章|节)")
_PAREN_NUMBER = re.compile(r"[（(]\s*(\d{1,2})\s*[)）]")
_REF = re.compile(r"第[一二三四五六七八九十百零]+[条章节]|（[一二三四五六七八九十]+）")
_CLAUSE_OF_ITEM = re.compile(r"第（([一二三四五六七八九十]+)）条")
# 第六部分 (the sixth part) is the outline's sixth top-level heading, 六、 (or a heading 第六部分 itself).
_PART_OF = re.compile(r"第([一二三四五六七八九十]+)部分")


# English references: Article 22, Chapter 3, Section 2, item (17) / item 17 / measure 17.
_EN_PROVISION = re.compile(r"\b(article|art\.|chapter|section)\s*(\d{1,3})\b", re.I)
_EN_ITEM = re.compile(r"\b(?:item|measure|point|paragraph)\s*[（(]?\s*(\d{1,2})\s*[)）]?", re.I)
_EN_KIND = {"article": "条", "art.": "条", "chapter": "章", "section": "节"}


def written_as_in_text(query: str) -> str:
    """第22条 -> 第二十二条, (17) -> （十七）, Article 22 -> 第二十二条: provision numbers as the bulletins
    write them."""
    query = _EN_PROVISION.sub(lambda m: f"第{int_to_cn(int(m.group(2)))}{_EN_KIND[m.group(1).lower()]}", query)
    query = _EN_ITEM.sub(lambda m: f"（{int_to_cn(int(m.group(1)))}）", query)
    query = _ARABIC_PROVISION.sub(lambda m: f"第{int_to_cn(int(m.group(1)))}{m.group(2)}", query)
    return _PAREN_NUMBER.sub(lambda m: f"（{int_to_cn(int(m.group(1)))}）", query)


def provision_refs(query: str) -> set[str]:
    """Numbered provisions a (normalised) question names: {'第二十二条', '（十七）', '六、' for 第六部分}."""
    refs = set(_REF.findall(query))
    # 第（十七）条 names the provision （十七）.
    refs |= {f"（{m}）" for m in _CLAUSE_OF_ITEM.findall(query)}
    refs |= {f"{m}、" for m in _PART_OF.findall(query)}
    return refs


_SECTION_REF = re.compile(r"(?:^|(?<=[“\"「《\s、，,]))([一二三四五六七八九十]+、)(?=\S)")


def provision_chain(query: str) -> list[str]:
    """The provisions a (normalised) question names, outermost first, as they appear: 「六、保障措施的第（九）条」
    -> ['六、', '（九）'], 「第四十三条第（十二）项」 -> ['第四十三条', '（十二）']."""
    found = [(m.start(), m.group(0)) for m in _REF.finditer(query)]
    found += [(m.start(), f"（{m.group(1)}）") for m in _CLAUSE_OF_ITEM.finditer(query)]
    found += [(m.start(1), m.group(1)) for m in _SECTION_REF.finditer(query)]
    found += [(m.start(), f"{m.group(1)}、") for m in _PART_OF.finditer(query)]
    chain: list[str] = []
    for _, ref in sorted(found):
        if ref not in chain:
            chain.append(ref)
    return chain


def without_refs(reference: str, refs: set[str]) -> str:
    """What a reference says besides its provision numbers: the article it means (「云南」, 「数据要素×」)."""
    rest = _CLAUSE_OF_ITEM.sub(" ", reference)
    for ref in refs:
        rest = rest.replace(ref, " ")
    return re.sub(r"[\s「」『』“”\"'《》〈〉:：,，。、；;]+", " ", rest).strip()


# --- provisions in the index -------------------------------------------------------------------


def _leading_number(part: str) -> str:
    found = numbering(part)
    return found[1].replace("(", "（").replace(")", "）").replace(" ", "") if found else ""


def part_keys(part: str) -> set[str]:
    """The provision numbers one part of a section path (「第二十二条」, 「（十三）加强…」) answers to."""
    keys = {part.split(" ")[0], _leading_number(part)} - {""}
    if m := _PART_OF.match(part):
        keys.add(f"{m.group(1)}、")
    return keys


def names_part(part: str, refs: set[str]) -> bool:
    """Whether one part of a section path is a provision in ``refs``."""
    return bool(part_keys(part) & refs)


def names_provision(chunk: Chunk, refs: set[str]) -> bool:
    return any(names_part(part, refs) for part in chunk.section.split(PATH_SEP))


def provision_rows(chunks: list[Chunk]) -> dict[str, list[int]]:
    """Provision number (第二十二条, （十七）) -> rows of the chunks under it, in row order: a question
    that names a provision then costs a lookup, not a pass over every chunk of the library."""
    out: dict[str, list[int]] = {}
    for row, c in enumerate(chunks):
        for part in c.section.split(PATH_SEP) if c.section else ():
            for key in part_keys(part):
                rows = out.setdefault(key, [])
                if not rows or rows[-1] != row:
                    rows.append(row)
    return out
