"""An English question's sentence scores do not turn a tiny cosine gap into a wide one: when every candidate
sentence is on the question's topic their cosines lie within a few hundredths, and z-scoring them over that
narrow spread put a provision's answering sentence several standard deviations below its opening sentence.
Text and vectors written for the test."""

import numpy as np
from conftest import make_passage

from rag.answer.extractive import SentenceScorer
from rag.answer.terms import QueryTerms
from rag.config import ExtractiveSettings
from rag.tokenize import tokenize

SENTENCES = [
    "第十一条 设施发生较大变化的，运营者应当及时报告保护工作部门。",
    "保护工作部门应当组织专家复核。",
    "保护工作部门将结果通知运营者。",
]
COSINES = [0.80, 0.79, 0.78]  # all on the topic: a narrow spread (≈ .008)


class FixedEmbedder:
    """The query is one axis; each sentence lies at its given cosine to it."""

    dim = 8

    def encode_queries(self, texts):
        return np.stack([np.eye(self.dim, dtype=np.float32)[0] for _ in texts])

    def encode_documents(self, texts):
        out = []
        for t in texts:
            i = SENTENCES.index(t)
            v = np.zeros(self.dim, dtype=np.float32)
            v[0], v[i + 1] = COSINES[i], np.sqrt(1 - COSINES[i] ** 2)
            out.append(v)
        return np.stack(out)


def _gap(question: str) -> float:
    """Score of the closest sentence less that of the farthest (same passage, no words shared, no figure)."""
    scorer = SentenceScorer(FixedEmbedder(), tokenize, lambda tokens: np.ones(len(tokens)))
    no_words = QueryTerms("", tokenize, lambda tokens: np.ones(len(tokens)))
    found = scorer.candidates(question, [make_passage("".join(SENTENCES))], no_words)
    score = {c.sentence.text: c.score for c in found}
    return score[SENTENCES[0]] - score[SENTENCES[2]]


def test_an_english_question_reads_a_narrow_cosine_gap_as_narrow():
    floor = ExtractiveSettings().min_dense_spread_en
    assert _gap("Who must the operator report the change to?") <= (0.80 - 0.78) / floor + 1e-4


def test_a_chinese_question_keeps_the_plain_z_score():
    spread = float(np.std(COSINES))
    assert abs(_gap("运营者应当向谁报告变化？") - (0.80 - 0.78) / spread) < 1e-4
