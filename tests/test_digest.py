"""本期要点 checked against the bulletin: every article present, every cited point in its passage, every
figure's value in its passage, what each document is, how long it is and takes; an LLM-written digest keeps
only numbers its passages hold."""

import re
import time

import pytest

from rag.digest import DigestError, build_digest
from rag.digest.render import digest_json, digest_markdown, digest_text
from rag.errors import UserError
from rag.targets import extract_targets
from rag.text import compact


@pytest.fixture(scope="module")
def targets(issue):
    return extract_targets(issue)


@pytest.fixture(scope="module")
def digest(chunks, targets):
    return build_digest(chunks, targets)


def test_every_article_of_the_issue_is_there_in_order(digest, chunks):
    titles = list(dict.fromkeys(c.article for c in chunks if c.article))
    assert [a.title for a in digest.articles] == titles and len(titles) == 9
    assert digest.issue_id == "2023-51" and "第51期" in digest.issue


def test_every_point_is_quoted_from_the_passage_it_cites(digest):
    for a in digest.articles:
        assert 1 <= len(a.points) <= 2, a.title
        for p in a.points:
            [n] = p.cites
            passage = digest.citations[n - 1]
            assert passage.article == a.title
            assert passage.text[p.start : p.end].strip().startswith(p.text.rstrip("…")[:10])
            for piece in p.text.split("…"):
                assert compact(piece) in compact(passage.text), (a.title, piece)


def test_every_figure_stands_in_the_passage_it_cites(digest):
    for a in digest.articles:
        assert len(a.figures) <= 3
        for f in a.figures:
            passage = digest.citations[f.cite - 1]
            assert passage.article == a.title
            assert compact(f.value) in compact(passage.text), (a.title, f.text)
            if f.start is not None:
                assert compact(f.value) in compact(passage.text[f.start : f.end])
    henan = next(a for a in digest.articles if a.title.startswith("河南"))
    assert [f.value for f in henan.figures] == ["85", "54", "58"] and all(f.year == 2025 for f in henan.figures)


def test_each_figure_once_cited_where_it_stands_and_where_the_note_restates_it_and_only_quantities(digest):
    figures = [(a.title, f.indicator, f.value) for a in digest.articles for f in a.figures]
    assert len(figures) == len(set(figures))
    assert all(f.unit and f.value not in ("年度", "每月", "每季度") for a in digest.articles for f in a.figures)
    plan = digest.articles[0]  # the note restates the plan's headline targets
    for f in plan.figures:
        kinds = {digest.citations[n - 1].kind for n in (f.cite, *f.also)}
        assert kinds == {"section", "editor_note"}, f.text
    beijing = next(a for a in digest.articles if a.title.startswith("北京"))
    assert not beijing.figures  # its one value is a recurrence (年度发展蓝皮书): no figure


def test_what_each_document_is(digest):
    by = {a.title[:2]: a for a in digest.articles}
    assert (by["北京"].kind, by["北京"].source, by["北京"].issued) == ("指导意见", "北京市人民政府", "12月19日印发")
    assert by["云南"].kind == "管理办法（试行）" and by["安徽"].kind == "行动方案" and by["安徽"].issued == "12月15日印发"
    assert by["“数"].kind == "行动计划（征求意见稿）" and by["“数"].source == "国家数据局"
    assert by["人工"].kind == "研究报告" and by["人工"].issued == ""  # its date is not stated: none is made up


def test_it_is_short_and_fast(chunks, targets, digest):
    t0 = time.perf_counter()
    build_digest(chunks, targets)
    assert time.perf_counter() - t0 < 2.0
    body = digest_text(digest).split("出处：")[0]
    assert len(body.splitlines()) <= 60 and len(compact(body)) <= 3500
    assert all(len(p.text) <= 81 for a in digest.articles for p in a.points)


def test_markdown_and_json_carry_the_same_digest(digest):
    md = digest_markdown(digest)
    assert md.startswith("# 本期要点 · 大数据发展动态 第51期") and "## 出处" in md
    assert all(f"## {i}. {a.title}" in md for i, a in enumerate(digest.articles, 1))
    assert max(int(n) for n in re.findall(r"\[(\d+)\]", md)) == len(digest.citations)
    data = digest_json(digest)
    assert [a["title"] for a in data["articles"]] == [a.title for a in digest.articles]
    assert [c["n"] for c in data["citations"]] == list(range(1, len(digest.citations) + 1))
    assert all(c["text"] and c["source_path"] and c["reference"] for c in data["citations"])


def test_an_unknown_issue_is_a_user_error(chunks, targets):
    with pytest.raises(DigestError, match="no issue") as err:
        build_digest(chunks, targets, "1999-1")
    assert isinstance(err.value, UserError)


class ScriptedLLM:
    kind, name = "local", "scripted"

    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, messages, max_tokens):
        yield self.text


def test_an_llm_digest_keeps_only_numbers_its_passages_hold(chunks, targets):
    from pathlib import Path

    prompts = Path(__file__).resolve().parent.parent / "prompts"
    llm = ScriptedLLM("行动计划提出到2026年打造300个以上典型应用场景[1]。数据产业年均增速要超过35%[1]。")
    d = build_digest(chunks, targets, llm=llm, prompts_dir=prompts)
    first = d.articles[0]
    assert d.mode == "local" and first.written_by == "local"
    texts = [p.text for p in first.points]
    assert any("300" in t for t in texts) and not any("35%" in t for t in texts)  # the invented figure is gone
    assert any("35%" in n for n in d.notes)
    for p in first.points:
        assert all(d.citations[n - 1].article == first.title for n in p.cites)
    assert first.figures  # figures stay as the targets table has them


def test_an_llm_digest_with_nothing_usable_keeps_the_quotes(chunks, targets, digest):
    from pathlib import Path

    prompts = Path(__file__).resolve().parent.parent / "prompts"
    d = build_digest(chunks, targets, llm=ScriptedLLM("无法概括。"), prompts_dir=prompts)
    assert [p.text for p in d.articles[0].points] == [p.text for p in digest.articles[0].points]
    assert d.articles[0].written_by == "extractive"
