"""Small readers for the tables we author in ``data/`` (CSV with leading ``#`` comment lines)."""
from __future__ import annotations

import pandas as pd

from lib import paths


class AuthoredDataError(ValueError):
    pass


def read_authored(relative: str, required: list[str]) -> pd.DataFrame:
    """Read ``data/<relative>``; fail naming the file and the missing columns."""
    path = paths.DATA / relative
    frame = pd.read_csv(path, comment="#", encoding="utf-8")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise AuthoredDataError(f"{path}: missing column(s) {missing}")
    return frame


def recommendations() -> pd.DataFrame:
    return read_authored("recommendations.csv", ["actor", "number", "title_zh", "title_en", "page"])
