"""Index persistence: round trip, atomic switch, damage and mismatch detection, no pickle."""

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from conftest import BULLETIN, HashEmbedder

from rag.config import Settings
from rag.index import build_index, load_index
from rag.store.manifest import IndexCorrupt, IndexMismatch, IndexMissing


@pytest.fixture
def settings(tmp_path):
    return Settings(index_dir=tmp_path / "index", corpus=(BULLETIN,))


@pytest.fixture
def built(settings, hash_embedder):
    return build_index(settings, hash_embedder)


def _gen(settings) -> Path:
    manifest = json.loads((settings.index_dir / "manifest.json").read_text())
    return settings.index_dir / manifest["generation"]


def test_round_trip(settings, built, hash_embedder):
    loaded = load_index(settings, hash_embedder)
    assert [c.id for c in loaded.chunks] == [c.id for c in built.chunks]
    assert loaded.dense.size == loaded.lexical.size == len(built.chunks)
    m = loaded.manifest
    assert m.model == {"name": "hash-embedder", "fingerprint": "hash-v1", "dim": 64}
    assert m.corpus[0]["issue_id"] == "2023-51" and m.corpus[0]["path"] == "data/bulletin-2023-51.md"
    assert len(m.corpus[0]["articles"]) == 9


def test_missing_index_says_what_to_run(settings):
    with pytest.raises(IndexMissing, match="python -m rag build"):
        load_index(settings)


@pytest.mark.parametrize("victim", ["dense.faiss", "chunks.jsonl", "bm25/vocab.json", "bm25/data.npy", "sentences.npy"])
def test_truncated_or_missing_files_are_detected(settings, built, victim):
    path = _gen(settings) / victim
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorrupt, match="checksum"):
        load_index(settings)
    path.unlink()
    with pytest.raises(IndexCorrupt, match="missing"):
        load_index(settings)


def test_garbled_manifest_is_detected(settings, built):
    (settings.index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorrupt):
        load_index(settings)


def test_index_from_another_model_is_refused(settings, built):
    with pytest.raises(IndexMismatch, match="hash-embedder"):
        load_index(settings, HashEmbedder(fingerprint="other-model"))


def test_index_from_another_format_is_refused(settings, built):
    path = settings.index_dir / "manifest.json"
    data = json.loads(path.read_text())
    data["format_version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(IndexMismatch, match="format 99"):
        load_index(settings)


def test_failed_build_leaves_the_previous_index_in_use(settings, built):
    before = (settings.index_dir / "manifest.json").read_text()
    with pytest.raises(RuntimeError, match="mid-build"):
        build_index(settings, HashEmbedder(fingerprint="new", fail_after=1))
    assert (settings.index_dir / "manifest.json").read_text() == before
    assert len(load_index(settings, HashEmbedder()).chunks) == len(built.chunks)


def test_rebuild_switches_generation_and_removes_the_old(settings, built, hash_embedder):
    old = _gen(settings)
    build_index(settings, hash_embedder)
    assert _gen(settings) != old and not old.exists()
    assert [p.name for p in settings.index_dir.iterdir() if p.is_dir() and p.name != "parsed"] == [_gen(settings).name]


def test_a_planted_pickle_is_never_executed(settings, built, tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    payload = pickle.dumps(Exploit())
    gen = _gen(settings)
    for name in ("index.pkl", "chunks.pkl", "docstore.pkl", "bm25/params.pkl"):
        (gen / name).write_bytes(payload)
    load_index(settings)
    assert not marker.exists()


def test_changed_source_file_is_detected(tmp_path, hash_embedder):
    copy = tmp_path / "bulletin.md"
    copy.write_text(BULLETIN.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", corpus=(copy,))
    build_index(settings, hash_embedder)
    copy.write_text(copy.read_text(encoding="utf-8").replace("第二十二条", "第二十三条"), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="out of date.*bulletin.md.*python -m rag build"):
        load_index(settings)
    assert load_index(settings, check_sources=False).chunks


def test_sentence_vectors_are_stored_in_split_order(settings, built, hash_embedder):
    from rag.sentences import split_sentences

    index = load_index(settings, hash_embedder)
    chunk = max(index.chunks, key=lambda c: len(split_sentences(c.text)))
    texts = [s.text for s in split_sentences(chunk.text)]
    assert len(texts) > 2
    np.testing.assert_allclose(index.sentence_vectors(chunk), hash_embedder.encode_documents(texts), atol=2e-3)


def test_an_index_from_before_sentence_vectors_still_loads(settings, built, hash_embedder):
    manifest = json.loads((settings.index_dir / "manifest.json").read_text())
    for name in ("sentences.npy", "sentence_offsets.npy"):
        (_gen(settings) / name).unlink()
        del manifest["files"][name]
    (settings.index_dir / "manifest.json").write_text(json.dumps(manifest))
    index = load_index(settings, hash_embedder)
    assert index.sentences is None and index.sentence_vectors(index.chunks[0]) is None


def test_unchanged_files_are_not_parsed_again_and_a_damaged_parse_cache_is_ignored(settings, built, monkeypatch):
    import rag.index

    def no_parsing(settings, jobs, control=None):
        if jobs:
            raise AssertionError("an unchanged file was parsed again")
        return []

    with monkeypatch.context() as m:
        m.setattr(rag.index, "read_in_worker", no_parsing)
        again = build_index(settings, HashEmbedder(), reuse=built)
    assert [c.id for c in again.chunks] == [c.id for c in built.chunks]
    cached = list((settings.index_dir / "parsed").glob("*.json"))
    assert len(cached) == 1
    cached[0].write_text('{"entry": ', encoding="utf-8")  # cut short
    fresh = build_index(settings, HashEmbedder())
    assert [c.id for c in fresh.chunks] == [c.id for c in built.chunks]
