from rag.language.numbers import cn_to_int, int_to_cn
from rag.text import compact, tidy_title


def test_chinese_numerals_round_trip():
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1000))


def test_numerals_as_clauses_write_them():
    assert [int_to_cn(n) for n in (10, 14, 22, 49, 101)] == ["十", "十四", "二十二", "四十九", "一百零一"]
    assert cn_to_int("条") is None


def test_compact_follows_the_eval_rules():
    assert compact("**第二十二条** 自然人、\n法人（ＡＢ）") == "第二十二条自然人、法人(AB)"


def test_tidy_title_drops_pdf_wrap_spaces_but_keeps_latin_spacing():
    assert tidy_title("重庆市 AI 及服务机器人产业集群高质量 发展行动计划（2023—2027 年）") == (
        "重庆市 AI 及服务机器人产业集群高质量发展行动计划（2023—2027 年）"
    )
    assert (
        tidy_title("安徽省数字基础设施建设发展三年行动方案 (2023—2025年)")
        == "安徽省数字基础设施建设发展三年行动方案（2023—2025年）"
    )
