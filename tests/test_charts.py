"""House style: the Chinese font is found and tables glue as JSON."""
import json

import pytest
from matplotlib import font_manager

from lib.present import charts


def test_cjk_font_is_used():
    path = font_manager.findfont(font_manager.FontProperties(family=charts.CJK_FAMILY), fallback_to_default=False)
    assert "NotoSansCJK" in path


def test_chinese_text_renders_without_missing_glyphs(recwarn):
    fig, ax = charts.figure()
    ax.set_title("图5-1 产业互联网的实际增加值规模和增速")
    fig.canvas.draw()
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_table_payload_round_trips():
    import pandas as pd
    payload = json.loads(repr(charts._TablePayload(pd.DataFrame({"a": [1.23456, float("nan")], "b": ["x", "图"]}), 2)))
    assert payload == {"columns": ["a", "b"], "rows": [["1.23", "x"], ["", "图"]]}


def test_role_colors_and_year_axis():
    import matplotlib.pyplot as plt

    from lib.present import charts

    assert charts.role_color("report") != charts.role_color("book")
    with pytest.raises(KeyError, match="unknown colour role"):
        charts.role_color("nonsense")
    fig, ax = plt.subplots()
    ax.plot([2007, 2016], [1, 2])
    charts.year_axis(ax)
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 2007 <= t <= 2016]
    assert ticks and all(float(t).is_integer() for t in ticks)
    plt.close(fig)


def test_one_width_one_resolution():
    import matplotlib.pyplot as plt

    fig, _ = charts.figure()
    assert fig.get_size_inches()[0] == charts.COLUMN_WIDTH
    plt.close(fig)
    fig, _ = charts.figure(9.0, 3.6)      # wider than the column: drawn at the column width, same shape
    w, h = fig.get_size_inches()
    assert w == charts.COLUMN_WIDTH and h == pytest.approx(3.6 * charts.COLUMN_WIDTH / 9.0)
    plt.close(fig)
    # the smallest text (7 pt) ends at >= 10 px when the figure is shown in a ~730 px column
    assert 7 / 72 * charts.SAVE_DPI * min(1.0, 730 / (charts.COLUMN_WIDTH * charts.SAVE_DPI)) >= 10


@pytest.mark.parametrize("where", ["below", "right"])
def test_legend_outside_keeps_off_the_data(where):
    import matplotlib.pyplot as plt

    fig, ax = charts.figure()
    ax.plot([2010, 2020], [1, 2], label="book", color=charts.role_color("book"))
    ax.plot([2010, 2020], [2, 1], label="report", color=charts.role_color("report"))
    ax.set_xlabel("year")
    charts.year_axis(ax)
    legend = charts.legend_outside(ax, where)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, axes_box = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert not box.overlaps(axes_box)
    if where == "below":   # clear of the tick labels and the axis label too
        assert box.y1 <= ax.xaxis.get_tightbbox(renderer).y0 + 0.5
    plt.close(fig)


def test_plotted_table_reads_bars_lines_and_points_from_the_artists():
    """Issue 22: a figure's CSV is what it draws; reference lines and spans are not data."""
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from lib.present import va_tables

    years = [2017, 2018, 2019]
    track = pd.DataFrame({"iie": [1.0, 2.0, 3.0], "real_growth_pct": [5.0, 6.0, 7.0]}, index=years)
    report = pd.DataFrame({"total": [1.5, None, 3.5], "real_growth": [4.0, None, 8.0]}, index=years)
    fig = va_tables.figure_value_added(track, report)
    fig.axes[0].axhline(1.0)
    fig.axes[0].axvspan(2017, 2018)
    fig.canvas.draw()
    table = charts.plotted_table(fig)
    top, bottom = fig.axes[0], fig.axes[1]
    bars = table[table["mark"] == "bar"]
    heights = [p.get_height() for c in top.containers for p in c.patches]
    assert np.allclose(bars["y"], heights, equal_nan=True)
    lines = table[table["mark"] == "line"]
    drawn = [y for line in bottom.lines for y in line.get_ydata()]
    assert np.allclose(lines["y"], drawn, equal_nan=True) and lines["y"].notna().sum() == 5
    assert set(lines["y_axis"]) == {"real growth (%)"} and set(lines["series"]) == {"replication track", "report"}
    assert len(fig.axes) == 2 and not any(ax.get_label() == "twinx" for ax in fig.axes)   # no dual axes
    plt.close(fig)


def test_figure_csv_names_the_figure_and_translates_headers():
    from lib.book import figures

    entry = {"number": "图5-1", "caption": "实际增加值", "lang": "zh",
             "table": {"columns": ["panel", "series", "mark", "x", "y"], "rows": [["panel 2", "book", "bar", 2019, 1.25]]}}
    text = figures.figure_csv(entry)
    assert text.splitlines()[0] == "# 图5-1: 实际增加值"
    assert text.splitlines()[1] == "分图,系列,图形,x,y"
    assert text.splitlines()[2] == "分图2,book,柱,2019,1.25"


