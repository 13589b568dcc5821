"""`rag eval`: retrieval, answers, conversations (through the one service) and the targets extractor, against
gold labels; each report as a table or as JSON."""

from __future__ import annotations

import time
from pathlib import Path

from rag.cli.common import print_json, service_of
from rag.config import Settings


def cmd_eval(args) -> int:
    from rag.cli.common import settings_of
    from rag.evaluate import evaluate_retrieval, read_gold

    if args.suite:
        return _eval_suite(settings_of(args), args.suite, args.cache, args.json)
    if args.targets:
        return _eval_targets(settings_of(args), Path(args.targets), args.source, args.json)
    if args.conversations:
        return _eval_conversations(args, Path(args.conversations), args.split or "tune")
    if args.lists:
        return _eval_lists(args, Path(args.lists))
    if not args.gold:
        raise SystemExit("eval: give --gold FILE (questions), --conversations FILE or --targets FILE (targets labels)")
    # Tune on one part, report on the other: a file without splits has no such rows.
    gold = _in_split(read_gold(Path(args.gold)), args.split, args.gold, unsplit=None)
    if args.answers:
        return _eval_answers(args, gold)
    service = service_of(args)
    report = evaluate_retrieval(gold, lambda q: service.search(q, 10))
    if args.json:
        return print_json(report)
    o = report["overall"]
    print(f"{report['scored']} answerable questions of {report['questions']}")
    print(f"{'type':<14}{'n':>4}{'hit@1':>8}{'hit@5':>8}{'rec@5':>8}{'MRR@10':>8}")
    print(f"{'overall':<14}{report['scored']:>4}{o['hit@1']:>8.3f}{o['hit@5']:>8.3f}{o['recall@5']:>8.3f}{o['mrr@10']:>8.3f}")
    for t, m in report["per_type"].items():
        print(f"{t:<14}{m['n']:>4}{m['hit@1']:>8.3f}{m['hit@5']:>8.3f}{m['recall@5']:>8.3f}{m['mrr@10']:>8.3f}")
    cc, lat = report["chunk_chars"], report["latency_ms"]
    print(f"passage length: mean {cc['mean']} chars, max {cc['max']}; latency median {lat['median']} ms, p95 {lat['p95']} ms")
    if report["misses"]:
        print("not in top 5: " + ", ".join(map(str, report["misses"])))
    return 0


def _eval_suite(settings: Settings, suite_path: Path, cache: Path | None, as_json: bool) -> int:
    """The quality floors (rag.quality): each library built once into the cache, then every check; exit 1
    when a figure is below its floor."""
    from dataclasses import asdict

    from rag.quality import Suite, run_suite

    suite = Suite.read(suite_path)
    result = run_suite(suite, settings, cache or Path(settings.cache_dir) / "suite")
    if as_json:
        print_json({"figures": [asdict(f) | {"ok": f.ok} for f in result.figures], "failed": len(result.failed)})
    else:
        print(result.table())
        print(f"{len(result.failed)} figure(s) below their floor" if result.failed else "every figure at or above its floor")
    return 1 if result.failed else 0


def _in_split(rows: list[dict], split: str | None, path, unsplit: str | None) -> list[dict]:
    """The rows of one split (their "split" field; ``unsplit`` for a row without one), or all of them."""
    if split in (None, "all"):
        return rows
    kept = [r for r in rows if r.get("split", unsplit) == split]
    if not kept:
        raise ValueError(f"{path} has no rows in split {split!r}")
    return kept


def _eval_targets(settings: Settings, labels: Path, source: Path | None, as_json: bool) -> int:
    """Precision and recall of the extracted rows, per kind, against hand labels of one bulletin (by
    default the bundled one): what a build stores for that file."""
    from rag.index import parse_file
    from rag.targets import extract_targets
    from rag.targets.score import read_labels, score

    source = Path(source) if source else settings.corpus[0]
    gold = read_labels(labels)
    t0 = time.perf_counter()
    issue = parse_file(source)
    t1 = time.perf_counter()
    rows = extract_targets(issue)
    report = {"labels": str(labels), "source": str(source), **score(gold, rows)}
    report["seconds"] = {"parse": round(t1 - t0, 3), "extract": round(time.perf_counter() - t1, 3)}
    if as_json:
        return print_json(report)
    print(f"targets table of {source.name} against {labels} ({report['gold']} labelled values, {report['extracted']} rows)")
    print(f"{'kind':<12}{'gold':>6}{'rows':>6}{'right':>7}{'precision':>11}{'recall':>8}")
    for kind, m in report["per_kind"].items():
        p = "-" if m["precision"] is None else f"{m['precision']:.3f}"
        r = "-" if m["recall"] is None else f"{m['recall']:.3f}"
        print(f"{kind:<12}{m['gold']:>6}{m['extracted']:>6}{m['right']:>7}{p:>11}{r:>8}")
    print(f"values found under any kind: {report['values_found']}")
    for name in ("missed", "wrong"):
        for x in report[name]:
            print(f"{name}: {x['kind']} {x['value']}{x['unit']} {x['year'] or ''} ({x['article'][:20]}) ×{x['count']}")
    s = report["seconds"]
    print(f"parse {s['parse']:.3f} s, extract {s['extract']:.3f} s")
    return 0


