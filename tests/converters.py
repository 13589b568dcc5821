"""Real converters, as users make their PDFs: Debian's chromium printing an HTML page, and
LibreOffice converting a DOCX. A test that needs one is skipped when it is missing, or fails
under CI (RAG_REQUIRE_BROWSER=1, RAG_REQUIRE_OFFICE=1), where `make test` installs both."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_chromium() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install -y chromium)"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if "CJK" not in fonts:
        return "no CJK font: Chinese would print as empty boxes (apt-get install -y fonts-noto-cjk)"
    return None


def missing_office() -> str | None:
    if not shutil.which("soffice"):
        return "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)"
    return None


def require(why: str | None, variable: str) -> None:
    """Skip the test for a missing tool, or fail it where CI promised the tool (``variable`` set)."""
    if why:
        if os.environ.get(variable):
            pytest.fail(why)
        pytest.skip(why)


def chromium_pdf(html: str, path: Path, *, header_footer: bool = True) -> Path:
    """``html`` printed to ``path`` by headless chromium; by default with the date, title, address
    and page numbers the browser prints on every page."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        args = [CHROMIUM, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}"]
        if not header_footer:
            args.append("--no-pdf-header-footer")
        subprocess.run([*args, page.as_uri()], capture_output=True, timeout=180, check=True)
    if not path.is_file():
        raise RuntimeError(f"chromium wrote no {path}")
    return path


def office_pdf(docx: Path, out_dir: Path) -> Path:
    """``docx`` converted to PDF by LibreOffice, in ``out_dir`` (its own profile, so runs do not collide)."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(tmp).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
    path = out_dir / (Path(docx).stem + ".pdf")
    if not path.is_file():
        raise RuntimeError(f"LibreOffice wrote no {path}")
    return path
