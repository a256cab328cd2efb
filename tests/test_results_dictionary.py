"""The results dictionary (data/results_dictionary.csv): every key the book records matches exactly one row,
every row is recorded, units, pages and published ids agree; keys are built from patterns by one helper."""
import ast
import io
import re

import pandas as pd
import pytest

from lib.inputs import paths
from lib.inputs import results_dictionary as rd


def test_key_expands_a_pattern():
    assert rd.key("gdp.real_2015prices.<year>", year=2021) == "gdp.real_2015prices.2021"
    assert rd.key("forecast.<track>.multiple.<scenario>", track="open_basis", scenario="baseline") == \
        "forecast.open_basis.multiple.baseline"


@pytest.mark.parametrize("values", [{}, {"year": 2021, "extra": 1}, {"year": "21"}])
def test_key_refuses_missing_unknown_or_wrong_values(values):
    with pytest.raises(rd.DictionaryError):
        rd.key("gdp.real_2015prices.<year>", **values)


def test_closed_placeholders_do_not_swallow_other_keys():
    assert rd.pattern_regex("iie.gap.<part>").fullmatch("iie.gap.direct")
    assert not rd.pattern_regex("iie.gap.<part>").fullmatch("iie.gap.variants")
    assert not rd.pattern_regex("moran.i.<year>").fullmatch("moran.i.2019.queen")


def test_every_key_needs_exactly_one_row():
    d = pd.DataFrame({"key": ["a.<year>", "a.<name>", "b.c"], "unit": "", "unit_zh": "", "chapter": "chapters/x",
                      "description_en": "x", "description_zh": "中", "published_id": ""})
    with pytest.raises(rd.DictionaryError, match="a.2019: rows a.<year>, a.<name>"):
        rd.rows_for(["a.2019"], d)
    with pytest.raises(rd.DictionaryError, match="z.y: no row"):
        rd.rows_for(["z.y"], d)
    results = pd.DataFrame({"key": ["b.c"], "unit": ["count"], "chapter": ["chapters/x"], "published_id": ["T1"]})
    found = rd.problems(results, d.iloc[[2]])
    assert found == ["b.c: unit 'count', the dictionary says ''", "b.c: compared with T1, the dictionary says none"]


def test_rows_are_complete_in_both_languages():
    d = rd.read()
    assert d["key"].is_unique
    assert (d["description_en"] != "").all() and (d["description_zh"] != "").all()
    assert ((d["unit"] == "") == (d["unit_zh"] == "")).all()


def test_every_recorded_key_is_in_the_dictionary_and_every_row_is_recorded(book):
    """On the clean build's results ledger (_build/results/results.csv)."""
    results = pd.read_csv(io.BytesIO(book.clean_results), dtype=str, keep_default_na=False)
    assert rd.problems(results) == []


# ---- keys written in full or from a dictionary pattern, never built by hand (issue 19) ---------------------------
RECORDERS = {"row", "record", "record_frame"}  # results.row, ledger.record: the key is the first argument
KEY_HELPERS = {"key", "key_of"}                 # results_dictionary.key, imported as key, key_of or rd.key


def _callee(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def _sources() -> list[tuple[str, str]]:
    """(name, Python source) of every lib module and every chapter's code cells."""
    out = [(str(p.relative_to(paths.ROOT)), p.read_text(encoding="utf-8"))
           for p in sorted((paths.ROOT / "lib").rglob("*.py")) if "__pycache__" not in p.parts]
    cell = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
    for page in sorted(paths.ROOT.glob("chapters/*.md")):
        cells = [re.sub(r"^:[a-z_-]+:.*$", "", c, flags=re.M) for c in cell.findall(page.read_text(encoding="utf-8"))]
        out.append((str(page.relative_to(paths.ROOT)), "\n".join(cells)))
    return out


def hand_built_keys(name: str, source: str) -> list[str]:
    """Where an f-string (or a string concatenation) is given as a result key: to results.row / ledger.record as
    the key, or as the "key" of a record's dict."""
    found = []
    for node in ast.walk(ast.parse(source)):
        given = []
        if isinstance(node, ast.Call) and _callee(node) in RECORDERS - {"record_frame"}:
            given = node.args[:1] + [k.value for k in node.keywords if k.arg == "key"]
        elif isinstance(node, ast.Dict):
            given = [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "key"]
        found += [f"{name}:{v.lineno}" for v in given if isinstance(v, (ast.JoinedStr, ast.BinOp))]
    return found


def test_the_check_finds_a_hand_built_key():
    src = 'results.row(f"a.{y}", 1)\nledger.record(key=f"b.{y}", value=1)\nrows({"key": "c." + y})\nresults.row(key("a.<year>", year=y), 1)\n'
    assert hand_built_keys("x.py", src) == ["x.py:1", "x.py:2", "x.py:3"]


def test_no_result_key_is_built_by_hand():
    assert [where for name, source in _sources() for where in hand_built_keys(name, source)] == []


def test_every_pattern_given_to_the_key_helper_is_a_row_of_the_dictionary():
    """So that grep finds, for every recorded key, the row (and the code) that describes it."""
    rows = set(rd.read()["key"])
    used = {(name, node.args[0].value) for name, source in _sources() for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and _callee(node) in KEY_HELPERS and node.args
            and isinstance(node.args[0], ast.Constant)}
    assert len(used) > 50
    assert sorted(f"{n}: {p}" for n, p in used if p not in rows) == []
