"""Adding and removing bulletins: only new passages are embedded, errors change nothing."""

from pathlib import Path

import pytest
from conftest import BULLETIN, CountingEmbedder, HashEmbedder

from rag.filters import Filters
from rag.index import build_index, load_index
from rag.library import LibraryError, add_bulletin, bulletins, remove_bulletin, safe_name
from rag.retrieve import Retriever
from rag.sentences import split_sentences

MINI = Path(__file__).parent / "data" / "mini-bulletin.md"


@pytest.fixture
def embedder():
    return CountingEmbedder()


@pytest.fixture
def base(settings, embedder):
    index = build_index(settings, embedder)
    embedder.texts = 0
    return index


def _second_issue(tmp_path) -> Path:
    text = MINI.read_text(encoding="utf-8").replace("第1期", "第2期").replace("1月5日", "1月12日")
    text = text.replace("低空经济", "算力网络").replace("通用机场12个", "智算中心8个")
    path = tmp_path / "upload" / "bulletin-2024-02.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_add_embeds_only_the_new_bulletin_and_its_text_is_found(settings, embedder, base, tmp_path):
    index = add_bulletin(settings, embedder, base, MINI)
    new_chunks = [c for c in index.chunks if c.issue_id == "2024-1"]
    # Only the new bulletin's passages and sentences were embedded, each distinct text once.
    new_texts = {c.search_text for c in new_chunks} | {s.text for c in new_chunks for s in split_sentences(c.text)}
    assert new_chunks and 0 < embedder.texts <= len(new_texts)
    assert [b.issue_id for b in bulletins(index)] == ["2023-51", "2024-1"]
    assert (settings.library_dir / MINI.name).is_file()

    index = add_bulletin(settings, embedder, index, _second_issue(tmp_path))
    assert [b.issue_id for b in bulletins(index)] == ["2023-51", "2024-1", "2024-2"]
    reloaded = load_index(settings, embedder)
    assert reloaded.manifest.generation == index.manifest.generation
    hits = Retriever(reloaded, embedder, settings).search("通用机场 低空航线", 3)
    assert hits[0].chunk.issue_id == "2024-1"
    only = Retriever(reloaded, embedder, settings).search("通用机场 低空航线", 3, Filters(issues=("2024-2",)))
    assert only and all(p.chunk.issue_id == "2024-2" for p in only)


def test_remove_drops_the_bulletin_and_its_copy_but_never_a_bundled_file(settings, embedder, base):
    index = add_bulletin(settings, embedder, base, MINI)
    embedder.texts = 0
    index = remove_bulletin(settings, embedder, index, "2024-1")
    assert embedder.texts == 0  # nothing left to embed: every vector was reused
    assert [b.issue_id for b in bulletins(index)] == ["2023-51"]
    assert not (settings.library_dir / MINI.name).exists()
    assert all(c.issue_id == "2023-51" for c in load_index(settings, embedder).chunks)
    with pytest.raises(LibraryError, match="only bulletin"):
        remove_bulletin(settings, embedder, index, "2023-51")
    assert BULLETIN.is_file()
    with pytest.raises(LibraryError, match="no bulletin"):
        remove_bulletin(settings, embedder, index, "1999-9")


def _rejected(settings, embedder, base, path, match, name=None):
    before = base.manifest.generation
    with pytest.raises(LibraryError, match=match):
        add_bulletin(settings, embedder, base, path, name)
    assert load_index(settings, embedder).manifest.generation == before
    assert not any(settings.library_dir.glob("*")) if settings.library_dir.exists() else True


def test_the_same_bulletin_twice_is_refused(settings, embedder, base):
    index = add_bulletin(settings, embedder, base, MINI)
    with pytest.raises(LibraryError, match="already in the library"):
        add_bulletin(settings, embedder, index, MINI, "copy.md")


def test_bad_files_are_refused_and_the_index_is_untouched(settings, embedder, base, tmp_path):
    binary = tmp_path / "fake.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    _rejected(settings, embedder, base, binary, "binary")
    empty = tmp_path / "empty.md"
    empty.write_text("   \n", encoding="utf-8")
    _rejected(settings, embedder, base, empty, "empty")
    no_articles = tmp_path / "notes.txt"
    no_articles.write_text("会议纪要\n\n今天讨论了很多事情。\n", encoding="utf-8")
    _rejected(settings, embedder, base, no_articles, "no articles|bulletin")
    _rejected(settings, embedder, base, MINI, "unsupported", name="bulletin.xls")
    _rejected(settings, embedder, base, MINI, "not a PDF", name="bulletin.pdf")
    _rejected(settings, embedder, base, MINI, "not a DOCX", name="bulletin.docx")


@pytest.mark.parametrize("name", ["../evil.md", "/etc/passwd.md", "..\\x.md", ".hidden.md", "a/b.md", "x.exe", ""])
def test_file_names_that_could_leave_the_library_folder_are_refused(name):
    with pytest.raises(LibraryError):
        safe_name(name)


def test_a_build_that_fails_midway_keeps_the_old_index_and_drops_the_copy(settings, base):
    failing = CountingEmbedder(fail_after=0)
    with pytest.raises(RuntimeError):
        add_bulletin(settings, failing, base, MINI)
    assert load_index(settings, HashEmbedder()).manifest.generation == base.manifest.generation
    assert not (settings.library_dir / MINI.name).exists()


def test_metadata_given_at_add_survives_a_rebuild_and_goes_with_removal(settings, embedder, base, tmp_path):
    from rag.library import library_paths

    bare = tmp_path / "upload" / "notes.md"
    bare.parent.mkdir()
    bare.write_text(MINI.read_text(encoding="utf-8").replace("2024年1月5日 第1期 总第163期", ""), encoding="utf-8")
    index = add_bulletin(settings, embedder, base, bare, meta={"number": "9", "date": "2024-03-01"})
    assert "2024-9" in [b.issue_id for b in bulletins(index)]
    rebuilt = build_index(settings, embedder, library_paths(settings))  # from the files alone
    assert "2024-9" in [b.issue_id for b in bulletins(rebuilt)]
    remove_bulletin(settings, embedder, rebuilt, "2024-9")
    assert not any(settings.library_dir.iterdir())  # the file and what was given for it


def test_a_50_mb_file_is_refused_before_it_is_read(settings, embedder, base, tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing to write
    _rejected(settings, embedder, base, big, "the limit is 20,971,520")


def test_a_long_document_gets_passage_vectors_at_build_and_its_sentences_at_answer_time(settings, tmp_path):
    from dataclasses import replace

    from rag.answer.pipeline import Answerer

    # The bundled issue has ≈1,150 sentences: with a limit of 100 it stands for a 200-page regulation.
    short = replace(settings, index_dir=tmp_path / "short", sentence_vectors_per_issue=100)
    embedder = CountingEmbedder()
    index = build_index(short, embedder)
    assert embedder.texts == len({c.search_text for c in index.chunks})  # passages only
    assert index.sentences is not None and all(len(index.sentences.of(r)) == 0 for r in range(len(index.chunks)))
    before = embedder.texts
    answer = Answerer(Retriever(index, embedder, short), short).answer("云南的公共数据多久内要完成校核？")
    assert embedder.texts > before and answer.passages  # the sentences were embedded for this answer
    # With the default limit the same issue's sentences are embedded at build.
    full = CountingEmbedder()
    build_index(replace(settings, index_dir=tmp_path / "full"), full)
    assert full.texts > embedder.texts
