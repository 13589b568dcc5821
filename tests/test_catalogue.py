"""The catalogue: documents a question names, resolved against the library's titles by derived forms."""

from rag.catalogue import Catalogue, entry_of, kind_of

TITLES = [
    "中华人民共和国测绘成果法",
    "中华人民共和国网购服务法",
    "江西省林草资源保护条例",
    "某市人民代表大会常务委员会关于推进“一码通行”改革的决定",
    "地下管线信息查询管理规定",
]


def test_short_forms_are_derived_not_typed():
    e = entry_of("江西省林草资源保护条例（试行）")
    assert e.kind == "条例" and e.place == "江西"
    assert "林草资源保护条例" in e.forms
    assert kind_of(entry_of("中华人民共和国测绘成果法").name) == "法"


def test_short_name_abbreviation_and_tail_resolve_to_the_entry():
    c = Catalogue(TITLES)
    assert c.resolve("测绘成果法第十条规定了什么？").named == ("中华人民共和国测绘成果法",)
    assert c.resolve("网购法对退款有什么要求").named == ("中华人民共和国网购服务法",)
    assert c.resolve("管线信息查询管理规定第三条").named == ("地下管线信息查询管理规定",)


def test_a_document_the_library_lacks_is_absent_with_the_closest_named():
    c = Catalogue(TITLES)
    r = c.resolve("湖南省林草资源保护条例对古树有何规定？")
    assert r.named == () and [m.name for m in r.absent] == ["湖南省林草资源保护条例"]
    assert c.closest(r.absent[0])[0] == "江西省林草资源保护条例"
    assert c.resolve("《中华人民共和国海域使用法》第五条").absent


def test_common_words_ending_in_a_kind_are_no_document():
    c = Catalogue(TITLES)
    r = c.resolve("测绘成果法对数据分类分级方法有什么规定")
    assert r.named == ("中华人民共和国测绘成果法",) and r.absent == ()
    assert c.resolve("违反本法第十条规定的义务的，如何处罚？").anaphor
