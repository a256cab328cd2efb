"""Display tables of the regional chapter (Tables 5-3 to 5-5, their audit and robustness checks).

Every function takes computed results (``lib.analysis.regional``) and the published ledger and returns a frame of
text cells ready for ``charts.glue_table``: numbers formatted, the report's cells rebuilt from its
published values and the stars recorded in the ledger's notes, rows looked up by name, never by position.
"""
from __future__ import annotations

import re

import pandas as pd

from lib.analysis import regression
from lib.ledger import ledger

__all__ = ["GREEK", "T5_3_TERMS", "SDEM_LABELS", "SDEM_PUBLISHED", "SDEM_ORDER", "SIZE_LABELS", "MODELS", "fmt",
           "published_stars", "published_cell", "table_5_3", "audit_5_3", "audit_records", "audit_display",
           "table_5_4", "table_5_4_trend", "weights_robustness_table", "employment_robustness_table",
           "table_5_5", "tests_5_5", "effects_5_5", "panel_table"]

GREEK = {"beta": "β", "gamma": "γ", "alpha": "α"}
T5_3_TERMS = {"levels": {"beta": ("ln_index", "ln index"), "gamma": ("ln_gdp", "ln GDP"), "alpha": ("const", "constant")},
              "diff": {"beta": ("d_index", "Δ index"), "gamma": ("d_gdp", "Δ GDP"), "alpha": ("const", "constant")}}
SDEM_LABELS = {"CONSTANT": "Constant", "index": "Index (PKU-DFIIC)", "ln_pop": "ln population",
               "fdi_gdp": "FDI / GDP", "deposits_gdp": "Deposits / GDP", "fiscal_gdp": "Fiscal expenditure / GDP",
               "lowcarbon": "Low-carbon pilot", "W_index": "W × index", "W_fdi_gdp": "W × FDI / GDP",
               "W_deposits_gdp": "W × deposits / GDP", "W_ln_gdp_pc": "ρ (W × y)", "lambda": "λ (error)"}
# the book's SDEM term -> the report's Table 5-5 id (trade/GDP is the report's; FDI/GDP stands in for it)
SDEM_PUBLISHED = {"index": "index", "W_index": "w_index", "W_fdi_gdp": "w_trade_gdp",
                  "W_deposits_gdp": "w_deposits_gdp", "CONSTANT": "constant", "lambda": "lambda"}
SDEM_ORDER = ["index", "ln_pop", "fdi_gdp", "deposits_gdp", "fiscal_gdp", "lowcarbon", "W_index", "W_fdi_gdp",
              "W_deposits_gdp", "CONSTANT", "W_ln_gdp_pc", "lambda"]
# what a city-size variable of the sample rules means, for table labels
SIZE_LABELS = {"pop_10k": "hukou population", "gdp_trn": "GDP", "employment": "employment", "gdp_pc": "GDP per capita"}
MODELS = ("OLS", "SLX", "SAR", "SEM", "SDM", "SDEM")


def fmt(value: float, digits: int = 3) -> str:
    """A number as table text ('' for a missing value)."""
    return "" if value is None or value != value else f"{value:.{digits}f}"


def published_stars(pid: str) -> str:
    """The significance stars the report prints with a published value (kept in the ledger's note)."""
    match = re.search(r"\*{1,3}", ledger.published().at[pid, "note"])
    return match.group(0) if match else ""


def published_cell(pid: str, bracket: str) -> str:
    """The report's cell 'coef*** (bracket)', from its published text and stars."""
    text = ledger.published()["value_text"]
    return f"{text[pid]}{published_stars(pid)} ({text[bracket]})"


def _fit_cells(fit, terms: dict) -> list[str]:
    table = regression.tidy(fit).set_index("term")
    return [table.at[term, "cell"] for term, _ in terms.values()] + [f"{fit.nobs:.0f}", f"{fit.rsquared:.3f}"]


def table_5_3(fits: dict) -> pd.DataFrame:
    """Table 5-3: the report's columns beside the book's fits with classical and HC1 standard errors."""
    text = ledger.published("T5-3.")["value_text"]
    variable, report, classical, hc1 = [], [], [], []
    for part, prime in (("levels", ""), ("diff", "'")):
        terms = T5_3_TERMS[part]
        variable += [f"{GREEK[t]}{prime} ({label})" for t, (_, label) in terms.items()] + ["Observations", "R-squared"]
        report += [published_cell(f"T5-3.{part}.{t}", f"T5-3.{part}.{t}_se") for t in terms]
        report += [text[f"T5-3.{part}.nobs"], text[f"T5-3.{part}.r2"]]
        classical += _fit_cells(fits[part], terms)
        hc1 += _fit_cells(fits[part + "_hc1"], terms)
    n = text["T5-3.levels.nobs"]
    return pd.DataFrame({"Variable": variable, f"Report (Tencent DDI, {n} cities)": report,
                         "Book: classical SE": classical, "Book: HC1 SE": hc1})


