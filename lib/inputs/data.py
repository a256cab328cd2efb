"""The data catalogue and the loader of external inputs.

Every external file is listed in ``data/catalogue.yml`` with its sha256 and the columns the
book relies on. ``load(name)`` finds the file, checks it and returns a fresh DataFrame.
Nothing here ever writes to an input folder.
"""
from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

import pandas as pd
import yaml

from lib.inputs import paths

__all__ = ["BILINGUAL", "DataError", "catalogue", "catalogue_table", "locate", "sha256", "load", "verify_all", "fingerprint"]


class DataError(RuntimeError):
    """An input is missing or not what the catalogue says it is."""


_TYPES = {"int": "integer", "float": "numeric", "str": "text"}
BILINGUAL = ("description", "origin", "units", "licence", "substitutes")   # each with its Chinese form, '<key>_zh'



def catalogue() -> dict:
    """The catalogue (``paths.CATALOGUE``) as a dict of entries keyed by logical name."""
    path = Path(paths.CATALOGUE)
    return _read_catalogue(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _read_catalogue(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # libyaml: ten times faster
    entries = {}
    for entry in doc["inputs"]:
        missing = {"name", "path", "sha256", "origin", "licence", "redistributable", "columns"} - set(entry)
        if missing:
            raise DataError(f"{path}: entry {entry.get('name', '?')} lacks {sorted(missing)}")
        # what the Chinese edition's provenance table shows: every English text has its Chinese form
        for key in BILINGUAL:
            if bool(str(entry.get(key) or "").strip()) != bool(str(entry.get(f"{key}_zh") or "").strip()):
                raise DataError(f"{path}: entry {entry['name']}: '{key}' and '{key}_zh' must both be given or both "
                                f"be empty (the Chinese edition shows '{key}_zh')")
        entries[entry["name"]] = dict(entry, how_to_obtain=doc.get("how_to_obtain", ""))
    return entries


def catalogue_table(lang: str = "en") -> pd.DataFrame:
    """One row per input: what the data availability statement shows (``lang="zh"``: the Chinese texts)."""
    def text(e, k):
        return e.get(f"{k}_zh", "") if lang == "zh" and k in BILINGUAL else e.get(k, "")
    rows = [
        {k: text(e, k) for k in ("name", "path", "description", "origin", "licence",
                                  "redistributable", "units", "substitutes", "sha256")}
        for e in catalogue().values()
    ]
    return pd.DataFrame(rows)


def _problem(entry: dict, what: str, missing: bool = True) -> DataError:
    """A missing input: where it was looked for and how to obtain it. An input present but altered (``missing``
    False): its origin and what to do, since cloning the folder again is no answer for a file that is there."""
    where = ", ".join(str(d / entry["path"]) for d in paths.search_dirs())
    if missing:
        advice = f"  looked in: {where}\n  how to obtain: {entry['how_to_obtain']}"
    else:
        advice = ("  the file is there but is not the one this book was checked against: restore it from its origin "
                  "(../shared is read-only for the build); if the change was intended (a new release of the data), "
                  f"record the new sha256 of {entry['path']} in data/catalogue.yml and rebuild")
    error = DataError(f"input '{entry['name']}' ({entry['path']}): {what}\n"
                      f"  origin: {entry['origin']} (licence: {entry['licence']})\n{advice}")
    error.entry, error.what, error.missing = entry, what, missing
    return error


def locate(name: str) -> Path:
    """The first existing copy of input ``name`` in the search folders."""
    entry = _entry(name)
    for folder in paths.search_dirs():
        candidate = folder / entry["path"]
        if candidate.is_file():
            return candidate
    raise _problem(entry, "file not found")


def _entry(name: str) -> dict:
    try:
        return catalogue()[name]
    except KeyError:
        raise DataError(f"'{name}' is not in the catalogue {paths.CATALOGUE}") from None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_columns(entry: dict, frame: pd.DataFrame) -> None:
    for column, kind in entry["columns"].items():
        if column not in frame.columns:
            raise _problem(entry, f"missing column '{column}'", missing=False)
        series = frame[column]
        ok = {
            "int": pd.api.types.is_integer_dtype,
            "float": pd.api.types.is_numeric_dtype,
            "str": lambda s: pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s),
        }[kind](series)
        if not ok:
            raise _problem(entry, f"column '{column}' should be {_TYPES[kind]} but is {series.dtype}", missing=False)


@functools.lru_cache(maxsize=None)
def _load_checked(name: str, path: Path, mtime_ns: int, catalogue_path: str) -> pd.DataFrame:
    entry = _entry(name)
    actual = sha256(path)
    if actual != entry["sha256"]:
        raise _problem(entry, f"checksum mismatch at {path}: expected sha256 {entry['sha256']}, found {actual}",
                       missing=False)
    dtypes = {c: str for c, kind in entry["columns"].items() if kind == "str"}
    try:
        frame = pd.read_csv(path, dtype=dtypes, encoding="utf-8")
    except (ValueError, UnicodeDecodeError) as err:
        raise _problem(entry, f"cannot be read as UTF-8 CSV: {err}", missing=False) from None
    _check_columns(entry, frame)
    return frame


def load(name: str) -> pd.DataFrame:
    """Verified copy of input ``name`` (a new DataFrame each call, so callers may modify it)."""
    path = locate(name)
    return _load_checked(name, path, path.stat().st_mtime_ns, str(paths.CATALOGUE)).copy()


def verify_all() -> list[str]:
    """Check every catalogued input; raise one DataError listing every problem."""
    problems, checked = [], []
    for name in catalogue():
        try:
            load(name)
            checked.append(name)
        except DataError as err:
            problems.append(err)
    if problems:
        raise DataError(summarise(problems))
    return checked


def summarise(problems: list) -> str:
    """One line per input; where the inputs were looked for and how to obtain them, once for all missing ones."""
    missing = [p for p in problems if getattr(p, "missing", False)]
    others = [p for p in problems if not getattr(p, "missing", False)]
    lines = [f"{len(problems)} input(s) failed verification:"]
    if missing:
        lines += [f"  input '{p.entry['name']}' ({p.entry['path']}): {p.what}" for p in missing]
        folders = ", ".join(str(d) for d in paths.search_dirs())
        lines.append(f"  looked in (in this order): {folders}")
        for how in dict.fromkeys(p.entry["how_to_obtain"] for p in missing):
            lines.append(f"  how to obtain: {how}")
    lines += [str(p) for p in others]
    return "\n".join(lines)


def fingerprint() -> str:
    """A digest of every input's recorded checksum (inputs are verified against them)."""
    return hashlib.sha256("".join(sorted(e["sha256"] for e in catalogue().values())).encode()).hexdigest()


if __name__ == "__main__":

    try:
        names = verify_all()
    except DataError as err:
        print(f"DATA CHECK FAILED\n{err}", file=sys.stderr)
        sys.exit(1)
    print(f"data check: {len(names)} inputs verified against {paths.CATALOGUE.relative_to(paths.ROOT)}")
