"""The Gradio app: a conversation with the bulletins, the issue's digest, look up a citation, the targets
table, manage the library.

    python app.py            # http://127.0.0.1:7860; GRADIO_SERVER_NAME / GRADIO_SERVER_PORT change it

It builds the index on first start. Every action is also an API endpoint (/ask, /search, /lookup,
/targets, /digest) for gradio_client. The handlers here only translate between widgets and rag.service.Service.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import logging
import os
import sys
import tempfile
import threading
import uuid
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home: the machine is offline

import gradio as gr  # noqa: E402

from rag.answer.events import follow  # noqa: E402
from rag.api.openai_compat import openai_router  # noqa: E402
from rag.cli import quiet_libraries  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.conversation.chat import turn_json, turn_of  # noqa: E402
from rag.digest.render import digest_json, digest_markdown  # noqa: E402
from rag.errors import UserError, public_message  # noqa: E402
from rag.files import atomic_write_text  # noqa: E402
from rag.filters import Filters, with_filter_params  # noqa: E402
from rag.ingest.control import Control, IngestCancelled  # noqa: E402
from rag.load import SUPPORTED  # noqa: E402
from rag.query import QueryError  # noqa: E402
from rag.references import export as export_references  # noqa: E402
from rag.serialize import answer_json, passage_json, provision_json, targets_json, versions_json  # noqa: E402
from rag.service import Service  # noqa: E402
from rag.store.manifest import IndexProblem  # noqa: E402
from rag.targets import KINDS, Target, groups  # noqa: E402
from rag.targets.export import KIND_NAMES, places_text, value_text, write_csv, write_xlsx  # noqa: E402
from rag.targets.rows import facets as target_facets  # noqa: E402
from rag.targets.rows import row_key  # noqa: E402
from rag.types import Answer  # noqa: E402
from rag.ui import render  # noqa: E402
from rag.ui.login import LoginCheck  # noqa: E402

log = logging.getLogger("app")
HERE = Path(__file__).resolve().parent
CSS = (HERE / "rag" / "ui" / "app.css").read_text(encoding="utf-8")
JS = (HERE / "rag" / "ui" / "app.js").read_text(encoding="utf-8")  # the chat shows a new answer from its start
EXAMPLES = [
    "到2026年要打造多少个典型应用场景？",
    "云南的公共数据多久内要完成校核？",
    "安徽的智能计算中心要支持多大规模的训练？",
    "Which documents mention humanoid robots?",
]
LOOKUP_EXAMPLES = ["云南 第二十二条", "数据要素× （十三）", "第22条", "公共机构应当自收到校核申请之日起5个工作日内"]
ASK_SLOTS = 16
# What a user may have done wrong, said plainly; anything else is a bug and is logged with its traceback.
USER_ERRORS = (UserError,)


FILTER_PARAMS = [spec.param for _, spec in Filters.specs()]


def _filters(*values) -> Filters:
    """The filter widgets' values, in Filters.specs() order."""
    return Filters.from_params(dict(zip(FILTER_PARAMS, values, strict=True)))


def _explain(exc: Exception) -> str:
    if isinstance(exc, QueryError) and "empty" in str(exc):
        return "请输入问题。（问题为空）"
    return f"无法完成：{_said(exc)}"


def _said(exc: BaseException) -> str:
    """An error as a visitor may read it: no server paths (a file keeps its name)."""
    return public_message(str(exc))


def _signed_in(request: gr.Request | None) -> bool:
    """Library changes are for a logged-in session only; without RAG_APP_AUTH they are not even
    registered (read-only), so this is the second lock on the same door."""
    return request is not None and bool(getattr(request, "username", None))


NOT_SIGNED_IN = "需要登录才能更改资料库。"


