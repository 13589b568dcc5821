"""Which issues of the library a question is about, when it names some: 本期 is the newest issue (after the
filters), 上一期 the one before it; 第51期, 2023年第51期, 总第162期 and 2023年12月的那期 the issue so numbered or
dated. The words are read by the language layer (rag.language.issue_mentions); here they meet the library's
issues and become an issue filter (rag.filters.Filters.issues), which retrieval and the list answers apply
like any other filter.

A 第N期 without a year that more than one year's issue carries means the newest of them (a reader of this
year's issues says 第26期 for this year's). A mention the library has no issue for filters to nothing: the
answer is then "not found", never an answer from another issue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rag.filters import Filters
from rag.language import issue_mentions, language
from rag.language.spans import IssueMention
from rag.types import Chunk


@dataclass(frozen=True)
class LibraryIssue:
    issue_id: str
    label: str
    date: str  # ISO, "" when unknown
    number: int | None  # 期号
    total: int | None  # 总期号


def _issue(issue_id: str, label: str, date: str) -> LibraryIssue:
    number = total = None
    for m in issue_mentions(label):  # the label is the masthead's own words: 第51期 总第162期
        number = number or m.number
        total = total or m.total
    return LibraryIssue(issue_id, label, date, number, total)


def library_issues(chunks: Iterable[Chunk], filters: Filters | None = None) -> list[LibraryIssue]:
    """The issues that printed a passage the filters allow, oldest first (undated ones first)."""
    seen: dict[str, tuple[str, str]] = {}
    for c in chunks:
        if filters and not filters.allows(c):
            continue
        for issue_id, label, date in c.occurrences():
            if filters and not filters.printed(issue_id, label, date):
                continue
            seen.setdefault(issue_id, (label, date))
    issues = [_issue(i, label, date) for i, (label, date) in seen.items()]
    return sorted(issues, key=lambda x: (x.date, x.issue_id))


def _dated(m: IssueMention, issue: LibraryIssue) -> bool:
    parts = issue.date.split("-") + ["", ""]
    year, month, day = (int(p) if p.isdigit() else None for p in parts[:3])
    return (m.year is None or m.year == year) and (m.month is None or m.month == month) and (m.day is None or m.day == day)


def resolve(mentions: Sequence[IssueMention], issues: Sequence[LibraryIssue], current: str = "") -> list[str]:
    """Issue ids the mentions name among ``issues`` (oldest first); ``current`` pins what 本期 means (an issue
    id; "" for the newest). A mention that names no issue of these names nothing."""
    ids = [i.issue_id for i in issues]
    now = ids.index(current) if current in ids else len(ids) - 1
    out: list[str] = []
    for m in mentions:
        if m.relative is not None:
            found = [ids[now + m.relative]] if ids and 0 <= now + m.relative < len(ids) else []
        elif m.total is not None:
            found = [i.issue_id for i in issues if i.total == m.total]
        elif m.number is not None:
            found = [i.issue_id for i in issues if i.number == m.number and _dated(m, i)][-1:]
        else:
            found = [i.issue_id for i in issues if _dated(m, i)]
        out += [f for f in found if f not in out]
    return out


def scoped(query: str, filters: Filters | None, chunks: Iterable[Chunk], current: str = "") -> Filters | None:
    """``filters`` narrowed to the issues ``query`` names (unchanged when it names none). ``chunks`` may be one
    passage of each kind (an article's in one issue): only the issues they were printed in are read."""
    mentions = issue_mentions(query, language(query))
    if not mentions:
        return filters
    named = resolve(mentions, library_issues(chunks, filters), current)
    # Named but not in the library (or not after the filters): a filter nothing passes, spelled as asked.
    return replace(filters or Filters(), issues=tuple(named) or tuple(m.text for m in mentions))
