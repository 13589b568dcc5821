"""One row of the targets table, how rows are selected, and how one indicator is followed across issues."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from rag.errors import UserError
from rag.places import bare
from rag.text import compact

KINDS = ("target", "statistic", "time_limit", "penalty", "other")


PLACE_FIELDS = ("section", "start", "end", "value_start", "value_end", "page")


class TargetQueryError(UserError, ValueError):
    """A targets query that cannot be answered as asked (an unknown kind, a year that is no year)."""


@dataclass
class Target:
    kind: str  # target | statistic | time_limit | penalty | other
    indicator: str  # short name of what is measured
    value: str  # as written: 300, 2—3, 百, 四分之一, 每月
    number: float | None  # in ``unit``; None for a range (see low/high) or a value with no number
    low: float | None
    high: float | None
    unit: str  # with its magnitude word: 亿元, 万个, 个百分点, 个工作日
    qualifier: str  # 以上, 左右, 超过, 不高于, 力争, 累计, 近, 级, 内, 延长至, 每, …
    year: int | None  # a target's deadline year, a statistic's period year
    region: str  # 全国, a province or city (bare: 河南), or an area a statistic names (东部地区)
    issuer: str  # the article's 来源
    article: str
    section: str  # section path joined by " > "; 编者按 for an editor's note
    issue_id: str
    issue: str  # the issue's label
    issue_date: str
    source_path: str
    text: str  # the source sentence
    start: int  # the sentence in the source file
    end: int
    value_start: int  # the value and its unit in the source file (what a viewer highlights)
    value_end: int
    page: int | None = None  # PDF sources
    # Every place the figure stands, this row's first: an editor's note restating the body's figure is the
    # same figure, one row (section, start, end, value_start, value_end, page of each).
    places: list[dict] = field(default_factory=list)
    act: str = ""  # a penalty: the act it punishes (违反本法第三十一条规定，向境外提供重要数据)
    measures: str = ""  # a penalty: the other sanctions of its clause (责令改正、给予警告、没收违法所得)

    def place(self) -> dict:
        """Where this row's sentence and value stand (what ``places`` lists)."""
        return {k: getattr(self, k) for k in PLACE_FIELDS}

    @property
    def group(self) -> str:
        """The same indicator for the same region, in any issue: region | indicator | unit."""
        return f"{self.region}|{compact(self.indicator)}|{self.unit}"

    def as_json(self) -> dict:
        return {**vars(self), "group": self.group}  # vars, not asdict: no deep copies of 100k rows

    @classmethod
    def from_json(cls, data: dict) -> Target:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _year(value: str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise TargetQueryError(f"year {value!r} is not a year: write 2025") from None
    if not 1900 <= year <= 2200:
        raise TargetQueryError(f"year {value!r} is not a year: write 2025")
    return year


def select(
    rows: list[Target],
    region: list[str] | tuple[str, ...] = (),
    year: list | tuple = (),
    kind: list[str] | tuple[str, ...] = (),
    issue: list[str] | tuple[str, ...] = (),
    indicator: str = "",
) -> list[Target]:
    """Rows matching every given filter; within one filter any value matches (empty: no filter).
    ``indicator`` is matched as a substring, whitespace and width ignored."""
    kinds = [k.strip() for k in kind if k and k.strip()]
    if unknown := [k for k in kinds if k not in KINDS]:
        raise TargetQueryError(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    years = {_year(y) for y in year if str(y).strip()}
    regions = [bare(r) for r in region if r and r.strip()]
    issues = {i.strip() for i in issue if i and i.strip()}
    wanted = compact(indicator or "")
    out = []
    for r in rows:
        if kinds and r.kind not in kinds:
            continue
        if years and r.year not in years:
            continue
        if regions and not any(x in r.region for x in regions):
            continue
        if issues and r.issue_id not in issues and r.issue not in issues:
            continue
        if wanted and wanted not in compact(r.indicator) and wanted not in compact(r.text):
            continue
        out.append(r)
    return out


def groups(rows: list[Target]) -> list[dict]:
    """Rows grouped by indicator and region, oldest issue first, with whether the value or its year changed
    between issues (a note restating the body in the same issue is no change)."""
    by_key: dict[str, list[Target]] = {}
    for r in rows:
        by_key.setdefault(r.group, []).append(r)
    out = []
    for key, members in by_key.items():
        members.sort(key=lambda r: (r.issue_date or "9999", r.issue_id, r.start))
        per_issue: dict[str, set] = {}
        for r in members:
            per_issue.setdefault(r.issue_id, set()).add((r.number, r.low, r.high, r.year))
        seen = [v for v in per_issue.values()]
        changed = len(per_issue) > 1 and any(v != seen[0] for v in seen[1:])
        first = members[0]
        out.append(
            {
                "group": key,
                "region": first.region,
                "indicator": first.indicator,
                "unit": first.unit,
                "kind": first.kind,
                "issues": list(per_issue),
                "changed": changed,
                "rows": [r.as_json() for r in members],
            }
        )
    out.sort(key=lambda g: (not g["changed"], -len(g["issues"]), g["region"], g["indicator"]))
    return out


def row_key(r: Target) -> str:
    """A row's identity in the app's table: its issue and where its value starts in that issue's file."""
    return f"{r.issue_id}@{r.value_start}"


def facets(rows: list[Target]) -> dict[str, list]:
    """The regions, years and issues the table offers as filters."""
    return {
        "region": sorted({r.region for r in rows}, key=lambda x: (x != "全国", x)),
        "year": sorted({r.year for r in rows if r.year}),
        "issue": sorted({r.issue_id for r in rows}),
    }


def passage_of(chunks, row: Target):
    """(passage holding the row's value, the value's offsets in the passage text or None), or None.
    A value of a reprinted passage is found under its first printing, without offsets."""
    for c in chunks:
        if c.source_path == row.source_path and c.start <= row.value_start < c.end:
            span = c.text_range(row.value_start, row.value_end)
            if span is not None:
                return c, span
    for c in chunks:
        if any(o.get("issue_id") == row.issue_id and o.get("start", 0) <= row.value_start < o.get("end", 0) for o in c.also_in):
            return c, None
    return None
