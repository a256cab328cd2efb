"""Spatial weights and global / local spatial autocorrelation, as thin wrappers over libpysal and esda.

* ``settings()``: the weights and inference choices of ``data/assumptions/spatial_weights.csv``.
* ``builder(kind, layer)``: a function frame -> weights. Contiguity (queen, rook) is built once on the
  whole layer and subset to each sample (a pair's contiguity does not depend on other units);
  k-nearest-neighbour and distance-band weights are rebuilt on each sample.
* ``sample_with_weights(frame, column, build)``: drop missing values, then units left without a neighbour.
* ``global_statistics(y, w)``: Moran's I (normality and permutation inference, as in Table 5-4),
  Geary's C and Getis-Ord G (normal inference) in one row; ``moran(y, w)`` Moran's I alone.
* ``local_moran(y, w)``: LISA quadrants, clusters at the plain level and under the false-discovery rate.

Every permutation draw is seeded; count, seed and levels come from ``settings()``.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from libpysal import weights

from lib.inputs import cities, paths, tables

__all__ = ["SETTINGS_PATH", "QUADRANTS", "KINDS", "settings", "contiguity", "queen", "subset", "knn",
           "distance_band", "builder", "sample_with_weights", "moran", "global_statistics", "local_moran",
           "quadrant_counts", "weights_robustness", "weights_choices", "describe", "MAIN_WEIGHTS"]

SETTINGS_PATH = paths.DATA / "assumptions" / "spatial_weights.csv"
QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}  # esda's q codes
KINDS = ("queen", "rook", "knn", "band")
# the main weights may be any the robustness table computes: contiguity, k nearest neighbours ('knn6'), distance band
MAIN_WEIGHTS = re.compile(r"queen|rook|band|knn([1-9]\d?)")
_INTS, _FLOATS, _INT_LISTS = ("trend_knn_k", "robustness_year", "permutations", "seed"), \
    ("band_factor", "lisa_alpha", "fdr_level"), ("years", "robustness_knn_k")
_RANGES = ("trend_years",)  # first-last, inclusive


def settings(path: Path | str | None = None) -> dict:
    """The spatial choices, typed: {'weights': 'queen', 'years': [2017, ...], 'permutations': 999, ...}.

    Read once per version of the file (every Moran's I asks for the seed and the permutation count).
    """
    path = Path(path or SETTINGS_PATH)
    version = path.stat() if path.exists() else None
    return copy.deepcopy(_settings(path, version and (version.st_mtime_ns, version.st_size)))


@functools.lru_cache(maxsize=8)
def _settings(path: Path, version) -> dict:
    frame = tables.read_parameters(path, "parameter")
    expected = {"weights", "transform", *_INTS, *_FLOATS, *_INT_LISTS, *_RANGES}
    if set(frame.index) != expected:
        raise tables.AuthoredDataError(f"{path}: parameters {sorted(frame.index)}, expected {sorted(expected)}")
    out = {k: str(frame[k]).strip() for k in ("weights", "transform")}
    if not MAIN_WEIGHTS.fullmatch(out["weights"]):
        raise tables.AuthoredDataError(f"{path}: weights must be queen, rook, knn<k> (e.g. knn6) or band, "
                                       f"not {out['weights']!r}")
    out.update({k: int(frame[k]) for k in _INTS})
    out.update({k: float(frame[k]) for k in _FLOATS})
    out.update({k: [int(v) for v in str(frame[k]).split(";")] for k in _INT_LISTS})
    for k in _RANGES:
        first, last = (int(v) for v in str(frame[k]).split("-"))
        out[k] = list(range(first, last + 1))
    return out


def _finish(w: weights.W, transform: str | None) -> weights.W:
    w.transform = transform or settings()["transform"]
    return w


def contiguity(frame: gpd.GeoDataFrame, rook: bool = False, id_column: str = "adcode") -> weights.W:
    """Binary queen (or rook) contiguity among the frame's polygons, ids from ``id_column``."""
    kind = weights.Rook if rook else weights.Queen
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands are reported by sample_with_weights, not as warnings
        return kind.from_dataframe(frame, ids=frame[id_column].tolist(), use_index=False, silence_warnings=True)


def queen(frame: gpd.GeoDataFrame, id_column: str = "adcode", transform: str | None = None) -> weights.W:
    """Queen contiguity among the frame's polygons, transformed as in ``settings()`` (row-standardised)."""
    return _finish(contiguity(frame, id_column=id_column), transform)


def subset(full: weights.W, ids, transform: str | None = None) -> weights.W:
    """The weights among ``ids`` (in that order) from binary weights over a larger set of units."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = weights.w_subset(full, list(ids), silence_warnings=True)
    w.transform = "b"
    return _finish(w, transform)


# (CRS from, CRS to, id of a polygon) -> (the polygon, its representative point). The polygon is kept, so its id
# names it for the life of the process; a subset of a frame holds the same polygon objects.
_POINTS: dict[tuple, tuple] = {}


def _centroids(frame: gpd.GeoDataFrame, crs: str | None) -> np.ndarray:
    """Each polygon's representative point in ``crs`` (default: the maps' equal-area projection).

    A point is computed once per polygon and process: k-NN and distance-band weights are rebuilt on
    every sample, from the same polygons.
    """
    crs = crs or cities.EQUAL_AREA
    source = str(frame.crs)
    polygons = frame.geometry.values
    keys = [(source, crs, id(g)) for g in polygons]
    missing = {k: g for k, g in zip(keys, polygons) if k not in _POINTS}
    if missing:
        points = gpd.GeoSeries(list(missing.values()), crs=frame.crs).to_crs(crs).representative_point()
        _POINTS.update((k, (g, xy)) for (k, g), xy in zip(missing.items(), zip(points.x, points.y)))
    return np.array([_POINTS[k][1] for k in keys], dtype=float).reshape(-1, 2)


def knn(frame: gpd.GeoDataFrame, k: int, id_column: str = "adcode", crs: str | None = None,
        transform: str | None = None) -> weights.W:
    """k nearest neighbours between polygon centroids (in an equal-area projection)."""
    w = weights.KNN.from_array(_centroids(frame, crs), k=k, ids=frame[id_column].tolist())
    return _finish(w, transform)


def distance_band(frame: gpd.GeoDataFrame, factor: float = 1.0, id_column: str = "adcode", crs: str | None = None,
                  transform: str | None = None) -> weights.W:
    """Binary distance band between centroids, threshold = ``factor`` × the smallest that leaves no island.

    The smallest such threshold is the largest nearest-neighbour distance (``min_threshold_distance``); a
    relative margin of 1e-9 keeps the farthest pair inside the band despite rounding.
    """
    coords = _centroids(frame, crs)
    threshold = weights.min_threshold_distance(coords) * factor * (1 + 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # build_sp=False: a dense distance matrix. libpysal notes that speed depends on sparsity; this band is
        # dense (the average city has about half the others as neighbours), and dense is ten times faster here
        w = weights.DistanceBand.from_array(coords, threshold, binary=True, ids=frame[id_column].tolist(),
                                            silence_warnings=True, build_sp=False)
    w.threshold = threshold
    return _finish(w, transform)


_CONTIGUITY: dict[str, weights.W] = {}  # layer fingerprint -> binary weights, built once per process
# (rule, ids, ids of the geometry objects) -> (the geometries, the layer's fingerprint); the geometries are kept,
# so their ids name them for the life of the process
_DIGESTS: dict[tuple, tuple] = {}


def _layer_digest(layer: gpd.GeoDataFrame, rook: bool) -> str:
    """A layer's fingerprint (rule, ids and geometry as WKB), computed once per layer and process: every
    weights builder asks for it, and encoding a layer's polygons costs 20 ms each time."""
    geometries = layer.geometry.values
    key = (rook, tuple(layer["adcode"].tolist()), tuple(map(id, geometries)))
    if key not in _DIGESTS:
        digest = hashlib.sha1(repr((rook, layer["adcode"].tolist())).encode()
                              + b"".join(shapely.to_wkb(geometries))).hexdigest()[:16]
        _DIGESTS[key] = (list(geometries), digest)
    return _DIGESTS[key][1]


