"""Spatial weights and statistics, against libpysal's offline Columbus example (PySAL/GeoDa docs)."""
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest

from lib.analysis import spatial


@pytest.fixture(scope="module")
def columbus():
    frame = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    frame["adcode"] = frame["POLYID"].astype(int)
    return frame.set_crs("EPSG:4326", allow_override=True)  # unprojected in the example; any CRS serves the tests


def test_moran_crime_queen_known_answer(columbus):
    # esda documentation: Moran's I of Columbus CRIME with queen weights = 0.500188557 (E[I] = -1/48)
    stats = spatial.global_statistics(columbus["CRIME"], spatial.queen(columbus))
    assert stats["moran_i"] == pytest.approx(0.5001885571828611, abs=1e-9)
    assert stats["expected_i"] == pytest.approx(-1 / 48)
    assert stats["n"] == 49
    assert stats["z"] == pytest.approx((stats["moran_i"] - stats["expected_i"]) / stats["sd_i"])
    assert stats["p_perm"] == pytest.approx(0.001)  # none of 999 seeded permutations is as large


def test_geary_below_one_and_weights_restored_after_getis_ord(columbus):
    w = spatial.queen(columbus)
    stats = spatial.global_statistics(columbus["CRIME"], w)
    assert 0 < stats["geary_c"] < 1  # positive autocorrelation means C < 1
    assert w.transform == "R"  # esda.G switches to binary weights; the wrapper restores row standardisation
    assert np.allclose(np.asarray(w.sparse.sum(axis=1)).ravel(), 1.0)


def test_permutation_p_is_seeded(columbus):
    w = spatial.queen(columbus)
    y = columbus["HOVAL"]
    assert spatial.global_statistics(y, w)["p_perm"] == spatial.global_statistics(y, w)["p_perm"]
    a = spatial.local_moran(y, w)
    b = spatial.local_moran(y, w)
    assert (a["p_sim"] == b["p_sim"]).all()


def test_quadrant_counts_add_up_and_match_esda(columbus):
    import esda

    w = spatial.queen(columbus)
    counts = spatial.quadrant_counts(columbus["CRIME"], w)
    assert counts.sum() == 49
    q = esda.Moran_Local(columbus["CRIME"].to_numpy(float), w, permutations=0).q
    assert counts["High-High"] == (q == 1).sum() and counts["Low-Low"] == (q == 3).sum()


def test_fdr_is_stricter_than_plain_alpha(columbus):
    w = spatial.queen(columbus)
    plain = spatial.local_moran(columbus["CRIME"], w)
    assert plain["significant_fdr"].sum() <= plain["significant"].sum()
    strict = spatial.local_moran(columbus["CRIME"], w, fdr_level=0.01)
    assert strict["significant_fdr"].sum() <= plain["significant_fdr"].sum()
    assert (strict["p_sim"] == plain["p_sim"]).all()  # one set of permutations serves both cuts
    assert set(plain["cluster"]) <= {"High-High", "Low-Low", "Low-High", "High-Low", "Not significant"}


def test_islands_are_dropped_and_listed(columbus):
    frame = columbus.copy()
    far = frame.iloc[[0]].copy()
    far["geometry"] = far.translate(100, 100).geometry
    far["adcode"] = 999
    frame = gpd.GeoDataFrame(np.concatenate([frame.values, far.values]), columns=frame.columns, crs=frame.crs)
    frame["adcode"] = frame["adcode"].astype(int)
    frame["CRIME"] = frame["CRIME"].astype(float)
    kept, w, dropped = spatial.sample_with_weights(frame, "CRIME", spatial.builder("queen", frame))
    assert dropped == [999] and w.n == 49 and not w.islands


def test_knn_has_k_neighbours(columbus):
    w = spatial.knn(columbus, k=6)
    assert set(w.cardinalities.values()) == {6}


