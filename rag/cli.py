"""Command line: python -m rag build | search | ask | chat | digest | lookup | versions | list | targets | add | remove | eval."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from rag.config import Settings
from rag.models.llm import LLM_CHOICES
from rag.references import FORMATS as CITE_FORMATS
from rag.serialize import answer_json, passage_json, provision_json


def quiet_libraries() -> None:
    """Offline, and without the progress bars and warnings of libraries: entry points call this first.
    Environment variables, not imports: importing transformers to silence it costs a second a start."""
    for name, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_VERBOSITY": "error",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        os.environ.setdefault(name, value)


def _settings(args) -> Settings:
    return Settings.from_env(index_dir=args.index_dir, embedding_model=args.model, llm=getattr(args, "llm", None))


class _Bar:
    """Embedding progress on stderr (a progress callback for build_index)."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, desc="Embedding passages and sentences", unit="text", file=sys.stderr, disable=None)

    def __call__(self, done: int, total: int) -> None:
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _watch_reading(settings: Settings):
    """A Control that says, on a terminal, which file the ingest worker is reading when it takes a while.
    Off a terminal it says nothing: a refused file's message stays one line."""
    from rag.ingest.control import Control

    shown: set[str] = set()

    def reading(label: str, seconds: float) -> None:
        if seconds >= 2 and label not in shown and sys.stderr.isatty():
            shown.add(label)
            print(f"Reading {label} (refused past {settings.ingest_timeout_s:g} s)…", file=sys.stderr, flush=True)

    return Control(on_parse=reading)


def _report_build(settings: Settings, index, seconds: float) -> None:
    n_articles = sum(len(e["articles"]) for e in index.manifest.corpus)
    print(
        f"Indexed {len(index.manifest.corpus)} bulletin(s), {n_articles} articles, {len(index.chunks)} chunks "
        f"into {settings.index_dir} in {seconds:.1f} s",
        file=sys.stderr,
    )


def _retriever(settings: Settings):
    from rag.library import open_library
    from rag.models.embedder import load_embedder
    from rag.retrieve import Retriever

    embedder = load_embedder(settings)
    bar, t0 = _Bar(), time.perf_counter()
    index = open_library(settings, embedder, bar)
    bar.close()
    if bar.bar.total:  # it had to be built
        _report_build(settings, index, time.perf_counter() - t0)
    return Retriever(index, embedder, settings)


def _filter_args(p: argparse.ArgumentParser) -> None:
    from rag.filters import Filters

    for _, spec in Filters.specs():
        if spec.many:
            p.add_argument(spec.flag, dest=spec.param, action="append", help=spec.help + " (repeatable)")
        else:
            p.add_argument(spec.flag, dest=spec.param, default="", help=spec.help)


def _filters(args):
    from rag.filters import Filters

    return Filters.from_params(vars(args))


def _each_question(path: Path, respond) -> int:
    """One JSON line out per {"id", "question"} line in, in order, the id copied; ``respond`` gets the
    question and its whole line (an ask line may carry "history")."""
    from rag.evaluate import read_gold

    for row in read_gold(path):
        print(json.dumps({"id": row.get("id"), **respond(row["question"], row)}, ensure_ascii=False), flush=True)
    return 0


def cmd_build(args) -> int:
    """Without files: the whole library again (the bundled bulletins and all that were added).
    With files: an index of exactly those."""
    from rag.index import build_index
    from rag.library import rebuild_library
    from rag.models.embedder import load_embedder

    settings = _settings(args)
    embedder = load_embedder(settings)
    bar, t0 = _Bar(), time.perf_counter()
    control = _watch_reading(settings)
    if args.paths:
        index = build_index(settings, embedder, [Path(p) for p in args.paths], bar, control=control)
    else:
        index = rebuild_library(settings, embedder, bar, control)
    bar.close()
    _report_build(settings, index, time.perf_counter() - t0)
    return 0


