"""The tidy form in which analysis functions return the values a page states.

One row per ledger key: ``key`` (written in full where it is computed, or from a pattern of
``data/results_dictionary.csv`` expanded by ``key``), ``value``, ``unit`` and, when the value compares with a
number the report prints, ``published_id`` with an ``explanation`` of a difference or the reason it matches
``by_construction``, ``substitute`` (a match on a substitute input) or, for a reproduction, its independent
``basis``. ``lib.ledger.ledger.record_frame`` is the one writer of these frames to the ledger.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["RECORD_COLUMNS", "row", "rows"]

RECORD_COLUMNS = ["key", "value", "unit", "published_id", "explanation", "by_construction", "substitute", "basis"]


def rows(*items: dict) -> pd.DataFrame:
    """Record rows from dicts with at least key, value, unit."""
    frame = pd.DataFrame(list(items), columns=RECORD_COLUMNS)
    text = RECORD_COLUMNS[2:]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "")
    return frame


def row(key: str, value, unit: str, published_id: str | None = None, explanation: str = "",
        by_construction: str = "", substitute: str = "", basis: str = "") -> dict:
    """One record row, with the arguments of ``ledger.record`` (for ``rows``)."""
    return {"key": key, "value": value, "unit": unit, "published_id": published_id or "", "explanation": explanation,
            "by_construction": by_construction, "substitute": substitute, "basis": basis}
