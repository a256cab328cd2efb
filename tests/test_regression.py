"""Regression wrappers: statsmodels and spreg known answers on Columbus, the audit, the spatial models."""
import geopandas as gpd
import libpysal
import numpy as np
import pytest

from lib.analysis import regression


@pytest.fixture(scope="module")
def columbus():
    return gpd.read_file(libpysal.examples.get_path("columbus.shp"))


@pytest.fixture(scope="module")
def rook():
    w = libpysal.io.open(libpysal.examples.get_path("columbus.gal")).read()
    w.transform = "r"
    return w


def test_ols_columbus_known_answer(columbus):
    # spreg.OLS documentation: CRIME on INC and HOVAL: 68.6189611, -1.59731083, -0.27393148; R2 0.55
    table = regression.tidy(regression.ols(columbus, "CRIME", ["INC", "HOVAL"])).set_index("term")
    assert table.at["const", "coef"] == pytest.approx(68.6189611, abs=1e-6)
    assert table.at["INC", "coef"] == pytest.approx(-1.59731083, abs=1e-7)
    assert table.at["HOVAL", "coef"] == pytest.approx(-0.27393148, abs=1e-7)
    assert table.at["INC", "cell"] == "-1.5973*** (0.334)"


def test_hc1_changes_only_standard_errors(columbus):
    plain = regression.ols(columbus, "CRIME", ["INC", "HOVAL"])
    robust = regression.ols(columbus, "CRIME", ["INC", "HOVAL"], cov="HC1")
    assert np.allclose(plain.params, robust.params)
    assert not np.allclose(plain.bse, robust.bse)


def test_stars_thresholds():
    assert [regression.stars(p) for p in (0.001, 0.02, 0.07, 0.2)] == ["***", "**", "*", ""]


def test_audit_of_table_5_3_known_cases():
    # beta' = 0.3430 with bracket 0.526 and ***: t = 0.65, not significant under either reading
    row = regression.audit_published(0.3430, 0.526, "***", 259)
    assert row["t_if_se"] == pytest.approx(0.3430 / 0.526)
    assert row["verdict"] == "inconsistent under either reading"
    # gamma = 0.7284 with bracket 20.296 and ***: only a t statistic fits
    assert regression.audit_published(0.7284, 20.296, "***", 259)["verdict"].startswith("inconsistent as a standard error")
    # beta = 0.1295 (0.025) ***: t = 5.2, consistent
    assert regression.audit_published(0.1295, 0.025, "***", 259)["verdict"].startswith("consistent")


def test_spatial_models_spreg_agree_with_statsmodels_and_nest(columbus, rook):
    result = regression.spatial_models(columbus, "CRIME", ["INC", "HOVAL"], rook, ["INC"])
    coefs = result["coefficients"]
    ols = coefs[coefs["model"] == "OLS"].set_index("term")["coef"]
    assert ols["INC"] == pytest.approx(-1.59731083, abs=1e-7)
    ll = result["fit"].set_index("model")["log_likelihood"]
    # nested models: the larger one never fits worse
    assert ll["SDEM"] >= ll["SEM"] - 1e-6 and ll["SDEM"] >= ll["SLX"] - 1e-6 and ll["SDM"] >= ll["SAR"] - 1e-6
    assert ll["OLS"] == pytest.approx(-187.377, abs=1e-3)  # GeoDa/spreg OLS log likelihood for Columbus
    tests = result["tests"].set_index("test")
    assert (tests["statistic"] >= -1e-6).all()
    sdem = coefs[coefs["model"] == "SDEM"]["term"].tolist()
    assert sdem[-2:] == ["W_INC", "lambda"]


def test_sdem_effects_are_its_coefficients(columbus, rook):
    result = regression.spatial_models(columbus, "CRIME", ["INC", "HOVAL"], rook, ["INC"])
    effects = regression.sdem_effects(result, ["INC", "HOVAL"]).set_index("term")
    sdem = result["coefficients"].query("model == 'SDEM'").set_index("term")["coef"]
    assert effects.at["INC", "direct"] == pytest.approx(sdem["INC"])
    assert effects.at["INC", "indirect"] == pytest.approx(sdem["W_INC"])
    assert effects.at["INC", "total"] == pytest.approx(sdem["INC"] + sdem["W_INC"])
    assert effects.at["HOVAL", "indirect"] == 0.0


def test_panel_fe_recovers_a_known_slope():
    import pandas as pd

    rng = np.random.default_rng(1)
    units, years = np.repeat(np.arange(40), 6), np.tile(np.arange(2011, 2017), 40)
    x = rng.normal(size=units.size)
    y = 2.0 * x + units * 0.5 + (years - 2011) * 0.3 + rng.normal(scale=0.1, size=units.size)
    frame = pd.DataFrame({"adcode": units, "year": years, "x": x, "y": y})
    fit = regression.panel_fe(frame, "y", ["x"])
    assert fit.params["x"] == pytest.approx(2.0, abs=0.02)


def test_employment_robustness_samples():
    from lib.inputs import cities

    rules = cities.sample_rules()
    city = cities.city_data([rules["cross_section_year"]])
    table = regression.employment_robustness(city, rules).set_index("key")
    assert table.at["sample_262", "n"] == rules["size_sample_n"]
    assert table.at["no_municipalities", "municipalities"] == 0
    assert table.at["no_municipalities", "n"] == table.at["sample_all", "n"] - table.at["sample_all", "municipalities"]
    assert table.at["province_fe", "n"] == table.at["sample_all", "n"]
    assert table.at["province_fe", "r2"] > table.at["sample_all", "r2"]  # dummies never lower R²
    levels = regression.employment_levels(city, rules["cross_section_year"])
    assert table.at["sample_all", "beta"] == pytest.approx(
        regression.ols(levels, "ln_employment", ["ln_index", "ln_gdp"]).params["ln_index"])


def test_size_rule_changes_the_size_sample(tmp_path, monkeypatch):
    from lib.inputs import cities
    from tests.test_spatial import edited

    rules = cities.sample_rules()
    city = cities.city_data([rules["cross_section_year"]])
    before = regression.employment_robustness(city, rules).set_index("key").at["sample_262", "beta"]
    for name, value in (("size_sample_n", 150), ("size_rank_by", "gdp_trn")):
        monkeypatch.setattr(cities, "SAMPLE_RULES_PATH", edited(tmp_path, cities.SAMPLE_RULES_PATH, name, value))
        after = regression.employment_robustness(city, cities.sample_rules()).set_index("key").at["sample_262", "beta"]
        assert after != pytest.approx(before), name
        monkeypatch.undo()
