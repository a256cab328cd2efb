"""Display tables of the regional chapter: the report's cells from the ledger, the book's from fits."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from lib.present import regional_tables as tables


def test_published_stars_come_from_the_ledger_notes():
    assert tables.published_stars("T5-3.levels.beta") == "***"
    assert tables.published_stars("T5-3.diff.gamma") == ""
    assert tables.published_stars("T5-5.w_index") == "**"
    assert tables.published_cell("T5-3.levels.gamma", "T5-3.levels.gamma_se") == "0.7284*** (20.296)"


def test_audit_of_table_5_3_finds_the_two_known_inconsistencies():
    audit = tables.audit_5_3()
    verdicts = audit.set_index("row")["verdict"]
    assert len(audit) == 6
    assert verdicts["γ"].startswith("inconsistent as a standard error")  # 0.7284 (20.296) ***: a t statistic
    assert verdicts["β'"] == "inconsistent under either reading"  # 0.3430 (0.526) ***
    records = {r["key"]: r["value"] for r in tables.audit_records(audit)}
    assert records["audit.t5_3.inconsistent_rows"] == 2
    assert records["audit.t5_3.gamma_t_if_se"] == pytest.approx(0.7284 / 20.296)
    assert list(tables.audit_display(audit).columns)[:2] == ["row", "printed"]


def _fit(y, x, cov="nonrobust"):
    return sm.OLS(y, sm.add_constant(x)).fit(cov_type=cov)


def test_table_5_3_layout():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"ln_index": rng.normal(size=50), "ln_gdp": rng.normal(size=50)})
    d = pd.DataFrame({"d_index": rng.normal(size=50), "d_gdp": rng.normal(size=50)})
    y = x.sum(axis=1) + rng.normal(size=50)
    fits = {"levels": _fit(y, x), "levels_hc1": _fit(y, x, "HC1"), "diff": _fit(y, d), "diff_hc1": _fit(y, d, "HC1")}
    table = tables.table_5_3(fits)
    assert len(table) == 10 and table.columns[1] == "Report (Tencent DDI, 262 cities)"
    assert table.iloc[0, 1] == "0.1295*** (0.025)"
    assert table.set_index("Variable").iloc[3].tolist()[1:] == ["50", "50"]  # observations, both columns


def test_weights_robustness_table_formats_change():
    frame = pd.DataFrame({"key": ["queen"], "weights": ["Queen contiguity"], "mean_neighbours": [5.32], "n": [329],
                          "moran_i": [0.56], "z": [16.0], "p": [0.0], "moran_i_2017": [0.45]})
    table = tables.weights_robustness_table(frame, 2019)
    assert table.at[0, "Change in I, 2017-2019"] == "+0.110" and table.at[0, "I (2019)"] == "0.560"


def test_employment_robustness_table_puts_the_report_first():
    frame = pd.DataFrame({"key": ["sample_all", "province_fe"], "n": [314, 314], "beta": [-0.29, -0.19],
                          "se": [0.27, 0.30], "p_hc1": [0.26, 0.55], "r2": [0.885, 0.92]})
    table = tables.employment_robustness_table(frame, {"size_sample_n": 262, "size_rank_by": "pop_10k"})
    assert table.at[0, "β"] == "0.1295*** (0.025)" and table.at[1, "β"] == "-0.290 (0.270)"
    assert table["Sample"].tolist()[2] == "All, with province fixed effects"
    labels = tables.employment_robustness_table(frame.assign(key="sample_262"), {"size_sample_n": 262, "size_rank_by": "pop_10k"})
    assert labels.at[1, "Sample"] == "The 262 largest by hukou population (the report's sample size)"


def test_fmt_handles_missing():
    assert tables.fmt(float("nan")) == "" and tables.fmt(1.23456, 2) == "1.23"
