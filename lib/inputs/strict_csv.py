"""Strict parsing of the authored CSV files, before any schema or cross-file rule runs.

Frictionless (like pandas) reads a CSV leniently: an unbalanced double quote swallows every later row into
one cell, and the damage then shows up as messages about *other* files (a missing key, a foreign key) or as
a bare ``KeyError`` in a chapter. So every authored table is first read here with Python's ``csv`` module in
strict mode, and the first fault of each file is reported with its own line:

* a quoted cell that runs past the end of its line (no authored file has a line break inside a cell, so this
  is an unbalanced double quote), or a quote followed by more text (``"a"b``);
* a row with more or fewer cells than the header;
* a header without any data row;
* ``NaN`` / ``INF`` / ``Infinity`` in a column whose type is a number (Table Schema accepts them; no
  authored quantity may be one).

The encoding (UTF-8, no byte-order mark, not empty) is checked before this, in ``lib/inputs/schemas.py``. A file
with a fault here is left out of every later check, so the messages that follow are about files that parsed.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

__all__ = ["NOT_FINITE", "NUMERIC", "parse_problem"]

NOT_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.I)
NUMERIC = ("number", "integer")


def parse_problem(path: Path, name: str, dialect: dict | None, schema: dict | None):
    """The first fault of one authored CSV as ``(line, column, value, rule)``, or None when it parses."""
    dialect = dialect or {}
    comment = dialect.get("commentChar")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # (line number, line) of the lines csv reads: comment lines are skipped as Frictionless skips them
    fed = [(n, line) for n, line in enumerate(lines, start=1) if not (comment and line.startswith(comment))]
    position = {"next": 0}

    def feed():
        for index, (_, line) in enumerate(fed):
            position["next"] = index + 1
            yield line

    reader = csv.reader(feed(), delimiter=dialect.get("delimiter", ","), quotechar=dialect.get("quoteChar", '"'),
                        strict=True)
    header, header_line, data_rows, uneven, first_nan = None, None, 0, [], None
    numeric = {f["name"] for f in (schema or {}).get("fields", []) if f.get("type") in NUMERIC}
    while True:
        start = position["next"]
        start_line = fed[start][0] if start < len(fed) else len(lines) + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            return (start_line, None, fed[start][1].rstrip("\n") if start < len(fed) else None,
                    f"cannot be parsed as CSV ({err}): an unbalanced or misplaced double quote?")
        if position["next"] - start > 1:
            return (start_line, None, fed[start][1].rstrip("\n"),
                    "a quoted cell runs on to the next line: an unbalanced double quote (a quote that opens a cell "
                    "must close it before the end of the line; write a quote inside a cell as \"\")")
        if not row:
            continue   # a blank line: Frictionless reports it as a blank row
        if header is None:
            header, header_line = row, start_line
            continue
        data_rows += 1
        if len(row) != len(header):
            uneven.append((start_line, len(row)))
        for label, cell in zip(header, row):
            if label in numeric and NOT_FINITE.fullmatch(cell.strip()) and first_nan is None:
                first_nan = (start_line, label, cell, "not a finite number (NaN and infinity are not allowed)")
    if header is None:
        return None   # an empty file is reported by the encoding check
    if data_rows == 0:
        return (header_line, None, None, "a header but no data row (a header row and at least one data row are required)")
    if uneven and not (len(uneven) == data_rows and len({n for _, n in uneven}) == 1):
        line, count = uneven[0]   # (every row one count, the header another: a header fault, the schema check says which)
        return (line, None, None, f"{count} cells, but the header (row {header_line}) has {len(header)} columns"
                + (" (an unquoted comma?)" if count > len(header) else " (a missing cell?)"))
    return first_nan
