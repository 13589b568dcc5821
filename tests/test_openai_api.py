"""The OpenAI-compatible API with the real openai client (over Starlette's test client, an httpx client)."""

import openai
import pytest
from conftest import HashEmbedder
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rag.api.openai_compat import openai_router
from rag.service import Service


def _client(settings, key="k"):
    service = Service(settings, HashEmbedder())
    service.start()
    app = FastAPI()
    app.include_router(openai_router(service))
    http = TestClient(app)
    return service, openai.OpenAI(base_url="http://testserver/v1", api_key=key, http_client=http)


def test_answer_is_the_services_streamed_or_not(settings, base):
    settings = settings.with_(api_key="k")
    service, client = _client(settings)
    q = "云南的公共数据多久内要完成校核？"
    want = service.answer(q)
    r = client.chat.completions.create(model="bulletin-rag-extractive", messages=[{"role": "user", "content": q}])
    assert r.choices[0].message.content == want.text
    assert r.model_extra["rag"]["status"] == want.status
    assert len(r.model_extra["citations"]) == len(want.citations)
    parts = list(
        client.chat.completions.create(model="bulletin-rag-extractive", messages=[{"role": "user", "content": q}], stream=True)
    )
    assert "".join(p.choices[0].delta.content or "" for p in parts if p.choices).strip()
    assert parts[-1].choices[0].finish_reason == "stop" and parts[-1].model_extra["answer"] == want.text
    assert "bulletin-rag-extractive" in [m.id for m in client.models.list()]


def test_a_wrong_key_is_401(settings, base):
    _, client = _client(settings.with_(api_key="secret"), key="wrong")
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
