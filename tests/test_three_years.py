"""Issue 21: the look-back page carries chapter 5's method past the report, unchanged.

* the extended track rebuilds 2018-2021 exactly (the same code path and settings, more years);
* the regional trend's 2019 statistics are exactly those of the regional page;
* Moran's I of a later year equals a direct esda computation on the same polygons and values.
"""
import esda
import numpy as np
import pandas as pd
import pytest
from libpysal import weights

from lib.analysis import forecast, regional, spatial
from lib.analysis import io_accounting as ioa
from lib.analysis import va_replication as va
from lib.inputs import cities
from lib.ledger import ledger
from lib.present import va_tables


@pytest.fixture(scope="module")
def macro():
    settings = va.method_settings()
    inputs = va.load_inputs(settings)
    report = va_tables.report_values(va.years(settings))
    calibrated = va.calibrate(inputs, report.at[inputs.base, "direct"], report.at[inputs.base, "penetration"])
    open_r = ioa.production_use_share(inputs.io, inputs.codes)
    return inputs, calibrated, open_r


def test_look_back_rebuilds_the_in_sample_years_exactly(macro):
    inputs, calibrated, open_r = macro
    look = va.look_back(inputs, calibrated, open_r).set_index(["track", "year"])
    rep = va.replication_track(inputs, calibrated).table
    last = inputs.settings["last_year"]
    assert look.loc[("replication", last), "total"] == rep.at[last, "iie"]           # exactly, not approximately
    assert look.loc[("replication", last), "real_growth"] == rep.at[last, "real_growth_pct"]
    assert look.loc[("replication", last), "share_gdp"] == rep.at[last, "share_pct"]
    assert look.loc[("replication", last), "pull_gdp_growth"] == rep.at[last, "pull_pp"]
    opn = va.track(inputs, "open basis", va.base_parts(inputs, open_r)).table
    assert look.loc[("open_basis", last), "total"] == opn.at[last, "iie"]
    later = look.xs("replication").loc[last + 1:]
    assert list(later.index) == list(range(last + 1, inputs.settings["outturn_last_year"] + 1))
    assert later["out_of_sample"].all() and later["total"].gt(0).all()


def test_look_back_stops_where_an_input_stops(macro):
    inputs, calibrated, open_r = macro
    short = va.Inputs(**{**inputs.__dict__, "nbs": inputs.nbs.loc[:inputs.settings["last_year"] + 1]})
    assert va.look_back(short, calibrated, open_r)["year"].max() == inputs.settings["last_year"] + 1


def test_outturn_comparison_names_the_nearest_path(macro):
    inputs, calibrated, open_r = macro
    look = va.look_back(inputs, calibrated, open_r)
    track = look[look["track"] == "replication"]
    last = inputs.settings["last_year"]
    end_share = lambda name, params: ledger.published_value(forecast.end_point_id(name, params))  # noqa: E731
    paths = forecast.paths({"t": track.set_index("year").at[last, "share_gdp"]}, inputs.gdp.at[last, "real_2015_trn"],
                           last, end_share)
    cmp_ = forecast.outturn_comparison(paths, track, "t")
    assert set(cmp_["year"]) == {last + 1, last + 2} and cmp_.groupby("year")["nearest"].sum().eq(1).all()
    for _year, g in cmp_.groupby("year"):
        assert g.loc[g["nearest"], "gap_pp"].abs().iloc[0] == g["gap_pp"].abs().min()


@pytest.fixture(scope="module")
def geography():
    rules, s = cities.sample_rules(), spatial.settings()
    layer = cities.mainland_cities(rules=rules)
    city = cities.city_data(years=s["trend_years"], rules=rules)
    return layer, city, s, regional.spatial_trend(layer, city, s["trend_years"], s)


