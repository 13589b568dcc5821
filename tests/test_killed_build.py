"""A build killed at any moment leaves the previous index loadable and correct."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BULLETIN, ROOT, HashEmbedder

from rag.config import Settings
from rag.index import build_index, load_index

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"
CHILD = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from pathlib import Path
from conftest import HashEmbedder
from rag.config import Settings
from rag.index import build_index
settings = Settings(index_dir=Path({index!r}), corpus=(Path({a!r}), Path({b!r})))
print("start", flush=True)
build_index(settings, HashEmbedder())
print("done", flush=True)
"""


def _child(index_dir: Path) -> subprocess.Popen:
    code = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), index=str(index_dir), a=str(BULLETIN), b=str(MINI))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)


@pytest.mark.slow
def test_builds_killed_at_random_moments_leave_a_loadable_correct_index(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", corpus=(BULLETIN,))
    before = build_index(settings, HashEmbedder())
    one_file = {c.id for c in before.chunks}

    t0 = time.perf_counter()  # how long one full build of both files takes, to spread the kills over it
    probe = _child(tmp_path / "probe")
    assert probe.wait(timeout=300) == 0
    duration = time.perf_counter() - t0

    rng = random.Random(20261129)
    outcomes = []
    for _ in range(8):
        child = _child(settings.index_dir)
        assert child.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0, duration))
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        index = load_index(settings, HashEmbedder())  # verifies every checksum
        ids = {c.id for c in index.chunks}
        files = [e["path"] for e in index.manifest.corpus]
        # either the old index, whole, or the new one, whole: never a mix
        assert (ids == one_file and len(files) == 1) or (len(files) == 2 and one_file < ids)
        outcomes.append(len(files))
        if len(files) == 2:  # the build got through: start again from the one-file index
            build_index(settings, HashEmbedder())
    # the next build clears what killed builds left behind
    build_index(settings, HashEmbedder())
    assert not [p for p in settings.index_dir.iterdir() if p.name.startswith(".gen-")]
    assert not list(settings.index_dir.rglob("*.tmp"))
    print(f"killed builds: {outcomes.count(1)} left the old index, {outcomes.count(2)} had finished")
