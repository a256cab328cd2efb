"""Schemas of the authored data (lib/inputs/schemas.py, data/datapackage.yaml, data/schemas/).

Each bad input is written into a copy of the repository and must (1) be reported by ``lib.inputs.schemas`` with
the file, the row (line) and the column (key) and (2) stop ``jupyter-book build`` before any notebook runs.
"""
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import Variant, executed

from lib.analysis import spatial
from lib.inputs import paths, schemas

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def _replace(old, new, count=1):
    def edit(text):
        assert old in text, f"test fixture out of date: {old!r} not in the file"
        return text.replace(old, new, count)
    return edit


class At:
    """The line of the repository's file that contains ``needle`` ("row N" in a CSV, "line N" in YAML), so a
    comment line added to a file does not break the expected message."""

    def __init__(self, needle: str, offset: int = 0):
        self.needle, self.offset = needle, offset

    def resolve(self, relative: str) -> str:
        lines = (paths.DATA / relative).read_text(encoding="utf-8").splitlines()
        if self.needle is None:  # the line after the last one
            return f"row {len(lines) + 1}"
        number = next(i for i, line in enumerate(lines, 1) if self.needle in line) + self.offset
        return f"{'line' if relative.endswith('.yml') else 'row'} {number}"


def _append_first_data_row(text):
    lines = text.splitlines(keepends=True)
    return text + lines[1]


# name: (file under data/, edit of its text or "gbk", expected pieces of the message)
CASES = {
    "non-numeric value": ("assumptions/contribution_rates.csv", _replace("090,0.05,0.60", "090,abc,0.60"),
                          ["data/assumptions/contribution_rates.csv", At("090,0.05,0.60"), "column r_low", "'abc'",
                           "not a valid number"]),
    "share above 1": ("assumptions/contribution_rates.csv", _replace("090,0.05,0.60", "090,0.05,1.60"),
                      ["data/assumptions/contribution_rates.csv", At("090,0.05,0.60"), "column r_high", "'1.60'",
                       "above the maximum 1"]),
    "lower bound above upper bound": ("assumptions/contribution_rates.csv", _replace("128,0.20,0.80", "128,0.90,0.80"),
                                      ["data/assumptions/contribution_rates.csv", At("128,0.20,0.80"), "column r_low, r_high",
                                       "'0.90, 0.80'", "lower bound above upper bound"]),
    "duplicate id": ("published/report_values.csv", _append_first_data_row,
                     ["data/published/report_values.csv", At(None), "column id", "'T5-1.2019.real_gdp'",
                      "duplicate key", "first at row 2"]),
    "unknown kind": ("report_figures_tables.csv", _replace("fig-1-7,1,产业互联网生态的数字技术区位图,coded",
                                                           "fig-1-7,1,产业互联网生态的数字技术区位图,estimated"),
                     ["data/report_figures_tables.csv", At("fig-1-7,1,产业互联网生态的数字技术区位图,coded"), "column kind", "'estimated'",
                      "not an allowed value; allowed: recomputed, transcribed, coded, diagram"]),
    "unknown unit": ("published/report_values.csv", _replace(",percentage points,5(一)1", ",pct. points,5(一)1"),
                     ["data/published/report_values.csv", At(",percentage points,5(一)1"), "column unit", "'pct. points'", "not an allowed value"]),
    "score outside 1-5": ("coded/scores.csv", _replace("fig-2-2,United States,IT,5", "fig-2-2,United States,IT,6"),
                          ["data/coded/scores.csv", At("fig-2-2,United States,IT,5"), "column score", "'6'", "above the maximum 5"]),
    "evidence that is not a label": ("recommendations.csv", _replace("sec-1-definition;fig-1-2;tbl-1-2",
                                                                     "sec-1-definition;Figure 1-2;tbl-1-2"),
                                     ["data/recommendations.csv", At("sec-1-definition;fig-1-2;tbl-1-2"), "column evidence", "'Figure 1-2'",
                                      "not a label of the book"]),
    "missing required column": ("assumptions/usd_cny_rate.csv",
                                lambda t: t.replace("year,cny_per_usd,source", "year,source")
                                           .replace(",6.7518,", ",").replace(",6.6174,", ",").replace(",6.8985,", ","),
                                ["data/assumptions/usd_cny_rate.csv", At("year,cny_per_usd,source"), "column cny_per_usd",
                                 "required column 'cny_per_usd' is missing"]),
    "unknown column": ("assumptions/direct_subindustries.csv",
                       _replace("code,name_zh,name_en,section,reason", "code,name_zh,name_en,section,reason,weight"),
                       ["data/assumptions/direct_subindustries.csv", At("code,name_zh,name_en,section,reason"), "column weight", "unknown column 'weight'"]),
    "empty file": ("seed_facts.csv", lambda t: "", ["data/seed_facts.csv", "row 1", "the file is empty"]),
    "byte-order mark": ("coded/scores.csv", lambda t: "\ufeff" + t,
                        ["data/coded/scores.csv", "row 1", "byte-order mark"]),
    "GBK encoding": ("recommendations.csv", "gbk", ["data/recommendations.csv", "row 4", "not UTF-8", "GBK"]),
    "solved parameter typed in": ("assumptions/forecast_scenarios.csv",
                                  _replace("baseline,2035,0.5,2021.5,0.5,1.5,2024.5,0.5,,",
                                           "baseline,2035,0.5,2021.5,0.5,1.5,2024.5,0.5,3.0,"),
                                  ["data/assumptions/forecast_scenarios.csv", At("baseline,2035,0.5,2021.5,0.5,1.5,2024.5,0.5,,"), "column long_run_height_pp",
                                   "must be empty"]),
    "unknown key in a figure spec": ("figures/ch2.yml", _replace("    info: {text:", "    info: {colour: 1, text:"),
                                     ["data/figures/ch2.yml", At("    info: {text:"), "key fig-2-9.nodes.info",
                                      "unknown key 'colour'"]),
    "unknown key in a report table": ("report_tables/tbl-1-1.yml", _replace("page: 10\n", "page: 10\npages: 10-11\n"),
                                      ["data/report_tables/tbl-1-1.yml", At("page: 10", offset=1), "key (top level)",
                                       "unknown key 'pages'"]),
    "placeholder with no published value": ("figures/ch3.yml", _replace("{F3-5.member_firms:", "{F3-5.member_firm:"),
                                            ["data/figures/ch3.yml", At("{F3-5.member_firms:"), "key fig-3-5.nodes.yq.text",
                                             "not in data/published/report_values.csv"]),
    "position beyond the axis": ("coded/positions.csv",
                                 _replace("fig-2-11,专业型平台 specialised platforms,0,0",
                                          "fig-2-11,专业型平台 specialised platforms,2,0"),
                                 ["data/coded/positions.csv", At("fig-2-11,专业型平台 specialised platforms,0,0"), "column x", "'2'", "beyond the figure's 2 xticks"]),
}