def test_trend_2019_equals_the_regional_page_exactly(geography):
    layer, city, s, trend = geography
    rules = cities.sample_rules()
    page = regional.spatial_by_year(layer, cities.city_data(rules=rules), {**s, "years": [2019]})[2019]
    row = trend.stats[(trend.stats["year"] == 2019) & (trend.stats["weights"] == s["weights"])].iloc[0]
    for stat in ("n", "moran_i", "z", "geary_c", "getis_g", "getis_z"):
        assert row[stat] == page.stats[stat], stat
    lisa = trend.lisa[trend.lisa["year"] == 2019].reset_index(drop=True)
    assert lisa["cluster"].tolist() == page.lisa["cluster"].tolist()
    robustness = spatial.weights_robustness({2019: regional.year_frame(layer, city, 2019)}, "index", layer, s)
    for r in robustness.itertuples():
        got = trend.stats[(trend.stats["year"] == 2019) & (trend.stats["weights"] == r.key)]["moran_i"].iloc[0]
        assert got == r.moran_i, r.key


def test_moran_of_a_later_year_equals_esda_directly(geography):
    layer, city, s, trend = geography
    year = s["trend_years"][-1]
    frame = layer.merge(city.loc[city["year"] == year, ["adcode", "index"]], on="adcode")
    frame = frame[frame["index"].notna()].reset_index(drop=True)
    while True:  # libpysal's queen contiguity on the polygons, islands removed, row-standardised
        w = weights.Queen.from_dataframe(frame, ids=frame["adcode"].tolist(), use_index=False, silence_warnings=True)
        if not w.islands:
            break
        frame = frame[~frame["adcode"].isin(w.islands)].reset_index(drop=True)
    w.transform = "r"
    direct = esda.Moran(frame["index"].to_numpy(), w, permutations=0)
    row = trend.stats[(trend.stats["year"] == year) & (trend.stats["weights"] == "queen")].iloc[0]
    assert row["n"] == w.n
    assert row["moran_i"] == pytest.approx(direct.I, abs=1e-12)


def test_high_high_by_region_and_growth_shares_add_up(geography):
    layer, city, s, trend = geography
    hh = regional.high_high_by_region(trend.lisa)
    counts = trend.lisa[trend.lisa["cluster"] == "High-High"].groupby("year").size()
    assert hh.groupby("year")["n"].sum().reindex(counts.index).eq(counts).all()
    assert hh.dropna().groupby("year")["share_pct"].sum().sub(100).abs().max() < 1e-9
    shares = regional.growth_shares(city, s["trend_years"][0], s["trend_years"][-1])
    assert np.allclose(shares[["city_share", "growth_share", "level_share_start", "level_share_end"]].sum(), 100)
    assert set(regional.region_of(layer["adcode"])) == set(regional.REGIONS)


def test_trend_years_setting_is_read_as_a_range():
    years = spatial.settings()["trend_years"]
    assert years == list(range(years[0], years[-1] + 1)) and len(years) > 3
    summary = regional.trend_summary(pd.DataFrame({"weights": "q", "year": [1, 2, 3], "moran_i": [0.3, 0.2, 0.4]}), 2)
    assert summary.iloc[0]["falls"] == 1 and summary.iloc[0]["change_since"] == pytest.approx(0.2)


def test_outturn_last_year_sets_where_the_look_back_ends(macro):
    inputs, calibrated, open_r = macro
    s = inputs.settings
    shorter = va.Inputs(**{**inputs.__dict__, "settings": {**s, "outturn_last_year": s["last_year"] + 1}})
    assert va.look_back(shorter, calibrated, open_r)["year"].max() == s["last_year"] + 1


def test_trend_years_edit_changes_the_years(tmp_path, monkeypatch):
    from tests.test_spatial import edited
    monkeypatch.setattr(spatial, "SETTINGS_PATH", edited(tmp_path, spatial.SETTINGS_PATH, "trend_years", "2015-2020"))
    assert spatial.settings()["trend_years"] == list(range(2015, 2021))


@pytest.mark.parametrize("relative, old, new, message", [
    ("assumptions/value_added_method.csv", "outturn_last_year,2023,", "outturn_last_year,2025,", "look-back year"),
    ("assumptions/spatial_weights.csv", "trend_years,2011-2023,", "trend_years,2011-2030,", "trend_years must read"),
])
def test_look_back_years_outside_the_inputs_are_refused(tmp_path, relative, old, new, message):
    import shutil

    from lib.inputs import paths, schemas
    shutil.copytree(paths.DATA, tmp_path / "data", ignore=shutil.ignore_patterns("external"))
    path = tmp_path / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    problems = "\n".join(map(str, schemas.problems(tmp_path)))
    assert message in problems and relative in problems, problems
