from rag.chunk import Chunker, _split_long
from rag.types import Block


def test_no_chunk_over_the_limit_and_most_far_shorter(chunks):
    sizes = sorted(len(c.text) for c in chunks)
    assert sizes[-1] <= 1200
    assert sizes[len(sizes) // 2] < 400


def test_every_chunk_is_verbatim_source_pieces(chunks, bulletin_text):
    for c in chunks:
        pieces = [bulletin_text[s:e] for s, e in c.spans]
        assert c.text.replace("\n", "") == "".join(pieces)
        assert all(s < e for s, e in c.spans)
        assert c.spans == sorted(c.spans)
        assert c.start == c.spans[0][0] and c.end == c.spans[-1][1]


def test_chunks_never_cross_articles(issue, chunks):
    bounds = [(a.title, a.start, a.end) for a in issue.articles]
    for c in chunks:
        if c.kind != "section":
            continue
        title, start, end = next(b for b in bounds if b[0] == c.article)
        assert start <= c.start and c.end <= end


def test_chunks_carry_their_citation(chunks):
    c = next(c for c in chunks if c.section.endswith("第二十二条"))
    assert c.article == "云南省公共数据管理办法（试行）"
    assert c.section == "第三章 公共数据收集和归集 > 第二十二条"
    assert (c.column, c.source, c.issue_id, c.issue_date) == ("地方新政", "云南省人民政府", "2023-51", "2023-12-22")
    assert c.header == "云南省公共数据管理办法（试行） › 第三章 公共数据收集和归集 › 第二十二条"
    assert c.search_text.startswith(c.header)
    assert c.text.startswith("第二十二条 自然人")


def test_chunk_ids_are_stable_and_unique(issue, chunks):
    again = Chunker().chunk_issue(issue)
    assert [c.id for c in again] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)


def test_long_paragraphs_split_between_sentences():
    text = "".join(f"第{i}句话说了一些事情。" for i in range(100))
    block = Block("para", [(1000, 1000 + len(text))], text)
    parts = _split_long(block, 200)
    assert all(len(p.text) <= 200 for p in parts)
    assert all(p.text.endswith("。") for p in parts)
    assert "".join(p.text for p in parts) == text
    # spans still address the original offsets
    assert parts[1].spans[0][0] == 1000 + len(parts[0].text)


def test_small_target_splits_sections_into_runs(issue):
    small = Chunker(target_chars=150, max_chars=300).chunk_issue(issue)
    assert max(len(c.text) for c in small) <= 300
    assert len(small) > 300
