"""Where things are. Every path is resolved from this file, never from the working directory."""
import os
from pathlib import Path

__all__ = ["ROOT", "DATA", "CATALOGUE", "PUBLISHED", "BUILD", "DATA_ENV_VAR", "search_dirs"]

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CATALOGUE = DATA / "catalogue.yml"
PUBLISHED = DATA / "published" / "report_values.csv"
BUILD = ROOT / "_build"
DATA_ENV_VAR = "BOOK_DATA_DIR"


def search_dirs() -> list[Path]:
    """Folders searched for external inputs, in order."""
    dirs = []
    if os.environ.get(DATA_ENV_VAR):
        dirs.append(Path(os.environ[DATA_ENV_VAR]).expanduser().resolve())
    dirs.append(DATA / "external")
    dirs.append(ROOT.parent / "shared" / "data")
    return dirs
