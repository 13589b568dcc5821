"""What every command shares: the settings from the arguments, the one service opened over them (with the
embedding progress on stderr when the index must be built first), the filters, JSONL in and out."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rag.config import Settings


def quiet_libraries() -> None:
    """Offline, and without the progress bars and warnings of libraries: entry points call this first.
    Environment variables, not imports: importing transformers to silence it costs a second a start."""
    for name, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_VERBOSITY": "error",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        os.environ.setdefault(name, value)


def settings_of(args) -> Settings:
    return Settings.from_env(index_dir=args.index_dir, embedding_model=args.model, llm=getattr(args, "llm", None))


class Bar:
    """Embedding progress on stderr (a progress callback for a build), shown from the first call;
    ``close`` reports the build, if one ran."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=0, desc="Embedding passages and sentences", unit="text", file=sys.stderr, disable=None)
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self, service=None) -> None:
        """Closes the bar; with ``service``, reports the index it built, when it had to build one."""
        if self.bar is None:
            return
        self.bar.close()
        if service is not None and self.bar.total:
            report_build(service.settings, service.index, time.perf_counter() - self.t0)


def report_build(settings: Settings, index, seconds: float) -> None:
    n_articles = sum(len(e["articles"]) for e in index.manifest.corpus)
    print(
        f"Indexed {len(index.manifest.corpus)} bulletin(s), {n_articles} articles, {len(index.chunks)} chunks "
        f"into {settings.index_dir} in {seconds:.1f} s",
        file=sys.stderr,
    )


def service_of(args, opened: bool = True, model: bool = True):
    """The one service (rag.service.Service) over the library of the command's settings. ``opened``: the
    index loaded (built first when there is none, the progress on stderr); ``model=False`` reads it without
    the embedding model, for the commands that search nothing."""
    from rag.service import Service

    bar = Bar()
    service = Service(settings_of(args), progress=bar)
    if opened:
        service.open(model=model)
        bar.close(service)
    return service


def watch_reading(settings: Settings):
    """A Control that says, on a terminal, which file the ingest worker is reading when it takes a while.
    Off a terminal it says nothing: a refused file's message stays one line."""
    from rag.ingest.control import Control

    shown: set[str] = set()

    def reading(label: str, seconds: float) -> None:
        if seconds >= 2 and label not in shown and sys.stderr.isatty():
            shown.add(label)
            print(f"Reading {label} (refused past {settings.ingest_timeout_s:g} s)…", file=sys.stderr, flush=True)

    return Control(on_parse=reading)


def filter_args(p: argparse.ArgumentParser) -> None:
    from rag.filters import Filters

    for _, spec in Filters.specs():
        if spec.many:
            p.add_argument(spec.flag, dest=spec.param, action="append", help=spec.help + " (repeatable)")
        else:
            p.add_argument(spec.flag, dest=spec.param, default="", help=spec.help)


def filters_of(args):
    from rag.filters import Filters

    return Filters.from_params(vars(args))


def each_question(path: Path, respond) -> int:
    """One JSON line out per {"id", "question"} line in, in order, the id copied; ``respond`` gets the
    question and its whole line (an ask line may carry "history")."""
    from rag.evaluate import read_gold

    for row in read_gold(path):
        print(json.dumps({"id": row.get("id"), **respond(row["question"], row)}, ensure_ascii=False), flush=True)
    return 0


def print_json(data) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def print_references(chunks, fmt: str) -> int:
    """The cited passages' references alone (GB/T 7714, BibTeX or RIS), each work once."""
    from rag.references import export

    sys.stdout.write(export(chunks, fmt))
    return 0
