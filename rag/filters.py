"""Metadata filters, declared once. Each field of ``Filters`` carries its parameter name, label and help;
the CLI flags (--article …), the API parameters (article=…), the app's widgets and the choices they
offer (facets) are all derived from these declarations, so a new filter is one new field here."""

from __future__ import annotations

import datetime
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache

from rag.places import bare, places_in, province_of
from rag.query import QueryError
from rag.types import Chunk


def _real_date(text: str) -> bool:
    """2023-02-30 and 2099-13 have the right shape but name no day or month."""
    year, month, day = (text.split("-") + ["01", "01"])[:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class FilterSpec:
    param: str  # the API parameter; the CLI flag is --param with - for _
    label: str  # the app's widget
    help: str
    choices: Callable[[Sequence[Chunk]], list] | None = None  # the values the library offers; None: typed in
    placeholder: str = ""

    @property
    def many(self) -> bool:
        """Several values (ORed), or one typed value (a date)."""
        return self.choices is not None

    @property
    def flag(self) -> str:
        return "--" + self.param.replace("_", "-")


def _articles(chunks: Sequence[Chunk]) -> list[str]:
    return list(dict.fromkeys(c.article for c in chunks if c.article))


def _columns(chunks: Sequence[Chunk]) -> list[str]:
    return list(dict.fromkeys(c.column for c in chunks if c.column))


def _issues(chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(label, issue id) of every issue that printed a passage, oldest first."""
    seen = dict.fromkeys((label, issue_id, date) for c in chunks for issue_id, label, date in c.occurrences())
    return [(label, issue_id) for label, issue_id, _ in sorted(seen, key=lambda x: x[2] or "9999")]


def _sources(chunks: Sequence[Chunk]) -> list[str]:
    return sorted({c.source for c in chunks if c.source})


def _regions(chunks: Sequence[Chunk]) -> list[str]:
    # The masthead names the publisher's province: it is no passage about that place.
    return places_in(" ".join(dict.fromkeys(f"{c.article} {c.source}" for c in chunks if c.kind != "issue_card")))


@lru_cache(maxsize=4096)
def _provinces_in(text: str) -> frozenset[str]:
    return frozenset(province_of(p) for p in places_in(text)) - {""}


def _names(region: str, text: str) -> bool:
    """Whether ``text`` (a title or an issuing body) names the place, or, for a province, a place in it
    (贵州 takes in 贵阳市's documents)."""
    b = bare(region)
    return b in text or (province_of(b) == b and b in _provinces_in(text))


def _declare(spec: FilterSpec):
    return field(default=() if spec.many else "", metadata={"filter": spec})


@dataclass(frozen=True)
class Filters:
    """Each tuple is an OR of values; the fields are ANDed. A reprinted passage passes the issue and
    date filters when any issue that printed it does. Dates are ISO (2023, 2023-12 or 2023-12-22);
    both ends of the range are included."""

    articles: tuple[str, ...] = _declare(
        FilterSpec("article", "文章", "only passages of articles whose title contains this", _articles)
    )
    columns: tuple[str, ...] = _declare(
        FilterSpec("column", "栏目", "only this column (国策要论, 地方新政, 产业镜像, 前沿观察)", _columns)
    )
    issues: tuple[str, ...] = _declare(FilterSpec("issue", "期号", "only this issue (id such as 2023-51)", _issues))
    sources: tuple[str, ...] = _declare(
        FilterSpec("source", "发文机关（来源）", "only articles whose issuing body (来源) contains this", _sources)
    )
    regions: tuple[str, ...] = _declare(
        FilterSpec("region", "地区", "only articles whose title or source names this place or one in it (贵州)", _regions)
    )
    date_from: str = _declare(
        FilterSpec("date_from", "起始日期", "only issues dated on or after this (2023, 2023-12, 2023-12-01)", None, "2023-01-01")
    )
    date_to: str = _declare(FilterSpec("date_to", "截止日期", "only issues dated on or before this", placeholder="2023-12-31"))

    def __post_init__(self) -> None:
        for end in (self.date_from, self.date_to):
            if end and not (_ISO.match(end) and _real_date(end)):
                raise QueryError(f"date {end!r} is not a date: write 2023, 2023-12 or 2023-12-22")
        if self.date_from and self.date_to and self.date_from[: len(self.date_to)] > self.date_to:
            raise QueryError(f"the date range starts ({self.date_from}) after it ends ({self.date_to})")

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @classmethod
    def specs(cls) -> list[tuple[str, FilterSpec]]:
        """(field name, declaration) of every filter, in the order interfaces show them."""
        return [(f.name, f.metadata["filter"]) for f in fields(cls)]

    @classmethod
    def from_params(cls, values: Mapping[str, object]) -> Filters:
        """Filters from values keyed by parameter name (CLI arguments, API parameters, widget values):
        for a many-valued filter a string or a list of strings; missing or empty means no filter."""
        out: dict[str, object] = {}
        for name, spec in cls.specs():
            value = values.get(spec.param)
            if spec.many:
                items = [value] if isinstance(value, str) else list(value or ())
                out[name] = tuple(x.strip() for x in items if isinstance(x, str) and x.strip())
            else:
                out[name] = (value or "").strip() if isinstance(value, str) else ""
        return cls(**out)

    def allows(self, c: Chunk) -> bool:
        if self.articles and not any(a in c.article for a in self.articles):
            return False
        if self.columns and c.column not in self.columns:
            return False
        if self.sources and not any(s in c.source for s in self.sources):
            return False
        if self.regions and not any(_names(r, c.article) or _names(r, c.source) for r in self.regions):
            return False
        return any(self.printed(*o) for o in c.occurrences())

    def printed(self, issue_id: str, label: str, date: str) -> bool:
        """Whether the issue and date filters pass an issue."""
        if self.issues and issue_id not in self.issues and label not in self.issues:
            return False
        # A range end of 2023-12 takes in every day of December: compare as many characters as it has.
        if self.date_from and (not date or date[: len(self.date_from)] < self.date_from):
            return False
        return not (self.date_to and (not date or date[: len(self.date_to)] > self.date_to))


def facets(chunks: Sequence[Chunk]) -> dict[str, list]:
    """The values each many-valued filter can take in this library, by field name."""
    return {name: spec.choices(chunks) for name, spec in Filters.specs() if spec.choices is not None}


def with_filter_params(fn: Callable[..., object]) -> Callable[..., object]:
    """``fn(..., filters: Filters)`` as a function taking one plain string parameter per filter instead
    (article="", column="", …): the signature API clients and Gradio's API page read."""
    signature = inspect.signature(fn)
    own = [p for p in signature.parameters.values() if p.name != "filters"]
    extra = [
        inspect.Parameter(spec.param, inspect.Parameter.POSITIONAL_OR_KEYWORD, default="", annotation=str)
        for _, spec in Filters.specs()
    ]
    names = [p.name for p in own]

    def call(*args, **kwargs):
        values = dict(zip(names + [p.name for p in extra], args, strict=False)) | kwargs
        filters = Filters.from_params({p.name: values.pop(p.name, "") for p in extra})
        return fn(**values, filters=filters)

    call.__signature__ = signature.replace(parameters=own + extra)
    hints = {p.name: p.annotation for p in own + extra if p.annotation is not inspect.Parameter.empty}
    if signature.return_annotation is not inspect.Signature.empty:
        hints["return"] = signature.return_annotation
    call.__annotations__ = hints
    call.__name__, call.__doc__ = fn.__name__, fn.__doc__
    return call
