from rag.sentences import LONG, split_sentences


def test_offsets_point_at_the_sentence_text():
    text = "第二十二条 公共机构应当在 5 个工作日内校核完毕。情况复杂的，可以延长！\n（一）未按照规定编制目录的；\n结尾没有句号"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "第二十二条 公共机构应当在 5 个工作日内校核完毕。",
        "情况复杂的，可以延长！",
        "（一）未按照规定编制目录的；",
        "结尾没有句号",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_long_sentences_split_at_semicolons_only():
    clause = "加快推进数据要素市场化配置改革，完善数据产权制度" * 2
    text = "；".join([clause] * 4) + "。短句。"
    sents = split_sentences(text)
    assert len(text.split("。")[0]) > LONG
    assert len(sents) == 5
    assert sents[0].text.endswith("；") and sents[-1].text == "短句。"
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
