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

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from lib.analysis import regression, spatial
from lib.analysis.results import rows
from lib.inputs import published, tables

__all__ = ["SUBSTITUTE", "EMPLOYMENT_WHY", "MORAN_WHY", "EXPECTED_I_IDENTITY", "EMPLOYMENT_TERMS",
           "SDEM_REGRESSORS", "SDEM_LAGGED", "SDEM_WHY", "year_frame", "frame_records", "assumption_values",
           "employment_fits", "employment_records", "YearSpatial", "spatial_by_year", "spatial_records",
           "dropped_names", "robustness_records", "sdem_fit", "sdem_records", "map_records", "panel_records",
           "panel_fit"]

# the explanations readers see beside the values, in English (data/explanations.csv holds their Chinese too)
_TEXT = tables.explanations()
SUBSTITUTE = _TEXT["regional.substitute"]
EMPLOYMENT_WHY = SUBSTITUTE + "; " + _TEXT["regional.employment_sample"]
MORAN_WHY = SUBSTITUTE + "; " + _TEXT["regional.moran_sample"]
EXPECTED_I_IDENTITY = _TEXT["regional.expected_i_identity"]
# eq. 5-2 / 5-3 terms: (ledger name, published name, regressor of the levels fit, of the differences fit)
EMPLOYMENT_TERMS = [("beta", "ln_index", "d_index"), ("gamma", "ln_gdp", "d_gdp"), ("alpha", "const", "const")]
# Table 5-5: regressors (the report's controls, with FDI/GDP for trade/GDP) and those with a spatial lag
SDEM_REGRESSORS = ["index", "ln_pop", "fdi_gdp", "deposits_gdp", "fiscal_gdp", "lowcarbon"]
SDEM_LAGGED = ["index", "fdi_gdp", "deposits_gdp"]
SDEM_WHY = SUBSTITUTE + "; " + _TEXT["regional.sdem_sample"]


def year_frame(layer: gpd.GeoDataFrame, city: pd.DataFrame, year: int, columns=("index",)) -> gpd.GeoDataFrame:
    """The frame's polygons with the city variables of one year (NaN where missing)."""
    return layer.merge(city.loc[city["year"] == year, ["adcode", *columns]], on="adcode", how="left")


def frame_records(layer: gpd.GeoDataFrame, city: pd.DataFrame, year: int, years) -> pd.DataFrame:
    """Units in the frame, units with the index in ``year`` (against the report's count), median index by year."""
    has_index = city.loc[city["year"] == year, "index"].notna()
    missing = int((~has_index).sum())
    return rows({"key": "regional.frame.units", "value": len(layer), "unit": "cities"},
                {"key": f"dfiic.cities.{year}", "value": has_index.sum(), "unit": "cities",
                 "published_id": "X5.fig5-6.ncities",
                 "explanation": f"the substitute index covers the {len(layer)} prefecture-level units and municipalities, "
                                f"of which {missing} lack a {year} score; the report's cities are not listed and cannot be matched"},
                *[{"key": f"dfiic.median.{y}", "value": city.loc[city["year"] == y, "index"].median(), "unit": "index score"}
                  for y in years])


