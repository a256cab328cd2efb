from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lib import paths

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", "external")


def shared_data_dir() -> Path:
    """Where the external inputs are (the loader's own search order, minus data/external)."""
    for folder in paths.search_dirs():
        if (folder / "national").is_dir():
            return folder
    pytest.fail("external data not found: put ../shared beside the checkout or set BOOK_DATA_DIR")


class BookCopy:
    """A copy of the repository in a temporary folder, built with its own lib and _build."""

    def __init__(self, root: Path, data_dir: Path):
        self.root, self.data_dir = root, data_dir
        self.clean_build: subprocess.CompletedProcess | None = None   # the session's first, clean build
        self._pdf = None

    def env(self, **extra):
        env = dict(os.environ, PYTHONPATH=str(self.root), BOOK_DATA_DIR=str(self.data_dir))
        env.update(extra)
        return env

    def command(self, *options) -> list[str]:
        return [str(JUPYTER_BOOK), "build", str(self.root), *options, "-W", "-n", "--keep-going"]

    def build(self, **extra_env) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(), capture_output=True, text=True, env=self.env(**extra_env), timeout=3600)

    def start(self, *options) -> "Background":
        return Background(self.command(*options), self.env(), self.root.parent / f"log-{len(options)}")

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.root / "_build" / "results" / "results.csv"

    def start_pdf(self) -> None:
        """Build the PDF from the warm cache, in a snapshot of this copy taken now, while other tests go on."""
        if self._pdf is None and all(shutil.which(t) for t in PDF_TOOLS):
            snapshot = self.root.parent / "pdf" / "main"
            shutil.copytree(self.root, snapshot, symlinks=True)
            self._pdf = BookCopy(snapshot, self.data_dir).start("--builder", "pdflatex")
            self._pdf.book = BookCopy(snapshot, self.data_dir)

    def pdf(self) -> tuple[subprocess.CompletedProcess, Path]:
        """The result of the PDF build and the PDF's path (started now if it was not already)."""
        self.start_pdf()
        return self._pdf.wait(), self._pdf.book.root / "_build" / "latex" / "book.pdf"


class Background:
    """A command running while the tests go on; ``wait()`` gives its CompletedProcess."""

    def __init__(self, cmd, env, log_stem: Path):
        self.cmd, self.result = cmd, None
        self.out, self.err = open(f"{log_stem}.out", "w+"), open(f"{log_stem}.err", "w+")
        self.process = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, text=True, env=env)

    def wait(self) -> subprocess.CompletedProcess:
        if self.result is None:
            code = self.process.wait(timeout=3600)
            self.out.seek(0), self.err.seek(0)
            self.result = subprocess.CompletedProcess(self.cmd, code, self.out.read(), self.err.read())
            self.out.close(), self.err.close()
        return self.result


PDF_TOOLS = ("xelatex", "latexmk", "pdftotext", "pdffonts")
_session = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Tests that need the built book run last, in their files' order; the others run first, while the
    book's clean build (started as soon as collection ends) runs beside them on the other core."""
    build = [item for item in items if item.get_closest_marker("build")]
    items[:] = [item for item in items if not item.get_closest_marker("build")] + build
    _session["build_tests"] = bool(build)
    _session["pdf_tests"] = any(item.path.name == "test_pdf.py" for item in build)


def pytest_collection_finish(session):
    if _session.get("build_tests") and not session.config.option.collectonly:
        root = Path(tempfile.mkdtemp(prefix="book-")) / "main"
        shutil.copytree(paths.ROOT, root, ignore=COPY_IGNORE)
        book = _session["book"] = BookCopy(root, shared_data_dir())
        _session["clean_build"] = book.start()


def pytest_sessionfinish(session):
    book = _session.get("book")
    if book is not None:
        for job in (_session.get("clean_build"), book._pdf):
            if job is not None and job.process.poll() is None:
                job.process.kill()
        if not os.environ.get("BOOK_KEEP_TEST_COPY"):
            shutil.rmtree(book.root.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def book() -> BookCopy:
    """The copy of the repository, once its clean build (started beside the other tests) has finished;
    the result is in ``book.clean_build``. The PDF build of that state starts then too, in a snapshot."""
    if "book" not in _session:   # collected without build tests (e.g. -m 'not build' -k ...): build now
        root = Path(tempfile.mkdtemp(prefix="book-")) / "main"
        shutil.copytree(paths.ROOT, root, ignore=COPY_IGNORE)
        _session["book"] = BookCopy(root, shared_data_dir())
        _session["clean_build"] = _session["book"].start()
    book = _session["book"]
    if book.clean_build is None:
        book.clean_build = _session["clean_build"].wait()
        if book.clean_build.returncode == 0 and _session.get("pdf_tests"):
            book.start_pdf()
    return book


def executed(log: str) -> list[str]:
    """Pages myst-nb executed (rather than took from the cache) in a build log."""
    return sorted(line.split(": Executing notebook")[0].rsplit("/", 1)[-1]
                  for line in log.splitlines() if ": Executing notebook" in line)


def code_cell(source: str) -> str:
    return f"\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n{source}\n```\n"


@contextlib.contextmanager
def appended(path: Path, text: str):
    """Append ``text`` to a file for the duration of a block, then restore it (independent of its content)."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original + text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")
