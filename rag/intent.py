"""What a question asks, in one place: the type of answer it expects (an amount, a share, a count, a
date, a duration, a document number, yes or no, the text of a provision, or free text) and the
constraints it names (years, months or quarters, regions, provisions). Read from the question alone,
in Chinese or English; rag/answer/evidence.py then checks them against the passages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from rag.places import COUNTRY_NAMES, bare, english_mentions, find
from rag.provisions import provision_refs, written_as_in_text
from rag.text import MEASURE_WORDS, language


class AnswerType(StrEnum):
    AMOUNT = "amount"  # money: 多少万元, 奖励金额, how much funding
    PERCENT = "percent"  # a share or rate: 比例, 占比, 渗透率, what share
    COUNT = "count"  # how many of something: 多少个, 几家, how many
    QUANTITY = "quantity"  # some figure: 达到多少, 规模, 时延 (a number with any unit)
    DATE = "date"  # when: 哪天, 何时, 截止日期, by when
    DURATION = "duration"  # how long: 多久, 几个工作日, 期限, how many days
    DOC_NUMBER = "doc_number"  # 文号, 发文字号, document number
    YESNO = "yesno"  # 是否, …吗, can/may/must …?
    PROVISION = "provision"  # 第二十二条规定了什么: the provision's text
    TEXT = "text"  # anything else: a name, a list, a measure, a reason

    @property
    def is_figure(self) -> bool:
        """Answered by a number: a sentence without the right kind of number cannot answer it."""
        return self in _FIGURES

    @property
    def needs_focus(self) -> bool:
        """A figure, date or number is only an answer when its sentence is about the thing asked."""
        return self in _FIGURES or self in (AnswerType.DATE, AnswerType.DOC_NUMBER)

    @property
    def label_zh(self) -> str:
        """What is missing, as the not-stated message names it: 本期资料…没有给出具体金额."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_FIGURES = {AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.COUNT, AnswerType.QUANTITY, AnswerType.DURATION}
_LABELS = {
    AnswerType.AMOUNT: ("具体金额", "the amount"),
    AnswerType.PERCENT: ("具体比例", "the share or rate"),
    AnswerType.COUNT: ("具体数量", "the number"),
    AnswerType.QUANTITY: ("具体数值", "the figure"),
    AnswerType.DATE: ("具体日期", "the date"),
    AnswerType.DURATION: ("具体期限", "the time limit"),
    AnswerType.DOC_NUMBER: ("文号", "the document number"),
    AnswerType.YESNO: ("明确的规定", "a clear rule"),
    AnswerType.PROVISION: ("这一条款", "that provision"),
    AnswerType.TEXT: ("相关内容", "that detail"),
}


# Words that qualify a figure rather than name what it counts (后补助最高是多少: 最高 bounds the figure,
# 后补助 is what it is of).
FIGURE_QUALIFIERS = frozenset(
    "最高 最低 最多 最少 至少 至多 不超过 不低于 不少于 以上 以下 以内 左右 上限 下限 总额 总计 合计 累计 平均 约 大约 达到 "
    "具体 标准 金额 数量 规模 比例 占比 期限 时间 日期 多久 多长".split()
)


@dataclass(frozen=True)
class Period:
    """A period the question names: years, the months it ends on, a quarter or half-year."""

    years: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()  # the last month of each month or range named (1—10月 -> 10)
    quarters: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.years or self.months or self.quarters)


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


