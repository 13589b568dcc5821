#!/usr/bin/env python3
"""Check eval/conversations.jsonl (two-turn follow-up conversations).

Standard library only. Run from anywhere:

    python3 eval/check_conversations.py [FILE] [--corpus data/bulletin-2023-51.md]

Checks: valid JSON per line; required fields and their types; unique ids;
allowed kind/pattern/lang/split/expected_status values; each evidence string is
a verbatim substring of ONE line of the corpus and holds no Markdown marks
(* #); answerable rows have 1-3 evidence strings, an article title that the
corpus spells (modulo spaces and bracket width) and a section; unanswerable rows
have none; topic_change rows have resolved == question, all other rows a
resolved question that differs from the follow-up; split alternates
tune/test within each kind. Prints counts per kind, split, lang, pattern and
status. Exit status 1 on any error.
"""

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO / "eval" / "conversations.jsonl"
DEFAULT_CORPUS = REPO / "data" / "bulletin-2023-51.md"

KINDS = {"region_switch", "next_item", "pronoun", "narrowing", "unanswerable", "english", "topic_change"}
PATTERNS = {"region_switch", "year_switch", "metric_switch", "next_item", "pronoun", "narrowing", "topic_change"}
STATUSES = {"answered", "not_stated", "not_found"}
LANGS = {"zh", "en"}
SPLITS = {"tune", "test"}
FIELDS = {
    "id": str,
    "kind": str,
    "pattern": str,
    "lang": str,
    "split": str,
    "history": list,
    "question": str,
    "resolved": str,
    "article": (str, type(None)),
    "section": (str, type(None)),
    "evidence": list,
    "answer": str,
    "answerable": bool,
    "expected_status": str,
}
MINIMUM = {"region_switch": 5, "next_item": 5, "pronoun": 5, "narrowing": 5, "unanswerable": 8, "english": 6, "topic_change": 4}


def loose(text):
    """Compare titles ignoring spaces and full/half-width differences."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def has_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    args = ap.parse_args()

    lines = Path(args.corpus).read_text(encoding="utf-8").splitlines()
    corpus_loose = loose("\n".join(lines))
    errors = []
    rows = []
    for n, raw in enumerate(Path(args.file).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            errors.append(f"line {n}: empty line")
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: bad JSON: {exc}")
            continue
        if not isinstance(row, dict):
            errors.append(f"line {n}: not an object")
            continue
        rows.append((n, row))

    seen = set()
    per_kind_order = {}
    for n, row in rows:
        where = f"line {n} ({row.get('id', '?')})"

        def err(msg, where=where):
            errors.append(f"{where}: {msg}")

        missing = [k for k in FIELDS if k not in row]
        extra = [k for k in row if k not in FIELDS]
        if missing:
            err(f"missing fields {missing}")
            continue
        if extra:
            err(f"unknown fields {extra}")
        for key, typ in FIELDS.items():
            if not isinstance(row[key], typ):
                err(f"{key} has type {type(row[key]).__name__}")
        if row["id"] in seen:
            err("duplicate id")
        seen.add(row["id"])
        if row["kind"] not in KINDS:
            err(f"kind {row['kind']!r}")
        if row["pattern"] not in PATTERNS:
            err(f"pattern {row['pattern']!r}")
        if row["kind"] in PATTERNS and row["pattern"] != row["kind"]:
            err("pattern must equal kind for this kind")
        if row["lang"] not in LANGS:
            err(f"lang {row['lang']!r}")
        if row["split"] not in SPLITS:
            err(f"split {row['split']!r}")
        if row["expected_status"] not in STATUSES:
            err(f"expected_status {row['expected_status']!r}")

        # history
        hist = row["history"]
        if not hist:
            err("empty history")
        for h in hist:
            if not isinstance(h, dict) or not isinstance(h.get("question"), str) or not h["question"].strip():
                err("history turn without a question")
                continue
            if set(h) - {"question", "answer"}:
                err(f"history turn has unknown keys {sorted(set(h) - {'question', 'answer'})}")
            if "answer" in h and (not isinstance(h["answer"], str) or not h["answer"].strip()):
                err("history answer must be a non-empty string")

        # question / resolved
        if not row["question"].strip() or not row["resolved"].strip():
            err("empty question or resolved")
        if row["kind"] == "topic_change":
            if row["resolved"] != row["question"]:
                err("topic_change: resolved must equal question")
        elif row["resolved"] == row["question"]:
            err("follow-up: resolved equals question (does it depend on history?)")

        # language
        texts = [row["question"], row["resolved"]] + [h.get("question", "") for h in hist if isinstance(h, dict)]
        if row["lang"] == "en" and any(has_cjk(t) for t in texts):
            err("lang en but a question holds Chinese characters")
        if row["lang"] == "zh" and not all(has_cjk(t) for t in texts):
            err("lang zh but a question holds no Chinese characters")
        if row["kind"] == "english" and row["lang"] != "en":
            err("kind english needs lang en")

        # answerability and evidence
        ev = row["evidence"]
        if row["answerable"]:
            if row["expected_status"] != "answered":
                err("answerable row needs expected_status answered")
            if not 1 <= len(ev) <= 3:
                err(f"{len(ev)} evidence strings (need 1-3)")
            title = loose(row["article"] or "")
            if not row["article"]:
                err("answerable row without article")
            elif title not in corpus_loose and title.replace("（2023年）", "") not in corpus_loose:
                err(f"article not spelled in the corpus: {row['article']}")
            if not row["section"]:
                err("answerable row without section")
        else:
            if row["expected_status"] == "answered":
                err("unanswerable row needs expected_status not_stated/not_found")
            if ev:
                err("unanswerable row with evidence")
            if row["kind"] not in ("unanswerable",):
                err("unanswerable follow-ups belong to kind unanswerable")
        if row["kind"] == "unanswerable" and row["answerable"]:
            err("kind unanswerable but answerable true")
        for e in ev:
            if not isinstance(e, str) or not e.strip():
                err("empty evidence string")
                continue
            if "*" in e or "#" in e:
                err(f"evidence holds Markdown marks: {e[:40]}")
            if "\n" in e:
                err(f"evidence spans lines: {e[:40]}")
            hits = [i + 1 for i, line in enumerate(lines) if e in line]
            if not hits:
                err(f"evidence not verbatim within one corpus line: {e[:60]}")

        per_kind_order.setdefault(row["kind"], []).append(row["split"])

    for kind, splits in per_kind_order.items():
        want = ["tune" if i % 2 == 0 else "test" for i in range(len(splits))]
        if splits != want:
            errors.append(f"kind {kind}: split does not alternate tune/test: {splits}")
    counts = Counter(r["kind"] for _, r in rows)
    for kind, least in MINIMUM.items():
        if counts[kind] < least:
            errors.append(f"kind {kind}: {counts[kind]} rows, need at least {least}")
    en = sum(1 for _, r in rows if r.get("lang") == "en")
    if en < 6:
        errors.append(f"only {en} English conversations")

    def show(title, counter):
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))

    print(f"{len(rows)} conversations in {args.file}")
    show("kind", counts)
    show("split", Counter(r["split"] for _, r in rows))
    show("lang", Counter(r["lang"] for _, r in rows))
    show("pattern", Counter(r["pattern"] for _, r in rows))
    show("expected_status", Counter(r["expected_status"] for _, r in rows))
    show("kind/split", Counter(f"{r['kind']}/{r['split']}" for _, r in rows))
    print(f"history with answer: {sum(1 for _, r in rows if any('answer' in h for h in r['history']))}")
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
