"""Versions of one document across the library's issues (a 征求意见稿 and its final text, a 试行 办法 and the
formal one), their status, and what changed between consecutive versions, provision by provision.

    titles: the version markers of a title and the repeals a text states (the one home of those words)
    diff:   two versions aligned provision by provision, by text
    group:  the library's documents grouped into versions, each with its status
"""

from rag.versions.diff import Change, Diff, Figure, Provision, diff
from rag.versions.group import Catalogue, Document, Group, Version
from rag.versions.titles import base_title, names_draft

__all__ = [
    "Catalogue",
    "Change",
    "Diff",
    "Document",
    "Figure",
    "Group",
    "Provision",
    "Version",
    "base_title",
    "diff",
    "names_draft",
]
