"""Spatial weights and statistics, against libpysal's offline Columbus example (PySAL/GeoDa docs)."""
import geopandas as gpd
import libpysal
import numpy as np
import pytest

from lib import spatial


@pytest.fixture(scope="module")
def columbus():
    frame = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    frame["adcode"] = frame["POLYID"].astype(int)
    return frame


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
    strict = spatial.local_moran(columbus["CRIME"], w, fdr=True)
    assert strict["significant"].sum() <= plain["significant"].sum()
    assert set(plain["cluster"]) <= {"High-High", "Low-Low", "Low-High", "High-Low", "Not significant"}


def test_islands_are_dropped_and_listed(columbus):
    frame = columbus.copy()
    far = frame.iloc[[0]].copy()
    far["geometry"] = far.translate(100, 100).geometry
    far["adcode"] = 999
    frame = gpd.GeoDataFrame(np.concatenate([frame.values, far.values]), columns=frame.columns, crs=frame.crs)
    frame["adcode"] = frame["adcode"].astype(int)
    frame["CRIME"] = frame["CRIME"].astype(float)
    kept, w, dropped = spatial.sample_with_weights(frame, "CRIME")
    assert dropped == [999] and w.n == 49 and not w.islands


def test_knn_has_k_neighbours(columbus):
    w = spatial.knn(columbus.set_crs(None, allow_override=True).set_crs("EPSG:4326", allow_override=True), k=6)
    assert set(w.cardinalities.values()) == {6}
