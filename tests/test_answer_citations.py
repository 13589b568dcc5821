from rag.answer.citations import Renumberer, attach_missing, cited_numbers, support


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


def test_uncited_supported_sentence_gets_a_citation_and_the_rest_are_flagged():
    passages = ["公共机构应当自收到校核申请之日起 5 个工作日内校核完毕", "到2025年建设30个赋能中心"]
    order = [1]
    text, flags = attach_missing("建设30个赋能中心[1]。公共机构应在5个工作日内校核完毕。月球上有数据中心。", passages, order)
    assert text == "建设30个赋能中心[1]。公共机构应在5个工作日内校核完毕[2]。月球上有数据中心。"
    assert order == [1, 0]
    assert flags == ["no passage supports: 月球上有数据中心。"]


def test_support_and_cited_numbers():
    assert support("5个工作日", "自收到之日起 5 个工作日内") == 1.0
    assert support("完全无关", "自收到之日起") == 0.0
    assert cited_numbers("甲[2]乙[1][2]丙【3】") == [2, 1, 3]
