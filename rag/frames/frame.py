"""The frame of a question: what it is about, as typed fields read by the language layer — its document (a
catalogue entry), places, period, provisions, and its topic and predicate — with where its words say each.

A follow-up (rag.conversation) and a part of a question of several parts (rag.frames.parts) are changes of a
frame: one slot takes another value (河南 for 重庆, 2024年 for 2025年, the next provision, another document).
A ``Change`` says which, what the changed question reads (the 理解为 text, and the words the embedder and
BM25 read: an embedding needs words) and the document the changed frame is about; ``changed`` makes the new
frame. Retrieval and the answer then take the frame's document as a constraint (rag.answer.pipeline); its
provisions and places are those its words name (the structure boost reads them there)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from rag.catalogue import LibraryCatalogue
from rag.errors import UserError
from rag.frames.slots import Ref, Span, en_mention, en_places, period_spans, refs, split_tail, zh_mention, zh_places
from rag.intent import Intent, Period, read_intent
from rag.query import normalize_query

Path = tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    """What a question is about."""

    text: str  # the question in its standalone form
    lang: str
    intent: Intent
    document: str | None = None  # the catalogue entry (article title) it is about, when it is about one
    document_span: Span | None = None  # where ``text`` names its document (words of its title, 该办法)
    places: tuple[tuple[Span, str], ...] = ()  # places ``text`` names: span, bare name, in text order
    section: Path = ()  # the section its turn was answered from, when known
    answer: str = ""  # what was answered, when a client sent it

    @property
    def place_names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.places)

    @property
    def period(self) -> Period:
        return self.intent.period

    @property
    def provisions(self) -> frozenset[str]:
        """The provisions it names, as the bulletins label them (第二十二条, （十七）)."""
        return self.intent.provisions

    @cached_property
    def period_spans(self) -> list[tuple[Span, str]]:
        """Where its words name a period, with the period's form (year, range, month, quarter, half)."""
        return period_spans(self.text, self.lang)

    @cached_property
    def refs(self) -> list[Ref]:
        """Where its words name a provision or item, with its style and number."""
        return refs(self.text, self.lang)

    @property
    def topic(self) -> str:
        """Its subject, before the words that ask: 「1—11月份新兴业务收入」 of 「…是多少？」."""
        return split_tail(self.text, self.lang)[0]

    @property
    def predicate(self) -> str:
        return split_tail(self.text, self.lang)[1]

    @property
    def mention(self) -> str:
        """Its document as its words name it."""
        return self.text[self.document_span[0] : self.document_span[1]] if self.document_span else ""


def document_of(query: str, intent: Intent, catalogue: LibraryCatalogue) -> str | None:
    """The catalogue entry a (normalised) question is about: the one it names by a name (《…》, a short name,
    an abbreviation: rag.catalogue.names), else the one the runs of its words name (LibraryCatalogue.named_article;
    where a name fits several entries, it must be one of them). None when it names only a document the library
    lacks, or none."""
    named = catalogue.resolve(query)
    if len(named.named) == 1:
        return named.named[0]
    if named.absent and not named.named:
        return None
    article = catalogue.named_article(query, intent)
    return article if not named.named or article in named.named else None


def read_frame(
    text: str,
    catalogue: LibraryCatalogue,
    max_chars: int,
    document: str | None = None,
    section: Path = (),
    answer: str = "",
) -> Frame | None:
    """The frame of a question; ``document`` when it is known already (the article a turn's answer cited, or
    the one a change moved to). None when the text is no question (empty, too long)."""
    try:
        query = normalize_query(text, max_chars)
    except UserError:
        return None
    intent = read_intent(query)
    document = document or document_of(query, intent, catalogue)
    if intent.lang == "zh":
        span = zh_mention(text, catalogue.titles, document)
        places = zh_places(text, intent.regions)
    else:
        found = en_mention(text)
        span = found[0] if found else None
        places = en_places(text)
    return Frame(text, intent.lang, intent, document, span, tuple(places), section, answer)


@dataclass(frozen=True)
class Context:
    """What changing a frame reads besides the frame: the library's catalogue, the longest question, and for
    English switches the Chinese terms of an English word (rag.crosslingual, through the retriever's bridge)."""

    catalogue: LibraryCatalogue
    max_chars: int
    english_terms: Callable[[str], Iterable[str]] | None = None

    def frame(self, text: str, document: str | None = None, section: Path = (), answer: str = "") -> Frame | None:
        return read_frame(text, self.catalogue, self.max_chars, document, section, answer)


@dataclass(frozen=True)
class Change:
    """A structured change of a frame: which slot moved (``how``: switch:place, switch:period, switch:document,
    switch:provision, switch:topic, next, previous, pronoun, narrow, part:<slot>), the question the changed
    frame reads as, and the document it is about."""

    how: str
    text: str
    document: str | None = None  # None: whatever the changed words name
    section: Path = ()  # where a step moved to, in the document's outline


def changed(frame: Frame, change: Change, context: Context) -> Frame:
    """The frame after ``change``: its text, the change's document (else the one its words name), the section a
    step moved to (else none: a switch leaves the old section behind)."""
    return context.frame(change.text, change.document, change.section) or frame
