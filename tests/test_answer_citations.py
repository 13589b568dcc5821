from rag.answer.citations import Renumberer, check_citations, cited_numbers, support, unsupported_numbers


def stream(renumber: Renumberer, pieces: list[str]) -> str:
    return "".join(renumber.feed(p) for p in pieces) + renumber.finish()


def test_markers_are_renumbered_in_order_of_first_use_while_streaming():
    r = Renumberer(n_passages=3)
    # The model cites passage 3 first; a marker arrives split over three deltas.
    out = stream(r, ["到2026年打造300个场景", "[", "3", "]。数据产业年均增速超过20%[1]，另见【3】。"])
    assert out == "到2026年打造300个场景[1]。数据产业年均增速超过20%[2]，另见[1]。"
    assert r.order == [2, 0]


def test_markers_naming_no_passage_are_dropped():
    r = Renumberer(n_passages=2)
    assert stream(r, ["甲[5]。乙[0]。丙[2]。"]) == "甲。乙。丙[1]。"
    assert r.order == [1]


def test_marker_lists_become_single_markers():
    r = Renumberer(n_passages=3)
    assert stream(r, ["两份文件都提到[2, 3]。", "再次[3，2]。"]) == "两份文件都提到[1][2]。再次[2][1]。"


def test_an_unclosed_bracket_is_not_held_back_forever():
    r = Renumberer(n_passages=1)
    shown = r.feed("数组[") + r.feed("这不是一个引用标记，而是普通文字")
    assert "这不是" in shown


PASSAGES = ["公共机构应当自收到校核申请之日起 5 个工作日内校核完毕", "到2025年建设30个赋能中心", "加强宣传推广"]


def test_uncited_supported_sentence_gets_a_citation_and_unsupported_ones_are_flagged():
    # Answer [1] is passage 2 (index 1).
    text, order, flags = check_citations(
        "建设30个赋能中心[1]。公共机构应在5个工作日内校核完毕。月球上有数据中心。", [1], PASSAGES
    )
    assert text == "建设30个赋能中心[1]。公共机构应在5个工作日内校核完毕[2]。月球上有数据中心。"
    assert order == [1, 0]
    assert flags == ["no passage supports: 月球上有数据中心。"]


def test_a_citation_of_a_passage_that_does_not_say_it_is_corrected_and_renumbered():
    # The model cited passage 3 by habit; passage 1 holds the sentence.
    text, order, flags = check_citations("公共机构在5个工作日内校核完毕[1]。", [2], PASSAGES)
    assert (text, order, flags) == ("公共机构在5个工作日内校核完毕[1]。", [0], [])


def test_a_supported_citation_is_kept_even_when_another_passage_also_fits():
    text, order, _ = check_citations("建设30个赋能中心[1]。", [1], [*PASSAGES, "到2025年建设30个赋能中心"])
    assert (text, order) == ("建设30个赋能中心[1]。", [1])


def test_support_and_cited_numbers():
    assert support("5个工作日", "自收到之日起 5 个工作日内") == 1.0
    assert support("完全无关", "自收到之日起") == 0.0
    assert cited_numbers("甲[2]乙[1][2]丙【3】") == [2, 1, 3]


def test_among_passages_that_both_hold_the_words_the_better_ranked_is_cited():
    passages = ["视听电子指导意见 › （五）\n支持建立知识产权公共服务机构", "视听电子指导意见 › （八）\n优化公共服务体系"]
    text, order, _ = check_citations("视听电子指导意见[1]。", [1], passages)
    assert (text, order) == ("视听电子指导意见[1]。", [0])


def test_a_paraphrase_follows_meaning_when_it_clearly_prefers_another_passage():
    def similar(sentence, texts):
        return [0.80, 0.81, 0.90]

    text, order, flags = check_citations("企业可以把信息部门独立出来[1]。", [0], PASSAGES, similar)
    assert (text, order) == ("企业可以把信息部门独立出来[1]。", [2])
    assert flags == ["the cited passage shares few words with: 企业可以把信息部门独立出来。"]
    # Without a clear preference the model's citation stands.
    text, order, _ = check_citations("企业可以把信息部门独立出来[1]。", [0], PASSAGES, lambda s, t: [0.85, 0.80, 0.86])
    assert order == [0]