class Handlers:
    """Widget values in, HTML out; the work is the service's."""

    def __init__(self, service: Service, export_dir: Path) -> None:
        self.service, self.export_dir = service, export_dir

    def _contexts(self, passages) -> dict:
        return {p.chunk.id: self.service.context(p.chunk.id) for p in passages}

    def ask(self, question, mode, messages, turns, *filters):
        """One turn of this session's conversation. Streams (the conversation, its history, the question box,
        a notice, the passages area, copy text, Markdown, BibTeX and RIS downloads) as the answer is written."""
        mode = mode or self.service.default_mode()
        nothing = gr.update(value=None, visible=False)
        none = (nothing, nothing, nothing)
        messages, turns = render.fold_earlier(list(messages or [])), list(turns or [])
        asked = question or ""
        shown = [*messages, {"role": "user", "content": asked}]

        def reply(html: str) -> list[dict]:
            return [*shown, {"role": "assistant", "content": html}]

        try:
            # At once, with the question box kept until the question is accepted: the model may still be loading.
            for state in follow(self.service.ask(asked, _filters(*filters), mode, turns)):
                if (a := state.answer) is not None:
                    turns = [*turns, turn_json(turn_of(a))]
                    yield reply(self._finished_html(a)), turns, "", "", "", render.answer_text(a), *self._downloads(a)
                    return
                r = state.resolution
                understood = render.understood_html(r.question) if r is not None and r.changed else ""
                yield reply(understood + render.answer_html(state.text, mode)), turns, "", "", "", "", *none
        except USER_ERRORS as exc:
            yield messages, turns, asked, render.message(_explain(exc)), "", "", *none
        except Exception as exc:  # the LLM endpoint can fail in many ways; the page must not
            log.exception("ask failed")
            yield messages, turns, asked, render.message(f"出错了：{type(exc).__name__}: {exc}", "error"), "", "", *none

    def new_conversation(self):
        """新对话: this session's conversation and its outputs cleared (other sessions keep theirs)."""
        nothing = gr.update(value=None, visible=False)
        return [], [], "", "", "", "", nothing, nothing, nothing

    def _finished_html(self, a: Answer) -> str:
        shown = a.passages[:3] if a.refused else a.citations
        return render.chat_answer(a, self._contexts(shown))

    def _downloads(self, a: Answer) -> list:
        """The answer and its passages as Markdown, and the cited passages' references as BibTeX and RIS."""
        nothing = gr.update(value=None, visible=False)
        stem = f"answer-{uuid.uuid4().hex[:12]}"
        path = self.export_dir / f"{stem}.md"
        atomic_write_text(path, render.answer_markdown(a))
        downloads = [gr.update(value=str(path), visible=True)]
        for fmt, suffix in (("bibtex", "bib"), ("ris", "ris")):
            if not a.citations:
                downloads.append(nothing)
                continue
            ref = self.export_dir / f"{stem}.{suffix}"
            atomic_write_text(ref, export_references([p.chunk for p in a.citations], fmt))
            downloads.append(gr.update(value=str(ref), visible=True))
        return downloads

    def search(self, question, top_k, *filters):
        try:
            passages = self.service.search(question or "", int(top_k or 5), _filters(*filters))
        except USER_ERRORS as exc:
            return render.message(_explain(exc))
        return render.passage_cards(passages, self._contexts(passages))

    def lookup(self, reference):
        try:
            return render.provision_cards(self.service.lookup(reference or ""))
        except USER_ERRORS as exc:
            if isinstance(exc, QueryError) and "empty" in str(exc):
                return render.message("请输入条款编号或引文。")
            return render.message(_explain(exc))

    # --- digest ---

    def digest(self, issue, mode):
        """本期要点 of the chosen issue (default: the latest), and its Markdown download."""
        nothing = gr.update(value=None, visible=False)
        try:
            d = self.service.digest(issue or None, mode or "extractive")
        except USER_ERRORS as exc:
            return render.message(_explain(exc)), nothing
        except Exception as exc:  # an LLM failure must not take the page down
            log.exception("digest failed")
            return render.message(f"出错了：{type(exc).__name__}: {exc}", "error"), nothing
        path = self.export_dir / f"digest-{d.issue_id}-{uuid.uuid4().hex[:8]}.md"
        atomic_write_text(path, digest_markdown(d))
        return render.digest_html(d), gr.update(value=str(path), visible=True)

    def digest_choices(self):
        """The issues one can digest, latest first."""
        issues = [(f"{label}（{i}）", i) for label, i in reversed(self.service.facets().get("issues", []))]
        return gr.update(choices=issues, value=issues[0][1] if issues else None)

    # --- targets ---

    def targets_view(self, region, year, kind, issue, indicator, grouped):
        """The targets table as filtered, and its CSV and Excel downloads."""
        nothing = gr.update(value=None, visible=False)
        try:
            rows = self.service.targets(region or (), year or (), kind or (), issue or (), indicator or "")
        except USER_ERRORS as exc:
            return gr.update(value=[]), render.message(_explain(exc)), nothing, nothing
        table = _group_table(rows) if grouped else [_target_cells(r) for r in rows]
        stem = self.export_dir / f"targets-{uuid.uuid4().hex[:12]}"
        write_csv(rows, stem.with_suffix(".csv"))
        write_xlsx(rows, stem.with_suffix(".xlsx"))
        note = render.message(f"共 {len(rows)} 行{'，' + str(len(table)) + ' 组' if grouped else ''}。点击一行查看原文。", "ok")
        csv, xlsx = (gr.update(value=str(stem.with_suffix(x)), visible=bool(rows)) for x in (".csv", ".xlsx"))
        return gr.update(value=table, headers=GROUP_HEADERS if grouped else TARGET_HEADERS), note, csv, xlsx

    def targets_choices(self):
        """Each targets filter's choices in the current library."""
        try:
            found = target_facets(self.service.targets())
        except (*USER_ERRORS, IndexProblem):
            found = {}
        return tuple(gr.update(choices=found.get(name, [])) for name in ("region", "year", "issue"))

    def target_selected(self, evt: gr.SelectData):
        """The passage of the clicked row (its last column is the row's key), the value highlighted."""
        key = (evt.row_value or [""])[-1]
        try:
            rows = self.service.targets()
        except USER_ERRORS as exc:
            return render.message(_explain(exc))
        row = next((r for r in rows if row_key(r) == key), None)
        if row is None:
            return render.message("这一行已不在资料库中，请刷新表格。")
        found = self.service.target_passage(row)
        chunk, span = found if found else (None, None)
        return render.target_passage(chunk, span, row.text, value_text(row))

    # --- library ---

    def library_view(self):
        """The library table, each filter's choices, and the bulletins one can remove."""
        choices = self.service.facets()
        rows = [[b.issue_id, b.label, b.date, b.articles, b.chunks, b.path] for b in self._bulletins()]
        ids = [(f"{label}（{i}）", i) for label, i in choices.get("issues", [])]
        updates = [gr.update(choices=choices.get(name, [])) for name, spec in Filters.specs() if spec.many]
        return (rows, *updates, gr.update(choices=ids, value=None))

    def _bulletins(self):
        try:
            return self.service.bulletins()
        except IndexProblem:
            return []

    def add(self, files, number="", date="", request: gr.Request = None, progress=gr.Progress()):  # noqa: B008 (Gradio injects these)
        if not _signed_in(request):
            return (render.message(NOT_SIGNED_IN, "error"), *self.library_view())
        if not files:
            return (render.message("请先选择一个简报文件（.pdf / .docx / .md / .txt）。"), *self.library_view())
        meta = {"number": (number or "").strip(), "date": (date or "").strip()}
        if any(meta.values()) and not isinstance(files, str) and len(files) > 1:
            return (render.message("期号和日期只能用于单个文件：请一次加入一个。", "error"), *self.library_view())
        reports = []
        limit = self.service.settings.ingest_timeout_s
        for file in [files] if isinstance(files, str) else files:
            name = Path(file).name

            def step(done: int, total: int, name=name) -> None:
                progress((done, max(total, 1)), desc=f"正在向量化 {name} 的段落和句子", unit="条")

            def reading(label: str, seconds: float, name=name) -> None:
                progress(None, desc=f"正在独立进程中解析 {name}：{seconds:.0f} 秒（超过 {limit:g} 秒即放弃）")

            try:
                progress(None, desc=f"正在解析 {name}")
                b = self.service.add(Path(file), name, step, meta, Control(on_parse=reading))
                again = f"（另有 {b.reprinted} 个段落此前已刊登，合并引用）" if b.reprinted else ""
                reports.append(render.message(f"已加入：{b.label}，{b.articles} 篇文章，{b.chunks} 个段落{again}。", "ok"))
            except IngestCancelled:
                reports.append(render.message(f"{name} 未加入：已取消，资料库保持不变。"))
                break  # the files after it too
            except USER_ERRORS as exc:
                reports.append(render.message(f"{name} 未加入，资料库保持不变：{_said(exc)}", "error"))
            except Exception as exc:
                log.exception("add failed")
                reports.append(render.message(f"{name} 未加入，资料库保持不变：{type(exc).__name__}: {_said(exc)}", "error"))
        return ("".join(reports), *self.library_view())

    def cancel(self, request: gr.Request = None):
        """取消: the library change under way stops (its worker killed, its build dropped before the switch)."""
        if not _signed_in(request):
            return (render.message(NOT_SIGNED_IN, "error"), *self.library_view())
        said = {
            "cancelled": ("已取消：资料库和索引保持不变。", "ok"),
            "done": ("取消得太晚：这次更改已经完成。", "warn"),
            "failed": ("这次更改没有完成，资料库保持不变。", "warn"),
            "running": ("正在取消…", "warn"),
            "none": ("没有正在进行的资料库更改。", "warn"),
        }
        text, kind = said[self.service.cancel()]
        return (render.message(text, kind), *self.library_view())

    def remove(self, issue, request: gr.Request = None, progress=gr.Progress()):  # noqa: B008
        if not _signed_in(request):
            return (render.message(NOT_SIGNED_IN, "error"), *self.library_view())
        if not issue:
            return (render.message("请先选择要移除的简报。"), *self.library_view())
        try:
            self.service.remove(issue, lambda d, t: progress((d, max(t, 1)), desc="正在更新索引"))
            report = render.message(f"已移除 {issue}。", "ok")
        except IngestCancelled:
            report = render.message("已取消：资料库保持不变。")
        except USER_ERRORS as exc:
            report = render.message(f"未移除：{_said(exc)}", "error")
        return (report, *self.library_view())

    def rebuild(self, request: gr.Request = None, progress=gr.Progress()):  # noqa: B008
        if not _signed_in(request):
            return (render.message(NOT_SIGNED_IN, "error"), *self.library_view())
        try:
            self.service.rebuild(lambda d, t: progress((d, max(t, 1)), desc="正在重建索引"))
            report = render.message("索引已重建。", "ok")
        except IngestCancelled:
            report = render.message("已取消：索引保持不变。")
        except USER_ERRORS as exc:
            report = render.message(f"重建失败：{_said(exc)}", "error")
        return (report, *self.library_view())


