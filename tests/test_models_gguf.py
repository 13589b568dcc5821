import hashlib

import pytest

from rag.models import gguf


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    parts = []
    for n, payload in enumerate([b"GGUF", b"-part-two-", b"end"], 1):
        p = tmp_path / "site" / f"part{n:02d}.bin"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(payload)
        parts.append(p)
    monkeypatch.setattr(gguf, "part_files", lambda: parts)
    monkeypatch.setattr(gguf, "SHA256", hashlib.sha256(b"GGUF-part-two-end").hexdigest())
    return parts


def test_parts_are_joined_in_order_and_checked(tmp_path, fake_parts):
    out = gguf.ensure_gguf(tmp_path / "cache")
    assert out.read_bytes() == b"GGUF-part-two-end"
    # Second use trusts the verified stamp and does not rejoin.
    fake_parts[0].write_bytes(b"XXXX")
    assert gguf.ensure_gguf(tmp_path / "cache").read_bytes() == b"GGUF-part-two-end"


def test_a_damaged_file_is_replaced_not_used(tmp_path, fake_parts):
    out = gguf.ensure_gguf(tmp_path / "cache")
    out.write_bytes(b"GGUF-part-two-enX")  # same size, new mtime: the stamp no longer matches
    assert gguf.ensure_gguf(tmp_path / "cache").read_bytes() == b"GGUF-part-two-end"


def test_parts_with_the_wrong_hash_are_refused_and_leave_nothing(tmp_path, fake_parts):
    fake_parts[1].write_bytes(b"-tampered-")
    with pytest.raises(gguf.ModelUnavailable, match="SHA-256"):
        gguf.ensure_gguf(tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_part_says_how_to_install(monkeypatch):
    monkeypatch.setattr(gguf.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(gguf.ModelUnavailable, match="make llm"):
        gguf.part_files()
