"""An OpenAI-compatible chat API over the one service object: GET /v1/models, POST /v1/chat/completions
(streamed as server-sent events or not). The last user message is the question, the earlier ones the
conversation, so a follow-up is resolved as in `rag chat`; the answer is `rag ask`'s, with its citations
and status in the extra fields ``citations`` and ``rag``."""

from __future__ import annotations

import json
import secrets
import time
import uuid

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

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
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        try:
            events = service.ask(question, None, mode, history or None)
            first = next(events)
        except UserError as exc:
            raise HTTPException(400, str(exc)) from exc

        def extra(a: Answer) -> dict:
            j = answer_json(a)
            return {
                "citations": j["citations"],
                "rag": {k: j[k] for k in ("status", "resolved_question", "resolution", "refused", "verdict", "mode")},
            }

        def all_events():
            yield first
            yield from events

        if not body.get("stream"):
            final = next(e for e in all_events() if isinstance(e, Answer))
            return {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": model or f"{MODEL_PREFIX}-{mode}",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": final.text}, "finish_reason": "stop"}],
                **extra(final),
            }

        def sse():
            base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model or f"{MODEL_PREFIX}-{mode}"}
            opening = base | {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
            yield f"data: {json.dumps(opening, ensure_ascii=False)}\n\n"
            for e in all_events():
                if isinstance(e, Answer):
                    # The streamed text may be re-cited after the stream: the final text comes with the citations.
                    chunk = base | {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "answer": e.text, **extra(e)}
                else:
                    chunk = base | {"choices": [{"index": 0, "delta": {"content": e}, "finish_reason": None}]}
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream")

    return router
