"""The library's catalogue of documents, and which of them a question names.

Each article title is one entry: its title, the forms a question calls it by and its kind (法, 条例, 办法,
规定, 决定, 规划, 行动计划, 方案 …: rag/language/kinds.tsv). Where a question names a document (《…》, a bare
name such as 电商法, 本办法) is read by the language layer (rag.language.documents). The short forms are
derived by rule, never typed per document: 《》, bracketed years and trial marks and 中华人民共和国 dropped; the
issuing place dropped
(浙江省数字经济促进条例 → 数字经济促进条例); what follows an issuing body's 关于 (…常务委员会关于…的决定). An
abbreviation (电商法, 反诈法, 上海“一网通办”决定) is the characters of a form, in order, of the same kind.

A question that names a document of a kind the catalogue has no entry for is about a document the library
does not hold: the answer judge refuses it (naming the closest entries) instead of answering from
another document with the same clause number. Used by the answer judge and the follow-up resolver, through
the catalogue of the library they share (rag.catalogue.library)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rag.language.documents import MARKS, documents, kind_class, kind_of, kinds, normalise
from rag.places import CITIES, PROVINCES
from rag.places import place as known_place
from rag.text import char_bigrams, is_cjk

_PLACE_SUFFIX = r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)"
_PLACE_PREFIX = re.compile(rf"^([\u4e00-\u9fff]{{2,3}}?){_PLACE_SUFFIX}")


def place_of(name: str) -> tuple[str, str]:
    """(the place a normalised name opens with, the rest): 浙江省数字经济促进条例 -> (浙江, 数字经济促进条例)."""
    for place in sorted((*PROVINCES, *CITIES), key=len, reverse=True):
        if name.startswith(place):
            rest = re.sub(rf"^{_PLACE_SUFFIX}", "", name[len(place) :])
            return place, rest
    # A place the lists above lack (a county-level city: 义乌市) only when the gazetteer knows it: 建筑市场… opens
    # with no place.
    if (m := _PLACE_PREFIX.match(name)) and known_place(m.group(0)) is not None:
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
    """Whether the text just before a form of ``entry`` names no other place (江苏省 before 数字经济促进条例, 山东的
    before 安全生产条例)."""
    before = before.removesuffix("的")
    for k in range(max(0, len(before) - 8), len(before)):
        place, rest = place_of(before[k:])
        if place and not rest:
            return not entry.place or place == entry.place
    return True


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_SHARED_RUN = 4  # as rag.catalogue.library's NAMING_RUN: titles share shorter generic words (发展, 数据)


def _covered(stem: str, terms: Iterable[str]) -> list[bool]:
    """Which characters of a title's stem the terms cover: terms of two characters or more anywhere, then a
    one-character term where it extends a run they cover."""
    covered = [False] * len(stem)
    for t in (t for t in terms if len(t) >= 2):
        for m in re.finditer(re.escape(t), stem):
            covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    runs = covered[:]
    for t in (t for t in terms if len(t) == 1):
        for m in re.finditer(re.escape(t), stem):
            k = m.start()
            if (k > 0 and runs[k - 1]) or (k + 1 < len(stem) and runs[k + 1]):
                covered[k] = True
    return covered


class Catalogue:
    def __init__(self, titles: Iterable[str]) -> None:
        self.entries = [entry_of(t) for t in dict.fromkeys(t for t in titles if t)]
        self._by_form: dict[str, set[int]] = {}
        for k, e in enumerate(self.entries):
            for f in e.forms:
                self._by_form.setdefault(f, set()).add(k)

    def match(self, name: str, abbreviated: bool = True) -> list[Entry]:
        """The entries a name (as written or normalised) answers to: a form of theirs, a tail of one, or (when
        ``abbreviated``) an abbreviation of one (its characters in order, the same kind, the same first
        character), agreeing on the place."""
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
            short = abbreviated and any(f[0] == name[0] and _subsequence(name, f) for f in forms)
            if short or any(tail and f.endswith(name) for f in forms):
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
        flat = MARKS.sub("", text)
        named: list[tuple[int, str]] = []
        for e in self.entries:
            at = min((k for f in e.forms if len(f) >= 4 for k in _occurrences(flat, f) if _place_agrees(flat[:k], e)), default=-1)
            if at >= 0:
                named.append((at, e.title))
        absent: list[Mention] = []
        anaphor = False
        for d in documents(text):
            if d.current or d.pronoun:
                anaphor = True
                continue
            if d.quoted and not d.doc_kind:
                continue  # 《…》 of no kind of document (a book, a column) names no entry
            written = d.text.strip("《》")
            found = self._resolve_written(written, MARKS.sub("", text[: d.start]))
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

    def of_places(self, places: Iterable[str]) -> tuple[str, ...]:
        """The titles of the documents issued in the places a question names (bare: 安阳, 浙江): 安阳 ->
        安阳市政务服务条例; 浙江 -> every 浙江省 document. A national document is of no place."""
        return tuple(dict.fromkeys(e.title for place in places for e in self.entries if e.place and e.place == place))

    def of_kind_named(self, titles: Iterable[str], query: str, lang: str) -> list[str]:
        """Of a place's titles, those of the kind of document the question names (河南行动计划, Beijing's guiding
        opinions), when it names the kind of some: a province has one action plan among many 条例 in a
        library of years, and the question names that one. All of them when it names none of their kinds.
        A kind counts where the question names a document by it (a mention of rag.language: 河南行动计划, not
        the verb of 有哪些规定); in English only by a name of two words or more (guiding opinions, action
        plan: measures and rules are common words)."""
        text = unicodedata.normalize("NFKC", query).lower()
        table = kinds()
        names = [m.name for m in documents(query, lang) if not (m.current or m.pronoun)]

        def named(title: str) -> bool:
            kind = kind_of(normalise(title))
            if not kind:
                return False
            if lang == "en":
                return any(" " in en and re.search(rf"\b{re.escape(en)}\b", text) for en in table.get(kind, ()))
            return any(kind in name for name in names)

        titles = list(titles)
        return [t for t in titles if named(t)] or titles

    def named_by_terms(self, terms: Iterable[str], kinds: Iterable[str], places: Iterable[str], least: float) -> tuple[str, ...]:
        """The title a question in another language names by its words' Chinese terms (Data Security Law ->
        数据 安全 法): of a kind the question names (its class, or a kind its name ends with: report -> 研究报告),
        of no other place than one the question names, and whose stem (the name less place and kind) those
        terms cover for at least ``least`` of its characters and at least _SHARED_RUN - 1 of them (上海市数据条例's
        数据 is any question's word). A one-character term (law -> 法) covers a character only next to a longer
        term's run (标准化 + 法 of 标准化法实施条例): alone it is in every title. The best such title is the one whose
        name the question says most of (the Standardization Law's 标准化法 over 上海市标准化条例's whole stem 标准化),
        then the one it covers the largest share of; none when two tie."""
        kinds, places = set(kinds), set(places)
        classes = {kind_class(k) for k in kinds}
        terms = set(terms)
        scored: list[tuple[int, float, str]] = []
        for e in self.entries:
            if not e.kind or not (kind_class(e.kind) in classes or any(e.name.endswith(k) for k in kinds)):
                continue
            if places and e.place and e.place not in places:
                continue
            stem = e.stem
            covered = _covered(stem, terms)
            cjk = [k for k, ch in enumerate(stem) if is_cjk(ch)]
            held = sum(covered[k] for k in cjk)
            if cjk and held >= _SHARED_RUN - 1 and held / len(cjk) >= least:
                scored.append((held, held / len(cjk), e.title))
        scored.sort(reverse=True)
        if not scored or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
            return ()
        return (scored[0][2],)

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

    def _resolve_written(self, written: str, before: str = "") -> str | Mention | None:
        """A title for a name written in a question (``before`` it, the question's words: a place there, 上海的,
        is the name's place); a Mention when no entry answers to it; None when it is no document name or answers
        to several entries."""
        name = normalise(written)
        kind = kind_of(name)
        if not kind or len(name) - len(kind) < 2:
            return None
        # The phrase may open with words that are not the name (请问, 关于): its shorter tails are tried too,
        # as forms or tails of a name only — an abbreviation is of the name as written (市场条例, the tail of
        # 建筑市场条例, abbreviates 市场主体登记管理条例, which 建筑市场条例 does not name).
        place, rest = place_of(name)
        if place and rest.startswith("的"):  # 山东的安全生产条例: Shandong's, 山东安全生产条例
            name = place + rest[1:]
        for start in range(0, len(name) - len(kind) - 1):
            found = [
                e
                for e in self.match(name[start:], start == 0)
                if not (place and e.place and e.place != place) and _place_agrees(before, e)
            ]
            if len(found) == 1:
                return found[0].title
            if found:
                return None
        return Mention(written, name, kind, place)