def test_contiguity_subset_equals_rebuilding_on_the_subset(columbus):
    # a pair's contiguity does not depend on other units: subsetting the layer's weights = rebuilding
    part = columbus.iloc[5:40].reset_index(drop=True)
    rebuilt = spatial.queen(part)
    subset = spatial.builder("queen", columbus)(part)
    assert {k: set(v) for k, v in rebuilt.neighbors.items()} == {k: set(v) for k, v in subset.neighbors.items()}
    assert list(subset.id_order) == part["adcode"].tolist() and subset.transform == "R"
    assert spatial.moran(part["CRIME"], rebuilt)["moran_i"] == pytest.approx(spatial.moran(part["CRIME"], subset)["moran_i"])


def test_rook_is_a_subset_of_queen(columbus):
    queen, rook = spatial.contiguity(columbus), spatial.contiguity(columbus, rook=True)
    assert all(set(rook.neighbors[k]) <= set(queen.neighbors[k]) for k in queen.neighbors)


def test_distance_band_is_the_smallest_without_islands(columbus):
    w = spatial.distance_band(columbus, 1.0)
    assert not w.islands
    narrower = spatial.distance_band(columbus, 0.99)
    assert narrower.islands  # any narrower band leaves some unit alone
    assert narrower.threshold == pytest.approx(0.99 * w.threshold)


def test_distance_band_dense_build_gives_the_sparse_build_neighbours(columbus):
    from libpysal import weights

    w = spatial.distance_band(columbus, 1.5)
    sparse = weights.DistanceBand.from_array(spatial._centroids(columbus, None), w.threshold, binary=True,
                                             ids=columbus["adcode"].tolist(), silence_warnings=True, build_sp=True)
    assert {k: sorted(v) for k, v in w.neighbors.items()} == {k: sorted(v) for k, v in sparse.neighbors.items()}


def test_settings_are_typed():
    s = spatial.settings()
    assert s["weights"] in ("queen", "rook") and isinstance(s["permutations"], int)
    assert all(isinstance(y, int) for y in s["years"]) and 0 < s["lisa_alpha"] < 1


