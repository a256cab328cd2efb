"""The results dictionary, ``data/results_dictionary.csv``: one row per result key or key pattern recorded in the
ledger, with its unit, page, a description in English and Chinese and the published id it compares with.

A pattern names its variable parts with placeholders: ``<year>`` (and ``<base>``, ``<first>``, ``<last>``) is a four-digit year, ``<part>``, ``<track>``,
``<scenario>``, ``<weights>``, ... one of the values listed in ``_VALUE``, any other ``<name>`` one dotted segment
of lower-case letters, digits and ``_`` (``forecast.<track>.multiple.<scenario>``). Every key the
book records matches exactly one row, and every row is recorded (tests/test_results_dictionary.py); the
downloads page documents ``results.csv`` from this file in both editions. ``key(pattern, **values)`` writes a key
from its pattern, the one way to build a key from parts.
"""
from __future__ import annotations

import functools
import re

import pandas as pd

from lib.inputs import paths, tables

__all__ = ["FILE", "COLUMNS", "PLACEHOLDER", "DictionaryError", "read", "pattern_regex", "placeholders", "key",
           "rows_for", "problems"]

FILE = "results_dictionary.csv"
COLUMNS = ["key", "unit", "unit_zh", "chapter", "description_en", "description_zh", "published_id"]
PLACEHOLDER = re.compile(r"<([a-z_]+)>")
# placeholders with a closed set of values; any other placeholder is one segment
_VALUE = {"year": r"(?:19|20)\d{2}", "part": "direct|penetration", "component": "direct|penetration|total", "percentile": r"p\d\d", "bound": "min|max",
          "track": "replication|open_basis", "scenario": "baseline|optimistic|pessimistic",
          "sector": "primary|secondary|tertiary", "quadrant": "high_high|high_low|low_high|low_low",
          "weights": r"queen|rook|knn\d+|band", "level": "p05|fdr",
          "k": r"\d+", **dict.fromkeys(("base", "first", "last"), r"(?:19|20)\d{2}")}
_SEGMENT = r"[a-z0-9_]+"


class DictionaryError(ValueError):
    """A key that no row (or more than one row) of the results dictionary describes."""


def read() -> pd.DataFrame:
    """The dictionary, every cell text (empty for no unit, no published id)."""
    path = paths.DATA / FILE
    return _read(str(path), path.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> pd.DataFrame:
    frame = tables.read_authored(FILE, COLUMNS)
    return frame[COLUMNS].astype(object).where(frame[COLUMNS].notna(), "").astype(str)


def placeholders(pattern: str) -> list[str]:
    return PLACEHOLDER.findall(pattern)


@functools.lru_cache(maxsize=None)
def pattern_regex(pattern: str) -> re.Pattern:
    """The regular expression of a key pattern (``<year>`` a year, any other placeholder one segment)."""
    parts, last = [], 0
    for m in PLACEHOLDER.finditer(pattern):
        parts += [re.escape(pattern[last:m.start()]), f"(?:{_VALUE.get(m.group(1), _SEGMENT)})"]
        last = m.end()
    return re.compile("".join(parts + [re.escape(pattern[last:])]))


def key(pattern: str, **values) -> str:
    """``key("gdp.real_2015prices.<year>", year=2021)`` -> ``'gdp.real_2015prices.2021'``; every placeholder
    must be given, and the result must match the pattern."""
    names = placeholders(pattern)
    missing, extra = set(names) - set(values), set(values) - set(names)
    if missing or extra:
        raise DictionaryError(f"key pattern {pattern!r}: missing {sorted(missing)}, unknown {sorted(extra)}")
    out = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), pattern)
    if not pattern_regex(pattern).fullmatch(out):
        raise DictionaryError(f"key pattern {pattern!r}: {out!r} does not match it")
    return out


def rows_for(keys, dictionary: pd.DataFrame | None = None) -> pd.Series:
    """For each key, the dictionary row (index) that describes it; raises naming every key with none or several."""
    dictionary = read() if dictionary is None else dictionary
    regexes = [(i, pattern_regex(p)) for i, p in dictionary["key"].items()]
    found, problems = {}, []
    for k in keys:
        hits = [i for i, rx in regexes if rx.fullmatch(k)]
        if len(hits) == 1:
            found[k] = hits[0]
        else:
            problems.append(f"{k}: {'no row' if not hits else 'rows ' + ', '.join(dictionary.loc[hits, 'key'])}")
    if problems:
        raise DictionaryError(f"{paths.DATA / FILE}: every result key needs exactly one row:\n  " + "\n  ".join(problems))
    return pd.Series(found, dtype="int64")


def problems(results: pd.DataFrame, dictionary: pd.DataFrame | None = None) -> list[str]:
    """What is wrong between a results ledger (columns key, unit, chapter, published_id) and the dictionary: a key
    with no row or several, a row nothing records, a unit, page or published id the row does not state."""
    dictionary = read() if dictionary is None else dictionary
    try:
        rows = rows_for(results["key"], dictionary)
    except DictionaryError as err:
        return str(err).splitlines()[1:]
    found = [f"{p}: no result is recorded under this row" for i, p in dictionary["key"].items() if i not in set(rows)]
    for r in results.itertuples(index=False):
        row = dictionary.loc[rows[r.key]]
        if r.unit != row["unit"]:
            found.append(f"{r.key}: unit {r.unit!r}, the dictionary says {row['unit']!r}")
        if r.chapter not in row["chapter"].split(";"):
            found.append(f"{r.key}: recorded by {r.chapter}, the dictionary says {row['chapter']}")
        allowed = [pattern_regex(p) for p in row["published_id"].split(";") if p]
        if r.published_id and not any(rx.fullmatch(r.published_id) for rx in allowed):
            found.append(f"{r.key}: compared with {r.published_id}, the dictionary says {row['published_id'] or 'none'}")
    return found