def assumption_values(rules: dict, s: dict) -> dict[str, str]:
    """The assumptions the prose names, as text (glued as ``assume.<name>``, so the page never types them)."""
    years = s["years"]
    values = {"year": rules["cross_section_year"], "diff_from": rules["difference_from_year"],
              "panel_years": f"{rules['panel_years'][0]}-{rules['panel_years'][-1]}", "size_n": rules["size_sample_n"],
              "years": f"{years[0]}-{years[-1]}", "first_year": years[0], "last_year": years[-1],
              "weights": s["weights"], "trend_k": s["trend_knn_k"], "robustness_year": s["robustness_year"],
              "knn_k": ", ".join(map(str, s["robustness_knn_k"][:-1])) + f" and {s['robustness_knn_k'][-1]}",
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


def employment_records(fits: dict) -> pd.DataFrame:
    """Coefficients, classical standard errors, R², n and HC1 p-values of Table 5-3, with their published ids."""
    items = []
    for part, prefix, index in (("levels", "emp", 1), ("diff", "empdiff", 2)):
        fit = fits[part]
        for name, *terms in EMPLOYMENT_TERMS:
            term, pid = terms[index - 1], f"T5-3.{part}.{name}"
            note = " (the report's bracket here is a t statistic, see the audit)" if pid == "T5-3.levels.gamma" else ""
            items += [{"key": f"{prefix}.{name}", "value": fit.params[term], "published_id": pid,
                       "explanation": EMPLOYMENT_WHY},
                      {"key": f"{prefix}.{name}_se", "value": fit.bse[term], "published_id": pid + "_se",
                       "explanation": EMPLOYMENT_WHY + "; classical standard error" + note}]
        items += [{"key": f"{prefix}.r2", "value": fit.rsquared, "published_id": f"T5-3.{part}.r2",
                   "explanation": EMPLOYMENT_WHY},
                  {"key": f"{prefix}.n", "value": fit.nobs, "unit": "cities", "published_id": f"T5-3.{part}.nobs",
                   "explanation": EMPLOYMENT_WHY}]
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
        for name, stat in (("moran.i", "moran_i"), ("moran.z", "z"), ("moran.expected_i", "expected_i"),
                           ("moran.sd_i", "sd_i"), ("moran.p", "p")):
            items.append({"key": f"{name}.{year}", "value": s[stat], "published_id": f"T5-4.{year}.{stat}",
                          "explanation": MORAN_WHY,
                          "by_construction": EXPECTED_I_IDENTITY if stat == "expected_i" else ""})
        items += [{"key": f"moran.n.{year}", "value": s["n"], "unit": "cities"},
                  {"key": f"moran.p_perm.{year}", "value": s["p_perm"]},
                  {"key": f"moran.dropped.{year}", "value": len(y.dropped), "unit": "cities"},
                  {"key": f"moran.knn{trend_k}.i.{year}", "value": y.knn["moran_i"]}]
        items += [{"key": f"{k}.{year}", "value": s[stat]} for k, stat in
                  (("geary.c", "geary_c"), ("geary.z", "geary_z"), ("getisord.g", "getis_g"),
                   ("getisord.z", "getis_z"), ("getisord.p", "getis_p"))]
        items += [{"key": f"moran.quadrant.{_slug(q)}.{year}", "value": n, "unit": "cities"} for q, n in y.counts.items()]
        for tag, column in (("p05", "cluster"), ("fdr", "cluster_fdr")):
            n = y.lisa[column].value_counts()
            items += [{"key": f"lisa.{tag}.{_slug(q)}.{year}", "value": n.get(q, 0), "unit": "cities"}
                      for q in spatial.QUADRANTS.values()]
    years = sorted(by_year)
    items += [{"key": "moran.report_implied_n", "value": 1 - 1 / published.published_value(f"T5-4.{years[-1]}.expected_i"),
               "unit": "cities"},
              {"key": f"moran.i.change.{years[0]}_{years[-1]}",
               "value": by_year[years[-1]].stats["moran_i"] - by_year[years[0]].stats["moran_i"]}]
    return rows(*items)


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
    items = [{"key": f"moran.i.{year}.{r.key}", "value": r.moran_i} for r in weights_table.itertuples()]
    items += [{"key": f"moran.i.change.{first}_{year}.{r.key}", "value": r.moran_i - getattr(r, f"moran_i_{first}")}
              for r in weights_table.itertuples()]
    items += [{"key": f"moran.z.{year}.{r.key}", "value": r.z} for r in weights_table.itertuples()]
    items += [{"key": f"moran.n.{year}.{r.key}", "value": r.n, "unit": "cities"} for r in weights_table.itertuples()]
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
        items += [{"key": f"emp.beta.{r.key}", "value": r.beta, "unit": "elasticity"},
                  {"key": f"emp.beta_p_hc1.{r.key}", "value": r.p_hc1},
                  {"key": f"emp.n.{r.key}", "value": r.n, "unit": "cities"}]
    items += [{"key": f"emp.beta.robustness.{f}", "value": getattr(employment_table["beta"], f)()} for f in ("min", "max")]
    items += [{"key": f"emp.beta_p_hc1.robustness.{f}", "value": getattr(employment_table["p_hc1"], f)()}
              for f in ("min", "max")]
    return rows(*items)


# ---- GDP per capita and the index (Table 5-5) -----------------------------------------------------------------
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
    items = [{"key": "sdem.complete_cases", "value": result["complete"], "unit": "cities"},
             {"key": "sdem.dropped", "value": len(result["dropped"]), "unit": "cities"},
             {"key": "sdem.n", "value": len(result["sample"]), "unit": "cities", "published_id": "T5-5.nobs",
              "explanation": SDEM_WHY}]
    for key, term, pid in (("index", "index", "index"), ("w_index", "W_index", "w_index"),
                           ("w_fdi_gdp", "W_fdi_gdp", "w_trade_gdp"), ("w_deposits_gdp", "W_deposits_gdp", "w_deposits_gdp"),
                           ("constant", "CONSTANT", "constant"), ("lambda", "lambda", "lambda")):
        items += [{"key": f"sdem.{key}", "value": sdem.at[term, "coef"], "published_id": f"T5-5.{pid}",
                   "explanation": SDEM_WHY},
                  {"key": f"sdem.{key}_z", "value": sdem.at[term, "z_or_t"], "published_id": f"T5-5.{pid}_t",
                   "explanation": SDEM_WHY}]
    items += [{"key": "sdem.wald_wx", "value": tests.at["Wald SDEM: all WX = 0", "statistic"], "unit": "chi2(3)",
               "published_id": "T5-5.wald", "explanation": SDEM_WHY + "; " + _TEXT["regional.sdem_wald"]},
              {"key": "sdem.lr_lambda", "value": tests.at["LR SDEM vs SLX", "statistic"], "unit": "chi2(1)",
               "published_id": "T5-5.lr", "explanation": SDEM_WHY + "; " + _TEXT["regional.sdem_lr"]},
              {"key": "sdem.lr_wx", "value": tests.at["LR SDEM vs SEM", "statistic"], "unit": "chi2(3)"},
              {"key": "sdem.lr_wx_p", "value": tests.at["LR SDEM vs SEM", "p"]},
              {"key": "sdem.index_pct", "value": 100 * sdem.at["index", "coef"], "unit": "percent per index point"},
              {"key": "sdem.w_index_pct", "value": 100 * sdem.at["W_index", "coef"], "unit": "percent per index point"},
              {"key": "sdem.index_sd_pct", "value": 100 * sdem.at["index", "coef"] * result["sample"]["index"].std(),
               "unit": "percent per s.d."},
              {"key": "sdem.w_index_p", "value": sdem.at["W_index", "p"]}]
    items += [{"key": f"{m.lower()}.aic", "value": fit.at[m, "aic"]} for m in ("SDEM", "SDM", "SEM")]
    return rows(*items)


# ---- maps (Figure 5-6) and the panel -------------------------------------------------------------------------
def map_records(frames: dict[int, gpd.GeoDataFrame], bins: list[float], southeast: pd.Series, year: int) -> pd.DataFrame:
    """Hu-line shares in ``year`` and the share of the first year's cities below ``year``'s lowest class."""
    values = frames[year]["index"]
    top = values >= np.nanquantile(values, 0.8)
    first = frames[min(frames)]["index"]
    return rows({"key": f"hu.top_quintile_southeast_share.{year}", "value": 100 * (top & southeast).sum() / top.sum(),
                 "unit": "percent"},
                {"key": f"hu.southeast_share.{year}", "value": 100 * southeast[values.notna()].mean(), "unit": "percent"},
                {"key": f"map.lowest_bin_{min(frames)}_share", "value": 100 * (first < bins[0]).sum() / first.notna().sum(),
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
