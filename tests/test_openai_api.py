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


def test_a_follow_up_in_the_messages_is_resolved(settings, base):
    _, client = _client(settings)
    first = "云南省公共数据管理办法第二十二条规定了什么？"
    a = client.chat.completions.create(model="bulletin-rag-extractive", messages=[{"role": "user", "content": first}])
    messages = [
        {"role": "system", "content": "ignored"},
        {"role": "user", "content": first},
        {"role": "assistant", "content": a.choices[0].message.content},
        {"role": "user", "content": "下一条呢？"},
    ]
    r = client.chat.completions.create(model="bulletin-rag-extractive", messages=messages)
    assert "第二十三条" in r.model_extra["rag"]["resolved_question"]


def test_langchain_chat_openai_pointed_at_it(settings, base):
    from langchain_openai import ChatOpenAI

    service, client = _client(settings.with_(api_key="k"))
    q = "云南的公共数据多久内要完成校核？"
    llm = ChatOpenAI(model="bulletin-rag-extractive", base_url="http://testserver/v1", api_key="k", http_client=client._client)
    assert llm.invoke(q).content == service.answer(q).text
    assert "".join(c.content for c in llm.stream(q)).strip()
