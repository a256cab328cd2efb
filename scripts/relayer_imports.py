"""Rewrite a checkout's references to lib's old flat modules into lib's layers (issue 19).

For merging branches written against the flat lib/: ``python scripts/relayer_imports.py [root]`` rewrites
``from lib import a, b`` into one line per layer, and ``lib.x`` / ``lib/x.py`` (monkeypatch targets,
``python -m`` commands, paths in prose) into ``lib.<layer>.x``, in every tracked file outside data/ and
locales/; it is idempotent. It then lists the uses of functions that issue 19 renamed or moved, which need a
hand edit (README, *The code's layout*). Delete this script once every branch is merged.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
LAYERS = {
    "inputs": ["paths", "data", "schemas", "tables", "cities", "environment", "published"],
    "analysis": ["io_accounting", "growth", "macro", "forecast", "replication", "va_replication", "regression",
                 "spatial", "regional", "report_audit", "results"],
    "ledger": ["ledger", "claims", "results_dictionary"],
    "present": ["formatting", "charts", "maps", "diagrams", "va_tables", "regional_tables", "comparison"],
    "book": ["book_extension", "cache_state", "execution_pool", "results_collection", "directives", "glued_tables",
             "numbering", "build_state", "theme", "downloads", "edition", "translations", "pdf_layout", "private"],
}
ORDER = list(LAYERS)
PKG = {m: p for p, ms in LAYERS.items() for m in ms}
MODS = sorted(PKG, key=len, reverse=True)

FROM_LIB = re.compile(r"^(?P<ind>[ \t]*)from lib import (?P<names>[^#\n(]+?)(?P<tail>[ \t]*#.*)?$", re.M)
# not an already-layered ``lib.ledger`` (the package): ``from lib.ledger import``, ``lib.ledger.ledger``, ``lib/ledger/...``
DOTTED = re.compile(r"(?<![\w.])lib([./])(" + "|".join(MODS) + r")\b(?!\s+import\b)(?![./](?:ledger|claims|results_dictionary)\b)")

RENAMED = {
    "ledger.comparison_display": "comparison.page_table (lib.present)",
    "regional.record(": "ledger.record_frame(",
    "regional.rows(": "results.rows( (lib.analysis.results)",
    "regional.glue_assumptions": "ledger.glue_values(\"assume.\", regional.assumption_values(rules, settings))",
    "va.glue_settings": "ledger.glue_values(\"va.setting.\", settings)",
    "glue_settings(": "ledger.glue_values(\"va.setting.\", settings)",
    "record_calibration": "calibration_records (returns (records, same_r)); record with ledger.record_frame",
    "record_replication": "replication_records + ledger.record_frame",
    "record_gap": "gap_records + ledger.record_frame",
    "record_alternatives": "alternatives_records + ledger.record_frame",
    "record_fits": "growth.fit_records + ledger.record_frame",
    "record_real_gdp": "macro.real_gdp_records + ledger.record_frame",
    "record_audits": "report_audit.audits() -> (records, tables)",
    "forecast.record(": "ledger.record_frame(forecast.records(...))",
    "macro.figure_real_gdp": "va_tables.figure_real_gdp",
    "forecast.figure_paths": "va_tables.figure_forecast_paths",
    "forecast.figure_value_added": "va_tables.figure_forecast_value_added",
    "spatial.read_parameters": "tables.read_parameters",
    "schemas.sphinx_check": "cache_state.check_authored_data",
    "check_pinned_versions": "private.check_versions (connected by private.connect_version_gate)",
    "_mark_dynamic": "directives.mark_dynamic",
    "edition.read_catalogue": "translations.read_catalogue",
    "translations.CJK": "formatting.CJK / formatting.has_chinese",
    "paths.RESULTS_CSV": "cache_state.results_dir(app)",
    "from lib.ledger import record_": "analysis functions return results.rows(...); the page calls ledger.record_frame",
}


def rewrite_from(m):
    ind, names, tail = m.group("ind"), m.group("names"), m.group("tail") or ""
    groups = {}
    for item in [n.strip() for n in names.split(",") if n.strip()]:
        mod = item.split(" as ")[0].strip()
        if mod not in PKG:
            return m.group(0)
        groups.setdefault(PKG[mod], []).append(item)
    lines = [f"{ind}from lib.{p} import {', '.join(sorted(groups[p]))}" for p in ORDER if p in groups]
    lines[0] += tail
    return "\n".join(lines)


def rewrite(text):
    """Idempotent: dotted references first, then ``from lib import a, b`` split by layer."""
    text = DOTTED.sub(lambda m: f"lib{m.group(1)}{PKG[m.group(2)]}{m.group(1)}{m.group(2)}", text)
    return FROM_LIB.sub(rewrite_from, text)


if __name__ == "__main__":
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for f in files:
        p = ROOT / f
        if p.suffix not in (".py", ".md", ".yml", ".yaml", ".toml", ".cfg", ".txt") and p.name not in ("Makefile", "run"):
            continue
        if f.startswith(("locales/", "data/")) or f == "requirements.txt":
            continue
        old = p.read_text(encoding="utf-8")
        new = rewrite(old)
        if new != old:
            p.write_text(new, encoding="utf-8")
            print("rewrote", f)
    for f in files:
        p = ROOT / f
        if p.suffix not in (".py", ".md") or f.startswith("scripts/relayer_imports"):
            continue
        text = p.read_text(encoding="utf-8")
        for old, new in RENAMED.items():
            if old in text:
                print(f"{f}: uses {old!r}: now {new}")
