"""The regional analyses of chapter 5 (continued), as functions that return tidy frames.

Each ``*_records`` function returns the values the page states, one row per ledger key (columns of
``lib.analysis.results.RECORD_COLUMNS``); ``lib.ledger.ledger.record_frame`` records them. The sample rules and the spatial choices
come from ``data/assumptions/city_sample_rules.csv`` and ``spatial_weights.csv``.

* ``employment_fits``: eq. 5-2 and 5-3 (Table 5-3), classical and HC1 standard errors.
* ``spatial_by_year``: per year, the sample, weights, global statistics, the k-NN check, quadrant counts and
  local Moran clusters (Table 5-4, Figures 5-7, 5-8).
* ``sdem_fit``: the six spatial models of Table 5-5.
* ``robustness_records``: the weights and sample checks of section 5(二) (issue 10).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from lib.analysis import regression, spatial
from lib.analysis.results import rows
from lib.inputs import published, tables
from lib.inputs.results_dictionary import key as key_of

__all__ = ["SUBSTITUTE", "EXPECTED_I_IDENTITY", "MORAN_P_SUBSTITUTE", "R2_COINCIDENCE", "EMPLOYMENT_TERMS",
           "SDEM_REGRESSORS", "SDEM_LAGGED", "EMPLOYMENT_NOTES", "MORAN_NOTES", "SDEM_NOTES", "year_frame",
           "frame_records", "assumption_values", "employment_fits", "employment_records", "YearSpatial",
           "spatial_by_year", "spatial_records", "implied_sample_range", "dropped_names", "robustness_records",
           "sdem_fit", "sdem_records", "map_records", "panel_records", "panel_fit", "REGIONS", "CENTRAL_WEST",
           "region_of", "Trend", "spatial_trend", "high_high_by_region", "growth_shares", "trend_summary",
           "main_weights_values",
           "trend_records"]

# the explanations readers see beside the values, in English (data/explanations.csv holds their Chinese too)
_TEXT = tables.explanations()
SUBSTITUTE = _TEXT["regional.substitute"]
EXPECTED_I_IDENTITY = _TEXT["regional.expected_i_identity"]


def _notes(prefix: str) -> dict[str, str]:
    """The templates of one table's notes (``{placeholders}`` filled per row), by row name."""
    return {k.removeprefix(prefix): v for k, v in _TEXT.items() if k.startswith(prefix)}


# a match that proves nothing about the report's index: on the substitute, or by coincidence on it
MORAN_P_SUBSTITUTE = _TEXT["regional.moran_p_substitute"]
R2_COINCIDENCE = _TEXT["regional.r2_coincidence"]
# eq. 5-2 / 5-3 terms: (ledger name, published name, regressor of the levels fit, of the differences fit)
EMPLOYMENT_TERMS = [("beta", "ln_index", "d_index"), ("gamma", "ln_gdp", "d_gdp"), ("alpha", "const", "const")]
# their keys, in levels and in differences
EMPLOYMENT_KEYS = {"levels": {"beta": "emp.beta", "beta_se": "emp.beta_se", "gamma": "emp.gamma", "gamma_se": "emp.gamma_se",
                              "alpha": "emp.alpha", "alpha_se": "emp.alpha_se", "r2": "emp.r2", "n": "emp.n"},
                   "diff": {"beta": "empdiff.beta", "beta_se": "empdiff.beta_se", "gamma": "empdiff.gamma",
                            "gamma_se": "empdiff.gamma_se", "alpha": "empdiff.alpha", "alpha_se": "empdiff.alpha_se",
                            "r2": "empdiff.r2", "n": "empdiff.n"}}
# Table 5-5: regressors (the report's controls, with FDI/GDP for trade/GDP) and those with a spatial lag
SDEM_REGRESSORS = ["index", "ln_pop", "fdi_gdp", "deposits_gdp", "fiscal_gdp", "lowcarbon"]
SDEM_LAGGED = ["index", "fdi_gdp", "deposits_gdp"]


def year_frame(layer: gpd.GeoDataFrame, city: pd.DataFrame, year: int, columns=("index",)) -> gpd.GeoDataFrame:
    """The frame's polygons with the city variables of one year (NaN where missing)."""
    return layer.merge(city.loc[city["year"] == year, ["adcode", *columns]], on="adcode", how="left")


