"""The commands that ask: search, ask, chat, and serve (the OpenAI-compatible API), over the one service."""

from __future__ import annotations

import sys
from pathlib import Path

from rag.cli.common import Bar, each_question, filters_of, print_json, print_references, service_of, settings_of
from rag.serialize import answer_json, passage_json


def cmd_search(args) -> int:
    service = service_of(args)
    filters = filters_of(args)
    if args.questions:

        def respond(question: str, _row: dict) -> dict:
            return {"question": question, "passages": [passage_json(p) for p in service.search(question, args.top_k, filters)]}

        return each_question(Path(args.questions), respond)
    if args.question is None:
        raise SystemExit("search: give a question, or --questions FILE.jsonl")
    passages = service.search(args.question, args.top_k, filters)
    if args.cite:
        return print_references([p.chunk for p in passages], args.cite)
    if args.json:
        return print_json({"question": args.question, "passages": [passage_json(p) for p in passages]})
    if not passages:
        print("No passages found.")
    for p in passages:
        c = p.chunk
        print(f"[{p.rank}] {c.place()}  ({c.issues_text()}; {c.where()}; score {p.score:.4f})")
        print("    " + c.text.replace("\n", "\n    ")[:400] + ("…" if len(c.text) > 400 else ""))
        print()
    return 0


def print_answer(a, streamed: str) -> None:
    """What follows the streamed text: the final text when the checks changed it, the citations with their
    highlighted sentences (or, for a refusal, the closest passages), notes, and the mode and time."""
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


def _print_stream(events, history: list | None = None) -> None:
    """An answer as it is written, then print_answer; 理解为：… first when a follow-up was resolved. The
    finished answer joins ``history`` as a turn."""
    from rag.answer.events import follow
    from rag.conversation.chat import turn_of

    understood = None
    for state in follow(events):
        if state.resolution is not understood:
            understood = state.resolution
            if history is not None and understood.changed:
                print(f"理解为：{understood.question}", flush=True)
        if state.delta:
            print(state.delta, end="", flush=True)
        if state.answer is not None:
            print_answer(state.answer, state.text)
            if history is not None:
                history.append(turn_of(state.answer))


def cmd_ask(args) -> int:
    from rag.errors import UserError
    from rag.service import mode_of

    service = service_of(args)
    mode, filters = mode_of(service.settings.llm), filters_of(args)
    if args.questions:

        def respond(question: str, row: dict) -> dict:
            # A line may carry the conversation before it: "history": [{"question", "answer"?}, …].
            try:
                return answer_json(service.answer(question, filters, mode, row.get("history")))
            except UserError as exc:
                return {"question": question, "error": str(exc)}

        return each_question(Path(args.questions), respond)
    if args.question is None:
        raise SystemExit("ask: give a question, or --questions FILE.jsonl")
    if args.json:
        return print_json(answer_json(service.answer(args.question, filters, mode)))
    if args.cite:
        return print_references([p.chunk for p in service.answer(args.question, filters, mode).citations], args.cite)
    _print_stream(service.ask(args.question, filters, mode))
    return 0


def cmd_chat(args) -> int:
    """An interactive conversation in the terminal: each question is resolved against the ones before
    (理解为：… when it was a follow-up), answered with its citations; 新对话 (or :new) starts over, :q or
    end of input leaves. Reads plain lines, so a conversation can be piped in."""
    from rag.errors import UserError
    from rag.service import mode_of

    service = service_of(args)
    mode, filters = mode_of(service.settings.llm), filters_of(args)
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
        try:
            _print_stream(service.ask(question, filters, mode, history), history)
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

    service = Service(settings_of(args))
    service.start(Bar())
    if service.problem:
        raise ValueError(f"the index cannot be used: {service.problem}")
    app = FastAPI(title="bulletin-rag")
    app.include_router(openai_router(service))
    uvicorn.run(app, host=args.host, port=args.port)
    return 0
