"""The regional analyses on Columbus (libpysal's example) and on the book's city panel."""
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest

from lib.analysis import regional, results, spatial
from lib.inputs import cities
from lib.ledger import ledger
from tests.test_spatial import edited


@pytest.fixture(scope="module")
def columbus():
    frame = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    frame["adcode"] = frame["POLYID"].astype(int)
    return frame.set_crs("EPSG:4326", allow_override=True)


@pytest.fixture(scope="module")
def panel(columbus):
    """A 'city panel' on the Columbus polygons: CRIME in the first year, then HOVAL, INC, HOVAL, ..."""
    years = spatial.settings()["years"]
    columns = ["CRIME"] + ["HOVAL", "INC"] * len(years)
    return pd.concat([pd.DataFrame({"adcode": columbus["adcode"], "year": y, "index": columbus[col].astype(float)})
                      for y, col in zip(years, columns)], ignore_index=True)


def test_spatial_by_year_matches_esda_known_answer(columbus, panel):
    by_year = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel)
    first = by_year[min(by_year)]
    assert first.stats["moran_i"] == pytest.approx(0.5001885571828611, abs=1e-9)  # esda docs: CRIME, queen
    assert first.counts.sum() == 49 and len(first.lisa) == 49 and first.dropped == []
    assert set(first.lisa.columns) >= {"cluster", "cluster_fdr", "p_sim"}


def test_spatial_records_keys_and_identity(columbus, panel):
    s = spatial.settings()
    by_year = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel, s)
    rows = regional.spatial_records(by_year, s["trend_knn_k"]).set_index("key")
    year = min(by_year)
    assert rows.at[f"moran.expected_i.{year}", "value"] == pytest.approx(-1 / 48)
    assert rows.at[f"moran.expected_i.{year}", "by_construction"].startswith("an identity")
    quadrants = [rows.at[f"moran.quadrant.{q}.{year}", "value"] for q in ("high_high", "low_high", "low_low", "high_low")]
    assert sum(quadrants) == 49
    assert rows.index.is_unique


def test_main_weights_setting_changes_the_statistics(columbus, panel, tmp_path, monkeypatch):
    before = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel)
    monkeypatch.setattr(spatial, "SETTINGS_PATH", edited(tmp_path, spatial.SETTINGS_PATH, "weights", "rook"))
    after = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel)
    year = min(before)
    assert before[year].stats["moran_i"] != pytest.approx(after[year].stats["moran_i"])


def test_years_setting_changes_the_years(columbus, panel, tmp_path, monkeypatch):
    year = int(panel["year"].min())
    monkeypatch.setattr(spatial, "SETTINGS_PATH", edited(tmp_path, spatial.SETTINGS_PATH, "years", year))
    assert list(regional.spatial_by_year(columbus[["adcode", "geometry"]], panel)) == [year]


def test_rows_fill_optional_columns():
    frame = results.rows({"key": "a.b", "value": 1.0})
    assert frame.columns.tolist() == results.RECORD_COLUMNS
    assert frame.at[0, "published_id"] == "" and frame.at[0, "unit"] == ""


def test_record_states_each_row():
    ledger.record_frame(results.rows({"key": "test.regional.value", "value": 2.5, "unit": "cities"}))
    assert ledger.recorded().set_index("key").at["test.regional.value", "value"] == 2.5


def test_robustness_records_keys():
    weights_table = pd.DataFrame({"key": ["queen", "band"], "moran_i": [0.5, 0.2], "moran_i_2017": [0.4, 0.1],
                                  "z": [10.0, 20.0], "n": [300, 310], "threshold_km": [np.nan, 1000.0],
                                  "mean_neighbours": [5.0, 150.0]})
    employment_table = pd.DataFrame({"key": ["sample_all"], "beta": [-0.2], "p_hc1": [0.3], "n": [314]})
    rows = regional.robustness_records(weights_table, employment_table, 2019).set_index("key")["value"]
    assert rows["moran.i.2019.queen"] == 0.5 and rows["moran.i.change.2017_2019.band"] == pytest.approx(0.1)
    assert rows["emp.beta.sample_all"] == -0.2 and rows["emp.n.sample_all"] == 314
    assert rows["moran.i.local_weights_max"] == 0.5  # the band is not a local weights choice
    assert rows["moran.i.local_weights_to_report_min"] == pytest.approx(0.5 / ledger.published_value("T5-4.2019.moran_i"))


@pytest.fixture(scope="module")
def city():
    return cities.city_data()


def test_employment_fits_reproduce_statsmodels(city):
    import statsmodels.api as sm

    rules = cities.sample_rules()
    fits = regional.employment_fits(city, rules)
    x = city[city["year"] == rules["cross_section_year"]].dropna(subset=["employment", "index", "gdp_trn"])
    direct = sm.OLS(np.log(x["employment"]), sm.add_constant(np.log(x[["index", "gdp_trn"]]))).fit()
    assert fits["levels"].params["ln_index"] == pytest.approx(direct.params["index"])
    assert fits["levels_hc1"].params["ln_index"] == pytest.approx(direct.params["index"])
    records = regional.employment_records(fits).set_index("key")
    assert records.at["emp.beta", "published_id"] == "T5-3.levels.beta"
    assert records.at["emp.n", "value"] == fits["levels"].nobs


def test_cross_section_year_changes_the_fit(city, tmp_path, monkeypatch):
    before = regional.employment_fits(city, cities.sample_rules())["levels"].params["ln_index"]
    monkeypatch.setattr(cities, "SAMPLE_RULES_PATH", edited(tmp_path, cities.SAMPLE_RULES_PATH, "cross_section_year", 2017))
    after = regional.employment_fits(city, cities.sample_rules())["levels"].params["ln_index"]
    assert after != pytest.approx(before)


def test_a_rounded_expected_i_fits_a_range_of_samples():
    """E(I) = -1/(n-1) printed as -0.003 fits every n from 287 to 400, not 'about 334'."""
    low, high = regional.implied_sample_range("-0.003")
    assert (low, high) == (287, 400)
    assert all(round(-1 / (n - 1), 3) == -0.003 for n in range(low, high + 1))
    assert round(-1 / (low - 2), 3) != -0.003 and round(-1 / high, 4) <= -0.0025


def test_the_robustness_neighbours_are_listed_in_both_languages():
    """The k of the robustness weights as the prose quotes them: '4, 6 and 8' on the English page, '4、6和8' on
    the Chinese one (glued as assume.knn_k and assume.knn_k_zh, never typed)."""
    s = dict(spatial.settings(), robustness_knn_k=[4, 6, 8])
    values = regional.assumption_values(cities.sample_rules(), s)
    assert values["knn_k"] == "4, 6 and 8" and values["knn_k_zh"] == "4、6和8"
    values = regional.assumption_values(cities.sample_rules(), dict(s, robustness_knn_k=[3, 5]))
    assert values["knn_k"] == "3 and 5" and values["knn_k_zh"] == "3和5"
