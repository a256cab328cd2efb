"""Scenario paths of the industrial internet's share of GDP to 2035 (report Figures 5-4 and 5-5).

The report gives only end points (share of GDP in 2035) and two windows of faster growth (2021-22,
2024-25). The book's model is a sum of logistic steps starting from the recomputed 2021 share:

    s(t) = s_2021 + Σ_k a_k [σ((t − m_k)/w_k) − σ((2021 − m_k)/w_k)],   σ(z) = 1 / (1 + e^(−z)),

with the two acceleration steps' heights, centres and widths read from data/assumptions/forecast_scenarios.csv
and the height of the last (post-2025) step solved so that s(2035) hits the scenario's end point: the
paths are *calibrated* to the report's end points, not predicted.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib import tables

STEPS = ("it_ct", "ot", "long_run")


def _sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def scenarios() -> pd.DataFrame:
    columns = ["scenario", "share_2035_pct"] + [f"{s}_{p}" for s in STEPS for p in ("height_pp", "centre", "width")]
    frame = tables.read_authored("assumptions/forecast_scenarios.csv", columns + ["gdp_growth_2022_2025_pct",
                                                                                "gdp_growth_2026_2030_pct",
                                                                                "gdp_growth_2031_2035_pct"])
    return frame.set_index("scenario")


def _step(years, height, centre, width, start):
    return height * (_sigma((years - centre) / width) - _sigma((start - centre) / width))


def share_path(start_share: float, params: pd.Series, start: int = 2021, end: int = 2035) -> pd.Series:
    """Share of GDP (percent) from ``start`` to ``end``; the long-run step's height is solved for the end point."""
    years = np.arange(start, end + 1, dtype=float)
    fixed = sum(_step(years, params[f"{s}_height_pp"], params[f"{s}_centre"], params[f"{s}_width"], start)
                for s in STEPS[:2])
    unit = _step(years, 1.0, params["long_run_centre"], params["long_run_width"], start)
    height = (params["share_2035_pct"] - start_share - fixed[-1]) / unit[-1]
    path = start_share + fixed + height * unit
    out = pd.Series(path, index=years.astype(int), name="share_pct")
    out.attrs["long_run_height_pp"] = float(height)
    return out


def gdp_path(gdp_start: float, params: pd.Series, start: int = 2021, end: int = 2035) -> pd.Series:
    """Real GDP (same unit as ``gdp_start``) grown at the scenario's stated rates."""
    values, level = {start: gdp_start}, gdp_start
    for year in range(start + 1, end + 1):
        rate = (params["gdp_growth_2022_2025_pct"] if year <= 2025 else
                params["gdp_growth_2026_2030_pct"] if year <= 2030 else params["gdp_growth_2031_2035_pct"])
        level *= 1 + rate / 100
        values[year] = level
    return pd.Series(values, name="gdp")
