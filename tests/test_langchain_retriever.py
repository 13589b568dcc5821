"""BulletinRetriever under LangChain's own standard retriever tests (langchain-tests), on a library built
in this test's folder with the hash embedder; and the one-line way in with the real model (slow)."""

import pytest
from conftest import HashEmbedder
from langchain_tests.integration_tests import RetrieversIntegrationTests

from rag.langchain_retriever import BulletinRetriever


class TestBulletinRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _library(self, settings, base):
        self._settings = settings

    @property
    def retriever_constructor(self):
        return BulletinRetriever.from_settings

    @property
    def retriever_constructor_params(self) -> dict:
        return {"settings": self._settings, "embedder": HashEmbedder()}

    @property
    def retriever_query_example(self) -> str:
        return "公共数据校核"


def test_filters_as_keywords_and_k_per_call(settings, base):
    r = BulletinRetriever.from_settings(settings, k=5, embedder=HashEmbedder())
    docs = r.invoke("数据安全", k=4, article="云南")
    assert len(docs) == 4 and all("云南" in d.metadata["article"] for d in docs)
    assert r.invoke("数据安全", column="不存在的栏目") == []
    with pytest.raises(TypeError, match="unknown filter"):
        r.invoke("数据安全", colour="红")


async def test_ainvoke_keeps_k_and_filters(settings, base):
    r = BulletinRetriever.from_settings(settings, embedder=HashEmbedder(), article="云南")
    docs = await r.ainvoke("数据安全", k=2)
    assert len(docs) == 2 and all("云南" in d.metadata["article"] for d in docs)


@pytest.mark.slow
def test_from_settings_with_the_real_model(real_index, model_folder):
    settings, _ = real_index
    docs = BulletinRetriever.from_settings(settings.with_(embedding_model=model_folder), k=3).invoke("云南公共数据第二十二条")
    assert len(docs) == 3 and docs[0].metadata["section"].endswith("第二十二条")
