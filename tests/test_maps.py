"""Maps: the Hu Huanyong line, the south-east test, classed choropleths and cluster colours."""
import geopandas as gpd
import matplotlib
import pytest
from shapely.geometry import Point

matplotlib.use("Agg")

from lib import charts, maps, spatial  # noqa: E402


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
