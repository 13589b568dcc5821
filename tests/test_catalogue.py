"""The catalogue: documents a question names, resolved against the library's titles by derived forms."""

from rag.catalogue import Catalogue, entry_of, kind_of, place_of

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


def test_a_name_is_reported_absent_only_when_no_title_of_its_place_shares_its_stem():
    from rag.answer.refusal import absent_text
    from rag.catalogue import Catalogue

    cat = Catalogue(["浙江省数字经济促进条例", "中华人民共和国数据安全法", "某市AI及服务机器人产业集群发展行动计划"])
    missing = cat.resolve("江苏省数字经济促进条例第十条规定了什么？")
    assert [m.text for m in missing.absent] == ["江苏省数字经济促进条例"] and not missing.named
    assert cat.closest(missing.absent[0])[0] == "浙江省数字经济促进条例"
    assert absent_text("zh", "江苏省数字经济促进条例", ("浙江省数字经济促进条例",)) == (
        "资料库中没有《江苏省数字经济促进条例》；有《浙江省数字经济促进条例》。"
    )
    assert not cat.resolve("服务机器人行动计划的目标是什么？").absent  # a short name of the third title
    assert not cat.resolve("重庆规划的集聚区在哪里？").absent  # 规划 as a verb, no document's name
    assert not cat.resolve("福建省规定几个工作日内提供？").absent


def test_an_abbreviation_is_of_the_whole_name_and_a_place_before_it_counts():
    laws = ["上海市建筑市场管理条例", "湖北省建筑市场管理条例", "中华人民共和国市场主体登记管理条例"]
    cat = Catalogue([*laws, "山东省安全生产条例", "河南省安全生产条例"])
    # 市场条例, the tail of the name written, abbreviates the third title; 建筑市场条例 does not name it.
    assert cat.resolve("建筑市场条例第五条规定了什么？").named == ()  # the two 建筑市场管理条例: which one is not said
    assert cat.resolve("上海的建筑市场条例第五条规定了什么？").named == ("上海市建筑市场管理条例",)
    assert cat.resolve("山东的安全生产条例对企业有什么要求？").named == ("山东省安全生产条例",)
    assert place_of("建筑市场管理条例") == ("", "建筑市场管理条例")  # 建筑市 is no place


def test_a_place_and_a_kind_name_the_places_one_document_of_that_kind():
    # A library of years holds many 条例 of one province and one action plan: 「湖北行动计划」 names the plan, so
    # a clause it lacks is the plan's missing clause, not any 条例's (text written for this test).
    from rag.catalogue import LibraryCatalogue
    from rag.chunk import Chunker
    from rag.intent import read_intent
    from rag.parse.issue import parse_issue

    titles = ["湖北省数字经济发展行动计划（2023—2025年）", "湖北省气象条例", "湖北省档案条例"]
    titles.append("湖北省关于推动孵化器发展的指导意见")
    body = "".join(f"# {t}\n\n## 一、总则\n\n第一条 为了做好{t[3:7]}工作，制定本文件。\n\n" for t in titles)
    contents = "## 本期要目\n\n### 地方新政\n\n" + "".join(f"0{i + 1} {t}\n\n" for i, t in enumerate(titles))
    issue = parse_issue("# 大数据发展动态\n\n2024年3月1日 第9期 总第171期\n\n" + contents + body, source_path="hubei.md")
    cat = LibraryCatalogue(Chunker().chunk_issue(issue))
    assert cat.titles == titles

    def named(q):
        return cat.named_article(q, read_intent(q))

    assert named("湖北行动计划保障措施第（十）条讲了什么？") == titles[0]
    assert named("湖北孵化器指导意见第六部分提出了哪些措施？") == titles[3]
    assert named("What does item (19) of Hubei's guiding opinions say?") == titles[3]
    assert named("湖北条例第五条规定了什么？") is None  # two 条例: the question names neither
    assert named("湖北档案条例第五条规定了什么？") == titles[2]  # by its own words, as before
    assert named("湖北有哪些规定？") is None  # 规定 the verb names no kind


def test_retrieval_names_a_places_one_document_of_the_kind_the_question_names():
    titles = ["湖北省数字经济发展行动计划", "湖北省气象条例", "湖北省档案条例"]
    c = Catalogue(titles)
    assert c.of_kind_named(c.of_places(["湖北"]), "湖北行动计划的目标是什么？", "zh") == [titles[0]]
    assert c.of_kind_named(c.of_places(["湖北"]), "湖北条例对档案有什么要求？", "zh") == titles[1:]
    assert c.of_kind_named(c.of_places(["湖北"]), "What targets does Hubei's action plan set?", "en") == [titles[0]]
    assert c.of_kind_named(c.of_places(["湖北"]), "What measures does Hubei take?", "en") == titles  # no kind named
