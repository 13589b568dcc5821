"""What a question asks, in one place: the type of answer it expects (an amount, a share, a count, a
date, a duration, a deadline, a document number, yes or no, the text of a provision, or free text) and the
constraints it names (years, months or quarters, regions, provisions). Read from the question alone, in
Chinese or English, with the spans of the language layer (rag.language); rag/answer/evidence.py then
checks them against the passages. One table of answer types serves both languages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag.intent.listing import Listing, listing
from rag.intent.types import EN_AUX, AnswerType
from rag.language import Period, issue_mentions, labels, language, periods, places, quantities, regions
from rag.language import period_of as _period_of
from rag.language.quantities import MEASURE_WORDS
from rag.language.spans import Quantity

__all__ = ["FIGURE_QUALIFIERS", "AnswerType", "Intent", "Listing", "Period", "answer_type", "asks_about", "choices", "language",
           "listing", "period_of", "read_intent", "regions_named"]  # fmt: skip


# Words that qualify a figure rather than name what it counts (后补助最高是多少: 最高 bounds the figure,
# 后补助 is what it is of).
FIGURE_QUALIFIERS = frozenset(
    "最高 最低 最多 最少 至少 至多 不超过 不低于 不少于 以上 以下 以内 左右 上限 下限 总额 总计 合计 累计 平均 约 大约 达到 "
    "具体 标准 金额 数量 规模 比例 占比 期限 时间 日期 多久 多长".split()
)


@dataclass(frozen=True)
class Intent:
    lang: str  # zh | en
    answer_type: AnswerType
    unit: str = ""  # the unit the question names for its figure: 万元, 个, 个工作日, %
    period: Period = field(default_factory=Period)
    regions: tuple[str, ...] = ()  # provinces, cities and regions named (Chinese, bare: 河南, 东部地区)
    provisions: frozenset[str] = frozenset()  # 第二十二条, （十七）
    asks_document: bool = False  # "which document …": the answer names a title
    asks_content: bool = False  # "what does 第二十二条 say": the provision's opening
    asks_day: bool = False  # a date to the day (哪一天, 日期), not just a year
    asks_several: bool = False  # about several documents or the whole issue (哪些文件, 本期): no one document
    asks_target: bool = False  # a plan's target (提出了什么目标, what target): its figures, when it has any
    listing: Listing | None = None  # which documents, places or bodies (哪些规划…, which plans …): see Listing
    # The figures a question weighs against each other (每半年还是每年, 三年还是五年): an answer states one of them.
    choices: tuple[Quantity, ...] = ()


# --- answer types ----------------------------------------------------------------------------------
_MEASURES = MEASURE_WORDS  # measure words that count things (一批, 一系列 are no count)
# One table for both languages: (type, Chinese cues, English cues), tried in order; the first type with a
# cue in the question gives its type. A question of several parts is typed by its first ("How many
# stations, and what share?" asks for a count).
_TYPES: list[tuple[AnswerType, str, str]] = [
    (AnswerType.DOC_NUMBER, r"文号|发文字号|字号", r"document number|reference number|serial number"),
    # How often (隔多久做一次): a rhythm (每年, 每季度, 定期), not a span of time. 频率 and 频次 ask it only as the thing
    # asked (检查的频次是多少, 什么频率): 无线电频率使用许可 names radio frequencies, and 频次 may qualify another ask.
    (
        AnswerType.RECURRENCE,
        r"(?:多久|多长时间|几年|几个月)[^，。？?；]{0,12}一次|每隔多久|隔多久"
        r"|频[次率](?:是|为|应当是|要求是?)?(?:多少|多大|多高|怎样|如何|怎么|几|[？?]|$)|(?:什么|多大|多高|何种|怎样的?)频[次率]",
        r"how often|how frequently|at what intervals?|how many times a (?:year|month|week)",
    ),
    (
        AnswerType.DURATION,
        r"多久|多长时间|多长|几个?(?:工作)?[日天周月年]内?|多少(?:个)?(?:工作)?[日天周月年]|试行期|有效期",
        r"how long|how many (?:working |business )?(?:days|weeks|months|years)|within how|trial period|period of validity",
    ),
    # A limit asked as such may be stated as a duration (十五个工作日内) or a date (3月31日前): either answers.
    (AnswerType.DEADLINE, r"期限|时限|最迟|最晚", r"deadlines?|time limits?|time frame|timeframe|\bdue\b"),
    (
        AnswerType.DATE,
        r"哪[一]?天|哪一?日|何时|什么时候|哪个月|几月几[日号]|日期|截止|哪一?年(?!度)|何年",
        r"\bwhen\b|what date|which date|which day|on what day|by what date|what year|which year",
    ),
    (
        AnswerType.PERCENT,
        r"比例|比重|占比|百分之|百分比|率是?多少|率要?达到多少|增[长速幅]了?多少|降[低幅]了?多少|下降了?多少|几成",
        r"what (?:share|percentage|proportion|ratio|rate|fraction)|per ?cent|growth rate|penetration|\bshare of\b",
    ),
    (
        AnswerType.AMOUNT,
        r"多少(?:万|亿|千)?元|金额|奖金|多少钱|补[助贴]标准|奖补标准|(?:奖励|补助|补贴|资助|资金)多少|多少资金|罚款多少|罚多少|多少罚款",
        r"how much (?:money|funding|subsid|reward|award|grant|revenue|income|investment|is the fine|of a fine|fine)"
        r"|\bamount\b|\byuan\b|\bfines?\b|maximum (?:reward|subsidy|award|grant|fine|penalty)"
        r"|how much .* (?:give|award|pay|subsidi[sz]e|fined?)",
    ),
    (AnswerType.COUNT, rf"(?:多少|(?<!哪)几)[{_MEASURES}]|数量|多少[万亿][个户人]", r"how many"),
    (
        AnswerType.QUANTITY,
        r"多少|(?<!哪)几|规模|多大|多高|多快|量化",
        r"how much|how large|how big|how fast|what (?:target|figure|level|scale|value)",
    ),
]
_ZH_TYPES = [(kind, re.compile(zh)) for kind, zh, _ in _TYPES]
_EN_TYPES = [(kind, re.compile(en, re.I)) for kind, _, en in _TYPES]
# 是否 and its kin make a yes/no question whatever else it names (有没有…何时…的内容); a final 吗 or
# 么 (no 什么/怎么) only when no question word asks for something else.
_ZH_YESNO = re.compile(r"是否|能否|可否|有没有|是不是|能不能|可不可以|会不会|要不要|需不需要|算不算")
_ZH_YESNO_END = re.compile(r"(?:吗|(?<![什怎多那这])么)[？?]?$")
_ZH_WH = re.compile(r"多少|几[个项家条年月天]|哪|什么|何时|怎么|如何|谁")
_EN_AUX = EN_AUX
# Yes/no: an auxiliary opens the question, or opens its main clause after a leading one ("Once …, may …?").
_EN_YESNO = re.compile(rf"^{_EN_AUX}\b|,\s*{_EN_AUX}\b(?=[^,]*\?\s*$)", re.I)
_EN_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
# After an opening auxiliary a wh-word joins a clause ("Can it collect data again when it could …?"); it
# asks something else only when it opens a further question ("Is there a deadline, and when is it?").
_EN_WH_QUESTION = re.compile(r"(?:[,;]|\band\b|\bor\b)\s*(?:and\s+|if so,?\s*)?(?:what|which|who|when|where|why|how)\b", re.I)
# Where an English question's second part begins: ", and what …", "; how …".
_EN_NEXT_PART = re.compile(r"(?:[,;]\s*(?:and\s+)?|\s+and\s+)(?=(?:what|which|who|when|where|why|how)\b)", re.I)
_ZH_CONTENT = re.compile(r"规定了?什么|讲了?什么|说了?什么|内容|主要|写了?什么|概括|是什么")
_EN_CONTENT = re.compile(r"what does .* (?:say|provide|stipulate|cover)|what is in|summari[sz]e|about what", re.I)
_ZH_DOCUMENT = re.compile(r"哪份|哪篇|哪个文件|哪些文件|哪部|哪项政策|哪几份")
_EN_DOCUMENT = re.compile(r"which (?:document|article|paper|report|plan|policy|policies|documents)", re.I)
_ASKS_DAY = re.compile(r"哪[一]?天|哪一?日|几月几[日号]|日期|what date|which date|which day|on what day", re.I)
# A target may be qualitative (实现全覆盖), so this sets no answer type; but where the deciding sentence
# states figures, an answer that drops them is incomplete.
_TARGET = re.compile(r"目标|指标|量化要求|要达到|\btargets?\b|\bgoals?\b", re.I)
_SEVERAL = re.compile(r"哪些文件|哪几份|哪些地方|本期|分别|各文件|which documents|which plans|this issue", re.I)
_ZH_UNIT = re.compile(rf"多少(个工作日|万亿元|亿元|万元|元|万[{_MEASURES}]|亿[{_MEASURES}]|[{_MEASURES}]|%)")


# What a question is about, beyond what a document says: the issue itself (its date, number, contents, columns,
# pages, editors: what the issue card holds), or a document as a whole — what the editor's notes of our 15 issues
# state of their documents: who issued or adopted it and when, whether it is a draft, how many chapters, articles,
# parts or measures it has and which aspects it covers, its place among laws (首部, 基础性) and background. Anything
# else asks what a text says. (When a law takes effect is its last article's text as much as its note's.)
_ABOUT_ISSUE = re.compile(
    r"要目|栏目|第几期|总第|出版|第几页|页码|主编|contents of this issue|\bcolumns?\b|\bpages?\b|issue number", re.I
)
_ABOUT_DOCUMENT = re.compile(
    r"编者按|按语|发布|印发|出台|联合|发文|征求意见|草案|正式|共[^，。？?]{0,4}?(?:几|多少)[章条项部个]|几章|首部|基础性"
    r"|意义|背景|亮点|(?:几|哪几|哪些)个?(?:方面|部分)"
    r"|editor'?s note|\bissued\b|\bpublished\b|\bjointly\b|\bdraft\b|\bfinal\b|\bformally\b"
    r"|how many (?:articles|chapters|parts|sections|measures)|which (?:areas|aspects|parts)|\bbackground\b|significance",
    re.I,
)


def asks_about(query: str) -> str:
    """ "issue" (本期是第几期？ what the issue card holds), "document" (视听电子指导意见是哪天印发的？ what an editor's
    note holds) or "text" (what a document says: its provisions and sections)."""
    if _ABOUT_ISSUE.search(query):
        return "issue"
    return "document" if _ABOUT_DOCUMENT.search(query) else "text"


def answer_type(query: str, lang: str) -> AnswerType:
    text = query.strip()
    if lang == "zh":
        if _ZH_YESNO.search(text) or (_ZH_YESNO_END.search(text) and not _ZH_WH.search(text)):
            return AnswerType.YESNO
        table, content = _ZH_TYPES, _ZH_CONTENT
    else:
        opened = re.match(rf"{_EN_AUX}\b", text, re.I)
        if (opened and not _EN_WH_QUESTION.search(text)) or (
            not opened and _EN_YESNO.search(text) and not _EN_WH.search(text.split(",")[-1])
        ):
            return AnswerType.YESNO
        table, content = _EN_TYPES, _EN_CONTENT
    if labels(text) and content.search(text):
        return AnswerType.PROVISION
    # A question of several asks, one of which any sentence may answer (隔多久评估一次，结果交给谁？ how often …, and who
    # …?), is answered when that one is: a rule that sets no figure for the other (定期) still answers it.
    asks = _asks(text, lang, table)
    if len(asks) > 1 and any(_typed(ask, table) is None for ask in asks):
        return AnswerType.TEXT
    first = _EN_NEXT_PART.split(text, 1)[0] if lang == "en" else text
    for part in dict.fromkeys((first, text)):
        if (kind := _typed(part, table)) is not None:
            return kind
    return AnswerType.TEXT


def _typed(text: str, table: list[tuple[AnswerType, re.Pattern[str]]]) -> AnswerType | None:
    """The first type of the table with a cue in ``text``, or None."""
    return next((kind for kind, pattern in table if pattern.search(text)), None)


# Where a Chinese question's asks are separated: its clauses (a clause without a question word is a condition of the
# ask after it: 情节严重的，最高罚多少).
_ZH_CLAUSE = re.compile(r"[，,？?；;。]")


def _asks(text: str, lang: str, table: list[tuple[AnswerType, re.Pattern[str]]]) -> list[str]:
    """The parts of a question that each ask something: its clauses (Chinese) or parts (English) holding a question
    word or a cue of an answer type (隔多久)."""
    parts, wh = (_ZH_CLAUSE.split(text), _ZH_WH) if lang == "zh" else (_EN_NEXT_PART.split(text), _EN_WH)
    return [p for p in parts if wh.search(p) or _typed(p, table) is not None]


# --- periods and regions -------------------------------------------------------------------------


def period_of(text: str, lang: str | None = None) -> Period:
    """Years, closing months and quarters a text names (a question, or the scope of a passage)."""
    text = unicodedata.normalize("NFKC", text)
    lang = lang or language(text)
    return _period_of(periods(text, lang), lang, text)


def _without_issues(text: str, lang: str) -> str:
    """The text with the issues it names blanked: 2023年第51期 names an issue, not a period the answer is about."""
    for m in reversed(issue_mentions(text, lang)):
        text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
    return text


def regions_named(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Provinces, cities, counties and multi-province regions a question names, in their bare Chinese form,
    in the order named."""
    q = unicodedata.normalize("NFKC", text)
    return regions(places(q, lang or language(q)))