class Api:
    """The API endpoints: the text first, everything else with a default; JSON as the CLI prints it.
    Each filter of rag.filters.Filters is one more string parameter (article, column, issue, source,
    region, date_from, date_to)."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def ask(self, question: str, mode: str = "", filters: Filters | None = None, history: list | None = None) -> dict:
        """A short answer with [n] citations; refused=true when the bulletin does not answer. mode: extractive,
        local or openai; empty for the app's default (RAG_LLM). Filters: article, column, issue (2023-51),
        source (issuing body), region (贵州, 深圳), date_from / date_to (2023, 2023-12 or 2023-12-22).
        history: the conversation so far, [{"question": …, "answer": …?}, …], oldest first: a follow-up
        (中部呢？ 下一条呢？ 它…) is answered as the question it stands for, given as resolved_question."""
        mode = mode or self.service.default_mode()
        return answer_json(self.service.answer(question, filters, mode, history or None))

    def search(self, question: str, top_k: int = 5, filters: Filters | None = None) -> dict:
        """Ranked passages with their citations; the filters are those of /ask."""
        passages = self.service.search(question, int(top_k), filters)
        return {"question": question, "passages": [passage_json(p) for p in passages]}

    def lookup(self, reference: str, limit: int = 5) -> dict:
        """A provision (云南 第二十二条, 第22条, （十三）) or a quoted phrase -> the provisions, in full."""
        found = self.service.lookup(reference, int(limit))
        return {"reference": reference, "results": [provision_json(p) for p in found]}

    def digest(self, issue: str = "", mode: str = "") -> dict:
        """本期要点 of one issue (id such as 2023-51; empty for the latest): each article's issuing body, date,
        kind of document, main points and figures with [n] citations, and the cited passages, as
        `python -m rag digest --json` prints them. mode: extractive (default), local or openai (written by the
        model, every number checked against the passages)."""
        return digest_json(self.service.digest(issue or None, mode or "extractive"))

    def versions(self, title: str, limit: int = 5) -> dict:
        """The versions of a document across issues (征求意见稿, 试行, 现行, 已废止 …) and, between consecutive
        ones, the provisions added, removed and changed (old and new number and text, changed figures), as
        `python -m rag versions --json` prints them."""
        return {"title": title, "documents": [versions_json(g) for g in self.service.versions(title, int(limit))]}

    def targets(
        self, indicator: str = "", region: str = "", year: str = "", kind: str = "", issue: str = "", group: bool = False
    ) -> list:
        """The quantitative values of the bulletins, as `python -m rag targets --json` prints them. Each
        filter may list several values separated by commas: region (河南, 全国), year (2025), kind (target,
        statistic, time_limit, other), issue (2023-51); indicator matches a part of the name or sentence.
        group=true: one entry per indicator and region across issues, changes first."""
        rows = self.service.targets(_many(region), _many(year), _many(kind), _many(issue), indicator or "")
        return targets_json(rows, bool(group))


def _many(value) -> list[str]:
    """An API filter: a list, or one string of values separated by commas."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v.strip() for v in str(value or "").replace("，", ",").split(",") if v.strip()]


