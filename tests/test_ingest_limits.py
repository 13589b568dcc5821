"""Bounded ingestion (issue 18): a file that would cost too much is refused from its sizes and counts,
before the work. Wall time and memory are measured in benchmarks/ingest_limits.py, not here."""

import struct
import zipfile
from pathlib import Path

import pytest
from conftest import BULLETIN, HashEmbedder
from documents import docx_bomb, docx_with_entries, markdown_to_docx, regulation_pdf

from rag.config import Settings
from rag.index import build_index, load_index
from rag.library import LibraryError, add_bulletin
from rag.load import LoadError, load_bytes, load_document
from rag.load.limits import Limits

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def small_docx(tmp_path_factory) -> Path:
    return markdown_to_docx(MINI.read_text(encoding="utf-8"), tmp_path_factory.mktemp("docx") / "bulletin-2024-01.docx")


def test_a_small_docx_within_the_limits_loads(small_docx):
    assert "贵州省低空经济发展若干措施" in load_document(small_docx).text


def test_a_zip_bomb_docx_is_refused_from_its_directory(small_docx, tmp_path):
    bomb = docx_bomb(tmp_path / "bomb.docx", 64, like=small_docx)  # 64 MB of XML in ~70 KB
    assert bomb.stat().st_size < MB
    with pytest.raises(LoadError, match=r"word/document\.xml inflates to 67,1\d\d,\d\d\d bytes.*zip bomb"):
        load_document(bomb)


def test_a_bomb_nested_in_an_embedded_zip_is_refused(small_docx, tmp_path):
    nested = docx_bomb(tmp_path / "nested.docx", 64, nested=1, like=small_docx)
    with pytest.raises(LoadError, match=r"oleObject1\.bin/payload\.bin inflates"):
        load_document(nested)
    deeper = docx_bomb(tmp_path / "deeper.docx", 1, nested=3, like=small_docx)
    with pytest.raises(LoadError, match="nested more than 2 deep"):
        load_document(deeper)


def test_too_many_entries_are_refused(small_docx, tmp_path):
    many = docx_with_entries(tmp_path / "many.docx", 2100, like=small_docx)
    with pytest.raises(LoadError, match="more than 2,000 entries"):
        load_document(many)
    assert load_document(many, Limits(zip_entries=3000)).text  # the cap is the caller's


def test_a_part_that_inflates_past_its_stated_size_is_refused(small_docx, tmp_path):
    """The directory can lie about a size; zipfile stops at the stated size, and the check fails."""
    data = bytearray(small_docx.read_bytes())
    with zipfile.ZipFile(small_docx) as z:
        info = z.getinfo("word/document.xml")
    # a central directory entry: its signature, the uncompressed size at +24, the name at +46
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == info.filename.encode():
            struct.pack_into("<I", data, at + 24, 100)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    with pytest.raises(LoadError, match="damaged"):
        load_bytes(bytes(data), "liar.docx")


def test_the_caps_scale_with_the_file_within_a_floor_and_a_ceiling():
    limits = Limits()
    assert limits.unzipped_cap(10_000) == 16 * MB  # a small file may still hold 16 MB of XML
    assert limits.unzipped_cap(1_000_000) == 50_000_000
    assert limits.unzipped_cap(20 * MB) == 200 * MB
    assert Limits.from_settings(Settings(max_unzipped_bytes=10 * MB)).unzipped_bytes == 10 * MB


def test_a_pdf_over_the_page_limit_is_refused_before_it_is_read(tmp_path):
    path = regulation_pdf(tmp_path / "long.pdf", 12)
    with pytest.raises(LoadError, match="12 pages; the limit is 10"):
        load_document(path, Limits(pdf_pages=10))


def test_a_pdf_over_the_text_limit_is_refused_at_the_page_that_passes_it(tmp_path):
    path = regulation_pdf(tmp_path / "long.pdf", 5)
    with pytest.raises(LoadError, match="more than 3,000 characters of text by page 3"):
        load_document(path, Limits(text_chars=3000))


def test_many_pages_and_one_enormous_page_are_read_in_full(tmp_path):
    many = load_document(regulation_pdf(tmp_path / "many.pdf", 60))
    assert len(many.pages) == 60 and many.text.count("\n第") > 300
    assert not any(line.strip().isdigit() for line in many.text.splitlines())  # page numbers gone
    huge = load_document(regulation_pdf(tmp_path / "huge.pdf", 1, page_size=(14400, 14400)))
    assert len(huge.pages) == 1 and len(huge.text) > 60_000
    clauses = [line for line in huge.text.split("\n\n") if line.startswith("第")]
    assert len(clauses) > 500 and all(c.endswith("评估。") for c in clauses[:-1])


def test_a_running_head_that_repeats_the_title_leaves_the_title(tmp_path):
    from rag.index import parse_file

    issue = parse_file(regulation_pdf(tmp_path / "regulation.pdf", 6, running_head=True))
    assert [a.title for a in issue.articles] == ["某省公共数据管理条例"]
    assert issue.articles[0].root.children[0].title == "第一条"
    assert "某省公共数据管理条例" not in "".join(b.text for _, s in issue.articles[0].root.walk() for b in s.blocks)


def test_a_text_file_over_the_text_limit_is_refused():
    with pytest.raises(LoadError, match="characters of text; the limit is 100"):
        load_bytes(MINI.read_bytes(), "bulletin.md", Limits(text_chars=100))


def test_adding_a_bomb_is_refused_and_changes_nothing(small_docx, tmp_path):
    settings = Settings(index_dir=tmp_path / "index", corpus=(BULLETIN,), library_dir=tmp_path / "library")
    embedder = HashEmbedder()
    base = build_index(settings, embedder)
    bomb = docx_bomb(tmp_path / "bulletin-2024-02.docx", 64, like=small_docx)
    with pytest.raises(LibraryError, match="zip bomb"):
        add_bulletin(settings, embedder, base, bomb)
    assert load_index(settings, embedder).manifest.generation == base.manifest.generation
    assert not settings.library_dir.exists() or not any(settings.library_dir.iterdir())
