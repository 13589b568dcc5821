#!/usr/bin/env python3
"""Check a held-out issue's folder (eval/issue-*/): questions.jsonl, conversations.jsonl and targets.jsonl
against its bulletin-*.md. Each folder's check.py calls this with its article count and id prefix.

Adapted from ../shared/eval/check_2024_02.py (standard library only).

Questions (heldout format of ../README.md): exact field order; ids <prefix>001.. unique; known
type, lang, kind, expected_status; split "test"; every evidence string 15-80 characters,
free of Markdown marks (* #), verbatim inside one line of the bulletin and occurring once in
the whole file; `article` (when set) is the title heading of one of the issue's articles;
answerable <-> non-empty evidence; unanswerable rows have no article, section or evidence
and a kind; english type <-> lang en for answerable rows; yes/no answers start with 是/否 or
Yes/No; multi and meta rows have article null. Paraphrase questions copying 9+ consecutive
characters of their evidence give a warning.
Conversations (format of ../conversations.jsonl): exact fields; ids <prefix>c01..; known kind and
pattern; history a list of {question[, answer]}; evidence rules as above; answerable <->
expected_status answered; split "test".
Targets (format of ../targets.jsonl, plus kind `penalty`): exact fields (optional trailing
`note`); unique ids t001..; kind in target/penalty/time_limit/statistic/other; `article` an
article title; `text` verbatim inside line `line` of the bulletin (Markdown marks removed);
`evidence` verbatim and unique inside `text`; `value` inside `evidence`; a range has number
null and low < high, a single value has low/high null and a number; `in_note` true exactly
when `line` lies in an editor's note (section `编者按`); targets carry a year, other kinds
none.
Exit status 1 on any error.  Usage: python3 eval/check_issue.py FOLDER --articles N --prefix x
"""

import argparse
import glob
import json
import os
import re
import sys
from collections import Counter

_args = argparse.ArgumentParser(description="check a held-out issue's folder")
_args.add_argument("folder")
_args.add_argument("--articles", type=int, required=True, help="how many articles the issue prints")
_args.add_argument("--prefix", required=True, help="the questions' id letter (x001, xc01)")
ARGS = _args.parse_args()
HERE = os.path.abspath(ARGS.folder)
(CORPUS,) = glob.glob(os.path.join(HERE, "bulletin-*.md"))
QUESTIONS = os.path.join(HERE, "questions.jsonl")
CONVS = os.path.join(HERE, "conversations.jsonl")
TARGETS = os.path.join(HERE, "targets.jsonl")

Q_FIELDS = [
    "id",
    "question",
    "lang",
    "type",
    "article",
    "section",
    "evidence",
    "answer",
    "answerable",
    "split",
    "expected_status",
]
C_FIELDS = [
    "id",
    "kind",
    "pattern",
    "lang",
    "split",
    "history",
    "question",
    "resolved",
    "article",
    "section",
    "evidence",
    "answer",
    "answerable",
    "expected_status",
]
T_FIELDS = [
    "id",
    "kind",
    "article",
    "section",
    "indicator",
    "value",
    "number",
    "low",
    "high",
    "unit",
    "qualifier",
    "year",
    "region",
    "in_note",
    "line",
    "text",
    "evidence",
]
TYPES = {"fact", "numeric", "paraphrase", "locate", "clause", "multi", "english", "meta", "yesno", "unanswerable"}
U_KINDS = {
    "wrong_period",
    "detail_not_given",
    "region_not_covered",
    "no_such_provision",
    "document_detail",
    "off_topic",
    "document_absent",
}
ALWAYS_NOT_FOUND = {"off_topic", "document_absent"}
C_KINDS = {"region_switch", "next_item", "pronoun", "narrowing", "unanswerable", "english", "topic_change"}
C_PATTERNS = {"region_switch", "year_switch", "metric_switch", "next_item", "pronoun", "narrowing", "topic_change"}
T_KINDS = {"target", "penalty", "time_limit", "statistic", "other"}

with open(CORPUS, encoding="utf-8") as f:
    text = f.read()
lines = text.split("\n")
errors, warnings = [], []