def _layer_contiguity(layer: gpd.GeoDataFrame, rook: bool) -> weights.W:
    """Binary contiguity of a whole layer, kept in memory and in ``_build/cache`` (keyed by ids and geometry).

    Building contiguity is the costliest step of the page's spatial statistics; the neighbour lists of a
    given layer never change, so a rebuild of the book reads them back.
    """

    digest = _layer_digest(layer, rook)
    if digest not in _CONTIGUITY:
        path = paths.BUILD / "cache" / f"contiguity-{'rook' if rook else 'queen'}-{digest}.json"
        if path.exists():
            neighbours = {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
            _CONTIGUITY[digest] = weights.W(neighbours, ids=layer["adcode"].tolist(), silence_warnings=True)
        else:
            _CONTIGUITY[digest] = contiguity(layer, rook=rook)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({str(k): [int(n) for n in v] for k, v in _CONTIGUITY[digest].neighbors.items()})
            tmp = path.with_suffix(f".{os.getpid()}.tmp")  # one name per process: two kernels may build it at once
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    return _CONTIGUITY[digest]


def builder(kind: str, layer: gpd.GeoDataFrame | None = None, k: int | None = None, factor: float | None = None):
    """A function frame -> weights of ``kind`` ('queen', 'rook', 'knn', 'band').

    Contiguity is built once among ``layer``'s polygons; each call subsets it to the frame's units. ``kind`` may
    also be a robustness-table key such as 'knn6' (k nearest neighbours with k = 6).
    """
    match = re.fullmatch(r"knn(\d+)", kind)
    if match:
        kind, k = "knn", int(match[1])
    if kind in ("queen", "rook"):
        full = _layer_contiguity(layer, kind == "rook")
        return lambda frame: subset(full, frame["adcode"])
    if kind == "knn":
        return lambda frame: knn(frame, k)
    if kind == "band":
        return lambda frame: distance_band(frame, factor if factor is not None else settings()["band_factor"])
    raise ValueError(f"unknown weights kind {kind!r}; known: {KINDS}")


def describe(kind: str, lang: str = "en") -> str:
    """The main weights in words, for the prose: 'queen contiguity', '6 nearest neighbours', 'distance band'
    (``lang="zh"``: 后式邻接, 6近邻, 距离带)."""
    match = re.fullmatch(r"knn(\d+)", kind)
    if match:
        return f"{match[1]} nearest neighbours" if lang == "en" else f"{match[1]}近邻"
    words = {"en": {"queen": "queen contiguity", "rook": "rook contiguity", "band": "distance band"},
             "zh": {"queen": "后式邻接", "rook": "车式邻接", "band": "距离带"}}[lang]
    return words.get(kind, kind)


def sample_with_weights(frame: gpd.GeoDataFrame, column: str, build) -> tuple:
    """Keep rows with ``column``; build weights with ``build(frame)``; drop units without neighbours and rebuild.

    Returns (frame, w, dropped) where ``dropped`` lists the adcodes removed as islands.
    """
    frame = frame[frame[column].notna()].reset_index(drop=True)
    dropped: list[int] = []
    while True:
        w = build(frame)
        islands = list(w.islands)
        if not islands:
            return frame, w, dropped
        dropped += islands
        frame = frame[~frame["adcode"].isin(islands)].reset_index(drop=True)


def moran(y, w: weights.W, permutations: int | None = None, seed: int | None = None) -> dict:
    """Moran's I with normality and seeded permutation inference (``permutations=0``: normality only, p_perm NaN)."""
    s = settings()
    y = np.asarray(y, dtype=float)
    permutations = s["permutations"] if permutations is None else permutations
    np.random.seed(s["seed"] if seed is None else seed)
    mi = esda.Moran(y, w, transformation=w.transform, permutations=permutations)  # esda would impose row standardisation
    return {"n": int(w.n), "moran_i": mi.I, "expected_i": mi.EI, "sd_i": mi.seI_norm, "z": mi.z_norm,
            "p": mi.p_norm, "p_perm": mi.p_sim if permutations else np.nan}


def global_statistics(y, w: weights.W, permutations: int | None = None, seed: int | None = None) -> dict:
    """Moran's I, Geary's C and Getis-Ord G of ``y`` under ``w`` (one dict, Table 5-4 columns first).

    Only Moran's I has permutation inference (``p_perm``, as in Table 5-4); Geary's C and Getis-Ord G have normal
    inference, which does not depend on permutations, so none is drawn for them (the book shows no pseudo p of
    either)."""
    s = settings()
    permutations = s["permutations"] if permutations is None else permutations
    y = np.asarray(y, dtype=float)
    out = moran(y, w, permutations, s["seed"] if seed is None else seed)
    transform = w.transform
    gc = esda.Geary(y, w, transformation=transform, permutations=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        go = esda.G(y, w, permutations=0)  # esda switches w to binary weights for G
    w.transform = transform  # ... so restore the caller's transform
    return {**out, "geary_c": gc.C, "geary_z": gc.z_norm, "geary_p": gc.p_norm, "getis_g": go.G,
            "getis_expected_g": go.EG, "getis_z": go.z_norm, "getis_p": go.p_norm}


def local_moran(y, w: weights.W, ids=None, alpha: float | None = None, fdr_level: float | None = None,
                permutations: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """Local Moran's I per unit: quadrant, pseudo p-value and cluster labels, from one set of permutations.

    ``cluster`` is the quadrant name where the permutation p-value is at most ``alpha``, else 'Not
    significant'; ``cluster_fdr`` the same under the Benjamini-Hochberg false-discovery-rate bound
    (``esda.fdr`` at ``fdr_level``).
    """
    s = settings()
    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # esda's notice on a future default, not ours
        lm = esda.Moran_Local(y, w, transformation=w.transform, seed=s["seed"] if seed is None else seed,
                              permutations=s["permutations"] if permutations is None else permutations)
    quadrant = pd.Series(lm.q).map(QUADRANTS).to_numpy()
    out = pd.DataFrame({"adcode": list(ids) if ids is not None else list(w.id_order), "local_i": lm.Is,
                        "quadrant": quadrant, "p_sim": lm.p_sim})
    for suffix, cut in (("", s["lisa_alpha"] if alpha is None else alpha),
                        ("_fdr", esda.fdr(lm.p_sim, s["fdr_level"] if fdr_level is None else fdr_level))):
        out["significant" + suffix] = lm.p_sim <= cut
        out["cluster" + suffix] = np.where(out["significant" + suffix], quadrant, "Not significant")
    return out


def quadrant_counts(y, w: weights.W) -> pd.Series:
    """How many units fall in each Moran-scatter quadrant (from the standardised value and its lag)."""
    y = np.asarray(y, dtype=float)
    z = (y - y.mean()) / y.std()
    lag = weights.lag_spatial(w, z)
    q = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0)], [1, 2, 3], 4)
    return pd.Series(q).map(QUADRANTS).value_counts().reindex(list(QUADRANTS.values()), fill_value=0)


