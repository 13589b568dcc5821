"""Yes or no from the deciding sentence's modal words, never from the model."""

import pytest

from rag.answer.polarity import Verdict, model_verdict, verdict


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("公共机构可以重复收集数据吗？", "可以通过共享获取数据的，公共机构不得重复收集。", Verdict.NO),
        ("这类数据属于公共数据吗？", "上述机构授权提供的数据，属于本办法所称公共数据。", Verdict.YES),
        ("运营单位的其他数据处理活动适用本办法吗？", "运营单位实施公共服务以外的数据处理活动，不适用本办法。", Verdict.NO),
        ("是否鼓励企业开放应用场景？", "鼓励企业开放应用场景。", Verdict.YES),
        ("是否不得新建平台？", "各地不得新建平台。", Verdict.YES),  # asked in the negative
        ("May a body collect the data again?", "公共机构不得重复收集。", Verdict.NO),
        ("Is the plan final?", "向社会公开征求意见。", None),
        # A negation inside the subject's attribute is no negative question or answer.
        ("不予公开的信息可以共享吗？", "不予公开的信息不得共享。", Verdict.NO),
        ("未经审核的数据可以发布吗？", "未经审核的数据应当先行审核。", Verdict.YES),  # no modal: no verdict, the quote alone
    ],
)
def test_verdicts(question, sentence, expected):
    assert verdict(question, sentence) == expected


def test_what_the_model_opens_with():
    assert model_verdict("否，不得重复收集。") == Verdict.NO
    assert model_verdict("No, it may not.") == Verdict.NO
    assert model_verdict("可以。") == Verdict.YES
    assert model_verdict("根据第九条…") is None