def unmark(s):
    return re.sub(r"^#+\s*", "", s).replace("**", "").strip()


# Article titles: the first heading after each editor's note; note blocks: from a
# 编者按 heading up to that title.
titles, note_lines = [], set()
i = 0
while i < len(lines):
    if lines[i].startswith("#") and unmark(lines[i]) == "编者按":
        j = i + 1
        while j < len(lines) and not lines[j].startswith("#"):
            note_lines.add(j + 1)  # 1-based
            j += 1
        if j < len(lines):
            titles.append(unmark(lines[j]))
        i = j
    i += 1
TITLES = set(titles)
if len(titles) != ARGS.articles:
    errors.append(f"bulletin: expected {ARGS.articles} articles after editor's notes, found {len(titles)}: {titles}")


def check_evidence(where, ev):
    if not isinstance(ev, str) or not ev:
        errors.append(f"{where}: evidence not a non-empty string")
        return
    if "\n" in ev:
        errors.append(f"{where}: evidence spans lines")
    if "*" in ev or "#" in ev:
        errors.append(f"{where}: evidence contains a Markdown mark: {ev!r}")
    if not any(ev in line for line in lines):
        errors.append(f"{where}: evidence not inside one line: {ev!r}")
    n = text.count(ev)
    if n != 1:
        errors.append(f"{where}: evidence occurs {n} times in the bulletin: {ev!r}")
    if not 15 <= len(ev) <= 80:
        errors.append(f"{where}: evidence length {len(ev)} outside 15-80: {ev!r}")


def load(path, fields, label, optional_tail=()):
    rows, ids = [], set()
    if not os.path.exists(path):
        errors.append(f"{label}: missing file {path}")
        return rows
    with open(path, encoding="utf-8") as f:
        raws = f.read().splitlines(keepends=True)
    for n, raw in enumerate(raws, 1):
        if not raw.strip():
            errors.append(f"{label}:{n}: blank line")
            continue
        try:
            o = json.loads(raw)
        except json.JSONDecodeError as e:
            errors.append(f"{label}:{n}: bad JSON ({e})")
            continue
        if not isinstance(o, dict):
            errors.append(f"{label}:{n}: not an object")
            continue
        keys = list(o)
        extra = keys[len(fields) :]
        if keys[: len(fields)] != fields or any(k not in optional_tail for k in extra):
            errors.append(f"{label}:{n}: fields {keys} != {fields} (+{list(optional_tail)})")
            continue
        if o["id"] in ids:
            errors.append(f"{label}:{n}: duplicate id {o['id']}")
        ids.add(o["id"])
        rows.append(o)
    return rows


def check_answer_block(w, o, is_conv=False):
    ev = o["evidence"]
    if not isinstance(ev, list) or len(ev) > 3:
        errors.append(f"{w}: evidence must be a list of at most 3 strings")
        return
    if o["answerable"] is not (len(ev) > 0):
        errors.append(f"{w}: answerable={o['answerable']} but {len(ev)} evidence strings")
    for e in ev:
        check_evidence(w, e)
    if o["article"] is not None and o["article"] not in TITLES:
        errors.append(f"{w}: article is not an article title heading: {o['article']!r}")
    if o["article"] is None and o["section"] is not None:
        errors.append(f"{w}: section without article")
    if not o["answerable"] and (o["article"] or o["section"]):
        errors.append(f"{w}: unanswerable row with article/section")
    st = o["expected_status"]
    if o["answerable"] and st != "answered":
        errors.append(f"{w}: answerable row needs expected_status answered, has {st}")
    if not o["answerable"] and st not in ("not_stated", "not_found"):
        errors.append(f"{w}: unanswerable row needs not_stated/not_found, has {st}")
    if o["lang"] not in ("zh", "en"):
        errors.append(f"{w}: unknown lang {o['lang']}")
    if o["split"] != "test":
        errors.append(f"{w}: split must be test")
    if not str(o["answer"]).strip() or not str(o["question"]).strip():
        errors.append(f"{w}: empty question or answer")
    has_cjk = bool(re.search(r"[\u4e00-\u9fff]", o["question"]))
    if o["lang"] == "en" and has_cjk and not re.search(r"[A-Za-z]{4}", o["question"]):
        errors.append(f"{w}: lang en but question looks Chinese")
    if o["lang"] == "zh" and not has_cjk:
        errors.append(f"{w}: lang zh but question has no Chinese")