def frame_records(layer: gpd.GeoDataFrame, city: pd.DataFrame, year: int, years) -> pd.DataFrame:
    """Units in the frame, units with the index in ``year`` (against the report's count), median index by year."""
    has_index = city.loc[city["year"] == year, "index"].notna()
    missing = int((~has_index).sum())
    return rows({"key": "regional.frame.units", "value": len(layer), "unit": "cities"},
                {"key": key_of("dfiic.cities.<year>", year=year), "value": has_index.sum(), "unit": "cities",
                 "published_id": "X5.fig5-6.ncities",
                 "explanation": _TEXT["regional.frame_coverage"].format(units=len(layer), missing=missing, year=year)},
                *[{"key": key_of("dfiic.median.<year>", year=y), "value": city.loc[city["year"] == y, "index"].median(), "unit": "index score"}
                  for y in years])


def assumption_values(rules: dict, s: dict) -> dict[str, str]:
    """The assumptions the prose names, as text (glued as ``assume.<name>``, so the page never types them)."""
    years = s["years"]
    values = {"year": rules["cross_section_year"], "diff_from": rules["difference_from_year"],
              "panel_years": f"{rules['panel_years'][0]}-{rules['panel_years'][-1]}", "size_n": rules["size_sample_n"],
              "years": f"{years[0]}-{years[-1]}", "first_year": years[0], "last_year": years[-1],
              "weights": spatial.describe(s["weights"]),
              "weights_zh": spatial.describe(s["weights"], "zh"), "trend_k": s["trend_knn_k"], "robustness_year": s["robustness_year"],
              "knn_k": ", ".join(map(str, s["robustness_knn_k"][:-1])) + f" and {s['robustness_knn_k'][-1]}",
              "knn_k_zh": "、".join(map(str, s["robustness_knn_k"][:-1])) + f"和{s['robustness_knn_k'][-1]}",
              "permutations": s["permutations"], "alpha_pct": f"{100 * s['lisa_alpha']:g}%",
              "fdr_pct": f"{100 * s['fdr_level']:g}%"}
    return {name: str(value) for name, value in values.items()}


# ---- employment (Table 5-3) -------------------------------------------------------------------------------
def employment_fits(city: pd.DataFrame, rules: dict) -> dict:
    """Eq. 5-2 in the cross-section year and eq. 5-3 in changes, each with classical and HC1 errors."""
    levels = regression.employment_levels(city, rules["cross_section_year"])
    diffs = regression.employment_differences(city, rules["difference_from_year"], rules["cross_section_year"])
    out = {}
    for cov, suffix in (("nonrobust", ""), ("HC1", "_hc1")):
        out["levels" + suffix] = regression.ols(levels, "ln_employment", ["ln_index", "ln_gdp"], cov=cov)
        out["diff" + suffix] = regression.ols(diffs, "d_employment", ["d_index", "d_gdp"], cov=cov)
    return out


# Why each value of Table 5-3 differs, written for its row: {v} the book's value, {p} the report's as printed,
# {n} the book's cities, {pn} the report's, {p_alpha_se} the report's bracket under α' (data/explanations.csv)
EMPLOYMENT_NOTES = _notes("regional.employment.")


def _employment_why(pid: str, value: float, n: float) -> str:
    pub = published.published()
    name = pid.split(".", 1)[1]
    return EMPLOYMENT_NOTES[name].format(
        v=value, p=pub.at[pid, "value_text"], n=n, pn=pub.at[pid.rsplit(".", 1)[0] + ".nobs", "value_text"],
        p_alpha_se=pub.at["T5-3.diff.alpha_se", "value_text"], v_100m=value / 1e4, v_pct=100 * value,
        p_pct=100 * pub.at[pid, "value"])


