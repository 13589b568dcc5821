"""The library's catalogue over one index: its titles (each an entry of rag.catalogue.names), the one document
a question is about, each article's outline (rag.catalogue.outline) and the library's text as questions are
matched against it. Built once per index and shared: the answer judge reads from it which document a
question names and whether the library mentions a word; the follow-up resolver reads from it the document,
the outline a step moves along and the passage an earlier answer quoted. Neither imports the other."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rag.catalogue.names import Catalogue, Resolution
from rag.catalogue.outline import Outline, Path
from rag.intent import Intent
from rag.places import bare, spelled_out
from rag.text import compact
from rag.types import PATH_SEP, Chunk

# Titles share generic words (行动计划, 指导意见, 发展): a question names a document by a run of at least
# this many characters that only one title holds (数据要 in 数据要怎么处理 is no name).
NAMING_RUN = 4


class LibraryCatalogue:
    """Titles, names, outlines and text of one index's articles, read once."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = chunks
        self.titles = list(dict.fromkeys(c.article for c in chunks if c.article))
        self.names = Catalogue(self.titles)
        self.outline = Outline(chunks)
        # The masthead names the publisher's province and board: no passage about them.
        content = [c for c in chunks if c.kind != "issue_card"]
        normalised = [unicodedata.normalize("NFKC", c.search_text).lower() for c in content]
        self.text = spelled_out("\n".join(normalised))
        self._compact_titles = [compact(t).lower() for t in self.titles]
        # Runs of NAMING_RUN characters -> the titles holding them: a question's runs are looked up, not
        # searched for in every title (a library of 500 issues has thousands of titles).
        self._runs: dict[str, set[int]] = {}
        for k, flat in enumerate(self._compact_titles):
            for i in range(len(flat) - NAMING_RUN + 1):
                self._runs.setdefault(flat[i : i + NAMING_RUN], set()).add(k)
        by_article: dict[str, list[str]] = {}
        for c, text in zip(content, normalised, strict=True):
            by_article.setdefault(c.article, []).append(text)
        self._article_text = {a: "\n".join(texts) for a, texts in by_article.items()}
        # Each article's passages in the matching form: where an earlier answer's words were quoted from.
        self._passages: dict[str, list[tuple[str, Chunk]]] = {}
        for c in chunks:
            if c.kind == "section":
                self._passages.setdefault(c.article, []).append((compact(c.text), c))

    def mentions(self, word: str) -> bool:
        """Whether the library's text holds ``word`` (NFKC, lower case; 东、中、西部 written out)."""
        return unicodedata.normalize("NFKC", word).lower() in self.text

    def resolve(self, question: str) -> Resolution:
        """The catalogue entries a question names by a name (《…》, a short name, 本办法): rag.catalogue.names."""
        return self.names.resolve(question)

    def named_article(self, query: str, intent: Intent) -> str | None:
        """The one document a question is about, when it names one: by a run of characters that only its
        title holds and that the library writes mostly inside it (视听电子, 数据要素×, 知识产权), agreeing
        with any region the question names; else by the one title that names the question's region."""
        if intent.asks_several or intent.asks_document or len(self.titles) < 2:
            return None
        regional = [t for t in self.titles if any(bare(r) in t for r in intent.regions)]
        runs: dict[str, int] = {}
        for k, run in self._own_runs(compact(query).lower()).items():
            title = self.titles[k]
            # 安徽's question does not name another document, whatever words they share
            if (not regional or title in regional) and self._written_mostly_in(run, title):
                runs[title] = len(run)
        if not runs and intent.regions:
            runs = {t: 1 for t in self.names.of_kind_named(regional, query, intent.lang)}
        if not runs:
            return None
        top = max(runs.values())
        leaders = [t for t, n in runs.items() if n == top]
        return leaders[0] if len(leaders) == 1 else None

    def _own_runs(self, query: str) -> dict[int, str]:
        """Title index -> the longest run of the query's characters (at least NAMING_RUN) that this title
        holds and no other title does."""
        best: dict[int, str] = {}
        for i in range(len(query) - NAMING_RUN + 1):
            holders = self._runs.get(query[i : i + NAMING_RUN], set())
            j = i + NAMING_RUN
            while holders:
                if len(holders) == 1:
                    (k,) = holders
                    if j - i > len(best.get(k, "")):
                        best[k] = query[i:j]
                j += 1
                if j > len(query):
                    break
                holders = {k for k in holders if query[i:j] in self._compact_titles[k]}
        return best

    def _written_mostly_in(self, run: str, title: str) -> bool:
        """Whether most of the library's uses of ``run`` are in that article (人工智能 is everywhere)."""
        total = self.text.count(run)
        return total == 0 or self._article_text.get(title, "").count(run) >= 0.5 * total

    def article_of_place(self, place: str) -> str | None:
        """The one title that names a place (河南 → 河南省制造业数字化转型行动计划), or None."""
        titles = [t for t in self.titles if place in t]
        return titles[0] if len(titles) == 1 else None

    def quoted_in(self, words: str, article: str | None = None) -> tuple[str, Path] | None:
        """(article, section path) of the first passage that holds ``words`` (compacted), in ``article``
        when given: where an earlier answer quoted from."""
        flat = compact(words)
        pool = self._passages.get(article, []) if article else (x for xs in self._passages.values() for x in xs)
        chunk = next((c for text, c in pool if flat in text), None)
        return None if chunk is None else where(chunk)


def where(chunk: Chunk) -> tuple[str, Path]:
    """A passage's article and section path."""
    return chunk.article, tuple(chunk.section.split(PATH_SEP)) if chunk.section else ()