def edited(tmp_path, source, name, value):
    """A copy of an assumption file with one parameter's value replaced."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out = [f"{name},{value}," + line.split(",", 2)[2] if line.startswith(name + ",") else line for line in lines]
    target = tmp_path / source.name
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name, value", [("seed", 1), ("permutations", 99), ("lisa_alpha", 0.2), ("fdr_level", 0.3)])
def test_each_inference_setting_changes_a_result(columbus, tmp_path, monkeypatch, name, value):
    w = spatial.queen(columbus)
    before = spatial.local_moran(columbus["HOVAL"], w)
    monkeypatch.setattr(spatial, "SETTINGS_PATH", edited(tmp_path, spatial.SETTINGS_PATH, name, value))
    assert spatial.settings()[name] == value
    after = spatial.local_moran(columbus["HOVAL"], w)
    column = {"seed": "p_sim", "permutations": "p_sim", "lisa_alpha": "significant", "fdr_level": "significant_fdr"}[name]
    assert not (before[column] == after[column]).all()


@pytest.mark.parametrize("name, value", [("band_factor", 1.5), ("robustness_knn_k", "3;5"), ("transform", "b")])
def test_each_weights_setting_changes_a_result(columbus, tmp_path, monkeypatch, name, value):
    frames = {2019: columbus}
    before = spatial.weights_robustness(frames, "CRIME", columbus)
    monkeypatch.setattr(spatial, "SETTINGS_PATH", edited(tmp_path, spatial.SETTINGS_PATH, name, value))
    after = spatial.weights_robustness(frames, "CRIME", columbus)
    assert before[["key", "moran_i"]].to_dict("records") != after[["key", "moran_i"]].to_dict("records")


def test_bad_settings_file_names_itself(tmp_path):
    bad = tmp_path / "spatial_weights.csv"
    bad.write_text("parameter,value,why\nweights,hexagon,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="spatial_weights.csv"):
        spatial.settings(bad)


def test_weights_robustness_rows(columbus):
    table = spatial.weights_robustness({2019: columbus}, "CRIME", columbus)
    s = spatial.settings()
    assert table["key"].tolist() == ["queen", "rook"] + [f"knn{k}" for k in s["robustness_knn_k"]] + ["band"]
    queen = table.set_index("key").at["queen", "moran_i"]
    assert queen == pytest.approx(0.5001885571828611, abs=1e-9)  # esda's documented value, as above
    assert (table["dropped"] == 0).all() and (table["n"] == 49).all()


def test_layer_contiguity_cache_gives_the_same_weights(columbus, tmp_path, monkeypatch):
    monkeypatch.setattr(spatial.paths, "BUILD", tmp_path)
    monkeypatch.setattr(spatial, "_CONTIGUITY", {})
    built = spatial.builder("queen", columbus)(columbus)
    assert len(list((tmp_path / "cache").glob("contiguity-queen-*.json"))) == 1
    monkeypatch.setattr(spatial, "_CONTIGUITY", {})
    read = spatial.builder("queen", columbus)(columbus)
    assert {k: sorted(v) for k, v in built.neighbors.items()} == {k: sorted(v) for k, v in read.neighbors.items()}
    assert list(read.id_order) == columbus["adcode"].tolist()
    assert spatial.moran(columbus["CRIME"], read)["moran_i"] == pytest.approx(0.5001885571828611, abs=1e-9)


def test_moran_without_permutations_keeps_normal_inference(columbus):
    w = spatial.queen(columbus)
    full, normal = spatial.moran(columbus["CRIME"], w), spatial.moran(columbus["CRIME"], w, permutations=0)
    assert {k: full[k] for k in ("moran_i", "z", "p", "n")} == {k: normal[k] for k in ("moran_i", "z", "p", "n")}
    assert 0 < full["p_perm"] < 1 and np.isnan(normal["p_perm"])


def test_centroids_are_computed_once_and_match_the_direct_computation(columbus, monkeypatch):
    from lib.inputs import cities

    monkeypatch.setattr(spatial, "_POINTS", {})
    points = columbus.to_crs(cities.EQUAL_AREA).geometry.representative_point()
    assert (spatial._centroids(columbus, None) == np.column_stack([points.x, points.y])).all()
    subset = columbus.iloc[::-3]
    before = len(spatial._POINTS)
    assert (spatial._centroids(subset, None) == np.column_stack([points.x, points.y])[::-3]).all()
    assert len(spatial._POINTS) == before == len(columbus)


def test_settings_follow_an_edit_of_the_same_file(tmp_path):
    import os

    path = edited(tmp_path, spatial.SETTINGS_PATH, "permutations", 99)
    assert spatial.settings(path)["permutations"] == 99
    spatial.settings(path)["years"].append(1900)   # a caller's change does not reach the next caller
    assert 1900 not in spatial.settings(path)["years"]
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("permutations,99,", "permutations,199,"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))   # a new version even on a coarse clock
    assert spatial.settings(path)["permutations"] == 199


@pytest.mark.parametrize("value, k", [("knn6", 6), ("band", None), ("rook", None)])
def test_main_weights_may_be_any_of_the_robustness_table(columbus, tmp_path, value, k):
    """The main weights accept every weights the robustness table computes, and the main results follow."""
    from lib.analysis import regional

    path = edited(tmp_path, spatial.SETTINGS_PATH, "weights", value)
    s = spatial.settings(path)
    assert s["weights"] == value
    w = spatial.builder(value, columbus)(columbus)
    if k:
        assert set(w.cardinalities.values()) == {k}
    panel = pd.DataFrame({"adcode": columbus["adcode"], "year": 2019, "index": columbus["CRIME"].astype(float)})
    queen = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel, dict(s, weights="queen", years=[2019]))
    other = regional.spatial_by_year(columbus[["adcode", "geometry"]], panel, dict(s, years=[2019]))
    if value != "rook":   # rook may equal queen on some polygons (it does on the book's cities)
        assert other[2019].stats["moran_i"] != queen[2019].stats["moran_i"]


@pytest.mark.parametrize("value", ["knn0", "knn", "hexagon", "Queen"])
def test_unknown_main_weights_are_refused(tmp_path, value):
    with pytest.raises(ValueError, match="spatial_weights.csv"):
        spatial.settings(edited(tmp_path, spatial.SETTINGS_PATH, "weights", value))
