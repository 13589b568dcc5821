"""One normalisation for every format: look-alike code points to the characters they stand for, and
a map that takes any normalised span back to the source span that normalises to it."""

from documents import LOOKALIKE
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.chunk import Chunker
from rag.index import parse_file
from rag.load import load_bytes
from rag.load.normalise import _TABLE, normalise
from rag.parse.issue import parse_issue

# What the map must survive: radicals and compatibility ideographs (one for one), soft hyphens and
# zero-width spaces (dropped), ligatures (one for two), next to ordinary text.
ODD = ["\u2f24", "\u2ed4", "\uf901", "\U0002f800", "\u2015", "\u00ad", "\u200b", "\ufeff", "\ufb01", "\ufb03", "ＡＩ２０"]
texts = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=6)), max_size=30).map("".join)


def _unified(ch: str) -> bool:
    """A CJK unified ideograph (by block: Python's Unicode may predate the newest extension)."""
    cp = ord(ch)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x323AF


def test_every_replacement_is_one_unified_ideograph_or_plain_text():
    for src, to in _TABLE.items():
        if 0x2E80 <= ord(src) <= 0x2FDF or 0xF900 <= ord(src) <= 0xFAFF or ord(src) >= 0x2F800:
            assert len(to) == 1 and _unified(to), hex(ord(src))
    # Kangxi radicals and compatibility ideographs: what NFKC says; the Supplement has no NFKC form
    assert normalise("⼤数据⾏业 ⻔户⻅⻓ 更 2023―2027")[0] == "大数据行业 门户见长 更 2023—2027"
    # full-width digits and letters stay as written, as in the Markdown path (compact() folds them)
    assert normalise("ＡＩ２０２３年")[0] == "ＡＩ２０２３年"
    assert normalise("Wi\u00adFi \ufb01le\u200b")[0] == "WiFi file"


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_any_normalised_slice_maps_back_to_the_source_slice_that_normalises_to_it(source, data):
    text, offsets = normalise(source)
    assert normalise(text) == (text, None)  # normalised text is a fixed point
    if offsets is None:
        assert len(text) == len(source)
        return
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    a, b = offsets.span(s, e)
    assert 0 <= a <= b <= len(source)
    back = normalise(source[a:b])[0]
    # whole source characters: a slice that cuts a ligature's expansion gets all of the ligature
    assert text[s:e] in back
    inside = {i for ns, ne, _, _ in offsets.edits for i in range(ns + 1, ne)}
    if s not in inside and e not in inside:
        assert back == text[s:e]
    # and back again: a source position's normalised position is where its text starts
    assert offsets.to_normalised(a) <= s


def test_a_text_bulletin_with_lookalikes_parses_as_the_clean_one_and_cites_the_source(bulletin_text, issue):
    from documents import with_lookalikes

    odd = with_lookalikes(bulletin_text).replace("数据要素", "数据\u00ad要素").replace("Wi-Fi", "Wi-\ufb01")
    doc = load_bytes(odd.encode("utf-8"), "bulletin-2023-51.md")
    assert doc.source == odd and doc.offsets is not None and not LOOKALIKE.search(doc.text)
    other = parse_issue(doc.text, source_path="x.md")
    other.offsets = doc.offsets
    assert (other.date, other.number, other.total_number) == (issue.date, issue.number, issue.total_number)
    assert [(a.title, [p for p, _ in a.root.walk()]) for a in other.articles] == [
        (a.title, [p for p, _ in a.root.walk()]) for a in issue.articles
    ]
    for c in Chunker().chunk_issue(other):
        assert not LOOKALIKE.search(c.text + c.section + c.article), c.place()
        assert all(0 <= s < e <= len(odd) for s, e in c.spans)
        # the spans are the file's own characters, look-alikes and soft hyphens included
        assert normalise("".join(odd[s:e] for s, e in c.spans))[0] == c.text.replace("\n", "")


def test_a_docx_with_lookalikes_reads_clean(bulletin_text, tmp_path, issue):
    from documents import markdown_to_docx, with_lookalikes

    path = markdown_to_docx(with_lookalikes(bulletin_text), tmp_path / "bulletin-2023-51.docx")
    other = parse_file(path)
    assert other.label == issue.label
    assert [a.title for a in other.articles] == [a.title for a in issue.articles]
    assert not any(LOOKALIKE.search(c.text) for c in Chunker().chunk_issue(other))


def test_full_width_digits_stay_in_the_text_and_the_masthead_reads_them_as_numbers(bulletin_text, issue):
    masthead = "2023年12月22日 第51期 总第162期"
    wide = bulletin_text.replace(masthead, "２０２３年１２月２２日 第５１期 总第１６２期")
    other = parse_issue(load_bytes(wide.encode("utf-8"), "bulletin.md").text, name="x")
    assert (other.date, other.number, other.total_number, other.issue_id) == ("2023-12-22", "51", "162", "2023-51")
    assert "２０２３年" in Chunker().chunk_issue(other)[0].text  # the issue card quotes it as printed