TARGET_HEADERS = [
    "类型",
    "地区",
    "指标",
    "数值",
    "下限",
    "上限",
    "年份",
    "发文机关",
    "文章",
    "位置",
    "各处出处",
    "违法行为",
    "期号",
    "原文句子",
    "键",
]
GROUP_HEADERS = ["地区", "指标", "单位", "各期数值", "有变化", "期数", "键"]


def _target_cells(r: Target) -> list:
    return [
        KIND_NAMES.get(r.kind, r.kind),
        r.region,
        r.indicator,
        value_text(r),
        "" if r.low is None else r.low,
        "" if r.high is None else r.high,
        r.year or "",
        r.issuer,
        r.article,
        r.section,
        places_text(r) if len(r.places) > 1 else "",
        r.act,
        r.issue_id,
        r.text,
        row_key(r),
    ]


def _group_table(rows: list[Target]) -> list[list]:
    out = []
    for g in groups(rows):
        members = [Target.from_json(x) for x in g["rows"]]
        values = " → ".join(f"{m.issue_id}: {value_text(m)}" + (f"（{m.year}）" if m.year else "") for m in members)
        out.append(
            [g["region"], g["indicator"], g["unit"], values, "是" if g["changed"] else "", len(g["issues"]), row_key(members[-1])]
        )
    return out


