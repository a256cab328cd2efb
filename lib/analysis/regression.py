"""Thin wrappers over statsmodels, linearmodels and spreg that return tidy tables in the report's layout.

* ``ols(frame, y, xs, cov)``: statsmodels OLS with classical ('nonrobust') or 'HC1' standard errors.
* ``tidy(...)``: one row per coefficient: estimate, standard error, t, p, stars, and the report's
  cell text ``0.1295*** (0.025)``.
* ``audit_published(...)``: does a published coefficient, its bracketed number and its stars agree?
* ``spatial_models(...)``: OLS, SLX, SAR, SEM, SDM and SDEM with spreg (maximum likelihood), their
  log-likelihoods and the LR / Wald tests between nested models.
* ``panel_fe(...)``: linearmodels PanelOLS with entity and time effects, clustered by entity.
"""
from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

__all__ = ["STAR_LEVELS", "stars", "cell", "ols", "tidy", "audit_published", "spatial_models", "sdem_effects",
           "panel_fe", "employment_levels", "employment_differences", "employment_robustness"]

STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))


def stars(p: float) -> str:
    """'***' below 1%, '**' below 5%, '*' below 10%, else ''."""
    for level, mark in STAR_LEVELS:
        if p < level:
            return mark
    return ""


def cell(coef: float, bracket: float, digits: int = 4, bracket_digits: int = 3, p: float | None = None) -> str:
    """The report's layout: coefficient, stars, bracketed number."""
    mark = stars(p) if p is not None else ""
    return f"{coef:.{digits}f}{mark} ({bracket:.{bracket_digits}f})"


def ols(frame: pd.DataFrame, y: str, xs: list[str], cov: str = "nonrobust"):
    """OLS of ``y`` on a constant and ``xs`` (complete cases), statsmodels results."""
    data = frame[[y] + xs].dropna()
    return OLS(data[y], add_constant(data[xs])).fit(cov_type=cov)


