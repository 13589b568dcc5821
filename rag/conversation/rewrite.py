"""With an LLM loaded, the model rewrites a follow-up as a standalone question (prompts/<lang>/rewrite.txt);
what it writes is used only when it names the same places, periods and provisions as the rules'
resolution (or, when the rules found none, holds the follow-up's own words): a 1.5B model swaps places and
years, and a wrong question answered well is worse than a plain one."""

from __future__ import annotations

import re
from pathlib import Path

from rag.frames import Frame
from rag.intent import language, period_of, regions_named
from rag.language import labels
from rag.models.llm import LLM
from rag.text import compact

MAX_TOKENS = 80


def _facts(question: str) -> tuple[frozenset, frozenset, frozenset]:
    lang = language(question)
    period = period_of(question, lang)
    return (
        frozenset(regions_named(question, lang)),
        frozenset(period.years | {m + 100 for m in period.months}),
        frozenset(labels(question)),
    )


def acceptable(written: str, frame: Frame, followup: str, rules: str) -> bool:
    """Whether the model's question may replace the rules' one."""
    if not written or len(written) > 3 * (len(frame.text) + len(followup)) + 20:
        return False
    if language(written) != frame.lang or compact(written) == compact(frame.text):
        return False
    if rules:
        return _facts(written) == _facts(rules)
    # No resolution by rules: the model's question must keep what the follow-up itself says.
    own = [w for w in re.findall(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{3,}", followup) if w not in ("呢", "那么")]
    return all(compact(w).lower() in compact(written).lower() for w in own[:3])


class Rewriter:
    """The loaded model asked to write the follow-up out; a callable for Resolver.resolve."""

    def __init__(self, llm: LLM, prompts_dir: Path) -> None:
        self.llm, self.prompts_dir = llm, Path(prompts_dir)

    def __call__(self, frame: Frame, followup: str, rules: str) -> str | None:
        prompt = (self.prompts_dir / frame.lang / "rewrite.txt").read_text(encoding="utf-8")
        if frame.lang == "zh":
            user = f"上一个问题：{frame.text}\n追问：{followup}\n改写："
        else:
            user = f"Previous question: {frame.text}\nFollow-up: {followup}\nRewritten:"
        messages = [{"role": "system", "content": prompt}, {"role": "user", "content": user}]
        text = "".join(self.llm.stream(messages, MAX_TOKENS)).strip()
        line = re.sub(r"^(?:改写|Rewritten)\s*[:：]\s*", "", text.splitlines()[0].strip() if text else "")
        return line if acceptable(line, frame, followup, rules) else None