def _guarded(fn):
    """An API function whose user errors (a bad date, an unknown mode, a bad top_k) reach the client as
    a message; anything else is a bug and is reported as one."""

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (*USER_ERRORS, ValueError) as exc:
            raise gr.Error(_said(exc)) from exc

    return guarded


PRIVATE = {"api_visibility": "undocumented"}
# LLM answers wait their turn on the service's lock, not in this queue: the slots are many so that an
# extractive answer never queues behind people waiting for the model.
ASKING = {"concurrency_id": "ask", "concurrency_limit": ASK_SLOTS}
FAST = {"concurrency_id": "fast", "concurrency_limit": 8}


def _filter_widgets(choices: dict[str, list]) -> list:
    """One widget per filter of rag.filters.Filters, in its order: a multi-select of the library's
    values, or a text box (dates)."""
    widgets = []
    specs = Filters.specs()
    for row in (specs[:3], specs[3:]):
        with gr.Row():
            for name, spec in row:
                if spec.many:
                    widgets.append(gr.Dropdown(choices=choices.get(name, []), multiselect=True, label=spec.label))
                else:
                    elem_id = spec.param.replace("_", "-")
                    widgets.append(gr.Textbox(label=spec.label, placeholder=spec.placeholder, elem_id=elem_id))
    return widgets


def _ask_tab(h: Handlers, service: Service) -> list:
    """提问: a conversation kept for this browser session — each question, how a follow-up was understood,
    the streamed answer and its citation cards — with the answer mode, filters, 新对话, 只看相关段落 and the
    latest answer's copy box and downloads. Returns the filter widgets (the library tab refreshes their
    choices)."""
    modes = service.modes()
    with gr.Tab("提问", id="ask"):
        conversation = gr.Chatbot(
            label="对话（追问可以直接说“那河南呢？”“下一条呢？”“它…”）",
            elem_id="chat",
            height=560,
            buttons=["copy"],
            group_consecutive_messages=False,
            autoscroll=False,  # rag/ui/app.js shows the new turn from its start instead of following the bottom
        )
        turns = gr.State([])  # this session's history: never shared with another browser
        with gr.Row(equal_height=True):
            question = gr.Textbox(
                label="问题",
                placeholder="例如：云南的公共数据多久内要完成校核？",
                lines=1,
                max_lines=4,
                scale=5,
                elem_id="question",
            )
            mode = gr.Dropdown(
                choices=[(render.MODE_NAMES[m], m) for m in modes],
                value=service.default_mode(),
                label="回答方式",
                visible=len(modes) > 1,
                scale=1,
            )
        with gr.Row():
            ask_btn = gr.Button("提问", variant="primary", elem_id="ask-button")
            search_btn = gr.Button("只看相关段落", elem_id="search-button")
            new_btn = gr.Button("新对话", elem_id="new-chat")
        with gr.Accordion("筛选（" + "、".join(spec.label for _, spec in Filters.specs() if spec.many) + "、日期）", open=False):
            filters = _filter_widgets(service.facets())
            top_k = gr.Slider(1, 20, value=5, step=1, label="段落数（只看相关段落时）")
        gr.Examples(EXAMPLES, inputs=[question], label="示例问题")
        notice = gr.HTML(elem_id="answer")  # a question that cannot be asked, or an error
        cards = gr.HTML(elem_id="citations")  # 只看相关段落
        with gr.Accordion("复制与导出（最近一次回答）", open=False):
            copy_box = gr.Textbox(label="答案与出处（纯文本）", lines=6, interactive=False, buttons=["copy"], elem_id="copy-text")
            with gr.Row():
                download = gr.DownloadButton("下载出处（Markdown）", visible=False, elem_id="download")
                bibtex = gr.DownloadButton("参考文献（BibTeX）", visible=False, elem_id="download-bibtex")
                ris = gr.DownloadButton("参考文献（RIS）", visible=False, elem_id="download-ris")

    outputs = [conversation, turns, question, notice, cards, copy_box, download, bibtex, ris]
    for trigger in (ask_btn.click, question.submit):
        trigger(h.ask, [question, mode, conversation, turns, *filters], outputs, api_name="ui_ask", **ASKING, **PRIVATE)
    new_btn.click(h.new_conversation, None, outputs, api_name="ui_new_chat", **PRIVATE)
    hidden = gr.update(visible=False)
    search_btn.click(h.search, [question, top_k, *filters], [cards], api_name="ui_search", **FAST, **PRIVATE).then(
        lambda: ("", "", hidden, hidden, hidden), None, [notice, copy_box, download, bibtex, ris], **PRIVATE
    )
    return filters


