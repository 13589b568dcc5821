"""Bibliographic references to bulletin articles: GB/T 7714-2015 (the form Chinese reports cite in), BibTeX
and RIS. One home for the format; every interface (JSON, the app's copy box and downloads, the CLI's
--cite) calls these.

What a reference needs is stored on each passage when it is chunked (``Chunk.ref``, from
``reference_data``): the bulletin's name, editor, year, 期号, 总期号 and the article's pages.

Pages: the contents (本期要目) give each article's first page; an article runs to the page before the
next one starts (its first page, if the next starts on the same page). The last article's end is known
only from a PDF, whose pages say where the article's text stops (shifted to the printed numbering of the
contents); from Markdown, DOCX or text it is cited by its first page alone, since nothing says where it
ends. Without contents, a PDF's own pages are used. Editor's notes and the issue card are cited as the
issue itself: the editors wrote them, not the article's issuing body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from rag.types import Article, Chunk, Issue

FORMATS = ("gbt", "bibtex", "ris")
_OWN_ISSUE = ("issue_card", "editor_note")


def article_pages(issue: Issue, article: Article) -> list[int] | None:
    """[first, last] page of an article (last may equal first), or None when nothing gives pages."""
    articles = issue.articles
    at = next((i for i, a in enumerate(articles) if a is article), None)
    if article.page:
        nxt = next((a.page for a in articles[at + 1 :] if a.page), None) if at is not None else None
        if nxt is not None:
            return [article.page, max(article.page, nxt - 1)]
        if issue.pages and article.end:
            shift = article.page - (issue.page_at(article.start) or 1)
            return [article.page, max(article.page, (issue.page_at(max(article.start, article.end - 1)) or 1) + shift)]
        return [article.page, article.page]
    if issue.pages:
        return [issue.page_at(article.start), issue.page_at(max(article.start, article.end - 1))]
    return None


def reference_data(issue: Issue, article: Article | None) -> dict:
    """What a reference to a passage of ``article`` (None: the issue itself) needs."""
    data = {
        "bulletin": issue.name,
        "editor": issue.editors.get("主编", ""),
        "year": issue.date[:4],
        "date": issue.date,
        "number": issue.number,
        "total_number": issue.total_number,
        "pages": None,
    }
    if article is not None:
        data["pages"] = article_pages(issue, article)
    return data


def _of_issue(c: Chunk) -> bool:
    return c.kind in _OWN_ISSUE or not c.article


def _pages(ref: dict) -> str:
    pages = ref.get("pages")
    if not pages:
        return ""
    first, last = pages
    return str(first) if first == last else f"{first}-{last}"


def _volume(ref: dict) -> str:
    """2023(51): year and 期号, as GB/T 7714 writes a journal without volumes."""
    year, number = ref.get("year", ""), ref.get("number", "")
    return f"{year}({number})" if number else year


def gbt7714(c: Chunk) -> str:
    """云南省人民政府办公厅. 云南省公共数据管理办法（试行）[J]. 大数据发展动态, 2023(51): 51-61."""
    ref = c.ref or {}
    bulletin = ref.get("bulletin") or c.issue_label
    if _of_issue(c):
        head = f"{ref['editor']}. " if ref.get("editor") else ""
        volume = _volume(ref)
        return f"{head}{bulletin}[J]" + (f". {volume}." if volume else ".")
    head = f"{c.source}. " if c.source else ""
    where = ", ".join(x for x in (bulletin, _volume(ref)) if x)
    pages = _pages(ref)
    return f"{head}{c.article}[J]. {where}" + (f": {pages}." if pages else ".")


def _key(c: Chunk) -> str:
    ref = c.ref or {}
    stem = f"bulletin{ref.get('year', '')}n{ref.get('number', '')}"
    if _of_issue(c):
        return stem
    return f"{stem}-{hashlib.sha1(c.article.encode('utf-8')).hexdigest()[:6]}"


def _bib_escape(text: str) -> str:
    for ch in "\\{}":
        text = text.replace(ch, "\\" + ch if ch != "\\" else "\\textbackslash{}")
    for ch in "%&$#_":
        text = text.replace(ch, "\\" + ch)
    return text


def bibtex_entry(c: Chunk) -> str:
    ref = c.ref or {}
    bulletin = _bib_escape(ref.get("bulletin") or c.issue_label)
    fields: list[tuple[str, str]]
    if _of_issue(c):
        kind = "misc"
        fields = [("title", f"{{{bulletin}}}"), ("editor", f"{{{_bib_escape(ref.get('editor', ''))}}}")]
        fields.append(("howpublished", f"{bulletin} {ref.get('year', '')}年第{ref.get('number', '')}期"))
    else:
        kind = "article"
        fields = [("author", f"{{{_bib_escape(c.source)}}}"), ("title", f"{{{_bib_escape(c.article)}}}"), ("journal", bulletin)]
    fields += [("year", ref.get("year", "")), ("number", ref.get("number", ""))]
    if not _of_issue(c) and (pages := _pages(ref)):
        fields.append(("pages", pages.replace("-", "--")))
    if ref.get("total_number"):
        fields.append(("note", f"总第{ref['total_number']}期"))
    if ref.get("date"):
        fields.append(("date", ref["date"]))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value and value != "{}")
    return f"@{kind}{{{_key(c)},\n{body}\n}}\n"


def ris_entry(c: Chunk) -> str:
    ref = c.ref or {}
    bulletin = ref.get("bulletin") or c.issue_label
    if _of_issue(c):
        lines = [("TY", "JFULL"), ("TI", bulletin), ("A2", ref.get("editor", ""))]
    else:
        lines = [("TY", "JOUR"), ("AU", c.source), ("TI", c.article), ("T2", bulletin)]
        if ref.get("pages"):
            first, last = ref["pages"]
            lines += [("SP", str(first)), ("EP", str(last))]
    lines += [("PY", ref.get("year", "")), ("DA", (ref.get("date") or "").replace("-", "/")), ("IS", ref.get("number", ""))]
    lines += [("LA", "zh"), ("ER", "")]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value or tag == "ER")


def distinct(chunks: Iterable[Chunk]) -> list[Chunk]:
    """One passage per work cited, in order: several passages of one article are one reference."""
    seen, out = set(), []
    for c in chunks:
        if (k := gbt7714(c)) not in seen:
            seen.add(k)
            out.append(c)
    return out


def export(chunks: Sequence[Chunk], fmt: str) -> str:
    """The references of ``chunks`` in ``fmt`` (gbt: a numbered list; bibtex; ris), each work once."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown reference format {fmt!r}; choose one of {', '.join(FORMATS)}")
    works = distinct(chunks)
    if fmt == "gbt":
        return "".join(f"[{n}] {gbt7714(c)}\n" for n, c in enumerate(works, 1))
    if fmt == "bibtex":
        return "\n".join(bibtex_entry(c) for c in works)
    return "\n".join(ris_entry(c) for c in works)
