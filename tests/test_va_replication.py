"""The replication track: calibration by construction, the carry-forward identities, the variants, the gap
decomposition, the draws, and every chapter-5 assumption file changing a result (no inert parameter)."""
import shutil

import numpy as np
import pandas as pd
import pytest

from lib.analysis import forecast
from lib.analysis import io_accounting as ioa
from lib.analysis import va_replication as va
from lib.inputs import paths
from lib.ledger import ledger
from lib.present import va_tables

REPORT_DIRECT, REPORT_PEN = "X5.direct_va.2018", "X5.penetration_va.2018"


@pytest.fixture(scope="module")
def inputs():
    return va.load_inputs()


@pytest.fixture(scope="module")
def calibrated(inputs):
    return va.calibrate(inputs, ledger.published_value(REPORT_DIRECT), ledger.published_value(REPORT_PEN))


def test_settings_are_the_reports_years_and_window():
    s = va.method_settings()
    # report section 5(一)1: base table 2018, Table 5-1 covers 2018-2021, regression on 2007-2016
    assert (s["base_year"], s["first_year"], s["last_year"]) == (2018, 2018, 2021)
    assert (s["cobb_douglas_start"], s["cobb_douglas_end"]) == (2007, 2016)
    assert va.years(s) == [2018, 2019, 2020, 2021]


def test_base_year_equals_the_report_by_construction(inputs, calibrated):
    rep = va.replication_track(inputs, calibrated)
    assert rep.real.at[2018, "direct"] == pytest.approx(ledger.published_value(REPORT_DIRECT), rel=1e-12)
    assert rep.real.at[2018, "penetration"] == pytest.approx(ledger.published_value(REPORT_PEN), rel=1e-12)
    # both scalars are shares: between 0 and 1
    assert 0 < calibrated["r_direct"] < 1 and 0 < calibrated["injection_weight"] < 1


def test_calibration_is_linear_in_the_target(inputs):
    a = va.calibrate(inputs, 1.0, 1.0)
    b = va.calibrate(inputs, 2.0, 3.0)
    assert b["r_direct"] == pytest.approx(2 * a["r_direct"])
    assert b["injection_weight"] == pytest.approx(3 * a["injection_weight"])


def test_headline_factors_follow_the_stated_method(inputs):
    f = va.growth_factors(inputs)
    nbs, m = inputs.nbs, inputs.multipliers["unrestricted"]
    price = inputs.deflator(2018) / inputs.deflator(2021)
    expected = m[2019] * m[2020] * m[2021] * nbs.at[2021, "va_primary"] / nbs.at[2018, "va_primary"] * price
    assert f.at[2021, ("penetration", "primary")] == pytest.approx(expected)
    assert f.at[2021, ("direct", "ICT services")] == pytest.approx(
        nbs.at[2021, "va_other_services"] / nbs.at[2018, "va_other_services"] * price)
    assert (f.loc[2018] == 1.0).all()


def test_variants_change_only_what_they_say(inputs):
    head = va.growth_factors(inputs)
    variants = {v.slug: v for v in va.gap_variants()}
    nominal = va.growth_factors(inputs, variants["direct_nominal"])
    assert (nominal["penetration"] == head["penetration"]).all().all()
    assert (nominal.loc[2021, "direct"] > head.loc[2021, "direct"]).all()      # prices rose 2018-2021
    annual = va.growth_factors(inputs, variants["annual_multiplier"])
    assert annual.loc[2019].to_numpy() == pytest.approx(head.loc[2019].to_numpy())  # one year: same thing
    levels = va.growth_factors(inputs, variants["levels"])
    m = inputs.multipliers["unrestricted"]
    assert levels.at[2020, ("penetration", "tertiary")] == pytest.approx(m[2019] * m[2020])
    crs = va.growth_factors(inputs, variants["crs"])
    assert (crs["direct"] == head["direct"]).all().all()


def test_linear_extrapolation_recovers_a_line_and_keeps_observed_years():
    frame = pd.DataFrame({"x": [1.0, 3.0, 5.0, 7.0, 100.0]}, index=[2016, 2017, 2018, 2019, 2020])
    out = va.extrapolate_linear(frame, ["x"], 2016, 2019, 2020)
    assert out.at[2020, "x"] == pytest.approx(9.0)
    assert out.loc[2016:2019, "x"].tolist() == [1.0, 3.0, 5.0, 7.0]


def test_needed_inputs_close_the_gap_of_their_part(inputs, calibrated):
    rep = va.replication_track(inputs, calibrated)
    report = va_tables.report_values([2018, 2019, 2020, 2021])
    table = va.gap_by_input(inputs, rep, report).set_index(["part", "input"])
    for part in ("direct", "penetration"):
        rows = table.loc[part]
        scale = rows["needed alone"] / rows["open data"]
        # inputs that multiply a part are scaled by report/replication; a price index divides it
        factor = report.at[2021, part] / rep.real.at[2021, part]
        for name, s in scale.items():
            assert s == pytest.approx(1 / factor if "price index" in name else factor)
    assert table["share of the total gap (%)"].groupby(level=0).first().sum() == pytest.approx(100)


