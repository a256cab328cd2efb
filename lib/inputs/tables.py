"""Small readers for the tables we author in ``data/`` (CSV with leading ``#`` comment lines)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from lib.inputs import paths

__all__ = ["AuthoredDataError", "read_authored", "read_parameters", "explanations", "recommendations", "REPORT_TABLES",
           "report_table_spec", "report_table", "recommendation_evidence", "seed_facts", "CHAPTER_LABELS",
           "evidence_chapter", "glossary"]


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


def read_parameters(path: Path, key: str, basis: str = "why") -> pd.Series:
    """An assumption file (``#`` comment lines, columns ``key``, value and ``basis``, the reason or source of each
    value) as a Series of text values: the one reader of the parameter files in ``data/assumptions/``."""
    path = Path(path)
    if not path.exists():
        raise AuthoredDataError(f"{path}: file not found")
    frame = pd.read_csv(path, comment="#", dtype=str, encoding="utf-8")
    missing = [c for c in (key, "value", basis) if c not in frame.columns]
    if missing:
        raise AuthoredDataError(f"{path}: missing column(s) {missing}")
    if frame[key].duplicated().any():
        raise AuthoredDataError(f"{path}: duplicate {key}(s) {frame[key][frame[key].duplicated()].tolist()}")
    return frame.set_index(key)["value"]


def explanations(lang: str = "en") -> dict[str, str]:
    """id -> the explanation shown to readers in ``lang`` ('en' or 'zh'), from ``data/explanations.csv``."""
    frame = read_authored("explanations.csv", ["id", "text_en", "text_zh"])
    return dict(zip(frame["id"], frame[f"text_{lang}"]))


def glossary(path: Path | None = None) -> pd.DataFrame:
    """The glossary (``data/glossary.csv``): the book's English term, the report's Chinese term, the report's
    section and a gloss in each language, one row per term."""
    columns = ["term_en", "term_zh", "section", "gloss_en", "gloss_zh"]
    if path is None:
        return read_authored("glossary.csv", columns)
    return pd.read_csv(path, comment="#", encoding="utf-8", dtype=str)[columns]


def recommendations() -> pd.DataFrame:
    return read_authored("recommendations.csv", ["actor", "number", "title_zh", "title_en", "page"])


REPORT_TABLES = paths.DATA / "report_tables"


def report_table_spec(label: str) -> dict:
    """The transcribed table ``data/report_tables/<label>.yml`` (title, columns, rows)."""

    path = REPORT_TABLES / f"{label}.yml"
    spec = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    keys = [c["key"] for c in spec["columns"]]
    for i, row in enumerate(spec["rows"]):
        unknown = set(row) - set(keys)
        if unknown or set(keys) - set(row):
            raise AuthoredDataError(f"{path}: row {i + 1} has columns {sorted(row)}, expected {keys}")
    return spec


def _cell(value, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang, value.get("en", "")))
    return str(value)


def report_table(label: str, lang: str = "en", both: tuple[str, ...] = ()) -> pd.DataFrame:
    """A report table as a DataFrame: headers 'English 中文', cells in ``lang``.

    Columns named in ``both`` show the English and the Chinese cell ('English · 中文'). The English frame carries
    the report's own table (its Chinese headers and cells, verbatim) in ``frame.attrs["zh"]``: the Chinese
    edition shows that one (``charts.glue_table``).
    """
    spec = report_table_spec(label)
    zh = lang == "zh"
    header = {c["key"]: c["zh"] if zh else f"{c['en']} {c['zh']}" for c in spec["columns"]}
    rows = []
    for row in spec["rows"]:
        out = {}
        for key in header:
            value = row[key]
            text = _cell(value, lang)
            if not zh and key in both and isinstance(value, dict) and value.get("zh") and value.get("zh") != text:
                text = f"{text} · {value['zh']}"
            out[header[key]] = text
        rows.append(out)
    frame = pd.DataFrame(rows, columns=list(header.values()))
    if not zh:
        frame.attrs["zh"] = report_table(label, "zh")
    return frame


def recommendation_evidence() -> pd.DataFrame:
    """Recommendations with their supporting findings (``evidence``: ';'-separated labels) one row per link."""
    recs = read_authored("recommendations.csv", ["actor", "number", "title_zh", "title_en", "page", "evidence"])
    links = recs.assign(label=recs["evidence"].str.split(";")).explode("label")
    links["label"] = links["label"].str.strip()
    return links[["actor", "number", "title_en", "label"]].reset_index(drop=True)


def seed_facts() -> pd.DataFrame:
    """Facts from the project's other seed documents (``data/seed_facts.csv``), indexed by id."""
    return read_authored("seed_facts.csv", ["id", "value", "unit", "bound", "year", "source", "quote", "quote_zh",
                                             "quote_zh_from", "source_zh"]).set_index("id")


CHAPTER_LABELS = {"ch-concepts": 1, "ch-landscape": 2, "ch-micro": 3, "ch-industry": 4, "ch-macro": 5,
                  "ch-macro-regional": 5}


def evidence_chapter(label: str) -> int:
    """The chapter a finding's label belongs to: 'fig-2-4' -> 2, 'sec-3-theory' -> 3, 'ch-macro' -> 5."""
    if label in CHAPTER_LABELS:
        return CHAPTER_LABELS[label]
    parts = label.split("-")
    if parts[0] in ("fig", "tbl", "sec") and len(parts) > 1 and parts[1].isdigit():
        return int(parts[1])
    raise AuthoredDataError(f"recommendations.csv: cannot tell the chapter of evidence label {label!r}")
