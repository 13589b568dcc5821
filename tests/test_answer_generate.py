from conftest import make_passage

from rag.answer.extractive import Candidate
from rag.answer.generate import best_passages, trimmed
from rag.sentences import split_sentences
from rag.types import Passage


def candidates(passages: list[Passage], scores: dict[tuple[int, int], float]) -> list[Candidate]:
    out = []
    for i, p in enumerate(passages):
        for j, sent in enumerate(split_sentences(p.chunk.text)):
            out.append(Candidate(i, sent, 0.9, 0.5, scores.get((i, j), 0.0)))
    return out


def test_editor_notes_go_after_the_text_and_only_usable_passages_count():
    ps = [
        make_passage("编者按的话。", kind="editor_note", rank=1),
        make_passage("正文一。", rank=2),
        make_passage("正文二。", rank=3),
        make_passage("正文三。", rank=4),
    ]
    assert best_passages(ps, candidates(ps, {}), 3) == [1, 2, 3]
    assert best_passages(ps, [c for c in candidates(ps, {}) if c.passage != 2], 3) == [1, 3, 0]


def test_the_model_reads_the_best_sentences_within_the_budget_with_gaps_marked():
    ps = [make_passage("甲句子一。甲句子二很重要。甲句子三。"), make_passage("乙句子一重要。乙句子二。", rank=2)]
    cands = candidates(ps, {(0, 1): 3.0, (1, 0): 2.0, (0, 0): 1.0, (1, 1): 0.5})
    chosen, shown = trimmed(ps, cands, 2, max_chars=15)
    assert chosen == [0, 1]
    assert shown[0].chunk.text == "…甲句子二很重要。…"
    assert shown[1].chunk.text == "乙句子一重要。…"
    assert ps[0].chunk.text == "甲句子一。甲句子二很重要。甲句子三。"  # the originals are untouched
    # A larger budget adds the next best sentences, kept in their own order.
    _, shown = trimmed(ps, cands, 2, max_chars=22)
    assert shown[0].chunk.text == "甲句子一。甲句子二很重要。…"


def test_with_a_selection_the_model_reads_only_the_selected_passages_best_first():
    ps = [make_passage("正文一。", rank=1), make_passage("正文二。", rank=2), make_passage("正文三。", rank=3)]
    cands = candidates(ps, {(2, 0): 2.0, (1, 0): 1.0})
    selected = [c for c in cands if c.passage in (1, 2)]
    assert best_passages(ps, cands, 3, selected) == [2, 1]
    chosen, shown = trimmed(ps, cands, 3, 100, selected)
    assert chosen == [2, 1] and [p.chunk.text for p in shown] == ["正文三。", "正文二。"]
