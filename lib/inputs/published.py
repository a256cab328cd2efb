"""The report's published values: ``data/published/report_values.csv`` (transcribed from the report), read and
checked once per version of the file. The ledger (``lib.ledger.ledger``) compares the book's results with them;
analysis modules read them to state differences."""
from __future__ import annotations

import functools
from decimal import Decimal

import pandas as pd

from lib.inputs import paths

__all__ = ["PUBLISHED_COLUMNS", "LedgerError", "published", "published_value", "rounding_tolerance",
           "chapter_of_section"]

PUBLISHED_COLUMNS = ["id", "table_figure", "row", "column", "value", "unit", "section", "page", "note"]


class LedgerError(ValueError):
    """The published ledger or a recorded value is malformed."""


@functools.lru_cache(maxsize=None)
def _published_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in PUBLISHED_COLUMNS if c not in frame.columns]
    if missing:
        raise LedgerError(f"{path}: missing column(s) {missing}")
    dupes = frame["id"][frame["id"].duplicated()].tolist()
    if dupes:
        raise LedgerError(f"{path}: duplicate id(s) {dupes}")
    bad = frame.loc[pd.to_numeric(frame["value"], errors="coerce").isna(), "id"].tolist()
    if bad:
        raise LedgerError(f"{path}: non-numeric value for {bad}")
    frame["value_text"] = frame["value"]
    frame["value"] = frame["value"].astype(float)
    return frame.set_index("id", drop=False)


def published(prefix: str | None = None) -> pd.DataFrame:
    """The published-values ledger, optionally only ids starting with ``prefix``."""
    frame = _published_cached(str(paths.PUBLISHED), paths.PUBLISHED.stat().st_mtime_ns).copy()
    if prefix:
        frame = frame[frame["id"].str.startswith(prefix)]
    return frame


def published_value(pid: str) -> float:
    table = published()
    if pid not in table.index:
        raise LedgerError(f"'{pid}' is not in {paths.PUBLISHED}")
    return float(table.at[pid, "value"])


def rounding_tolerance(value_text: str) -> float:
    """Half a unit in the last printed digit: '2.25' -> 0.005, '262' -> 0.5."""
    exponent = Decimal(value_text.strip()).as_tuple().exponent
    return 0.5 * 10.0 ** exponent


def chapter_of_section(section: str) -> str:
    """'5(一)1' -> '5': the report chapter a published value belongs to."""
    digits = ""
    for ch in str(section):
        if not ch.isdigit():
            break
        digits += ch
    return digits
