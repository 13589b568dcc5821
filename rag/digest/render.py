"""A digest as people read it: Markdown (the download, `rag digest --markdown`), plain text (the terminal)
and JSON (`--json`, the /digest API)."""

from __future__ import annotations

from rag.digest.extract import ArticleDigest, Digest
from rag.references import gbt7714


def _meta(a: ArticleDigest) -> str:
    return " · ".join(x for x in (a.kind, a.source, a.issued, a.column) if x)


def _point(p) -> str:
    return p.text + "".join(f"[{n}]" for n in p.cites)


def _figures(a: ArticleDigest) -> str:
    return "；".join(f.text + "".join(f"[{n}]" for n in (f.cite, *f.also)) for f in a.figures)


def digest_markdown(d: Digest) -> str:
    out = [f"# 本期要点 · {d.issue}", ""]
    by_model = "" if d.mode == "extractive" else f"（要点由 {d.mode} 模型撰写，数字已与原文核对）"
    out.append(f"{len(d.articles)} 篇文章。每条要点后的 [n] 指向文末的原文段落。{by_model}")
    out.append("")
    for i, a in enumerate(d.articles, 1):
        out += [f"## {i}. {a.title}", "", f"*{_meta(a)}*", ""]
        out += [f"- {_point(p)}" for p in a.points]
        if a.figures:
            out.append(f"- 数字：{_figures(a)}")
        out.append("")
    out += ["## 出处", ""]
    out += [f"{n}. {c.place()}（{c.where()}）" for n, c in enumerate(d.citations, 1)]
    return "\n".join(out).rstrip() + "\n"


def digest_text(d: Digest) -> str:
    out = [f"本期要点 · {d.issue}（{len(d.articles)} 篇）", ""]
    for i, a in enumerate(d.articles, 1):
        out += [f"{i}. {a.title}", f"   {_meta(a)}"]
        out += [f"   · {_point(p)}" for p in a.points]
        if a.figures:
            out.append(f"   · 数字：{_figures(a)}")
        out.append("")
    out.append("出处：")
    out += [f"[{n}] {c.place()}  ({c.where()})" for n, c in enumerate(d.citations, 1)]
    return "\n".join(out).rstrip() + "\n"


def digest_json(d: Digest) -> dict:
    return {
        "issue_id": d.issue_id,
        "issue": d.issue,
        "date": d.date,
        "mode": d.mode,
        "seconds": d.seconds,
        "articles": [
            {
                "title": a.title,
                "kind": a.kind,
                "source": a.source,
                "issued": a.issued,
                "column": a.column,
                "written_by": a.written_by,
                "points": [{"text": p.text, "cites": p.cites, "start": p.start, "end": p.end} for p in a.points],
                "figures": [
                    {
                        "text": f.text,
                        "cite": f.cite,
                        "kind": f.kind,
                        "indicator": f.indicator,
                        "value": f.value,
                        "unit": f.unit,
                        "year": f.year,
                        "start": f.start,
                        "end": f.end,
                        "also": f.also,
                    }
                    for f in a.figures
                ],
            }
            for a in d.articles
        ],
        "citations": [
            {"n": n, "text": c.text, **c.citation(), "reference": gbt7714(c), "spans": [list(s) for s in c.spans]}
            for n, c in enumerate(d.citations, 1)
        ],
        "notes": d.notes,
    }
