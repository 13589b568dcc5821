"""Passages, answers and provisions as JSON-ready dicts: the one shape the CLI and the app's API share."""

from __future__ import annotations

from rag.lookup import Provision
from rag.references import gbt7714
from rag.types import readable_path


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
    if a.coverage is not None:
        out["coverage"] = coverage_json(a.coverage)
    return out


def coverage_json(c) -> dict:
    """What a list question checked (rag.types.Coverage): every document, those that state what was asked with
    their citation numbers, and those that do not."""
    doc = lambda x: {"title": x.title, "issue_id": x.issue_id, "issue": x.issue}  # noqa: E731
    return {
        "listed": c.noun,
        "basis": c.basis,
        "checked": [doc(x) for x in c.checked],
        "matched": [{**doc(x), "n": x.citation} for x in c.matched],
        "not_stated": [doc(x) for x in c.unstated],
        "counts": {"checked": len(c.checked), "matched": len(c.matched), "not_stated": len(c.unstated)},
    }


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


def versions_json(group) -> dict:
    """One document's versions (rag.versions.Group), oldest first, and between consecutive ones what was
    added, removed and changed, provision by provision: as `rag versions --json` and /versions give it."""
    versions = []
    for i, v in enumerate(group.versions):
        d = v.document
        versions.append(
            {
                **_document(d),
                "source": d.source,
                "status": v.status,
                "in_force": v.in_force,
                "current": i == group.current,
                "provisions": len(d.provisions),
                "superseded_by": _document(v.superseded_by) if v.superseded_by else None,
                "repealed_by": _document(v.repealed_by) if v.repealed_by else None,
                "also_in": d.also_in,
            }
        )
    diffs = [_diff(group.versions[i].document, group.versions[i + 1].document, d) for i, d in enumerate(group.diffs)]
    current = group.versions[group.current]
    return {
        "title": group.title,
        "base_title": group.base,
        "in_force": current.document.issue_id if current.in_force else None,
        "versions": versions,
        "diffs": diffs,
    }


def _document(d) -> dict:
    return {"issue_id": d.issue_id, "issue": d.issue_label, "issue_date": d.date, "title": d.title}


def _provision(p) -> dict:
    return {"number": p.number, "section": readable_path(p.section), "text": p.text}


def _diff(old, new, d) -> dict:
    """What changed from version ``old`` to ``new`` of a document (rag.versions.diff), provision by provision."""
    return {
        "from": old.issue_id,
        "to": new.issue_id,
        "added": [_provision(p) for p in d.added],
        "removed": [_provision(p) for p in d.removed],
        "changed": [
            {
                "old_number": c.old.number,
                "new_number": c.new.number,
                "old_section": readable_path(c.old.section),
                "new_section": readable_path(c.new.section),
                "renumbered": c.renumbered,
                "text_changed": c.text_changed,
                "similarity": round(c.similarity, 1),
                "old_text": c.old.text,
                "new_text": c.new.text,
                "figures": [{"old": f.old, "new": f.new, "text": f.text} for f in c.figures],
            }
            for c in d.changed
        ],
        "unchanged": d.unchanged,
    }
