"""The command line's arguments: one sub-command per command, each calling its function in rag.cli."""

from __future__ import annotations

import argparse
from pathlib import Path

from rag.cli.common import filter_args
from rag.cli.documents import cmd_digest, cmd_list, cmd_lookup, cmd_targets, cmd_versions
from rag.cli.evaluate import cmd_eval
from rag.cli.library import cmd_add, cmd_build, cmd_remove
from rag.cli.questions import cmd_ask, cmd_chat, cmd_search, cmd_serve
from rag.models.llm import LLM_CHOICES
from rag.references import FORMATS as CITE_FORMATS


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
    filter_args(s)
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
    filter_args(a)
    a.set_defaults(func=cmd_ask)

    ch = sub.add_parser("chat", help="a conversation in the terminal: follow-up questions understood against earlier ones")
    ch.add_argument("--llm", choices=LLM_CHOICES, help="none: extractive (default); local: llama.cpp; openai: endpoint")
    filter_args(ch)
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
    t.set_defaults(func=cmd_targets)

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
    e.add_argument(
        "--suite", type=Path, help="every question set against its library, held to floors (eval/suite.json); exit 1 below one"
    )
    e.add_argument("--cache", type=Path, help="where --suite keeps its libraries' indexes (default: ~/.cache/bulletin-rag/suite)")
    e.add_argument("--lists", help="list questions (eval/lists.jsonl): precision and recall of the documents named")
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