def choices(query: str) -> tuple[Quantity, ...]:
    """The two figures of an either-or question (每半年还是每年开展一次？ 保存三年还是五年？), or ()."""
    text = unicodedata.normalize("NFKC", query)
    values = quantities(text)
    for m in re.finditer(r"还是", text):
        before = [q for q in values if q.end <= m.start() and not text[q.end : m.start()].strip()]
        after = [q for q in values if q.start >= m.end() and not text[m.end() : q.start].strip()]
        if before and after:
            return (before[-1], after[0])
    return ()


def read_intent(query: str) -> Intent:
    """The intent of a normalised question (rag.query.normalize_query)."""
    lang = language(query)
    kind = answer_type(query, lang)
    unit = ""
    if lang == "zh" and (m := _ZH_UNIT.search(query)):
        unit = m.group(1)
    content = (_ZH_CONTENT if lang == "zh" else _EN_CONTENT).search(query) is not None
    document = (_ZH_DOCUMENT if lang == "zh" else _EN_DOCUMENT).search(query) is not None
    target = bool(_TARGET.search(query))
    return Intent(
        lang=lang,
        answer_type=kind,
        unit=unit,
        period=period_of(_without_issues(query, lang), lang),
        regions=regions_named(query, lang),
        provisions=frozenset(labels(query)),
        asks_document=document,
        asks_content=content,
        asks_day=bool(_ASKS_DAY.search(query)),
        asks_several=bool(_SEVERAL.search(query)),
        asks_target=target,
        listing=listing(query, lang, kind, target),
        choices=choices(query) if lang == "zh" else (),
    )
