"""Scenario paths of the industrial internet's share of GDP to the report's horizon (Figures 5-4 and 5-5).

The report gives only end points (share of GDP in 2035) and two windows of faster growth (2021-22,
2024-25). The book's model is a sum of logistic steps starting from a recomputed share s_start:

    s(t) = s_start + Σ_k a_k [σ((t − m_k)/w_k) − σ((start − m_k)/w_k)],   σ(z) = 1 / (1 + e^(−z)),

with the two acceleration steps' heights, centres and widths read from data/assumptions/forecast_scenarios.csv
and the height of the last (long-run) step solved so that s(end_year) hits the report's end point (read from the
published ledger): the paths are *calibrated* to the report's end points, not predicted. Real GDP grows at the
rates of the file's ``gdp_growth_<from>_<to>_pct`` columns.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.analysis import results
from lib.inputs import tables
from lib.inputs.results_dictionary import key

__all__ = ["STEPS", "FILE", "scenarios", "end_point_id", "windows", "share_path", "gdp_path", "paths",
           "value_added_table", "records", "milestones"]

STEPS = ("it_ct", "ot", "long_run")
FILE = "assumptions/forecast_scenarios.csv"
_GROWTH = re.compile(r"gdp_growth_(\d{4})_(\d{4})_pct")


def _sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def scenarios() -> pd.DataFrame:
    columns = ["scenario", "end_year"] + [f"{s}_{p}" for s in STEPS for p in ("height_pp", "centre", "width")]
    frame = tables.read_authored(FILE, columns)
    if not any(_GROWTH.fullmatch(c) for c in frame.columns):
        raise tables.AuthoredDataError(f"{tables.paths.DATA / FILE}: no gdp_growth_<from>_<to>_pct column")
    return frame.set_index("scenario")


def end_point_id(name: str, params: pd.Series) -> str:
    return f"X5.forecast.share_gdp.{int(params['end_year'])}.{name}"


def windows(params: pd.Series) -> list[tuple[float, float]]:
    """The two acceleration windows (centre ± width) the figure shades."""
    return [(params[f"{s}_centre"] - params[f"{s}_width"], params[f"{s}_centre"] + params[f"{s}_width"]) for s in STEPS[:2]]


def _step(years, height, centre, width, start):
    return height * (_sigma((years - centre) / width) - _sigma((start - centre) / width))


def share_path(start_share: float, params: pd.Series, end_share: float, start: int) -> pd.Series:
    """Share of GDP (percent) from ``start`` to the scenario's end year; the long-run height is solved."""
    years = np.arange(start, int(params["end_year"]) + 1, dtype=float)
    fixed = sum(_step(years, params[f"{s}_height_pp"], params[f"{s}_centre"], params[f"{s}_width"], start)
                for s in STEPS[:2])
    unit = _step(years, 1.0, params["long_run_centre"], params["long_run_width"], start)
    height = (end_share - start_share - fixed[-1]) / unit[-1]
    out = pd.Series(start_share + fixed + height * unit, index=years.astype(int), name="share_pct")
    out.attrs["long_run_height_pp"] = float(height)
    return out


def gdp_path(gdp_start: float, params: pd.Series, start: int) -> pd.Series:
    """Real GDP (same unit as ``gdp_start``) grown at the scenario's stated rates per period."""
    periods = [(int(m.group(1)), int(m.group(2)), params[c]) for c in params.index if (m := _GROWTH.fullmatch(c))]
    values, level = {start: gdp_start}, gdp_start
    for year in range(start + 1, int(params["end_year"]) + 1):
        rate = next((r for lo, hi, r in periods if lo <= year <= hi), None)
        if rate is None:
            raise tables.AuthoredDataError(f"{tables.paths.DATA / FILE}: no GDP growth rate covers {year}")
        level *= 1 + rate / 100
        values[year] = level
    return pd.Series(values, name="gdp")


def paths(starts: dict[str, float], gdp_start: float, start: int, end_share) -> pd.DataFrame:
    """Tidy paths for every track (name -> start share) and scenario: share, GDP and value added by year.

    ``end_share(scenario, params)`` returns the report's end point."""
    rows = []
    for name, params in scenarios().iterrows():
        gdp = gdp_path(gdp_start, params, start)
        for track, share0 in starts.items():
            share = share_path(share0, params, end_share(name, params), start)
            rows.append(pd.DataFrame({"track": track, "scenario": name, "year": share.index, "share_pct": share.values,
                                      "gdp": gdp.reindex(share.index).values,
                                      "long_run_height_pp": share.attrs["long_run_height_pp"]}))
    out = pd.concat(rows, ignore_index=True)
    out["value_added"] = out["share_pct"] / 100 * out["gdp"]
    return out