def audit_5_3() -> pd.DataFrame:
    """Does each published bracket of Table 5-3 agree with its stars, read as a standard error or as a t?"""
    out = []
    for part, prime in (("levels", ""), ("diff", "'")):
        dof = int(ledger.published_value(f"T5-3.{part}.nobs")) - len(T5_3_TERMS[part])
        for term in T5_3_TERMS[part]:
            pid = f"T5-3.{part}.{term}"
            check = regression.audit_published(ledger.published_value(pid), ledger.published_value(pid + "_se"),
                                               published_stars(pid), dof)
            out.append({"row": GREEK[term] + prime, "printed": published_cell(pid, pid + "_se"),
                        "t if bracket is SE": fmt(check["t_if_se"], 2), "stars then": check["stars_if_se"] or "none",
                        "stars if bracket is t": check["stars_if_t"] or "none", "verdict": check["verdict"],
                        "t_if_se": check["t_if_se"], "id": pid})
    return pd.DataFrame(out)


def audit_records(audit: pd.DataFrame) -> list[dict]:
    """The audit's count of inconsistent rows and the t statistics the prose quotes."""
    t = audit.set_index("id")["t_if_se"]
    return [{"key": "audit.t5_3.inconsistent_rows", "value": (~audit["verdict"].str.startswith("consistent")).sum(),
             "unit": "rows"},
            {"key": "audit.t5_3.gamma_t_if_se", "value": t["T5-3.levels.gamma"]},
            {"key": "audit.t5_3.beta_diff_t_if_se", "value": t["T5-3.diff.beta"]}]


def audit_display(audit: pd.DataFrame) -> pd.DataFrame:
    return audit.drop(columns=["t_if_se", "id"])


def table_5_4(by_year: dict, permutations: int) -> pd.DataFrame:
    """Table 5-4: the report's Moran's I beside the book's global statistics, one row per year."""
    text = ledger.published("T5-4.")["value_text"]
    out = []
    for year, y in sorted(by_year.items()):
        r, pid = y.stats, f"T5-4.{year}.moran_i"
        out.append({"Year": str(year), "Report: I": (text[pid] + published_stars(pid)) if pid in text else "",
                    "Book: I": fmt(r["moran_i"]) + regression.stars(r["p"]), "E(I)": fmt(r["expected_i"]),
                    "Sd(I)": fmt(r["sd_i"]), "z": fmt(r["z"]), "P (normal)": fmt(r["p"]),
                    f"P ({permutations} perm.)": fmt(r["p_perm"]), "n": str(r["n"]),
                    "Geary's C (z)": f"{fmt(r['geary_c'])} ({fmt(r['geary_z'], 2)})",
                    "Getis-Ord G (z)": f"{fmt(r['getis_g'], 4)} ({fmt(r['getis_z'], 2)})"})
    return pd.DataFrame(out)


def table_5_4_trend(by_year: dict, k: int) -> pd.DataFrame:
    """Moran's I per year under the main weights and under k-nearest-neighbour weights."""
    return pd.DataFrame([{"Year": str(year), "Contiguity: I": fmt(y.stats["moran_i"]), "Contiguity: z": fmt(y.stats["z"], 2),
                          "Contiguity: n": str(y.stats["n"]), f"{k}-NN: I": fmt(y.knn["moran_i"]),
                          f"{k}-NN: z": fmt(y.knn["z"], 2), f"{k}-NN: n": str(y.knn["n"])}
                         for year, y in sorted(by_year.items())])