CLAIMS_COMMENT = "# Claims ledger (a test copy): the header comes after this comment, as in the real file\n"
CLAIMS_HEADER = "id,chapter,section,page,quote_zh,claim_en,kind,verdict,evidence,ledger_ids,verdict_note,verdict_note_zh\n"
CLAIMS_ROWS = [
    'kp-5-1,5,5(三) 本章观点凝练,99,产业互联网增加值,The value added,quantitative,reproduced,sec-5-real-gdp;tbl-5-1,'
    'T5-1.2019.real_gdp,,\n',
    "sum-01,1,内容提要,,定义,Definition,definition,not tested by the book,,,,\n",
]
CLAIM_CASES = {
    "claim pointing to a missing ledger id": (
        CLAIMS_ROWS[0].replace("T5-1.2019.real_gdp", "T5-1.2019.real_gdp;T5-1.2019.no_such_value"),
        ["data/published/claims.csv", "row 4", "column ledger_ids", "'T5-1.2019.no_such_value'",
         "is not an id of data/published/report_values.csv"]),
    "a forecast marked reproduced": (
        CLAIMS_ROWS[0].replace(",quantitative,reproduced,", ",forecast,reproduced,"),
        ["data/published/claims.csv", "row 4", "column kind, verdict", "is a verdict its kind does not admit"]),
    "a verdict note with no Chinese": (
        CLAIMS_ROWS[0].replace("real_gdp,,\n", "real_gdp,Within the rounding.,\n"),
        ["data/published/claims.csv", "row 4", "column verdict_note, verdict_note_zh", "in one language only"]),
    "unknown verdict": (
        CLAIMS_ROWS[0].replace(",reproduced,", ",confirmed,"),
        ["data/published/claims.csv", "row 4", "column verdict", "'confirmed'", "not an allowed value"]),
}


def _copy_data(root: Path) -> Path:
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("external"))
    return root


def _write(path: Path, edit):
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if edit == "gbk":
        path.write_bytes(text.encode("gbk"))
    else:
        path.write_text(edit(text), encoding="utf-8")


def _messages(root: Path) -> str:
    return "\n".join(map(str, schemas.problems(root)))


def test_repository_data_pass():
    assert schemas.problems() == []


def test_every_authored_file_is_described():
    described = {f"data/{r['path']}" for r in schemas.table_schemas().values()}
    for path in schemas.authored_files(paths.DATA):
        relative = path.relative_to(paths.ROOT).as_posix()
        assert relative in described or path.parent.name in ("figures", "report_tables"), relative


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported(tmp_path, case):
    relative, edit, expected = CASES[case]
    expected = [piece.resolve(relative) if isinstance(piece, At) else piece for piece in expected]
    root = _copy_data(tmp_path)
    _write(root / "data" / relative, edit)
    messages = _messages(root)
    line = next((m for m in messages.splitlines() if expected[0] in m and expected[-1] in m), None)
    assert line, f"no message for {case}:\n{messages}"
    for piece in expected:
        assert piece in line, f"{piece!r} not in {line!r}"


