"""Provision numbering in the index: how the bulletins number their provisions (第X章 › 第X条, 一、 › （一） ›
1.) and the map from a provision number to the passages under it. The parser, retrieval, look-up and
answers read a document's outline through here; how a question or reference names a provision (第22条,
第（十七）条, Article 22) is read by the language layer (rag.language.provisions)."""

from __future__ import annotations

import re

from rag.language.provisions import violated
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


# 第六部分 (the sixth part) is the outline's sixth top-level heading 六、, or a heading 第六部分 itself.
_PART_OF = re.compile(r"第([一二三四五六七八九十]+)部分")


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


def heading_words(part: str) -> str:
    """The words of one part of a section path after its number (（二）主要目标 → 主要目标, 第六章 法律责任 → 法律责任;
    第二十二条 → ""), without the stop a heading line may end with."""
    found = numbering(part)
    words = part[len(found[1]) :] if found else part
    return words.strip().rstrip("。.：:；;").strip()


def headings(chunk: Chunk) -> list[str]:
    """The heading words of every level of a passage's section path that has any."""
    return [w for part in chunk.section.split(PATH_SEP) if chunk.section and (w := heading_words(part))]


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


def violation_rows(chunks: list[Chunk]) -> dict[str, list[int]]:
    """Provision number -> rows of the chunks whose text names it as broken (违反本条例第三十四条规定…): the penalty
    clauses of a provision, for a question that asks what follows its breach."""
    out: dict[str, list[int]] = {}
    for row, c in enumerate(chunks):
        if "违反" in c.text:
            for key in violated(c.text):
                out.setdefault(key, []).append(row)
    return out


def cites_violation(chunk: Chunk, refs: set[str]) -> bool:
    """Whether a passage names one of ``refs`` as broken: a penalty clause for it."""
    return bool(refs) and "违反" in chunk.text and bool(violated(chunk.text) & refs)
