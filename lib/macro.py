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


REVISED_YEAR = 2021  # the year NBS revised after the report (a fact of the data's vintage, not a choice)
REVISION = ("NBS revised 2021 GDP upward after the report was written (final verification, December 2022); "
            "the World Bank series carries the revised figure")
# what the book's real GDP is computed from, independently of the report (the basis of a 'reproduced' row)
GDP_BASIS = ("World Bank WDI GDP of China in current yuan, deflated by its GDP deflator to 2015 prices; "
             "nothing is taken from the report")


def record_real_gdp(gdp: pd.DataFrame, years: list[int], revised: int = REVISED_YEAR) -> None:
    """Ledger: real GDP at 2015 prices and its increments against Table 5-1."""
    from lib import ledger
    for year in years:
        reported = ledger.published_value(f"T5-1.{year}.real_gdp")
        value = ledger.record(f"gdp.real_2015prices.{year}", gdp.at[year, "real_2015_trn"], "trillion yuan (2015 prices)",
                              published_id=f"T5-1.{year}.real_gdp", explanation=REVISION if year == revised else "",
                              basis=GDP_BASIS)
        ledger.record(f"gdp.real_2015prices.reldiff_pct.{year}", 100 * (value / reported - 1), "percent")
    gap = {y: gdp.at[y, "real_2015_trn"] - ledger.published_value(f"T5-1.{y}.real_gdp") for y in years}
    for year in years[1:]:
        why = (f"an increment is a difference of two levels: our levels differ from the report's by "
               f"{gap[year]:+.3f} ({year}) and {gap[year - 1]:+.3f} ({year - 1}) trillion yuan")
        ledger.record(f"gdp.real_increment.{year}", gdp.at[year, "real_increment_trn"], "trillion yuan (2015 prices)",
                      published_id=f"T5-1.{year}.gdp_increment",
                      explanation=why + ("; " + REVISION if year == revised else ""))


def figure_real_gdp(gdp: pd.DataFrame, published: pd.DataFrame):
    """Real GDP at 2015 prices (World Bank, rebased) from the price base year on, and the report's Table 5-1 values."""
    from lib import charts
    base = int(gdp.index[(gdp["deflator_2015eq100"] - 100).abs() < 1e-9][0])
    years = [y for y in gdp.index if y >= base and gdp.at[y, "real_2015_trn"] == gdp.at[y, "real_2015_trn"]]
    fig, ax = charts.figure(6.5, 3.4)
    ax.plot(years, gdp.loc[years, "real_2015_trn"], marker="o", color=charts.role_color("book"),
            label="World Bank WDI, rebased to 2015 prices")
    pub = published[published["column"] == "实际GDP"]
    ax.scatter(pub["row"].astype(int), pub["value"], color=charts.role_color("report"), zorder=3, s=40,
               label="report, Table 5-1")
    ax.set_ylabel("real GDP, trillion yuan (2015 prices)")
    charts.year_axis(ax)
    ax.legend()
    return fig
