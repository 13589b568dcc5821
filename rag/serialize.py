"""Passages, answers and provisions as JSON-ready dicts: the one shape the CLI and the app's API share."""

from __future__ import annotations

from rag.lookup import Provision


def passage_json(p) -> dict:
    c = p.chunk
    return {
        "rank": p.rank,
        "score": round(p.score, 6),
        "dense": None if p.dense is None else round(p.dense, 4),
        "lexical": None if p.lexical is None else round(p.lexical, 4),
        "text": c.text,
        **c.citation(),
        "spans": [list(s) for s in c.spans],
    }


def answer_json(a) -> dict:
    out = {
        "question": a.question,
        "answer": a.text,
        "refused": a.refused,
        "status": a.status,
        "mode": a.mode,
        "citations": [{"n": n, **passage_json(p)} for n, p in enumerate(a.citations, 1)],
        "highlights": [{"n": h.citation, "start": h.start, "end": h.end} for h in a.highlights],
        "flags": a.flags,
        "relevance": a.relevance,
        "timings": a.timings,
    }
    if a.refused:
        out["closest"] = [passage_json(p) for p in a.passages]
    return out


def provision_json(p: Provision) -> dict:
    return {
        "how": p.how,
        "score": p.score,
        **p.citation(),
        "text": p.text,
        "match": list(p.match) if p.match else None,
    }