def weights_robustness_table(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Moran's I in ``year`` under each weights choice, with its change since the first year of the table."""
    first = min(int(c.rsplit("_", 1)[1]) for c in table.columns if c.startswith("moran_i_"))
    return pd.DataFrame({"Weights": table["weights"], "Neighbours (mean)": table["mean_neighbours"].map(lambda v: fmt(v, 1)),
                         "n": table["n"].astype(str), f"I ({year})": table["moran_i"].map(fmt),
                         "z": table["z"].map(lambda v: fmt(v, 1)), "P (normal)": table["p"].map(fmt),
                         f"Change in I, {first}-{year}": (table["moran_i"] - table[f"moran_i_{first}"]).map(lambda v: f"{v:+.3f}")})


def employment_robustness_table(table: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """β of eq. 5-2 under each sample, beside the report's."""
    labels = {"sample_all": "All complete cases",
              "sample_262": f"The {rules['size_sample_n']} largest by {SIZE_LABELS.get(rules['size_rank_by'], rules['size_rank_by'])}"
                                " (the report's sample size)",
              "no_municipalities": "Without the four municipalities", "province_fe": "All, with province fixed effects"}
    book = pd.DataFrame({"Sample": table["key"].map(labels), "n": table["n"].astype(str),
                         "β": [regression.cell(b, s, 3, 3, p=p) for b, s, p in zip(table["beta"], table["se"], table["p_hc1"])],
                         "HC1 p-value": table["p_hc1"].map(lambda v: fmt(v, 2)), "R-squared": table["r2"].map(fmt)})
    text = ledger.published("T5-3.")["value_text"]
    report = {"Sample": "Report (Tencent DDI)", "n": text["T5-3.levels.nobs"],
              "β": published_cell("T5-3.levels.beta", "T5-3.levels.beta_se"), "HC1 p-value": "", "R-squared": text["T5-3.levels.r2"]}
    return pd.concat([pd.DataFrame([report]), book], ignore_index=True)


def table_5_5(result: dict, controls: list[str]) -> pd.DataFrame:
    """Table 5-5: the report's SDEM beside the book's six spatial models (coef, stars, z or t)."""
    coef, fit = result["coefficients"], result["fit"].set_index("model")
    text = ledger.published("T5-5.")["value_text"]
    order = SDEM_ORDER
    out = pd.DataFrame({"Variable": [SDEM_LABELS[t] for t in order]})
    out["Report SDEM"] = [published_cell(f"T5-5.{SDEM_PUBLISHED[t]}", f"T5-5.{SDEM_PUBLISHED[t]}_t")
                          if t in SDEM_PUBLISHED else ("controlled" if t in controls else "") for t in order]
    for model in MODELS:
        part = coef[coef["model"] == model].set_index("term")
        out[model] = [regression.cell(part.at[t, "coef"], part.at[t, "z_or_t"], 4, 2, p=part.at[t, "p"])
                      if t in part.index else "" for t in order]
    n = str(len(result["sample"]))
    out = pd.concat([out, pd.DataFrame([
        {"Variable": "Observations", "Report SDEM": text["T5-5.nobs"], **{m: n for m in MODELS}},
        {"Variable": "Log likelihood", "Report SDEM": "", **{m: fmt(fit.at[m, "log_likelihood"], 1) for m in MODELS}},
        {"Variable": "AIC", "Report SDEM": "", **{m: fmt(fit.at[m, "aic"], 1) for m in MODELS}}])], ignore_index=True)
    return out[out.drop(columns="Variable").ne("").any(axis=1)].reset_index(drop=True)


def tests_5_5(result: dict) -> pd.DataFrame:
    """The LR and Wald tests between nested models, and the report's unexplained tests as printed."""
    tests = result["tests"]
    text = ledger.published("T5-5.")["value_text"]
    out = pd.DataFrame({"test": tests["test"], "statistic": tests["statistic"].map(lambda v: fmt(v, 2)),
                        "df": tests["df"].astype(str), "p": tests["p"].map(lambda v: fmt(v, 4))})
    report = {"test": "Report: Wald / F / LR (unspecified)", "df": "", "p": "",
              "statistic": " / ".join(text[f"T5-5.{t}"] for t in ("wald", "f", "lr"))}
    return pd.concat([out, pd.DataFrame([report])], ignore_index=True)


def effects_5_5(effects: pd.DataFrame) -> pd.DataFrame:
    """SDEM direct, indirect and total effects with readable variable names."""
    names = {"term": "Variable", "direct_se": "direct: s.e.", "indirect_se": "indirect: s.e.", "total_se": "total: s.e."}
    return effects.assign(term=effects["term"].map(SDEM_LABELS)).rename(columns=names)


def panel_table(fit) -> pd.DataFrame:
    """The panel fit's coefficient table (term, coef, se, t, p, stars)."""
    names = {"ln_index": "ln index", "ln_gdp": "ln GDP"}
    return regression.tidy(fit, names)[["term", "coef", "se", "t", "p", "stars"]]



# ---- three years on (issue 21) ---------------------------------------------------------------------------------
def trend_table(stats: pd.DataFrame, main: str) -> pd.DataFrame:
    """Moran's I by year under each weights choice, with Geary's C and Getis-Ord G (z) under the main weights."""
    wide = stats.pivot(index="year", columns="weights", values="moran_i")[list(dict.fromkeys(stats["weights"]))]
    m = stats[stats["weights"] == main].set_index("year")
    out = pd.DataFrame({"Year": [str(y) for y in wide.index], "n": m.loc[wide.index, "n"].astype(int).astype(str).values})
    for key in wide.columns:
        out[f"I: {key}"] = wide[key].map(fmt).values
    out["Geary's C"] = m.loc[wide.index, "geary_c"].map(fmt).values
    out["Getis-Ord G: z"] = m.loc[wide.index, "getis_z"].map(lambda v: fmt(v, 2)).values
    return out


def high_high_table(hh: pd.DataFrame) -> pd.DataFrame:
    """High-high LISA cities by region and year, and the centre's and west's share of them."""
    wide = hh.pivot(index="year", columns="region", values="n")
    cw = hh[hh["region"].isin(("centre", "west"))].groupby("year")["share_pct"].sum(min_count=1)
    out = pd.DataFrame({"Year": [str(y) for y in wide.index]})
    for region in ("east", "centre", "west", "north-east"):
        out[region.capitalize()] = wide[region].astype(int).astype(str).values
    out["Centre and west (% of high-high)"] = cw.reindex(wide.index).map(lambda v: fmt(v, 1)).values
    return out
