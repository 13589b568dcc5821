"""The library's catalogue: each article title an entry with the names a question calls it by
(rag.catalogue.names), each article's outline (rag.catalogue.outline), and over one index the catalogue the
answer judge and the follow-up resolver share (rag.catalogue.library)."""

from rag.catalogue.library import LibraryCatalogue
from rag.catalogue.names import Catalogue, Entry, Mention, Resolution, entry_of, kind_of, normalise, place_of
from rag.catalogue.outline import Outline, title_of

__all__ = [
    "Catalogue", "Entry", "LibraryCatalogue", "Mention", "Outline", "Resolution", "entry_of", "kind_of", "normalise",
    "place_of", "title_of",
]  # fmt: skip
