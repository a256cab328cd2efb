"""Maps and spatial charts for the regional chapter: choropleths, Moran scatter plots, LISA cluster maps.

All maps use one equal-area projection (``cities.EQUAL_AREA``) and one set of cluster colours
(``CLUSTER_COLOURS``), so High-High is the same red in every figure.
"""
from __future__ import annotations

import functools

import geopandas as gpd
import mapclassify
import matplotlib
import numpy as np
import pandas as pd
import shapely
from libpysal import weights
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from pyproj import Geod
from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

from lib.inputs import cities
from lib.present import charts

__all__ = ["CLUSTER_COLOURS", "NO_DATA", "CMAP", "HU_LINE", "project", "hu_line_lonlat", "hu_line", "base",
           "choropleth", "moran_scatter", "lisa_map", "cluster_handles", "southeast_of_hu_line", "common_bins",
           "index_maps", "moran_scatters", "lisa_years"]

CLUSTER_COLOURS = {"High-High": "#d7191c", "Low-Low": "#2c7bb6", "Low-High": "#abd9e9",
                   "High-Low": "#fdae61", "Not significant": "#eeeeee"}
NO_DATA = "#ffffff"
CMAP = "YlOrRd"
# Hu Huanyong line: Heihe (Aihui), Heilongjiang to Tengchong, Yunnan
HU_LINE = [(127.50, 50.25), (98.50, 25.02)]


