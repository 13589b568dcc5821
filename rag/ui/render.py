"""Answers, passages and provisions as the app shows and exports them: HTML cards, plain text, Markdown.

Presentation only: everything here is computed from what the service returned. All source text is
escaped, so a bulletin cannot put markup into the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from rag.lookup import Context, Provision
from rag.references import gbt7714
from rag.types import Answer, Chunk, Highlight, Passage, readable_path

_MARKER = re.compile(r"\[(\d+)\]")
MODE_NAMES = {"extractive": "抽取式回答", "local": "本地大模型", "openai": "OpenAI 兼容接口"}


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` escaped, with ``spans`` wrapped in <mark> and line breaks kept."""
    out, pos = [], 0
    for start, end in sorted(_merge(spans)):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _meta(c: Chunk, start: int | None = None, end: int | None = None) -> str:
    bits = []
    if c.source:
        bits.append(f"发布：{html.escape(c.source)}")
    bits.append(html.escape(c.issues_text()))
    if c.column:
        bits.append(f"栏目：{html.escape(c.column)}")
    bits.append(f"<code>{html.escape(c.where(start, end))}</code>")
    return " · ".join(bits)


def _context_html(ctx: Context | None) -> str:
    if ctx is None or len(ctx.pieces) < 2:
        return ""
    body = "".join(
        f'<div class="ctx-piece{" ctx-cited" if cited else ""}">'
        f'<div class="ctx-path">{html.escape(readable_path(c.section) or c.article)}</div>{_marked(c.text, [])}</div>'
        for c, cited in ctx.pieces
    )
    title = html.escape(readable_path(ctx.section) or ctx.chunk.article)
    return f'<details class="cite-context"><summary>在原文中查看上下文：{title}</summary>{body}</details>'


def _instructions_html(c: Chunk) -> str:
    if not c.instructions:
        return ""
    said = "；".join(html.escape(x[:60]) for x in c.instructions[:3])
    return f'<div class="cite-warning">⚠ 此段含有写给 AI 的指令性文字，系原文内容，已被忽略，不作为答案依据：{said}</div>'


def card(
    c: Chunk,
    label: str,
    spans: Sequence[tuple[int, int]] = (),
    ctx: Context | None = None,
    note: str = "",
    text: str | None = None,
    start: int | None = None,
    end: int | None = None,
    section: str | None = None,
) -> str:
    path = readable_path(c.section if section is None else section) or ("编者按" if c.kind == "editor_note" else "")
    note_html = f'<span class="cite-note">{html.escape(note)}</span>' if note else ""
    return (
        '<div class="cite-card">'
        f'<div class="cite-head"><span class="cite-n">{html.escape(label)}</span>'
        f'<span class="cite-article">{html.escape(c.article or c.issue_label)}</span>{note_html}</div>'
        f'<div class="cite-path">{html.escape(path)}</div>'
        f'<div class="cite-meta">{_meta(c, start, end)}</div>'
        f"{_instructions_html(c)}"
        f'<div class="cite-text">{_marked(c.text if text is None else text, spans)}</div>'
        f"{_context_html(ctx)}</div>"
    )


# How the bulletin answered, said plainly above the answer.
STATUS_NAMES = {
    "answered": "已回答",
    "not_stated": "本期资料未给出",  # the topic is there, the asked detail is not
    "not_found": "本期资料中没有相关内容",
}


def answer_html(text: str, mode: str, done: bool = False, refused: bool = False, status: str = "") -> str:
    body = _MARKER.sub(lambda m: f'<span class="cite-ref">[{m.group(1)}]</span>', html.escape(text).replace("\n", "<br>"))
    cls = "answer refused" if refused else "answer"
    cursor = "" if done else '<span class="typing">▍</span>'
    badge = f'<span class="answer-status status-{status}">{STATUS_NAMES[status]}</span>' if status in STATUS_NAMES else ""
    return f'<div class="{cls}"><div class="answer-mode">{MODE_NAMES.get(mode, mode)}{badge}</div>{body}{cursor}</div>'


def understood_html(resolved: str) -> str:
    """How a follow-up was understood, shown above its answer so that the user can correct it."""
    return f'<div class="understood">理解为：{html.escape(resolved)}</div>'


def chat_answer(a: Answer, contexts: dict[str, Context]) -> str:
    """One turn's reply in the conversation: how the question was understood (when it was a follow-up),
    the answer with its status, and the turn's own citation cards."""
    resolved = a.resolved_question or a.question
    head = understood_html(resolved) if a.resolution not in ("", "none", "self-contained") and resolved != a.question else ""
    body = answer_html(a.text, a.mode, done=True, refused=a.refused, status=a.status) + answer_footer(a)
    cards = citation_cards(a, contexts)
    if cards:  # open on the newest turn; fold_earlier closes it once another question is asked
        cards = f"{OPEN_CARDS}<summary>出处与原文</summary>{cards}</details>"
    return f'<div class="chat-turn">{head}{body}{cards}</div>'


OPEN_CARDS = '<details class="turn-cards" open>'


def fold_earlier(messages: list[dict]) -> list[dict]:
    """The conversation with the citation cards of its replies folded: shown before a new turn's answer."""
    return [
        {**m, "content": m["content"].replace(OPEN_CARDS, '<details class="turn-cards">')}
        if m.get("role") == "assistant" and isinstance(m.get("content"), str)
        else m
        for m in messages
    ]


def answer_footer(a: Answer) -> str:
    bits = []
    if not a.refused:
        bits += [f"⚠ {html.escape(f)}" for f in a.flags]
    total = a.timings.get("total")
    if total is not None:
        first = a.timings.get("first_token")
        bits.append(f"用时 {total:.1f} 秒" + (f"（首字 {first:.1f} 秒）" if first is not None else ""))
    return "".join(f'<div class="answer-note">{b}</div>' for b in bits)


