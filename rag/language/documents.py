"""Documents a text names: 《…》 titles, bare names that end in a kind of document (数据安全法, 电商法,
个人信息保护法第十条…), the current document (本办法, 本条例, 本法, this Law), a pronoun with a document noun
(该条例, 这份方案), and English names (the Data Security Law, Regulations on Open Government Information).
Kinds of document and their English names are data (kinds.tsv). Which library entry a name means is
rag.catalogue's question; this module only finds and normalises names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rag.language.spans import DocumentMention

KINDS_FILE = Path(__file__).with_name("kinds.tsv")


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    rows = []
    for line in KINDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, cls, en = (line.split("\t") + ["", ""])[:3]
            rows.append((zh.strip(), cls.strip(), tuple(e.strip().lower() for e in en.split(",") if e.strip())))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def kinds(classes: tuple[str, ...] = ("law", "rules", "official", "plan", "report")) -> dict[str, tuple[str, ...]]:
    """Kind of document (法, 条例, 行动计划 …) -> its English names, longest kind first; ``classes`` picks which
    (law and rules set rules; generic nouns, 文件 and 政策, name no kind)."""
    return {zh: en for zh, cls, en in _table() if cls in classes}


def kind_class(kind: str) -> str:
    return next((cls for zh, cls, _ in _table() if zh == kind), "")


def kind_of(name: str, classes: tuple[str, ...] = ("law", "rules", "official", "plan", "report")) -> str:
    """The kind a (normalised) name ends with, or ""."""
    return next((k for k in kinds(classes) if name.endswith(k) and len(name) > len(k)), "")


COLLECTIVE_FILE = Path(__file__).with_name("collective.tsv")


@lru_cache(maxsize=1)
def collective() -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Nouns a question lists by that are no one kind (法规, 规划, 文件, 地方, 部门): noun -> (what it lists:
    documents, places or bodies; the kind classes it takes in, ("any",) for every document; English names)."""
    out = {}
    for line in COLLECTIVE_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            noun, lists, classes, en = (line.split("\t") + ["", "", ""])[:4]
            split = lambda x: tuple(e.strip() for e in x.split(",") if e.strip())  # noqa: E731
            out[noun.strip()] = (lists.strip(), split(classes), tuple(e.lower() for e in split(en)))
    return out


def kinds_listed(noun: str) -> tuple[str, ...]:
    """The kinds of document a question listing by ``noun`` checks: 规划 -> the plan class, 法规 -> laws and rules,
    条例 -> 条例, 方案 -> 方案, 实施方案, 行动方案; () for any document (文件, 政策) or a noun that names none."""
    if noun in collective():
        classes = collective()[noun][1]
        return () if "any" in classes or not classes else tuple(kinds(classes))
    return tuple(k for k in kinds() if k.endswith(noun))


def sets_rules(title: str) -> bool:
    """Whether a title names a law or regulation (法, 条例, 规定, 办法 …; its brackets, 试行 or 修订, left out)."""
    return kind_of(normalise(title), ("law", "rules")) != "" or normalise(title).endswith(("决定",))


_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
MARKS = re.compile(r"[\s《》〈〉“”\"'‘’「」『』]")
COUNTRY = "中华人民共和国"


def normalise(name: str) -> str:
    """A document name as compared: NFKC, no spaces, quotes, 《》 or bracketed parts, no 中华人民共和国."""
    text = MARKS.sub("", _BRACKETS.sub("", unicodedata.normalize("NFKC", name)))
    text = _BRACKETS.sub("", text.replace("(", "（").replace(")", "）"))
    return text.removeprefix(COUNTRY)


# A document number (发文字号) as 《党政机关公文格式》(GB/T 9704-2012, 7.2.4) writes it: 国发〔2023〕12号.
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")


def has_document_number(text: str) -> bool:
    return _DOC_NUMBER.search(text) is not None


# --- Chinese --------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"《([^《》]{2,80})》")


@lru_cache(maxsize=1)
def _pointers() -> re.Pattern[str]:
    """本办法, 本法 (the current document); 该条例, 这份方案, 此项政策 (a document named before)."""
    nouns = "|".join(sorted(kinds(("law", "rules", "official", "plan", "report", "generic")), key=len, reverse=True))
    return re.compile(rf"(?P<who>本|该|此|这)(?:部|项|个|份|一)?(?P<kind>{nouns})")


# jieba tags of the words a document's name is made of (nouns, verbs and their kin: 个人信息 保护 法);
# a preposition, pronoun, particle, numeral (第十条) or punctuation ends it.
_NAME_TAGS = frozenset("n nz ns nr nrt nrfg nt ng vn v j l b a an i".split())
# What may follow a bare name (no 《》) for it to be read as a document's name: a provision (第十条), a
# preposition (对, 关于), a localiser (中, 里), 的, punctuation, the end, or a kind word (数据安全法规定…).
_FOLLOW_TAGS = frozenset("m p f x uj".split())


def _zh_documents(text: str) -> list[DocumentMention]:
    out = []
    for m in _QUOTED.finditer(text):
        name = normalise(m.group(1))
        out.append(DocumentMention(m.start(), m.end(), m.group(0), name, kind_of(name), quoted=True))
    for m in _pointers().finditer(text):
        if m.group("kind") in ("文",) and text[m.end() : m.end() + 1] not in "，。？?、的中 " and m.end() < len(text):
            continue  # 这文… is no document noun
        out.append(
            DocumentMention(
                m.start(),
                m.end(),
                m.group(0),
                "",
                m.group("kind"),
                current=m.group("who") == "本",
                pronoun=m.group("who") != "本",
            )
        )
    blanked = _QUOTED.sub(lambda m: "，" * len(m.group(0)), text)
    for start, written in _bare_names(blanked):
        span = DocumentMention(start, start + len(written), written, normalise(written), kind_of(normalise(written)))
        if not any(span.overlaps(o) for o in out):
            out.append(span)
    return sorted(out, key=lambda d: d.start)


