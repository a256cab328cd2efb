"""Scenario paths: the end points are hit exactly and the paths start from the given share."""
import pytest

from lib import forecast


def test_paths_hit_the_report_end_points():
    sc = forecast.scenarios()
    assert set(sc.index) == {"baseline", "optimistic", "pessimistic"}
    for name, params in sc.iterrows():
        path = forecast.share_path(2.4, params)
        assert path[2021] == pytest.approx(2.4)
        assert path[2035] == pytest.approx(params["share_2035_pct"])
        assert path.diff().dropna().min() > 0  # monotone growth


def test_gdp_path_compounds_stated_rates():
    params = forecast.scenarios().loc["baseline"]
    g = forecast.gdp_path(100.0, params)
    assert g[2025] == pytest.approx(100 * (1 + params["gdp_growth_2022_2025_pct"] / 100) ** 4)
    assert g.index.max() == 2035
