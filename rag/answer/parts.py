"""A question of several parallel parts (rag.frames.parts: 上海和深圳分别…, A与B哪个…, and what about …) answered
part by part: each part's frame is answered like a resolved follow-up (retrieved and judged within its own
document), and the answers become one, each part with its own citations — 「上海：…[1]；深圳：…[2]」 — or saying
what the bulletin does not give for it (「深圳：本期资料中没有找到相关内容」). Answered when at least one part
is; when none is, the question is answered whole, as any question is."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from rag.answer.events import Final, TextDelta, final_answer
from rag.filters import Filters
from rag.frames import Frame
from rag.frames.parts import Part
from rag.types import Answer, Highlight, Passage


class Answers(Protocol):
    """What answers each part: rag.answer.pipeline.Answerer."""

    mode: str

    def stream(
        self, question: str, filters: Filters | None = None, frame: Frame | None = None
    ) -> Iterator[TextDelta | Final]: ...


_MARK = re.compile(r"\[(\d+)\]")
_CLOSING = {"zh": ("：", "；", "。"), "en": (": ", "; ", ".")}


def answer_parts(
    answerer: Answers, question: str, parts: Sequence[Part], filters: Filters | None
) -> Generator[TextDelta, None, Answer | None]:
    """The answer of each part, as one Answer (its text yielded once); None when no part is answered."""
    answers = [final_answer(answerer.stream(p.frame.text, filters, p.frame)) for p in parts]
    if all(a.refused for a in answers):
        return None
    answer = combined(question, parts, answers, answerer.mode)
    yield TextDelta(answer.text)
    return answer


def combined(question: str, parts: Sequence[Part], answers: Sequence[Answer], mode: str) -> Answer:
    """One answer of the parts' answers: each part's text after its label, its [n] renumbered into the
    citations of the whole; the passages of every part; a flag saying how each part went."""
    lang = parts[0].frame.lang if parts[0].frame.lang in _CLOSING else "zh"
    colon, between, end = _CLOSING[lang]
    citations: list[Passage] = []
    highlights: list[Highlight] = []
    pieces: list[tuple[str, str]] = []
    flags: list[str] = []
    for part, answer in zip(parts, answers, strict=True):
        numbers = {n: _number_of(p, citations) for n, p in enumerate(answer.citations, 1)}
        body = _MARK.sub(lambda m, numbers=numbers: f"[{numbers.get(int(m.group(1)), m.group(1))}]", answer.text.strip())
        # The part's closing stop gives way to the one between parts: …完毕[1]；深圳：…
        body = re.sub(r"[。.]((?:\[\d+\])*)$", r"\1", body)
        same = next((k for k, (_, b) in enumerate(pieces) if b == body), None)
        if same is None:
            pieces.append((part.label, body))
        else:  # one passage answers both parts (a sentence giving every region's figure): said once
            pieces[same] = (f"{pieces[same][0]}、{part.label}" if lang == "zh" else f"{pieces[same][0]}, {part.label}", body)
        highlights += [replace(h, citation=numbers[h.citation]) for h in answer.highlights if h.citation in numbers]
        flags.append(f"part {part.label}: {answer.status}" + (f" ({answer.flags[0]})" if answer.refused and answer.flags else ""))
        flags += [f"part {part.label}: {f}" for f in answer.flags if not answer.refused]
    seen = {p.chunk.id for p in citations}
    passages = citations + [p for a in answers for p in a.passages if p.chunk.id not in seen and not seen.add(p.chunk.id)]
    relevance = max((a.relevance for a in answers if a.relevance is not None), default=None)
    return Answer(
        question,
        between.join(f"{label}{colon}{body}" for label, body in pieces) + end,
        False,
        citations,
        passages,
        mode,
        [h for i, h in enumerate(highlights) if h not in highlights[:i]],
        flags=["answered in parts", *flags],
        relevance=relevance,
    )


def _number_of(passage: Passage, citations: list[Passage]) -> int:
    """The passage's [n] in the whole answer: its place among the citations, added when new."""
    for n, p in enumerate(citations, 1):
        if p.chunk.id == passage.chunk.id:
            return n
    citations.append(passage)
    return len(citations)
