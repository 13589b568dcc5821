"""The seams are written down: the stores, embedders and stand-ins conform to their protocols, and a
setting that names no known choice is refused when the settings are made, not later."""

import importlib.util

import numpy as np
import pytest
from conftest import ROOT, CountingEmbedder, HashEmbedder

from rag.config import Fusion, Settings
from rag.models.base import Embedder
from rag.store.base import VectorStore
from rag.store.faiss_index import FaissStore
from rag.store.milvus_store import MilvusStore


def _scale_benchmark():
    spec = importlib.util.spec_from_file_location("scale_benchmark", ROOT / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("make", [HashEmbedder, CountingEmbedder, lambda: _scale_benchmark().StandIn()])
def test_stand_in_embedders_conform(make):
    embedder = make()
    assert isinstance(embedder, Embedder)
    vectors = embedder.encode_queries(["数据要素", "算力"])
    assert vectors.shape == (2, embedder.dim) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_stores_conform():
    store = FaissStore.build(np.eye(3, dtype=np.float32))
    assert isinstance(store, VectorStore)
    assert isinstance(MilvusStore("unused.db", vectors=np.eye(3, dtype=np.float32)), VectorStore)
    rows, scores = store.search(np.array([0, 1, 0], dtype=np.float32), 2)
    assert rows[0] == 1 and scores[0] == pytest.approx(1.0)
    store.after_switch()  # FAISS keeps nothing outside its folder


@pytest.mark.parametrize("choice", list(Fusion))
def test_known_fusion_modes_accepted(choice):
    assert Settings(fusion=choice.value).fusion == choice


@pytest.mark.parametrize(("field", "value"), [("fusion", "zscor"), ("fusion", ""), ("vector_store", "chroma")])
def test_unknown_choice_is_refused_at_start(field, value):
    with pytest.raises(ValueError, match=f"unknown {field.replace('_', ' ')}"):
        Settings(**{field: value})