def weights_choices(layer: gpd.GeoDataFrame, s: dict | None = None) -> list[tuple]:
    """Every weights choice of the settings as (key, label, builder): contiguity, k-NN and the distance band."""
    s = s or settings()
    choices = [("queen", "Queen contiguity", builder("queen", layer)),
               ("rook", "Rook contiguity", builder("rook", layer))]
    choices += [(f"knn{k}", f"{k} nearest neighbours", builder("knn", k=k)) for k in s["robustness_knn_k"]]
    band = "" if s["band_factor"] == 1 else f", × {s['band_factor']:g}"
    choices.append(("band", f"Distance band (smallest without islands{band})", builder("band", factor=s["band_factor"])))
    return choices


def weights_robustness(frames: dict, column: str, layer: gpd.GeoDataFrame, s: dict | None = None) -> pd.DataFrame:
    """Moran's I of ``column`` under every weights choice of the settings, in each year of ``frames``.

    ``frames`` maps a year to the frame of that year (the last year is the one the table reports). One row per
    weights choice: key (ledger suffix), weights (label), n, dropped (islands), mean_neighbours, threshold_km
    (distance band only) and Moran's I columns of the last year, plus ``moran_i_<year>`` for every year.
    """
    s = s or settings()
    rows = []
    for key, label, build in weights_choices(layer, s):
        row = {"key": key, "weights": label}
        for year, frame in sorted(frames.items()):
            sample, w, dropped = sample_with_weights(frame, column, build)
            stats = moran(sample[column], w, permutations=0)  # the table reports normal inference only
            row.update({"dropped": len(dropped), "mean_neighbours": w.mean_neighbors,
                        "threshold_km": getattr(w, "threshold", np.nan) / 1e3, **stats, f"moran_i_{year}": stats["moran_i"]})
        rows.append(row)
    return pd.DataFrame(rows)
