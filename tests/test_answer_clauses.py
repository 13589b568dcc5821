"""A clause cut from a long sentence at its ； is scored with the sentence it belongs to: the words of the sentence's
opening (who did what) count for it, and it is as close to the question as that opening is. Text written for the
test; the hash embedder stands in for e5."""

import numpy as np
from conftest import HashEmbedder, make_passage

from rag.answer.extractive import SentenceScorer
from rag.tokenize import tokenize

TEXT = (
    "第十条 违反本条例规定，擅自采伐、移植、损毁古树名木或者擅自砍伐林草保护区内树木的，由县级以上林业主管部门责令停止违法"
    "行为，限期恢复原状，没收违法所得，并处五千元以上一万元以下罚款；情节严重的，处一万元以上五万元以下罚款，并可以责令停业整顿。\n"
    "第十一条 违反本条例规定，未按规定开展林草资源巡护的，由林业主管部门责令改正，可以处二千元以上一万元以下罚款。"
)


def test_the_clause_that_states_the_asked_case_wins_over_the_sentence_opening():
    passage = make_passage(TEXT, article="某省林草资源保护条例", section="第六章 法律责任")
    scorer = SentenceScorer(HashEmbedder(), tokenize, lambda tokens: np.array([1.0 if len(t) > 1 else 0.2 for t in tokens]))
    ranked = sorted(scorer.candidates("擅自采伐古树名木、情节严重的，最多罚多少钱？", [passage]), key=lambda c: -c.score)
    assert ranked[0].sentence.text.startswith("情节严重的，处一万元以上五万元以下罚款")
    # Its own words alone hold only 情节严重; with its sentence's opening it holds the act too.
    assert ranked[0].lexical > next(c.lexical for c in ranked if c.sentence.text.startswith("第十条"))