def _eval_lists(args, path: Path) -> int:
    """List questions: the documents each answer names against those whose text answers (rag.evaluate.evaluate_lists)."""
    from rag.evaluate import evaluate_lists, read_gold

    service = service_of(args)
    report = evaluate_lists(read_gold(path), lambda q: service.answer(q))
    if args.json:
        return print_json(report)
    for r in report["answers"]:
        mark = "ok" if r["exact"] else f"missed {r['missed']} wrong {r['wrong']}"
        print(f"{r['id']:<5} P {r['precision']:.2f} R {r['recall']:.2f} checked {r['checked']:>3}  {r['question']}  {mark}")
    o, lat = report["overall"], report["latency_ms"]
    print(f"overall ({report['questions']} questions): precision {o['precision']:.3f}  recall {o['recall']:.3f}  "
          f"exact {o['exact']:.3f}  answered over the catalogue {o['listed']:.3f}")  # fmt: skip
    print(f"latency median {lat['median']} ms, p95 {lat['p95']} ms")
    return 0


def _eval_conversations(args, path: Path, split: str) -> int:
    """Follow-ups of two-turn conversations (eval/conversations.jsonl): answered with their history, alone and
    as the gold standalone question; resolution agreement; topic changes left alone (rag.conversation.evaluate)."""
    from rag.conversation.evaluate import evaluate_conversations, report_text
    from rag.evaluate import read_gold
    from rag.service import mode_of

    rows = _in_split(read_gold(path), split, path, unsplit="tune")
    service = service_of(args)
    mode = mode_of(service.settings.llm)
    answerer = service.answerer(mode)
    report = evaluate_conversations(rows, lambda q, h: service.answer(q, None, mode, h), answerer.judge)
    report |= {"file": str(path), "split": split, "mode": answerer.mode}
    if args.json:
        return print_json(report)
    print(f"{path} (split {split}, {answerer.mode})")
    print(report_text(report))
    return 0


ANSWER_COLUMNS = [
    ("citation_recall", "cite-rec"),
    ("false_refusal", "false-ref"),
    ("numeric_correct", "numeric"),
    ("verdict_correct", "yes/no"),
    ("refusal_accuracy", "refusal"),
    ("status_match", "status"),
]


def _eval_answers(args, gold: list[dict]) -> int:
    from rag.evaluate import evaluate_answers
    from rag.service import mode_of

    service = service_of(args)
    mode = mode_of(service.settings.llm)
    written_by = service.answerer(mode).mode
    report = evaluate_answers(gold, lambda q: service.answer(q, mode=mode))
    if args.json:
        return print_json(report)
    print(f"answers ({written_by}) on {report['questions']} questions")
    print(f"{'type':<20}{'n':>4}" + "".join(f"{h:>10}" for _, h in ANSWER_COLUMNS))

    def line(name: str, m: dict) -> str:
        return f"{name:<20}{m['n']:>4}" + "".join(f"{m[k]:>10.3f}" if k in m else f"{'-':>10}" for k, _ in ANSWER_COLUMNS)

    print(line("overall", report["overall"]))
    for t, m in report["per_type"].items():
        print(line(t, m))
    for kind, m in report["per_kind"].items():  # the unanswerable questions by kind
        print(line(f"  {kind}", m))
    for group, counts in report["status"].items():
        print(f"status of {group} questions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lat, first = report["latency_ms"], report["first_token_ms"]
    print(
        f"time per answer: median {lat['median']} ms, p95 {lat['p95']} ms"
        + (f"; first words median {first['median']} ms" if first else "")
    )
    print(f"lowest relevance of an answerable question: {report['lowest_answerable_relevance']}")
    print("answers written by: " + ", ".join(f"{k} {v}" for k, v in report["written_by"].items()))
    return 0
