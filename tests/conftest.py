import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
BULLETIN = ROOT / "data" / "bulletin-2023-51.md"


@pytest.fixture(scope="session")
def bulletin_text() -> str:
    return BULLETIN.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def issue(bulletin_text):
    from rag.parse.issue import parse_issue

    return parse_issue(bulletin_text, source_path="data/bulletin-2023-51.md")


@pytest.fixture(scope="session")
def chunks(issue):
    from rag.chunk import Chunker

    return Chunker().chunk_issue(issue)


class HashEmbedder:
    """A deterministic stand-in for index plumbing tests: character-bigram hashing."""

    name = "hash-embedder"
    dim = 64

    def __init__(self, fingerprint: str = "hash-v1", fail_after: int | None = None) -> None:
        self.fingerprint = fingerprint
        self.fail_after = fail_after
        self.calls = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:], strict=False):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_documents(self, texts):
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("embedding failed mid-build")
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    encode_queries = encode_documents


class CountingEmbedder(HashEmbedder):
    """Counts the texts it embeds: what a library change had to embed anew."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.texts = 0

    def encode_documents(self, texts):
        self.texts += len(texts)
        return super().encode_documents(texts)


@pytest.fixture
def hash_embedder():
    return HashEmbedder()


@pytest.fixture
def settings(tmp_path):
    """A library of the bundled bulletin in this test's own folder: its index and the added files."""
    from rag.config import Settings

    return Settings(index_dir=tmp_path / "index", corpus=(BULLETIN,), library_dir=tmp_path / "library")


def hash_settings(root: Path, *corpus: Path):
    """Settings of a library of ``corpus`` in ``root`` for the hash embedder, whose cosines are not e5's: the
    relevance thresholds (e5's calibration) are off, so what is tested is the rule, not the threshold."""
    from rag.config import Settings

    return Settings(
        index_dir=root / "index",
        corpus=corpus,
        library_dir=root / "library",
        refusal_threshold_zh=0.0,
        refusal_threshold_en=0.0,
    )


@pytest.fixture
def base(settings):
    """That library indexed with the hash embedder."""
    from rag.index import build_index

    return build_index(settings, HashEmbedder())


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory):
    """The bundled e5 converted once for the test session, in a private cache."""
    from rag.models.e5_convert import ensure_converted

    return ensure_converted(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def embedder(model_folder):
    """The embedder every entry point loads (ONNX Runtime over the converted folder)."""
    from rag.config import Settings
    from rag.models.embedder import load_embedder

    return load_embedder(Settings(embedding_model=model_folder))


@pytest.fixture(scope="session")
def st_embedder(model_folder):
    """The same folder through sentence-transformers and PyTorch: the reference the ONNX path must match."""
    from rag.models.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model_folder)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory, embedder):
    from rag.config import Settings
    from rag.index import build_index

    settings = Settings(index_dir=tmp_path_factory.mktemp("index"), corpus=(BULLETIN,))
    return settings, build_index(settings, embedder)


@pytest.fixture(scope="session")
def retriever(real_index, embedder):
    from rag.retrieve import Retriever

    settings, index = real_index
    return Retriever(index, embedder, settings)


@pytest.fixture(scope="session")
def answerer(retriever):
    from rag.answer.pipeline import Answerer

    return Answerer(retriever, retriever.settings)


def make_passage(text: str, *, article: str = "a", section: str = "s", kind: str = "section", rank: int = 1):
    """A passage over a made-up chunk whose span covers its text, for tests that need no index."""
    from rag.types import Chunk, Passage

    chunk = Chunk(
        id=f"c{rank}",
        text=text,
        header="",
        issue_id="i",
        issue_label="l",
        issue_date="",
        article=article,
        column="",
        source="",
        section=section,
        source_path="p",
        spans=[(0, len(text))],
        kind=kind,
    )
    return Passage(chunk, 1.0 / rank, rank)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(real_index, embedder, tmp_path_factory):
    """The Gradio app on a free loopback port, over its own copy of the test index: (url, service)."""
    import shutil

    from app import build_app, launch
    from rag.service import Service

    settings, _ = real_index
    root = tmp_path_factory.mktemp("app")
    shutil.copytree(settings.index_dir, root / "index")
    app_settings = settings.with_(index_dir=root / "index", library_dir=root / "library")
    service = Service(app_settings, embedder)
    service.start()
    demo = build_app(service, root)
    port = free_port()
    launch(demo, app_settings, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/", service
    demo.close()


ADMIN = ("staff", "test-only-pass")


@pytest.fixture(scope="session")
def admin_server(app_server, tmp_path_factory):
    """The same service as app_server behind a login (RAG_APP_AUTH), where the library can be changed:
    (url, service). Log in with ADMIN."""
    from app import build_app, launch

    url, service = app_server
    settings = service.settings.with_(app_auth=":".join(ADMIN), login_delay_s=0.05)
    demo = build_app(service, tmp_path_factory.mktemp("admin"), manage=True)
    port = free_port()
    launch(demo, settings, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/", service
    demo.close()


@pytest.fixture(scope="session")
def bulletin_pdf(tmp_path_factory, bulletin_text) -> Path:
    """The bundled bulletin as a PDF: headings in a larger font, wrapped lines, running heads, page numbers."""
    from documents import markdown_to_pdf

    return markdown_to_pdf(bulletin_text, tmp_path_factory.mktemp("pdf") / "bulletin-2023-51.pdf")


@pytest.fixture(scope="session")
def bulletin_docx(tmp_path_factory, bulletin_text) -> Path:
    from documents import markdown_to_docx

    return markdown_to_docx(bulletin_text, tmp_path_factory.mktemp("docx") / "bulletin-2023-51.docx")


@pytest.fixture(scope="session")
def chromium_bulletin_pdf(tmp_path_factory, bulletin_text) -> Path:
    """The bundled bulletin as a web page, printed to PDF by headless chromium (its own running
    head and footer on every page)."""
    from converters import chromium_pdf, missing_chromium, require
    from documents import markdown_to_html

    require(missing_chromium(), "RAG_REQUIRE_BROWSER")
    return chromium_pdf(markdown_to_html(bulletin_text), tmp_path_factory.mktemp("chromium") / "bulletin-2023-51.pdf")


@pytest.fixture(scope="session")
def office_bulletin_pdf(tmp_path_factory, bulletin_docx) -> Path:
    """The bundled bulletin's DOCX converted to PDF by LibreOffice."""
    from converters import missing_office, office_pdf, require

    require(missing_office(), "RAG_REQUIRE_OFFICE")
    return office_pdf(bulletin_docx, tmp_path_factory.mktemp("office"))