def employment_records(fits: dict) -> pd.DataFrame:
    """Coefficients, classical standard errors, R², n and HC1 p-values of Table 5-3, with their published ids."""
    items = []
    for part, index in (("levels", 1), ("diff", 2)):
        fit, names = fits[part], EMPLOYMENT_KEYS[part]
        for name, *terms in EMPLOYMENT_TERMS:
            term, pid = terms[index - 1], f"T5-3.{part}.{name}"
            items += [{"key": names[name], "value": fit.params[term], "published_id": pid,
                       "explanation": _employment_why(pid, fit.params[term], fit.nobs)},
                      {"key": names[name + "_se"], "value": fit.bse[term], "published_id": pid + "_se",
                       "explanation": _employment_why(pid + "_se", fit.bse[term], fit.nobs)}]
        items += [{"key": names["r2"], "value": fit.rsquared, "published_id": f"T5-3.{part}.r2",
                   "explanation": _employment_why(f"T5-3.{part}.r2", fit.rsquared, fit.nobs),
                   "substitute": R2_COINCIDENCE.format(
                       value=fit.rsquared, published=published.published().at[f"T5-3.{part}.r2", "value_text"],
                       beta=fit.params[EMPLOYMENT_TERMS[0][index]],
                       published_beta=published.published().at[f"T5-3.{part}.beta", "value_text"])},
                  {"key": names["n"], "value": fit.nobs, "unit": "cities", "published_id": f"T5-3.{part}.nobs",
                   "explanation": _employment_why(f"T5-3.{part}.nobs", fit.nobs, fit.nobs)}]
    hc1 = {"emp.beta_se_hc1": fits["levels_hc1"].bse["ln_index"], "emp.beta_p_hc1": fits["levels_hc1"].pvalues["ln_index"],
           "empdiff.beta_p_hc1": fits["diff_hc1"].pvalues["d_index"], "empdiff.gamma_p_hc1": fits["diff_hc1"].pvalues["d_gdp"]}
    items += [{"key": k, "value": v} for k, v in hc1.items()]
    items.append({"key": "empdiff.gamma_per_100m", "value": fits["diff"].params["d_gdp"] / 1e4,
                  "unit": "10,000 persons per 100 million yuan"})
    return rows(*items)


# ---- spatial clustering (Table 5-4, Figures 5-7 and 5-8) ------------------------------------------------------
@dataclass
class YearSpatial:
    year: int
    sample: gpd.GeoDataFrame
    w: object
    dropped: list
    stats: dict
    knn: dict
    counts: pd.Series
    lisa: pd.DataFrame  # adcode, quadrant, p_sim, cluster (plain level), cluster_fdr


def spatial_by_year(layer: gpd.GeoDataFrame, city: pd.DataFrame, s: dict | None = None) -> dict[int, YearSpatial]:
    """Global and local statistics of the index in each year of the settings (contiguity built once)."""
    s = s or spatial.settings()
    build = spatial.builder(s["weights"], layer)
    out = {}
    for year in s["years"]:
        frame = year_frame(layer, city, year)
        sample, w, dropped = spatial.sample_with_weights(frame, "index", build)
        knn_sample, knn_w, _ = spatial.sample_with_weights(frame, "index", spatial.builder("knn", k=s["trend_knn_k"]))
        lisa = spatial.local_moran(sample["index"], w, ids=sample["adcode"])
        knn = spatial.moran(knn_sample["index"], knn_w, permutations=0)  # a check of I and z: normal inference
        out[year] = YearSpatial(year, sample, w, dropped, spatial.global_statistics(sample["index"], w), knn,
                                spatial.quadrant_counts(sample["index"], w), lisa)
    return out


def spatial_records(by_year: dict[int, YearSpatial], trend_k: int) -> pd.DataFrame:
    """Table 5-4's statistics per year (with published ids), the k-NN check, quadrant and cluster counts."""
    items = []
    for year, y in by_year.items():
        s = y.stats
        for pattern, stat in (("moran.i.<year>", "moran_i"), ("moran.z.<year>", "z"), ("moran.expected_i.<year>", "expected_i"),
                              ("moran.sd_i.<year>", "sd_i"), ("moran.p.<year>", "p")):
            items.append({"key": key_of(pattern, year=year), "value": s[stat], "published_id": f"T5-4.{year}.{stat}",
                          "explanation": _moran_why(year, stat, s),
                          "by_construction": EXPECTED_I_IDENTITY if stat == "expected_i" else "",
                          "substitute": MORAN_P_SUBSTITUTE.format(
                              year=year, published=published.published().at[f"T5-4.{year}.p", "value_text"])
                          if stat == "p" else ""})
        items += [{"key": key_of("moran.n.<year>", year=year), "value": s["n"], "unit": "cities"},
                  {"key": key_of("moran.p_perm.<year>", year=year), "value": s["p_perm"]},
                  {"key": key_of("moran.dropped.<year>", year=year), "value": len(y.dropped), "unit": "cities"},
                  {"key": key_of("moran.knn<k>.i.<year>", k=trend_k, year=year), "value": y.knn["moran_i"]}]
        items += [{"key": key_of(pattern, year=year), "value": s[stat]} for pattern, stat in
                  (("geary.c.<year>", "geary_c"), ("geary.z.<year>", "geary_z"), ("getisord.g.<year>", "getis_g"),
                   ("getisord.z.<year>", "getis_z"), ("getisord.p.<year>", "getis_p"))]
        items += [{"key": key_of("moran.quadrant.<quadrant>.<year>", quadrant=_slug(q), year=year), "value": n, "unit": "cities"} for q, n in y.counts.items()]
        for tag, column in (("p05", "cluster"), ("fdr", "cluster_fdr")):
            n = y.lisa[column].value_counts()
            items += [{"key": key_of("lisa.<level>.<quadrant>.<year>", level=tag, quadrant=_slug(q), year=year), "value": n.get(q, 0), "unit": "cities"}
                      for q in spatial.QUADRANTS.values()]
    years = sorted(by_year)
    low, high = implied_sample_range(published.published().at[f"T5-4.{years[-1]}.expected_i", "value_text"])
    items += [{"key": "moran.report_implied_n.min", "value": low, "unit": "cities"},
              {"key": "moran.report_implied_n.max", "value": high, "unit": "cities"},
              {"key": key_of("moran.i.change.<first>_<last>", first=years[0], last=years[-1]),
               "value": by_year[years[-1]].stats["moran_i"] - by_year[years[0]].stats["moran_i"]}]
    return rows(*items)


