"""What an LLM may say is checked against the evidence, whatever the model writes: a scripted model stands
in for the 1.5B one so that each of its known mistakes is tested exactly (the real model runs in test_llm)."""

import pytest

from rag.answer.pipeline import Answerer
from rag.text import compact

pytestmark = pytest.mark.slow


class ScriptedLLM:
    """Replies with the next scripted text, in small pieces, as a streaming model would."""

    kind, name = "local", "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies, self.prompts = list(replies), []

    def stream(self, messages, max_tokens):
        self.prompts.append(messages)
        reply = self.replies.pop(0)
        for i in range(0, len(reply), 3):
            yield reply[i : i + 3]


def answerer(retriever, *replies: str) -> tuple[Answerer, ScriptedLLM]:
    llm = ScriptedLLM(*replies)
    return Answerer(retriever, retriever.settings, llm), llm


def test_an_invented_figure_never_reaches_the_answer(retriever):
    a, _ = answerer(retriever, "到2026年底要打造500个典型应用场景[1]。")
    answer = a.answer("到2026年底要打造多少个典型应用场景？")
    assert not answer.refused and "500" not in answer.text and "300" in compact(answer.text)
    assert any("500" in f for f in answer.flags)


def test_a_model_that_finds_nothing_is_overruled_by_the_evidence(retriever):
    a, _ = answerer(retriever, "资料中没有相关信息。")
    answer = a.answer("云南的公共数据多久内要完成校核？")
    assert not answer.refused and answer.status == "answered" and "5个工作日" in compact(answer.text)


def test_a_yes_no_verdict_comes_from_the_deciding_sentence(retriever):
    a, _ = answerer(retriever, "可以，公共机构可以自行新建共享通道[1]。")
    answer = a.answer("云南的公共机构可以自己新建公共数据共享、开放通道吗？")
    assert answer.verdict == "no" and answer.text.startswith("否。") and "不得" in answer.text
    assert answer.citations and any("不得新建" in compact(p.chunk.text) for p in answer.citations)


def test_the_bulletin_not_answering_is_decided_before_the_model_runs(retriever):
    a, llm = answerer(retriever)  # no reply scripted: the model must not be asked
    answer = a.answer("到2025年重庆AI及服务机器人产业集群要实现多少营业收入？")
    assert answer.refused and answer.status == "not_stated" and "2025年" in answer.text
    assert llm.prompts == []


def test_an_english_question_is_translated_and_answered_in_english_with_the_chinese_quote(retriever):
    a, llm = answerer(retriever, "云南公共数据校核时限是多少？", "Public bodies must finish the check within 5 working days [1].")
    answer = a.answer("Within how many working days must Yunnan public bodies finish verifying disputed data?")
    assert "Translate" in llm.prompts[0][0]["content"]  # the first call translated the question
    assert not answer.refused and answer.text.startswith("Public bodies must finish")
    assert "5" in answer.text and answer.citations
    assert answer.highlights and any("5 个工作日" in answer.citations[h.citation - 1].chunk.text for h in answer.highlights)


def test_an_answer_about_a_target_that_drops_its_figures_is_quoted(retriever):
    # No 多少 in the question: a target may be qualitative, but where the deciding sentence states
    # figures, an answer without them is the model's abridgement, not the target.
    a, _ = answerer(retriever, "到2027年，重庆构建六大产品体系[1]。")
    answer = a.answer("重庆AI及服务机器人产业集群到2027年的营业收入目标是什么？")
    assert "300" in compact(answer.text) and any("left out" in f for f in answer.flags)
