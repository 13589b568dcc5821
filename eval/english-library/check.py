#!/usr/bin/env python3
"""Checker for eval-en/english-library.jsonl (standard library only).

    python3 check.py [QUESTIONS] [LIBRARY_DIR]

Defaults: english-library.jsonl next to this file, ../shared/corpus/library (beside the clone).
Exits 1 and lists every problem if a row is wrong; prints counts and OK otherwise.
"""

import collections
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "english-library.jsonl")
LIB = sys.argv[2] if len(sys.argv) > 2 else str(Path(__file__).resolve().parents[3] / "shared" / "corpus" / "library")

FIELDS = ["id", "question", "lang", "type", "article", "section", "evidence", "answer", "answerable", "split", "expected_status"]
KINDS = {
    "wrong_period",
    "detail_not_given",
    "region_not_covered",
    "no_such_provision",
    "document_detail",
    "off_topic",
    "document_absent",
}
NOT_FOUND_KINDS = {"region_not_covered", "off_topic", "document_absent"}

# The answerable rows all have type "english" (English question, Chinese text), as in
# heldout.jsonl. Their sub-type (what the question asks for) is kept here, not in the
# rows, so that the rows keep exactly the heldout.jsonl fields.
SUBTYPE = {}
for kind, ids in {
    "numeric": "e001 e002 e003 e004 e005 e006 e026 e027 e028 e029 e030 e031",
    "fact": "e007 e008 e009 e010 e032 e033 e034 e035",
    "clause": "e011 e012 e013 e036 e037 e038",
    "paraphrase": "e014 e015 e016 e039 e040 e041",
    "yesno": "e017 e018 e042 e043",
    "locate": "e019 e020 e044 e045",
}.items():
    for i in ids.split():
        SUBTYPE[i] = kind
YESNO_POLARITY = {"e017": "No", "e018": "Yes", "e042": "No", "e043": "Yes"}

# Unanswerable rows: Chinese terms that must NOT occur, either anywhere in the library
# ("*") or inside the named document (article heading). Checked so that the rows stay
# unanswerable if the library is edited.
ABSENT = {
    "e021": ("重庆市电信条例", ["第三十四条", "第三十五条", "第四十条"]),
    "e022": ("*", ["江苏"]),
    "e023": ("计算机软件保护条例", ["登记费", "收费标准为", "元/件"]),
    "e024": ("山东省通信基础设施建设与保护条例", ["2025", "二〇二五", "5G", "５Ｇ"]),
    "e025": ("关键信息基础设施安全保护条例", ["国务院令", "令第", "745", "七百四十五"]),
    "e046": ("北京市专利保护和促进条例", ["第五十二条", "第五十三条", "第五十四条", "第五十五条"]),
    "e047": ("*", ["四川"]),
    "e048": ("互联网上网服务营业场所管理条例", ["平方米", "㎡"]),
    "e049": ("河南省技术市场条例", ["2016", "二〇一六", "2018"]),
    "e050": ("计算机软件保护条例", ["签署", "总理"]),
}

CJK = re.compile(r"[\u3400-\u9fff]")
errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"[\s*#>]", "", s)


# ---- library -------------------------------------------------------------------------
files = sorted(f for f in os.listdir(LIB) if f.startswith("bulletin-") and f.endswith(".md"))
lines = {}  # file -> list of lines
for f in files:
    with open(os.path.join(LIB, f), encoding="utf-8") as fh:
        lines[f] = fh.read().split("\n")
if len(files) != 12:
    err(f"library: expected 12 bulletin files, found {len(files)}")


def heading_text(line):
    m = re.match(r"^#+\s*(.*?)\s*$", line)
    return m.group(1) if m else None


def doc_range(article):
    """(file, first line, last line) of the document whose heading is `article`:
    from the heading to the next （来源：…） line. None if no such heading."""
    found = []
    for f in files:
        L = lines[f]
        for i, line in enumerate(L):
            if heading_text(line) == article:
                j = i + 1
                while j < len(L) and not L[j].startswith("（来源"):
                    j += 1
                found.append((f, i, j))
    # the title may be repeated on the cover page (no body there): keep the last one
    return found[-1] if found else None


