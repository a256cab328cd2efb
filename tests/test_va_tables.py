"""Chapter 5's table assembly: published values in the right cells, the ledger's tolerance, the display rows."""
import numpy as np
import pandas as pd
import pytest

from lib.present import va_tables


def test_report_values_and_missing_cells():
    report = va_tables.report_values([2018, 2019, 2021])
    # the report's text: 1.818, 0.772 and 1.046 trillion yuan in 2018; 13.08% real growth in 2021 (Table 5-2)
    assert report.at[2018, "total"] == pytest.approx(1.818)
    assert report.at[2018, "direct"] == pytest.approx(0.772) and report.at[2018, "penetration"] == pytest.approx(1.046)
    assert report.at[2021, "real_growth"] == pytest.approx(13.08)
    assert np.isnan(report.at[2019, "direct"])          # the report gives its parts for 2018 and 2021 only
    assert np.isnan(va_tables.pub("no.such.id"))


def test_growth_tolerance_is_rounding_or_half_a_percent():
    # 9.96 printed with two decimals: rounding 0.005 < 0.5% of 9.96 = 0.0498
    assert va_tables.growth_tolerance(2019) == pytest.approx(0.0498)


def test_share_id_uses_table_5_2_for_the_first_year():
    assert va_tables.share_id(2018, 2018) == "T5-2.tsinghua.2018.share_gdp"
    assert va_tables.share_id(2020, 2018) == "T5-1.2020.share_gdp"


def test_table_5_1_puts_the_report_beside_the_track():
    years = [2018, 2019]
    track = pd.DataFrame({c: [1.0, 2.0] for _, c, _ in va_tables.T51_QUANTITIES}, index=years)
    t = va_tables.table_5_1(track, years).set_index(["year", "quantity"])
    assert t.at[(2019, "real GDP"), "report"] == pytest.approx(88.95)          # Table 5-1
    assert t.at[(2018, "share of GDP (%)"), "report"] == pytest.approx(2.17)   # Table 5-2
    assert t.at[(2019, "real GDP"), "replication track"] == 2.0


def test_sensitivity_table_fills_missing_totals():
    t = va_tables.sensitivity_table([("a", 1.0, 2.0, np.nan, ""), ("b", np.nan, np.nan, 5.0, "")])
    assert t["total"].tolist() == [3.0, 5.0]