# ------------------------------------------------------------------ questions
qs = load(QUESTIONS, Q_FIELDS, "questions", optional_tail=("kind",))
for o in qs:
    w = o["id"]
    if not re.fullmatch(rf"{ARGS.prefix}\d{{3}}", w):
        errors.append(f"{w}: id must be {ARGS.prefix}001..")
    if o["type"] not in TYPES:
        errors.append(f"{w}: unknown type {o['type']}")
    check_answer_block(w, o)
    if o["answerable"]:
        if "kind" in o:
            errors.append(f"{w}: answerable row with kind")
        if o["type"] == "unanswerable":
            errors.append(f"{w}: type unanswerable but answerable")
        if (o["type"] == "english") != (o["lang"] == "en"):
            errors.append(f"{w}: english type and lang en must go together")
        if o["type"] in ("multi", "meta") and o["article"] is not None:
            errors.append(f"{w}: {o['type']} row must have article null")
        if o["type"] not in ("multi", "meta") and o["article"] is None:
            errors.append(f"{w}: {o['type']} row needs an article")
        if o["type"] == "yesno" and not re.match(r"^(是|否|Yes|No)", o["answer"]):
            errors.append(f"{w}: yes/no answer must start with 是/否/Yes/No")
        if o["type"] == "multi" and len(o["evidence"]) < 2:
            errors.append(f"{w}: multi needs 2-3 evidence strings")
        if o["type"] == "paraphrase":
            for e in o["evidence"]:
                for k in range(len(e) - 8):
                    if e[k : k + 9] in o["question"]:
                        warnings.append(f"{w}: paraphrase copies 9+ characters: {e[k : k + 9]!r}")
                        break
    else:
        if o["type"] != "unanswerable":
            errors.append(f"{w}: unanswerable row must have type unanswerable")
        if o.get("kind") not in U_KINDS:
            errors.append(f"{w}: unknown or missing kind {o.get('kind')}")
        if o.get("kind") in ALWAYS_NOT_FOUND and o["expected_status"] != "not_found":
            errors.append(f"{w}: kind {o['kind']} must be not_found")

# ------------------------------------------------------------------ conversations
cs = load(CONVS, C_FIELDS, "conversations")
for o in cs:
    w = o["id"]
    if not re.fullmatch(rf"{ARGS.prefix}c\d{{2}}", w):
        errors.append(f"{w}: id must be {ARGS.prefix}c01..")
    if o["kind"] not in C_KINDS:
        errors.append(f"{w}: unknown kind {o['kind']}")
    if o["pattern"] not in C_PATTERNS:
        errors.append(f"{w}: unknown pattern {o['pattern']}")
    if o["kind"] in ("region_switch", "next_item", "pronoun", "narrowing", "topic_change") and o["pattern"] != o["kind"]:
        errors.append(f"{w}: pattern must equal kind for kind {o['kind']}")
    if o["kind"] == "english" and o["lang"] != "en":
        errors.append(f"{w}: english kind needs lang en")
    if o["kind"] == "unanswerable" and o["answerable"]:
        errors.append(f"{w}: unanswerable kind but answerable")
    if o["kind"] == "topic_change" and o["resolved"] != o["question"]:
        errors.append(f"{w}: topic_change must leave the question unchanged")
    h = o["history"]
    if (
        not isinstance(h, list)
        or not h
        or not all(isinstance(t, dict) and set(t) <= {"question", "answer"} and t.get("question") for t in h)
    ):
        errors.append(f"{w}: history must be a non-empty list of {{question[, answer]}}")
    if not str(o["resolved"]).strip():
        errors.append(f"{w}: empty resolved")
    check_answer_block(w, o, is_conv=True)

