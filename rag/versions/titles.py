"""What a document's title and text say about its version: the title without its version markers (the
same document's drafts, trial and final texts share it), its status markers, and the documents a text
repeals (「…同时废止」, 「原《…》废止」). The one home of those words."""

from __future__ import annotations

import re
import unicodedata

# A draft put out for comment, or submitted for approval: never in force.
DRAFT_MARKERS = ("征求意见稿", "修订草案", "草案", "送审稿")
# In force, for a trial period.
TRIAL_MARKERS = ("试行", "暂行")
# A revision names the same document with a note of the year it was revised.
REVISION_MARKERS = ("修订", "修正")
MARKERS = DRAFT_MARKERS + TRIAL_MARKERS + REVISION_MARKERS
_MARKER = "|".join(MARKERS)

# After NFKC full-width brackets are ASCII; 〔〕【】 stay as they are.
_BRACKETED = re.compile(rf"[(\[【〔][^()\[\]【】〔〕]*?(?:{_MARKER})[^()\[\]【】〔〕]*?[)\]】〕]")
# 管理暂行办法, 条例草案, 办法征求意见稿: the marker written into the title itself.
_BARE = re.compile(rf"{_MARKER}")
# 关于印发《…》的通知, 关于公开征求《…》意见的通知: the document is the one in 《》.
_NOTICE = re.compile(r"^关于.*?《([^》]+)》")
_NOISE = re.compile(r"[\s“”\"‘’'《》〈〉「」『』·・]+")


def _normal(title: str) -> str:
    return unicodedata.normalize("NFKC", title).strip()


def named_document(title: str) -> str:
    """The document a title is about: the 《》 of a 关于印发《…》的通知, else the title itself."""
    title = _normal(title)
    m = _NOTICE.match(title)
    return m.group(1) if m else title


def base_title(title: str) -> str:
    """The title as every version of the document shares it: no 征求意见稿 / 试行 / 暂行 / 修订 / 草案
    markers, no brackets around them, no quotation marks or spaces. 「云南省公共数据管理办法（试行）」 and
    「云南省公共数据管理办法」 give the same; 「…行动计划（2024—2026年）」 keeps its period."""
    text = named_document(title)
    text = _BRACKETED.sub("", text)
    text = _BARE.sub("", text)
    text = _NOISE.sub("", text)
    return re.sub(r"\(\)", "", text)


def title_key(title: str) -> str:
    """A title compared as written (markers kept): NFKC, no quotation marks or spaces."""
    return _NOISE.sub("", named_document(title))


def is_draft(title: str) -> bool:
    t = _normal(title)
    return any(m in t for m in DRAFT_MARKERS)


def is_trial(title: str) -> bool:
    t = _normal(title)
    return any(m in t for m in TRIAL_MARKERS)


def names_draft(question: str) -> bool:
    """Whether a question asks about a draft itself (征求意见稿、草案): then it is not answered from the
    version in force only."""
    return is_draft(question)


# 「…《甲》同时废止」, 「同时废止《甲》」, 「原《甲》…废止」, 「《甲》（…号）予以废止」: the titles a clause repeals. Only the
# clause that says 废止 counts: 「依据《数据安全法》制定本办法，《甲》同时废止」 repeals 甲, not the law.
_CLAUSE = re.compile(r"[^。；;！!？?\n，,]+")
_TITLE = re.compile(r"《([^》]{2,80})》")
_REPEALS = re.compile(r"同时废止|^原《|《[^》]+》[^《]{0,30}(?:予以|即行|一并)?废止")


def repealed_titles(text: str) -> list[str]:
    """Titles of documents the text says are repealed, in order of appearance."""
    out: list[str] = []
    if "废止" not in text:
        return out
    for clause in _CLAUSE.findall(unicodedata.normalize("NFKC", text)):
        if "废止" not in clause or not _REPEALS.search(clause.strip()):
            continue
        for title in _TITLE.findall(clause):
            if title not in out:
                out.append(title)
    return out