def _digest_tab(h: Handlers, service: Service, demo: gr.Blocks) -> gr.Dropdown:
    """本期要点: the chosen issue's articles — issuing body, date, kind, main points, figures, each cited — on
    about two screens, with a Markdown download. Shown for the latest issue when the page opens. Returns
    the issue picker (a library change refreshes it)."""
    modes = service.modes()
    with gr.Tab("本期要点", id="digest"):
        with gr.Row(equal_height=True):
            issue = gr.Dropdown(label="期号", scale=3, elem_id="digest-issue")
            mode = gr.Dropdown(
                choices=[(render.MODE_NAMES[m], m) for m in modes],
                value="extractive",
                label="生成方式",
                visible=len(modes) > 1,
                scale=1,
            )
            go = gr.Button("生成本期要点", variant="primary", scale=1, elem_id="digest-button")
        view = gr.HTML(elem_id="digest")
        download = gr.DownloadButton("下载本期要点（Markdown）", visible=False, elem_id="digest-download")
    go.click(h.digest, [issue, mode], [view, download], api_name="ui_digest", **ASKING, **PRIVATE)
    # Named, so that Gradio does not name it after the function and shadow the /digest endpoint.
    demo.load(h.digest_choices, None, [issue], **PRIVATE).then(
        h.digest, [issue, mode], [view, download], api_name="ui_digest_on_load", **PRIVATE
    )
    return issue


def _lookup_tab(h: Handlers) -> None:
    """查找条款: a provision number or a pasted quote, in full."""
    with gr.Tab("查找条款", id="lookup"):
        with gr.Row(equal_height=True):
            reference = gr.Textbox(
                label="条款编号或引文",
                placeholder="例如：云南 第二十二条 ／ 数据要素× （十三） ／ 粘贴原文中的一句话",
                scale=5,
                elem_id="reference",
            )
            lookup_btn = gr.Button("查找", variant="primary", scale=1, elem_id="lookup-button")
        gr.Examples(LOOKUP_EXAMPLES, inputs=[reference], label="示例")
        provisions = gr.HTML(elem_id="provisions")
    for trigger in (lookup_btn.click, reference.submit):
        trigger(h.lookup, [reference], [provisions], api_name="ui_lookup", concurrency_id="fast", **PRIVATE)


def _versions_html(documents: list[dict]) -> str:
    """A document's versions and, between consecutive ones, the provisions added, removed and changed."""
    from html import escape

    if not documents:
        return render.message("资料库中没有这个标题的文件。")
    out = []
    for g in documents:
        rows = "".join(
            f"<li>{escape(v['issue'])}：{escape(v['title'])} · <b>{escape(v['status'])}</b></li>" for v in g["versions"]
        )
        out.append(f"<h3>《{escape(g['title'])}》</h3><ul>{rows}</ul>")
        for d in g["diffs"]:
            items = [f"<li>新增 {escape(p['number'] or p['section'])}：{escape(p['text'])}</li>" for p in d["added"]]
            items += [f"<li>删除 {escape(p['number'] or p['section'])}：{escape(p['text'])}</li>" for p in d["removed"]]
            for c in d["changed"]:
                where = f"{c['old_number']} → {c['new_number']}" if c["renumbered"] else c["new_number"] or c["new_section"]
                figures = "；".join(f["text"] for f in c["figures"])
                what = (f"修改（{figures}）" if figures else "修改") if c["text_changed"] else "条号调整"
                text = f"：{escape(c['new_text'])}" if c["text_changed"] else ""
                items.append(f"<li>{escape(where)} {what}{text}</li>")
            head = f"{escape(d['from'])} → {escape(d['to'])}：未变 {d['unchanged']} 条"
            out.append(f"<p>{head}</p><ul>{''.join(items)}</ul>")
    return "".join(out)


def _versions_tab(service: Service) -> None:
    """版本对照: a document's versions across issues and what changed between them (the /versions JSON)."""

    def show(title: str) -> str:
        try:
            return _versions_html(Api(service).versions(title)["documents"])
        except USER_ERRORS as exc:
            return render.message(_explain(exc))

    with gr.Tab("版本对照", id="versions"):
        with gr.Row(equal_height=True):
            title = gr.Textbox(label="文件标题", placeholder="例如：某某公共数据管理办法", scale=5, elem_id="versions-title")
            go = gr.Button("对照", variant="primary", scale=1)
        view = gr.HTML(elem_id="versions-view")
    for trigger in (go.click, title.submit):
        trigger(show, [title], [view], api_name="ui_versions", concurrency_id="fast", **PRIVATE)