# ------------------------------------------------------------------ targets
ts = load(TARGETS, T_FIELDS, "targets", optional_tail=("note",))
for n, o in enumerate(ts, 1):
    w = o["id"]
    if w != f"t{n:03d}":
        errors.append(f"{w}: ids must run t001.. in file order")
    if o["kind"] not in T_KINDS:
        errors.append(f"{w}: unknown kind {o['kind']}")
    if o["article"] not in TITLES:
        errors.append(f"{w}: article is not an article title: {o['article']!r}")
    ln = o["line"]
    if not isinstance(ln, int) or not 1 <= ln <= len(lines):
        errors.append(f"{w}: bad line {ln!r}")
        continue
    if not isinstance(o["text"], str) or not o["text"] or o["text"] not in unmark(lines[ln - 1]):
        errors.append(f"{w}: text not inside line {ln}: {o['text']!r}")
    if "*" in o["text"] or "#" in o["text"]:
        errors.append(f"{w}: text has Markdown marks")
    ev = o["evidence"]
    if not isinstance(ev, str) or o["text"].count(ev) != 1:
        errors.append(f"{w}: evidence not verbatim and unique inside text: {ev!r}")
    if str(o["value"]) not in str(ev):
        errors.append(f"{w}: value {o['value']!r} not in evidence {ev!r}")
    in_note = ln in note_lines
    if o["in_note"] is not in_note:
        errors.append(f"{w}: in_note={o['in_note']} but line {ln} note={in_note}")
    if (o["section"] == "编者按") != in_note:
        errors.append(f"{w}: section 编者按 <-> in_note")
    rng = o["low"] is not None or o["high"] is not None
    if rng:
        if o["number"] is not None or o["low"] is None or o["high"] is None or not o["low"] < o["high"]:
            errors.append(f"{w}: a range needs number null and low < high")
    elif not isinstance(o["number"], (int, float)):
        errors.append(f"{w}: single value needs a number")
    if o["kind"] == "target":
        if not (isinstance(o["year"], int) and 2020 <= o["year"] <= 2040):
            errors.append(f"{w}: target needs a year")
    elif o["year"] is not None:
        errors.append(f"{w}: {o['kind']} rows carry year null")
    for f in ("indicator", "unit", "region"):
        if not isinstance(o[f], str) or (f != "unit" and not o[f]):
            errors.append(f"{w}: bad {f}")
    if not isinstance(o["qualifier"], str):
        errors.append(f"{w}: qualifier must be a string")


# ------------------------------------------------------------------ report
def counts(rows, key):
    return ", ".join(f"{k} {v}" for k, v in sorted(Counter(key(o) for o in rows).items()))


print(f"bulletin: {len(text)} characters, {len(lines)} lines, articles: {len(titles)}")
print(f"questions: {len(qs)}  answerable {sum(o['answerable'] for o in qs)}, unanswerable {sum(not o['answerable'] for o in qs)}")
print(f"  by type: {counts(qs, lambda o: o['type'])}")
print(f"  unanswerable by kind: {counts([o for o in qs if not o['answerable']], lambda o: o['kind'])}")
print(f"  by lang: {counts(qs, lambda o: o['lang'])}; by expected_status: {counts(qs, lambda o: o['expected_status'])}")
print(f"  yes/no polarity: {counts([o for o in qs if o['type'] == 'yesno'], lambda o: o['answer'][:1])}")
print(
    f"conversations: {len(cs)}  by kind: {counts(cs, lambda o: o['kind'])}; "
    f"patterns: {counts(cs, lambda o: o['pattern'])}; lang: {counts(cs, lambda o: o['lang'])}"
)
print(f"targets: {len(ts)}  by kind: {counts(ts, lambda o: o['kind'])}; in_note: {sum(o['in_note'] for o in ts)}")
for a in titles:
    rows = [o for o in ts if o["article"] == a]
    if rows:
        print(f"  {a}: {counts(rows, lambda o: o['kind'])}")
for m in warnings:
    print("WARNING", m)
for m in errors:
    print("ERROR", m)
print("OK" if not errors else f"FAILED: {len(errors)} errors")
sys.exit(1 if errors else 0)
