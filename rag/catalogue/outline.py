"""The outline of each article, read from its passages' section paths: which provisions and items stand
next to which (第二十六条 → 第二十七条, （三） → （四）, 1. → 2.), and the labelled paragraphs inside a
section (清洁服务机器人。… 物流服务机器人。… 医疗服务机器人。…). "The next one" is a step in this outline."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.provisions import numbering, part_keys
from rag.text import compact
from rag.types import PATH_SEP, Chunk

Path = tuple[str, ...]
# A paragraph opening with a short label of its own (物流服务机器人。面向…): an unnumbered list item.
_LABEL = re.compile(r"^\s*([^\s，、；：:,;。（）()]{2,14})。")
# A title must be this long to be recognised inside a question (发展目标 yes, 总则 no).
_MIN_TITLE = 4


def title_of(part: str) -> str:
    """A section path part without its number and closing stop: （三）发展沉浸车载视听系统 → 发展沉浸车载视听系统."""
    found = numbering(part)
    rest = part[len(found[1]) :] if found else part
    return compact(rest).strip("。.")


class Outline:
    """Section paths of every article in reading order, and the labelled paragraphs under each."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.children: dict[tuple[str, Path], list[str]] = {}
        self.labels: dict[tuple[str, Path], list[str]] = {}
        self.articles: list[str] = []
        for c in chunks:
            if c.kind != "section" or not c.article:
                continue
            if c.article not in self.articles:
                self.articles.append(c.article)
            path: Path = tuple(c.section.split(PATH_SEP)) if c.section else ()
            for depth in range(len(path)):
                siblings = self.children.setdefault((c.article, path[:depth]), [])
                if path[depth] not in siblings:
                    siblings.append(path[depth])
            labels = self.labels.setdefault((c.article, path), [])
            for para in c.text.split("\n"):
                m = _LABEL.match(para)
                if m and numbering(m.group(1)) is None and m.group(1) not in labels:
                    labels.append(m.group(1))

    def paths(self, article: str | None = None):
        """Every section path (article, path) with at least one part, in reading order."""
        for (a, parent), parts in self.children.items():
            if article is None or a == article:
                for part in parts:
                    yield a, (*parent, part)

    def step(self, article: str, path: Path, by: int, depth: int | None = None) -> Path | None:
        """The path ``by`` places along from ``path`` among its siblings at ``depth`` (default: the last part)."""
        depth = len(path) - 1 if depth is None else depth
        if depth < 0 or depth >= len(path):
            return None
        siblings = self.children.get((article, path[:depth]), [])
        if path[depth] not in siblings:
            return None
        at = siblings.index(path[depth]) + by
        return (*path[:depth], siblings[at]) if 0 <= at < len(siblings) else None

    def child(self, article: str, parent: Path, n: int) -> Path | None:
        """The n-th (1-based) provision under ``parent``: 第二项 under （一）."""
        parts = self.children.get((article, parent), [])
        return (*parent, parts[n - 1]) if 1 <= n <= len(parts) else None

    def find(self, ref: str, article: str | None = None) -> tuple[str, Path] | None:
        """The first path whose last part is the provision ``ref`` (第二十六条, （十二）)."""
        return next(((a, p) for a, p in self.paths(article) if ref in part_keys(p[-1])), None)

    def locate(self, text: str, article: str | None = None) -> tuple[str, Path] | None:
        """The deepest section whose title the text quotes (“适度超前建设网络基础设施”下面…), the longest
        title winning a tie."""
        flat = compact(text)
        best: tuple[int, int, str, Path] | None = None
        for a, path in self.paths(article):
            title = title_of(path[-1])
            if len(title) >= _MIN_TITLE and title in flat:
                key = (len(path), len(title))
                if best is None or key > best[:2]:
                    best = (*key, a, path)
        return (best[2], best[3]) if best else None

    def label_step(self, text: str, by: int, article: str | None = None) -> tuple[str, str] | None:
        """(the labelled paragraph the text names, the one ``by`` places along) within one section:
        物流服务机器人 → 医疗服务机器人. The longest label named wins."""
        flat = compact(text)
        best: tuple[str, str] | None = None
        for (a, _), labels in self.labels.items():
            if (article is not None and a != article) or len(labels) < 2:
                continue
            for i, label in enumerate(labels):
                if compact(label) in flat and 0 <= i + by < len(labels) and (best is None or len(label) > len(best[0])):
                    best = (label, labels[i + by])
        return best

    def part_for(self, article: str, path: Path, unit: str) -> int | None:
        """Which depth of ``path`` a unit word counts: 条 the clauses, 章 the chapters, 项/类/点 the innermost."""
        styles = [(numbering(p) or ("", ""))[0] for p in path]
        wanted = {"条": ("clause",), "章": ("chapter",), "节": ("part",)}.get(unit)
        if wanted:
            return next((d for d in range(len(path) - 1, -1, -1) if styles[d] in wanted), None)
        return len(path) - 1 if path else None  # 项, 类, 点: the innermost numbering