def count_raw(s):
    return sum(line.count(s) for f in files for line in lines[f])


def count_norm(s):
    n = norm(s)
    return sum(norm(line).count(n) for f in files for line in lines[f])


# ---- rows ----------------------------------------------------------------------------
rows = []
with open(QFILE, encoding="utf-8") as fh:
    for n, raw in enumerate(fh, 1):
        if not raw.strip():
            err(f"line {n}: blank line")
            continue
        try:
            rows.append(json.loads(raw))
        except json.JSONDecodeError as e:
            err(f"line {n}: not JSON ({e})")

if len(rows) != 50:
    err(f"expected 50 rows, found {len(rows)}")

articles_used, files_used = set(), set()
for k, r in enumerate(rows, 1):
    rid = r.get("id", f"row{k}")
    want = FIELDS + (["kind"] if r.get("answerable") is False else [])
    if list(r.keys()) != want:
        err(f"{rid}: fields {list(r.keys())} != {want}")
    if rid != f"e{k:03d}":
        err(f"{rid}: id out of sequence (expected e{k:03d})")
    if r.get("lang") != "en":
        err(f"{rid}: lang must be en")
    q = r.get("question")
    if not isinstance(q, str) or len(q) < 15 or CJK.search(q):
        err(f"{rid}: question must be English text without Chinese characters")
    a = r.get("answer")
    if not isinstance(a, str) or len(a) < 5:
        err(f"{rid}: answer missing")
    elif len(CJK.findall(a)) > 0.2 * len(a):
        err(f"{rid}: answer is not mainly English")
    split = "tune" if k <= 25 else "test"
    if r.get("split") != split:
        err(f"{rid}: split must be {split}")

    if r.get("answerable") is True:
        if r.get("type") != "english":
            err(f"{rid}: answerable rows have type english")
        if r.get("expected_status") != "answered":
            err(f"{rid}: expected_status must be answered")
        if rid not in SUBTYPE:
            err(f"{rid}: no sub-type in SUBTYPE")
        if rid in YESNO_POLARITY and not a.startswith(YESNO_POLARITY[rid]):
            err(f"{rid}: yes/no answer must start with {YESNO_POLARITY[rid]}")
        art = r.get("article")
        rng = doc_range(art) if isinstance(art, str) else None
        if rng is None:
            err(f"{rid}: article {art!r} is not a heading of any bulletin")
        else:
            articles_used.add(art)
            files_used.add(rng[0])
        sec = r.get("section")
        if not isinstance(sec, str) or not sec.strip():
            err(f"{rid}: section missing")
        elif rng is not None:
            body = "\n".join(lines[rng[0]][rng[1] : rng[2]])
            for part in sec.split(" > "):
                if part != "编者按" and norm(part) not in norm(body):
                    err(f"{rid}: section part {part!r} not in the document")
        ev = r.get("evidence")
        if not isinstance(ev, list) or not 1 <= len(ev) <= 3:
            err(f"{rid}: evidence must hold 1-3 strings")
            ev = []
        for e in ev:
            if not isinstance(e, str) or not 15 <= len(e) <= 80:
                err(f"{rid}: evidence length {len(e) if isinstance(e, str) else '?'} not in 15-80: {e!r}")
                continue
            if "*" in e or "#" in e:
                err(f"{rid}: evidence holds * or #: {e!r}")
            if count_raw(e) != 1:
                err(f"{rid}: evidence occurs {count_raw(e)} times verbatim in the library (must be exactly once): {e!r}")
            if count_norm(e) != 1:
                err(f"{rid}: evidence occurs {count_norm(e)} times after normalisation: {e!r}")
            if rng is not None and not any(e in line for line in lines[rng[0]][rng[1] - 4 : rng[2]]):
                err(f"{rid}: evidence not inside the document {art!r}: {e!r}")
    elif r.get("answerable") is False:
        if r.get("type") != "unanswerable":
            err(f"{rid}: unanswerable rows have type unanswerable")
        kind = r.get("kind")
        if kind not in KINDS:
            err(f"{rid}: kind {kind!r} not allowed")
        status = "not_found" if kind in NOT_FOUND_KINDS else "not_stated"
        if r.get("expected_status") != status:
            err(f"{rid}: expected_status must be {status} for {kind}")
        if r.get("article") is not None or r.get("section") is not None or r.get("evidence") != []:
            err(f"{rid}: unanswerable rows have article/section null and evidence []")
        if rid not in ABSENT:
            err(f"{rid}: no absence check in ABSENT")
        else:
            scope, terms = ABSENT[rid]
            if scope == "*":
                text = [(f, line) for f in files for line in lines[f]]
            else:
                rng = doc_range(scope)
                if rng is None:
                    err(f"{rid}: ABSENT scope {scope!r} not found")
                    text = []
                else:
                    text = [(rng[0], line) for line in lines[rng[0]][rng[1] - 4 : rng[2] + 1]]
            for t in terms:
                hits = [f for f, line in text if t in line or norm(t) in norm(line)]
                if hits:
                    err(f"{rid}: {t!r} occurs in {scope} ({hits[0]}): not unanswerable?")
    else:
        err(f"{rid}: answerable must be true or false")

