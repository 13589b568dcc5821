"""Chinese-aware tokenizer for the lexical index (jieba search mode over NFKC text)."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[\w\u3400-\u9fff]")
# Function words that match everywhere and say nothing about a passage.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 为 对 等 将 把 被 从 以 于 由 其 之 而 并 也 都 就 要 有 中 上 下 "
    "什么 哪些 哪个 哪份 哪 多少 几 怎么 如何 是否 吗 呢 么 啥 请问 这 那 该 本 "
    "the a an of to and or in on for is are what which how does do did by with".split()
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for tok in _jieba().lcut_for_search(text):
        tok = tok.strip()
        if tok and tok not in STOPWORDS and _WORD.search(tok):
            out.append(tok)
    return out


def words(text: str) -> list[str]:
    """jieba's words of ``text`` as written (no normalisation, every character kept): what two questions are
    aligned on, word by word."""
    return _jieba().lcut(text)
