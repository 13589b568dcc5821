"""What the app shows and exports, computed from an Answer: escaped, highlighted, complete."""

from conftest import make_passage

from rag.types import Answer, Highlight
from rag.ui import render

TEXT = "第二十二条 公共机构应当在5个工作日内校核完毕。<script>alert(1)</script>其他内容。"
SUPPORT = "公共机构应当在5个工作日内校核完毕。"
AT = (TEXT.index(SUPPORT), TEXT.index(SUPPORT) + len(SUPPORT))


def _answer(refused: bool = False) -> Answer:
    p = make_passage(TEXT, article="云南省公共数据管理办法", section="第三章 > 第二十二条")
    return Answer(
        "多久内校核？",
        "本期资料中没有找到相关内容。" if refused else "应当在5个工作日内校核完毕。[1]",
        refused,
        [] if refused else [p],
        [p],
        "extractive",
        [] if refused else [Highlight(1, *AT)],
        timings={"total": 0.5},
    )


def test_cards_show_article_section_path_and_highlighted_support():
    html = render.citation_cards(_answer(), {})
    assert "云南省公共数据管理办法" in html and "第三章 › 第二十二条" in html
    assert "<mark>公共机构应当在5个工作日内校核完毕。</mark>" in html
    assert "p:0-" in html  # where in the source


def test_bulletin_text_cannot_inject_markup():
    html = render.citation_cards(_answer(), {}) + render.answer_html("<b>x</b>[1]", "extractive", done=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html
    assert '<span class="cite-ref">[1]</span>' in html


def test_a_refusal_says_so_and_offers_the_closest_passages():
    a = _answer(refused=True)
    html = render.answer_html(a.text, a.mode, done=True, refused=True) + render.citation_cards(a, {})
    assert "refused" in html and "最接近的段落" in html and "云南省公共数据管理办法" in html


def test_copy_text_and_markdown_export_carry_the_citations():
    a = _answer()
    text = render.answer_text(a)
    assert text.startswith("应当在5个工作日内校核完毕。[1]")
    assert "[1] 云南省公共数据管理办法 › 第三章 › 第二十二条（l；p:0-" in text
    assert "「公共机构应当在5个工作日内校核完毕。」" in text
    md = render.answer_markdown(a)
    assert md.startswith("# 多久内校核？")
    assert "## [1] 云南省公共数据管理办法" in md and "**公共机构应当在5个工作日内校核完毕。**" in md


def test_streaming_answer_shows_a_cursor_until_done():
    assert "typing" in render.answer_html("部分", "local")
    assert "typing" not in render.answer_html("完整[1]", "local", done=True)


def test_earlier_turns_citation_cards_fold():
    from rag.ui.render import OPEN_CARDS, fold_earlier

    reply = f'<div class="chat-turn">answer{OPEN_CARDS}<summary>出处与原文</summary>cards</details></div>'
    messages = [{"role": "user", "content": OPEN_CARDS}, {"role": "assistant", "content": reply}]
    folded = fold_earlier(messages)
    assert folded[0] == messages[0]  # a user's own text is never touched
    assert "open" not in folded[1]["content"] and "cards" in folded[1]["content"]
