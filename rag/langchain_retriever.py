"""The retriever as a LangChain ``BaseRetriever``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.filters import Filters
from rag.retrieve import Retriever


class BulletinRetriever(BaseRetriever):
    """``BulletinRetriever(retriever=Retriever(...)).invoke("问题")`` -> Documents with citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        assert isinstance(self.retriever, Retriever)
        docs = []
        for p in self.retriever.search(query, self.k, self.filters):
            c = p.chunk
            docs.append(Document(page_content=c.text, metadata={**c.citation(), "score": p.score, "rank": p.rank}, id=c.id))
        return docs
