import contextlib
import os
import shutil
import subprocess
import sys
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

    def env(self, **extra):
        env = dict(os.environ, PYTHONPATH=str(self.root), BOOK_DATA_DIR=str(self.data_dir))
        env.update(extra)
        return env

    def build(self, **extra_env) -> subprocess.CompletedProcess:
        return subprocess.run([str(JUPYTER_BOOK), "build", str(self.root), "-W", "-n", "--keep-going"],
                              capture_output=True, text=True, env=self.env(**extra_env), timeout=3600)

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.root / "_build" / "results" / "results.csv"


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> BookCopy:
    root = tmp_path_factory.mktemp("book") / "main"
    shutil.copytree(paths.ROOT, root, ignore=COPY_IGNORE)
    return BookCopy(root, shared_data_dir())


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
