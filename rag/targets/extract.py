"""A parsed bulletin -> its quantitative values, one Target row per value, with the source offsets of
the sentence and of the value. Run once per file where it is parsed (rag/index.py), and cached with it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.injection import addressed_to_ai
from rag.language.quantities import LIST_JOINERS, MAY_HOLD_VALUE, in_base_unit, quantities
from rag.language.spans import Quantity
from rag.provisions import numbering
from rag.sentences import split_sentences
from rag.targets import penalties
from rag.targets.indicator import indicator, is_relational
from rag.targets.kinds import (
    SentenceFacts,
    article_reports,
    background,
    deadline_years,
    is_law,
    kind_of,
    penalty_of,
    period_years,
    reported,
    stated_year,
    target_year,
)
from rag.targets.regions import article_region, listed_regions
from rag.targets.restated import merge_restated, provision
from rag.targets.rows import Target
from rag.types import PATH_SEP, Article, Block, Issue, source_range

# Part of every parse-cache key: a change to the rules re-extracts every file, and nothing else.
EXTRACTOR_VERSION = "2"
NOTE_SECTION = "编者按"


@dataclass
class _Sentence:
    section: str
    block: Block
    lo: int  # in the block's text
    facts: SentenceFacts


def _units(article: Article) -> list[tuple[tuple[str, ...], list[Block]]]:
    """Stretches a stated deadline year carries over: the editor's note as a whole, else one paragraph — with
    the list that elaborates it (到2025年，…明显增强。 then ——产业规模迅速扩大… paragraphs; after a lead-in that
    ends on ：, numbered items too). Each with its section path (the note's: (NOTE_SECTION,))."""
    units = [((NOTE_SECTION,), article.editor_note)] if article.editor_note else []
    for path, section in article.root.walk():
        unit: list[Block] = []
        for b in section.blocks:
            if b.kind == "heading":
                continue
            if unit and (_LIST_ITEM.match(b.text) or (_leads_in(unit[0]) and numbering(b.text))):
                unit.append(b)
                continue
            if unit:
                units.append((tuple(path), unit))
            unit = [b]
        if unit:
            units.append((tuple(path), unit))
    return units


def _leads_in(block: Block) -> bool:
    """A paragraph that ends on ：(主要目标如下：) opens the list after it."""
    return block.text.rstrip(" *").endswith(("：", ":"))


# An item of a list a lead-in paragraph opens: ——产业规模…, — , 一是…
_LIST_ITEM = re.compile(r"^\s*(?:——|—|一是|二是|三是|四是|五是)")


def _opening_label(block: Block, text: str) -> int:
    """Length of a leading provision label (第二十九条, 1., （一）) that is no part of the sentence."""
    if block.bold_lead and text.startswith(block.bold_lead) and numbering(block.bold_lead):
        return len(block.bold_lead)
    found = numbering(text)
    return len(found[1]) if found else 0


def _sentences(article: Article, issue_year: int | None) -> list[_Sentence]:
    out = []
    # A section's last paragraph that leads in (到2027年，主要目标如下：) gives its year to the items below it, which
    # the numbering makes sections of their own (1.建成…, 2.培育…).
    led: dict[tuple[str, ...], int] = {}
    for path, blocks in _units(article):
        section = PATH_SEP.join(path)
        carried = next((led[path[:k]] for k in range(len(path) - 1, -1, -1) if path[:k] in led), None)
        for block in blocks:
            for s in split_sentences(block.text, clauses=False):
                lo = s.start + (_opening_label(block, s.text) if s.start == 0 else 0)
                while lo < s.end and block.text[lo].isspace():
                    lo += 1
                text = block.text[lo : s.end]
                if not MAY_HOLD_VALUE.search(text) or addressed_to_ai(text):  # an AI's "instruction" is no policy figure
                    continue
                deadlines = sorted(deadline_years(text) + period_years(text, issue_year))
                facts = SentenceFacts(text, quantities(text), deadlines, carried, reported(text), background(section))
                if facts.deadlines:
                    carried = facts.deadlines[-1][1]
                if facts.mentions:
                    out.append(_Sentence(section, block, lo, facts))
        if carried is not None and _leads_in(blocks[-1]):
            led[path] = carried
    return out


def extract_targets(issue: Issue) -> list[Target]:
    rows: list[Target] = []
    issue_year = int(issue.date[:4]) if issue.date[:4].isdigit() else None
    for article in issue.articles:
        sentences = _sentences(article, issue_year)
        reports = article_reports([s.facts for s in sentences])
        context = _ArticleContext(issue, article, stated_year(article.title) or issue_year)
        found: list[Target] = []
        for s in sentences:
            found += context.rows(s, reports)
        rows += merge_restated(found, NOTE_SECTION)
    return rows


class _ArticleContext:
    def __init__(self, issue: Issue, article: Article, period_year: int | None) -> None:
        self.issue, self.article, self.period_year = issue, article, period_year
        self.region = article_region(article.title, article.source)
        self.law = is_law(article.title)

    def rows(self, s: _Sentence, reports: bool) -> list[Target]:
        """The rows of one sentence (everything a sentence yields is decided here, one sentence at a time)."""
        f = s.facts
        kinds = [kind_of(m, f, reports, self.law) for m in f.mentions]
        # Counts of parties and categories, thresholds: worth a row only beside a real value.
        alone = not any(k not in ("other", "") for k, _ in kinds)
        regions = listed_regions(f.text, f.mentions)
        sentence = source_range(s.block.spans, s.lo, s.lo + len(f.text))
        out = []
        names = self._indicators(f, [k for k, _ in kinds], provision(s.section))
        period = stated_year(f.text) or self.period_year if any(k == "statistic" for k, _ in kinds) else None
        for i, (m, (kind, keep)) in enumerate(zip(f.mentions, kinds, strict=True)):
            if not kind or (kind == "other" and alone and not keep):
                continue
            value = source_range(s.block.spans, s.lo + m.start, s.lo + m.end)
            # A fine is kept in 元 whatever magnitude its clause writes (五千元, 五万元): fines compare.
            unit, number, low, high = in_base_unit(m) if kind == "penalty" else (m.unit, m.number, m.low, m.high)
            out.append(
                Target(
                    kind=kind,
                    indicator=names[i],
                    value=_written(m) if kind == "penalty" else m.value,
                    number=number,
                    low=low,
                    high=high,
                    unit=unit,
                    qualifier=m.qualifier or (_verb_qualifier(f.text, m.start) if kind == "target" else ""),
                    year=target_year(m, f) if kind == "target" else period if kind == "statistic" else None,
                    region=regions.get(i, self.region),
                    issuer=self.article.source,
                    article=self.article.title,
                    section=s.section,
                    issue_id=self.issue.issue_id,
                    issue=self.issue.label,
                    issue_date=self.issue.date,
                    source_path=self.issue.source_path,
                    text=f.text,
                    start=sentence[0],
                    end=sentence[1],
                    value_start=value[0],
                    value_end=value[1],
                    page=self.issue.page_at(sentence[0]),
                    act=penalties.act(f.text, m) if kind == "penalty" else "",
                    measures=penalties.measures(f.text, m) if kind == "penalty" else "",
                )
            )
            out[-1].places = [out[-1].place()]
        return out

    @staticmethod
    def _indicators(f: SentenceFacts, kinds: list[str], provision: str) -> list[str]:
        """Each value's indicator; members of a list (151.1 万、73.6 万…个) share the first one's. A penalty is
        named by its provision, what it imposes and whom (第四十五条罚款（直接负责的主管人员…）): a law fines
        the same range for many acts, and its provision tells them apart."""
        names: list[str] = []
        base = ""
        for i, m in enumerate(f.mentions):
            if kinds[i] == "penalty":
                party, of = penalties.whom(f.text, m), penalties.basis(f.text, m)
                gloss = "，".join(x for x in (party, f"按{of}" if of else "") if x)
                names.append(f"{provision}{penalty_of(m, f)}" + (f"（{gloss}）" if gloss else ""))
                continue
            prev = f.mentions[i - 1] if i else None
            if prev and prev.unit == m.unit and LIST_JOINERS.match(f.text[prev.end : m.start]):
                names.append(names[-1])
                continue
            name = indicator(f.text, m, f.mentions, kinds[i], base)
            if kinds[i] != "other" and not is_relational(name) and not (base and name.startswith(base)):
                base = name
            names.append(name)
        return names


def _written(m: Quantity) -> str:
    """A fine's value as written with its magnitude word (五万, 一万—十万): its unit is then 元."""
    if m.low is not None or m.number is None:
        return m.value
    unit = in_base_unit(m)[0]
    return m.value + m.unit[: len(m.unit) - len(unit)]


def _verb_qualifier(text: str, at: int) -> str:
    """累计 (a running total) in the value's clause, or 力争 (strive for) earlier in its sentence."""
    clause = text[:at].replace("；", "，").replace(";", "，").rsplit("，", 1)[-1]
    if "累计" in clause:
        return "累计"
    return "力争" if "力争" in text[:at] else ""
