"""Citation markers an answer can be trusted with: [k] points at a passage the model was given,
markers are renumbered in order of first use, and sentences without one get one or are flagged."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.config import CitationSettings
from rag.sentences import answer_sentences
from rag.text import NUMBER, char_bigrams, compact, is_cjk

# What a small model copies from the prompt instead of a number: [编号], [n].
PLACEHOLDER = re.compile(r"\s*[\[【［]\s*(?:编号|n|N|数字|number)\s*[\]】］]")
# [1], [1, 3], 【2】, ［2］ — the forms small models write.
MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_OPEN = "[【［"
# The thresholds (supported, weak, tie, meaning margin) are Settings.citations (rag.config.CitationSettings).
DEFAULT = CitationSettings()


@dataclass
class Renumberer:
    """Rewrites the prompt's passage numbers to answer numbers while the text streams: the first passage
    cited becomes [1]. Numbers that name no passage are dropped."""

    n_passages: int
    order: list[int] = field(default_factory=list)  # answer number n -> passage index order[n - 1]
    _buffer: str = ""

    def _rewrite(self, text: str) -> str:
        def one(m: re.Match) -> str:
            out = []
            for k in map(int, re.split(r"\s*[,，、]\s*", m.group(1))):
                if not 1 <= k <= self.n_passages:
                    continue
                if k - 1 not in self.order:
                    self.order.append(k - 1)
                n = self.order.index(k - 1) + 1
                if f"[{n}]" not in out:
                    out.append(f"[{n}]")
            return "".join(out)

        return MARKER.sub(one, text)

    def feed(self, text: str) -> str:
        """The text that is safe to show: everything but a marker that may still be open."""
        self._buffer += text
        cut = max(self._buffer.rfind(ch) for ch in _OPEN)
        if cut >= 0 and not any(ch in self._buffer[cut:] for ch in "]】］") and len(self._buffer) - cut < 16:
            ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        else:
            ready, self._buffer = self._buffer, ""
        return self._rewrite(ready)

    def finish(self) -> str:
        ready, self._buffer = self._buffer, ""
        return self._rewrite(ready)


def bigrams(text: str) -> set[str]:
    t = compact(MARKER.sub("", text)).lower()
    return char_bigrams(t) or ({t} if t else set())


def support(sentence: str, passage_text: str) -> float:
    grams = bigrams(sentence)
    if not grams:
        return 0.0
    return len(grams & bigrams(passage_text)) / len(grams)


def _end_marker(sentence: str, marker: str) -> str:
    # Before the closing punctuation, as in the prompt's example: "…理由[1]。"
    m = re.search(r"[。！？!?.\s]+$", sentence)
    return sentence[: m.start()] + marker + sentence[m.start() :] if m else sentence + marker


def _cite(sentence: str, targets: list[int]) -> str:
    body = MARKER.sub("", sentence)
    return _end_marker(body.rstrip(), "".join(f"[{i + 1}]" for i in targets)) + body[len(body.rstrip()) :]


def check_citations(
    text: str,
    order: list[int],
    passage_texts: list[str],
    similar: Callable[[str, list[str]], list[float]] | None = None,
    limits: CitationSettings = DEFAULT,
) -> tuple[str, list[int], list[str]]:
    """Make each sentence's citation one that supports it. `text` is numbered by `order` (answer [n] is
    passage order[n - 1]); small models cite [1] by habit, so the model's numbers are a hint, not proof.

    - The sentence's words are in the passages: it cites the passage that has them (the best-ranked of
      near-equals), or keeps several citations when each of them has the words.
    - A paraphrase (few shared words) keeps the model's citation unless `similar` (meaning) clearly
      prefers another passage; a cited passage sharing almost no words is flagged.
    - An uncited sentence no passage supports is flagged, never given a citation by guess.
    Returns the renumbered text, its order (answer n → passage index), and the flags."""
    flags: list[str] = []
    out: list[str] = []
    for sent in answer_sentences(text):
        body = MARKER.sub("", sent).strip()
        cited = [order[n - 1] for n in cited_numbers(sent) if 1 <= n <= len(order)]
        if len(compact(body)) < 4:
            out.append(_cite(sent, cited) if cited else MARKER.sub("", sent))
            continue
        scores = [support(body, t) for t in passage_texts]
        top = max(scores)
        if top >= limits.supported:
            keep = [i for i in cited if scores[i] >= top - limits.tie]
            near = [i for i, sc in enumerate(scores) if sc >= top - limits.tie]
            out.append(_cite(sent, keep if len(keep) > 1 else near[:1]))
        elif cited:
            targets = cited
            if similar is not None:
                meaning = similar(body, passage_texts)
                best = max(range(len(meaning)), key=meaning.__getitem__)
                if meaning[best] > max(meaning[i] for i in cited) + limits.meaning_margin:
                    targets = [best]
            if max(scores[i] for i in targets) < limits.weak:
                flags.append(f"the cited passage shares few words with: {body}")
            out.append(_cite(sent, targets))
        else:
            flags.append(f"no passage supports: {body}")
            out.append(sent)
    renumber = Renumberer(len(passage_texts))
    final = renumber.feed("".join(out)) + renumber.finish()
    return final, renumber.order, flags


def cited_numbers(text: str) -> list[int]:
    seen: list[int] = []
    for m in MARKER.finditer(text):
        for k in map(int, re.split(r"\s*[,，、]\s*", m.group(1))):
            if k not in seen:
                seen.append(k)
    return seen


def _numbers(text: str) -> set[str]:
    """Arabic numbers as written, with thousands separators dropped (1,200 = 1200)."""
    return set(NUMBER.findall(compact(MARKER.sub("", text)).replace(",", "")))


@dataclass
class Grounded:
    text: str  # numbered by ``order``, as check_citations numbers it
    order: list[int]
    notes: list[str]  # what was replaced or removed, and why


def ground(
    text: str,
    order: list[int],
    passage_texts: list[str],
    passage_sentences: list[list[str]],
    similar: Callable[[str, list[str]], list[float]] | None = None,
    limits: CitationSettings = DEFAULT,
) -> Grounded:
    """What an LLM answer may keep: sentences that cite a passage, every Arabic number, date and percentage
    of which stands in a passage it cites (titles and section paths count). A sentence that fails —
    a figure its passages lack, or no citation at all (check_citations cites whatever it can) — is
    replaced by the passage sentence it paraphrases, quoted and cited, or removed when it paraphrases
    none: a 1.5B model swaps and invents figures, and a wrong figure in a briefing is worse than a
    shorter answer."""
    notes: list[str] = []
    out: list[str] = []
    for sent in answer_sentences(text):
        body = MARKER.sub("", sent).strip()
        cited = [order[n - 1] for n in cited_numbers(sent) if 1 <= n <= len(order)]
        if not cited and len(compact(body)) < 4:
            out.append(sent)  # a connective ("如下：") claims nothing
            continue
        if not cited and similar is not None and not any(is_cjk(ch) for ch in body):
            # An English sentence shares no characters with a Chinese passage: meaning decides, when it
            # clearly prefers one passage.
            cited = _clearly_closest(similar(body, passage_texts), limits.meaning_margin)
            if cited:  # marked in answer numbers, as the rest of the text is
                order = order + [i for i in cited if i not in order]
                sent = _end_marker(sent.rstrip(), "".join(f"[{order.index(i) + 1}]" for i in cited))
        missing = sorted(_numbers(sent) - _numbers("\n".join(passage_texts[i] for i in cited)))
        if cited and not missing:
            out.append(_to_passage_markers(sent, order))
            continue
        source = _paraphrased(body, passage_sentences, similar, limits)
        why = f"numbers not in the cited passages ({', '.join(missing)})" if cited else "no passage supports it"
        if source is not None:
            out.append(_end_marker(source[1], f"[{source[0] + 1}]"))
            notes.append(f"{why}: the passage's own sentence quoted instead of: {body}")
        else:
            notes.append(f"{why}: removed: {body}")
    renumber = Renumberer(len(passage_texts))
    final = (renumber.feed("".join(out)) + renumber.finish()).strip()
    return Grounded(final, renumber.order, notes)


def _paraphrased(
    body: str,
    passage_sentences: list[list[str]],
    similar: Callable[[str, list[str]], list[float]] | None,
    limits: CitationSettings,
) -> tuple[int, str] | None:
    """(passage index, sentence) of the passage sentence a model sentence restates: by shared words, or for
    an English sentence by meaning, when one sentence clearly stands out."""
    flat = [(i, s) for i, sents in enumerate(passage_sentences) for s in sents]
    if not flat:
        return None
    if any(is_cjk(ch) for ch in body) or similar is None:
        score, i, s = max((support(body, s), i, s) for i, s in flat)
        return (i, s) if score >= limits.weak else None
    closest = _clearly_closest(similar(body, [s for _, s in flat]), limits.meaning_margin)
    return flat[closest[0]] if closest else None


def _clearly_closest(meaning: list[float], margin: float) -> list[int]:
    """The passage a sentence means, when it stands out from the others by a clear margin."""
    if not meaning:
        return []
    best = max(range(len(meaning)), key=meaning.__getitem__)
    others = [m for i, m in enumerate(meaning) if i != best]
    return [best] if not others or meaning[best] >= max(others) + margin else []


def _to_passage_markers(sentence: str, order: list[int]) -> str:
    """Answer numbers [n] back to passage numbers [k] (k = order[n - 1] + 1), for a final renumbering."""

    def one(m: re.Match) -> str:
        ns = [int(n) for n in re.split(r"\s*[,，、]\s*", m.group(1))]
        return "".join(f"[{order[n - 1] + 1}]" for n in ns if 1 <= n <= len(order))

    return MARKER.sub(one, sentence)


def unsupported_numbers(text: str, passage_texts: list[str]) -> list[str]:
    """Numbers in the answer that none of its passages contains: the one mistake a reader cannot
    afford in a policy answer, so it is flagged even when the sentence's citation checks out."""
    body = compact(MARKER.sub("", text))
    known = set(NUMBER.findall(compact("\n".join(passage_texts))))
    return [n for n in dict.fromkeys(NUMBER.findall(body)) if n not in known]
