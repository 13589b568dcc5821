"""The retriever as a LangChain ``BaseRetriever``: ``BulletinRetriever.from_settings(k=5).invoke("问题")``."""

from __future__ import annotations

from typing import Any, Protocol

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor
from pydantic import ConfigDict

from rag.config import Settings
from rag.filters import Filters
from rag.types import Passage


class Searcher(Protocol):
    """What the retriever needs: rag.retrieve.Retriever and rag.service.Service both have it."""

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]: ...


FILTER_PARAMS = {spec.param for _, spec in Filters.specs()}


class BulletinRetriever(BaseRetriever):
    """Documents with citation metadata. ``invoke(query, k=3, article="云南")``: the number of results and
    the filters (rag.filters parameter names, or ``filters=Filters(...)``) per call override the constructor's."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # a Searcher
    k: int = 5
    filters: Filters | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None, k: int = 5, *, embedder=None, **filters) -> BulletinRetriever:
        """The library of ``settings`` (from the RAG_* environment when omitted), opened by the one service
        object the app and the API use; built on first use. ``filters``: rag.filters parameters."""
        from rag.service import Service

        service = Service(settings or Settings.from_env(), embedder)
        service.start()
        service.retriever  # noqa: B018 (raises NoIndex, saying why, when the library cannot be opened)
        return cls(retriever=service, k=k, filters=_filters(None, filters) if filters else None)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None, **params: Any
    ) -> list[Document]:
        return [_document(p) for p in self.retriever.search(query, k or self.k, _filters(self.filters, params))]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, k: int | None = None, **params: Any
    ) -> list[Document]:
        # LangChain's default would drop k and the filters on the way to the executor.
        return await run_in_executor(None, self._get_relevant_documents, query, run_manager=run_manager.get_sync(), k=k, **params)


def _filters(base: Filters | None, params: dict) -> Filters | None:
    """The constructor's filters with a call's keywords over them."""
    params = dict(params)
    given = params.pop("filters", None)
    params.pop("verbose", None)  # LangChain passes its own flag through
    unknown = set(params) - FILTER_PARAMS
    if unknown:
        raise TypeError(f"unknown filter {', '.join(sorted(unknown))}; known: {', '.join(sorted(FILTER_PARAMS))}")
    start = given if given is not None else base
    if not params:
        return start
    values = {spec.param: getattr(start, name) for name, spec in Filters.specs()} if start else {}
    return Filters.from_params(values | params)


def _document(p: Passage) -> Document:
    c = p.chunk
    return Document(page_content=c.text, metadata={**c.citation(), "score": p.score, "rank": p.rank}, id=c.id)
