"""A passage's dense score can count its best sentence too (Settings.sentence_share): a long article whose one
clause answers is not outscored by a short look-alike that matches the question as a whole. A made-up
regulation (tests/data/long-article.md) embedded with a wide hash embedder (no bucket collisions to blur the
long article), the lexical side off so that only the dense ranking is tested."""

from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.index import build_index
from rag.retrieve import Retriever
from rag.store.sentence_vectors import SentenceVectors

LONG_ARTICLE = Path(__file__).parent / "data" / "long-article.md"
QUESTION = "数据交易场所应当建立什么制度？"  # 第三条's last clause answers; 第二条 shares most of the words


def _wide():
    from conftest import HashEmbedder

    class Wide(HashEmbedder):
        dim = 4096

    return Wide()


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("long-article")
    settings = Settings(index_dir=root / "index", corpus=(LONG_ARTICLE,), library_dir=root / "library", lexical_weight=0.0)
    return settings, build_index(settings, _wide())


def first_section(library, **changes) -> str:
    settings, index = library
    return Retriever(index, _wide(), settings.with_(**changes)).search(QUESTION, 3)[0].chunk.section


def test_the_answering_clause_of_a_long_article_beats_a_short_look_alike(library):
    assert first_section(library, sentence_share=0.0) == "第二条"  # the whole article's vector is diluted
    assert first_section(library, sentence_share=0.2) == "第三条"


def test_best_sentence_of_each_row():
    vectors = np.array([[1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32)
    stored = SentenceVectors.build(vectors, [2, 0, 1])  # row 1 has no stored sentences
    best = stored.best(np.array([2, 1, 0]), np.array([0.0, 1.0]))
    assert best[0] == pytest.approx(0.8, abs=1e-3) and np.isnan(best[1]) and best[2] == pytest.approx(1.0, abs=1e-3)
