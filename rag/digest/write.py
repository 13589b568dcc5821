"""With an LLM on, each article's points are written by the model from the extractive points and the
figures' sentences (prompts/zh/digest.txt), then grounded as answers are (rag.answer.citations.ground):
every Arabic number must stand in a passage its sentence cites, else the sentence is replaced by the passage
sentence it paraphrases or dropped. An article whose written points are all dropped keeps its quotes."""

from __future__ import annotations

import re
from pathlib import Path

from rag.answer.citations import MARKER, cited_numbers, ground
from rag.config import CitationSettings
from rag.digest.extract import ArticleDigest, Digest, Point
from rag.models.llm import LLM
from rag.sentences import answer_sentences, split_sentences
from rag.text import compact
from rag.types import Chunk

MAX_TOKENS = 160


def _material(a: ArticleDigest, citations: list[Chunk]) -> tuple[list[int], list[str]]:
    """The passages the model reads for one article (their digest numbers) and, for each, the sentences
    the extractive digest quoted from it (points and figures' sentences)."""
    numbers: list[int] = []
    texts: dict[int, list[str]] = {}
    for p in a.points:
        n = p.cites[0]
        chunk = citations[n - 1]
        numbers.append(n) if n not in numbers else None
        texts.setdefault(n, []).append(chunk.text[p.start : p.end] if p.start is not None else p.text)
    for f in a.figures:
        chunk = citations[f.cite - 1]
        if f.start is None:
            continue
        sentence = next((s.text for s in split_sentences(chunk.text, clauses=False) if s.start <= f.start < s.end), "")
        if sentence and sentence not in texts.get(f.cite, []):
            numbers.append(f.cite) if f.cite not in numbers else None
            texts.setdefault(f.cite, []).append(sentence)
    return numbers, ["".join(texts[n]) for n in numbers]


def write_article(
    llm: LLM, prompt: str, a: ArticleDigest, citations: list[Chunk], limits: CitationSettings
) -> tuple[list[Point], list[str]]:
    """The model's points for one article with digest-wide [n], and the grounding's notes; [] when nothing
    it wrote survives the checks."""
    numbers, texts = _material(a, citations)
    if not numbers:
        return [], []
    given = "\n".join(f"[{i}] {t}" for i, t in enumerate(texts, 1))
    user = f"文章：《{a.title}》（{a.kind}，{a.source}）\n<资料>\n{given}\n</资料>\n要点："
    messages = [{"role": "system", "content": prompt}, {"role": "user", "content": user}]
    raw = "".join(llm.stream(messages, MAX_TOKENS)).strip()
    if not compact(MARKER.sub("", raw)):
        return [], ["the model wrote nothing"]
    order = list(range(len(numbers)))  # the model's [i] is the i-th passage given
    sentences = [[s.text for s in split_sentences(t)] for t in texts]
    grounded = ground(raw, order, texts, sentences, limits=limits)
    points = []
    for sentence in answer_sentences(grounded.text):
        local = [n for n in cited_numbers(sentence) if 1 <= n <= len(grounded.order)]
        body = MARKER.sub("", sentence).strip()
        if not compact(body) or not local:
            continue  # an uncited sentence is no point of a digest
        cites = list(dict.fromkeys(numbers[grounded.order[n - 1]] for n in local))
        points.append(Point(re.sub(r"^[-·•\d.、\s]+", "", body), cites))
    return points, grounded.notes


def write_digest(d: Digest, llm: LLM, prompts_dir: Path, limits: CitationSettings) -> Digest:
    """The digest with each article's points written by the model (in place), figures kept as extracted."""
    prompt = (Path(prompts_dir) / "zh" / "digest.txt").read_text(encoding="utf-8")
    for a in d.articles:
        points, notes = write_article(llm, prompt, a, d.citations, limits)
        d.notes += [f"《{a.title}》: {n}" for n in notes]
        if points:
            a.points, a.written_by = points, llm.kind
    d.mode = llm.kind
    return d
