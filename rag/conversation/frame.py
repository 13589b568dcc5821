"""The frame of a turn: where its question names its document, its places, its period and its provisions,
and where its predicate begins — the pieces a follow-up swaps. Read from the question's words (with the
library's titles and the gazetteer of rag.places), so the same reading serves questions from the app, the
API and the command line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag.conversation.followup import DOC_NOUN, EN_ASKING, EN_DOC_NOUN, EN_ORDINAL, ORDINAL, ZH_ASKING
from rag.intent import Intent
from rag.places import COUNTRY_NAMES, REGIONS, bare, english_mentions, find, place
from rag.text import cn_to_int, compact, int_to_cn

Span = tuple[int, int]


@dataclass(frozen=True)
class Frame:
    """What the previous turn was about."""

    question: str  # its standalone form
    lang: str
    intent: Intent
    article: str | None = None  # the article it was about (the cited passages' article, or the one it names)
    section: tuple[str, ...] = ()  # the section it was answered from, when known
    mention: Span | None = None  # where ``question`` names its document
    regions: list[tuple[Span, str]] = field(default_factory=list)  # places named in ``question``: span, bare name
    answer: str = ""  # what was answered, when the client sent it

    @property
    def mention_text(self) -> str:
        return self.question[self.mention[0] : self.mention[1]] if self.mention else ""


# --- the document a question names -------------------------------------------------------------------

_GAP = set('的省市《》“”"「」 ')


def _norm(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower().strip()


def zh_mention(question: str, titles: list[str], prefer: str | None = None) -> Span | None:
    """Where a Chinese question names a document: the longest stretch of its characters held in runs of
    two or more by one title (云南省公共数据管理办法, 视听电子指导意见, 重庆的AI及服务机器人行动计划), with
    document nouns (该办法 → 办法) counted too. ``prefer`` wins a tie (the turn's own article)."""
    chars = [_norm(ch) for ch in question]
    # Years and months are no name of a document, though titles carry them (（2023—2025年）).
    for m in PERIOD_ZH.finditer(question):
        for k in range(*m.span()):
            chars[k] = "\0"
    best: tuple[int, int, Span] | None = None
    nouns = [m.span() for m in DOC_NOUN.finditer(question)]
    for title in sorted(titles, key=lambda t: t != prefer):
        flat = compact(title).lower()
        covered = [False] * len(question)
        i = 0
        while i < len(question):
            j, best_j = i + 1, None
            run = chars[i]
            while j <= len(question) and run and run in flat:
                if len(run) >= 2:
                    best_j = j
                if j == len(question):
                    break
                run += chars[j]
                j += 1
            if best_j is None:
                i += 1
                continue
            for k in range(i, best_j):
                covered[k] = True
            i = best_j
        for s, e in nouns:
            for k in range(s, e):
                covered[k] = True
        for span in _stretches(question, covered):
            text = question[span[0] : span[1]]
            # A name ends with its document noun: 安徽方案 in 安徽方案的发展目标, though 发展 is in the title too.
            nouns_in = list(DOC_NOUN.finditer(text))
            if nouns_in and nouns_in[-1].end() < len(text) and text[nouns_in[-1].end()] not in '》”」"':
                span = (span[0], span[0] + nouns_in[-1].end())
                text = question[span[0] : span[1]]
            n = sum(covered[span[0] : span[1]])
            if n >= 4 or DOC_NOUN.search(text):
                key = (n, -span[0])
                if best is None or key > best[:2]:
                    best = (*key, span)
    return best[2] if best else None


def _stretches(question: str, covered: list[bool]) -> list[Span]:
    """Runs of covered characters, bridging one uncovered joining character (的, 省, 《 …)."""
    out: list[Span] = []
    i = 0
    while i < len(question):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j < len(question) and (covered[j] or (question[j] in _GAP and j + 1 < len(question) and covered[j + 1])):
            j += 1
        # Quotation marks around a name belong to it.
        s, e = i, j
        if s > 0 and question[s - 1] in '《“「"' and e < len(question) and question[e] in '》”」"':
            s, e = s - 1, e + 1
        out.append((s, e))
        i = j
    return out


# Words that end an English document mention on its left: it does not run into the verb or question word.
_EN_STOP = set(
    "what which who when where why how is are was were be do does did has have had can could will would should shall may "
    "might must to of for in on at by with from about into issue issued publish published release released say says "
    "and or".split()
)
_EN_DETERMINER = ("the", "its", "their", "this", "that")


def en_mention(question: str, place: str = "") -> tuple[Span, str] | None:
    """Where an English question names a document, and how to say it again: 'its action plan' in a question
    about Henan → "Henan's action plan"; "Henan's manufacturing action plan", "the CAICT report" → themselves."""
    m = EN_DOC_NOUN.search(question)
    if not m:
        return None
    start = m.start()
    words = list(re.finditer(r"[\w'’-]+", question[:start]))
    for w in reversed(words[-4:]):
        word = w.group(0).lower()
        if word in _EN_STOP:
            break
        start = w.start()
        if word in _EN_DETERMINER or word.endswith(("'s", "’s")):
            break  # the mention's owner: nothing before it belongs to the mention
    text = question[start : m.end()]
    owner = re.match(r"(?i)(its|their|this|that)\b", text)
    if owner:
        text = (f"{place}'s" if place else "the") + text[owner.end() :]
    return (start, m.end()), text


def short_title(title: str) -> str:
    """A title as a question names it: 《云南省公共数据管理办法》 — no years, drafts or trial marks, no spaces."""
    t = re.sub(r"\s+", "", re.sub(r"[（(][^（）()]*[）)]", "", title))
    return f"《{t}》"


# --- places ------------------------------------------------------------------------------------------

# Places outside the gazetteer are only told by a suffix that names a place and nothing else (产业集聚区 is no place).
_PLACE_WORD = re.compile(r"(?<![本该此这各])[\u4e00-\u9fff]{2}(?:新区|地区|大湾区|自治区|自治州)")
_ZH_SUFFIX = re.compile(r"^(?:省|市|地区|大湾区|自治区|新区)")


def zh_places(question: str, intent_regions: tuple[str, ...]) -> list[tuple[Span, str]]:
    """Places a Chinese question names, with their suffix (东部地区, 河南省): those of ``intent_regions`` and
    the countries as the gazetteer finds them, and any other word ending like a place (两江新区, 渝西地区), in
    the order they stand."""
    out: list[tuple[Span, str]] = []
    for m in find(question):
        if m.place.name in intent_regions or m.place.kind == "country":
            if any(name == m.place.name for _, name in out):  # named again: the first mention is the one swapped
                continue
            end = m.end
            if sx := _ZH_SUFFIX.match(question[end:]):
                end += sx.end()
            out.append(((m.start, end), m.place.name))
    for m in _PLACE_WORD.finditer(question):
        if not any(s < m.end() and m.start() < e for (s, e), _ in out):
            out.append((m.span(), m.group(0)))
    return sorted(out)


def en_places(question: str) -> list[tuple[Span, str]]:
    """Places an English question names (whole words), with their Chinese bare names; a name inside a longer
    one is the same mention (central china in central china region)."""
    return english_mentions(question)


def place_kind(name: str) -> str:
    """region (several provinces), country, place (a division of the gazetteer or a national new area) or local
    (any other place word: 渝西地区): a switch replaces a place of its own kind."""
    b = bare(name)
    if b in REGIONS:
        return "region"
    if b in COUNTRY_NAMES:
        return "country"
    known = place(b)
    return "place" if known is not None and known.kind in ("province", "prefecture", "county", "new_area") else "local"


# --- periods -----------------------------------------------------------------------------------------

PERIOD_ZH = re.compile(
    r"(?P<range>\d{1,2}\s*[—–\-~至到]\s*\d{1,2}\s*月份?)"
    r"|(?P<year>(?:到|截至|截止|至|在)?\s*\d{4}\s*年(?:底|末|前|内)?)"
    r"|(?P<month>(?:截至|截止|到)?\s*\d{1,2}\s*月(?:末|底|份|当月)?)"
    r"|(?P<quarter>第?[一二三四1-4]季度)|(?P<half>[上下]半年)"
)
PERIOD_EN = re.compile(r"(?P<year>\b(?:19|20)\d{2}\b)")


def period_spans(text: str, lang: str) -> list[tuple[Span, str]]:
    """Period expressions of a question with their kind (year, range, month, quarter, half)."""
    pattern = PERIOD_ZH if lang == "zh" else PERIOD_EN
    return [(m.span(), m.lastgroup or "") for m in pattern.finditer(text)]


# --- provisions --------------------------------------------------------------------------------------

_ZH_REF = re.compile(
    r"第\s*[（(]\s*(?P<pn>[一二三四五六七八九十百零\d]+)\s*[)）]\s*(?P<pu>[条项])?"
    r"|[（(]\s*(?P<bn>[一二三四五六七八九十百零\d]+)\s*[)）]"
    rf"|{ORDINAL.pattern}"
)


@dataclass(frozen=True)
class Ref:
    span: Span
    style: str  # paren (（十二）, 第（十二）条) | the unit: 条 章 节 项 类 … | en:article …
    number: int
    text: str

    def moved(self, by: int) -> str | None:
        """The same reference ``by`` places along: 第二十六条 → 第二十七条, 第（十二）条 → 第（十三）条."""
        n = self.number + by
        if n < 1 or n >= 1000:
            return None
        old = str(self.number) if str(self.number) in self.text else int_to_cn(self.number)
        new = str(n) if old.isdigit() else int_to_cn(n)
        at = self.text.rfind(old)
        return self.text[:at] + new + self.text[at + len(old) :]


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else cn_to_int(text.replace("两", "二"))


def refs(text: str, lang: str) -> list[Ref]:
    """Provision and item references of a question, with their style and number."""
    out: list[Ref] = []
    if lang == "en":
        for m in EN_ORDINAL.finditer(text):
            out.append(Ref(m.span(), "en:" + m.group("unit").lower(), int(m.group("n")), m.group(0)))
    for m in _ZH_REF.finditer(text):
        if m.group("pn"):
            n, style = _number(m.group("pn")), "paren"
        elif m.group("bn"):
            n, style = _number(m.group("bn")), "paren"
        else:
            n, style = _number(m.group("n")), m.group("unit")
        if n:
            out.append(Ref(m.span(), style, n, m.group(0)))
    return out


# --- the predicate -------------------------------------------------------------------------------------

# Verbs and particles between a question's subject and its question word: stripped off the subject.
_ZH_VERB_END = re.compile(
    r"(?:是|有|为|要|了|共|都|达到|达|主要|包括|列|安排|提出|规定|明确|设定|给予|具体|分别|应当|应|需要|可以|能|会|将|"
    r"打算|准备|预计|又|在|对|总共|一共|大约|约|占|增长|增加|下降|减少|提高|提升|降低|完成|实现|建设|建成|培育|打造|发展|支持|"
    r"投入|组建|设立|开展|达成)$"
)


def split_tail(question: str, lang: str) -> tuple[str, str]:
    """(subject, predicate): 「1—11月份三家基础电信企业的新兴业务收入」「是多少？」; 「河南行动计划在数字化能力提升
    方面」「安排了哪些任务？」. English questions are not split (the whole question is the subject)."""
    if lang != "zh":
        return question, ""
    m = ZH_ASKING.search(question)
    if not m:
        return question.rstrip("？?。"), question[len(question.rstrip("？?。")) :]
    head = question[: m.start()]
    while True:
        cut = _ZH_VERB_END.search(head)
        if not cut or cut.start() == 0:
            break
        head = head[: cut.start()]
    head = head.rstrip("，,、 ")
    return head, question[len(head) :].lstrip("，,、 ")


def asks(question: str, lang: str) -> bool:
    return bool((ZH_ASKING if lang == "zh" else EN_ASKING).search(question))
