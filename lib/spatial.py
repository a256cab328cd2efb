"""Spatial weights and global / local spatial autocorrelation, as thin wrappers over libpysal and esda.

* ``queen(frame)`` / ``knn(frame, k)``: row-standardised weights keyed by ``adcode``.
* ``sample_with_weights(frame, column)``: drop missing values, then units left without a neighbour.
* ``global_statistics(y, w)``: Moran's I (normality and permutation inference, as in Table 5-4),
  Geary's C and Getis-Ord G in one row.
* ``local_moran(y, w)``: LISA quadrants and cluster labels, with an optional false-discovery-rate cut.

Every permutation draw is seeded (``SEED``); 999 permutations by default.
"""
from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal import weights

SEED = 20220701
PERMUTATIONS = 999
QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}  # esda's q codes


def queen(frame: gpd.GeoDataFrame, id_column: str = "adcode") -> weights.W:
    """Queen contiguity among the frame's polygons, row-standardised, ids from ``id_column``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands are reported by sample_with_weights, not as warnings
        w = weights.Queen.from_dataframe(frame, ids=frame[id_column].tolist(), use_index=False,
                                         silence_warnings=True)
    w.transform = "r"
    return w


def knn(frame: gpd.GeoDataFrame, k: int = 6, id_column: str = "adcode", crs: str | None = None) -> weights.W:
    """k nearest neighbours between polygon centroids (in an equal-area projection), row-standardised."""
    from lib import cities

    points = frame.to_crs(crs or cities.EQUAL_AREA).geometry.representative_point()
    coords = np.column_stack([points.x, points.y])
    w = weights.KNN.from_array(coords, k=k, ids=frame[id_column].tolist())
    w.transform = "r"
    return w


def sample_with_weights(frame: gpd.GeoDataFrame, column: str, kind: str = "queen", k: int = 6):
    """Keep rows with ``column``; build weights; drop units without neighbours and rebuild.

    Returns (frame, w, dropped) where ``dropped`` lists the adcodes removed as islands.
    """
    frame = frame[frame[column].notna()].reset_index(drop=True)
    dropped: list[int] = []
    while True:
        w = queen(frame) if kind == "queen" else knn(frame, k=k)
        islands = list(w.islands)
        if not islands:
            break
        dropped += islands
        frame = frame[~frame["adcode"].isin(islands)].reset_index(drop=True)
    return frame, w, dropped


def global_statistics(y, w: weights.W, permutations: int = PERMUTATIONS, seed: int = SEED) -> dict:
    """Moran's I, Geary's C and Getis-Ord G of ``y`` under ``w`` (one dict, Table 5-4 columns first)."""
    y = np.asarray(y, dtype=float)
    np.random.seed(seed)
    mi = esda.Moran(y, w, permutations=permutations)
    np.random.seed(seed)
    gc = esda.Geary(y, w, permutations=permutations)
    np.random.seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        go = esda.G(y, w, permutations=permutations)  # esda switches w to binary weights for G
    w.transform = "r"  # ... so restore row standardisation for the caller
    return {"n": int(w.n), "moran_i": mi.I, "expected_i": mi.EI, "sd_i": mi.seI_norm, "z": mi.z_norm,
            "p": mi.p_norm, "p_perm": mi.p_sim,
            "geary_c": gc.C, "geary_z": gc.z_norm, "geary_p": gc.p_norm, "geary_p_perm": gc.p_sim,
            "getis_g": go.G, "getis_expected_g": go.EG, "getis_z": go.z_norm, "getis_p": go.p_norm,
            "getis_p_perm": go.p_sim}


def local_moran(y, w: weights.W, ids=None, alpha: float = 0.05, fdr: bool = False,
                permutations: int = PERMUTATIONS, seed: int = SEED) -> pd.DataFrame:
    """Local Moran's I per unit: quadrant, pseudo p-value and a cluster label.

    ``cluster`` is the quadrant name where the permutation p-value is below ``alpha`` (or below the
    Benjamini-Hochberg false-discovery-rate bound, ``esda.fdr``, when ``fdr``), else 'Not significant'.
    """
    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # esda's notice on a future default, not ours
        lm = esda.Moran_Local(y, w, permutations=permutations, seed=seed)
    cut = esda.fdr(lm.p_sim, alpha) if fdr else alpha
    quadrant = pd.Series(lm.q).map(QUADRANTS)
    significant = lm.p_sim <= cut
    return pd.DataFrame({"adcode": list(ids) if ids is not None else list(w.id_order), "local_i": lm.Is,
                         "quadrant": quadrant.values, "p_sim": lm.p_sim, "significant": significant,
                         "cluster": np.where(significant, quadrant.values, "Not significant")})


def quadrant_counts(y, w: weights.W) -> pd.Series:
    """How many units fall in each Moran-scatter quadrant (from the standardised value and its lag)."""
    y = np.asarray(y, dtype=float)
    z = (y - y.mean()) / y.std()
    lag = weights.lag_spatial(w, z)
    q = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0)], [1, 2, 3], 4)
    return pd.Series(q).map(QUADRANTS).value_counts().reindex(list(QUADRANTS.values()), fill_value=0)
