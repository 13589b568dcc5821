"""A bulletin's text -> Issue: masthead, table of contents, articles with their notes and sections."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from rag.errors import UserError
from rag.parse.blocks import repair_page_breaks, split_blocks
from rag.parse.sections import build_tree, starts_provision
from rag.provisions import numbering
from rag.text import compact, tidy_title
from rag.types import Article, Block, Issue

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMBER = re.compile(r"第\s*(\d+)\s*期")
_TOTAL = re.compile(r"总\s*第\s*(\d+)\s*期")
_TOC_HEADINGS = {"本期要目", "目录", "本期目录"}
_TOC_ENTRY = re.compile(r"^(\d{1,3})\s*(\S.*)$")
_SOURCE = re.compile(r"^[（(]\s*来源\s*[:：]\s*(.+?)\s*[)）]$")
_NOTE = "编者按"
_DISCLAIMER = ("声明",)


class ParseError(UserError, ValueError):
    """The text holds no bulletin the parser can read."""


@dataclass
class _Toc:
    entries: list[dict]
    blocks: list[Block]
    end: int  # index of the first block after the contents


def _read_toc(blocks: list[Block], at: int) -> _Toc:
    entries, used, column = [], [blocks[at]], ""
    i = at + 1
    while i < len(blocks):
        b = blocks[i]
        # Plain text has no heading marks: a short line that is no entry is a column name too.
        if b.kind == "heading" or (len(compact(b.text)) <= 8 and not _TOC_ENTRY.match(b.text) and not b.bold_lead):
            if compact(b.text) == _NOTE or len(compact(b.text)) > 8:
                break
            column = b.text.strip()
        else:
            m = _TOC_ENTRY.match(b.text)
            if not m or b.bold_lead:
                break
            entries.append({"column": column, "title": m.group(2).strip(), "page": int(m.group(1))})
        used.append(b)
        i += 1
    return _Toc(entries, used, i)


def _read_masthead(issue: Issue, blocks: list[Block]) -> list[Block]:
    """Fill the issue's metadata; return the masthead blocks worth a place on the issue card."""
    card: list[Block] = []
    seen: set[str] = set()
    field_name = ""
    for b in blocks:
        key = compact(b.text)
        if b.kind == "heading":
            # The first heading names the bulletin, even when a PDF's running head said it first.
            if not issue.name:
                issue.name = b.text.strip()
                card.append(b)
                seen.add(key)
            continue  # other cover headings are teasers for articles
        if key in seen:
            continue  # the masthead repeats itself on the inner cover
        if key.startswith(_DISCLAIMER):  # 声明：… with its bold lead or without (a PDF's fonts may not say)
            field_name = "__skip__"
            continue
        if b.bold_lead:
            field_name = compact(b.bold_lead).rstrip(":：")
            if field_name.startswith(_DISCLAIMER):
                field_name = "__skip__"
                continue
            value = b.text[len(b.bold_lead) :].strip()
            issue.editors[field_name] = value
        elif field_name == "__skip__":
            continue
        elif field_name and not _DATE.search(b.text):
            issue.editors[field_name] = (issue.editors[field_name] + " " + b.text.strip()).strip()
        m = _DATE.search(b.text)
        if m and not issue.date:
            # int(): full-width digits (２０２３年, 第５１期) read as the ASCII the issue id is made of
            issue.date = f"{int(m.group(1))}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            if n := _NUMBER.search(b.text.replace(m.group(0), "")):
                issue.number = str(int(n.group(1)))
            if t := _TOTAL.search(b.text):
                issue.total_number = str(int(t.group(1)))
        card.append(b)
        seen.add(key)
    return card


def _title_matches(heading: str, toc_title: str) -> str:
    """'full', 'prefix' (the heading is the first part of the title) or ''."""
    h, t = compact(heading), compact(toc_title)
    if not h:
        return ""
    if h == t:
        return "full"
    if t.startswith(h) and len(h) >= 0.5 * len(t):
        return "prefix"
    return ""


def _title_end(blocks: list[Block], i: int, toc_title: str) -> int:
    """Index just past the heading(s) from ``i`` that spell ``toc_title``, or 0."""
    match = _title_matches(blocks[i].text, toc_title)
    j = i + 1
    # A long title wraps onto the next heading (or, in plain text, the next short line).
    while match == "prefix" and j < len(blocks) and blocks[j].kind in ("heading", blocks[i].kind) and len(blocks[j].text) <= 60:
        match = _title_matches(" ".join(x.text for x in blocks[i : j + 1]), toc_title)
        j += 1
    return j if match == "full" else 0


def _article_starts(blocks: list[Block], toc: list[dict]) -> list[tuple[int, int, dict | None]]:
    """(first block, first body block, toc entry) for each article."""
    starts = []
    i, want = 0, 0
    after_source = True
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "para" and _SOURCE.match(b.text):
            after_source = True
        # Without heading marks (plain text) a title is a line that spells a contents entry.
        if (b.kind != "heading" and not (toc and b.kind == "para" and len(b.text) <= 120)) or compact(b.text) == _NOTE:
            i += 1
            continue
        if toc:
            if want >= len(toc):
                break
            # Try the next expected title first; an entry whose heading never shows up
            # must not hide the articles after it.
            found = next(((m, j) for m in range(want, len(toc)) if (j := _title_end(blocks, i, toc[m]["title"]))), None)
            if found:
                m, j = found
                starts.append((i, j, toc[m]))
                want = m + 1
                i = j
                continue
        elif b.kind == "heading" and after_source and numbering(b.text) is None:
            starts.append((i, i + 1, None))
            after_source = False
        i += 1
    return starts