# --- answer types --------------------------------------------------------------------------------
# Measure words that count things (一批, 一系列 are no count).
_MEASURES = MEASURE_WORDS
# Tried in order; the first pattern that matches the question gives its type.
_ZH_TYPES: list[tuple[AnswerType, re.Pattern[str]]] = [
    (AnswerType.DOC_NUMBER, re.compile(r"文号|发文字号|字号")),
    (
        AnswerType.DURATION,
        re.compile(r"多久|多长时间|多长|几个?(?:工作)?[日天周月年]内?|多少(?:个)?(?:工作)?[日天周月年]|期限|时限|试行期|有效期"),
    ),
    (AnswerType.DATE, re.compile(r"哪[一]?天|哪一?日|何时|什么时候|哪个月|几月几[日号]|日期|截止|哪一?年(?!度)|何年")),
    (
        AnswerType.PERCENT,
        re.compile(r"比例|比重|占比|百分之|百分比|率是?多少|率要?达到多少|增[长速幅]了?多少|降[低幅]了?多少|下降了?多少|几成"),
    ),
    (
        AnswerType.AMOUNT,
        re.compile(r"多少(?:万|亿|千)?元|金额|奖金|多少钱|补[助贴]标准|奖补标准|(?:奖励|补助|补贴|资助|资金)多少|多少资金"),
    ),
    (AnswerType.COUNT, re.compile(rf"(?:多少|(?<!哪)几)[{_MEASURES}]|数量|多少[万亿][个户人]")),
    (AnswerType.QUANTITY, re.compile(r"多少|(?<!哪)几|规模|多大|多高|多快|量化")),
]
_EN_TYPES: list[tuple[AnswerType, re.Pattern[str]]] = [
    (AnswerType.DOC_NUMBER, re.compile(r"document number|reference number|serial number", re.I)),
    (
        AnswerType.DURATION,
        re.compile(
            r"how long|how many (?:working |business )?(?:days|weeks|months|years)|within how|time limit|trial period|"
            r"period of validity|deadline for (?:replying|handling)",
            re.I,
        ),
    ),
    (
        AnswerType.DATE,
        re.compile(r"\bwhen\b|what date|which date|which day|on what day|by what date|what year|which year|deadline", re.I),
    ),
    (AnswerType.COUNT, re.compile(r"how many", re.I)),
    (
        AnswerType.PERCENT,
        re.compile(
            r"what (?:share|percentage|proportion|ratio|rate|fraction)|per ?cent|growth rate|penetration|\bshare of\b", re.I
        ),
    ),
    (
        AnswerType.AMOUNT,
        re.compile(
            r"how much (?:money|funding|subsid|reward|award|grant|revenue|income|investment)|\bamount\b|\byuan\b|"
            r"maximum (?:reward|subsidy|award|grant)|how much .* (?:give|award|pay|subsidi[sz]e)",
            re.I,
        ),
    ),
    (AnswerType.QUANTITY, re.compile(r"how much|how large|how big|how fast|what (?:target|figure|level|scale|value)", re.I)),
]
# 是否 and its kin make a yes/no question whatever else it names (有没有…何时…的内容); a final 吗 or
# 么 (no 什么/怎么) only when no question word asks for something else.
_ZH_YESNO = re.compile(r"是否|能否|可否|有没有|是不是|能不能|可不可以|会不会|要不要|需不需要|算不算")
_ZH_YESNO_END = re.compile(r"(?:吗|(?<![什怎多那这])么)[？?]?$")
_ZH_WH = re.compile(r"多少|几[个项家条年月天]|哪|什么|何时|怎么|如何|谁")
_EN_AUX = r"(?:is|are|was|were|do|does|did|can|could|may|might|must|should|shall|will|would|has|have|had)"
# Yes/no: an auxiliary opens the question, or opens its main clause after a leading one ("Once …, may …?").
_EN_YESNO = re.compile(rf"^{_EN_AUX}\b|,\s*{_EN_AUX}\b(?=[^,]*\?\s*$)", re.I)
_EN_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
# After an opening auxiliary a wh-word joins a clause ("Can it collect data again when it could …?"); it
# asks something else only when it opens a further question ("Is there a deadline, and when is it?").
_EN_WH_QUESTION = re.compile(r"(?:[,;]|\band\b|\bor\b)\s*(?:and\s+|if so,?\s*)?(?:what|which|who|when|where|why|how)\b", re.I)
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
    if provision_refs(written_as_in_text(text)) and content.search(text):
        return AnswerType.PROVISION
    for kind, pattern in table:
        if pattern.search(text):
            return kind
    return AnswerType.TEXT


