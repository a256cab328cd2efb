"""Scenario paths: the end points are hit exactly, the paths start from the given share, GDP compounds."""
import pytest

from lib.analysis import forecast
from lib.ledger import ledger


def _end(name, params):
    return ledger.published_value(forecast.end_point_id(name, params))


def test_paths_hit_the_report_end_points():
    sc = forecast.scenarios()
    assert set(sc.index) == {"baseline", "optimistic", "pessimistic"}
    for name, params in sc.iterrows():
        path = forecast.share_path(2.4, params, _end(name, params), 2021)
        assert path.index.min() == 2021 and path.index.max() == params["end_year"]
        assert path[2021] == pytest.approx(2.4)
        assert path.iloc[-1] == pytest.approx(_end(name, params))   # the report's end point, by construction
        assert path.diff().dropna().min() > 0  # monotone growth


def test_gdp_path_compounds_the_rates_of_each_period():
    params = forecast.scenarios().loc["baseline"]
    g = forecast.gdp_path(100.0, params, 2021)
    assert g[2025] == pytest.approx(100 * (1 + params["gdp_growth_2022_2025_pct"] / 100) ** 4)
    assert g[2026] / g[2025] == pytest.approx(1 + params["gdp_growth_2026_2030_pct"] / 100)
    assert g.index.max() == params["end_year"]


def test_paths_frame_has_both_tracks_with_the_same_end_value_added():
    frame = forecast.paths({"a": 2.0, "b": 6.0}, 100.0, 2021, _end)
    end = frame[frame["year"] == frame["year"].max()]
    for _, g in end.groupby("scenario"):
        assert g["value_added"].nunique() == 1          # fixed end share x same GDP path
    start = frame[frame["year"] == 2021].set_index(["track", "scenario"])["value_added"]
    assert start[("a", "baseline")] == pytest.approx(2.0) and start[("b", "baseline")] == pytest.approx(6.0)
    assert forecast.milestones(2021) == [2021, 2025, 2030, 2035]


def test_windows_come_from_the_centres_and_widths():
    params = forecast.scenarios().loc["baseline"]
    assert forecast.windows(params)[0] == (params["it_ct_centre"] - params["it_ct_width"],
                                           params["it_ct_centre"] + params["it_ct_width"])
