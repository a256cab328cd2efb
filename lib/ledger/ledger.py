"""Two ledgers: the report's published values and the book's recomputed values.

* ``published()`` reads ``data/published/report_values.csv`` (transcribed from the report).
* ``record(key, value, unit, published_id=...)`` is how a chapter states a computed number: it
  glues the value for the prose (``{glue:text}`key:.2f```) and glues a record that the book's
  Sphinx extension collects into ``_build/results/results.csv`` after every build.
* ``compare(results, published)`` puts the two side by side with a status for each pair.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from lib.inputs.published import LedgerError, chapter_of_section, published, published_value, rounding_tolerance

__all__ = ["RECORD_PREFIX", "PUBLISHED_PREFIX", "RESULT_COLUMNS", "EXTRA_COLUMNS", "DEFAULT_REL_TOL",
           "REPRODUCED", "BY_CONSTRUCTION", "EXPLAINED", "UNEXPLAINED", "QUOTED", "NOT_RECOMPUTED", "STATUSES",
           "glue_published", "record", "record_frame", "glue_values", "recorded", "compare", "status_summary",
           "LedgerError", "chapter_of_section", "published", "published_value", "rounding_tolerance"]

RECORD_PREFIX = "_ledger."
PUBLISHED_PREFIX = "published."
RESULT_COLUMNS = ["key", "value", "unit", "chapter", "published_id"]
EXTRA_COLUMNS = ["published_id", "rel_tol", "explanation", "by_construction", "substitute", "basis"]
DEFAULT_REL_TOL = 0.005
REPRODUCED, BY_CONSTRUCTION = "reproduced", "matches by construction"
SUBSTITUTE = "matches on a substitute"
EXPLAINED, UNEXPLAINED = "explained difference", "unexplained"
QUOTED, NOT_RECOMPUTED = "quoted, not recomputed", "not recomputed"
STATUSES = (REPRODUCED, BY_CONSTRUCTION, SUBSTITUTE, EXPLAINED, UNEXPLAINED, QUOTED, NOT_RECOMPUTED)

_registry: dict[str, dict] = {}


def _glue(name: str, value) -> None:
    from myst_nb import (
        glue,  # deferred: myst-nb imports Sphinx, which the ledger's unit tests do not need
    )

    glue(name, value, display=False)


def glue_published(prefix: str) -> pd.DataFrame:
    """Glue every published value under ``prefix`` as ``published.<id>`` for the prose."""
    table = published(prefix)
    if table.empty:
        raise LedgerError(f"no published id starts with '{prefix}'")
    for pid, value in table["value"].items():
        _glue(PUBLISHED_PREFIX + pid, float(value))
    return table


def record(key: str, value, unit: str, published_id: str | None = None,
           rel_tol: float = DEFAULT_REL_TOL, explanation: str = "", by_construction: str = "",
           substitute: str = "", basis: str = "") -> float:
    """State a computed value: glue it as ``key`` and register it for the results ledger.

    ``by_construction`` says why a match with the published value proves nothing (the value was
    calibrated to it, is an input or a choice, or follows from an identity); such a row's status is
    'matches by construction' rather than 'reproduced'. ``substitute`` says why a match is not a
    reproduction either: the value is computed on a substitute input (another index, another sample) and
    matches by coincidence or only on it; such a row's status is 'matches on a substitute'. ``basis`` names
    what the value is independently computed from: a row whose status is 'reproduced' must have one.
    """
    value = float(value)  # plain float: NumPy scalars break {glue:text} formats
    if not math.isfinite(value):
        raise LedgerError(f"{key}: value is {value}")
    if key != key.strip().lower() or " " in key:
        raise LedgerError(f"ledger keys are dotted lower case without spaces: '{key}'")
    if published_id is not None:
        published_value(published_id)  # fails early on a typo
    entry = {"key": key, "value": value, "unit": unit, "published_id": published_id or "",
             "rel_tol": float(rel_tol), "explanation": explanation, "by_construction": by_construction,
             "substitute": substitute, "basis": basis}
    _registry[key] = entry
    _glue(key, value)
    _glue(RECORD_PREFIX + key, entry)
    return value


def record_frame(frame: pd.DataFrame) -> None:
    """Record every row of a tidy results frame (``lib.analysis.results.rows``) with ``record``, in order.

    The one way analysis results reach the ledger: analysis functions return frames, the page records them.
    """
    for r in frame.itertuples(index=False):
        record(r.key, r.value, r.unit, published_id=r.published_id or None, explanation=r.explanation,
               by_construction=r.by_construction, substitute=r.substitute, basis=r.basis)


def glue_values(prefix: str, values: dict) -> None:
    """Glue each value as ``<prefix><name>`` (not a result: a setting or assumption the prose quotes)."""
    for name, value in values.items():
        _glue(prefix + name, value)


def recorded() -> pd.DataFrame:
    """What this kernel has recorded so far (for in-chapter comparison tables)."""
    return pd.DataFrame(list(_registry.values()), columns=RESULT_COLUMNS[:3] + EXTRA_COLUMNS)


def compare(results: pd.DataFrame, table: pd.DataFrame | None = None, keep_unmatched: bool = False,
            quoted: set[str] = frozenset()) -> pd.DataFrame:
    """Published vs recomputed, one row per published id that a result refers to.

    Within tolerance means |difference| is at most the larger of the published value's rounding and
    rel_tol of it. Status: 'reproduced' when within tolerance and the value was computed independently;
    'matches by construction' when within tolerance but the record says why the match is built in
    (``by_construction``); 'matches on a substitute' when within tolerance but computed on a substitute
    input (``substitute``); otherwise 'explained difference' when the record carries an explanation,
    else 'unexplained'. With ``keep_unmatched`` the published ids that nothing
    recomputes are kept, with status 'quoted, not recomputed' when a page shows them (ids in ``quoted``:
    facts the report cites, inputs it never published) and 'not recomputed' otherwise.

    A 'reproduced' row names its independent basis (``basis`` of the record, in the ``basis`` column):
    a reproduced row without one is an error naming its key.
    """
    table = published() if table is None else table
    res = results[results["published_id"].astype(str) != ""].copy()
    if "rel_tol" not in res:
        res["rel_tol"] = DEFAULT_REL_TOL
    for col in ("explanation", "by_construction", "substitute", "basis"):
        if col not in res:
            res[col] = ""
        res[col] = res[col].fillna("").astype(str)
    unknown = sorted(set(res["published_id"]) - set(table.index))
    if unknown:
        raise LedgerError(f"results refer to unknown published ids {unknown}")
    twice = res[res["published_id"].duplicated(keep=False)]
    if len(twice):
        pairs = twice.groupby("published_id")["key"].apply(list).to_dict()
        raise LedgerError(f"each published id is compared once; these are recorded by several keys: {pairs}")
    rows = []
    for _, r in res.iterrows():
        pub = table.loc[r["published_id"]]
        diff = float(r["value"]) - pub["value"]
        tol = max(rounding_tolerance(pub["value_text"]), float(r["rel_tol"]) * abs(pub["value"]))
        built_in, substitute = r["by_construction"].strip(), r["substitute"].strip()
        if abs(diff) <= tol:
            status = BY_CONSTRUCTION if built_in else SUBSTITUTE if substitute else REPRODUCED
        else:
            status = EXPLAINED if r["explanation"].strip() else UNEXPLAINED
        why = {BY_CONSTRUCTION: built_in, SUBSTITUTE: substitute}.get(status, r["explanation"])
        if status == REPRODUCED and not r["basis"].strip():
            raise LedgerError(f"{r['key']} reproduces {r['published_id']} but names no independent basis: "
                              "record(..., basis='what it is computed from'), or say why the match is "
                              "built in (by_construction) or on a substitute (substitute)")
        rows.append({
            "published_id": r["published_id"], "table_figure": pub["table_figure"], "row": pub["row"],
            "column": pub["column"], "unit": pub["unit"], "published": pub["value"],
            "published_text": pub["value_text"],
            "recomputed": float(r["value"]), "difference": diff,
            "relative_difference": diff / pub["value"] if pub["value"] else float("nan"),
            "tolerance": tol, "status": status, "explanation": why,
            "basis": r["basis"].strip() if status == REPRODUCED else "", "key": r["key"],
        })
    out = pd.DataFrame(rows)
    if keep_unmatched:
        done = set(out["published_id"]) if len(out) else set()
        rest = table[~table.index.isin(done)]
        extra = pd.DataFrame({
            "published_id": rest.index, "table_figure": rest["table_figure"].values, "row": rest["row"].values,
            "column": rest["column"].values, "unit": rest["unit"].values, "published": rest["value"].values,
            "published_text": rest["value_text"].values,
            "status": [QUOTED if pid in quoted else NOT_RECOMPUTED for pid in rest.index],
            "explanation": rest["note"].values, "basis": "", "key": "",
        })
        out = pd.concat([out, extra], ignore_index=True) if len(out) else extra
    if len(out):
        order = {pid: i for i, pid in enumerate(table.index)}
        out = out.sort_values("published_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return out


YEAR_PART = re.compile(r"^(19|20)\d\d$")


def quantity_of(published_id: str) -> str:
    """The quantity a published id measures, its years left out: 'T5-1.2019.share_gdp' -> 'T5-1.share_gdp',
    'T5-4.2017.moran_i' -> 'T5-4.moran_i', 'T5-3.levels.beta' unchanged. The table is its first part."""
    return ".".join(part for part in str(published_id).split(".") if not YEAR_PART.match(part))


def shared_explanations(comparison: pd.DataFrame) -> list[str]:
    """Explanations of *explained difference* rows that are shared across different tables or quantities.

    Every such row states its own cause with its own numbers; one text may be shared only by rows of the same
    table and quantity (the same statistic in different years). One message per shared text."""
    rows = comparison[comparison["status"] == EXPLAINED]
    problems = []
    for text, group in rows.groupby(rows["explanation"].map(lambda t: " ".join(str(t).split()))):
        quantities = sorted(set(group["published_id"].map(quantity_of)))
        if len(quantities) > 1:
            problems.append(f"one explanation is shared by {sorted(group['published_id'])} across the quantities "
                            f"{quantities}: {text[:80]}…")
    return problems


def status_summary(comparison: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts by report chapter and status (columns chapter, status, count), every status listed."""
    table = published() if table is None else table
    chapters = comparison["published_id"].map(table["section"]).map(chapter_of_section)
    counts = comparison.assign(chapter=chapters).groupby(["chapter", "status"]).size()
    rows = [{"chapter": ch, "status": st, "count": int(counts.get((ch, st), 0))}
            for ch in sorted(set(chapters), key=lambda c: (len(c), c)) for st in STATUSES]
    return pd.DataFrame(rows, columns=["chapter", "status", "count"])
