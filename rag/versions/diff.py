"""Two versions of one document, provision by provision: what was added, removed and changed.

Provisions are aligned by their text, not their number: an article inserted early in a law shifts
every later number, and each shifted provision is then one change (renumbered), not a removal and an
addition. Identical texts pair first (a hash look-up); only what is left is compared by similarity
(rapidfuzz, in C) and paired by an optimal assignment, so a document of hundreds of provisions costs
milliseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from rag.provisions import numbering
from rag.text import compact
from rag.types import PATH_SEP

# Similarity (0–100, rapidfuzz's normalised Indel ratio) at which two provisions are one provision changed.
# A time limit changed in a clause of 40 characters keeps ≈ 95; a clause rewritten from scratch falls
# under 40. A clause that grew by a sentence or more is judged on its shared part (partial_ratio).
MIN_SIMILARITY = 60.0
_PARTIAL_WEIGHT = 0.8  # a shared part is worth less than a whole text in common
_PARTIAL_FLOOR = 35.0  # and only for texts with something in common as wholes
# A provision that is the only one left between the same two aligned neighbours in both versions is that
# provision rewritten (a commencement clause that now names a date and a repeal), at a lower similarity.
GAP_SIMILARITY = 35.0
_POSITION_WEIGHT = 10.0  # between equally similar candidates, the one at the same place in the document wins
_CLAUSE_REF = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")


@dataclass
class Provision:
    """One numbered provision (or unnumbered section) of one version, as printed."""

    section: str  # the stored section path: 第三章 … > 第二十二条
    text: str
    chunk_ids: list[str] = field(default_factory=list)

    @property
    def number(self) -> str:
        return provision_number(self.section)

    @property
    def body(self) -> str:
        """The text compared: compacted, its own leading number left out (a renumbering is no change of text)."""
        return provision_body(self.text)


def provision_number(section: str) -> str:
    """The number a provision is cited by: 第二十二条 (its chapter left out), 二、（三）, 第五条（一）; "" when
    its section is not numbered."""
    parts = [numbering(p) for p in section.split(PATH_SEP) if p] if section else []
    found = [(style, number) for style, number in (p for p in parts if p)]
    clause = next((i for i, (style, _) in enumerate(found) if style == "clause"), None)
    if clause is not None:
        found = found[clause:]
    else:
        found = [(style, number) for style, number in found if style not in ("chapter", "part")] or found
    return "".join(number.replace("(", "（").replace(")", "）").replace(" ", "") for _, number in found)


def provision_body(text: str) -> str:
    text = compact(text)
    found = numbering(text)
    return text[len(found[1]) :] if found else text


@dataclass
class Figure:
    """A figure of a changed provision: 15个工作日 → 10个工作日 (old or new empty when only one side has it)."""

    old: str
    new: str
    unit: str

    @property
    def text(self) -> str:
        old_value, new_value = self.old.removesuffix(self.unit), self.new.removesuffix(self.unit)
        if self.unit and self.old and self.new:
            return f"{old_value} → {new_value} {self.unit}"
        return f"{self.old or '—'} → {self.new or '—'}"


@dataclass
class Change:
    old: Provision
    new: Provision
    similarity: float
    text_changed: bool
    figures: list[Figure]

    @property
    def renumbered(self) -> bool:
        return bool(self.old.number and self.new.number and self.old.number != self.new.number)


@dataclass
class Diff:
    added: list[Provision]
    removed: list[Provision]
    changed: list[Change]  # renumbered or reworded (or both), in the new version's order
    unchanged: int
    old_count: int
    new_count: int
    pairs: dict[int, int] = field(default_factory=dict)  # new provision's index -> the old one's it aligns with

    @property
    def aligned_share(self) -> float:
        """How much of the shorter version the other one holds (unchanged or changed): 1.0 for a reprint."""
        shorter = min(self.old_count, self.new_count)
        return (self.unchanged + len(self.changed)) / shorter if shorter else 0.0

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _similarities(old: list[str], new: list[str]) -> np.ndarray:
    ratio = process.cdist(old, new, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    partial = process.cdist(old, new, scorer=fuzz.partial_ratio, dtype=np.float32, workers=1)
    return np.maximum(ratio, np.where(ratio >= _PARTIAL_FLOOR, _PARTIAL_WEIGHT * partial, 0.0))


def _figures(old_text: str, new_text: str) -> list[Figure]:
    """The figures one text has and the other has not, paired by unit in reading order."""
    from rag.language import quantities  # the one reader of figures in policy Chinese

    def read(text: str) -> list[tuple[str, str]]:
        return [(f"{m.value}{m.unit}", m.unit) for m in quantities(compact(text))]

    old, new = read(old_text), read(new_text)
    common = Counter(old) & Counter(new)
    left_old, left_new = Counter(common), Counter(common)
    gone, came = [], []
    for item in old:
        if left_old[item]:
            left_old[item] -= 1
        else:
            gone.append(item)
    for item in new:
        if left_new[item]:
            left_new[item] -= 1
        else:
            came.append(item)
    out: list[Figure] = []
    for figure, unit in gone:
        partner = next((i for i, (_, u) in enumerate(came) if u == unit), None)
        if partner is None:
            out.append(Figure(figure, "", unit))
        else:
            out.append(Figure(figure, came.pop(partner)[0], unit))
    out += [Figure("", figure, unit) for figure, unit in came]
    return out


def _pair_gaps(old: list[str], new: list[str], pairs: dict[int, int], similarity: dict[int, float]) -> None:
    """Pair the lone unaligned provision of a gap between two aligned neighbours with the other version's
    lone unaligned provision of the same gap, when they have enough in common."""
    matched = sorted(pairs)
    taken = set(pairs.values())
    for j in [j for j in range(len(new)) if j not in pairs]:
        at = bisect_left(matched, j)
        before, after = (matched[at - 1] if at else -1), (matched[at] if at < len(matched) else len(new))
        if any(k not in pairs for k in range(before + 1, after) if k != j):
            continue
        lo, hi = (pairs[before] if before >= 0 else -1), (pairs[after] if after < len(new) else len(old))
        lonely = [i for i in range(lo + 1, hi) if i not in taken]
        if lo < hi and len(lonely) == 1:
            score = float(_similarities([old[lonely[0]]], [new[j]])[0, 0])
            if score >= GAP_SIMILARITY:
                pairs[j], similarity[j] = lonely[0], score
                taken.add(lonely[0])


def diff(old: list[Provision], new: list[Provision]) -> Diff:
    """Provision by provision, from ``old`` to ``new`` (each in document order)."""
    old_bodies, new_bodies = [p.body for p in old], [p.body for p in new]
    pairs: dict[int, int] = {}  # new index -> old index
    waiting: dict[str, list[int]] = {}
    for i, body in enumerate(old_bodies):
        waiting.setdefault(body, []).append(i)
    for j, body in enumerate(new_bodies):
        if waiting.get(body):
            pairs[j] = waiting[body].pop(0)
    similarity: dict[int, float] = {j: 100.0 for j in pairs}
    taken = set(pairs.values())
    rest_old = [i for i in range(len(old)) if i not in taken]
    rest_new = [j for j in range(len(new)) if j not in pairs]
    if rest_old and rest_new:
        sim = _similarities([old_bodies[i] for i in rest_old], [new_bodies[j] for j in rest_new])
        where_old = np.asarray(rest_old, dtype=np.float32) / max(len(old), 1)
        where_new = np.asarray(rest_new, dtype=np.float32) / max(len(new), 1)
        score = sim - _POSITION_WEIGHT * np.abs(where_old[:, None] - where_new[None, :])
        rows, cols = linear_sum_assignment(-score)
        for r, c in zip(rows, cols, strict=True):
            if sim[r, c] >= MIN_SIMILARITY:
                pairs[rest_new[c]] = rest_old[r]
                similarity[rest_new[c]] = float(sim[r, c])
    _pair_gaps(old_bodies, new_bodies, pairs, similarity)
    # Cross-references that follow the renumbering (第十条 → 第十一条 because of it) are no change of text.
    moved = {
        old[i].number: new[j].number
        for j, i in pairs.items()
        if old[i].number != new[j].number and _CLAUSE_REF.fullmatch(old[i].number or "-")
    }
    changed, unchanged = [], 0
    for j in sorted(pairs):
        i = pairs[j]
        reworded = old_bodies[i] != new_bodies[j]
        if reworded and moved:
            renumbered = _CLAUSE_REF.sub(lambda m: moved.get(m.group(0), m.group(0)), old_bodies[i])
            reworded = renumbered != new_bodies[j]
        change = Change(old[i], new[j], similarity[j], reworded, _figures(old[i].text, new[j].text) if reworded else [])
        if reworded or change.renumbered:
            changed.append(change)
        else:
            unchanged += 1
    matched_old = set(pairs.values())
    return Diff(
        added=[p for j, p in enumerate(new) if j not in pairs],
        removed=[p for i, p in enumerate(old) if i not in matched_old],
        changed=changed,
        unchanged=unchanged,
        old_count=len(old),
        new_count=len(new),
        pairs=pairs,
    )
