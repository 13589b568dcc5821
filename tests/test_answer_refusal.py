"""Refusal rules that need no model: a province the passages are not about, a figure they do not state."""

import numpy as np
import pytest

from rag.answer.refusal import figure_missing, provinces_not_covered
from rag.answer.terms import QueryTerms


def _terms(query: str, rare: dict[str, float]) -> QueryTerms:
    """Whitespace tokens, with the given IDF weights (others 1.0)."""
    return QueryTerms(query, str.split, lambda toks: np.array([rare.get(t, 1.0) for t in toks]))


PASSAGES = ["全国5G基站总数达328.2万个。东部地区5G基站达150万个。", "云南省公共数据管理办法 › 第八条 省数据局负责建设平台。"]


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("截至11月末，贵州省的5G基站数量是多少？", ["贵州"]),
        ("How many 5G base stations does Guizhou have?", ["贵州"]),
        ("云南公共数据平台由谁建设？", []),
        ("全国5G基站总数是多少？", []),  # no province named
    ],
)
def test_a_province_the_passages_are_not_about(question, missing):
    assert provinces_not_covered(question, PASSAGES) == missing


def test_a_figure_the_passages_do_not_state():
    sentences = ["一级开发费用可通过政府购买服务或收益分成等方式解决。", "数据产业年均增速超过20%。"]
    q = "收益分成 比例 是 多少"
    assert figure_missing(q, sentences, _terms(q, {"收益分成": 5.0, "比例": 3.0})) == "收益分成"
    q = "年均增速 是 多少"
    assert figure_missing(q, sentences, _terms(q, {"年均增速": 5.0})) is None  # 20% is there
    q = "收益分成 的 方式 有 哪些"  # does not ask for a figure
    assert figure_missing(q, sentences, _terms(q, {"收益分成": 5.0})) is None


def test_the_term_itself_is_no_figure():
    # "5G" holds a digit, but a sentence naming 5G states no figure by that alone.
    q = "贵州 5G 基站 多少"
    assert figure_missing(q, ["加快5G基站建设。"], _terms(q, {"5G": 4.0})) == "5G"
    assert figure_missing(q, ["建成5G基站1.2万个。"], _terms(q, {"5G": 4.0})) is None