MORAN_NOTES = _notes("regional.moran.")


def _moran_why(year: int, stat: str, s: dict) -> str:
    """Why a Table 5-4 statistic of one year differs, with that year's numbers ('' for E(I) and p, which match)."""
    if stat not in MORAN_NOTES:
        return ""
    pub = published.published()
    return MORAN_NOTES[stat].format(year=year, v=s[stat], n=s["n"], i=s["moran_i"],
                                    p=pub.at[f"T5-4.{year}.{stat}", "value_text"],
                                    pi=pub.at[f"T5-4.{year}.moran_i", "value_text"])


def implied_sample_range(expected_i_text: str) -> tuple[int, int]:
    """The sample sizes n whose E(I) = -1/(n-1) rounds to the printed value: '-0.003' -> (287, 400).

    A value printed to three decimals pins n down only to a range (|E(I)| in (0.0025, 0.0035))."""
    value, tol = abs(float(expected_i_text)), published.rounding_tolerance(expected_i_text)
    low = math.floor(1 / (value + tol)) + 2        # n - 1 > 1 / (|E| + tol)
    high = math.ceil(1 / (value - tol))           # n - 1 < 1 / (|E| - tol)
    return low, high


def _slug(name: str) -> str:
    return name.lower().replace("-", "_")


def dropped_names(by_year: dict[int, YearSpatial], layer: gpd.GeoDataFrame) -> str:
    """The units dropped as islands in any year, by name (Chinese list separator)."""
    codes = {c for y in by_year.values() for c in y.dropped}
    return "、".join(sorted(layer.loc[layer["adcode"].isin(codes), "name"]))


# ---- robustness of the reversals (issue 10 part 5) ------------------------------------------------------------
def robustness_records(weights_table: pd.DataFrame, employment_table: pd.DataFrame, year: int) -> pd.DataFrame:
    """``moran.i.<year>.<weights>`` and ``emp.beta.<sample>`` / ``emp.n.<sample>`` from the two robustness tables."""
    first = min(int(c.rsplit("_", 1)[1]) for c in weights_table.columns if c.startswith("moran_i_"))
    items = [{"key": key_of("moran.i.<year>.<weights>", year=year, weights=r.key), "value": r.moran_i}
             for r in weights_table.itertuples()]
    items += [{"key": key_of("moran.i.change.<first>_<last>.<weights>", first=first, last=year, weights=r.key), "value": r.moran_i - getattr(r, f"moran_i_{first}")}
              for r in weights_table.itertuples()]
    items += [{"key": key_of("moran.z.<year>.<weights>", year=year, weights=r.key), "value": r.z}
              for r in weights_table.itertuples()]
    items += [{"key": key_of("moran.n.<year>.<weights>", year=year, weights=r.key), "value": r.n, "unit": "cities"} for r in weights_table.itertuples()]
    change = weights_table["moran_i"] - weights_table[f"moran_i_{first}"]
    band = weights_table.set_index("key").loc["band"]
    local = weights_table[weights_table["key"] != "band"]["moran_i"]
    items += [{"key": "moran.i.change.weights_min", "value": change.min()},
              {"key": "moran.i.change.weights_max", "value": change.max()},
              {"key": "moran.band.threshold_km", "value": band["threshold_km"], "unit": "km"},
              {"key": "moran.band.mean_neighbours", "value": band["mean_neighbours"], "unit": "cities"},
              {"key": "moran.i.local_weights_min", "value": local.min()},
              {"key": "moran.i.local_weights_max", "value": local.max()},
              {"key": "moran.i.local_weights_to_report_min",
               "value": local.min() / published.published_value(f"T5-4.{year}.moran_i"), "unit": "ratio"}]
    for r in employment_table.itertuples():
        items += [{"key": key_of("emp.beta.<sample>", sample=r.key), "value": r.beta, "unit": "elasticity"},
                  {"key": key_of("emp.beta_p_hc1.<sample>", sample=r.key), "value": r.p_hc1},
                  {"key": key_of("emp.n.<sample>", sample=r.key), "value": r.n, "unit": "cities"}]
    items += [{"key": key_of("emp.beta.robustness.<bound>", bound=f), "value": getattr(employment_table["beta"], f)()}
              for f in ("min", "max")]
    items += [{"key": key_of("emp.beta_p_hc1.robustness.<bound>", bound=f), "value": getattr(employment_table["p_hc1"], f)()}
              for f in ("min", "max")]
    return rows(*items)


