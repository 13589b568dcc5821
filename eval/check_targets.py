#!/usr/bin/env python3
"""Check eval/targets.jsonl, the hand labels of every quantitative value in
data/bulletin-2023-51.md (standard library only).

    python3 eval/check_targets.py [LABELS] [SOURCE]

Defaults are eval/targets.jsonl and data/bulletin-2023-51.md, relative to the
repository root (the parent of this file's folder).  Prints counts per kind and
per article; exits 1 and lists the problems if any row is malformed.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"target", "statistic", "time_limit", "other"}
# The nine articles, spelled as their headings in the source file.
ARTICLES = [
    "“数据要素×”三年行动计划（2024—2026年） （征求意见稿）",
    "关于加快推进视听电子产业高质量发展的指导意见",
    "重庆市 AI 及服务机器人产业集群高质量发展 行动计划（2023—2027 年）",
    "北京市关于推动科技企业孵化器创新发展的指导意见",
    "河南省加快数字化转型推动制造业高端化 智能化绿色化发展行动计划（2023—2025年）",
    "安徽省数字基础设施建设发展三年行动方案 (2023—2025年)",
    "云南省公共数据管理办法（试行）",
    "2023年1—11月份通信业经济运行情况",
    "人工智能知识产权法律问题研究报告",
]
REQUIRED = {
    "id": str,
    "kind": str,
    "article": str,
    "section": str,
    "indicator": str,
    "value": str,
    "number": (float, int, type(None)),
    "unit": str,
    "qualifier": str,
    "year": (int, type(None)),
    "region": (str, type(None)),
    "text": str,
    "evidence": str,
}
OPTIONAL = {
    "low": (float, int, type(None)),
    "high": (float, int, type(None)),
    "in_note": bool,
    "line": int,
    "note": str,
}


def headings(lines):
    """Heading texts of the file (without # marks), for the article check."""
    return {re.sub(r"^#+\s*", "", line).strip() for line in lines if line.startswith("#")}


def check(labels_path, source_path):
    lines = source_path.read_text(encoding="utf-8").split("\n")
    heads = headings(lines)
    errors, rows, seen_ids, seen_keys = [], [], set(), set()
    for a in ARTICLES:
        if a not in heads:
            errors.append(f"{source_path.name}: article heading {a!r} not found")

    for n, raw in enumerate(labels_path.read_text(encoding="utf-8").split("\n"), 1):
        if not raw.strip():
            continue
        where = f"{labels_path.name}:{n}"
        try:
            r = json.loads(raw)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: not JSON ({e})")
            continue
        if not isinstance(r, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        where = f"{where} ({r.get('id', '?')})"
        bad = False
        for k, t in REQUIRED.items():
            if k not in r:
                errors.append(f"{where}: missing field {k}")
                bad = True
            elif not isinstance(r[k], t) or (t is int and isinstance(r[k], bool)):
                errors.append(f"{where}: field {k} has type {type(r[k]).__name__}")
                bad = True
        for k, t in OPTIONAL.items():
            if k in r and not isinstance(r[k], t):
                errors.append(f"{where}: field {k} has type {type(r[k]).__name__}")
                bad = True
        extra = set(r) - set(REQUIRED) - set(OPTIONAL)
        if extra:
            errors.append(f"{where}: unknown fields {sorted(extra)}")
        if bad:
            continue

        if not re.fullmatch(r"t\d{3,}", r["id"]):
            errors.append(f"{where}: id should look like t001")
        if r["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(r["id"])
        if r["kind"] not in KINDS:
            errors.append(f"{where}: kind {r['kind']!r} not in {sorted(KINDS)}")
        if r["article"] not in ARTICLES:
            errors.append(f"{where}: article is not one of the nine article headings")
        for k in ("indicator", "value", "text", "evidence"):
            if not r[k].strip():
                errors.append(f"{where}: empty {k}")

        text, ev = r["text"], r["evidence"]
        if "\n" in text or re.search(r"[*#]", text):
            errors.append(f"{where}: text holds a newline or Markdown marks")
        hits = [i for i, line in enumerate(lines, 1) if text and text in line]
        if not hits:
            errors.append(f"{where}: text not found verbatim within one line of {source_path.name}")
        elif "line" in r and r["line"] not in hits:
            errors.append(f"{where}: text is not on line {r['line']} (found on {hits})")
        if not any(ev in line for line in lines):
            errors.append(f"{where}: evidence not found verbatim within one line")
        if ev not in text:
            errors.append(f"{where}: evidence not inside text")
        elif text.count(ev) > 1:
            errors.append(f"{where}: evidence occurs {text.count(ev)} times in text (make it unique)")
        if r["value"] not in ev:
            errors.append(f"{where}: value not inside evidence")

        low, high = r.get("low"), r.get("high")
        if r["number"] is None:
            if low is None or high is None:
                errors.append(f"{where}: number is null but low/high are not both given")
            elif low > high:
                errors.append(f"{where}: low > high")
        elif low is not None or high is not None:
            errors.append(f"{where}: number and low/high both given")
        if r["kind"] == "statistic" and r["year"] is None:
            errors.append(f"{where}: a statistic needs its period year")
        if r["kind"] in ("time_limit", "other") and r["year"] is not None:
            errors.append(f"{where}: year is only for targets and statistics")
        if r.get("in_note") and r["section"] != "编者按":
            errors.append(f"{where}: in_note rows have section 编者按")

        # An editor's note may copy a body sentence verbatim: the line tells them apart.
        key = (r.get("line"), bool(r.get("in_note")), text, ev, r["kind"])
        if key in seen_keys:
            errors.append(f"{where}: same line, text, evidence and kind as an earlier row")
        seen_keys.add(key)
        rows.append(r)
    return rows, errors


def report(rows):
    kinds = Counter(r["kind"] for r in rows)
    print(f"{len(rows)} rows")
    print("per kind: " + ", ".join(f"{k} {kinds.get(k, 0)}" for k in sorted(KINDS)))
    notes = sum(1 for r in rows if r.get("in_note"))
    print(f"in editor's notes: {notes} ({sum(1 for r in rows if r.get('in_note') and r['kind'] == 'target')} targets)")
    arts = {a: Counter() for a in ARTICLES}
    for r in rows:
        arts.setdefault(r["article"], Counter())[r["kind"]] += 1
    print("per article (target / statistic / time_limit / other):")
    for a, c in arts.items():
        print(f"  {c['target']:3d} {c['statistic']:3d} {c['time_limit']:3d} {c['other']:3d}  {a}")


def main(argv):
    labels = Path(argv[1]) if len(argv) > 1 else ROOT / "eval" / "targets.jsonl"
    source = Path(argv[2]) if len(argv) > 2 else ROOT / "data" / "bulletin-2023-51.md"
    rows, errors = check(labels, source)
    report(rows)
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
