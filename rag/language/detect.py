"""Which language a text is written in: the one test, used for questions, follow-up slots, prompts and answers."""

from __future__ import annotations

import re

from rag.text import is_cjk

# Provision labels an English question quotes from the Chinese text (第四十三条, （十七）): no Chinese writing.
_QUOTED_LABEL = re.compile(r"第[一二三四五六七八九十百零]+[条章节]|（[一二三四五六七八九十]+）")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def language(text: str) -> str:
    """zh or en, by what most of the text is written in: an English question that quotes a Chinese term
    (or names 第四十三条) is still English; text without Chinese characters is English."""
    plain = _QUOTED_LABEL.sub(" ", text)
    cjk = sum(1 for ch in plain if is_cjk(ch))
    words = len(_LATIN_WORD.findall(plain))
    return "zh" if cjk and cjk >= words else "en"