# ---- GDP per capita and the index (Table 5-5) -----------------------------------------------------------------
# Why each SDEM value differs, written for its row: {v} the book's value, {p} the report's as printed, {n} cities
# (data/explanations.csv)
SDEM_NOTES = _notes("regional.sdem.")



def sdem_fit(layer: gpd.GeoDataFrame, city: pd.DataFrame, rules: dict, s: dict | None = None) -> dict:
    """OLS, SLX, SAR, SEM, SDM and SDEM of ln GDP per capita in the cross-section year (complete cases).

    Returns the ``regression.spatial_models`` dict plus 'sample', 'complete' (cases before islands were
    dropped) and 'dropped'.
    """
    s = s or spatial.settings()
    frame = year_frame(layer, city, rules["cross_section_year"], ["gdp_pc", "pop_10k", *SDEM_REGRESSORS[2:], "index"])
    frame = frame.assign(ln_gdp_pc=np.log(frame["gdp_pc"]), ln_pop=np.log(frame["pop_10k"]))
    frame = frame.dropna(subset=["ln_gdp_pc"] + SDEM_REGRESSORS).reset_index(drop=True)
    sample, w, dropped = spatial.sample_with_weights(frame, "ln_gdp_pc", spatial.builder(s["weights"], layer))
    models = regression.spatial_models(sample, "ln_gdp_pc", SDEM_REGRESSORS, w, SDEM_LAGGED)
    return {**models, "sample": sample, "complete": len(frame), "dropped": dropped}


