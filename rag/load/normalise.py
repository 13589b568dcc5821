"""One text normalisation for every format, with a map from normalised positions back to the source.

Fonts in Chinese PDFs often give a glyph the code point of a look-alike: a Kangxi radical (⼤
U+2F24 for 大), a CJK Radicals Supplement form (⻔ U+2ED4 for 门), a CJK compatibility ideograph,
or ― U+2015 for the dash — U+2014 (Noto CJK's Chinese dash glyph is U+2015's, so a browser that
prints with it writes U+2015 into the text layer). They look right and match nothing: lexical
search, the parser's numbering (⼆⼗⼆ is no 二十二) and citations pasted elsewhere all break. Each is
mapped to the character it stands for here, once, before parsing.

Full-width digits and letters (２０２３, ＡＩ) are left as written, as in the Markdown path: the
tokenizer and compact() fold them to ASCII, the query normaliser does the same to questions, and
the parser's numbering patterns accept them.

Most replacements are one code point for one, so the map is usually the identity; soft hyphens and
zero-width spaces are dropped and Latin ligatures (ﬁ) expanded, which changes lengths. The map
records only those edits.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# Unicode's Equivalent_Unified_Ideograph for the CJK Radicals Supplement (U+2E80–U+2EFF;
# EquivalentUnifiedIdeograph.txt, Unicode 15.0): NFKC maps only ⺟ and ⻳ of this block. Checked
# against the glyphs Noto CJK SC shares between radicals and ideographs (what a text layer that
# maps shared glyphs back gives): all agree but four component forms (⺍ ⺕ ⺩ ⺫) and ⼾ (below).
_SUPPLEMENT = (
    "⺁厂 ⺂乛 ⺃乚 ⺄乙 ⺅亻 ⺆冂 ⺇𠘨 ⺈刀 ⺉刂 ⺊卜 ⺋㔾 ⺌小 ⺍小 ⺎兀 ⺏尣 ⺐尢 "
    "⺑𡯂 ⺒巳 ⺓幺 ⺔彑 ⺕𫜹 ⺖忄 ⺗心 ⺘扌 ⺙攵 ⺛旡 ⺜日 ⺝月 ⺞歺 ⺟母 ⺠民 ⺡氵 "
    "⺢氺 ⺣灬 ⺤爫 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 ⺪𤴔 ⺫目 ⺬示 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 "
    "⺲罒 ⺳㓁 ⺴冗 ⺵𦉫 ⺶羊 ⺷𦍌 ⺸𦍋 ⺹耂 ⺺肀 ⺻聿 ⺼肉 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 "
    "⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏邑 ⻐钅 ⻑長 "
    "⻒镸 ⻓长 ⻔门 ⻕𨸏 ⻖阝 ⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 "
    "⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 ⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻱龜 "
    "⻲亀 ⻳龟"
)
# Invisible characters PDF and word-processor text carries inside words: dropped.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"


def _table() -> dict[str, str]:
    table = {pair[0]: pair[1:] for pair in _SUPPLEMENT.split()}
    ranges = [(0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            # Kangxi radicals (compatibility) and compatibility ideographs (canonical singletons)
            # both decompose to one unified ideograph; the twelve unified ideographs among
            # U+FA0E–U+FA29 decompose to nothing and stay.
            to = unicodedata.normalize("NFKC", ch)
            if to != ch and len(to) == 1:
                table[ch] = to
    # Kangxi's DOOR: NFKC says 戶, but simplified Chinese fonts (Noto CJK SC) draw it with the glyph of
    # 户, so a text layer's ⼾ stands for 户 (76 times in the bundled bulletin printed by chromium).
    table["\u2f3e"] = "\u6237"
    for cp in range(0xFB00, 0xFB07):  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
        table[chr(cp)] = unicodedata.normalize("NFKC", chr(cp))
    table["\u2015"] = "\u2014"
    table.update(dict.fromkeys(_INVISIBLE, ""))
    return table


_TABLE = _table()
_ODD = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_TABLE)) + "]")


@dataclass(frozen=True)
class OffsetMap:
    """Normalised positions -> source positions, the identity except around ``edits``.

    Each edit is (normalised start, normalised end, source start, source end) of one source
    character whose normalised form is not one character long: dropped (empty) or expanded.
    """

    edits: tuple[tuple[int, int, int, int], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_norm", [e[0] for e in self.edits])
        object.__setattr__(self, "_src", [e[2] for e in self.edits])

    def start(self, i: int) -> int:
        """Where in the source the normalised text from ``i`` on begins."""
        k = bisect_right(self._norm, i) - 1
        if k < 0:
            return i
        ns, ne, ss, se = self.edits[k]
        return ss if i < ne else se + (i - ne)

    def end(self, i: int) -> int:
        """Where in the source the normalised text up to ``i`` ends."""
        k = bisect_left(self._norm, i) - 1
        if k < 0:
            return i
        ns, ne, ss, se = self.edits[k]
        return se if i <= ne else se + (i - ne)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span whose normalised form is ``text[start:end]`` (whole source characters:
        a span cutting an expanded ligature covers all of it)."""
        return (self.start(start), self.end(end)) if end > start else (self.start(start),) * 2

    def to_normalised(self, pos: int) -> int:
        """The normalised position of source position ``pos`` (page starts, say)."""
        k = bisect_right(self._src, pos) - 1
        if k < 0:
            return pos
        ns, ne, ss, se = self.edits[k]
        return ns if pos < se else ne + (pos - se)


def normalise(text: str) -> tuple[str, OffsetMap | None]:
    """(normalised text, map to ``text``'s positions); the map is None when every position is its own."""
    if not _ODD.search(text):
        return text, None
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = shift = 0  # shift: normalised position minus source position, after ``last``
    for m in _ODD.finditer(text):
        at = m.start()
        new = _TABLE[m.group()]
        parts += [text[last:at], new]
        if len(new) != 1:
            edits.append((at + shift, at + shift + len(new), at, at + 1))
            shift += len(new) - 1
        last = at + 1
    parts.append(text[last:])
    return "".join(parts), OffsetMap(tuple(edits)) if edits else None


def clean(text: str) -> str:
    """The normalised text alone (questions, names): no look-alike code points."""
    return normalise(text)[0]
