"""The kinds of answer a question expects (rag.intent reads which), with what a missing one is called."""

from __future__ import annotations

from enum import StrEnum

# An auxiliary that opens an English question: yes/no, or a clause after a wh-word ("Which plans are …").
EN_AUX = r"(?:is|are|was|were|do|does|did|can|could|may|might|must|should|shall|will|would|has|have|had)"


class AnswerType(StrEnum):
    AMOUNT = "amount"  # money: 多少万元, 奖励金额, how much funding
    PERCENT = "percent"  # a share or rate: 比例, 占比, 渗透率, what share
    COUNT = "count"  # how many of something: 多少个, 几家, how many
    QUANTITY = "quantity"  # some figure: 达到多少, 规模, 时延 (a number with any unit)
    DATE = "date"  # when: 哪天, 何时, 截止日期, by when
    RECURRENCE = "recurrence"  # how often: 多久一次, 每隔多久, 频次, how often
    DURATION = "duration"  # how long: 多久, 几个工作日, how many days
    DEADLINE = "deadline"  # a limit that is a duration or a date: 期限, 时限, what deadline
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
        return self in _FIGURES or self in (AnswerType.DATE, AnswerType.DOC_NUMBER, AnswerType.RECURRENCE)

    @property
    def label_zh(self) -> str:
        """What is missing, as the not-stated message names it: 本期资料…没有给出具体金额."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_FIGURES = {
    AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.COUNT, AnswerType.QUANTITY, AnswerType.DURATION, AnswerType.DEADLINE
}  # fmt: skip
_LABELS = {
    AnswerType.AMOUNT: ("具体金额", "the amount"),
    AnswerType.PERCENT: ("具体比例", "the share or rate"),
    AnswerType.COUNT: ("具体数量", "the number"),
    AnswerType.QUANTITY: ("具体数值", "the figure"),
    AnswerType.DATE: ("具体日期", "the date"),
    AnswerType.RECURRENCE: ("具体频次", "how often"),
    AnswerType.DURATION: ("具体期限", "the time limit"),
    AnswerType.DEADLINE: ("具体期限", "the time limit"),
    AnswerType.DOC_NUMBER: ("文号", "the document number"),
    AnswerType.YESNO: ("明确的规定", "a clear rule"),
    AnswerType.PROVISION: ("这一条款", "that provision"),
    AnswerType.TEXT: ("相关内容", "that detail"),
}
