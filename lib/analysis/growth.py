"""Growth accounting: a Cobb-Douglas fit and the Solow residual (report section 5(一)1, step 2).

The report fits ln Y = c + α ln K + β ln L on 2007-2016 and uses TFP_t / TFP_{t−1} as a yearly
multiplier for the penetration rates of 2019-2021.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from lib.analysis import macro, results
from lib.inputs import data
from lib.inputs.results_dictionary import key

__all__ = ["capital_stock", "macro_panel", "fit_cobb_douglas", "fit_constant_returns", "solow_residual",
           "tfp_multipliers", "labour_share", "fit_records"]


def capital_stock() -> pd.Series:
    """Real capital stock (PWT rnna): PWT 10.01 levels, extended past 2019 with PWT 11.0 growth rates.

    Index 2017 = 1 (levels are in different base-year dollars; only growth matters for the fit's slope).
    """
    old = data.load("pwt_1001").set_index("year")["rnna"]
    new = data.load("pwt_110").set_index("year")["rnna"]
    spliced = old.copy()
    for year in sorted(y for y in new.index if y > old.index.max()):
        spliced.loc[year] = spliced.loc[year - 1] * new.loc[year] / new.loc[year - 1]
    return (spliced / spliced.loc[2017]).rename("capital_index")


def macro_panel() -> pd.DataFrame:
    """Y (real GDP, trillion 2015 yuan, WDI), K (capital index) and L (NBS revised employment, 10k persons)."""
    gdp = macro.real_gdp()["real_2015_trn"]
    emp = data.load("emp_total").set_index("year")["employed_total_10k"]
    frame = pd.concat({"Y": gdp, "K": capital_stock(), "L": emp}, axis=1).dropna()
    return frame


def fit_cobb_douglas(panel: pd.DataFrame, start: int = 2007, end: int = 2016):
    """OLS of ln Y on ln K and ln L over [start, end] (statsmodels results object)."""
    sample = panel.loc[start:end]
    X = add_constant(np.log(sample[["K", "L"]]).rename(columns={"K": "ln_K", "L": "ln_L"}))
    return OLS(np.log(sample["Y"]).rename("ln_Y"), X).fit()


def fit_constant_returns(panel: pd.DataFrame, start: int = 2007, end: int = 2016):
    """OLS of ln(Y/L) on ln(K/L): the same function with α + β = 1 imposed."""
    sample = panel.loc[start:end]
    X = add_constant(np.log(sample["K"] / sample["L"]).rename("ln_K_per_L"))
    return OLS(np.log(sample["Y"] / sample["L"]).rename("ln_Y_per_L"), X).fit()


def solow_residual(panel: pd.DataFrame, alpha: float, beta: float) -> pd.Series:
    """TFP_t = Y_t / (K_t^α L_t^β) (the constant left out: it cancels in the multipliers)."""
    return (panel["Y"] / (panel["K"] ** alpha * panel["L"] ** beta)).rename("tfp")


def tfp_multipliers(tfp: pd.Series) -> pd.Series:
    """TFP_t / TFP_{t−1}: the report's yearly 'technical progress multiplier'."""
    return (tfp / tfp.shift(1)).rename("multiplier")


def labour_share(start: int, end: int) -> float:
    """Mean PWT labour share (labsh) for China over [start, end] (PWT 11.0)."""
    pwt = data.load("pwt_110").set_index("year")["labsh"]
    return float(pwt.loc[start:end].mean())


def fit_records(fits: dict, multipliers: dict, start: int, end: int, years: list[int]) -> pd.DataFrame:
    """Records: the two fits' coefficients, the constant-returns test, PWT's capital share, the multipliers."""
    out = []
    ols, crs = fits["unrestricted"], fits["constant returns"]
    for name, value in (("solow.alpha", ols.params["ln_K"]), ("solow.beta", ols.params["ln_L"]),
                        ("solow.alpha_se", ols.bse["ln_K"]), ("solow.beta_se", ols.bse["ln_L"]),
                        ("solow.crs_sum", ols.params["ln_K"] + ols.params["ln_L"]),
                        ("solow.alpha_crs", crs.params["ln_K_per_L"]), ("solow.alpha_crs_se", crs.bse["ln_K_per_L"])):
        out.append(results.row(name, value, "elasticity"))
    out.append(results.row("solow.r2", ols.rsquared, "ratio"))
    out.append(results.row("solow.crs_pvalue", float(ols.t_test("ln_K + ln_L = 1").pvalue), "p-value"))
    out.append(results.row("solow.condition_number", ols.condition_number, "ratio"))
    out.append(results.row("solow.pwt_capital_share", 1 - labour_share(start, end), "ratio"))
    for name, pattern in (("unrestricted", "solow.multiplier.<year>"), ("constant returns", "solow.multiplier_crs.<year>")):
        for y in years:
            out.append(results.row(key(pattern, year=y), multipliers[name][y], "ratio"))
    return results.rows(*out)