@pytest.mark.parametrize("case", CLAIM_CASES)
def test_bad_claim_is_reported(tmp_path, case):
    row, expected = CLAIM_CASES[case]
    root = _copy_data(tmp_path)
    (root / "data/published/claims.csv").write_text(CLAIMS_COMMENT + CLAIMS_HEADER + CLAIMS_ROWS[1] + row,
                                                    encoding="utf-8")
    line = next((m for m in _messages(root).splitlines() if expected[-1] in m), "")
    for piece in expected:
        assert piece in line, f"{piece!r} not in {line!r}"


def test_valid_claims_pass(tmp_path):
    """The claims ledger passes with its columns in any order and without its comment lines."""
    root = _copy_data(tmp_path)
    claims = pd.read_csv(paths.DATA / "published/claims.csv", comment="#", dtype=str, keep_default_na=False)
    claims[claims.columns[::-1]].to_csv(root / "data/published/claims.csv", index=False)
    assert schemas.problems(root) == []


def test_optional_columns_are_checked_when_present(tmp_path):
    root = _copy_data(tmp_path)
    scores = root / "data/coded/scores.csv"
    text = scores.read_text(encoding="utf-8").replace("figure,series,dimension,score,quote",
                                                      "figure,series,dimension,score,support,why,quote")
    lines = text.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("fig-"))
    for i in range(first, len(lines)):
        cells = lines[i].split(",", 4)
        lines[i] = ",".join(cells[:4] + ["stated", ""] + cells[4:])
    lines[first] = lines[first].replace(",stated,,", ",added,,")
    scores.write_text("".join(lines), encoding="utf-8")
    messages = _messages(root)
    assert f"data/coded/scores.csv, row {first + 1}, column why" in messages
    assert "must say why" in messages
    lines[first] = lines[first].replace(",added,,", ",guessed,,")
    scores.write_text("".join(lines), encoding="utf-8")
    assert "column support: value 'guessed': not an allowed value" in _messages(root)


def test_evidence_label_must_be_defined_by_a_page(tmp_path):
    root = _copy_data(tmp_path)
    for folder in ("chapters", "appendices"):
        shutil.copytree(paths.ROOT / folder, root / folder)
    shutil.copy(paths.ROOT / "index.md", root / "index.md")
    assert schemas.problems(root) == []
    _write(root / "data/recommendations.csv", _replace("fig-4-2;tbl-4-1;sec-4-analysis", "fig-4-2;tbl-4-1;sec-4-analyses"))
    row = At("fig-4-2;tbl-4-1;sec-4-analysis").resolve("recommendations.csv")
    assert (f"data/recommendations.csv, {row}, column evidence: value 'sec-4-analyses': is not defined by any page"
            in _messages(root))


def test_a_file_without_schema_is_reported(tmp_path):
    root = _copy_data(tmp_path)
    (root / "data/assumptions/new_parameters.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert "data/assumptions/new_parameters.csv: no schema describes this file" in _messages(root)


def test_valid_assumption_edit_passes(tmp_path):
    root = _copy_data(tmp_path)
    _write(root / "data/assumptions/contribution_rates.csv", _replace("128,0.20,0.80", "128,0.25,0.90"))
    _write(root / "data/assumptions/forecast_scenarios.csv", _replace(",,2030,2.5,", ",,2031,2.5,"))
    assert schemas.problems(root) == []


def test_declared_header_rows_match_the_files():
    """frictionless validate reads the header on the line data/datapackage.yaml declares (headerRows)."""
    for resource in schemas.table_schemas().values():
        dialect = resource.get("dialect") or {}
        path = paths.DATA / resource["path"]
        if dialect.get("commentChar") and path.exists():
            line = schemas._header_row(path, dialect["commentChar"])
            assert dialect.get("headerRows") == [line], (
                f"data/datapackage.yaml: set headerRows: [{line}] for {resource['name']} ({resource['path']})")


def test_frictionless_cli_passes_on_the_repository(tmp_path):
    """What a replicator runs without the book (claims.csv aside while it is absent on this branch)."""
    if not FRICTIONLESS.exists():
        pytest.skip("frictionless CLI not installed")
    result = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(paths.DATA / "datapackage.yaml")],
                            capture_output=True, text=True, timeout=300)
    import json

    report = json.loads(result.stdout)
    bad = [(t["name"], e["message"]) for t in report["tasks"] for e in t["errors"]
           if not (t["name"] == "claims" and e["type"] == "scheme-error"
                   and not (paths.DATA / "published/claims.csv").exists())]
    assert bad == [] and report["errors"] == []