def value_added_table(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Value added (trillion yuan, 2015 prices) the S-curves imply, by track and scenario, in ``years``."""
    wide = frame[frame["year"].isin(years)].pivot_table(index=["scenario", "track"], columns="year",
                                                        values="value_added", sort=False)
    wide.columns = [f"{y}" for y in wide.columns]
    return wide.reset_index()


# the end points per track (two rows of the results dictionary: only the first track is compared)
_SHARE_PATTERNS = {"replication": "forecast.replication.share_gdp.<year>.<scenario>",
                  "open_basis": "forecast.open_basis.share_gdp.<year>.<scenario>"}


def records(frame: pd.DataFrame, slugs: dict[str, str], end_share, report_start_share: float) -> pd.DataFrame:
    """Records: the end points (by construction), the long-run heights, value added and multiples per track.

    Only the first track (the headline) is compared with the report's end points: both tracks are calibrated
    to the same end points, so one comparison row per published value says all there is to say.
    """
    out = []
    sc = scenarios()
    for scenario, params in sc.iterrows():
        out.append(results.row(key("forecast.multiple_from_report.<scenario>", scenario=scenario), end_share(scenario, params) / report_start_share, "ratio"))
    for (track, scenario), g in frame.groupby(["track", "scenario"], sort=False):
        g = g.set_index("year")
        end, start = g.index.max(), g.index.min()
        slug = slugs[track]
        headline = slug == next(iter(slugs.values()))
        out.append(results.row(key(_SHARE_PATTERNS[slug], year=end, scenario=scenario), g.at[end, "share_pct"], "percent",
                               published_id=end_point_id(scenario, sc.loc[scenario]) if headline else None,
                               by_construction=tables.explanations()["forecast.end_point_calibrated"] if headline else ""))
        out.append(results.row(key("forecast.<track>.long_run_height.<scenario>", track=slug, scenario=scenario), g["long_run_height_pp"].iloc[0], "percentage points"))
        out.append(results.row(key("forecast.<track>.iie_va.<year>.<scenario>", track=slug, year=end, scenario=scenario), g.at[end, "value_added"], "trillion yuan (2015 prices)"))
        out.append(results.row(key("forecast.<track>.multiple.<scenario>", track=slug, scenario=scenario), g.at[end, "share_pct"] / g.at[start, "share_pct"], "ratio"))
    return results.rows(*out)


def milestones(start: int) -> list[int]:
    """The start year and the last year of each GDP-growth period of the scenario file."""
    params = scenarios().iloc[0]
    ends = sorted(int(m.group(2)) for c in params.index if (m := _GROWTH.fullmatch(c)))
    return [start] + [y for y in ends if y > start]


# ---------------------------------------------------------------- three years on (issue 21)

def outturn_comparison(frame: pd.DataFrame, outturn: pd.DataFrame, track: str) -> pd.DataFrame:
    """The scenario paths of ``track`` beside the outturn in the years both cover after the paths' start.

    ``outturn``: year, share_gdp (percent) and real_growth (percent) of the same track carried forward. One row
    per year and scenario: the path's share and implied real growth of value added (share × the scenario's GDP),
    the outturn's, their difference, and whether the scenario is the nearest in that year.
    """
    g = frame[frame["track"] == track].sort_values(["scenario", "year"]).copy()
    g["path_growth"] = 100 * g.groupby("scenario")["value_added"].pct_change()
    out = g.merge(outturn[["year", "share_gdp", "real_growth"]], on="year")
    out = out[out["year"] > g["year"].min()].rename(columns={"share_pct": "path_share"})
    out["gap_pp"] = out["share_gdp"] - out["path_share"]
    nearest = out.loc[out.groupby("year")["gap_pp"].apply(lambda s: s.abs().idxmin())]
    out["nearest"] = out.index.isin(nearest.index)
    return out[["year", "scenario", "path_share", "path_growth", "share_gdp", "real_growth", "gap_pp",
                "nearest"]].reset_index(drop=True)


def outturn_records(comparison: pd.DataFrame) -> pd.DataFrame:
    """Rows (key, value, unit) of the comparison: ``forecast.report_path.share_gdp.<year>.<scenario>``, the
    paths' implied growth, the outturn's gap to each, and per year the nearest scenario's rank in the file."""
    order = list(scenarios().index)
    rows = []
    for r in comparison.itertuples():
        rows += [{"key": key("forecast.report_path.share_gdp.<year>.<scenario>", year=r.year, scenario=r.scenario), "value": r.path_share, "unit": "percent"},
                 {"key": key("forecast.report_path.real_growth.<year>.<scenario>", year=r.year, scenario=r.scenario), "value": r.path_growth,
                  "unit": "percent"},
                 {"key": key("forecast.outturn_gap.<year>.<scenario>", year=r.year, scenario=r.scenario), "value": r.gap_pp, "unit": "percentage points"}]
    for year, g in comparison.groupby("year"):
        rows.append({"key": key("forecast.outturn_below_all.<year>", year=year), "value": float((g["gap_pp"] < 0).all()), "unit": "flag"})
        rows.append({"key": key("forecast.outturn_nearest.<year>", year=year), "value": order.index(g.loc[g["nearest"], "scenario"].iloc[0]),
                     "unit": "scenario (row of the scenario file, from 0)"})
    return results.rows(*rows)
