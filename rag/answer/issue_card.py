"""Questions about an issue itself — 本期是第几期？哪天出版？本期要目第一篇是什么？“前沿观察”栏目收录的是哪篇文章？
《…》在本期从第几页开始？ — answered from that issue's masthead and contents (its issue card passage), by the
lines themselves: the masthead line for its number and date, the contents lines (column headings, then
"01 title" entries) for the rest. Which issue 本期 or 上一期 means is rag.recency's; a question that names
no issue is left to the usual answer (in a library of many issues it has no one masthead)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.filters import Filters
from rag.language import issue_mentions, language
from rag.language.numbers import cn_to_int
from rag.recency import scoped
from rag.types import Answer, Chunk, Highlight, Passage

_WHEN = re.compile(r"哪天|哪一天|何时|什么时候|出版日期|日期|几月几[日号]|出版|\bwhen\b|\bdate\b|published", re.I)
_NUMBER = re.compile(r"第几期|哪一期|期号|总第几期|what (?:issue )?number|which number", re.I)
_NTH = re.compile(
    r"第\s*([一二三四五六七八九十\d]{1,3})\s*篇|排在第\s*([一二三四五六七八九十\d]{1,3})|\b(first|second|third)\b", re.I
)
_CONTENTS = re.compile(r"要目|目录|\bcontents\b|\barticles?\b", re.I)
_ALL = re.compile(r"(?:要目|目录)(?:里|中)?(?:有|包括|列了)?(?:哪些|什么)|(?:有|刊登了?|收录了?)哪些(?:文章|文件)[？?]?$")
_PAGE = re.compile(r"第几页|哪一页|页码|which page|what page", re.I)
_ENTRY = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
_MASTHEAD = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.*第\s*\d+\s*期")
_EN_ORDINAL = {"first": 1, "second": 2, "third": 3}


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # in the card passage's text
    end: int
    chunk: int  # which of the issue's card passages
    column: str = ""  # the contents' column heading above an entry
    page: int | None = None  # an entry's first page


def _lines(cards: Sequence[Chunk]) -> tuple[Line | None, list[Line]]:
    """The masthead line and the contents entries of an issue's card passages."""
    masthead, entries, column, in_contents = None, [], "", False
    for k, c in enumerate(cards):
        at = 0
        for raw in c.text.split("\n"):
            start, end, line = at, at + len(raw), raw.strip()
            at = end + 1
            if masthead is None and _MASTHEAD.search(unicodedata.normalize("NFKC", line)):
                masthead = Line(line, start, end, k)
            if "要目" in line or "目录" in line:
                in_contents = True
            elif in_contents and (m := _ENTRY.match(line)):
                entries.append(Line(m.group(2).strip(), start, end, k, column, int(m.group(1))))
            elif in_contents and line:
                column = line
    return masthead, entries


def _nth(query: str) -> int | None:
    m = _NTH.search(query)
    if m is None:
        return None
    word = m.group(1) or m.group(2)
    return _EN_ORDINAL[m.group(3).lower()] if m.group(3) else int(word) if word.isdigit() else cn_to_int(word)


def _chosen(query: str, masthead: Line | None, entries: list[Line]) -> tuple[list[Line], str] | None:
    """The card lines that answer, and how to say them ("issue", "entries" or "page")."""
    titled = [e for e in entries if _flat(e.text) and _flat(e.text) in _flat(query)]
    if titled and _PAGE.search(query):
        return titled[:1], "page"
    columns = [e for e in entries if e.column and e.column in query]
    if columns and not titled:
        return columns, "entries"
    if _CONTENTS.search(query) and (n := _nth(query)) is not None:
        return (entries[n - 1 : n], "entries") if 0 < n <= len(entries) else None
    if _ALL.search(query.strip()):
        return entries, "entries"
    if masthead is not None and (_WHEN.search(query) or _NUMBER.search(query)) and not titled:
        return [masthead], "issue"
    return None


def _flat(text: str) -> str:
    return re.sub(r"[\s《》“”\"（）()]", "", unicodedata.normalize("NFKC", text))


def card_answer(
    query: str, cards: Sequence[Chunk], library: Iterable[Chunk], filters: Filters | None, current: str = ""
) -> Answer | None:
    """The answer from the card (``cards``: every issue's card passages) of the issue the question names, or None
    (no issue named, or nothing the card says). ``library``: a passage of each article of each issue, to know
    which issues the filters leave."""
    if not issue_mentions(query, language(query)):
        return None
    scope = scoped(query, filters, library, current)
    cards = [c for c in cards if scope is None or any(scope.printed(*o) for o in c.occurrences())]
    issues = {c.issue_id for c in cards}
    if len(issues) != 1:
        return None
    masthead, entries = _lines(cards)
    chosen = _chosen(query, masthead, entries)
    if not chosen or not chosen[0]:
        return None
    lines, how = chosen
    used = sorted({x.chunk for x in lines})
    number = {k: n for n, k in enumerate(used, 1)}
    if how == "issue":
        text = f"{cards[0].issue_label.split(' ')[0]} {lines[0].text}[1]"
    elif how == "page":
        e = lines[0]
        text = f"《{e.text}》从第{e.page}页开始（{e.column}栏目）[{number[e.chunk]}]"
    else:
        text = "\n".join(f"{e.column + '：' if e.column else ''}《{e.text}》（第{e.page}页）[{number[e.chunk]}]" for e in lines)
    passages = [Passage(cards[k], 1.0, n) for k, n in number.items()]
    highlights = [Highlight(number[x.chunk], x.start, x.end) for x in lines]
    flag = "answered from the issue's masthead and contents"
    return Answer(query, text, False, passages, passages, "extractive", highlights, [flag])
