"""Chat messages for the LLM, from the template files in prompts/<lang>/: a system prompt, one worked
example, and the question with its numbered, titled passages delimited as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rag.language import language
from rag.types import PATH_SEP, Passage, place

REFUSAL = "资料中没有相关信息"  # what the prompts tell the model to say when the passages do not answer
_FILES = ("system", "user", "passage")


@dataclass(frozen=True)
class Templates:
    system: str
    user: str
    passage: str
    examples: tuple[tuple[str, str], ...]  # worked examples: (user turn, assistant answer)

    @classmethod
    def load(cls, folder: Path) -> Templates:
        folder = Path(folder)
        missing = [n for n in _FILES if not (folder / f"{n}.txt").is_file()]
        if missing:
            raise FileNotFoundError(f"prompt templates missing in {folder}: {', '.join(m + '.txt' for m in missing)}")

        def read(path: Path) -> str:
            return path.read_text(encoding="utf-8").strip()

        examples = []
        for user in sorted(folder.glob("example*_user.txt")):
            answer = user.with_name(user.name.replace("_user", "_answer"))
            if not answer.is_file():
                raise FileNotFoundError(f"{user.name} has no {answer.name} in {folder}")
            examples.append((read(user), read(answer)))
        return cls(*(read(folder / f"{n}.txt") for n in _FILES), tuple(examples))


def _as_data(text: str) -> str:
    # A passage cannot close its own delimiter: angle brackets inside it become full-width.
    return text.replace("<", "＜").replace(">", "＞")


def passage_title(p: Passage) -> str:
    """Article and the passage's own section: the full path costs prompt tokens and tells the model little."""
    c = p.chunk
    return place(c.article, c.section.rsplit(PATH_SEP, 1)[-1]) or c.issue_label


def build_messages(templates: Templates, question: str, passages: list[Passage]) -> list[dict]:
    blocks = "\n".join(
        templates.passage.format(n=n, title=_as_data(passage_title(p)), text=_as_data(p.chunk.text))
        for n, p in enumerate(passages, 1)
    )
    messages = [{"role": "system", "content": templates.system}]
    for user, answer in templates.examples:
        messages += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    messages.append({"role": "user", "content": templates.user.format(passages=blocks, question=_as_data(question))})
    return messages


def load_templates(prompts_dir: Path, question: str) -> Templates:
    return Templates.load(Path(prompts_dir) / language(question))
