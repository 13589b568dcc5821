import pytest

from rag.language import labels as provision_refs
from rag.query import QueryError, normalize_query


def test_arabic_provision_numbers_become_chinese():
    assert normalize_query("云南办法第22条说什么", 100) == "云南办法第二十二条说什么"
    assert normalize_query("行动计划第(17)条", 100) == "行动计划第（十七）条"
    assert normalize_query("第 3 章", 100) == "第三章"


def test_full_width_letters_and_digits_fold_but_cjk_punctuation_stays():
    assert normalize_query("ＡＩ机器人２０２７年，目标？", 100) == "AI机器人2027年，目标？"


@pytest.mark.parametrize("bad", ["", "   \n\t", "\x00\x01"])
def test_empty_questions_are_refused(bad):
    with pytest.raises(QueryError, match="empty"):
        normalize_query(bad, 100)


def test_overlong_questions_are_refused_with_the_limit():
    with pytest.raises(QueryError, match="limit is 100"):
        normalize_query("数" * 101, 100)


def test_provision_refs():
    assert provision_refs("云南第二十二条和第三章") == {"第二十二条", "第三章"}
    assert provision_refs("行动计划第（十七）条") == {"（十七）"}
    assert provision_refs("没有编号") == set()
