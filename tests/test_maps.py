"""Maps: the Hu Huanyong line, the south-east test, classed choropleths and cluster colours."""
import geopandas as gpd
import matplotlib
import numpy as np
import pytest
from shapely.geometry import Point

matplotlib.use("Agg")

from lib.analysis import spatial  # noqa: E402
from lib.present import charts, maps


def test_hu_line_runs_from_heihe_to_tengchong():
    line = maps.hu_line_lonlat()
    assert line.coords[0] == pytest.approx(maps.HU_LINE[0]) and line.coords[-1] == pytest.approx(maps.HU_LINE[1])
    assert len(line.coords) == 100


def test_southeast_of_hu_line_known_cities():
    # Shanghai, Guangzhou and Chengdu lie south-east of the line; Lhasa, Urumqi and Hohhot north-west of it
    places = {"Shanghai": (121.47, 31.23), "Guangzhou": (113.26, 23.13), "Chengdu": (104.07, 30.67),
              "Lhasa": (91.11, 29.65), "Urumqi": (87.62, 43.83), "Hohhot": (111.75, 40.84)}
    frame = gpd.GeoDataFrame({"name": list(places)}, geometry=[Point(p).buffer(0.01) for p in places.values()],
                             crs="EPSG:4326")
    side = dict(zip(frame["name"], maps.southeast_of_hu_line(frame)))
    assert side == {"Shanghai": True, "Guangzhou": True, "Chengdu": True,
                    "Lhasa": False, "Urumqi": False, "Hohhot": False}


def test_cluster_colours_cover_every_label():
    assert set(spatial.QUADRANTS.values()) | {"Not significant"} == set(maps.CLUSTER_COLOURS)


def test_choropleth_uses_given_bins():
    frame = gpd.GeoDataFrame({"v": [1.0, 2.0, 3.0, None]},
                             geometry=[Point(100 + i, 30).buffer(0.4) for i in range(4)], crs="EPSG:4326")
    fig, ax = charts.figure()
    edges = maps.choropleth(ax, frame, "v", frame, bins=[1.5, 2.5, 3.0], hu=False)
    assert edges == [1.5, 2.5, 3.0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == "no data / not in sample" and len(labels) == 4
    matplotlib.pyplot.close(fig)


def _squares(n=4, values=(1.0, 2.0, 3.0, None)):
    from shapely.geometry import box

    return gpd.GeoDataFrame({"adcode": range(n), "v": list(values)[:n]},
                            geometry=[box(100 + i, 30, 100.9 + i, 30.9) for i in range(n)], crs="EPSG:4326")


def test_maps_never_render_while_plotting():
    # geopandas' plot ends with canvas.draw_idle(), a full render on Agg; the maps draw collections instead
    frame = _squares()
    fig, ax = charts.figure()
    draws = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    maps.choropleth(ax, frame, "v", frame, bins=[1.5, 2.5, 3.0])
    maps.lisa_map(ax, frame.assign(cluster="High-High"), frame)
    assert draws == []
    assert not hasattr(fig.canvas, "__dict__") or "draw_idle" not in vars(fig.canvas)  # no method shadowed
    matplotlib.pyplot.close(fig)


def test_unit_paths_keep_holes_and_parts():
    from shapely.geometry import MultiPolygon, Polygon

    ring = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], holes=[[(1, 1), (2, 1), (2, 2), (1, 2)]])
    path = maps._unit_path(MultiPolygon([ring, Polygon([(10, 10), (11, 10), (11, 11)])]))
    assert (path.codes == maps.Path.MOVETO).sum() == 3  # exterior, hole, second part
    starts = list(np.nonzero(path.codes == maps.Path.MOVETO)[0]) + [len(path.codes)]
    areas = []
    for a, b in zip(starts[:-1], starts[1:]):
        x, y = path.vertices[a:b].T
        areas.append(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    assert areas[0] > 0 > areas[1] and areas[2] > 0  # holes wind against their exterior: they stay empty


def test_only_units_not_shown_are_hatched():
    frame = _squares()
    fig, ax = charts.figure()
    maps.base(ax, frame, frame.iloc[:3])
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 1
    matplotlib.pyplot.close(fig)


def test_common_bins_cover_every_year():
    frames = {2017: _squares(values=(0.5, 1.0, 9.0, None)), 2019: _squares(values=(1.0, 2.0, 3.0, 4.0))}
    bins = maps.common_bins(frames, column="v", k=2)
    assert bins[-1] == 9.0 and bins[0] == pytest.approx(2.5)


def test_lisa_years_has_a_panel_per_year_and_level():
    from types import SimpleNamespace

    frame = _squares()
    lisa = frame[["adcode"]].assign(cluster="High-High", cluster_fdr="Not significant")
    by_year = {2018: SimpleNamespace(lisa=lisa), 2019: SimpleNamespace(lisa=lisa)}
    fig = maps.lisa_years(frame, by_year, frame, 0.05, 0.05)
    titles = sorted(a.get_title() for a in fig.axes)
    assert titles == ["2018, FDR 5%", "2018, p < 0.05", "2019, FDR 5%", "2019, p < 0.05"]
    assert all(a.get_legend() is None for a in fig.axes) and len(fig.legends) == 1   # one legend, over no panel
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    assert all(not legend.overlaps(a.get_window_extent()) for a in fig.axes)
    assert not any(legend.overlaps(t.get_window_extent()) for t in fig.texts)   # nor the kind stamp
    matplotlib.pyplot.close(fig)


def test_paths_are_projected_once_per_unit(monkeypatch):
    from lib.inputs import cities

    frame = cities.mainland_cities().iloc[:20]
    monkeypatch.setattr(maps, "_PATHS", {})
    drawn = maps._paths(frame)
    expected = [maps._unit_path(g) for g in maps.project(frame).geometry]
    assert all((d.vertices == e.vertices).all() and (d.codes == e.codes).all() for d, e in zip(drawn, expected))
    assert maps._paths(frame.iloc[::-1])[0] is drawn[-1] and len(maps._PATHS) == 20   # reused, not rebuilt
