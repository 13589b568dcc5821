"""The commands that change the library: build, add, remove — through the service, one change at a time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rag.cli.common import Bar, report_build, service_of, watch_reading


def cmd_build(args) -> int:
    """Without files: the whole library again (the bundled bulletins and all that were added).
    With files: an index of exactly those."""
    service = service_of(args, opened=False)
    service.embedder  # noqa: B018 (the model is loaded before the clock starts: the report times the build)
    bar = Bar()
    index = service.build([Path(p) for p in args.paths], bar, watch_reading(service.settings))
    bar.close()
    report_build(service.settings, index, time.perf_counter() - bar.t0)
    return 0


def cmd_add(args) -> int:
    service = service_of(args)
    meta = {"name": args.title, "number": args.number, "total_number": args.total_number, "date": args.date}
    if any(meta.values()) and len(args.paths) > 1:
        raise ValueError("--title, --number, --total-number and --date describe one bulletin: add one file at a time")
    for path in args.paths:
        t0 = time.perf_counter()
        b = service.add(Path(path), meta=meta, control=watch_reading(service.settings))
        reprinted = f", {b.reprinted} passages already printed in earlier issues" if b.reprinted else ""
        print(
            f"Added {b.label} ({b.issue_id}): {b.articles} articles, {b.chunks} chunks{reprinted} "
            f"in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
    return 0


def cmd_remove(args) -> int:
    service_of(args).remove(args.issue)
    print(f"Removed {args.issue}.", file=sys.stderr)
    return 0