def _note_blocks(blocks: list[Block]) -> list[Block]:
    """The editor's note inside the stretch between two articles."""
    for k, b in enumerate(blocks):
        if compact(b.text) == _NOTE:
            return [x for x in blocks[k + 1 :] if x.kind != "heading"]
        if b.kind == "para" and compact(b.text).startswith(_NOTE + ":"):
            return [x for x in blocks[k:] if x.kind != "heading"]
    return []


_NAME_DATE = re.compile(r"(20\d{2})[-_.年]?([01]\d)[-_.月]?([0-3]\d)日?")
_NAME_ISSUE = re.compile(r"(20\d{2})\s*(?:年\s*第?|[-_ ]+(?:no\.?|第)?\s*)(\d{1,3})(?!\d)\s*期?", re.I)
META_FIELDS = ("name", "number", "total_number", "date")


def metadata_from_name(name: str) -> dict[str, str]:
    """Issue number and date a file name states: bulletin-2023-51, 大数据发展动态2024年第3期, 2024-01-05."""
    stem = name.rsplit("/", 1)[-1]
    out: dict[str, str] = {}
    if m := _NAME_DATE.search(stem):
        out["date"] = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        stem = stem.replace(m.group(0), " ")
    if m := _NAME_ISSUE.search(stem):
        out["number"] = str(int(m.group(2)))
        out.setdefault("date", m.group(1))
    return out


def parse_issue(
    source: str, source_path: str = "", name: str = "", pages: list[int] | None = None, meta: dict | None = None
) -> Issue:
    """``meta`` (name, number, total_number, date) overrides the masthead; the file ``name``
    fills what neither states."""
    where = source_path or "text"
    blocks = split_blocks(source)
    if not blocks:
        raise ParseError(f"{where}: no text found")
    issue = Issue(name="", source_path=source_path, sha256=hashlib.sha256(source.encode("utf-8")).hexdigest())
    issue.pages = list(pages or [])
    front, toc, body = _front_matter(blocks)
    issue.toc = toc.entries if toc else []
    issue.card = _read_masthead(issue, front) + (toc.blocks if toc else [])
    _fill_metadata(issue, meta or {}, metadata_from_name(name or source_path), name)
    starts = _article_starts(body, issue.toc)
    if not starts:
        raise ParseError(f"{where}: no articles found")
    issue.articles = _read_articles(body, starts)
    return issue


def _front_matter(blocks: list[Block]) -> tuple[list[Block], _Toc | None, list[Block]]:
    """(masthead blocks, contents, body): the body starts after the contents, or, without contents, at
    the first editor's note."""
    toc_at = next((k for k, b in enumerate(blocks) if b.kind != "item" and compact(b.text) in _TOC_HEADINGS), None)
    if toc_at is not None:
        toc = _read_toc(blocks, toc_at)
        return blocks[:toc_at], toc, blocks[toc.end :]
    first_note = next((k for k, b in enumerate(blocks) if compact(b.text) == _NOTE), None)
    cut = first_note if first_note is not None else 0
    return blocks[:cut], None, blocks[cut:]


def _fill_metadata(issue: Issue, given: dict, from_name: dict, name: str) -> None:
    """Metadata given by the user wins over the masthead; the file name fills what neither states."""
    for key in META_FIELDS:
        if given.get(key):
            setattr(issue, key, str(given[key]).strip())
        elif not getattr(issue, key) and from_name.get(key):
            setattr(issue, key, from_name[key])
    issue.name = issue.name or name or "bulletin"


def _read_articles(body: list[Block], starts: list[tuple[int, int, dict | None]]) -> list[Article]:
    """Each article: its title, contents entry, editor's note (in the stretch before it), source line
    and section tree."""
    articles = []
    previous_end = 0  # where the stretch that may hold the next editor's note begins
    for n, (head, first, entry) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(body)
        article = Article(title=tidy_title(" ".join(b.text for b in body[head:first])), start=body[head].start)
        if entry:
            article.column, article.page = entry["column"], entry["page"]
        article.editor_note = _note_blocks(body[previous_end:head])
        content = body[first:stop]
        source_at = next((k for k, b in enumerate(content) if b.kind == "para" and _SOURCE.match(b.text)), None)
        if source_at is not None:
            article.source = _SOURCE.match(content[source_at].text).group(1)
            article.end = content[source_at].end
            previous_end = first + source_at + 1
            content = content[:source_at]
        else:
            article.end = content[-1].end if content else body[first - 1].end
            previous_end = stop
        article.root = build_tree(repair_page_breaks(content, starts_provision))
        articles.append(article)
    return articles
