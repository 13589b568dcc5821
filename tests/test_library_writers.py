"""The library never loses a bulletin: concurrent changes serialise on fresh state, a process holding an
older index follows the newer one, and an add or remove killed at any moment leaves the folder and the
index as they were, or both changed."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, HashEmbedder

from rag.config import Settings
from rag.index import build_index, load_index
from rag.library import add_bulletin, bulletins, rebuild_library, remove_bulletin
from rag.service import Service
from rag.store.journal import FILENAME, STAGING_PREFIX, FolderChange

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"
CHILD = """
import sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from pathlib import Path
from conftest import HashEmbedder
from rag.config import Settings
from rag.library import add_bulletin, remove_bulletin
settings = Settings(index_dir=Path({index!r}), corpus=(Path({base!r}),), library_dir=Path({library!r}))
go = Path({go!r})
while not go.exists():
    time.sleep(0.005)
print("start", flush=True)
if {op!r} == "add":
    add_bulletin(settings, HashEmbedder(), None, Path({target!r}))
else:
    remove_bulletin(settings, HashEmbedder(), None, {target!r})
print("done", flush=True)
"""


def issue_file(folder: Path, n: int) -> Path:
    """The mini bulletin as issue n of 2024 (its own masthead, so its own issue and bytes)."""
    masthead = f"2024年3月{n}日 第{n + 10}期 总第{n + 180}期"
    text = MINI.read_text(encoding="utf-8").replace("2024年1月5日 第1期 总第163期", masthead)
    path = folder / f"bulletin-2024-{n + 10}.md"
    path.write_text(text, encoding="utf-8")
    return path


def lib_settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "index", corpus=(MINI,), library_dir=tmp_path / "library")


def child(settings: Settings, go: Path, op: str, target: str) -> subprocess.Popen:
    code = CHILD.format(
        root=str(ROOT),
        tests=str(ROOT / "tests"),
        index=str(settings.index_dir),
        base=str(MINI),
        library=str(settings.library_dir),
        go=str(go),
        op=op,
        target=target,
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)


def listed(settings: Settings) -> set[str]:
    return {b.issue_id for b in bulletins(load_index(settings, HashEmbedder()))}


def folder_files(settings: Settings) -> set[str]:
    return {p.name for p in settings.library_dir.iterdir()} if settings.library_dir.is_dir() else set()


def agree(settings: Settings) -> set[str]:
    """`rag list`, the folder and a rebuild from the folder say the same; returns the listed issues."""
    before = listed(settings)
    assert not [n for n in folder_files(settings) if n.startswith(STAGING_PREFIX)]
    assert not (settings.index_dir / FILENAME).exists()
    files = {e["path"] for e in load_index(settings, HashEmbedder()).manifest.corpus}
    in_folder = {f for f in files if Path(f).parent.name == "library"}
    assert {Path(f).name for f in in_folder} == {n for n in folder_files(settings) if not n.endswith(".meta.json")}
    rebuilt = rebuild_library(settings, HashEmbedder())
    assert {b.issue_id for b in bulletins(rebuilt)} == before
    return before


@pytest.mark.slow
def test_simultaneous_adds_from_two_processes_keep_both(tmp_path):
    for run in range(3):
        settings = lib_settings(tmp_path / f"run{run}")
        build_index(settings, HashEmbedder())
        go = tmp_path / f"go{run}"
        files = [issue_file(tmp_path, 2 * run + 1), issue_file(tmp_path, 2 * run + 2)]
        kids = [child(settings, go, "add", str(f)) for f in files]
        go.touch()
        for kid in kids:
            out, _ = kid.communicate(timeout=300)
            assert kid.returncode == 0 and "done" in out
        issues = agree(settings)
        assert len(issues) == 3, f"run {run}: {issues}"  # the base issue and both adds


def test_a_service_holding_an_older_index_follows_the_newer_one_before_it_changes_anything(tmp_path):
    settings = lib_settings(tmp_path)
    build_index(settings, HashEmbedder())
    service = Service(settings, HashEmbedder())
    service.start()
    assert len(service.bulletins()) == 1
    added = [issue_file(tmp_path, n) for n in (1, 2, 3, 4)]
    for f in added:  # as four `rag add` from the command line would: the service is not told
        add_bulletin(settings, HashEmbedder(), None, f)
    assert len(service.bulletins()) == 5  # it read the new generation before answering
    assert len(service.facets()["issues"]) == 5  # and its filters offer them
    service.remove(service.bulletins()[1].issue_id)
    assert len(listed(settings)) == 4  # one removed, none of the others lost
    assert len(agree(settings)) == 4


def test_a_change_on_a_stale_copy_of_the_index_starts_from_the_current_one(tmp_path):
    settings = lib_settings(tmp_path)
    stale = build_index(settings, HashEmbedder())
    add_bulletin(settings, HashEmbedder(), stale, issue_file(tmp_path, 1))
    add_bulletin(settings, HashEmbedder(), stale, issue_file(tmp_path, 2))  # still the one-bulletin copy
    assert len(listed(settings)) == 3
    remove_bulletin(settings, HashEmbedder(), stale, "2024-12")
    assert len(agree(settings)) == 2


@pytest.mark.slow
def test_adds_and_removes_killed_at_random_moments_leave_folder_and_index_agreeing(tmp_path):
    settings = lib_settings(tmp_path)
    build_index(settings, HashEmbedder())
    probe_settings = lib_settings(tmp_path / "probe")
    build_index(probe_settings, HashEmbedder())
    probe_go = tmp_path / "probe-go"
    probe_go.touch()
    t0 = time.perf_counter()  # how long one add takes, to spread the kills over it
    probe = child(probe_settings, probe_go, "add", str(issue_file(tmp_path, 99)))
    assert probe.wait(timeout=300) == 0
    duration = time.perf_counter() - t0
    rng = random.Random(20261204)
    completed, killed_early = 0, 0
    for n in range(10):
        expected = listed(settings)
        op, target = "add", str(issue_file(tmp_path, n + 1))
        if n % 3 == 2 and len(expected) > 2:  # every third a removal of an added issue
            op, target = "remove", sorted(expected - {"2024-1"})[0]
        go = tmp_path / f"go{n}"
        go.touch()
        kid = child(settings, go, op, target)
        assert kid.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0, duration * 1.2))
        os.killpg(kid.pid, signal.SIGKILL)
        kid.wait()
        finished = "done" in kid.stdout.read()
        rebuild_library(settings, HashEmbedder())  # never refused ("two files are the same issue")
        now = agree(settings)
        changed = now != expected
        assert len(now ^ expected) <= 1
        assert not (finished and not changed)  # a change that said done is in the library
        completed += changed
        killed_early += not changed
    print(f"killed changes: {completed} had gone through, {killed_early} left the library as it was")


def test_a_change_killed_after_its_switch_is_finished_by_the_next_one(tmp_path, monkeypatch):
    settings = lib_settings(tmp_path)
    build_index(settings, HashEmbedder())
    real_apply = FolderChange.apply

    def killed(self, index_dir):  # the process dies right after the manifest switched
        raise KeyboardInterrupt

    monkeypatch.setattr(FolderChange, "apply", killed)
    with pytest.raises(KeyboardInterrupt):
        add_bulletin(settings, HashEmbedder(), None, issue_file(tmp_path, 1))
    monkeypatch.setattr(FolderChange, "apply", real_apply)
    # the staged copy survived (the kill came before the add's own cleanup could matter): the next change rolls forward
    assert (settings.index_dir / FILENAME).exists()
    add_bulletin(settings, HashEmbedder(), None, issue_file(tmp_path, 2))
    assert len(agree(settings)) == 3


def test_a_change_killed_before_its_switch_is_undone_by_the_next_one(tmp_path):
    settings = lib_settings(tmp_path)
    build_index(settings, HashEmbedder())
    settings.library_dir.mkdir()
    staged = settings.library_dir / f"{STAGING_PREFIX}abcd-bulletin-2024-11.md"
    staged.write_bytes(issue_file(tmp_path, 1).read_bytes())
    FolderChange(moves=[(str(staged), str(settings.library_dir / "bulletin-2024-11.md"))]).record(settings.index_dir, "gen-never")
    rebuild_library(settings, HashEmbedder())
    assert folder_files(settings) == set() and len(agree(settings)) == 1


def test_a_copy_left_by_an_older_versions_killed_add_never_blocks_a_rebuild(tmp_path):
    settings = lib_settings(tmp_path)
    build_index(settings, HashEmbedder())
    add_bulletin(settings, HashEmbedder(), None, issue_file(tmp_path, 1))
    copy = settings.library_dir / "bulletin-2024-11-1.md"  # what the old add left when killed and run again
    copy.write_bytes((settings.library_dir / "bulletin-2024-11.md").read_bytes())
    index = rebuild_library(settings, HashEmbedder())
    assert len(bulletins(index)) == 2 and not copy.exists()
    assert len(agree(settings)) == 2