def cmd_search(args) -> int:
    settings = _settings(args)
    retriever = _retriever(settings)
    filters = _filters(args)
    if args.questions:

        def respond(question: str, _row: dict) -> dict:
            return {"question": question, "passages": [passage_json(p) for p in retriever.search(question, args.top_k, filters)]}

        return _each_question(Path(args.questions), respond)
    if args.question is None:
        raise SystemExit("search: give a question, or --questions FILE.jsonl")
    passages = retriever.search(args.question, args.top_k, filters)
    if args.cite:
        return _print_references([p.chunk for p in passages], args.cite)
    if args.json:
        out = {"question": args.question, "passages": [passage_json(p) for p in passages]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not passages:
        print("No passages found.")
    for p in passages:
        c = p.chunk
        print(f"[{p.rank}] {c.place()}  ({c.issues_text()}; {c.where()}; score {p.score:.4f})")
        print("    " + c.text.replace("\n", "\n    ")[:400] + ("…" if len(c.text) > 400 else ""))
        print()
    return 0


def _answerer(settings: Settings):
    from rag.answer.pipeline import Answerer
    from rag.models.llm import load_llm

    retriever = _retriever(settings)
    return Answerer(retriever, settings, load_llm(settings))


def _print_answer(a, streamed: str) -> None:
    from rag.types import Answer

    assert isinstance(a, Answer)
    print()
    if a.text != streamed.strip() and not a.refused:
        # Checked after the stream: the answer as finally cited, or the quote that replaced it.
        print(f"{'Quoted instead' if a.mode == 'extractive' else 'Citations checked'}: {a.text}")
    for n, p in enumerate(a.citations, 1):
        c = p.chunk
        print(f"[{n}] {c.place()}  ({c.issues_text()}; {c.where()})")
        for h in (h for h in a.highlights if h.citation == n):
            print(f"    「{c.text[h.start : h.end]}」")
    if a.refused and a.passages:
        print("Closest passages:")
        for p in a.passages[:3]:
            print(f"  - {p.chunk.place()}: {p.chunk.text[:80].replace(chr(10), ' ')}…")
    for f in a.flags:
        if not a.refused:
            print(f"note: {f}")
    t = a.timings
    extra = f", first words {t['first_token']:.1f} s" if "first_token" in t else ""
    print(f"({a.mode}; {a.status}; {t.get('total', 0):.1f} s{extra})", file=sys.stderr)


def cmd_ask(args) -> int:
    from rag.conversation import chat
    from rag.errors import UserError

    settings = _settings(args)
    answerer = _answerer(settings)
    filters = _filters(args)
    if args.questions:

        def respond(question: str, row: dict) -> dict:
            # A line may carry the conversation before it: "history": [{"question", "answer"?}, …].
            try:
                return answer_json(chat.answer(answerer, question, row.get("history"), filters))
            except UserError as exc:
                return {"question": question, "error": str(exc)}

        return _each_question(Path(args.questions), respond)
    if args.question is None:
        raise SystemExit("ask: give a question, or --questions FILE.jsonl")
    if args.json:
        print(json.dumps(answer_json(answerer.answer(args.question, filters)), ensure_ascii=False, indent=2))
        return 0
    if args.cite:
        return _print_references([p.chunk for p in answerer.answer(args.question, filters).citations], args.cite)
    streamed = ""
    for event in answerer.stream(args.question, filters):
        if isinstance(event, str):
            streamed += event
            print(event, end="", flush=True)
        else:
            _print_answer(event, streamed)
    return 0


def cmd_chat(args) -> int:
    """An interactive conversation in the terminal: each question is resolved against the ones before
    (理解为：… when it was a follow-up), answered with its citations; 新对话 (or :new) starts over, :q or
    end of input leaves. Reads plain lines, so a conversation can be piped in."""
    from rag.conversation import chat
    from rag.errors import UserError
    from rag.types import Answer

    settings = _settings(args)
    answerer = _answerer(settings)
    filters = _filters(args)
    history: list = []
    interactive = sys.stdin.isatty()
    if interactive:
        print("提问（新对话 / :new 重新开始，:q 退出）", file=sys.stderr)
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            break
        question = line.strip()
        if question in (":q", ":quit", "exit"):
            break
        if question in ("新对话", ":new", "/new"):
            history = []
            print("（新对话）", flush=True)
            continue
        if not question:
            continue
        if not interactive:
            print(f"> {question}")
        streamed = ""
        try:
            t0 = time.perf_counter()
            resolution = chat.resolve(answerer, question, history)
            if resolution.changed:
                print(f"理解为：{resolution.question}", flush=True)
            for event in chat.stream_resolved(answerer, resolution, filters, time.perf_counter() - t0):
                if isinstance(event, Answer):
                    _print_answer(event, streamed)
                    history.append(chat.turn_of(event))
                else:
                    streamed += event
                    print(event, end="", flush=True)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
        print(flush=True)
    return 0


def cmd_serve(args) -> int:
    """The OpenAI-compatible API (rag/api/openai_compat.py) over the one service object, with uvicorn."""
    import uvicorn
    from fastapi import FastAPI

    from rag.api.openai_compat import openai_router
    from rag.service import Service

    service = Service(_settings(args))
    service.start(_Bar())
    if service.problem:
        raise ValueError(f"the index cannot be used: {service.problem}")
    app = FastAPI(title="bulletin-rag")
    app.include_router(openai_router(service))
    uvicorn.run(app, host=args.host, port=args.port)
    return 0


def _print_references(chunks, fmt: str) -> int:
    """The cited passages' references alone (GB/T 7714, BibTeX or RIS), each work once."""
    from rag.references import export

    sys.stdout.write(export(chunks, fmt))
    return 0


def _index(settings: Settings):
    """The index as it is, for commands that need no embedder unless they must build."""
    from rag.index import load_index
    from rag.store.manifest import IndexMissing

    try:
        return load_index(settings)
    except IndexMissing:
        return _retriever(settings).index


def cmd_digest(args) -> int:
    """本期要点 of one issue (default: the latest): each article's issuing body, date, kind, main points and
    figures, cited [n]; extractive unless --llm local|openai (then written by the model and grounded)."""
    from rag.digest import build_digest
    from rag.digest.render import digest_json, digest_markdown, digest_text
    from rag.models.llm import load_llm

    settings = _settings(args)
    index = _index(settings)
    llm = load_llm(settings) if settings.llm != "none" else None
    digest = build_digest(index.chunks, index.targets, args.issue, llm, settings.prompts_dir)
    if args.json:
        print(json.dumps(digest_json(digest), ensure_ascii=False, indent=2))
    elif args.markdown:
        sys.stdout.write(digest_markdown(digest))
    else:
        sys.stdout.write(digest_text(digest))
        print(f"({digest.mode}; {digest.seconds:.2f} s)", file=sys.stderr)
    return 0


def cmd_lookup(args) -> int:
    from rag.lookup import lookup

    settings = _settings(args)
    found = lookup(_index(settings).chunks, args.reference, args.limit, settings.max_query_chars)
    if args.json:
        out = {"reference": args.reference, "results": [provision_json(p) for p in found]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No provision or quote matches.")
        return 1
    for p in found:
        c = p.chunk
        how = "provision" if p.how == "provision" else f"quote {p.score:.0f}%"
        print(f"§ {c.place(p.section)}  ({c.issues_text()}; {c.where(p.start, p.end)}; {how})")
        print("    " + p.text.replace("\n", "\n    "))
        print()
    return 0


def cmd_versions(args) -> int:
    """The versions of a document across issues (征求意见稿, 试行, 现行 …) and what changed between them."""
    from rag.serialize import versions_json
    from rag.versions import Catalogue

    settings = _settings(args)
    groups = Catalogue(_index(settings).chunks).find(args.title, args.limit)
    out = [versions_json(g) for g in groups]
    if args.json:
        print(json.dumps({"title": args.title, "documents": out}, ensure_ascii=False, indent=2))
        return 0
    if not out:
        print("No document with that title.")
        return 1
    for g in out:
        print(f"《{g['title']}》")
        for v in g["versions"]:
            print(f"  {v['issue_id']:<10}{v['issue_date']:<12}{v['status']:<7}{v['title']}  ({v['provisions']} provisions)")
        for d in g["diffs"]:
            print(
                f"  {d['from']} → {d['to']}: {len(d['added'])} added, {len(d['removed'])} removed, "
                f"{len(d['changed'])} changed, {d['unchanged']} unchanged"
            )
            for p in d["added"]:
                print(f"    + {p['number'] or p['section']}: {p['text'][:60]}")
            for p in d["removed"]:
                print(f"    - {p['number'] or p['section']}: {p['text'][:60]}")
            for c in d["changed"]:
                moved = f"{c['old_number']} → {c['new_number']}" if c["renumbered"] else c["new_number"] or c["new_section"]
                figures = "; ".join(f["text"] for f in c["figures"])
                what = "renumbered" if not c["text_changed"] else (figures or "reworded")
                print(f"    ~ {moved}: {what}")
        print()
    return 0


def cmd_list(args) -> int:
    from rag.library import bulletins

    rows = bulletins(_index(_settings(args)))
    if args.json:
        print(json.dumps([vars(b) for b in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'issue':<14}{'date':<12}{'articles':>9}{'chunks':>8}  label / file")
    for b in rows:
        print(f"{b.issue_id:<14}{b.date:<12}{b.articles:>9}{b.chunks:>8}  {b.label} / {b.path}")
    return 0


def _read_targets(settings: Settings):
    """The targets table of the index, read without the embedding model; built first when there is no index."""
    from rag.store.manifest import IndexMismatch, IndexMissing
    from rag.store.targets import read_targets

    try:
        manifest, rows = read_targets(settings.index_dir)
    except IndexMissing:
        quiet_libraries()
        _retriever(settings)
        manifest, rows = read_targets(settings.index_dir)
    if stale := manifest.stale_sources():
        raise IndexMismatch(f"the index is out of date: {', '.join(stale)} changed since it was built")
    return rows


def cmd_targets(args) -> int:
    from rag.serialize import targets_json
    from rag.targets import select
    from rag.targets.export import groups_text, table_text, to_csv, write_xlsx

    rows = _read_targets(_settings(args))
    rows = select(rows, args.region or (), args.year or (), args.kind or (), args.issue or (), args.indicator or "")
    if args.json:
        print(json.dumps(targets_json(rows, args.group), ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    elif args.xlsx:
        write_xlsx(rows, Path(args.xlsx))
        print(f"Wrote {len(rows)} rows to {args.xlsx}", file=sys.stderr)
    elif args.group:
        print(groups_text(targets_json(rows, grouped=True)))
    else:
        print(table_text(rows))
        print(f"{len(rows)} rows", file=sys.stderr)
    return 0


def cmd_add(args) -> int:
    from rag.files import sha256_file
    from rag.library import add_bulletin

    settings = _settings(args)
    retriever = _retriever(settings)
    index = retriever.index
    meta = {"name": args.title, "number": args.number, "total_number": args.total_number, "date": args.date}
    if any(meta.values()) and len(args.paths) > 1:
        raise ValueError("--title, --number, --total-number and --date describe one bulletin: add one file at a time")
    for path in args.paths:
        t0 = time.perf_counter()
        index = add_bulletin(settings, retriever.embedder, index, Path(path), meta=meta, control=_watch_reading(settings))
        digest = sha256_file(path)
        e = next(e for e in index.manifest.corpus if e["sha256"] == digest)
        reprinted = f", {e['reprinted']} passages already printed in earlier issues" if e.get("reprinted") else ""
        print(
            f"Added {e['label']} ({e['issue_id']}): {len(e['articles'])} articles, {e['chunks']} chunks{reprinted} "
            f"in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
    return 0


def cmd_remove(args) -> int:
    from rag.library import remove_bulletin

    settings = _settings(args)
    retriever = _retriever(settings)
    remove_bulletin(settings, retriever.embedder, retriever.index, args.issue)
    print(f"Removed {args.issue}.", file=sys.stderr)
    return 0


def cmd_eval(args) -> int:
    from rag.evaluate import evaluate_retrieval, read_gold

    settings = _settings(args)
    if args.targets:
        return _eval_targets(settings, Path(args.targets), args.source, args.json)
    if args.conversations:
        return _eval_conversations(settings, Path(args.conversations), args.split or "tune", args.json)
    if not args.gold:
        raise SystemExit("eval: give --gold FILE (questions), --conversations FILE or --targets FILE (targets labels)")
    # Tune on one part, report on the other: a file without splits has no such rows.
    gold = _in_split(read_gold(Path(args.gold)), args.split, args.gold, unsplit=None)
    if args.answers:
        return _eval_answers(settings, gold, args.json)
    retriever = _retriever(settings)
    report = evaluate_retrieval(gold, lambda q: retriever.search(q, 10))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
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
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
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


def _eval_conversations(settings: Settings, path: Path, split: str, as_json: bool) -> int:
    """Follow-ups of two-turn conversations (eval/conversations.jsonl): answered with their history, alone and
    as the gold standalone question; resolution agreement; topic changes left alone (rag.conversation.evaluate)."""
    from rag.conversation import chat
    from rag.conversation.evaluate import evaluate_conversations, report_text
    from rag.evaluate import read_gold

    rows = _in_split(read_gold(path), split, path, unsplit="tune")
    answerer = _answerer(settings)
    report = evaluate_conversations(rows, lambda q, h: chat.answer(answerer, q, h), answerer.judge)
    report |= {"file": str(path), "split": split, "mode": answerer.mode}
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{path} (split {split}, {answerer.mode})")
    print(report_text(report))
    return 0


def _eval_answers(settings: Settings, gold: list[dict], as_json: bool) -> int:
    from rag.evaluate import evaluate_answers

    answerer = _answerer(settings)
    report = evaluate_answers(gold, answerer.answer)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    cols = [
        ("citation_recall", "cite-rec"),
        ("false_refusal", "false-ref"),
        ("numeric_correct", "numeric"),
        ("verdict_correct", "yes/no"),
        ("refusal_accuracy", "refusal"),
        ("status_match", "status"),
    ]
    print(f"answers ({answerer.mode}) on {report['questions']} questions")
    print(f"{'type':<20}{'n':>4}" + "".join(f"{h:>10}" for _, h in cols))

    def line(name: str, m: dict) -> str:
        return f"{name:<20}{m['n']:>4}" + "".join(f"{m[k]:>10.3f}" if k in m else f"{'-':>10}" for k, _ in cols)

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


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m rag", description="Question answering over 大数据发展动态 bulletins.")
    ap.add_argument("--index-dir", type=Path, help="index folder (default: ./index or $RAG_INDEX_DIR)")
    ap.add_argument("--model", type=Path, help="a local sentence-transformers folder (default: bundled multilingual-e5-small)")
    ap.add_argument("-v", "--verbose", action="store_true")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="rebuild the index of the whole library (or, given files, of exactly those)")
    b.add_argument("paths", nargs="*", help="bulletin files (.md, .txt, .pdf, .docx); default: the bundled ones and all added")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("search", help="ranked passages for a question")
    s.add_argument("question", nargs="?")
    s.add_argument("--top-k", type=int, default=5)
    s.add_argument("--json", action="store_true", help="JSON output")
    s.add_argument("--questions", help="JSONL file of {'id', 'question'}: one JSON line out per line in")
    s.add_argument("--cite", choices=CITE_FORMATS, help="print only the references of the passages: gbt (GB/T 7714), bibtex, ris")
    _filter_args(s)
    s.set_defaults(func=cmd_search)

    a = sub.add_parser("ask", help="a short answer with citations (streams as it is written)")
    a.add_argument("question", nargs="?")
    a.add_argument("--llm", choices=LLM_CHOICES, help="none: extractive (default); local: llama.cpp; openai: endpoint")
    a.add_argument("--json", action="store_true", help="JSON output")
    a.add_argument(
        "--questions",
        help="JSONL file of {'id', 'question', 'history'?: [{'question', 'answer'?}, …]}: one JSON line out per line in",
    )
    a.add_argument("--cite", choices=CITE_FORMATS, help="print only the references of the cited passages: gbt, bibtex, ris")
    _filter_args(a)
    a.set_defaults(func=cmd_ask)

    ch = sub.add_parser("chat", help="a conversation in the terminal: follow-up questions understood against earlier ones")
    ch.add_argument("--llm", choices=LLM_CHOICES, help="none: extractive (default); local: llama.cpp; openai: endpoint")
    _filter_args(ch)
    ch.set_defaults(func=cmd_chat)

    sv = sub.add_parser("serve", help="an OpenAI-compatible API: GET /v1/models, POST /v1/chat/completions")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000)
    sv.set_defaults(func=cmd_serve)

    dg = sub.add_parser("digest", help="本期要点: each article of an issue — what it is, its main points and figures, cited")
    dg.add_argument("issue", nargs="?", help="issue id as `list` shows it (default: the latest issue)")
    dg.add_argument("--llm", choices=LLM_CHOICES, help="none: quoted points (default); local or openai: written by the model")
    out_dg = dg.add_mutually_exclusive_group()
    out_dg.add_argument("--json", action="store_true", help="JSON output")
    out_dg.add_argument("--markdown", action="store_true", help="Markdown output (what the app downloads)")
    dg.set_defaults(func=cmd_digest)

    lk = sub.add_parser("lookup", help="a provision (云南 第二十二条, 第22条, （十三）) or a quoted phrase, in full")
    lk.add_argument("reference")
    lk.add_argument("--limit", type=int, default=5)
    lk.add_argument("--json", action="store_true", help="JSON output")
    lk.set_defaults(func=cmd_lookup)

    vs = sub.add_parser("versions", help="a document's versions across issues and what changed between them")
    vs.add_argument("title", help="the document's title, or part of it (with or without 征求意见稿 / 试行)")
    vs.add_argument("--limit", type=int, default=5)
    vs.add_argument("--json", action="store_true", help="JSON output (the /versions API's shape)")
    vs.set_defaults(func=cmd_versions)

    ls = sub.add_parser("list", help="the bulletins in the index")
    ls.add_argument("--json", action="store_true", help="JSON output")
    ls.set_defaults(func=cmd_list)

    t = sub.add_parser("targets", help="the quantitative values of the bulletins: targets, statistics, time limits")
    t.add_argument("--region", action="append", help="only this region (河南, 全国, 东部地区; repeatable)")
    t.add_argument("--year", action="append", help="only this year: a target's deadline, a statistic's period (repeatable)")
    t.add_argument("--kind", action="append", help="target, statistic, time_limit or other (repeatable)")
    t.add_argument("--issue", action="append", help="only this issue (id such as 2023-51; repeatable)")
    t.add_argument("--indicator", help="only indicators (or sentences) containing this text")
    t.add_argument("--group", action="store_true", help="one entry per indicator and region across issues, changes first")
    out = t.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="a JSON list (the /targets API's shape)")
    out.add_argument("--csv", action="store_true", help="CSV on standard output")
    out.add_argument("--xlsx", metavar="FILE", help="an Excel workbook")
    t.set_defaults(func=cmd_targets, light=True)

    ad = sub.add_parser("add", help="add bulletin files to the index (only their passages are embedded)")
    ad.add_argument("paths", nargs="+", help=".md, .txt (UTF-8 or GB18030/GBK), .pdf (with a text layer) or .docx")
    ad.add_argument("--title", help="bulletin name, when the masthead has none (大数据发展动态)")
    ad.add_argument("--number", help="期号, when neither the masthead nor the file name states it")
    ad.add_argument("--total-number", help="总期号")
    ad.add_argument("--date", help="issue date, 2024-01-05")
    ad.set_defaults(func=cmd_add)

    rm = sub.add_parser("remove", help="remove a bulletin from the index (issue id as `list` shows it)")
    rm.add_argument("issue")
    rm.set_defaults(func=cmd_remove)

    e = sub.add_parser("eval", help="retrieval, answer (--answers) or targets (--targets) metrics on gold labels")
    e.add_argument("--gold", help="JSONL with question, type, evidence, answerable")
    e.add_argument("--targets", help="targets labels (eval/targets.jsonl): precision and recall per kind")
    e.add_argument("--conversations", help="two-turn conversations (eval/conversations.jsonl): follow-up answers and resolution")
    e.add_argument(
        "--split",
        choices=("tune", "test", "all"),
        help="rows of that split only (their 'split' field): default tune for --conversations, all for --gold",
    )
    e.add_argument("--source", type=Path, help="the bulletin the targets labels describe (default: the bundled one)")
    e.add_argument("--answers", action="store_true", help="score answers: citations, refusals, numbers")
    e.add_argument("--llm", choices=LLM_CHOICES, help="answer backend for --answers (default: none)")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_eval)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not getattr(args, "light", False):  # commands that load no model skip importing transformers (≈0.6 s)
        quiet_libraries()
    from rag.errors import UserError

    try:
        return args.func(args)
    # OSError and ValueError: a file that cannot be read, a setting or argument that makes no sense.
    except (UserError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
