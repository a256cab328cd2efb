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


def figure_paths(paths: dict[str, pd.Series], history: pd.Series, end_points: dict[str, float]):
    """Figure 5-4: share of GDP by scenario, with the recomputed history and the report's 2035 end points."""
    from lib import charts
    fig, ax = charts.figure(7.0, 3.8, kind="coded")
    ax.plot(history.index, history.values, color="black", marker="o", label="recomputed 2018-2021")
    for i, (name, path) in enumerate(paths.items()):
        ax.plot(path.index, path.values, color=charts.PALETTE[i], label=name)
        ax.scatter([2035], [end_points[name]], color=charts.PALETTE[i], marker="x", s=50)
    for lo, hi in ((2021, 2022), (2024, 2025)):
        ax.axvspan(lo, hi, color="#eeeeee", zorder=0)
    ax.set_xticks(range(2018, 2036, 2))
    ax.set_ylim(0, None)
    ax.set_ylabel("industrial internet, share of GDP (%)")
    ax.legend(fontsize=8, title="x = report's 2035 end point", title_fontsize=7)
    return fig


def figure_gdp(paths: dict[str, pd.Series], gdps: dict[str, pd.Series]):
    """Figure 5-5: industrial-internet value added (bars, trillion 2015 yuan) and its share of GDP (lines)."""
    from lib import charts
    fig, ax = charts.figure(7.0, 3.8, kind="coded")
    names = list(paths)
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        value = paths[name] / 100 * gdps[name]
        ax.bar(value.index + (i - 1) * width, value.values, width, color=charts.PALETTE[i], alpha=0.6,
               label=f"{name}: value added")
    ax.set_ylabel("value added, trillion yuan (2015 prices)")
    right = ax.twinx()
    right.grid(False)
    right.spines["right"].set_visible(True)
    for i, name in enumerate(names):
        right.plot(paths[name].index, paths[name].values, color=charts.PALETTE[i], label=f"{name}: share")
    right.set_ylabel("share of GDP (%)")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = right.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, ncol=2, loc="upper left")
    return fig