def tidy(result, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Coefficient table from a statsmodels/linearmodels result: term, coef, se, t, p, stars, cell."""
    params = result.params
    se = result.bse if hasattr(result, "bse") else result.std_errors
    t = result.tvalues if hasattr(result, "tvalues") else result.tstats
    p = result.pvalues
    out = pd.DataFrame({"term": params.index, "coef": params.values, "se": se.values, "t": t.values,
                        "p": p.values})
    out["stars"] = out["p"].map(stars)
    out["cell"] = [cell(c, s, p=pv) for c, s, pv in zip(out["coef"], out["se"], out["p"])]
    if names:
        out["term"] = out["term"].map(lambda k: names.get(k, k))
    return out


def audit_published(coef: float, bracket: float, printed_stars: str, df: int) -> dict:
    """Check a published 'coef*** (bracket)' against itself.

    Reads the bracket first as a standard error (t = coef / bracket), then as a t statistic, and
    says which reading, if any, gives the printed stars (two-sided t test with ``df`` degrees of freedom).
    """
    t_if_se = coef / bracket if bracket else np.inf
    p_if_se = 2 * stats.t.sf(abs(t_if_se), df)
    p_if_t = 2 * stats.t.sf(abs(bracket), df)
    se_reading = stars(p_if_se) == printed_stars
    t_reading = stars(p_if_t) == printed_stars
    if se_reading:
        verdict = "consistent (bracket = standard error)"
    elif t_reading:
        verdict = "inconsistent as a standard error; consistent if the bracket is a t statistic"
    else:
        verdict = "inconsistent under either reading"
    return {"t_if_se": t_if_se, "p_if_se": p_if_se, "stars_if_se": stars(p_if_se),
            "p_if_t": p_if_t, "stars_if_t": stars(p_if_t), "verdict": verdict}


def _spreg_table(model, label: str) -> pd.DataFrame:
    names = list(model.name_x)
    betas = np.asarray(model.betas).ravel()
    se = np.sqrt(np.diag(model.vm))
    inference = getattr(model, "z_stat", None) or model.t_stat  # ML: z; OLS: t with n - k df
    z = np.array([row[0] for row in inference])
    p = np.array([row[1] for row in inference])
    if len(names) < len(betas):  # spreg appends rho or lambda
        names = names + ["rho" if hasattr(model, "rho") else "lambda"]
    names = names[:len(betas)]
    out = pd.DataFrame({"model": label, "term": names, "coef": betas, "se": se, "z_or_t": z, "p": p})
    out["stars"] = out["p"].map(stars)
    return out


def spatial_models(frame: pd.DataFrame, y: str, xs: list[str], w, lagged: list[str]) -> dict:
    """Fit OLS, SLX, SAR, SEM, SDM, SDEM of ``y`` on ``xs`` with spatial lags of ``lagged`` (WX).

    ``w`` must be row-standardised and ordered like ``frame``. Returns {'models': {label: spreg
    model}, 'coefficients': tidy long table, 'fit': log-likelihood and AIC per model, 'tests': LR and
    Wald tests between nested models}.
    """
    import spreg

    yv = frame[[y]].to_numpy(float)
    xv = frame[xs].to_numpy(float)
    slx_vars = [x in lagged for x in xs]
    common = dict(name_y=y, name_x=list(xs))
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):  # spreg prints model names
        warnings.simplefilter("ignore")
        models = {
            "OLS": spreg.OLS(yv, xv, **common),
            "SLX": spreg.OLS(yv, xv, w=w, slx_lags=1, slx_vars=slx_vars, **common),
            "SAR": spreg.ML_Lag(yv, xv, w, spat_impacts=None, **common),
            "SEM": spreg.ML_Error(yv, xv, w, **common),
            "SDM": spreg.ML_Lag(yv, xv, w, slx_lags=1, slx_vars=slx_vars, spat_impacts="simple", **common),
            "SDEM": spreg.ML_Error(yv, xv, w, slx_lags=1, slx_vars=slx_vars, **common),
        }
    coefficients = pd.concat([_spreg_table(m, k) for k, m in models.items()], ignore_index=True)
    fit = pd.DataFrame([{"model": k, "log_likelihood": float(m.logll), "aic": float(m.aic),
                         "k": len(np.asarray(m.betas).ravel())} for k, m in models.items()])
    ll = fit.set_index("model")["log_likelihood"]
    k = fit.set_index("model")["k"]

    def lr(full, restricted):
        stat = 2 * (ll[full] - ll[restricted])
        dof = int(k[full] - k[restricted])
        return {"test": f"LR {full} vs {restricted}", "statistic": stat, "df": dof, "p": stats.chi2.sf(stat, dof)}

    tests = [lr("SDEM", "SEM"), lr("SDEM", "SLX"), lr("SDM", "SAR"), lr("SDM", "SEM"), lr("SEM", "OLS"),
             lr("SAR", "OLS"), lr("SLX", "OLS")]
    # Wald test that the WX coefficients of the SDEM are jointly zero
    sdem = models["SDEM"]
    names = coefficients.loc[coefficients["model"] == "SDEM", "term"].tolist()
    idx = [i for i, n in enumerate(names) if n.startswith("W_")]
    b = np.asarray(sdem.betas).ravel()[idx]
    v = np.asarray(sdem.vm)[np.ix_(idx, idx)]
    wald = float(b @ np.linalg.solve(v, b))
    tests.append({"test": "Wald SDEM: all WX = 0", "statistic": wald, "df": len(idx), "p": stats.chi2.sf(wald, len(idx))})
    return {"models": models, "coefficients": coefficients, "fit": fit, "tests": pd.DataFrame(tests)}


def sdem_effects(result: dict, xs: list[str]) -> pd.DataFrame:
    """Direct (beta), indirect (theta of WX) and total effects in the SDEM, with delta-method SEs.

    In an SDEM the spatial multiplier sits in the error only, so the effects are the coefficients.
    """
    model = result["models"]["SDEM"]
    names = result["coefficients"].query("model == 'SDEM'")["term"].tolist()
    b = np.asarray(model.betas).ravel()
    v = np.asarray(model.vm)
    rows = []
    for x in xs:
        i = names.index(x)
        j = names.index("W_" + x) if "W_" + x in names else None
        total = b[i] + (b[j] if j is not None else 0.0)
        var_total = v[i, i] + ((v[j, j] + 2 * v[i, j]) if j is not None else 0.0)
        rows.append({"term": x, "direct": b[i], "direct_se": np.sqrt(v[i, i]),
                     "indirect": b[j] if j is not None else 0.0,
                     "indirect_se": np.sqrt(v[j, j]) if j is not None else 0.0,
                     "total": total, "total_se": np.sqrt(var_total)})
    return pd.DataFrame(rows)


def panel_fe(frame: pd.DataFrame, y: str, xs: list[str], entity: str = "adcode", time: str = "year"):
    """Two-way fixed effects (entity and time) with entity-clustered standard errors (linearmodels)."""
    from linearmodels.panel import PanelOLS

    data = frame[[entity, time, y] + xs].dropna().set_index([entity, time])
    model = PanelOLS(data[y], data[xs], entity_effects=True, time_effects=True)
    return model.fit(cov_type="clustered", cluster_entity=True)


def employment_levels(city: pd.DataFrame, year: int = 2019) -> pd.DataFrame:
    """Eq. 5-2 variables: ln employment (10k), ln index, ln GDP (trillion yuan); complete cases."""
    x = city[city["year"] == year]
    out = pd.DataFrame({"adcode": x["adcode"], "ln_employment": np.log(x["employment"]),
                        "ln_index": np.log(x["index"]), "ln_gdp": np.log(x["gdp_trn"])})
    return out.dropna().reset_index(drop=True)


def employment_differences(city: pd.DataFrame, start: int = 2018, end: int = 2019) -> pd.DataFrame:
    """Eq. 5-3 variables: changes in levels from ``start`` to ``end`` (employment 10k, index, GDP trillion)."""
    wide = city[city["year"].isin([start, end])].pivot(index="adcode", columns="year",
                                                           values=["employment", "index", "gdp_trn"])
    out = pd.DataFrame({"d_employment": wide["employment"][end] - wide["employment"][start],
                        "d_index": wide["index"][end] - wide["index"][start],
                        "d_gdp": wide["gdp_trn"][end] - wide["gdp_trn"][start]})
    return out.dropna().reset_index()


def employment_robustness(city: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """β of eq. 5-2 (ln employment on ln index and ln GDP) under four samples and specifications.

    Rows (``key``): 'sample_all' every complete case; 'sample_262' the ``size_sample_n`` complete cases
    largest by ``size_rank_by``; 'no_municipalities' without Beijing, Tianjin, Shanghai and Chongqing;
    'province_fe' every complete case with province fixed effects (dummies; a municipality is its own
    province). Columns: key, n, beta, se (classical), p_hc1, r2, municipalities (how many in the sample).
    """
    year, rank, size = rules["cross_section_year"], rules["size_rank_by"], rules["size_sample_n"]
    info = city.loc[city["year"] == year, ["adcode", "province", "municipality", rank]]
    levels = employment_levels(city, year).merge(info, on="adcode", how="left")
    provinces = pd.get_dummies(levels["province"], prefix="province", drop_first=True, dtype=float)
    with_fe = pd.concat([levels, provinces], axis=1)
    variants = {"sample_all": (levels, []),
                "sample_262": (levels.dropna(subset=[rank]).nlargest(size, rank), []),
                "no_municipalities": (levels[~levels["municipality"]], []),
                "province_fe": (with_fe, list(provinces.columns))}
    rows = []
    for key, (frame, extra) in variants.items():
        xs = ["ln_index", "ln_gdp"] + extra
        fit, robust = ols(frame, "ln_employment", xs), ols(frame, "ln_employment", xs, cov="HC1")
        rows.append({"key": key, "n": int(fit.nobs), "beta": fit.params["ln_index"], "se": fit.bse["ln_index"],
                     "p_hc1": robust.pvalues["ln_index"], "r2": fit.rsquared,
                     "municipalities": int(frame["municipality"].sum())})
    return pd.DataFrame(rows)
