"""National macro series used across chapters (GDP, deflator, value added by industry)."""
from __future__ import annotations

import pandas as pd

from lib.analysis import results
from lib.inputs import data, published, tables
from lib.inputs.results_dictionary import key

__all__ = ["TRILLION", "real_gdp", "industry_shares", "REVISED_YEAR", "REVISION", "real_gdp_records"]

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


REVISED_YEAR = 2021  # the year NBS revised after the report (a fact of the data's vintage, not a choice)
# the texts readers see beside the values (data/explanations.csv, English and Chinese)
_TEXT = tables.explanations()
REVISION = _TEXT["macro.revision"]
# what the book's real GDP is computed from, independently of the report (the basis of a 'reproduced' row)
GDP_BASIS = _TEXT["macro.gdp_basis"]


def real_gdp_records(gdp: pd.DataFrame, years: list[int], revised: int = REVISED_YEAR) -> pd.DataFrame:
    """Records: real GDP at 2015 prices and its increments against Table 5-1."""
    out = []
    for year in years:
        reported = published.published_value(f"T5-1.{year}.real_gdp")
        value = float(gdp.at[year, "real_2015_trn"])
        out.append(results.row(key("gdp.real_2015prices.<year>", year=year), value, "trillion yuan (2015 prices)",
                               published_id=f"T5-1.{year}.real_gdp", explanation=REVISION if year == revised else "",
                               basis=GDP_BASIS))
        out.append(results.row(key("gdp.real_2015prices.reldiff_pct.<year>", year=year), 100 * (value / reported - 1), "percent"))
    gap = {y: gdp.at[y, "real_2015_trn"] - published.published_value(f"T5-1.{y}.real_gdp") for y in years}
    for year in years[1:]:
        why = _TEXT["macro.increment"].format(gap=gap[year], year=year, gap_before=gap[year - 1], year_before=year - 1)
        out.append(results.row(key("gdp.real_increment.<year>", year=year), gdp.at[year, "real_increment_trn"], "trillion yuan (2015 prices)",
                               published_id=f"T5-1.{year}.gdp_increment",
                               explanation=why + ("; " + REVISION if year == revised else "")))
    return results.rows(*out)