def citation_cards(a: Answer, contexts: dict[str, Context]) -> str:
    if a.refused:
        head = '<div class="cards-title">最接近的段落（未能回答问题，仅供参考）</div>'
        return head + "".join(card(p.chunk, f"#{p.rank}", ctx=contexts.get(p.chunk.id)) for p in a.passages[:3])
    head = '<div class="cards-title">出处</div>' if a.citations else ""
    return head + "".join(
        card(p.chunk, f"[{n}]", _spans(a.highlights, n), contexts.get(p.chunk.id)) for n, p in enumerate(a.citations, 1)
    )


def _spans(highlights: Sequence[Highlight], n: int) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in highlights if h.citation == n]


def passage_cards(passages: Sequence[Passage], contexts: dict[str, Context]) -> str:
    if not passages:
        return '<div class="empty">没有找到匹配的段落。</div>'
    return "".join(card(p.chunk, f"#{p.rank}", ctx=contexts.get(p.chunk.id), note=f"相关度 {p.score:.2f}") for p in passages)


def provision_cards(found: Sequence[Provision]) -> str:
    if not found:
        return '<div class="empty">没有找到这一条款或引文。请检查条款编号，或粘贴原文中的一句话。</div>'
    out = []
    for p in found:
        note = "条款匹配" if p.how == "provision" else f"引文匹配 {p.score:.0f}%"
        spans = [p.match] if p.match else []
        out.append(card(p.chunk, "§", spans, note=note, text=p.text, start=p.start, end=p.end, section=p.section))
    return "".join(out)


def message(text: str, kind: str = "warn") -> str:
    return f'<div class="message {kind}">{html.escape(text)}</div>'


def answer_text(a: Answer) -> str:
    """The answer with its citations as plain text, for copying."""
    lines = [a.text, ""]
    passages = a.citations or a.passages[:3]
    if passages:
        lines.append("出处：" if a.citations else "最接近的段落：")
    for n, p in enumerate(passages, 1):
        c = p.chunk
        lines.append(f"[{n}] {c.place()}（{c.issues_text()}；{c.where()}）")
        lines += [f"    「{c.text[h.start : h.end]}」" for h in a.highlights if h.citation == n]
    if passages:
        lines += ["", "参考文献（GB/T 7714-2015）："]
        lines += [f"[{n}] {gbt7714(p.chunk)}" for n, p in enumerate(passages, 1)]
    return "\n".join(lines).strip() + "\n"


def answer_markdown(a: Answer) -> str:
    """The question, the answer and the full text of each cited passage, as a Markdown file."""
    out = [f"# {a.question}", "", f"> {a.text}", ""]
    passages = a.citations or a.passages[:3]
    for n, p in enumerate(passages, 1):
        c = p.chunk
        out += [f"## [{n}] {c.article or c.issue_label}", ""]
        if c.section:
            out.append(f"- 位置：{readable_path(c.section)}")
        if c.source:
            out.append(f"- 发布：{c.source}")
        out += [f"- 简报：{c.issues_text()}", f"- 原文：`{c.where()}`", f"- 参考文献：{gbt7714(c)}", ""]
        text = c.text
        for s, e in sorted(_merge(_spans(a.highlights, n)), reverse=True):
            text = f"{text[:s]}**{text[s:e]}**{text[e:]}"
        out += ["\n\n".join(line for line in text.split("\n") if line.strip()), ""]
    return "\n".join(out)


def target_passage(c: Chunk | None, span: tuple[int, int] | None, row_text: str, value: str) -> str:
    """The passage a targets-table row came from, its value highlighted; the row's own sentence when the
    passage cannot be found (the index changed since the table was shown)."""
    if c is None:
        return f'<div class="cite-card"><div class="cite-text">{html.escape(row_text)}</div></div>'
    return card(c, "◆", [span] if span else [], note=f"数值：{value}") + (
        f'<div class="answer-note">参考文献：{html.escape(gbt7714(c))}</div>'
    )


def _cited(text: str, cites) -> str:
    return html.escape(text) + "".join(f'<span class="cite-ref">[{n}]</span>' for n in cites)


def digest_html(d) -> str:
    """本期要点 (rag.digest.Digest): one block per article — what it is, its points and figures, each cited
    [n] — and the cited passages as cards, folded, so that the issue reads on about two screens."""
    by_model = "" if d.mode == "extractive" else f"；要点由{MODE_NAMES.get(d.mode, d.mode)}撰写，数字已与原文核对"
    out = [
        f'<div class="digest"><div class="digest-head">{html.escape(d.issue)} · {len(d.articles)} 篇'
        f"（[n] 指向下方出处{by_model}）</div>"
    ]
    for i, a in enumerate(d.articles, 1):
        meta = " · ".join(html.escape(x) for x in (a.kind, a.source, a.issued, a.column) if x)
        items = [f"<li>{_cited(p.text, p.cites)}</li>" for p in a.points]
        if a.figures:
            figures = "；".join(_cited(f.text, [f.cite, *f.also]) for f in a.figures)
            items.append(f'<li class="digest-figures">数字：{figures}</li>')
        out.append(
            f'<div class="digest-article"><div class="digest-title">{i}. {html.escape(a.title)}</div>'
            f'<div class="digest-meta">{meta}</div><ul>{"".join(items)}</ul></div>'
        )
    cards = "".join(card(c, f"[{n}]") for n, c in enumerate(d.citations, 1))
    out.append(f'<details class="digest-sources"><summary>出处（{len(d.citations)} 段原文）</summary>{cards}</details></div>')
    return "".join(out)