# --- periods -------------------------------------------------------------------------------------
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_MONTH_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*[—–\-~至到]\s*(\d{1,2})\s*月")
_MONTH = re.compile(r"(?<![\d—–\-~])(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_QUARTER_ZH = re.compile(r"第?([一二三四1-4])季度")
_HALF_ZH = re.compile(r"(上|下)半年")
_FULL_YEAR_ZH = re.compile(r"全年")
_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], 1)
    for m in names
}  # fmt: skip
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\b", re.I)
_EN_QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|q[1-4])\s*quarter|\bq([1-4])\b", re.I)
_EN_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_EN_FIRST_N_MONTHS = re.compile(r"first (\w+) months", re.I)
_EN_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_QUARTER_CN = {"一": 1, "二": 2, "三": 3, "四": 4}


def period_of(text: str, lang: str | None = None) -> Period:
    """Years, closing months and quarters a text names (a question, or the scope of a passage)."""
    text = unicodedata.normalize("NFKC", text)
    years = {int(y) for y in _YEAR.findall(text)}
    months = {int(b) for _, b in _MONTH_RANGE.findall(text)}
    rest = _MONTH_RANGE.sub(" ", text)
    months |= {int(m) for m in _MONTH.findall(rest) if 1 <= int(m) <= 12}
    quarters = {_QUARTER_CN.get(q, 0) or int(q) for q in _QUARTER_ZH.findall(text)}
    for half in _HALF_ZH.findall(text):
        months.add(6 if half == "上" else 12)
    if _FULL_YEAR_ZH.search(text):
        months.add(12)
    if (lang or language(text)) == "en":
        found = [_EN_MONTHS[m.lower()] for m in _EN_MONTH.findall(text)]
        # "may" is also a verb: only a month when a day or year stands next to it
        found = [m for m, word in zip(found, _EN_MONTH.findall(text), strict=True) if word.lower() != "may" or _dated(text, word)]
        if found:
            months.add(max(found) if re.search(r"\bto\b|\bthrough\b|[-–—]", text) else found[-1])
        for word, digit in _EN_QUARTER.findall(text):
            quarters.add(_EN_ORDINAL.get(word.lower(), 0) or int(digit or word[-1]))
        for n in _EN_FIRST_N_MONTHS.findall(text):
            if n.lower() in _EN_NUMBERS:
                months.add(_EN_NUMBERS[n.lower()])
        if re.search(r"\b(?:full|whole|entire) year\b", text, re.I):
            months.add(12)
    return Period(frozenset(years), frozenset(months), frozenset(q for q in quarters if 1 <= q <= 4))


def _dated(text: str, word: str) -> bool:
    return bool(re.search(rf"\b{word}\s+\d{{1,2}}\b|\b{word}\s+(?:19|20)\d{{2}}\b|\bend of {word}\b", text, re.I))


# --- regions -------------------------------------------------------------------------------------


def regions_named(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Provinces, cities, counties and multi-province regions a question names (rag.places.find), in their
    bare Chinese form."""
    q = unicodedata.normalize("NFKC", text)
    found = [(m.start, m.place.name) for m in find(q) if m.place.kind != "country"]
    if (lang or language(q)) == "en":
        low = q.lower()
        found += [(span[0], zh) for span, zh in english_mentions(low) if zh not in COUNTRY_NAMES]
    # In the order the question names them; a name inside a longer one named too is the same mention.
    out = list(dict.fromkeys(bare(r) for _, r in sorted(found)))
    return tuple(r for r in out if not any(r != o and r in o for o in out))


def read_intent(query: str) -> Intent:
    """The intent of a normalised question (rag.query.normalize_query)."""
    lang = language(query)
    kind = answer_type(query, lang)
    unit = ""
    if lang == "zh" and (m := _ZH_UNIT.search(query)):
        unit = m.group(1)
    content = (_ZH_CONTENT if lang == "zh" else _EN_CONTENT).search(query) is not None
    document = (_ZH_DOCUMENT if lang == "zh" else _EN_DOCUMENT).search(query) is not None
    return Intent(
        lang=lang,
        answer_type=kind,
        unit=unit,
        period=period_of(query, lang),
        regions=regions_named(query, lang),
        provisions=frozenset(provision_refs(written_as_in_text(query))),
        asks_document=document,
        asks_content=content,
        asks_day=bool(_ASKS_DAY.search(query)),
        asks_several=bool(_SEVERAL.search(query)),
        asks_target=bool(_TARGET.search(query)),
    )