def _glued_pngs(monkeypatch, fig) -> dict:
    """What charts.glue_figure glues for a figure: {name: PNG bytes}."""
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=False: glued.__setitem__(name, value))
    charts.glue_figure("fig", fig)
    return {name: value.data for name, value in glued.items() if name in ("fig", "fig" + charts.ZH_KEY)}


def _saved_as_before(fig) -> dict:
    """The same figure saved as glue_figure saved it before it laid each language out once: a layout pass at the
    figure's own resolution, then savefig with bbox_inches="tight" (which lays the figure out again)."""
    import io

    import matplotlib.pyplot as plt

    from lib.present import figure_text

    pngs = {}
    for name in ("fig", "fig" + charts.ZH_KEY):
        if name != "fig":
            figure_text.to_chinese(fig)
        else:
            fig.draw_without_rendering()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None}, bbox_inches="tight")
        pngs[name] = out.getvalue()
    plt.close(fig)
    return pngs


def _chart():
    fig, ax = charts.figure(kind="coded")
    ax.plot([2017, 2018, 2019], [1.0, 3.0, 2.0], label="High-High")
    ax.bar([2017, 2018, 2019], [0.5, 1.0, 1.5], label="Low-Low")
    ax.set_xlabel("year")
    ax.set_ylabel("spatial lag")
    ax.text(2018, 2.5, "High-High: 12", fontsize=8, bbox={"facecolor": "white", "edgecolor": "none"})
    charts.year_axis(ax)
    charts.legend_outside(ax)
    return fig


def _panels():
    """Two panels laid out once by tight_layout (which leaves a PlaceHolderLayoutEngine on the figure)."""

    fig, ax = charts.figure(6.0, 3.4)
    ax.remove()
    for i in (1, 2):
        panel = fig.add_subplot(1, 2, i)
        panel.scatter([-1.0, 0.5, 2.0], [0.3, -0.8, 1.1], s=9, c="#d7191c", label="High-High")
        panel.set_xlabel("index (standardised)")
        panel.set_title(f"{2017 + i}: I = 0.{i}2")
    fig.tight_layout()
    assert fig.get_layout_engine() is not None
    return fig


def _map():
    from lib.present import maps

    frame = _map_squares()
    fig, ax = charts.figure(7.5, 5.6)
    maps.choropleth(ax, frame, "v", frame, bins=[1.5, 2.5, 3.0], title="2019",
                    legend_title="PKU-DFIIC, 2019 quintiles")
    return fig


def _lisa_maps():
    from types import SimpleNamespace

    from lib.present import maps

    frame = _map_squares()
    lisa = frame[["adcode"]].assign(cluster=["High-High", "Low-Low", "Not significant", "High-High"],
                                    cluster_fdr="Not significant")
    by_year = {2018: SimpleNamespace(lisa=lisa), 2019: SimpleNamespace(lisa=lisa)}
    return maps.lisa_years(frame, by_year, frame.iloc[:3], 0.05, 0.05)


def _map_squares():
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame({"adcode": range(4), "v": [1.0, 2.0, 3.0, None]},
                            geometry=[box(100 + i, 30 + (i % 2) * 0.5, 100.98 + i, 30.9 + (i % 2) * 0.5)
                                      for i in range(4)], crs="EPSG:4326")


@pytest.mark.parametrize("make", [_chart, _panels, _map, _lisa_maps])
def test_glue_figure_saves_the_bytes_of_a_tight_savefig(monkeypatch, make):
    """One layout per language (the box savefig crops to measured from it), and a map's polygons drawn once under
    both languages' texts: the same PNG bytes as a layout pass and savefig(bbox_inches="tight") per language."""
    assert _glued_pngs(monkeypatch, make()) == _saved_as_before(make())


def test_a_map_draws_its_polygons_once_for_both_languages(monkeypatch):
    import io

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import RendererAgg

    draws = []
    original = RendererAgg.__init__

    def init(self, *args, **kwargs):   # count what the renderer rasterises (layout passes switch drawing off)
        original(self, *args, **kwargs)
        inner = self.draw_path_collection
        self.draw_path_collection = lambda *a, **k: (draws.append(a), inner(*a, **k))[1]

    monkeypatch.setattr(RendererAgg, "__init__", init)
    fig = _map()
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    once = len(draws)
    assert once >= 3   # every unit, the units without data (hatched), the units with data
    draws.clear()
    _glued_pngs(monkeypatch, _map())   # English and Chinese
    assert len(draws) == once