def sdem_records(result: dict) -> pd.DataFrame:
    """Table 5-5's SDEM values with their published ids, the tests and the AICs the page compares."""
    coef = result["coefficients"]
    sdem = coef[coef["model"] == "SDEM"].set_index("term")
    tests = result["tests"].set_index("test")
    fit = result["fit"].set_index("model")
    n, pub = len(result["sample"]), published.published()

    def why(pid: str, value: float) -> str:
        return SDEM_NOTES[pid].format(v=value, p=pub.at[f"T5-5.{pid}", "value_text"], n=n, complete=result["complete"],
                                      dropped=len(result["dropped"]), pn=pub.at["T5-5.nobs", "value_text"],
                                      sign=_TEXT["regional.sign.positive" if value > 0 else "regional.sign.negative"])

    items = [{"key": "sdem.complete_cases", "value": result["complete"], "unit": "cities"},
             {"key": "sdem.dropped", "value": len(result["dropped"]), "unit": "cities"},
             {"key": "sdem.n", "value": n, "unit": "cities", "published_id": "T5-5.nobs", "explanation": why("nobs", n)}]
    # FDI/GDP stands in for the report's imports+exports/GDP: another variable, so its coefficient is recorded
    # but not compared with the report's (the ledger's note on T5-5.w_trade_gdp says so)
    for name, name_z, term, pid in (("sdem.index", "sdem.index_z", "index", "index"),
                                    ("sdem.w_index", "sdem.w_index_z", "W_index", "w_index"),
                                    ("sdem.w_fdi_gdp", "sdem.w_fdi_gdp_z", "W_fdi_gdp", None),
                                    ("sdem.w_deposits_gdp", "sdem.w_deposits_gdp_z", "W_deposits_gdp", "w_deposits_gdp"),
                                    ("sdem.constant", "sdem.constant_z", "CONSTANT", "constant"),
                                    ("sdem.lambda", "sdem.lambda_z", "lambda", "lambda")):
        coef, z = sdem.at[term, "coef"], sdem.at[term, "z_or_t"]
        items += [{"key": name, "value": coef, "published_id": f"T5-5.{pid}" if pid else "",
                   "explanation": why(pid, coef) if pid else ""},
                  {"key": name_z, "value": z, "published_id": f"T5-5.{pid}_t" if pid else "",
                   "explanation": why(f"{pid}_t", z) if pid else ""}]
    items += [{"key": "sdem.wald_wx", "value": tests.at["Wald SDEM: all WX = 0", "statistic"], "unit": "chi2(3)",
               "published_id": "T5-5.wald", "explanation": why("wald", tests.at["Wald SDEM: all WX = 0", "statistic"])},
              {"key": "sdem.lr_lambda", "value": tests.at["LR SDEM vs SLX", "statistic"], "unit": "chi2(1)",
               "published_id": "T5-5.lr", "explanation": why("lr", tests.at["LR SDEM vs SLX", "statistic"])},
              {"key": "sdem.lr_wx", "value": tests.at["LR SDEM vs SEM", "statistic"], "unit": "chi2(3)"},
              {"key": "sdem.lr_wx_p", "value": tests.at["LR SDEM vs SEM", "p"]},
              {"key": "sdem.index_pct", "value": 100 * sdem.at["index", "coef"], "unit": "percent per index point"},
              {"key": "sdem.w_index_pct", "value": 100 * sdem.at["W_index", "coef"], "unit": "percent per index point"},
              {"key": "sdem.index_sd_pct", "value": 100 * sdem.at["index", "coef"] * result["sample"]["index"].std(),
               "unit": "percent per s.d."},
              {"key": "sdem.w_index_p", "value": sdem.at["W_index", "p"]}]
    items += [{"key": name, "value": fit.at[m, "aic"]} for name, m in (("sdem.aic", "SDEM"), ("sdm.aic", "SDM"), ("sem.aic", "SEM"))]
    return rows(*items)


# ---- maps (Figure 5-6) and the panel -------------------------------------------------------------------------
def map_records(frames: dict[int, gpd.GeoDataFrame], bins: list[float], southeast: pd.Series, year: int) -> pd.DataFrame:
    """Hu-line shares in ``year`` and the share of the first year's cities below ``year``'s lowest class."""
    values = frames[year]["index"]
    top = values >= np.nanquantile(values, 0.8)
    first = frames[min(frames)]["index"]
    return rows({"key": key_of("hu.top_quintile_southeast_share.<year>", year=year), "value": 100 * (top & southeast).sum() / top.sum(),
                 "unit": "percent"},
                {"key": key_of("hu.southeast_share.<year>", year=year), "value": 100 * southeast[values.notna()].mean(), "unit": "percent"},
                {"key": key_of("map.lowest_bin_<year>_share", year=min(frames)), "value": 100 * (first < bins[0]).sum() / first.notna().sum(),
                 "unit": "percent"})


def panel_records(fit) -> pd.DataFrame:
    """The two-way fixed-effects elasticities (linearmodels PanelOLS result)."""
    return rows({"key": "panel.beta", "value": fit.params["ln_index"], "unit": "elasticity"},
                {"key": "panel.beta_se", "value": fit.std_errors["ln_index"]},
                {"key": "panel.gamma", "value": fit.params["ln_gdp"], "unit": "elasticity"},
                {"key": "panel.gamma_se", "value": fit.std_errors["ln_gdp"]},
                {"key": "panel.nobs", "value": fit.nobs, "unit": "city-years"},
                {"key": "panel.cities", "value": fit.entity_info["total"], "unit": "cities"})


def panel_fit(city: pd.DataFrame):
    """ln employment on ln index and ln GDP, city and year fixed effects, over the panel years."""
    panel = city.assign(ln_employment=np.log(city["employment"]), ln_index=np.log(city["index"]),
                        ln_gdp=np.log(city["gdp_trn"]))
    return regression.panel_fe(panel, "ln_employment", ["ln_index", "ln_gdp"])


# ---- three years on: the clustering trend over every year of the index (issue 21) ------------------------------
# NBS's four economic regions (国家统计局《东西中部和东北地区划分方法》, 2011), by province code (first two digits
# of the adcode). An official division, not a choice of the book.
REGIONS = {"east": (11, 12, 13, 31, 32, 33, 35, 37, 44, 46), "centre": (14, 34, 36, 41, 42, 43),
           "west": (15, 45, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65), "north-east": (21, 22, 23)}