def test_variants_table_has_the_report_and_every_reading(inputs, calibrated):
    report = va_tables.report_values([2018, 2019, 2020, 2021])
    table = va.variants_table(inputs, calibrated, report, va_tables.growth_tolerance)
    assert len(table) == 1 + len(va.gap_variants())
    assert table.iloc[0]["growth 2019 (%)"] == pytest.approx(9.96)   # report, Table 5-2
    assert set(table["reproduces the report's growth"].iloc[1:]) <= {"yes", "no"}
    assert table["reading of the report's text"].str.len().min() > 5


def test_draws_are_seeded_and_within_the_ranges(inputs):
    ranges = ioa.contribution_rates()
    a, b = va.draws_parts(inputs, ranges), va.draws_parts(inputs, ranges)
    pd.testing.assert_frame_equal(a, b)
    scale = inputs.deflator(2018) * 1e12
    low = (ranges.loc[inputs.codes, "r_low"] * inputs.va).sum() / scale
    high = (ranges.loc[inputs.codes, "r_high"] * inputs.va).sum() / scale
    direct = a["direct"].sum(axis=1)
    assert direct.between(low, high).all()
    assert len(a) == va.method_settings()["draws"]


def test_peers_are_converted_to_2015_prices():
    gdp = pd.DataFrame({"deflator_2015eq100": [110.0, 120.0]}, index=[2018, 2019])
    values = {"T5-2.caii.2019.va": 3.0, "T5-2.caict.2019.va": 2.2}
    out = va.peers_at_2015_prices(gdp, lambda pid: values.get(pid, np.nan)).set_index("estimate")
    assert out.loc["CAII white paper (nominal, deflated)", "value"] == pytest.approx(3.0 / 1.2)
    assert out.loc["CAICT report (2018 prices, rebased)", "value"] == pytest.approx(2.2 / 1.1)


# ---------------------------------------------------------------- every assumption file moves a result

@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target, ignore=shutil.ignore_patterns("external"))
    monkeypatch.setattr(paths, "DATA", target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _replication_2021():
    inputs = va.load_inputs()
    cal = va.calibrate(inputs, ledger.published_value(REPORT_DIRECT), ledger.published_value(REPORT_PEN))
    return va.replication_track(inputs, cal).real.at[2021, "total"], cal


def test_value_added_method_file_moves_results(data_copy):
    before_total, _ = _replication_2021()
    before_draws = va.draws_parts(va.load_inputs(), ioa.contribution_rates())
    _edit(data_copy / "assumptions" / "value_added_method.csv", "cobb_douglas_end,2016", "cobb_douglas_end,2015")
    _edit(data_copy / "assumptions" / "value_added_method.csv", "seed,20220701", "seed,1")
    after_total, _ = _replication_2021()
    assert after_total != pytest.approx(before_total, rel=1e-9)
    after_draws = va.draws_parts(va.load_inputs(), ioa.contribution_rates())
    assert not np.allclose(before_draws.to_numpy(), after_draws.to_numpy())


def test_growth_proxies_file_moves_results(data_copy):
    before, _ = _replication_2021()
    _edit(data_copy / "assumptions" / "growth_proxies.csv", "ICT services,va_other_services", "ICT services,va_finance")
    after, _ = _replication_2021()
    assert after != pytest.approx(before, rel=1e-9)


def test_direct_subindustries_file_moves_results(data_copy):
    _, before = _replication_2021()
    path = data_copy / "assumptions" / "direct_subindustries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(l for l in lines if not l.startswith("096,")) + "\n", encoding="utf-8")
    _, after = _replication_2021()
    assert after["r_direct"] > before["r_direct"]      # less value added to attribute the same 0.772 to


def test_contribution_rates_file_moves_results(data_copy):
    inputs = va.load_inputs()
    before = va.draws_parts(inputs, ioa.contribution_rates())
    _edit(data_copy / "assumptions" / "contribution_rates.csv", "128,0.20,0.80", "128,0.90,0.95")
    after = va.draws_parts(inputs, ioa.contribution_rates())
    assert after.to_numpy().sum() > before.to_numpy().sum()


def test_forecast_scenarios_file_moves_results(data_copy):
    def value_2025():
        frame = forecast.paths({"t": 2.2}, 100.0, 2021, lambda n, p: ledger.published_value(forecast.end_point_id(n, p)))
        return frame.query("scenario == 'baseline' and year == 2025")["value_added"].iloc[0]
    before = value_2025()
    _edit(data_copy / "assumptions" / "forecast_scenarios.csv", "baseline,2035,0.5,2021.5,0.5,1.5",
          "baseline,2035,0.5,2021.5,0.5,3.0")
    assert value_2025() > before
