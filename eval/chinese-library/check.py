#!/usr/bin/env python3
"""
Checker for chinese-library.jsonl (standard library only).

    python3 check.py [QUESTIONS] [LIBRARY_DIR] [CORPUS_DIR]

Exits 1 and lists the problems if anything is wrong; prints counts and OK otherwise."""

# The question writer's own checker, kept as written (standard library only): %-formatting, short names.
# ruff: noqa: UP031, E741, SIM115

import contextlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
QF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "chinese-library.jsonl")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"  # ../shared beside the clone
LIB = sys.argv[2] if len(sys.argv) > 2 else str(SHARED / "library")
CORPUS = sys.argv[3] if len(sys.argv) > 3 else str(SHARED)

FIELDS = ["id", "question", "lang", "type", "article", "section", "evidence", "answer", "answerable", "split", "expected_status"]
TYPES = {"fact", "numeric", "clause", "paraphrase", "yesno", "multi", "locate"}
KINDS = {
    "detail_not_given",
    "region_not_covered",
    "no_such_provision",
    "wrong_period",
    "document_detail",
    "document_absent",
    "off_topic",
}
EXPECTED_TYPES = {"numeric": 14, "clause": 8, "fact": 6, "paraphrase": 6, "yesno": 5, "multi": 3, "locate": 3}
# the nine documents of eval/english-library (not to be used here)
ENGLISH_DOCS = {
    "中华人民共和国标准化法实施条例",
    "河南省技术市场条例",
    "浙江省信息化促进条例",
    "重庆市电信条例",
    "计算机软件保护条例",
    "北京市专利保护和促进条例",
    "山东省通信基础设施建设与保护条例",
    "关键信息基础设施安全保护条例",
    "互联网上网服务营业场所管理条例",
}

# Unanswerable rows: terms that must NOT occur (regex, matched on NFKC text) in a scope:
#   "corpus"          every file under CORPUS (library and the two issues, READMEs included)
#   "doc:HEADING"     the document's span in the library (editor's note to the next note)
#   "line:ANCHOR"     every library line containing ANCHOR
# and PRESENT terms that must occur (to show the document ends where the answer says).
NUM = "[0-9一二三四五六七八九十百千万两]+"
ABSENT = {
    "z024": [("doc:中华人民共和国无线电管理条例", r"第(九十|八十[六七八九])条")],
    "z025": [("doc:青岛市专利保护规定", r"第(三十|二十[七八九])条")],
    "z026": [("corpus", r"湖北"), ("corpus", r"湖北省社会信用")],
    "z027": [("corpus", r"上海市信息化促进条例")],
    "z028": [("corpus", r"著作权法实施条例")],
    "z029": [("doc:中华人民共和国无线电管理条例", r"兆赫|赫兹|MHz"), ("line:无线电频率占用费的项目、标准", NUM + r"元")],
    "z030": [("doc:洛阳市专利促进与保护条例", r"2025|二〇二五|二0二五")],
    "z053": [("doc:信息网络传播权保护条例", r"第(三十五|三十|二十[八九])条")],
    "z054": [("corpus", r"福建")],
    "z055": [("corpus", r"江西")],
    "z056": [("corpus", r"山东省公共信用信息管理条例")],
    "z057": [("line:擅自将专用通信网对外营业", NUM + r"元")],
    "z058": [
        ("line:应当在规定期限内对专利侵权行为是否成立作出行政裁决", NUM + r"(个工作)?日"),
        ("doc:广东省知识产权保护条例", NUM + r"(个工作)?日内"),
    ],
    "z059": [("doc:浙江省公共信用信息管理条例", r"2022|二〇二二|修正|修改|修订")],
    "z060": [("doc:浙江省技术市场条例", r"会议|常务委员会第|通过；|月\d+日经")],
}
PRESENT = {
    "z024": [("doc:中华人民共和国无线电管理条例", r"第八十五条\*\* 本条例自2016年12月1日起施行")],
    "z025": [("doc:青岛市专利保护规定", r"第二十六条 本规定自2005年1月1日起施行")],
    "z053": [("doc:信息网络传播权保护条例", r"### 第二十七条")],
    "z029": [("doc:中华人民共和国无线电管理条例", r"无线电频率占用费的项目、标准，由国务院财政部门、价格主管部门制定")],
    "z057": [("line:擅自将专用通信网对外营业", r"并处罚款；")],
    "z058": [("doc:广东省知识产权保护条例", r"应当在规定期限内对专利侵权行为是否成立作出行政裁决")],
    "z059": [("doc:浙江省公共信用信息管理条例", r"2017年9月30日.*自2018年1月1日起施行")],
    "z060": [("doc:浙江省技术市场条例", r"《浙江省技术市场条例》自2004年11月1日起施行")],
}


def nfkc(s):
    return unicodedata.normalize("NFKC", s)


def norm(s):
    return re.sub(r"[\s*#>]", "", nfkc(s))


