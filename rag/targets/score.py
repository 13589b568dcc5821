"""Extracted rows against hand labels (eval/targets.jsonl): precision and recall per kind.

A row is right when article, value, unit and year agree with a gold row of the same kind (eval/README.md,
"targets.jsonl"); gold and extracted rows are matched one to one. The labels list a value a note restates
and the body states again twice; the table gives it one row with both places, which counts once per
place it names (a row claiming a place the labels do not have is one wrong row more). Articles are
compared without spaces and with brackets of one width (the labels spell headings as the file does, the
parser tidies them); values with one dash. A value and its unit are compared as the quantity they state where
the language layer reads one (一万元以上十万元以下 with unit 万元 and 一万—十万 with unit 元 are both 10,000–100,000
元: labels may write a fine as the text does or as its range), else as written.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rag.errors import UserError
from rag.evaluate import jsonl_rows
from rag.language.quantities import in_base_unit, quantities
from rag.targets.rows import KINDS, Target
from rag.text import compact, tidy_title


class GoldError(UserError, ValueError):
    """A labels file that cannot be read as targets labels."""


def read_labels(path: Path) -> list[dict]:
    rows = []
    try:
        for n, row in jsonl_rows(path, GoldError):
            missing = {"kind", "article", "value", "unit", "year"} - set(row)
            if missing:
                raise GoldError(f"{path} line {n}: no {', '.join(sorted(missing))} (is this a targets labels file?)")
            rows.append(row)
    except OSError as exc:
        raise GoldError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return rows


def _value(v: str) -> str:
    return compact(str(v)).replace("–", "—").replace("-", "—").replace("~", "—").replace("～", "—")


def _amount(value: str, unit: str) -> tuple:
    """The quantity a value and its unit state, in the base unit (元, not 万元), or the value and unit as written."""
    written = (_value(value), compact(unit))
    # A label may write the unit inside the value (一万元以上十万元以下): then the value is the whole quantity.
    whole = (unit and written[0].endswith(written[1])) or re.search(r"[元%]|以上|以下", written[0])
    text = written[0] if whole else "".join(written)
    found = quantities(text.replace("—", "至"), glosses=True)
    if len(found) != 1:
        return written
    base, number, low, high = in_base_unit(found[0])
    return (base, *(None if x is None else round(x, 6) for x in (number, low, high)))


def key(kind: str, article: str, value: str, unit: str, year) -> tuple:
    return (kind, compact(tidy_title(article)), _amount(value, unit), year)


def score(gold: list[dict], rows: list[Target]) -> dict:
    """Per kind: gold and extracted counts, matched rows, precision, recall; plus how many gold values
    were found under any kind (so a value found but mis-kinded shows)."""
    want = Counter(key(g["kind"], g["article"], g["value"], g["unit"], g["year"]) for g in gold)
    have = Counter()
    for r in rows:
        have[key(r.kind, r.article, r.value, r.unit, r.year)] += max(1, len(r.places))
    matched = want & have
    per_kind = {}
    for kind in KINDS:
        n_gold = sum(v for k, v in want.items() if k[0] == kind)
        n_rows = sum(v for k, v in have.items() if k[0] == kind)
        hits = sum(v for k, v in matched.items() if k[0] == kind)
        per_kind[kind] = {
            "gold": n_gold,
            "extracted": n_rows,
            "right": hits,
            "precision": round(hits / n_rows, 3) if n_rows else None,
            "recall": round(hits / n_gold, 3) if n_gold else None,
        }
    # Found at all: the same article, value, unit and year under any kind.
    any_want = Counter(k[1:] for k in want.elements())
    any_have = Counter(k[1:] for k in have.elements())
    return {
        "gold": len(gold),
        "extracted": len(rows),
        "per_kind": per_kind,
        "values_found": round(sum((any_want & any_have).values()) / len(gold), 3) if gold else None,
        "missed": [_show(k, n) for k, n in (want - have).items()],
        "wrong": [_show(k, n) for k, n in (have - want).items()],
    }


def _show(k: tuple, n: int) -> dict:
    kind, article, amount, year = k
    if len(amount) == 2:  # as written
        value, unit = amount
    else:  # a quantity in its base unit: 10000—100000 元
        unit, number, low, high = amount
        value = f"{low:g}—{high:g}" if number is None and low is not None and high is not None else f"{number:g}"
    return {"kind": kind, "article": article, "value": value, "unit": unit, "year": year, "count": n}
