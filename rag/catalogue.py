"""The library's catalogue of documents, and which of them a question names.

Each article title is one entry: its title, the forms a question calls it by and its kind (法, 条例, 办法,
规定, 决定, 规划, 行动计划, 方案: rag/catalogue_kinds.tsv). The short forms are derived by rule, never typed
per document: 《》, bracketed years and trial marks and 中华人民共和国 dropped; the issuing place dropped
(浙江省数字经济促进条例 → 数字经济促进条例); what follows an issuing body's 关于 (…常务委员会关于…的决定). An
abbreviation (电商法, 反诈法, 上海“一网通办”决定) is the characters of a form, in order, of the same kind.

A question that names a document of a kind the catalogue has no entry for is about a document the library
does not hold: the answer judge refuses it (naming the closest entries) instead of answering from
another document with the same clause number. Used by the answer judge; the follow-up resolver can read
本办法 / 该条例 through ``resolve(..., context=…)`` the same way."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.places import CITIES, PROVINCES
from rag.text import char_bigrams

KINDS_FILE = Path(__file__).with_name("catalogue_kinds.tsv")


@lru_cache(maxsize=1)
def kinds() -> dict[str, tuple[str, ...]]:
    """Document kind (法, 条例 …) -> its English names, longest kind first."""
    out: dict[str, tuple[str, ...]] = {}
    for line in KINDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, _, en = line.partition("\t")
        out[zh.strip()] = tuple(e.strip().lower() for e in en.split(",") if e.strip())
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


def kind_of(name: str) -> str:
    """The kind a (normalised) name ends with, or ""."""
    return next((k for k in kinds() if name.endswith(k) and len(name) > len(k)), "")


_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_MARKS = re.compile(r"[\s《》〈〉“”\"'‘’「」『』]")
_COUNTRY = "中华人民共和国"
# A province-level or city prefix of a title: 浙江省, 上海市, 安阳市 (the gazetteer's names, or two to
# three characters before 省/市/自治区 at the start of a title).
_PLACE_SUFFIX = r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)"
_PLACE_PREFIX = re.compile(rf"^([\u4e00-\u9fff]{{2,3}}?){_PLACE_SUFFIX}")


def normalise(name: str) -> str:
    """A document name as compared: NFKC, no spaces, quotes, 《》 or bracketed parts, no 中华人民共和国."""
    text = _MARKS.sub("", _BRACKETS.sub("", unicodedata.normalize("NFKC", name)))
    text = _BRACKETS.sub("", text.replace("(", "（").replace(")", "）"))
    return text.removeprefix(_COUNTRY)


def place_of(name: str) -> tuple[str, str]:
    """(the place a normalised name opens with, the rest): 浙江省数字经济促进条例 -> (浙江, 数字经济促进条例)."""
    for place in sorted((*PROVINCES, *CITIES), key=len, reverse=True):
        if name.startswith(place):
            rest = re.sub(rf"^{_PLACE_SUFFIX}", "", name[len(place) :])
            return place, rest
    if m := _PLACE_PREFIX.match(name):
        return m.group(1), name[m.end() :]
    return "", name


@dataclass(frozen=True)
class Entry:
    title: str
    name: str  # normalised: 数据安全法 for 中华人民共和国数据安全法
    kind: str
    place: str  # 浙江, 上海, "" for a national document
    forms: frozenset[str]  # the names a question may call it by, normalised

    @property
    def stem(self) -> str:
        """What the name says besides its place and kind (for the closest entries)."""
        _, rest = place_of(self.name)
        return rest[: len(rest) - len(self.kind)] if self.kind else rest


def entry_of(title: str) -> Entry:
    name = normalise(title)
    place, rest = place_of(name)
    forms = {name, rest}
    if "关于" in rest:  # …常务委员会关于进一步促进和保障“一网通办”改革的决定
        forms.add(rest.split("关于", 1)[1])
    return Entry(title, name, kind_of(name), place, frozenset(f for f in forms if len(f) >= 3))


@dataclass(frozen=True)
class Mention:
    """A document a question names: as written, and normalised."""

    text: str
    name: str
    kind: str
    place: str


@dataclass(frozen=True)
class Resolution:
    named: tuple[str, ...] = ()  # titles of catalogue entries the question names, in question order
    absent: tuple[Mention, ...] = ()  # documents it names that the catalogue has no entry for
    anaphor: bool = False  # 本办法, 该条例: the document of the conversation or the passage


def _occurrences(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


def _place_agrees(before: str, entry: Entry) -> bool:
    """Whether the text just before a form of ``entry`` names no other place (江苏省 before 数字经济促进条例)."""
    for k in range(max(0, len(before) - 8), len(before)):
        place, rest = place_of(before[k:])
        if place and not rest:
            return not entry.place or place == entry.place
    return True


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_SHARED_RUN = 4  # as rag.answer.answerability's _NAMING_RUN: titles share shorter generic words (发展, 数据)


class Catalogue:
    def __init__(self, titles: Iterable[str]) -> None:
        self.entries = [entry_of(t) for t in dict.fromkeys(t for t in titles if t)]
        self._by_form: dict[str, set[int]] = {}
        for k, e in enumerate(self.entries):
            for f in e.forms:
                self._by_form.setdefault(f, set()).add(k)

    def match(self, name: str) -> list[Entry]:
        """The entries a name (as written or normalised) answers to: a form of theirs, or an abbreviation of
        one (its characters in order, the same kind, the same first character), agreeing on the place."""
        name = normalise(name)
        place, _ = place_of(name)
        exact = [self.entries[k] for k in sorted(self._by_form.get(name, ()))]
        if exact:
            return exact
        kind = kind_of(name)
        if not kind or len(name) < len(kind) + 2:
            return []
        out = []
        for e in self.entries:
            if e.kind != kind or (place and e.place and place != e.place):
                continue
            forms = (e.name, *e.forms)
            # A tail of a name (算法推荐管理规定), or an abbreviation (电商法: 电子商务法).
            tail = len(name) - len(kind) >= 4  # 安全法 is the tail of many names, 算法推荐管理规定 of one
            if any((tail and f.endswith(name)) or (f[0] == name[0] and _subsequence(name, f)) for f in forms):
                out.append(e)
        return out

    def closest(self, mention: Mention, n: int = 2) -> list[str]:
        """The titles most like a name the catalogue lacks: the same stem in another place first
        (江苏省数字经济促进条例 -> 浙江省数字经济促进条例), then the most shared characters, same kind first."""
        _, rest = place_of(mention.name)
        stem = rest[: len(rest) - len(mention.kind)] if mention.kind else rest
        mine = char_bigrams(stem) | set(stem)

        def score(e: Entry) -> float:
            theirs = char_bigrams(e.stem) | set(e.stem)
            overlap = 2 * len(mine & theirs) / ((len(mine) + len(theirs)) or 1)
            return overlap + 0.2 * (e.kind == mention.kind)

        ranked = sorted(self.entries, key=lambda e: -score(e))
        return [e.title for e in ranked[:n] if score(e) > 0.3]

    def resolve(self, question: str) -> Resolution:
        """The documents a question names: by a form of an entry written in it, or by a name of a kind
        (《…》, or a noun phrase ending in 法/条例/办法 … that heads the question or is followed by a
        provision, a preposition or punctuation)."""
        text = unicodedata.normalize("NFKC", question)
        flat = _MARKS.sub("", text)
        named: list[tuple[int, str]] = []
        for e in self.entries:
            at = min((k for f in e.forms if len(f) >= 4 for k in _occurrences(flat, f) if _place_agrees(flat[:k], e)), default=-1)
            if at >= 0:
                named.append((at, e.title))
        absent: list[Mention] = []
        anaphor = False
        for written in zh_mentions(text):
            if written in ("本", "该", "此", "这"):
                anaphor = True
                continue
            found = self._resolve_written(written)
            if found is None:
                continue
            if isinstance(found, Mention):
                absent.append(found)
            else:
                at = flat.find(normalise(written)) if normalise(written) in flat else len(flat)
                named.append((at, found))
        titles = tuple(dict.fromkeys(t for _, t in sorted(named)))
        # A name that is part of a named entry's form (数据安全法 inside 中华人民共和国数据安全法) is that entry.
        absent = [m for m in absent if not any(m.name in f for t in titles for f in entry_of(t).forms | {entry_of(t).name})]
        absent = [m for m in absent if self._surely_absent(m)]
        return Resolution(titles, tuple(dict.fromkeys(absent)), anaphor)

    def _surely_absent(self, m: Mention) -> bool:
        """A name is reported absent only when it is a name (more than a place and a kind: 重庆规划的 and
        福建省规定 use 规划 and 规定 as verbs) and no title of a place it agrees with shares a run of
        _SHARED_RUN characters of its stem (服务机器人行动计划 is a short name of 重庆市AI及服务机器人…行动计划;
        江苏省数字经济促进条例 shares its stem with 浙江省…, but not its place)."""
        _, rest = place_of(m.name)
        stem = rest[: len(rest) - len(m.kind)] if m.kind and rest.endswith(m.kind) else rest
        if len(stem) < _SHARED_RUN:  # 行动方案, 电商法: too short to tell a name the library lacks
            return False
        runs = {stem[i : i + _SHARED_RUN] for i in range(len(stem) - _SHARED_RUN + 1)}
        place = m.place if m.place in PROVINCES or m.place in CITIES else ""  # 省辖市 is no place
        for e in self.entries:
            if place and e.place and place != e.place:
                continue
            if any(r in e.name for r in runs):
                return False
        return True

    def _resolve_written(self, written: str) -> str | Mention | None:
        """A title for a name written in a question; a Mention when no entry answers to it; None when
        it is no document name or answers to several entries."""
        name = normalise(written)
        kind = kind_of(name)
        if not kind or len(name) - len(kind) < 2:
            return None
        # The phrase may open with words that are not the name (请问, 关于): its shorter tails are tried too.
        place, _ = place_of(name)
        for start in range(0, len(name) - len(kind) - 1):
            found = [e for e in self.match(name[start:]) if not (place and e.place and e.place != place)]
            if len(found) == 1:
                return found[0].title
            if found:
                return None
        return Mention(written, name, kind, place)


# --- where a Chinese question names a document ------------------------------------------------------

_QUOTED = re.compile(r"《([^《》]{2,80})》")
_ANAPHOR = re.compile(r"(本|该|此|这)(?:部|项|个)?(?=法|条例|办法|规定|决定|规划|行动计划|方案)")
# jieba tags of the words a document's name is made of (nouns, verbs and their kin: 个人信息 保护 法);
# a preposition, pronoun, particle, numeral (第十条) or punctuation ends it.
_NAME_TAGS = frozenset("n nz ns nr nrt nrfg nt ng vn v j l b a an i".split())
# What may follow a bare name (no 《》) for it to be read as a document's name: a provision (第十条), a
# preposition (对, 关于), a localiser (中, 里), 的, punctuation, the end, or a kind word (数据安全法规定…).
_FOLLOW_TAGS = frozenset("m p f x uj".split())


def zh_mentions(text: str) -> list[str]:
    """Document names of a kind a question writes: 《…》 whole, and bare noun phrases ending in a kind
    (个人信息保护法第十条…, 电商法对…); 本/该 for 本办法, 该条例."""
    out = [m.group(1) for m in _QUOTED.finditer(text) if kind_of(normalise(m.group(1)))]
    out += [m.group(1) for m in _ANAPHOR.finditer(text)]
    bare = _QUOTED.sub("，", text)
    out += _bare_mentions(bare)
    return out


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


def _bare_mentions(text: str) -> list[str]:
    import jieba.posseg

    tokens = [(w, t) for w, t in jieba.posseg.lcut(text)]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i][1] not in _NAME_TAGS:
            i += 1
            continue
        j = i
        while j < len(tokens) and (tokens[j][1] in _NAME_TAGS or tokens[j][0] in '“”"「」'):
            j += 1
        run = tokens[i:j]
        # Verbs that open the run ask, they do not name (请问, 根据 is a preposition already).
        while run and run[0][1] == "v":
            run = run[1:]
        ends = [k for k in range(len(run)) if _ends_name(run, k)]
        if ends:
            last = ends[-1]
            # X法规定…: 规定 after a name that is complete is the verb "stipulates", not a kind.
            if len(ends) > 1 and run[last][0] in kinds() and ends[-2] == last - 1:
                last = ends[-2]
            following = run[last + 1] if last + 1 < len(run) else tokens[j] if j < len(tokens) else None
            ok = i == 0 or following is None or following[1] in _FOLLOW_TAGS or following[0] in kinds()
            if ok:
                out.append("".join(w for w, _ in run[: last + 1]))
        i = max(j, i + 1)
    return out