def _ends_name(run: list[tuple[str, str]], k: int) -> bool:
    """Whether token k of a run ends a document name: the run so far ends with a kind, and the kind is the
    token itself or the tail of a longer one (保护法, 暂行办法). A two-character word of its own (方法, 算法)
    is no name, unless jieba split a name oddly around it (电 / 商法 for 电商法)."""
    word = run[k][0]
    kind = kind_of("".join(w for w, _ in run[: k + 1]))
    if not kind or not word.endswith(kind[-1]):
        return False
    if word in kinds() or len(word) > len(kind) + 1 or not word.endswith(kind):
        return True
    return k > 0 and len(run[k - 1][0]) == 1


def _bare_names(text: str) -> list[tuple[int, str]]:
    """(offset, name) of the noun phrases ending in a kind that a text writes without 《》: at its head, or
    followed by a provision, a preposition, 的, punctuation or another kind word."""
    import jieba.posseg

    tokens, at = [], 0
    for w, t in jieba.posseg.lcut(text):
        tokens.append((w, t, at))
        at += len(w)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens):
        if tokens[i][1] not in _NAME_TAGS:
            i += 1
            continue
        j = i
        while j < len(tokens) and (tokens[j][1] in _NAME_TAGS or tokens[j][0] in '“”"「」'):
            j += 1
        run = [(w, t) for w, t, _ in tokens[i:j]]
        skip = 0
        while skip < len(run) and run[skip][1] == "v":  # verbs that open the run ask, they do not name (请问)
            skip += 1
        run = run[skip:]
        ends = [k for k in range(len(run)) if _ends_name(run, k)]
        if ends:
            last = ends[-1]
            # X法规定…: 规定 after a name that is complete is the verb "stipulates", not a kind.
            if len(ends) > 1 and run[last][0] in kinds() and ends[-2] == last - 1:
                last = ends[-2]
            following = run[last + 1] if last + 1 < len(run) else tokens[j][:2] if j < len(tokens) else None
            if i == 0 or following is None or following[1] in _FOLLOW_TAGS or following[0] in kinds():
                out.append((tokens[i + skip][2], "".join(w for w, _ in run[: last + 1])))
        i = max(j, i + 1)
    return out


# --- English --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _english() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    names = {en: zh for zh, en_names in kinds().items() for en in en_names}
    words = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    title_case = "|".join(sorted((re.escape(n.title()) for n in names), key=len, reverse=True))
    cap = r"(?:[A-Z][\w'’-]*|and|of|on|for|the)"
    this = re.compile(rf"\b(?:this|these|the present)\s+(?P<kind>{words})\b", re.I)
    named = re.compile(
        rf"(?P<name>(?:[A-Z][\w'’-]*\s+(?:{cap}\s+)*)?(?P<kind>{title_case})(?:\s+(?:on|for|of)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+{cap})*)?)"
    )
    return this, named, names


# Capitalised words that open a sentence or a question, not a name.
_OPENERS = frozenset("what which who when where why how does do did is are was were can could may must should will would "
                     "under according to in by for of the a an and if".split())  # fmt: skip


def _en_documents(text: str) -> list[DocumentMention]:
    this, named, names = _english()
    out = [
        DocumentMention(m.start(), m.end(), m.group(0), "", names[m.group("kind").lower()], current=True)
        for m in this.finditer(text)
    ]
    for m in named.finditer(text):
        start, name = m.start("name"), m.group("name").rstrip()
        while (word := name.split(" ", 1)[0]).lower() in _OPENERS and " " in name:
            name = name[len(word) :].lstrip()
        start = m.end("name") - len(m.group("name")) + (len(m.group("name").rstrip()) - len(name))
        while name.split(" ")[-1].lower() in _OPENERS:
            name = name.rsplit(" ", 1)[0]
        if name == m.group("kind") or any(o.start <= start < o.end for o in out):
            continue  # "Measures" alone: a common noun, no name
        head = text[m.start("name") : m.end("kind")].lower()
        kind = max((en for en in names if head.endswith(en)), key=len)
        out.append(DocumentMention(start, start + len(name), name, name, names[kind]))
    return sorted(out, key=lambda d: d.start)


def english_kinds(text: str) -> tuple[str, ...]:
    """The kinds of document an English text names by their English names, in any case (the regulation,
    guiding opinions, Law): 条例, 指导意见, 法. A question names a document in lower case as often as not."""
    low = " " + " ".join(re.findall(r"[a-z]+", text.lower())) + " "
    return tuple(zh for zh, names in kinds().items() if any(f" {en} " in low for en in names))


def documents(text: str, lang: str = "zh") -> list[DocumentMention]:
    """The documents ``text`` names, in order."""
    if lang == "en":
        english = _en_documents(text)
        quoted = [d for d in _zh_documents(text) if d.quoted]
        return sorted(english + [d for d in quoted if not any(d.overlaps(e) for e in english)], key=lambda d: d.start)
    return _zh_documents(text)