_REGION_OF = {p: r for r, ps in REGIONS.items() for p in ps}
CENTRAL_WEST = ("centre", "west")


def region_of(adcodes) -> np.ndarray:
    """The NBS region of each adcode ('east', 'centre', 'west', 'north-east')."""
    return np.array([_REGION_OF[int(a) // 10000] for a in adcodes], dtype=object)


@dataclass
class Trend:
    stats: pd.DataFrame   # year, weights (key), n, moran_i, z; geary_c, geary_z, getis_g, getis_z under the main weights
    lisa: pd.DataFrame    # year, adcode, region, cluster (plain level), under the main weights


def spatial_trend(layer: gpd.GeoDataFrame, city: pd.DataFrame, years, s: dict | None = None) -> Trend:
    """Moran's I of the index in every year under every weights choice of 5(二) (normal inference, no
    permutations), Geary's C and Getis-Ord G under the main weights (normal inference), and the LISA clusters under
    the main weights (the only statistic here whose significance needs the seeded permutations)."""
    s = s or spatial.settings()
    frames = {year: year_frame(layer, city, year) for year in years}
    # most years share one sample (the units with the index): its weights, islands dropped, are found once
    # per weights choice and reused with each year's values, which the weights do not depend on
    units = {year: tuple(frame.loc[frame["index"].notna(), "adcode"]) for year, frame in frames.items()}
    stats, lisa = [], []
    for key, _, build in spatial.weights_choices(layer, s):
        built = {}
        for year, frame in frames.items():
            if units[year] not in built:
                sample, w, _ = spatial.sample_with_weights(frame, "index", build)
                built[units[year]] = (sample["adcode"].to_numpy(), w)
            ids, w = built[units[year]]
            y = frame.loc[frame["adcode"].isin(ids), "index"].to_numpy()   # in the sample's order (the frame's)
            row = {"year": year, "weights": key}
            if key == s["weights"]:
                row.update(spatial.global_statistics(y, w, permutations=0))
                local = spatial.local_moran(y, w, ids=ids)
                lisa.append(pd.DataFrame({"year": year, "adcode": local["adcode"], "region": region_of(local["adcode"]),
                                          "cluster": local["cluster"]}))
            else:
                row.update(spatial.moran(y, w, permutations=0))
            stats.append(row)
    return Trend(pd.DataFrame(stats), pd.concat(lisa, ignore_index=True))


def high_high_by_region(lisa: pd.DataFrame) -> pd.DataFrame:
    """Per year and region: high-high cities and their share of the year's high-high cities (percent)."""
    hh = lisa[lisa["cluster"] == "High-High"]
    counts = hh.groupby(["year", "region"]).size().unstack(fill_value=0).reindex(columns=list(REGIONS), fill_value=0)
    counts = counts.reindex(sorted(lisa["year"].unique()), fill_value=0)
    share = 100 * counts.div(counts.sum(axis=1).where(lambda n: n > 0), axis=0)
    return (counts.stack().rename("n").to_frame().join(share.stack().rename("share_pct"))
            .reset_index().rename(columns={"level_1": "region"}))


def growth_shares(city: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per region, over the cities with the index in both years: share of the cities, of the index's summed
    increase from ``start`` to ``end``, and of the index's sum in each year (percent)."""
    a = city.loc[city["year"] == start, ["adcode", "index"]].set_index("adcode")["index"]
    b = city.loc[city["year"] == end, ["adcode", "index"]].set_index("adcode")["index"]
    both = pd.concat({"start": a, "end": b}, axis=1).dropna()
    both["region"] = region_of(both.index)
    both["increase"] = both["end"] - both["start"]
    g = both.groupby("region").agg(cities=("end", "size"), increase=("increase", "sum"), start=("start", "sum"),
                                   end=("end", "sum")).reindex(list(REGIONS))
    out = 100 * g / g.sum()
    return out.rename(columns={"cities": "city_share", "increase": "growth_share", "start": "level_share_start",
                               "end": "level_share_end"}).reset_index().assign(start=start, end=end)


def trend_summary(stats: pd.DataFrame, since: int) -> pd.DataFrame:
    """Per weights choice: year-on-year falls of Moran's I, change over the whole span and since ``since``."""
    rows = []
    for key, g in stats.groupby("weights", sort=False):
        i = g.set_index("year")["moran_i"].sort_index()
        rows.append({"weights": key, "falls": int((i.diff() < 0).sum()), "steps": len(i) - 1,
                     "first": int(i.index[0]), "last": int(i.index[-1]), "change": i.iloc[-1] - i.iloc[0],
                     "change_since": i.iloc[-1] - i[since], "peak_year": int(i.idxmax())})
    return pd.DataFrame(rows)


def main_weights_values(trend: Trend, weights: str) -> dict:
    """What the prose says of the main weights, whichever the settings choose (glued as ``trend.main.<name>``):
    their name in words (English and Chinese), and Geary's C in the first and last year and Getis-Ord's z in the last (computed under the
    main weights only)."""
    main = trend.stats[trend.stats["weights"] == weights].set_index("year").sort_index()
    return {"weights": spatial.describe(weights), "weights_zh": spatial.describe(weights, "zh"), "geary_first": float(main["geary_c"].iloc[0]), "geary_last": float(main["geary_c"].iloc[-1]),
            "getis_z_last": float(main["getis_z"].iloc[-1])}


def trend_records(trend: Trend, hh: pd.DataFrame, shares: list[pd.DataFrame], summary: pd.DataFrame, since: int,
                  recorded_elsewhere=frozenset()) -> pd.DataFrame:
    """``moran.i.<year>.<weights>``, ``geary.c.<year>.<weights>``, ``getisord.g.<year>.<weights>``, the high-high
    shares by region, the growth shares and the trend summary. Keys in ``recorded_elsewhere`` (the regional page's
    2019 robustness row) are left to their page."""
    items = []
    for r in trend.stats.itertuples():
        items.append({"key": key_of("moran.i.<year>.<weights>", year=r.year, weights=r.weights), "value": r.moran_i})
        if not np.isnan(r.geary_c):  # the main weights
            items += [{"key": key_of("geary.c.<year>.<weights>", year=r.year, weights=r.weights), "value": r.geary_c},
                      {"key": key_of("getisord.g.<year>.<weights>", year=r.year, weights=r.weights), "value": r.getis_g},
                      {"key": key_of("getisord.z.<year>.<weights>", year=r.year, weights=r.weights), "value": r.getis_z}]
    items = [i for i in items if i["key"] not in recorded_elsewhere]
    for r in hh.itertuples():
        items.append({"key": key_of("lisa.high_high.<region>.<year>", region=_slug(r.region), year=r.year), "value": r.n, "unit": "cities"})
        if r.share_pct == r.share_pct:
            items.append({"key": key_of("lisa.high_high_share.<region>.<year>", region=_slug(r.region), year=r.year), "value": r.share_pct, "unit": "percent"})
    for frame in shares:
        span = {"first": int(frame["start"].iloc[0]), "last": int(frame["end"].iloc[0])}
        cw = frame[frame["region"].isin(CENTRAL_WEST)].sum(numeric_only=True)
        for col, pattern in (("city_share", "dfiic.city_share.central_west.<first>_<last>"),
                             ("growth_share", "dfiic.growth_share.central_west.<first>_<last>"),
                             ("level_share_start", "dfiic.level_share_start.central_west.<first>_<last>"),
                             ("level_share_end", "dfiic.level_share_end.central_west.<first>_<last>")):
            items.append({"key": key_of(pattern, **span), "value": cw[col], "unit": "percent"})
    for r in summary.itertuples():
        items += [{"key": key_of("moran.i.falls.<first>_<last>.<weights>", first=r.first, last=r.last, weights=r.weights),
                   "value": r.falls, "unit": "years"},
                  {"key": key_of("moran.i.change.<first>_<last>.<weights>", first=r.first, last=r.last, weights=r.weights),
                   "value": r.change},
                  {"key": key_of("moran.i.change.<first>_<last>.<weights>", first=since, last=r.last, weights=r.weights),
                   "value": r.change_since},
                  {"key": key_of("moran.i.peak_year.<weights>", weights=r.weights), "value": r.peak_year, "unit": "year"}]
    first, last = int(summary["first"].iloc[0]), int(summary["last"].iloc[0])
    items += [{"key": key_of("moran.i.falls.<first>_<last>.<bound>", first=first, last=last, bound="max"),
               "value": summary["falls"].max(), "unit": "years"},
              {"key": key_of("moran.i.falls.<first>_<last>.<bound>", first=first, last=last, bound="min"),
               "value": summary["falls"].min(), "unit": "years"},
              {"key": key_of("moran.i.steps.<first>_<last>", first=first, last=last), "value": summary["steps"].iloc[0], "unit": "years"}]
    return rows(*items)