def test_numbers_the_passages_do_not_hold_are_reported():
    passages = ["到 2025 年，建设 30 个省级赋能中心，普及率达到 85%"]
    assert unsupported_numbers("到2025年建设30个中心[1]，普及率85%。", passages) == []
    assert unsupported_numbers("到2025年建设50个中心[1]，普及率85.5%。", passages) == ["50", "85.5"]


def test_a_sentence_with_a_figure_its_passage_lacks_is_replaced_by_the_quote_it_paraphrases():
    from rag.answer.citations import ground

    texts = ["某市行动计划 › 目标\n到2025年，建成数据中心12个。", "某市行动计划 › 措施\n对示范企业予以重奖。"]
    sentences = [["到2025年，建成数据中心12个。"], ["对示范企业予以重奖。"]]
    # The model swapped 12 for 15, and invented an amount for the award: each sentence becomes the passage's own.
    g = ground("到2025年建成数据中心15个[1]。对示范企业奖励100万元[2]。", [0, 1], texts, sentences)
    assert g.text == "到2025年，建成数据中心12个[1]。对示范企业予以重奖[2]。"
    assert g.order == [0, 1] and len(g.notes) == 2
    # A figure with nothing it paraphrases is removed.
    g = ground("到2025年建成数据中心12个[1]。另有补贴300万元。", [0, 1], texts, sentences)
    assert g.text == "到2025年建成数据中心12个[1]。" and "removed" in g.notes[0]


def test_figures_in_the_title_count_and_a_grounded_answer_is_kept():
    from rag.answer.citations import ground

    texts = ["某省行动计划（2023—2025年） › 目标\n建成数据中心12个。"]
    g = ground("到2025年建成数据中心12个[1]。", [0], texts, [["建成数据中心12个。"]])
    assert g.text == "到2025年建成数据中心12个[1]。" and not g.notes


def test_a_figure_is_checked_against_the_passage_its_sentence_cites():
    from rag.answer.citations import ground

    texts = ["甲\n建成数据中心12个。", "乙\n培育企业30家。"]
    sentences = [["建成数据中心12个。"], ["培育企业30家。"]]
    # 30 stands in passage 2, but the sentence cites passage 1.
    g = ground("建成数据中心30个[1]。", [0], texts, sentences)
    assert "30" not in g.text and g.notes


def test_a_sentence_citing_nothing_becomes_the_passage_sentence_it_paraphrases_or_goes():
    from rag.answer.citations import ground

    texts = ["甲\n到2030年，产业整体实力进入全球前列。"]
    sentences = [["到2030年，产业整体实力进入全球前列。"]]
    g = ground("这一产业到2030年实力进入全球前列。", [], texts, sentences)
    assert g.text == "到2030年，产业整体实力进入全球前列[1]。" and "no passage supports" in g.notes[0]
    assert ground("天气晴朗，适合出行。", [], texts, sentences).text == ""


def test_an_english_sentence_citing_nothing_is_cited_by_meaning_when_one_passage_stands_out():
    from rag.answer.citations import ground

    texts = ["甲\n建成数据中心12个。", "乙\n培育企业30家。"]
    sentences = [["建成数据中心12个。"], ["培育企业30家。"]]
    by_meaning = lambda sentence, passages: [0.80, 0.86]  # noqa: E731
    g = ground("It will foster 30 companies.", [], texts, sentences, by_meaning)
    assert g.text == "It will foster 30 companies[1]." and g.order == [1]
    # Meaning that prefers no passage cites none, and the sentence goes.
    assert ground("It will foster 30 companies.", [], texts, sentences, lambda s, p: [0.8, 0.8]).text == ""