def test_dictionary_describes_every_field():
    tables = schemas.dictionary()
    assert set(tables) == set(schemas.table_schemas())
    for name, table in tables.items():
        assert list(table["fields"]["field"]) == [f["name"] for f in schemas.table_schemas()[name]["schema"]["fields"]]
        assert table["fields"]["meaning"].str.len().gt(0).all(), name
    rates = tables["contribution_rates"]["fields"].set_index("field")
    assert rates.at["r_high", "allowed values"] == "0 to 1" and rates.at["r_high", "unit"] == "share (0-1)"
    page = (paths.ROOT / "appendices/data_dictionary.md").read_text(encoding="utf-8")
    for name in tables:
        assert f"{{glued-table}} tbl-dict-{name.replace('_', '-')}" in page, name
    figures = schemas.spec_dictionary("figures")
    assert {"nodes", "arrows", "xticks", "dimensions", "support"} <= set(figures["key"])


# --------------------------------------------------------------------------------------------------------
# the build stops first


BUILD_CASES = ["non-numeric value", "share above 1", "lower bound above upper bound", "duplicate id", "unknown kind",
               "missing required column", "empty file", "byte-order mark", "GBK encoding",
               "unknown key in a figure spec", "claim pointing to a missing ledger id", "unknown verdict",
               "a forecast marked reproduced"]


def _bad_build(case: str) -> tuple:
    """(the file under data/, its edit, the expected pieces of the message) of a build case."""
    if case in CLAIM_CASES:
        row, expected = CLAIM_CASES[case]
        return "published/claims.csv", lambda t: CLAIMS_COMMENT + CLAIMS_HEADER + CLAIMS_ROWS[1] + row, expected
    relative, edit, expected = CASES[case]
    return relative, edit, [piece.resolve(relative) if isinstance(piece, At) else piece for piece in expected]


def _bad_copy(case: str) -> Variant:
    relative, edit, _ = _bad_build(case)
    return Variant(f"bad input {case}", edit=lambda root: _write(root / "data" / relative, edit),
                   clean=True, priority=2, forked=True)


# each case builds a copy of its own (no cache: the build must stop before it looks for one), in the background
BAD_BUILDS = {case: _bad_copy(case) for case in BUILD_CASES}


@pytest.mark.parametrize("case", [pytest.param(case, marks=pytest.mark.variant(BAD_BUILDS[case])) for case in BUILD_CASES])
def test_bad_input_stops_the_build_before_any_notebook(case):
    _, _, expected = _bad_build(case)
    _, result = BAD_BUILDS[case].result()
    log = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed"
    assert "authored data check failed" in log
    line = next((m for m in log.splitlines() if expected[0] in m and expected[-1] in m), None)
    assert line, f"no message for {case} in the build log:\n{log[-3000:]}"
    for piece in expected:
        assert piece in line
    assert executed(log) == []
    assert BAD_BUILDS[case].seconds < 120, f"the build took {BAD_BUILDS[case].seconds:.0f} s to stop"


def _edit_assumptions(root):
    _write(root / "data/assumptions/contribution_rates.csv", _replace("128,0.20,0.80", "128,0.20,0.95"))
    # README's "Change an assumption and rebuild" example, as written there: the main weights become knn6
    subprocess.run(["sed", "-i", "s/^weights,queen,/weights,knn6,/", "data/assumptions/spatial_weights.csv"],
                   cwd=root, check=True)


ASSUMPTION_EDIT = Variant("assumption edited", edit=_edit_assumptions)


@pytest.mark.build
@pytest.mark.variant(ASSUMPTION_EDIT)
def test_valid_assumption_edit_rebuilds_and_changes_the_results(book):
    """A wider contribution-rate range, in a copy of the clean build's state, built in the background."""
    before = pd.read_csv(io.BytesIO(book.clean_results)).set_index("key")["value"]
    copy, result = ASSUMPTION_EDIT.result()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = pd.read_csv(copy.results).set_index("key")["value"]
    assert after["iie.total.2018.draws_p95"] != before["iie.total.2018.draws_p95"]
    # the README's example moves the regional results: Moran's I of every year and the SDEM
    assert "weights,knn6," in (copy.root / "data/assumptions/spatial_weights.csv").read_text(encoding="utf-8")
    for year in spatial.settings()["years"]:
        assert after[f"moran.i.{year}"] != before[f"moran.i.{year}"], year
    moved = [k for k in before.index if k.startswith("sdem.") and k in after.index and after[k] != before[k]]
    assert moved, "no SDEM value moved with the main weights"
    assert after["moran.i.2019.queen"] == before["moran.i.2019.queen"]   # the robustness table is unchanged
