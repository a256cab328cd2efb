"""National macro series used across chapters (GDP, deflator, value added by industry)."""
from __future__ import annotations

import pandas as pd

from lib import data

TRILLION = 1e12


def real_gdp() -> pd.DataFrame:
    """GDP by year: nominal and real (2015 prices) in trillion yuan, deflator 2015 = 100 (World Bank WDI)."""
    wdi = data.load("wdi_gdp").set_index("year")
    out = pd.DataFrame({
        "nominal_trn": wdi["gdp_current_lcu_yuan"] / TRILLION,
        "real_2015_trn": wdi["derived_real_gdp_2015prices_yuan"] / TRILLION,
        "deflator_2015eq100": wdi["derived_gdp_deflator_2015eq100"],
    })
    out["real_increment_trn"] = out["real_2015_trn"].diff()
    out["real_growth_pct"] = 100 * out["real_2015_trn"].pct_change()
    return out


def industry_shares() -> pd.DataFrame:
    """Shares of GDP (percent, current prices) of the three industries and of industry (工业) alone (NBS).

    Years with a missing cell are dropped (the source's 2003 tertiary value is malformed).
    """
    nbs = data.load("gdp_by_industry").set_index("year")
    shares = pd.DataFrame({
        "primary": nbs["va_primary"], "secondary": nbs["va_secondary"],
        "tertiary": nbs["va_tertiary"], "industry": nbs["va_industry"],
    }).div(nbs["gdp"], axis=0) * 100
    return shares.dropna()