def _targets_tab(h: Handlers, demo: gr.Blocks) -> list:
    """指标目标: every quantitative value of the library in a sortable, filterable table; a click shows the
    passage with the value highlighted; CSV and Excel downloads; grouped, one indicator across issues.
    Returns the widgets whose choices a library change refreshes."""
    with gr.Tab("指标目标", id="targets"):
        with gr.Row():
            region = gr.Dropdown(multiselect=True, label="地区", elem_id="targets-region")
            year = gr.Dropdown(multiselect=True, label="年份（目标的期限、统计的年度）")
            kind = gr.Dropdown(
                choices=[(KIND_NAMES[k], k) for k in KINDS],
                value=["target"],
                multiselect=True,
                label="类型",
                elem_id="targets-kind",
            )
            issue = gr.Dropdown(multiselect=True, label="期号")
        with gr.Row():
            indicator = gr.Textbox(label="指标（包含的文字）", placeholder="例如：智能工厂、5G基站", scale=4)
            grouped = gr.Checkbox(label="按指标和地区分组（看各期变化）", scale=1)
        note = gr.HTML(elem_id="targets-note")
        table = gr.Dataframe(
            headers=TARGET_HEADERS, interactive=False, wrap=True, show_search="filter", max_height=480, elem_id="targets-table"
        )
        passage = gr.HTML(elem_id="target-passage")
        with gr.Row():
            csv = gr.DownloadButton("下载 CSV", visible=False, elem_id="targets-csv")
            xlsx = gr.DownloadButton("下载 Excel", visible=False, elem_id="targets-xlsx")
    inputs = [region, year, kind, issue, indicator, grouped]
    view = {"fn": h.targets_view, "inputs": inputs, "outputs": [table, note, csv, xlsx], **FAST, **PRIVATE}
    for widget in (region, year, kind, issue, grouped):
        widget.change(**view)
    indicator.submit(**view)
    table.select(h.target_selected, None, [passage], api_name="ui_target_passage", **FAST, **PRIVATE)
    demo.load(api_name="ui_targets", **view)
    demo.load(h.targets_choices, None, [region, year, issue], **PRIVATE)
    return [region, year, issue]


READ_ONLY = (
    "只读模式：资料库的加入、移除和重建已关闭（未设置 RAG_APP_AUTH）。"
    "管理资料库请以 RAG_APP_AUTH=用户名:密码 启动，登录后即可使用；命令行 python -m rag add 也可加入简报。"
)


def _library_tab(h: Handlers, demo: gr.Blocks, filters: list, targets: list, digest_issue: gr.Dropdown, manage: bool) -> None:
    """资料库: the bulletins in the index; with ``manage`` (a login is configured) add, remove, rebuild.
    Without it the change events are not registered at all, so no endpoint can change the library.
    Every change refreshes the filters' choices (the targets tab's too)."""
    with gr.Tab("资料库", id="library"):
        table = gr.Dataframe(
            headers=["期号ID", "简报", "日期", "文章数", "段落数", "文件"],
            interactive=False,
            elem_id="library-table",
        )
        if manage:
            with gr.Row():
                upload = gr.File(
                    label="加入新的简报（PDF、Word、Markdown 或纯文本）",
                    file_types=sorted(SUPPORTED),
                    file_count="multiple",
                    type="filepath",
                    elem_id="upload",
                )
                with gr.Column():
                    with gr.Row():
                        up_number = gr.Textbox(label="期号（刊头没有时填写）", placeholder="3")
                        up_date = gr.Textbox(label="日期（刊头没有时填写）", placeholder="2024-01-19")
                    with gr.Row():
                        add_btn = gr.Button("加入资料库", variant="primary", elem_id="add-button", scale=3)
                        cancel_btn = gr.Button("取消", elem_id="cancel-button", scale=1)
                    remove_pick = gr.Dropdown(label="移除简报", choices=[])
                    remove_btn = gr.Button("移除", variant="stop")
                    rebuild_btn = gr.Button("重建索引")
        else:
            gr.HTML(render.message(READ_ONLY, "warn"), elem_id="read-only")
            remove_pick = gr.Dropdown(visible=False)
        status = gr.HTML(elem_id="library-status")

    many = [w for w, (_, spec) in zip(filters, Filters.specs(), strict=True) if spec.many]
    outputs = [table, *many, remove_pick]
    demo.load(h.library_view, None, outputs, api_name="ui_library", **PRIVATE)
    if not manage:
        return
    after = [(h.targets_choices, None, targets), (h.digest_choices, None, [digest_issue])]
    lib = {"concurrency_id": "library", "concurrency_limit": 1, **PRIVATE}
    adding = add_btn.click(h.add, [upload, up_number, up_date], [status, *outputs], api_name="ui_add", **lib)
    _then(adding.then(lambda: None, None, [upload], **PRIVATE), after)
    removing = remove_btn.click(h.remove, [remove_pick], [status, *outputs], api_name="ui_remove", **lib)
    _then(removing, after)
    rebuilding = rebuild_btn.click(h.rebuild, None, [status, *outputs], api_name="ui_rebuild", **lib)
    _then(rebuilding, after)
    # A running handler is not stopped by Gradio's cancels (only queued ones are): h.cancel reaches the
    # change itself through the service. Its own slot: it must not queue behind the change it stops.
    cancelling = cancel_btn.click(
        h.cancel,
        None,
        [status, *outputs],
        api_name="ui_cancel",
        cancels=[adding, removing, rebuilding],
        concurrency_id="cancel",
        concurrency_limit=None,
        **PRIVATE,
    )
    _then(cancelling, after)  # a cancel that came too late changed the library


