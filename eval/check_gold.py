#!/usr/bin/env python3
"""Check a gold question file (JSONL) against the corpus it quotes.

Usage: python eval/check_gold.py eval/heldout.jsonl [--corpus data/bulletin-2023-51.md]
       python eval/check_gold.py ../shared/eval/dev.jsonl --dev-format

Standard library only. Exits 1 and lists every problem if any row fails;
otherwise prints counts per type, kind, split, lang and expected_status.
"""

import argparse
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, os.pardir, "data", "bulletin-2023-51.md")

REQUIRED = ("id", "question", "lang", "type", "article", "section", "evidence", "answer", "answerable")
TYPES = {"fact", "numeric", "paraphrase", "locate", "clause", "multi", "english", "meta", "yesno", "unanswerable"}
KINDS = {"wrong_period", "detail_not_given", "region_not_covered", "no_such_provision", "document_detail", "off_topic"}
STATUSES = {"answered", "not_stated", "not_found"}
# Types whose rows point at no single article. A multi row may name one
# article when all its passages lie in it (as dev q118 does), else null.
NO_ARTICLE = {"meta", "unanswerable"}
# Article titles as the dev set spells them.
ARTICLES = {
    "“数据要素×”三年行动计划（2024—2026年）（征求意见稿）",
    "关于加快推进视听电子产业高质量发展的指导意见",
    "重庆市 AI 及服务机器人产业集群高质量发展行动计划（2023—2027 年）",
    "北京市关于推动科技企业孵化器创新发展的指导意见",
    "河南省加快数字化转型推动制造业高端化智能化绿色化发展行动计划（2023—2025年）",
    "安徽省数字基础设施建设发展三年行动方案（2023—2025年）",
    "云南省公共数据管理办法（试行）",
    "2023年1—11月份通信业经济运行情况",
    "人工智能知识产权法律问题研究报告（2023 年）",
}
EVIDENCE_MIN, EVIDENCE_MAX = 8, 80  # outside this: a warning, not an error


