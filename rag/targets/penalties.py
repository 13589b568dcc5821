"""What a penalty clause says around its amount: the act it punishes, whom it fines, and the other sanctions
it imposes — read from how Chinese laws write their 法律责任 clauses:

    违反本法第三十一条规定，向境外提供重要数据的，由有关主管部门责令改正，给予警告，可以并处十万元以上一百万元
    以下罚款，对直接负责的主管人员和其他直接责任人员可以处一万元以上十万元以下罚款；情节严重的，处一百万元以上…

The act is the condition the sentence opens with (…的，), narrowed by the condition of its tier (情节严重的,
拒不改正的: each ；-piece is a tier); whom is the party after 对 in the fine's clause (none: the offender);
the sanctions are those of 《中华人民共和国行政处罚法》第九条 (警告、通报批评；没收违法所得、没收非法财物；暂扣、
吊销许可证件，降低资质等级；限制开展生产经营活动、责令停产停业、责令关闭、限制从业) with the orders that go with
them (责令改正, 责令限期改正, 停业整顿, 撤销备案), as the clause writes them.
"""

from __future__ import annotations

import re

from rag.language.spans import Quantity

_TIER = re.compile(r"[；;]")
_CONDITION = re.compile(r"^(?P<cond>[^。；;]*?)的[，,]")
_WHOM = re.compile(r"对(?:其)?(?P<whom>[^，,；;。]{2,30}?)[，,]?(?:可以|并|依法)*处(?:以)?(?P<basis>[^，,；;。]*)$")
_BASIS = re.compile(r"处(?:以)?(?P<basis>[^，,；;。处]{2,12})$")
_SANCTION = re.compile(r"罚款|罚金|拘留|没收|责令|警告|吊销")
# The kinds of sanction of 行政处罚法 第九条 and the orders beside them, as verbs with their objects.
_MEASURE = re.compile(
    r"责令[^，,；;。、或和及]{1,12}|给予警告|通报批评|(?<!给予)警告|没收[^，,；;。、或和及]{1,10}|吊销[^，,；;。、或和及]{1,12}"
    r"|暂扣[^，,；;。、或和及]{1,10}|降低资质等级|撤销[^，,；;。、或和及]{1,8}|限制[^，,；;。、或和及]{1,12}|停业整顿|责令关闭"
)
_CLAUSE_END = re.compile(r"[，,；;。]")


def _tier(text: str, at: int) -> tuple[int, int]:
    lo = max((m.end() for m in _TIER.finditer(text, 0, at)), default=0)
    hi = _TIER.search(text, at)
    return lo, hi.start() if hi else len(text)


def _condition(text: str) -> str:
    """The condition a stretch opens with (…的，), unless what precedes 的 already imposes sanctions."""
    found = _CONDITION.match(text)
    cond = found.group("cond").strip() if found else ""
    return "" if _SANCTION.search(cond) else cond


def _violation(text: str) -> str:
    """违反本法第二十五条第二款规定，由…: a sentence that opens with the provision violated, no 的-condition."""
    first = _CLAUSE_END.split(text, 1)[0]
    return first.strip() if first.startswith("违反") else ""


def act(text: str, m: Quantity) -> str:
    """The act the value's penalty punishes: the sentence's opening condition, and its tier's own (情节严重)."""
    base = _condition(text) or _violation(text)
    lo, _ = _tier(text, m.start)
    own = _condition(text[lo:]) if lo else ""
    if own and own != base:
        return f"{base}；{own}" if base else own
    return base


def whom(text: str, m: Quantity) -> str:
    """对直接负责的主管人员和其他直接责任人员（，）可以处…: the party the value fines, or "" (the offender)."""
    ends = [x.end() for x in _CLAUSE_END.finditer(text, 0, m.start)]
    lo = ends[-2] if len(ends) > 1 and text[ends[-1] - 1] in "，," else ends[-1] if ends else 0
    found = _WHOM.search(text[lo : m.start])
    return found.group("whom").strip() if found else ""


def basis(text: str, m: Quantity) -> str:
    """处违法所得一倍以上十倍以下罚款, 处工程合同价款百分之一以下罚款: what a multiple or share is of."""
    lo = max((x.end() for x in _CLAUSE_END.finditer(text, 0, m.start)), default=0)
    found = _BASIS.search(text[lo : m.start])
    of = found.group("basis").strip() if found else ""
    return "" if _SANCTION.search(of) or "或" in of else of


def measures(text: str, m: Quantity) -> str:
    """The other sanctions of the value's tier, in order, once each: 责令改正、给予警告、没收违法所得."""
    lo, hi = _tier(text, m.start)
    found = list(dict.fromkeys(x.group(0) for x in _MEASURE.finditer(text, lo, hi)))
    return "、".join(found)