def _then(event, steps: list) -> None:
    for fn, inputs, outputs in steps:
        event = event.then(fn, inputs, outputs, **PRIVATE)


def _history_last(fn):
    """The /ask function with its ``history`` parameter after the filters, so that clients passing filters
    by position keep working."""
    signature = inspect.signature(fn)
    params = [p for p in signature.parameters.values() if p.name != "history"] + [signature.parameters["history"]]
    names = [p.name for p in params]

    @functools.wraps(fn)
    def call(*args, **kwargs):
        return fn(**(dict(zip(names, args, strict=False)) | kwargs))

    call.__signature__ = signature.replace(parameters=params)
    return call


def _api(api: Api) -> None:
    """The documented endpoints /ask, /search, /lookup, /targets, /digest."""
    gr.api(_guarded(_history_last(with_filter_params(api.ask))), api_name="ask", **ASKING)
    gr.api(_guarded(with_filter_params(api.search)), api_name="search", **FAST)
    gr.api(_guarded(api.lookup), api_name="lookup", concurrency_id="fast")
    gr.api(_guarded(api.targets), api_name="targets", concurrency_id="fast")
    gr.api(_guarded(api.digest), api_name="digest", **ASKING)
    gr.api(_guarded(api.versions), api_name="versions", concurrency_id="fast")


def build_app(service: Service, export_dir: Path | None = None, manage: bool | None = None) -> gr.Blocks:
    """The app; the library can be changed in it only when a login is configured (``manage`` defaults
    to whether RAG_APP_AUTH is set)."""
    manage = bool(service.settings.app_auth) if manage is None else manage
    h = Handlers(service, export_dir or Path(tempfile.mkdtemp(prefix="bulletin-rag-export-")))
    with gr.Blocks(title="大数据发展动态 · 政策问答") as demo:
        gr.HTML(
            '<div class="app-title"><h1>大数据发展动态 · 政策问答</h1>'
            "<p>用中文或英文提问，答案中的每一处 [n] 都对应下方可核对的原文段落。</p></div>"
        )
        if service.problem:
            gr.HTML(render.message(f"索引无法使用：{service.problem}。请到「资料库」页重建索引。", "error"))
        with gr.Tabs():
            filters = _ask_tab(h, service)
            digest_issue = _digest_tab(h, service, demo)
            _lookup_tab(h)
            targets = _targets_tab(h, demo)
            _versions_tab(service)
            _library_tab(h, demo, filters, targets, digest_issue, manage)
        _api(Api(service))
    return demo


def _auth(settings: Settings):
    if not settings.app_auth:
        return None
    try:
        return LoginCheck(settings).verify
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def launch(demo: gr.Blocks, settings: Settings, host: str | None = None, port: int | None = None, **kwargs):
    # None lets Gradio read GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, defaulting to 127.0.0.1:7860.
    theme = gr.themes.Soft(
        primary_hue="blue",
        font=["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"],
        font_mono=["Noto Sans Mono CJK SC", "monospace"],
    )
    return demo.queue(default_concurrency_limit=4).launch(
        server_name=host,
        server_port=port,
        auth=_auth(settings),
        share=settings.app_share,
        theme=theme,
        css=CSS,
        js=JS,
        ssr_mode=False,
        footer_links=["api"],
        max_file_size=settings.max_upload_bytes,
        **kwargs,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="The 大数据发展动态 question-answering app.")
    ap.add_argument("--host", help="address to bind (default 127.0.0.1, or GRADIO_SERVER_NAME)")
    ap.add_argument("--port", type=int, help="port (default 7860, or GRADIO_SERVER_PORT)")
    ap.add_argument("--index-dir", type=Path, help="index folder (default ./index or $RAG_INDEX_DIR)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for ours in ("app", "rag"):
        logging.getLogger(ours).setLevel(logging.INFO)
    quiet_libraries()
    settings = Settings.from_env(index_dir=args.index_dir)
    service = Service(settings)

    def progress(done: int, total: int) -> None:
        print(
            f"\rEmbedding passages and sentences: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True
        )

    service.start(progress)
    if (mode := service.default_mode()) != "extractive" and not service.problem:
        threading.Thread(target=service.warm, args=(mode, EXAMPLES[0]), daemon=True).start()
    # The OpenAI-compatible API (/v1/…) beside the app's own, over the same service.
    launch(build_app(service), settings, args.host, args.port, app_kwargs={"routes": openai_router(service).routes})
    return 0


if __name__ == "__main__":
    sys.exit(main())
