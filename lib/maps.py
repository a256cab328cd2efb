"""Maps and spatial charts for the regional chapter: choropleths, Moran scatter plots, LISA cluster maps.

All maps use one equal-area projection (``cities.EQUAL_AREA``) and one set of cluster colours
(``CLUSTER_COLOURS``), so High-High is the same red in every figure.
"""
from __future__ import annotations

import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
from libpysal import weights
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import LineString

from lib import cities

CLUSTER_COLOURS = {"High-High": "#d7191c", "Low-Low": "#2c7bb6", "Low-High": "#abd9e9",
                   "High-Low": "#fdae61", "Not significant": "#eeeeee"}
NO_DATA = "#ffffff"
CMAP = "YlOrRd"
# Hu Huanyong line: Heihe (Aihui), Heilongjiang to Tengchong, Yunnan
HU_LINE = [(127.50, 50.25), (98.50, 25.02)]


def _plot(frame, ax, **style) -> None:
    """``frame.plot`` without geopandas' redraw of the whole figure after every layer.

    geopandas ends each plot call with ``canvas.draw_idle()``, which on the Agg canvas renders the figure:
    a map of n layers then costs n full renders (most of the chapter's run time). The figure is rendered
    once, when it is saved.
    """
    canvas = ax.figure.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # shadows the method on this canvas only
    try:
        frame.plot(ax=ax, **style)
    finally:
        del canvas.draw_idle


def project(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(cities.EQUAL_AREA)


def hu_line_lonlat() -> LineString:
    """The Hu Huanyong line as the great circle from Heihe to Tengchong (100 points, lon/lat)."""
    from pyproj import Geod

    (x1, y1), (x2, y2) = HU_LINE
    inner = Geod(ellps="WGS84").npts(x1, y1, x2, y2, 98)
    return LineString([HU_LINE[0], *inner, HU_LINE[1]])


def hu_line() -> gpd.GeoSeries:
    """The Hu Huanyong line in the maps' equal-area projection."""
    return gpd.GeoSeries([hu_line_lonlat()], crs="EPSG:4326").to_crs(cities.EQUAL_AREA)


def _frame(ax) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")


def base(ax, background: gpd.GeoDataFrame) -> None:
    """Every unit in light grey with white borders (units outside the sample stay visible)."""
    _plot(project(background), ax, color=NO_DATA, edgecolor="#b0b0b0", linewidth=0.2, hatch="////")
    _frame(ax)


def choropleth(ax, frame: gpd.GeoDataFrame, column: str, background: gpd.GeoDataFrame,
               bins: list[float] | None = None, k: int = 5, legend: bool = True, title: str = "",
               hu: bool = True, legend_title: str = ""):
    """Quantile (or given ``bins``) choropleth of ``column`` with the Hu line; returns the bin edges."""
    base(ax, background)
    shown = frame[frame[column].notna()]
    values = shown[column].to_numpy(float)
    classes = (mapclassify.UserDefined(values, bins) if bins is not None
               else mapclassify.Quantiles(values, k=k))
    edges = list(classes.bins)
    colours = _colours(len(edges))
    _plot(project(shown), ax, color=[colours[i] for i in classes.yb], edgecolor="white", linewidth=0.15)
    if hu:
        _plot(hu_line(), ax, color="#333333", linewidth=0.9, linestyle="--")
    if legend:
        lower = [values.min()] + edges[:-1]
        handles = [Patch(facecolor=colours[i], edgecolor="#999999", label=f"{lo:.0f} – {hi:.0f}")
                   for i, (lo, hi) in enumerate(zip(lower, edges))]
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#b0b0b0", hatch="////", label="no data / not in sample"))
        if hu:
            handles.append(Line2D([], [], color="#333333", linestyle="--", label="Hu Huanyong line"))
        ax.legend(handles=handles, loc="lower left", title=legend_title, fontsize=7, title_fontsize=8)
    if title:
        ax.set_title(title)
    return edges


def _colours(n: int) -> list:
    import matplotlib

    cmap = matplotlib.colormaps[CMAP]
    return [cmap(x) for x in np.linspace(0.15, 0.95, n)]


def moran_scatter(ax, y, w: weights.W, title: str = "", counts: pd.Series | None = None) -> None:
    """Standardised value against its spatial lag, quadrants coloured as the LISA map, slope = Moran's I."""
    y = np.asarray(y, dtype=float)
    z = (y - y.mean()) / y.std()
    lag = weights.lag_spatial(w, z)
    quadrant = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0)],
                         ["High-High", "Low-High", "Low-Low"], "High-Low")
    ax.scatter(z, lag, s=9, c=[CLUSTER_COLOURS[q] for q in quadrant], edgecolor="#555555", linewidth=0.2)
    slope, intercept = np.polyfit(z, lag, 1)
    xs = np.array([z.min(), z.max()])
    ax.plot(xs, intercept + slope * xs, color="#333333", linewidth=1)
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.axvline(0, color="#888888", linewidth=0.6)
    ax.set_xlabel("index (standardised)")
    ax.set_ylabel("spatial lag")
    ax.grid(False)
    if counts is not None:
        corners = {"High-High": (0.97, 0.97, "right", "top"), "Low-High": (0.03, 0.97, "left", "top"),
                   "Low-Low": (0.03, 0.03, "left", "bottom"), "High-Low": (0.97, 0.03, "right", "bottom")}
        for name, (x, yy, ha, va) in corners.items():
            ax.text(x, yy, f"{name}: {counts[name]}", transform=ax.transAxes, ha=ha, va=va, fontsize=7,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}, zorder=5)
    ax.set_title(title or f"I = {slope:.3f}")


def lisa_map(ax, frame: gpd.GeoDataFrame, background: gpd.GeoDataFrame, title: str = "",
             legend: bool = True, hu: bool = False, counts: bool = True) -> None:
    """Cluster map of a frame with a ``cluster`` column (names as in ``CLUSTER_COLOURS``)."""
    base(ax, background)
    _plot(project(frame), ax, color=frame["cluster"].map(CLUSTER_COLOURS), edgecolor="white", linewidth=0.15)
    if hu:
        _plot(hu_line(), ax, color="#333333", linewidth=0.9, linestyle="--")
    if legend:
        n = frame["cluster"].value_counts()
        handles = [Patch(facecolor=c, edgecolor="#999999", label=f"{name} ({n.get(name, 0)})" if counts else name)
                   for name, c in CLUSTER_COLOURS.items()]
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#b0b0b0", hatch="////", label="not in sample"))
        ax.legend(handles=handles, loc="lower left", fontsize=7)
    if title:
        ax.set_title(title)


def southeast_of_hu_line(frame: gpd.GeoDataFrame) -> pd.Series:
    """True where a unit's representative point lies south-east of the Hu Huanyong line (great circle)."""
    from shapely.geometry import Polygon

    line = list(hu_line_lonlat().coords)
    southeast = Polygon(line + [(line[-1][0], 0.0), (160.0, 0.0), (160.0, line[0][1])])
    points = frame.to_crs("EPSG:4326").geometry.representative_point()
    return pd.Series(points.within(southeast).to_numpy(), index=frame.index)