def main():
    problems = []
    P = problems.append
    lib = {
        f: open(os.path.join(LIB, f), encoding="utf-8").read()
        for f in sorted(os.listdir(LIB))
        if os.path.isfile(os.path.join(LIB, f))
    }
    bulletins = {f: t.split("\n") for f, t in lib.items() if f.startswith("bulletin-")}
    libnorm = {f: norm(t) for f, t in lib.items()}
    corpus = {}
    for root, _, fs in os.walk(CORPUS):
        for f in fs:
            p = os.path.join(root, f)
            with contextlib.suppress(UnicodeDecodeError):
                corpus[p] = nfkc(open(p, encoding="utf-8").read())

    # documents: first heading after each editor's note (编者按) = document heading
    docs = {}  # heading -> (file, start, heading_line, end)
    starts = {}  # file -> [(line, heading)]
    for f, lines in bulletins.items():
        notes = [i for i, l in enumerate(lines) if l.startswith("#") and "编者按" in l]
        ends = notes + [i for i, l in enumerate(lines) if l.startswith("#") and "贵州省大数据发展促进会" in l] + [len(lines)]
        for n in notes:
            if n < 60:
                continue
            h = next((i for i in range(n + 1, len(lines)) if lines[i].startswith("#")), None)
            if h is None or "编者按" in lines[h] or "贵州" in lines[h]:
                continue
            head = lines[h].lstrip("#").strip()
            e = min(x for x in ends if x > h)
            docs.setdefault(head, (f, n, h, e))
            starts.setdefault(f, []).append((n, e, head))

    def doc_of(f, i):
        for s, e, head in starts.get(f, []):
            if s <= i < e:
                return head
        return None

    def scope_lines(scope):
        if scope == "corpus":
            return [t for t in corpus.values()]
        kind, arg = scope.split(":", 1)
        if kind == "doc":
            if arg not in docs:
                P("unknown document in scope: " + arg)
                return []
            f, s, h, e = docs[arg]
            return ["\n".join(bulletins[f][s:e])]
        if kind == "line":
            out = [l for ls in bulletins.values() for l in ls if arg in l]
            if not out:
                P("anchor not found: " + arg)
            return out
        P("bad scope " + scope)
        return []

    rows = []
    for n, line in enumerate(open(QF, encoding="utf-8"), 1):
        try:
            rows.append(json.loads(line))
        except Exception as ex:
            P("line %d: not JSON (%s)" % (n, ex))
    ids = [r.get("id") for r in rows]
    if ids != ["z%03d" % i for i in range(1, len(rows) + 1)]:
        P("ids are not z001.. in order")

    used_docs, used_files = Counter(), set()
    types, kinds, status, splits, pol = Counter(), Counter(), Counter(), Counter(), Counter()
    split_type = Counter()
    for r in rows:
        rid = r.get("id")
        want = FIELDS + (["kind"] if r.get("answerable") is False else [])
        if list(r.keys()) != want:
            P(f"{rid}: fields {list(r.keys())}, expected {want}")
        if r.get("lang") != "zh":
            P(rid + ": lang must be zh")
        q = r.get("question", "")
        if not re.search(r"[\u4e00-\u9fff]", q) or len(q) < 8:
            P(rid + ": question should be Chinese")
        n = int(rid[1:])
        exp_split = "tune" if n <= 30 else "test"
        if r.get("split") != exp_split:
            P(rid + ": split should be " + exp_split)
        splits[r.get("split")] += 1
        if not r.get("answer"):
            P(rid + ": empty answer")
        if r["answerable"] is True:
            t = r["type"]
            types[t] += 1
            split_type[(t, r["split"])] += 1
            if t not in TYPES:
                P(rid + ": bad type " + str(t))
            if r["expected_status"] != "answered":
                P(rid + ": expected_status must be answered")
            if t == "yesno":
                a = r["answer"][:1]
                if a not in "是否":
                    P(rid + ": yesno answer must start with 是/否")
                pol[(a, r["split"])] += 1
            ev = r["evidence"]
            if not (isinstance(ev, list) and 1 <= len(ev) <= 3):
                P(rid + ": 1-3 evidence strings needed")
                continue
            ev_docs = set()
            for s in ev:
                if not (15 <= len(s) <= 80):
                    P("%s: evidence length %d: %s" % (rid, len(s), s))
                if "*" in s or "#" in s:
                    P(rid + ": evidence has * or #: " + s)
                hits = [(f, i) for f, ls in bulletins.items() for i, l in enumerate(ls) if s in l]
                if not hits:
                    P(rid + ": evidence not within one line of a bulletin: " + s)
                    continue
                total = sum(t.count(s) for t in lib.values())
                ntotal = sum(t.count(norm(s)) for t in libnorm.values())
                if total != 1 or ntotal != 1:
                    P("%s: evidence not unique in library (%d verbatim, %d normalised): %s" % (rid, total, ntotal, s))
                f, i = hits[0]
                d = doc_of(f, i)
                if d is None:
                    P(rid + ": evidence outside any document: " + s)
                ev_docs.add(d)
                used_docs[d] += 1
                used_files.add(f)
            for d in ev_docs:
                if d in ENGLISH_DOCS:
                    P(rid + ": document covered by english-library: " + str(d))
            if t == "multi":
                if r["article"] is not None or r["section"] is not None:
                    P(rid + ": multi rows have article/section null")
                if len(ev) < 2:
                    P(rid + ": multi needs 2+ evidence strings")
            else:
                a = r["article"]
                if a not in docs:
                    P(f"{rid}: article heading not found as printed: {a}")
                    continue
                if ev_docs != {a}:
                    P(f"{rid}: evidence in {ev_docs}, article says {a}")
                f, s0, h, e = docs[a]
                body = "\n".join(bulletins[f][s0:e])
                sec = r["section"]
                if not sec:
                    P(rid + ": section missing")
                else:
                    for part in sec.split(" > "):
                        if part not in body:
                            P(f"{rid}: section part {part!r} not in document")
                    art = sec.split(" > ")[-1]
                    if not re.fullmatch(r"第[一二三四五六七八九十百]+条", art):
                        P(rid + ": section should end with the article number")
        elif r["answerable"] is False:
            if r["type"] != "unanswerable":
                P(rid + ": type must be unanswerable")
            if r["article"] is not None or r["section"] is not None or r["evidence"] != []:
                P(rid + ": unanswerable rows have article/section null and evidence []")
            k = r.get("kind")
            if k not in KINDS:
                P(rid + ": bad kind " + str(k))
            kinds[(k, r["split"])] += 1
            st = r["expected_status"]
            if st not in ("not_stated", "not_found"):
                P(rid + ": bad expected_status")
            want_st = "not_found" if k in ("region_not_covered", "document_absent", "off_topic") else "not_stated"
            if st != want_st:
                P(f"{rid}: kind {k} should have status {want_st}")
            if rid not in ABSENT:
                P(rid + ": no absence check recorded")
            for scope, pat in ABSENT.get(rid, []):
                for text in scope_lines(scope):
                    m = re.search(pat, nfkc(text))
                    if m:
                        P(f"{rid}: term {pat!r} found in {scope} ({m.group(0)!r})")
                        break
            for scope, pat in PRESENT.get(rid, []):
                if not any(re.search(pat, nfkc(t)) or re.search(pat, t) for t in scope_lines(scope)):
                    P(f"{rid}: expected {pat!r} in {scope}")
        else:
            P(rid + ": answerable must be true/false")
        status[r.get("expected_status")] += 1

    ans = sum(types.values())
    una = sum(kinds.values())
    if len(rows) != 60 or ans != 45 or una != 15:
        P("expected 60 rows (45 answerable, 15 unanswerable), got %d (%d, %d)" % (len(rows), ans, una))
    for t, c in EXPECTED_TYPES.items():
        if types[t] != c:
            P("type %s: %d rows, expected %d" % (t, types[t], c))
        a, b = split_type[(t, "tune")], split_type[(t, "test")]
        if abs(a - b) > 1:
            P("type %s unbalanced between splits: %d/%d" % (t, a, b))
    for k in {k for k, _ in kinds}:
        a, b = kinds[(k, "tune")], kinds[(k, "test")]
        if abs(a - b) > 1:
            P("kind %s unbalanced between splits: %d/%d" % (k, a, b))
    if not (pol[("是", "tune")] + pol[("是", "test")] and pol[("否", "tune")] + pol[("否", "test")]):
        P("yes/no polarity not mixed")
    if splits["tune"] != 30 or splits["test"] != 30:
        P(f"split counts {dict(splits)}")
    if len(used_docs) < 10:
        P("only %d documents" % len(used_docs))
    if len(used_files) < 8:
        P("only %d issue files" % len(used_files))

    print("rows: %d  answerable %d, unanswerable %d" % (len(rows), ans, una))
    print("  by type: " + ", ".join("%s %d" % kv for kv in sorted(types.items())))
    print(
        "  by type and split (tune/test): "
        + ", ".join("%s %d/%d" % (t, split_type[(t, "tune")], split_type[(t, "test")]) for t in sorted(types))
    )
    kk = sorted({k for k, _ in kinds})
    print(
        "  unanswerable by kind (tune/test): " + ", ".join("%s %d/%d" % (k, kinds[(k, "tune")], kinds[(k, "test")]) for k in kk)
    )
    print("  yes/no polarity: " + ", ".join("%s %s %d" % (a, s, c) for (a, s), c in sorted(pol.items())))
    print("  expected_status: " + ", ".join("%s %d" % kv for kv in sorted(status.items())))
    print("  split: " + ", ".join("%s %d" % kv for kv in sorted(splits.items())))
    print("  documents: %d in %d issue files" % (len(used_docs), len(used_files)))
    for d, c in sorted(used_docs.items(), key=lambda x: (docs[x[0]][0] if x[0] in docs else "", x[0] or "")):
        print("    %s  %s  (%d evidence strings)" % (docs[d][0] if d in docs else "?", d, c))
    if problems:
        print("\nPROBLEMS (%d):" % len(problems))
        for p in problems:
            print("  - " + p)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
