"""Where a question's words say each slot of its frame: the document (by words of its title, 该办法, its
action plan), its places, periods and provisions, and where its predicate begins. Read with the language
layer's spans (rag.language) and the library's titles, so the same reading serves questions from the app,
the API and the command line; rag.frames.frame makes a Frame of them and a change swaps one slot's words.

Also the words that name a document (the kinds of rag/language/kinds.tsv) and the words that ask, which
follow-ups (rag.conversation.followup) and a question's parts (rag.frames.parts) read too."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.language import periods, places, provision_refs
from rag.language.documents import kinds
from rag.language.numbers import int_to_cn
from rag.places import COUNTRY_NAMES, REGIONS, bare, place
from rag.text import compact

Span = tuple[int, int]


# --- words that name a document, and words that ask ------------------------------------------------

# The kinds of document (rag/language/kinds.tsv) and the nouns any document is called by (文件, 政策): after a
# demonstrative any of them (该法, 这份方案); standing alone only those of two characters or more (法 is in 方法).
ALL_KINDS = kinds(("law", "rules", "official", "plan", "report", "generic"))
DOC_NOUN = re.compile("(?:" + "|".join(k for k in ALL_KINDS if len(k) >= 2 or k == "文") + ")")
_EN_NAMES = {n.replace(" ", r"\s+") for names in ALL_KINDS.values() for n in names}
EN_DOC = "(?:" + "|".join(sorted(_EN_NAMES, key=len, reverse=True)) + ")"
EN_DOC_NOUN = re.compile(rf"\b(?:[\w]+-year\s+)?{EN_DOC}\b", re.I)
# Words that ask, where a Chinese question's predicate begins (its 'tail'): 是多少, 有哪些内容.
ZH_ASKING = re.compile(r"多少|多大|多久|多长|哪|什么|几[个项家条年月天种类]|怎么|如何|是否|有没有|吗|谁|为何|为什么")
EN_ASKING = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how|is|are|does|do|did|can|could|will|should)\b", re.I)


# --- the document a question names -------------------------------------------------------------------

_GAP = set('的省市《》“”"「」 ')
_POINTER = re.compile(r"(?:该|这|此|本|那|其|上述|前述)(?:个|份|一|项|部)?$")


def _norm(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower().strip()


def zh_mention(question: str, titles: list[str], prefer: str | None = None) -> Span | None:
    """Where a Chinese question names a document: the longest stretch of its characters held in runs of
    two or more by one title (云南省公共数据管理办法, 视听电子指导意见, 重庆的AI及服务机器人行动计划), with
    document nouns (该办法 → 办法) counted too. ``prefer`` wins a tie (the turn's own article)."""
    chars = [_norm(ch) for ch in question]
    # Years and months are no name of a document, though titles carry them (（2023—2025年）).
    for p in periods(question):
        for k in range(*p.span):
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
            if DOC_NOUN.fullmatch(text) and not _POINTER.search(question[: span[0]]):
                continue  # a kind word alone names no document (怎样规定, 有什么办法) unless pointed at (该办法)
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


def zh_places(question: str, intent_regions: tuple[str, ...]) -> list[tuple[Span, str]]:
    """Places a Chinese question names, with their suffix (东部地区, 河南省): those of ``intent_regions`` and
    the countries (the first mention of each), and any other word ending like a place (两江新区, 渝西地区), in
    the order they stand."""
    out: list[tuple[Span, str]] = []
    for p in places(question):
        wanted = p.place_kind == "local" or p.name in intent_regions or p.place_kind == "country"
        if wanted and not any(name == p.name for _, name in out):  # named again: the first mention is the one swapped
            out.append((p.span, p.name))
    return sorted(out)


def en_places(question: str) -> list[tuple[Span, str]]:
    """Places an English question names (whole words), with their Chinese bare names; a name inside a longer
    one is the same mention (central china in central china region)."""
    return [(p.span, p.name) for p in places(question, "en") if p.text.isascii()]


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


# --- periods and provisions ----------------------------------------------------------------------------

# A period's form as a follow-up swaps it: a year for a year (到2027年 → 2025年), months for months.
_PERIOD_KIND = {"year": "year", "years": "year", "plan": "year", "months": "range", "month": "month", "date": "month",
                "quarter": "quarter", "half": "half", "full_year": "half"}  # fmt: skip


def period_spans(text: str, lang: str) -> list[tuple[Span, str]]:
    """Period expressions of a question with their kind (year, range, month, quarter, half); a Chinese one
    with its opening word (到2025年底), an English one without (2027 of by 2027)."""
    return [(p.span if lang == "zh" else p.core, _PERIOD_KIND[p.form]) for p in periods(text, lang)]


@dataclass(frozen=True)
class Ref:
    span: Span
    style: str  # paren (（十二）, 第（十二）条) | the unit: 条 章 节 项 类 … | en:<unit> (Article 22: en:条)
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


def refs(text: str, lang: str) -> list[Ref]:
    """Provision and item references of a question, with their style and number (those a range only implies
    are left out: a follow-up moves from what was written)."""
    out = []
    for r in provision_refs(text):
        if r.implied or (r.english and lang != "en"):
            continue
        style = f"en:{r.unit}" if r.english else "paren" if r.paren else r.unit
        out.append(Ref(r.span, style, r.number, r.text))
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
