"""The child side of an ingest: ``python -m rag.ingest.worker JOB.json`` (started by rag.ingest.run).

It first limits itself (address space, CPU priority, death with its parent), and only then imports the
code that reads files. Each file of the job is loaded, parsed and chunked; the result goes to
``OUT/<n>.json`` (plain JSON: the parent rebuilds the chunks from it, nothing is unpickled), and one JSON
line per file on the original stdout says how it went:

    {"i": 0, "ok": true, "rss_mb": 80, "vm_mb": 120}
    {"i": 1, "kind": "load" | "parse" | "memory" | "bug", "error": "…"}

The worker stops at the first file that fails. Anything libraries print goes to stderr.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from pathlib import Path

MB = 1024 * 1024
# Written with no allocation to spare: the only message that must get out when memory has run out.
_OUT_OF_MEMORY = '{{"i": {i}, "kind": "memory", "error": ""}}\n'


def _limit(memory_mb: int, nice: int) -> None:
    """The memory budget is the address space the kernel lets us map: past it, allocations fail
    (MemoryError in Python) instead of the machine swapping or the OOM killer choosing a victim."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_mb * MB if hard == resource.RLIM_INFINITY else min(memory_mb * MB, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash on a crafted file leaves no core dump behind
    if nice:
        os.nice(nice)  # searches and answers in the parent go first


def _die_with_parent(parent: int) -> None:
    """An orphaned worker (its parent killed with SIGKILL) is killed too, not left parsing a bomb."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's kill on its own way out still applies
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    _limit(int(job["memory_mb"]), int(job.get("nice", 0)))
    _die_with_parent(int(job["parent"]))
    # The protocol keeps the real stdout; anything printed by a library lands on stderr instead.
    say = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    out = Path(job["out"])
    for i, spec in enumerate(job["files"]):
        try:
            result = _read(spec, job["chunking"], job["limits"])
            (out / f"{i}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            del result
            say.write(json.dumps({"i": i, "ok": True, **_peaks()}) + "\n")
        except MemoryError:
            os.write(say.fileno(), _OUT_OF_MEMORY.format(i=i).encode())
            return 3
        except Exception as exc:  # reported to the parent, which decides what the user sees
            from rag.load import LoadError
            from rag.parse.issue import ParseError

            if _out_of_memory(exc):  # a loader that reports any failure as unreadable still ran out of memory
                os.write(say.fileno(), _OUT_OF_MEMORY.format(i=i).encode())
                return 3
            if isinstance(exc, LoadError | ParseError):
                kind, message = ("load" if isinstance(exc, LoadError) else "parse"), str(exc)
            else:
                import traceback

                traceback.print_exc()
                kind, message = "bug", f"{type(exc).__name__}: {exc}"
            say.write(json.dumps({"i": i, "kind": kind, "error": message[:2000]}, ensure_ascii=False) + "\n")
            return 1
    return 0


def _out_of_memory(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _peaks() -> dict:
    """The worker's high-water marks so far, in MB: resident (VmHWM) and mapped (VmPeak, what the budget caps)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmPeak"):
            found["rss_mb" if key == "VmHWM" else "vm_mb"] = int(value.split()[0]) // 1024
    return found


def _read(spec: dict, chunking: list[int], limits: dict) -> dict:
    """One file -> what the parse cache stores of it, minus the term counts (the parent tokenises)."""
    import hashlib

    from rag.chunk import Chunker
    from rag.load import LoadError, load_bytes
    from rag.load.limits import Limits
    from rag.parse.issue import parse_issue
    from rag.reprints import reprint_key
    from rag.targets import extract_targets

    data = Path(spec["read"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != spec["sha256"]:
        raise LoadError(f"{spec['label']}: the file changed while it was being read; try again")
    doc = load_bytes(data, spec["label"], Limits(**limits))
    del data
    issue = parse_issue(doc.text, source_path=spec["source_path"], name=spec["name"], pages=doc.pages, meta=spec["meta"] or None)
    issue.offsets = doc.offsets  # chunks cite the file's own text, not its normalised form
    chunks = Chunker(*chunking).chunk_issue(issue)
    entry = {"issue_id": issue.issue_id, "label": issue.label, "date": issue.date, "articles": [a.title for a in issue.articles]}
    return {
        "entry": entry,
        "chunks": [vars(c) for c in chunks],
        "keys": [reprint_key(c) for c in chunks],
        "targets": [vars(t) for t in extract_targets(issue)],
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv))
