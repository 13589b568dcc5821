"""The library's documents as versions of one another: a 征求意见稿 and its final text, a 试行 办法 and the
formal one, a law and its revision, each printed in its own issue.

Documents are the same document when their titles are the same without version markers
(rag.versions.titles.base_title), their issuing bodies agree where both are known, and most provisions of
the shorter one align with the other's (rag.versions.diff). A document is compared only with documents of
the same base title, and only with the latest version of each group, so grouping costs one diff per
document that shares its title with an earlier one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from rag.text import compact
from rag.types import Chunk
from rag.versions.diff import Change, Diff, Provision, diff
from rag.versions.titles import base_title, is_draft, is_trial, repealed_titles, title_key

# Share of the shorter version's provisions the other must hold (unchanged or changed) to be its version.
MIN_ALIGNED = 0.5

DRAFT, TRIAL, IN_FORCE, REPEALED, SUPERSEDED = "征求意见稿", "试行", "现行", "已废止", "已被取代"


@dataclass
class Document:
    """One article of one issue, as its provisions."""

    issue_id: str
    issue_label: str
    date: str
    title: str
    source: str
    provisions: list[Provision]
    text: str  # every provision and the editor's note: where a repeal is read
    order: int  # position in the library (oldest issue first, then the issue's own order)
    also_in: list[dict] = field(default_factory=list)  # issues that reprinted it unchanged

    @property
    def key(self) -> tuple[str, str]:
        return self.issue_id, self.title


@dataclass
class Version:
    document: Document
    status: str = IN_FORCE
    superseded_by: Document | None = None  # the later version of its group that replaced it
    repealed_by: Document | None = None  # a later document that says it is repealed (同时废止)

    @property
    def in_force(self) -> bool:
        return self.status in (IN_FORCE, TRIAL)


@dataclass
class Group:
    """The versions of one document, oldest first; diffs[i] goes from versions[i] to versions[i + 1]."""

    versions: list[Version]
    diffs: list[Diff] = field(default_factory=list)

    @property
    def current(self) -> int:
        """The version answers come from: the one in force, else (drafts only, or all repealed) the newest."""
        return next((i for i, v in enumerate(self.versions) if v.in_force), len(self.versions) - 1)

    @property
    def title(self) -> str:
        return self.versions[self.current].document.title

    @property
    def base(self) -> str:
        return base_title(self.versions[-1].document.title)


def _occurrences(c: Chunk) -> Iterable[tuple[str, str, str, int]]:
    """(issue id, label, date, offset in that issue's file) of every printing of the passage."""
    yield c.issue_id, c.issue_label, c.issue_date, c.start
    for o in c.also_in:
        yield o["issue_id"], o["issue"], o["issue_date"], o.get("start", 0)


def documents(chunks: Sequence[Chunk]) -> list[Document]:
    """Every article of every issue, rebuilt from the passages (a reprinted passage, stored once, counts
    for each issue that printed it)."""
    parts: dict[tuple[str, str], dict] = {}
    for row, c in enumerate(chunks):
        if not c.article or c.kind not in ("section", "editor_note"):
            continue
        for issue_id, label, date, offset in _occurrences(c):
            doc = parts.setdefault(
                (issue_id, c.article),
                {"label": label, "date": date, "source": c.source, "order": row, "sections": {}, "notes": []},
            )
            doc["order"] = min(doc["order"], row)
            if c.kind == "editor_note":
                doc["notes"].append((offset, c.text))
            else:
                doc["sections"].setdefault(c.section, []).append((offset, c.text, c.id))
    out = []
    for (issue_id, title), d in parts.items():
        sections = sorted(d["sections"].items(), key=lambda kv: min(x[0] for x in kv[1]))
        provisions = []
        for section, pieces in sections:
            pieces.sort()
            provisions.append(Provision(section, "\n".join(t for _, t, _ in pieces), [i for _, _, i in pieces]))
        text = "\n".join([t for _, t in sorted(d["notes"])] + [p.text for p in provisions])
        out.append(Document(issue_id, d["label"], d["date"], title, d["source"], provisions, text, d["order"]))
    out.sort(key=lambda doc: (doc.date or "9999", doc.order))
    return out


def _same_body(a: str, b: str) -> bool:
    """Issuing bodies agree: equal, or one names the other (国家数据局 / 国家数据局综合司); unknown agrees."""
    a, b = compact(a), compact(b)
    return not a or not b or a in b or b in a


def _join(groups: list[Group], doc: Document) -> bool:
    """Put ``doc`` into the group whose latest version it revises, reprints or finalises; False if none."""
    best: tuple[float, Group, Diff] | None = None
    for g in groups:
        latest = g.versions[-1].document
        if latest.issue_id == doc.issue_id or not _same_body(latest.source, doc.source):
            continue
        d = diff(latest.provisions, doc.provisions)
        same_title = float(title_key(latest.title) == title_key(doc.title))
        share = d.aligned_share if latest.provisions and doc.provisions else same_title
        if share >= MIN_ALIGNED and (best is None or share > best[0]):
            best = (share, g, d)
    if best is None:
        return False
    _, g, d = best
    latest = g.versions[-1].document
    if d.empty and title_key(latest.title) == title_key(doc.title):  # printed again, unchanged
        latest.also_in.append({"issue_id": doc.issue_id, "issue": doc.issue_label, "issue_date": doc.date})
    else:
        g.versions.append(Version(doc))
        g.diffs.append(d)
    return True


def _repeals(docs: list[Document]) -> dict[tuple[str, str], Document]:
    """Document key -> the first later document that says it is repealed."""
    by_key: dict[str, list[Document]] = {}
    by_base: dict[str, list[Document]] = {}
    for doc in docs:
        by_key.setdefault(title_key(doc.title), []).append(doc)
        by_base.setdefault(base_title(doc.title), []).append(doc)
    out: dict[tuple[str, str], Document] = {}
    for doc in docs:
        for named in repealed_titles(doc.text):
            found = by_key.get(title_key(named)) or by_base.get(base_title(named), [])
            for old in found:
                if old is not doc and old.issue_id != doc.issue_id and (old.date or "") <= (doc.date or "9999"):
                    out.setdefault(old.key, doc)
    return out


def _statuses(group: Group, repealed: dict[tuple[str, str], Document]) -> None:
    versions = group.versions
    for i, v in enumerate(versions):
        doc = v.document
        later_final = next((w.document for w in versions[i + 1 :] if not is_draft(w.document.title)), None)
        v.repealed_by = repealed.get(doc.key)
        if is_draft(doc.title):
            v.status = DRAFT
            v.superseded_by = later_final
        elif v.repealed_by is not None:
            v.status = REPEALED
        elif later_final is not None:
            v.status, v.superseded_by = SUPERSEDED, later_final
        else:
            v.status = TRIAL if is_trial(doc.title) else IN_FORCE


class Catalogue:
    """Every document of the library in its group of versions (most groups hold one)."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        docs = documents(chunks)
        buckets: dict[str, list[Group]] = {}
        self.groups: list[Group] = []
        for doc in docs:  # oldest first: each joins the group it revises, or starts one
            mine = buckets.setdefault(base_title(doc.title), [])
            if not _join(mine, doc):
                group = Group([Version(doc)])
                mine.append(group)
                self.groups.append(group)
        repealed = _repeals(docs)
        for g in self.groups:
            _statuses(g, repealed)
        self._by_chunk: dict[str, list[tuple[Group, int, Provision]]] = {}
        for g in self.groups:
            for i, v in enumerate(g.versions):
                for p in v.document.provisions:
                    for chunk_id in p.chunk_ids:
                        self._by_chunk.setdefault(chunk_id, []).append((g, i, p))

    @property
    def versioned(self) -> list[Group]:
        """The groups of more than one version."""
        return [g for g in self.groups if len(g.versions) > 1]

    def find(self, title: str, limit: int = 5) -> list[Group]:
        """Groups whose title is (or holds, or nearly is) ``title``, versioned and closest first."""
        wanted = base_title(title)
        if not wanted:
            return []
        scored = []
        for g in self.groups:
            bases = {base_title(v.document.title) for v in g.versions}
            if wanted in bases:
                score = 200.0
            elif any(wanted in b for b in bases):
                score = 150.0 - min(len(b) - len(wanted) for b in bases if wanted in b) / 100
            else:
                score = max(fuzz.partial_ratio(wanted, b) for b in bases) if len(wanted) >= 4 else 0.0
            if score >= 85:
                scored.append((score, len(g.versions) > 1, g))
        scored.sort(key=lambda x: (-x[0], not x[1]))
        return [g for _, _, g in scored[:limit]]

    def superseded(self) -> set[str]:
        """Chunk ids that only versions other than their group's current one printed: a question about the
        document is answered from the version in force, not from these."""
        out = set()
        for chunk_id, places in self._by_chunk.items():
            if all(len(g.versions) > 1 and i != g.current for g, i, _ in places):
                out.add(chunk_id)
        return out

    def earlier(self, chunk_id: str) -> list[tuple[Version, Change]]:
        """For a passage of a current version: each earlier version whose aligned provision said something
        else (its figures differ), latest first."""
        out = []
        for g, i, p in self._by_chunk.get(chunk_id, []):
            if i != g.current or len(g.versions) < 2:
                continue
            for k in range(i - 1, -1, -1):  # follow the provision back through the versions
                newer = g.versions[k + 1].document.provisions
                j = next(n for n, q in enumerate(newer) if q is p)
                if j not in g.diffs[k].pairs:
                    break  # added in version k + 1
                change = next((c for c in g.diffs[k].changed if c.new is p), None)
                if change is not None and change.figures:
                    out.append((g.versions[k], change))
                p = g.versions[k].document.provisions[g.diffs[k].pairs[j]]
        return out
