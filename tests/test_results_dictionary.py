"""The results dictionary (data/results_dictionary.csv): every key the book records matches exactly one row,
every row is recorded, units, pages and published ids agree; keys are built from patterns by one helper."""
import io

import pandas as pd
import pytest

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
