"""Passages, answers and provisions as JSON-ready dicts: the one shape the CLI and the app's API share."""

from __future__ import annotations

from rag.lookup import Provision
from rag.references import gbt7714


def passage_json(p) -> dict:
    c = p.chunk
    return {
        "rank": p.rank,
        "score": round(p.score, 6),
        "dense": None if p.dense is None else round(p.dense, 4),
        "lexical": None if p.lexical is None else round(p.lexical, 4),
        "text": c.text,
        **c.citation(),
        "reference": gbt7714(c),  # GB/T 7714-2015 entry of the article (of the issue, for notes and the card)
        "spans": [list(s) for s in c.spans],
    }


def answer_json(a) -> dict:
    out = {
        "question": a.question,
        # The question as answered: a follow-up made standalone against the history (the question itself
        # when there was none or it stood on its own), and how it was resolved.
        "resolved_question": a.resolved_question or a.question,
        "resolution": a.resolution or "none",
        "answer": a.text,
        "refused": a.refused,
        "status": a.status,
        "verdict": a.verdict,
        "mode": a.mode,
        "citations": [{"n": n, **passage_json(p)} for n, p in enumerate(a.citations, 1)],
        # The supporting sentences, quoted in the source's words whatever the answer's language.
        "highlights": [
            {"n": h.citation, "start": h.start, "end": h.end, "text": a.citations[h.citation - 1].chunk.text[h.start : h.end]}
            for h in a.highlights
            if 1 <= h.citation <= len(a.citations)
        ],
        "flags": a.flags,
        "relevance": a.relevance,
        "timings": a.timings,
    }
    if a.refused:
        out["closest"] = [passage_json(p) for p in a.passages]
    return out


def targets_json(rows, grouped: bool = False) -> list[dict]:
    """The targets table (rag.targets rows) as `rag targets --json` and /targets give it; ``grouped``:
    one entry per indicator and region, its rows oldest issue first (rag.targets.groups)."""
    from rag.targets import groups

    return groups(rows) if grouped else [r.as_json() for r in rows]


def provision_json(p: Provision) -> dict:
    return {
        "how": p.how,
        "score": p.score,
        **p.citation(),
        "reference": gbt7714(p.chunk),
        "text": p.text,
        "match": list(p.match) if p.match else None,
    }
