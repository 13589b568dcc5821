"""One row per figure of an article: an editor's note (编者按) restating the body's figure, or the body
stating it again, adds a place to the row, not a second row.

The body's place comes first (the document's own words); a note figure joins the body row of the same kind,
value, unit and year whose indicator is close to its own (the note words the sentence a little
differently: 打造300个以上…典型应用场景 / 打造 300 个以上…的典型应用场景); two body rows are one figure when
their indicator is the same too (and, for a penalty, the act it punishes). A note figure no body row
states stays a row of its own. In a law two provisions are two rules even when worded alike (15 个工作日内
提出意见, once for 第三方, once for 被征求意见机关): such rows stay apart, each indicator named with its provision.
"""

from __future__ import annotations

from rag.provisions import numbering
from rag.targets.rows import Target
from rag.text import char_bigrams, compact
from rag.types import PATH_SEP


def provision(section: str) -> str:
    """第四十五条 of 第六章 法律责任 > 第四十五条; "" when the section is no numbered provision."""
    last = section.rsplit(PATH_SEP, 1)[-1].strip()
    found = numbering(last)
    return found[1].strip() if found and found[1].strip().endswith("条") else ""


def _value(r: Target) -> tuple:
    return (r.kind, compact(r.value).replace("-", "—"), r.unit, r.year, r.number, r.low, r.high)


def _close(a: str, b: str) -> bool:
    """Indicators of one figure: the same, one inside the other, or most character pairs shared."""
    a, b = compact(a), compact(b)
    if a == b or (a and b and (a in b or b in a)):
        return True
    x, y = char_bigrams(a), char_bigrams(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.5


def _short(act: str) -> str:
    """An act cut to a name's length: 违反本法第三十六条规定，未经主管机关批准… -> its first 24 characters."""
    return act[:24] + ("…" if len(act) > 24 else "")


def _tell_apart(same: list[Target]) -> None:
    """Rows of one name and value that are different rules: each name gets its provision (可以延长时限（第十八条）)
    or, within one provision, its act (第四十八条罚款（违反本法第三十六条规定…）)."""
    provisions = [provision(r.section) for r in same]
    if all(provisions) and len(set(provisions)) == len(same):
        for r, by in zip(same, provisions, strict=True):
            r.indicator = f"{r.indicator}（{by}）"
        return
    acts = [_short(r.act) for r in same]
    if len(set(acts)) < len(same):
        acts = [r.act for r in same]
    for r, by, act in zip(same, provisions, acts, strict=True):
        gloss = "；".join(x for x in (by if len(set(provisions)) > 1 else "", act) if x)
        if gloss:
            r.indicator = f"{r.indicator}（{gloss}）"


def merge_restated(rows: list[Target], note_section: str) -> list[Target]:
    """``rows`` of one article in reading order -> one row per figure, each with every place it stands."""
    body = [r for r in rows if r.section != note_section]
    notes = [r for r in rows if r.section == note_section]
    out: list[Target] = []
    named: dict[tuple, list[Target]] = {}  # rows one name and value would confuse
    for r in body:
        same = named.setdefault((r.kind, _value(r)[1], r.year, compact(r.indicator)), [])
        twin = next(
            (x for x in same if _value(x) == _value(r) and provision(x.section) == provision(r.section) and x.act == r.act),
            None,
        )
        if twin is not None:
            twin.places.append(r.place())
            continue
        same.append(r)
        out.append(r)
    for same in named.values():
        if len(same) > 1:
            _tell_apart(same)
    restated: set[int] = set()  # body rows a note place has joined: one note place each
    kept_notes: list[Target] = []
    for n in notes:
        match = next(
            (r for r in out if id(r) not in restated and _value(r) == _value(n) and _close(r.indicator, n.indicator)),
            None,
        )
        if match is not None:
            match.places.append(n.place())
            restated.add(id(match))
            continue
        same = next((k for k in kept_notes if _value(k) == _value(n) and compact(k.indicator) == compact(n.indicator)), None)
        if same is not None:
            same.places.append(n.place())
        else:
            kept_notes.append(n)
    return sorted(kept_notes + out, key=lambda r: r.start)