def check(path, corpus_path, dev_format=False):
    with open(corpus_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    errors, warnings = [], []
    ids = set()
    counts = {k: collections.Counter() for k in ("type", "kind", "split", "lang", "expected_status", "answerable")}
    cross = collections.Counter()  # (type or kind, split)
    n = 0
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            where = f"line {lineno}"
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: invalid JSON ({e})")
                continue
            if not isinstance(row, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            n += 1
            where = f"line {lineno} ({row.get('id', '?')})"

            def err(msg, where=where):
                errors.append(f"{where}: {msg}")

            for key in REQUIRED + (() if dev_format else ("split", "expected_status")):
                if key not in row:
                    err(f"missing field {key!r}")
            rid = row.get("id")
            if rid in ids:
                err(f"duplicate id {rid!r}")
            ids.add(rid)
            if not isinstance(row.get("question"), str) or not row.get("question", "").strip():
                err("empty question")
            if not isinstance(row.get("answer"), str) or not row.get("answer", "").strip():
                err("empty answer")
            if row.get("lang") not in ("zh", "en"):
                err(f"lang {row.get('lang')!r} not zh/en")
            typ = row.get("type")
            if typ not in TYPES:
                err(f"unknown type {typ!r}")
            if not dev_format and row.get("split") not in ("tune", "test"):
                err(f"split {row.get('split')!r} not tune/test")
            status = row.get("expected_status")
            if dev_format and status is None:
                # dev rows carry no status; derive it so the rest of the checks apply
                status = "answered" if row.get("answerable") else None
            elif status not in STATUSES:
                err(f"expected_status {status!r} not one of {sorted(STATUSES)}")
            answerable = row.get("answerable")
            if not isinstance(answerable, bool):
                err("answerable must be true or false")
            evidence = row.get("evidence")
            if not isinstance(evidence, list):
                err("evidence must be a list")
                evidence = []
            article = row.get("article")
            if typ in NO_ARTICLE:
                if article is not None:
                    err(f"article must be null for type {typ}")
            elif typ == "multi" and article is None:
                pass
            elif article not in ARTICLES:
                err(f"article {article!r} is not one of the nine article titles")
            if typ == "english" and row.get("lang") != "en":
                err("type english needs lang en")

            if answerable is True:
                if status != "answered":
                    err("answerable row needs expected_status 'answered'")
                if typ == "unanswerable":
                    err("answerable row has type 'unanswerable'")
                if "kind" in row:
                    err("answerable row has a 'kind'")
                if not 1 <= len(evidence) <= 3:
                    err(f"answerable row needs 1-3 evidence strings, has {len(evidence)}")
                if typ == "yesno":
                    ans = row.get("answer", "")
                    if not (ans.startswith(("是", "否")) or ans.startswith(("Yes", "No"))):
                        err("yesno answer must start with 是/否 or Yes/No")
            elif answerable is False:
                if typ != "unanswerable":
                    err("unanswerable row needs type 'unanswerable'")
                if evidence:
                    err("unanswerable row must have no evidence")
                if not dev_format and row.get("kind") not in KINDS:
                    err(f"unanswerable row needs kind in {sorted(KINDS)}, has {row.get('kind')!r}")
                if not dev_format and status not in ("not_stated", "not_found"):
                    err("unanswerable row needs expected_status not_stated or not_found")
                if row.get("kind") == "off_topic" and status != "not_found":
                    err("off_topic row needs expected_status not_found")
                if row.get("section") is not None:
                    err("unanswerable row must have section null")

            for ev in evidence:
                if not isinstance(ev, str) or not ev.strip():
                    err(f"evidence {ev!r} is not a non-empty string")
                    continue
                if "*" in ev or "#" in ev:
                    err(f"evidence contains a Markdown mark: {ev!r}")
                if "\n" in ev:
                    err(f"evidence spans lines: {ev!r}")
                hits = [i for i, ln in enumerate(lines, 1) if ev in ln]
                if not hits:
                    err(f"evidence not found verbatim within one corpus line: {ev!r}")
                if not EVIDENCE_MIN <= len(ev) <= EVIDENCE_MAX:
                    warnings.append(f"{where}: evidence length {len(ev)}: {ev!r}")

            counts["type"][typ] += 1
            counts["split"][row.get("split")] += 1
            counts["lang"][row.get("lang")] += 1
            counts["expected_status"][status] += 1
            counts["answerable"][answerable] += 1
            if answerable is False:
                counts["kind"][row.get("kind")] += 1
            cross[(row.get("kind") or typ, row.get("split"))] += 1

    if not dev_format:
        # Every kind (answerable type, unanswerable kind) must appear in both halves.
        groups = {g for g, _ in cross}
        for g in sorted(groups, key=str):
            if cross[(g, "tune")] == 0 or cross[(g, "test")] == 0:
                errors.append(f"{g}: not present in both splits (tune {cross[(g, 'tune')]}, test {cross[(g, 'test')]})")

    print(f"{path}: {n} rows")
    for name, c in counts.items():
        print(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in sorted(c.items(), key=lambda kv: str(kv[0]))))
    if not dev_format:
        print(
            "  per type/kind and split: "
            + ", ".join(f"{g} {cross[(g, 'tune')]}/{cross[(g, 'test')]}" for g in sorted({g for g, _ in cross}, key=str))
            + "  (tune/test)"
        )
    for w in warnings:
        print("warning:", w)
    if errors:
        for e in errors:
            print("ERROR:", e)
        print(f"FAILED: {len(errors)} error(s)")
        return 1
    print("OK")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument(
        "--dev-format", action="store_true", help="the shared dev format: split, expected_status and kind are not required"
    )
    args = ap.parse_args()
    sys.exit(check(args.jsonl, args.corpus, dev_format=args.dev_format))


if __name__ == "__main__":
    main()
