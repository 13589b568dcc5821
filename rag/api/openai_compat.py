"""An OpenAI-compatible chat API over the one service object: GET /v1/models, POST /v1/chat/completions
(streamed as server-sent events or not). The last user message is the question, the earlier ones the
conversation, so a follow-up is resolved as in `rag chat`; the answer is `rag ask`'s, with its citations
and status in the extra fields ``citations`` and ``rag``."""

from __future__ import annotations

import itertools
import json
import secrets
import time
import uuid
from collections.abc import Iterable, Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

from rag.answer.events import AnswerEvent, final_answer, follow
from rag.errors import UserError
from rag.serialize import answer_json
from rag.service import MODES, Service
from rag.types import Answer

MODEL_PREFIX = "bulletin-rag"


def _history(messages: list) -> tuple[str, list[dict]]:
    """(question, earlier turns) from OpenAI messages: user turns paired with the assistant reply after each."""
    turns: list[dict] = []
    for m in messages:
        if not isinstance(m, dict) or not isinstance(m.get("content", ""), str):
            raise HTTPException(400, "each message needs a role and text content")
        if m.get("role") == "user":
            turns.append({"question": m["content"]})
        elif m.get("role") == "assistant" and turns:
            turns[-1]["answer"] = m.get("content") or ""
    if not turns or "answer" in turns[-1]:
        raise HTTPException(400, "the last message must be the user's question")
    return turns[-1]["question"], turns[:-1]


def openai_router(service: Service) -> APIRouter:
    def check(request: Request) -> None:
        key = service.settings.api_key
        if not key:
            return
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {key}".encode()):
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/v1", dependencies=[Depends(check)])

    @router.get("/models")
    def models() -> dict:
        return {
            "object": "list",
            "data": [
                {"id": f"{MODEL_PREFIX}-{m}", "object": "model", "created": 0, "owned_by": "bulletin-rag"}
                for m in service.modes()
            ],
        }

    @router.post("/chat/completions")
    def completions(body: dict):
        question, history = _history(body.get("messages") or [])
        model = str(body.get("model") or "")
        mode = model.removeprefix(f"{MODEL_PREFIX}-") if model.startswith(MODEL_PREFIX) else service.default_mode()
        if mode not in MODES:
            raise HTTPException(400, f"unknown model {model!r}")
        try:
            events = service.ask(question, None, mode, history or None)
            first = next(events)  # a bad question or history is the client's error, said before any answer
        except UserError as exc:
            raise HTTPException(400, str(exc)) from exc
        head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": model or f"{MODEL_PREFIX}-{mode}"}
        events = itertools.chain([first], events)
        if body.get("stream"):
            return StreamingResponse(_chunks(head, events), media_type="text/event-stream")
        answer = final_answer(events)
        message = {"role": "assistant", "content": answer.text}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return {**head, "object": "chat.completion", "choices": [choice], **_extra(answer)}

    return router


def _extra(a: Answer) -> dict:
    """What the answer has beyond its text: its citations, and status, resolved question, verdict, mode."""
    j = answer_json(a)
    return {
        "citations": j["citations"],
        "rag": {k: j[k] for k in ("status", "resolved_question", "resolution", "refused", "verdict", "mode")},
    }


def _chunks(head: dict, events: Iterable[AnswerEvent]) -> Iterator[str]:
    """The answer as server-sent events of chat.completion.chunk objects, then [DONE]."""
    base = {**head, "object": "chat.completion.chunk"}

    def sse(choice: dict, **more) -> str:
        return f"data: {json.dumps(base | {'choices': [{'index': 0, **choice}]} | more, ensure_ascii=False)}\n\n"

    yield sse({"delta": {"role": "assistant", "content": ""}, "finish_reason": None})
    for state in follow(events):
        if state.answer is not None:
            # The streamed text may be re-cited after the stream: the final text comes with the citations.
            yield sse({"delta": {}, "finish_reason": "stop"}, answer=state.answer.text, **_extra(state.answer))
        elif state.delta:
            yield sse({"delta": {"content": state.delta}, "finish_reason": None})
    yield "data: [DONE]\n\n"
