"""Growth accounting: a synthetic Cobb-Douglas economy and the spliced inputs."""
import numpy as np
import pandas as pd
import pytest

from lib.analysis import growth


def _synthetic(alpha=0.4, beta=0.6, n=30, seed=3):
    rng = np.random.default_rng(seed)
    years = np.arange(1990, 1990 + n)
    K = np.exp(np.cumsum(rng.normal(0.08, 0.02, n)))
    L = np.exp(np.cumsum(rng.normal(0.01, 0.01, n)))
    A = np.exp(0.02 * np.arange(n))
    Y = 2.0 * A * K ** alpha * L ** beta
    return pd.DataFrame({"Y": Y, "K": K, "L": L}, index=years)


def test_solow_residual_recovers_known_tfp():
    panel = _synthetic()
    tfp = growth.solow_residual(panel, 0.4, 0.6)
    assert growth.tfp_multipliers(tfp).dropna().to_numpy() == pytest.approx(np.exp(0.02))


def test_constant_returns_fit_recovers_alpha_without_tfp_growth():
    panel = _synthetic()
    panel["Y"] = 2.0 * panel["K"] ** 0.4 * panel["L"] ** 0.6  # no TFP: the fit must be exact
    res = growth.fit_cobb_douglas(panel, 1990, 2019)
    assert res.params["ln_K"] == pytest.approx(0.4, abs=1e-8)
    assert res.params["ln_L"] == pytest.approx(0.6, abs=1e-8)
    crs = growth.fit_constant_returns(panel, 1990, 2019)
    assert crs.params["ln_K_per_L"] == pytest.approx(0.4, abs=1e-8)


def test_capital_splice_follows_pwt11_growth_after_2019():
    from lib.inputs import data
    k = growth.capital_stock()
    new = data.load("pwt_110").set_index("year")["rnna"]
    assert k[2017] == pytest.approx(1.0)
    for year in (2020, 2021):
        assert k[year] / k[year - 1] == pytest.approx(new[year] / new[year - 1])
    assert k.index.max() >= 2021


def test_china_panel_covers_the_report_years_with_revised_employment():
    panel = growth.macro_panel()
    assert set(range(2007, 2022)) <= set(panel.index)
    # SOURCES.md: revised NBS employment 2018 = 75,782 (10k persons)
    assert panel.at[2018, "L"] == 75782


def test_fit_records_state_every_coefficient_and_multiplier():
    from lib.analysis import va_replication as va

    s, inputs = va.method_settings(), va.load_inputs()
    years = va.years(s)[1:]
    frame = growth.fit_records(inputs.fits, inputs.multipliers, s["cobb_douglas_start"], s["cobb_douglas_end"], years)
    keys = list(frame["key"])
    assert keys[:3] == ["solow.alpha", "solow.beta", "solow.alpha_se"] and keys.count("solow.r2") == 1
    assert [k for k in keys if k.startswith("solow.multiplier")] == (
        [f"solow.multiplier.{y}" for y in years] + [f"solow.multiplier_crs.{y}" for y in years])
    assert frame.set_index("key").at["solow.alpha", "value"] == inputs.fits["unrestricted"].params["ln_K"]
