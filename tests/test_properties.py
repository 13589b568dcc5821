"""Property tests: whatever text comes in, the parser's passages point at their own words in the
source (or it says there is no bulletin), and the query normaliser cleans or refuses, never crashes."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunk import Chunker
from rag.parse.issue import ParseError, parse_issue
from rag.query import QueryError, normalize_query

# The pieces bulletins are made of, so that generated text hits the parser's real paths.
PIECES = [
    "# ", "## ", "### ", "**", "- ", "\n", "\n\n", " ", "\u3000", "\t", "\r\n",
    "本期要目", "编者按", "（来源：国家数据局）", "2023年12月22日 第51期 总第162期",
    "第一章 总则", "第二十二条", "一、", "（三）", "1.", "(2)", "。", "；", "：", "“", "”",
    "数据要素", "公共数据", "云南省", "![图](a.png)", "扫描二维码", "01 ", "地方新政",
]  # fmt: skip
texty = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)


def _check_offsets(source: str) -> None:
    try:
        issue = parse_issue(source, source_path="x.md", name="x")
    except ParseError:
        return  # no text, or no articles: said plainly
    for c in Chunker(target_chars=80, max_chars=160).chunk_issue(issue):
        assert c.spans and all(0 <= s < e <= len(source) for s, e in c.spans)
        # the passage is its source pieces, blocks joined by line breaks
        assert c.text.replace("\n", "") == "".join(source[s:e] for s, e in c.spans).replace("\n", "")
        assert c.start < c.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_any_text_parses_to_passages_that_point_at_their_own_source(source):
    _check_offsets(source)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_a_damaged_real_bulletin_still_parses_to_true_offsets(bulletin_text, data):
    lines = bulletin_text.split("\n")
    lo = data.draw(st.integers(0, len(lines) - 1))
    hi = data.draw(st.integers(lo, min(len(lines), lo + 400)))
    piece = lines[lo:hi]
    for _ in range(data.draw(st.integers(0, 5))):  # lines dropped, cut short or doubled
        if not piece:
            break
        k = data.draw(st.integers(0, len(piece) - 1))
        piece[k] = data.draw(st.sampled_from(["", piece[k][: len(piece[k]) // 2], piece[k] * 2, "## " + piece[k]]))
    _check_offsets("\n".join(piece))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_the_query_normaliser_cleans_or_refuses(text):
    try:
        q = normalize_query(text, 200)
    except QueryError:
        return
    assert q and q == q.strip() and len(q) <= 200
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]", q)
    assert any(ch.isalnum() for ch in q)
    q.encode("utf-8")  # no lone surrogates left to break a JSON or HTML writer
    assert normalize_query(q, 200) == q  # a clean question stays as it is
