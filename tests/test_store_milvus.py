"""Milvus (milvus-lite, the same API as a cluster) behind the vector-store seam: same results as FAISS."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import BULLETIN, HashEmbedder

from rag.config import Settings
from rag.filters import Filters
from rag.index import build_index, load_index
from rag.library import add_bulletin
from rag.retrieve import Retriever
from rag.store.manifest import IndexCorrupt
from rag.store.milvus_store import MilvusStore

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"
QUESTIONS = ["到2026年要打造多少个典型应用场景？", "云南的公共数据多久内要完成校核？", "人形机器人", "第二十二条"]


@pytest.fixture
def both(tmp_path):
    embedder = HashEmbedder()
    base = Settings(corpus=(BULLETIN,), library_dir=tmp_path / "library")
    faiss = build_index(replace(base, index_dir=tmp_path / "faiss"), embedder)
    milvus_settings = replace(base, index_dir=tmp_path / "milvus", vector_store="milvus")
    build_index(milvus_settings, embedder)
    return embedder, faiss, milvus_settings


def test_milvus_returns_what_faiss_returns(both):
    embedder, faiss, settings = both
    milvus = load_index(settings, embedder)
    assert isinstance(milvus.dense, MilvusStore) and milvus.dense.size == faiss.dense.size
    assert np.allclose(milvus.dense.vectors(), faiss.dense.vectors(), atol=1e-6)
    for q in QUESTIONS:
        v = embedder.encode_queries([q])[0]
        (fr, fs), (mr, ms) = faiss.dense.search(v, 10), milvus.dense.search(v, 10)
        assert np.allclose(fs, ms, atol=1e-5) and set(fr[:5]) == set(mr[:5])
        a = [p.chunk.id for p in Retriever(faiss, embedder, settings).search(q, 5)]
        b = [p.chunk.id for p in Retriever(milvus, embedder, settings).search(q, 5)]
        assert a == b
    only = Filters(articles=("云南",))
    hits = Retriever(milvus, embedder, settings).search("公共数据 校核", 5, only)
    assert hits and all("云南" in p.chunk.article for p in hits)
    assert Retriever(milvus, embedder, settings).search("公共数据", 5, Filters(articles=("不存在的文章",))) == []


def test_adding_a_bulletin_reuses_vectors_read_back_from_milvus_and_drops_the_old_collection(both):
    embedder, _, settings = both
    index = load_index(settings, embedder)
    old = index.dense.collection
    counting = HashEmbedder()
    counting.calls = 0
    new = add_bulletin(settings, counting, index, MINI)
    assert counting.calls == 1  # one batch: the new bulletin's texts only
    assert new.dense.collection != old and old not in new.dense.client.list_collections()
    hits = Retriever(load_index(settings, embedder), embedder, settings).search("通用机场 低空航线", 3)
    assert hits[0].chunk.issue_id == "2024-1"


def test_a_missing_collection_is_reported_not_served(both):
    embedder, _, settings = both
    index = load_index(settings, embedder)
    index.dense.client.drop_collection(index.dense.collection)
    with pytest.raises(IndexCorrupt, match="no collection"):
        load_index(settings, embedder)
