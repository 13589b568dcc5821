"""The quality floors: every issue's questions, answered in one library, held to the figures they had.

A suite (eval/suite.json) names libraries (lists of bulletin files) and checks (a question file run
against one library, with the lowest figure each metric may reach, and the issue its questions were written
for: what their 本期 means, rag.recency). `run_suite` builds or reuses each
library's index under a cache folder, runs retrieval, extractive answers and follow-up conversations
through the service every interface uses, and reports each figure beside its floor. A rule that helps
one issue and costs another shows up here as a figure under its floor, and CI fails on it
(tests/test_quality_floors.py; `python -m rag eval --suite eval/suite.json`).

Paths in a suite are relative to the project; ``{shared}`` is the shared corpus and questions folder
beside the clone (../shared), which CI has and a user's machine may not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import PROJECT_ROOT, Settings
from rag.errors import UserError


class SuiteError(UserError, ValueError):
    """A suite file that cannot be run; the message says why."""


# Metrics a floor may name, and which way is better. Retrieval: rag.evaluate.evaluate_retrieval; answers:
# evaluate_answers (extractive); conversations: rag.conversation.evaluate (follow-ups only).
HIGHER = {
    "hit@1", "hit@5", "recall@5", "mrr@10",
    "citation_recall", "numeric_correct", "verdict_correct", "refusal_accuracy", "status_match",
    "cited", "refused",
}  # fmt: skip
LOWER = {"false_refusal"}


def shared_folder() -> Path | None:
    """../shared beside the clone (or beside a folder above it, as a worktree has it)."""
    for parent in PROJECT_ROOT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared"
    return None


def _path(text: str) -> Path:
    if "{shared}" in text:
        shared = shared_folder()
        if shared is None:
            raise SuiteError(f"{text}: the shared folder (../shared beside the clone) is not on this machine")
        text = text.replace("{shared}", str(shared))
    path = Path(text)
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Check:
    name: str
    library: str
    kind: str  # questions | conversations
    path: Path
    floors: dict[str, float]
    # The issue the questions were written for: their 本期 (Settings.current_issue); "" for the library's newest.
    current_issue: str = ""


@dataclass(frozen=True)
class Suite:
    libraries: dict[str, tuple[Path, ...]]
    checks: tuple[Check, ...]

    @classmethod
    def read(cls, path: Path) -> Suite:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            libraries = {name: tuple(_path(p) for p in files) for name, files in data["libraries"].items()}
            checks = tuple(
                Check(
                    c["name"],
                    c["library"],
                    c.get("kind", "questions"),
                    _path(c["file"]),
                    dict(c["floors"]),
                    c.get("current_issue", ""),
                )  # fmt: skip
                for c in data["checks"]
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SuiteError(f"{path}: not a readable suite ({exc})") from None
        for check in checks:
            if check.library not in libraries:
                raise SuiteError(f"{path}: check {check.name!r} names an unknown library {check.library!r}")
            unknown = set(check.floors) - HIGHER - LOWER
            if unknown:
                raise SuiteError(f"{path}: check {check.name!r} has floors for unknown metrics {sorted(unknown)}")
        missing = [str(p) for files in libraries.values() for p in files if not p.is_file()]
        missing += [str(c.path) for c in checks if not c.path.is_file()]
        if missing:
            raise SuiteError(f"{path}: missing files: {', '.join(missing)}")
        return cls(libraries, checks)


@dataclass
class Figure:
    check: str
    metric: str
    value: float
    floor: float

    @property
    def ok(self) -> bool:
        # Figures are rounded to 3 places by the evaluators; a floor is met when the figure reaches it.
        return self.value <= self.floor + 1e-9 if self.metric in LOWER else self.value >= self.floor - 1e-9


@dataclass
class Result:
    figures: list[Figure] = field(default_factory=list)

    @property
    def failed(self) -> list[Figure]:
        return [f for f in self.figures if not f.ok]

    def table(self) -> str:
        lines = [f"{'check':<34}{'metric':<18}{'value':>8}{'floor':>8}"]
        for f in self.figures:
            bound = "≤" if f.metric in LOWER else "≥"
            mark = "" if f.ok else "   BELOW FLOOR"
            lines.append(f"{f.check:<34}{f.metric:<18}{f.value:>8.3f}{bound:>3}{f.floor:>5.3f}{mark}")
        return "\n".join(lines)


def library_settings(base: Settings, files: tuple[Path, ...], cache: Path) -> Settings:
    """An index folder of its own for one library, named by the files' contents (a changed file is a
    new folder: never an index of other text), and an empty library folder: the files are its corpus."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    folder = Path(cache) / digest.hexdigest()[:16]
    (folder / "library").mkdir(parents=True, exist_ok=True)
    return base.with_(index_dir=folder / "index", library_dir=folder / "library", corpus=files, llm="none")


def run_suite(suite: Suite, base: Settings, cache: Path, embedder=None, progress=None) -> Result:
    """Every check of the suite against its library (built on first use, reused after), extractive."""
    from rag.conversation.evaluate import evaluate_conversations
    from rag.evaluate import evaluate_answers, evaluate_retrieval, read_gold
    from rag.service import Service

    result = Result()
    services: dict[tuple[str, str], Service] = {}
    for check in suite.checks:
        key = (check.library, check.current_issue)
        if key not in services:
            settings = library_settings(base, suite.libraries[check.library], cache).with_(current_issue=check.current_issue)
            service = Service(settings, embedder)
            service.start(progress)
            if service.problem:
                raise SuiteError(f"library {check.library!r} could not be opened: {service.problem}")
            services[key] = service
        service = services[key]
        rows = read_gold(check.path)
        report: dict = {}
        if check.kind == "conversations":
            judge = service.answerer("extractive").judge  # reads what a question names, for the agreement figure
            conv = evaluate_conversations(rows, lambda q, h, s=service: s.answer(q, history=h), judge)
            report = {"cited": conv["overall"].get("cited"), "refused": conv["overall"].get("refused")}
        else:
            if set(check.floors) & {"hit@1", "hit@5", "recall@5", "mrr@10"}:
                report |= evaluate_retrieval(rows, lambda q, s=service: s.search(q, 10))["overall"]
            if set(check.floors) - {"hit@1", "hit@5", "recall@5", "mrr@10"}:
                report |= evaluate_answers(rows, lambda q, s=service: s.answer(q))["overall"]
        for metric, floor in check.floors.items():
            value = report.get(metric)
            if value is None:
                raise SuiteError(f"check {check.name!r}: {check.path.name} gives no {metric} (no rows of that kind?)")
            result.figures.append(Figure(check.name, metric, round(float(value), 3), floor))
    return result
