"""Three outcomes, decided on the evidence: ``answered`` when a sentence close to the best one holds the
kind of answer the question expects and meets its constraints; ``not_stated`` when the bulletin covers
the topic but not the asked detail (no such provision, another year, another region, no figure);
``not_found`` when nothing relevant was retrieved or the question is about a place or body the library
never mentions."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rag.answer.evidence import Fit, fit
from rag.answer.extractive import Candidate
from rag.answer.refusal import Missing, Relevance, unknown_names
from rag.answer.terms import QueryTerms
from rag.catalogue import LibraryCatalogue
from rag.crosslingual import NOT_ALONE, STOPWORDS, english_words
from rag.intent import FIGURE_QUALIFIERS, Intent, asks_about
from rag.language import places, provision_chain
from rag.language.documents import english_kinds
from rag.language.names import english_names
from rag.places import bare
from rag.provisions import part_keys
from rag.types import PATH_SEP, Chunk, Passage


class Status(StrEnum):
    ANSWERED = "answered"
    NOT_STATED = "not_stated"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Judgement:
    status: Status
    reason: str  # why, for the answer's flags
    topic: str = ""  # what the bulletin does have: an article title
    missing: Missing | None = None  # what it does not give (not stated)
    fitting: tuple[int, ...] = ()  # candidates (indices) that can answer, when answered
    usable: tuple[int, ...] = ()  # candidates that break no constraint: what an answer may quote
    # A document the question names that the library does not hold: (as written, the closest titles it has).
    absent: tuple[str, tuple[str, ...]] | None = None


_ACRONYM = re.compile(r"[a-z]{2,6}")  # tokens are lower-cased: pue, iptv, fttr


class Judge:
    """The library-wide facts the decision needs, computed once per index."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        margin: float,
        catalogue: LibraryCatalogue | None = None,
        english_terms: Callable[[str], Iterable[str]] | None = None,
    ) -> None:
        """``catalogue``: the library's, when the caller holds it already (it is built from ``chunks``);
        ``english_terms``: the Chinese terms of an English phrase this library holds (rag.crosslingual), to tell an
        English name the library knows (the Data Element plan) from one it never mentions."""
        self.chunks, self.margin, self.english_terms = chunks, margin, english_terms
        self.catalogue = catalogue or LibraryCatalogue(chunks)
        self.titles = self.catalogue.titles

    def mentions(self, word: str) -> bool:
        return self.catalogue.mentions(word)

    def unknown_english_names(self, query: str, intent: Intent) -> list[str]:
        """The proper names an English question writes (Kweichow Moutai, the Huangguoshu Waterfall) that the library
        never mentions: not in its text as written, no word of them rendering a term it holds, no place (the
        region rule judges places) and no document (the catalogue judges those)."""
        if intent.lang != "en" or self.english_terms is None:
            return []
        out = []
        for span in english_names(query):
            name = span.text
            rest = name
            for place in sorted(places(name, "en"), key=lambda p: -p.start):
                rest = place.replaced(rest, " ")
            # Words a name shares with every text (China, National) say nothing of whether the library knows it.
            telling = [w for w in english_words(rest) if w not in STOPWORDS and w not in NOT_ALONE]
            if not telling or english_kinds(name) or self.mentions(name.lower()):
                continue
            if not any(True for _ in self.english_terms(rest)):
                out.append(name)
        return out

    def named_article(self, query: str, intent: Intent) -> str | None:
        return self.catalogue.named_article(query, intent)

    def focus(self, query: str, terms: QueryTerms, intent: Intent, passages: list[Passage]) -> str:
        """The question's most specific term that the passages found hold: a figure must be about it. The
        question's own words that the passages never use (a paraphrase) are no focus, except an acronym
        (PUE, IPTV), which is never paraphrased. Region names, numbers and words that only qualify a
        figure (最高, 总额) are left out. An English question's Chinese terms are a dictionary's guesses
        (raise → 出资, take effect → 生效 where the text says 施行): only words it writes itself count."""
        regions = {bare(r) for r in intent.regions}
        # An editor's note restates its document in the editors' words (违规 where the law says 违反): for a question
        # about what a text says, its words are no sign that the text uses the question's term.
        texts = [p.chunk for p in passages]
        if asks_about(query) == "text" and any(c.kind != "editor_note" for c in texts):
            texts = [c for c in texts if c.kind != "editor_note"]
        found = unicodedata.normalize("NFKC", "\n".join(c.search_text for c in texts)).lower()
        own = unicodedata.normalize("NFKC", query).lower()

        def usable(t: str) -> bool:
            if len(t) < 2 or any(ch.isdigit() for ch in t) or t in FIGURE_QUALIFIERS:
                return False
            if intent.lang == "en" and t not in own:
                return False
            if any(t in r or r in t for r in regions):
                return False
            return t in found or (_ACRONYM.fullmatch(t) is not None and self.mentions(t))

        return max(filter(usable, terms.weights), key=lambda t: (terms.weights[t], len(t)), default="")

    def missing_provision(self, query: str, article: str | None) -> str | None:
        """The provision chain a question names (六、 › （九）, 第四十三条 › （十二）) when the named document, or
        the library, has no such provision."""
        chain = provision_chain(query)
        if not chain:
            return None
        pool = [c for c in self.chunks if c.kind == "section" and (article is None or c.article == article)]
        if len(chain) > 1 and len({ref[-1] for ref in chain}) == 1:
            # 第十条、第十一条 (or 第三十二条至第三十五条): provisions side by side, not one inside another.
            missing = [ref for ref in chain if not any(_path_has(c.section, [ref]) for c in pool)]
            return " ".join(missing) or None
        if any(_path_has(c.section, chain) for c in pool):
            return None
        # An item inside a clause (第四十三条 第（十二）项) is a numbered line of the clause's text.
        if len(chain) > 1:
            outer = [c for c in pool if _path_has(c.section, chain[:-1])]
            marker = re.compile(rf"(?:^|\n)\s*[（(]\s*{re.escape(chain[-1].strip('（）'))}\s*[)）]")
            if any(marker.search(c.text) for c in outer):
                return None
        return " ".join(chain)

    def judge(
        self,
        query: str,
        intent: Intent,
        terms: QueryTerms,
        passages: list[Passage],
        candidates: list[Candidate],
        relevance: Relevance | None,
        document: str | None = None,
    ) -> Judgement:
        """``document``: the catalogue entry the question is about when that is known already (a resolved
        follow-up's frame); else the one its words name, if any."""
        # A question naming a document the library does not hold is not answered from another one that
        # happens to have the same clause number (rag.catalogue resolves names against the titles).
        named = self.catalogue.resolve(query)
        # "Which document proposes drafting X细则" names X as what is asked about, not as its source.
        if named.absent and not named.named and not intent.asks_document:
            m = named.absent[0]
            closest = tuple(self.catalogue.names.closest(m))
            return Judgement(Status.NOT_FOUND, f"the library holds no document named {m.text}", absent=(m.text, closest))
        if not passages or relevance is None:
            return Judgement(Status.NOT_FOUND, "no passage matches the question and filters")
        if not relevance.relevant:
            return Judgement(Status.NOT_FOUND, f"retrieval relevance {relevance.score:.3f} is below {relevance.threshold:.3f}")
        if missing := unknown_names(query, self.mentions) or self.unknown_english_names(query, intent):
            return Judgement(Status.NOT_FOUND, "the library never mentions " + "、".join(missing))
        if unmentioned := [r for r in intent.regions if not self.mentions(bare(r))]:
            return Judgement(Status.NOT_FOUND, "the library never mentions " + "、".join(unmentioned))
        article = document or self.named_article(query, intent)
        if chain := self.missing_provision(query, article):
            where = f"《{article}》" if article else "the library"
            missing = Missing(intent.answer_type.label_zh, intent.answer_type.label_en, provision=chain)
            return Judgement(Status.NOT_STATED, f"{where} has no provision {chain}", article or "", missing)
        focus = self.focus(query, terms, intent, passages)
        fits = [fit(intent, passages[c.passage].chunk, c.sentence.start, c.sentence.end, article, focus) for c in candidates]
        eligible = [i for i, f in enumerate(fits) if not (article and f.broken == f"《{article}》")]
        if not eligible:
            missing = Missing(intent.answer_type.label_zh, intent.answer_type.label_en)
            return Judgement(Status.NOT_STATED, f"no passage found is from 《{article}》", article or "", missing)
        best = max(candidates[i].score for i in eligible)
        near = [i for i in eligible if candidates[i].score >= best - self.margin]
        fitting = tuple(i for i in near if fits[i].ok)
        topic = article or passages[candidates[max(eligible, key=lambda i: candidates[i].score)].passage].chunk.article
        if fitting:
            usable = tuple(i for i in eligible if fits[i].broken is None)
            return Judgement(Status.ANSWERED, "", topic, None, fitting, usable)
        missing, reason = _what_is_missing(intent, [fits[i] for i in near])
        return Judgement(Status.NOT_STATED, reason, topic, missing)


def _what_is_missing(intent: Intent, near: list[Fit]) -> tuple[Missing, str]:
    """(what the not-stated message says is missing, the reason for the flags)."""
    kind = intent.answer_type
    broken = Counter(f.broken for f in near if f.broken)
    if broken:
        what = broken.most_common(1)[0][0]
        return Missing(kind.label_zh, kind.label_en, constraint=what), f"the closest sentences are not about {what}"
    return Missing(kind.label_zh, kind.label_en), f"no sentence close to the best states {kind.label_en}"


def _path_has(section: str, chain: list[str]) -> bool:
    """Whether the section path holds the chain's provisions in order (not necessarily adjacent)."""
    parts = section.split(PATH_SEP) if section else []
    at = 0
    for ref in chain:
        while at < len(parts) and ref not in part_keys(parts[at]):
            at += 1
        if at == len(parts):
            return False
        at += 1
    return True