def _unit_path(geometry) -> Path:
    """One compound path per unit: every ring of every part (holes drawn by the even-odd rule)."""
    vertices, codes = [], []
    for part in shapely.get_parts(geometry):
        part = orient(part)  # exterior counter-clockwise, holes clockwise: holes stay empty under any fill rule
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)
            code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            code[0], code[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(code)
    return Path(np.concatenate(vertices), np.concatenate(codes))


# (CRS, id of a unit's geometry) -> (the geometry, its projected path): units recur in every map. The geometry is
# kept, so its id names it for the life of the process; a merge or subset of a frame holds the same objects.
_PATHS: dict[tuple[str, int], tuple] = {}


def _paths(frame: gpd.GeoDataFrame) -> list[Path]:
    """Matplotlib paths of a frame's polygons in the maps' projection, each projected and built once per process.

    Looked up by the geometry object, not by its WKB: encoding every polygon of a layer on every map cost more
    than drawing it (20 ms a layer, 30 layers on the regional page)."""
    crs = frame.crs.to_string()
    geometries = frame.geometry.values
    keys = [(crs, id(g)) for g in geometries]
    missing = {k: g for k, g in zip(keys, geometries) if k not in _PATHS}
    if missing:
        projected = project(gpd.GeoSeries(list(missing.values()), crs=frame.crs))
        _PATHS.update((k, (g, _unit_path(p))) for (k, g), p in zip(missing.items(), projected.values))
    return [_PATHS[k][1] for k in keys]


def _polygons(ax, frame: gpd.GeoDataFrame, **style) -> None:
    """Draw a frame's polygons, projected, as one collection (public matplotlib API; no redraw of the figure).

    geopandas' ``frame.plot`` builds a patch per polygon part and ends with ``canvas.draw_idle()``,
    which on the Agg canvas renders the whole figure after every layer; here each layer is one
    ``PathCollection`` and the figure is rendered once, when it is saved.
    """
    if frame.empty:
        return
    ax.add_collection(PathCollection(_paths(frame), **style), autolim=True)
    ax.autoscale_view()


def _hu_line(ax) -> None:
    x, y = hu_line().iloc[0].xy
    ax.plot(x, y, color="#333333", linewidth=0.9, linestyle="--")


def project(frame):
    """A GeoDataFrame or GeoSeries in the maps' equal-area projection."""
    return frame.to_crs(cities.EQUAL_AREA)


def hu_line_lonlat() -> LineString:
    """The Hu Huanyong line as the great circle from Heihe to Tengchong (100 points, lon/lat)."""

    (x1, y1), (x2, y2) = HU_LINE
    inner = Geod(ellps="WGS84").npts(x1, y1, x2, y2, 98)
    return LineString([HU_LINE[0], *inner, HU_LINE[1]])


@functools.lru_cache(maxsize=1)
def hu_line() -> gpd.GeoSeries:
    """The Hu Huanyong line in the maps' equal-area projection."""
    return gpd.GeoSeries([hu_line_lonlat()], crs="EPSG:4326").to_crs(cities.EQUAL_AREA)


def _frame(ax) -> None:
    ax.set_axis_off()
    ax.xaxis.set_visible(False)   # not drawn (axis off), nor measured: matplotlib measures a visible axis's ticks
    ax.yaxis.set_visible(False)   # in every draw of a titled axes, tens of milliseconds a map
    ax.set_aspect("equal")
    ax.book_map = True   # charts.glue_figure: a map's polygons lie under its texts, drawn once for both languages


def base(ax, background: gpd.GeoDataFrame, shown: gpd.GeoDataFrame | None = None) -> None:
    """Every unit white with grey borders; units not in ``shown`` hatched (they stay visible as 'no data').

    Only the units not shown are hatched: the shown ones are painted over, and hatching is the costliest
    part of rendering a map.
    """
    _polygons(ax, background, facecolor=NO_DATA, edgecolor="#b0b0b0", linewidth=0.2)
    if shown is None:
        absent = background
    elif "adcode" in shown and "adcode" in background:
        absent = background[~background["adcode"].isin(shown["adcode"])]
    else:
        absent = background[~background.index.isin(shown.index)]
    _polygons(ax, absent, facecolor=NO_DATA, edgecolor="#b0b0b0", linewidth=0.2, hatch="////")
    _frame(ax)


def choropleth(ax, frame: gpd.GeoDataFrame, column: str, background: gpd.GeoDataFrame,
               bins: list[float] | None = None, k: int = 5, legend: bool = True, title: str = "",
               hu: bool = True, legend_title: str = ""):
    """Quantile (or given ``bins``) choropleth of ``column`` with the Hu line; returns the bin edges."""
    shown = frame[frame[column].notna()]
    base(ax, background, shown)
    values = shown[column].to_numpy(float)
    classes = (mapclassify.UserDefined(values, bins) if bins is not None
               else mapclassify.Quantiles(values, k=k))
    edges = list(classes.bins)
    colours = _colours(len(edges))
    _polygons(ax, shown, facecolor=[colours[i] for i in classes.yb], edgecolor="white", linewidth=0.15)
    ax.book_data = _region_table(shown, column, [f"{lo:.0f} – {hi:.0f}" for lo, hi in
                                                 zip([values.min()] + edges[:-1], edges)], classes.yb)
    if hu:
        _hu_line(ax)
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


def _region_table(frame: gpd.GeoDataFrame, column: str, class_names: list | None = None, classes=None) -> pd.DataFrame:
    """What a map shows, region by region (its figure's CSV, ``charts.plotted_table``): code, name, value, class."""
    names = [c for c in ("adcode", "name", "province") if c in frame]
    table = pd.DataFrame(frame[names + [column]]).rename(columns={column: "value" if classes is not None else column})
    if classes is not None:
        table["class"] = [class_names[i] for i in classes]
    return table.reset_index(drop=True)


def _colours(n: int) -> list:

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
    base(ax, background, frame)
    _polygons(ax, frame, facecolor=frame["cluster"].map(CLUSTER_COLOURS).tolist(), edgecolor="white",
              linewidth=0.15)
    ax.book_data = _region_table(frame, "cluster")
    if hu:
        _hu_line(ax)
    if legend:
        ax.legend(handles=cluster_handles(frame["cluster"].value_counts() if counts else None), loc="lower left",
                  fontsize=7)
    if title:
        ax.set_title(title)


def cluster_handles(counts: pd.Series | None = None) -> list:
    """Legend entries of the cluster maps, with each cluster's count when ``counts`` is given."""
    handles = [Patch(facecolor=c, edgecolor="#999999", label=name if counts is None else f"{name} ({counts.get(name, 0)})")
               for name, c in CLUSTER_COLOURS.items()]
    return handles + [Patch(facecolor=NO_DATA, edgecolor="#b0b0b0", hatch="////", label="not in sample")]


def southeast_of_hu_line(frame: gpd.GeoDataFrame) -> pd.Series:
    """True where a unit's representative point lies south-east of the Hu Huanyong line (great circle)."""

    line = list(hu_line_lonlat().coords)
    southeast = Polygon(line + [(line[-1][0], 0.0), (160.0, 0.0), (160.0, line[0][1])])
    points = frame.to_crs("EPSG:4326").geometry.representative_point()
    return pd.Series(points.within(southeast).to_numpy(), index=frame.index)


def common_bins(frames: dict, column: str = "index", k: int = 5) -> list[float]:
    """Quantile class edges of the last year's ``column``, the top edge raised to cover every year's maximum."""
    last = frames[max(frames)][column].dropna().to_numpy(float)
    bins = list(mapclassify.Quantiles(last, k=k).bins)
    bins[-1] = max(bins[-1], max(float(f[column].max()) for f in frames.values()))
    return bins


def index_maps(frames: dict, background: gpd.GeoDataFrame, bins: list[float], column: str = "index"):
    """Figure 5-6: the last year across the column, the earlier years below on the same classes, two to a row, so that
    every map is at least half the column wide (legible on a phone)."""

    years = sorted(frames)
    rows = (len(years) - 1 + 1) // 2
    fig, ax = charts.figure(charts.COLUMN_WIDTH, 4.9 + 2.75 * rows)
    ax.remove()
    grid = fig.add_gridspec(1 + rows, 2, height_ratios=[4.6] + [2.6] * rows, hspace=0.12, wspace=0.04,
                            left=0.01, right=0.99, top=0.97, bottom=0.03)
    choropleth(fig.add_subplot(grid[0, :]), frames[years[-1]], column, background, bins=bins, title=str(years[-1]),
               legend_title=f"PKU-DFIIC, {years[-1]} quintiles")
    for k, year in enumerate(years[:-1]):
        choropleth(fig.add_subplot(grid[1 + k // 2, k % 2]), frames[year], column, background, bins=bins,
                   legend=False, title=str(year))
    return fig


def moran_scatters(by_year: dict):
    """Figure 5-7: one Moran scatter plot per year (``lib.analysis.regional.YearSpatial`` values)."""

    fig, ax = charts.figure(3.0 * len(by_year), 3.4)
    ax.remove()
    for i, (year, y) in enumerate(sorted(by_year.items())):
        moran_scatter(fig.add_subplot(1, len(by_year), i + 1), y.sample["index"], y.w, counts=y.counts,
                      title=f"{year}: I = {y.stats['moran_i']:.3f}")
    fig.tight_layout()
    return fig


def lisa_years(layer: gpd.GeoDataFrame, by_year: dict, background: gpd.GeoDataFrame, alpha: float, fdr_level: float):
    """LISA clusters per year (columns), at the plain level (top row) and under the FDR bound (bottom row)."""

    # two columns (the two levels), one row per year: each map is half the column wide, legible on a phone
    fig, ax = charts.figure(charts.COLUMN_WIDTH, 2.9 * len(by_year) + 0.6)
    ax.remove()
    levels = (("cluster", f"p < {alpha:g}"), ("cluster_fdr", f"FDR {100 * fdr_level:g}%"))
    for col, (column, label) in enumerate(levels):
        for row, (year, y) in enumerate(sorted(by_year.items())):
            panel = fig.add_subplot(len(by_year), 2, 2 * row + col + 1)
            frame = layer.merge(y.lisa[["adcode", column]].rename(columns={column: "cluster"}), on="adcode")
            lisa_map(panel, frame, background, legend=False, title=f"{year}, {label}")
    # one legend for every panel, below them (and above the figure's kind stamp), so that it covers no map
    fig.legend(handles=cluster_handles(), loc="lower center", bbox_to_anchor=(0.5, 0.012), ncol=3,
               fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.6 / fig.get_figheight(), 1, 1))
    return fig