# ---- counts and balance --------------------------------------------------------------
ans = [r for r in rows if r.get("answerable") is True]
una = [r for r in rows if r.get("answerable") is False]
if len(ans) != 40 or len(una) != 10:
    err(f"expected 40 answerable and 10 unanswerable, found {len(ans)} and {len(una)}")
if len(articles_used) < 8:
    err(f"only {len(articles_used)} documents used (need >= 8)")
if len(files_used) < 6:
    err(f"only {len(files_used)} issue files used (need >= 6)")

by_sub = collections.Counter(SUBTYPE.get(r["id"]) for r in ans)
by_kind = collections.Counter(r.get("kind") for r in una)
for label, key in (("sub-type", lambda r: SUBTYPE.get(r["id"])), ("kind", lambda r: r.get("kind"))):
    group = ans if label == "sub-type" else una
    per = collections.defaultdict(collections.Counter)
    for r in group:
        per[key(r)][r["split"]] += 1
    for name, c in sorted(per.items(), key=lambda x: str(x[0])):
        if abs(c["tune"] - c["test"]) > 1:
            err(f"{label} {name}: unbalanced splits {dict(c)}")
pol = collections.Counter((r["split"], YESNO_POLARITY[r["id"]]) for r in ans if r["id"] in YESNO_POLARITY)
if any(pol[(s, p)] != 1 for s in ("tune", "test") for p in ("Yes", "No")):
    err(f"yes/no polarity not one Yes and one No per split: {dict(pol)}")

docs = collections.Counter()
for r in ans:
    rng = doc_range(r["article"]) if r.get("article") else None
    if rng:
        docs[(rng[0], r["article"])] += 1

print(f"rows: {len(rows)}  answerable {len(ans)}, unanswerable {len(una)}")
print(
    "  answerable (type english) by sub-type: "
    + ", ".join(f"{k} {v}" for k, v in sorted(by_sub.items(), key=lambda x: str(x[0])))
)
print(f"  yes/no polarity: {dict(collections.Counter(YESNO_POLARITY.values()))}")
print("  unanswerable by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items(), key=lambda x: str(x[0]))))
print(
    "  expected_status: "
    + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(r.get("expected_status") for r in rows).items()))
)
print("  split: " + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(r.get("split") for r in rows).items())))
print(f"  documents: {len(articles_used)} in {len(files_used)} issue files")
for (f, a), n in sorted(docs.items()):
    print(f"    {f}  {a}: {n}")
if errors:
    print(f"\n{len(errors)} problem(s):")
    for e in errors:
        print("  - " + e)
    sys.exit(1)
print("OK")
