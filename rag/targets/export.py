"""The targets table for people and other programs: a text table, CSV, an Excel workbook, and the
grouped view that follows one indicator across issues."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rag.files import atomic_write_bytes
from rag.targets.rows import Target

# Columns of CSV and XLSX, in order: the JSON keys (CSV) and the headings people read (XLSX, the app).
COLUMNS = [
    ("kind", "类型"),
    ("region", "地区"),
    ("indicator", "指标"),
    ("value", "数值"),
    ("unit", "单位"),
    ("qualifier", "限定"),
    ("year", "年份"),
    ("number", "数值（数字）"),
    ("low", "下限"),
    ("high", "上限"),
    ("issuer", "发文机关"),
    ("article", "文章"),
    ("section", "位置"),
    ("issue_id", "期号"),
    ("issue_date", "日期"),
    ("page", "页码"),
    ("text", "原文句子"),
    ("source_path", "文件"),
    ("start", "起"),
    ("end", "止"),
    ("act", "违法行为"),
    ("measures", "其他处罚"),
    ("places", "各处出处"),
    ("group", "分组"),
]
KIND_NAMES = {"target": "目标", "statistic": "统计", "time_limit": "时限", "penalty": "罚则", "other": "其他"}


def places_text(r: Target) -> str:
    """Every place the figure stands, one reading: 二、主要目标 @4567–4573；编者按 @1234–1240 (offsets of the value)."""
    return "；".join(f"{p['section'] or r.article} @{p['value_start']}–{p['value_end']}" for p in r.places)


def _cells(r: Target) -> list:
    d = r.as_json()
    d["places"] = places_text(r)
    return [d[k] for k, _ in COLUMNS]


def to_csv(rows: list[Target]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([k for k, _ in COLUMNS])
    writer.writerows(_cells(r) for r in rows)
    return out.getvalue()


def write_csv(rows: list[Target], path: Path) -> None:
    """With a byte-order mark, so that Excel reads the Chinese as UTF-8."""
    atomic_write_bytes(Path(path), to_csv(rows).encode("utf-8-sig"))


def write_xlsx(rows: list[Target], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "指标目标"
    sheet.append([label for _, label in COLUMNS])
    for r in rows:
        cells = _cells(r)
        cells[0] = KIND_NAMES.get(r.kind, r.kind)
        sheet.append(cells)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEFG", (6, 8, 30, 8, 8, 8, 6), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    text = text if _width(text) <= width else _cut(text, width)
    return text + " " * (width - _width(text))


def _cut(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


_BEFORE = (
    "超过",
    "小于",
    "不高于",
    "不超过",
    "最高不超过",
    "不低于",
    "不少于",
    "至少",
    "近",
    "约",
    "逾",
    "延长至",
    "力争",
    "累计",
    "提前",
    "最近",
    "连续",
)


def value_text(r: Target) -> str:
    """300 个以上, 超过 20%, 2—3 个, 每月: the value as one reads it."""
    before = r.qualifier if r.qualifier in _BEFORE else ""
    after = r.qualifier if r.qualifier and not before and r.qualifier != "每" else ""
    unit = "" if r.qualifier == "每" else r.unit  # 每月, 年度: the unit is in the words
    return f"{before}{r.value}{unit}{after}"


def table_text(rows: list[Target]) -> str:
    widths = [("类型", 6), ("地区", 8), ("年份", 4), ("指标", 30), ("数值", 16), ("文章", 28), ("期号", 8)]
    lines = ["  ".join(_pad(name, w) for name, w in widths)]
    for r in rows:
        cells = [KIND_NAMES.get(r.kind, r.kind), r.region, str(r.year or ""), r.indicator, value_text(r), r.article, r.issue_id]
        lines.append("  ".join(_pad(c, w) for c, (_, w) in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def groups_text(found: list[dict]) -> str:
    lines = []
    for g in found:
        mark = "（有变化）" if g["changed"] else ""
        lines.append(f"{g['region']} · {g['indicator']} [{g['unit']}] {mark}".rstrip())
        for r in g["rows"]:
            t = Target.from_json(r)
            year = f" 到{t.year}年" if t.year and t.kind == "target" else ""
            lines.append(f"    {t.issue_id:<10} {value_text(t)}{year}  ({t.section or t.article})")
    return "\n".join(lines)
