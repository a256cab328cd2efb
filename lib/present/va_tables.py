"""Tables and figures of chapter 5's value-added accounting, assembled from tidy inputs.

Each function returns a frame ready for ``charts.glue_table`` or a matplotlib figure for ``charts.glue_figure``;
none of them computes an estimate (that is ``lib.analysis.va_replication``). Colours follow ``charts.role_color``: the
report, the book's replication track ('book'), calibrated values, estimates on an open or substitute basis
('substitute') and peer estimates ('peer').
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.ledger import ledger
from lib.present import charts, comparison

__all__ = ["pub", "report_values", "share_id", "growth_tolerance", "T51_QUANTITIES", "table_5_1", "table_5_2",
           "direct_subindustries", "solow_table", "tfp_table", "sensitivity_table", "io2020_table",
           "figure_value_added", "figure_structure", "figure_share", "figure_sensitivity",
           "figure_alternatives", "figure_real_gdp", "figure_forecast_paths", "figure_forecast_value_added",
           "published_shares", "gap_parts", "gap_variants", "sensitivity_rows", "alternatives_series"]


def pub(pid: str) -> float:
    """A published value, or NaN where the report did not print one."""
    return ledger.published_value(pid) if pid in ledger.published().index else np.nan


def report_values(years: list[int]) -> pd.DataFrame:
    """The report's value added by year (three-decimal text levels), its parts and real growth."""
    return pd.DataFrame({y: {"total": pub(f"X5.iie_real_va.{y}"), "direct": pub(f"X5.direct_va.{y}"),
                             "penetration": pub(f"X5.penetration_va.{y}"),
                             "real_growth": pub(f"T5-2.tsinghua.{y}.real_growth")} for y in years}).T


def share_id(year: int, first_year: int) -> str:
    """Table 5-1 starts a year after the text; the first year's share is in Table 5-2."""
    return f"T5-2.tsinghua.{year}.share_gdp" if year == first_year else f"T5-1.{year}.share_gdp"


def growth_tolerance(year: int) -> float:
    """The ledger's tolerance for the report's real growth of ``year``: rounding or 0.5%, the larger."""
    row = ledger.published().loc[f"T5-2.tsinghua.{year}.real_growth"]
    return max(ledger.rounding_tolerance(row["value_text"]), ledger.DEFAULT_REL_TOL * abs(row["value"]))


T51_QUANTITIES = [("real GDP", "real_gdp", "T5-1.{y}.real_gdp"),
                  ("GDP increment", "gdp_increment", "T5-1.{y}.gdp_increment"),
                  ("industrial-internet value added", "iie", "X5.iie_real_va.{y}"),
                  ("industrial-internet increment", "iie_increment", "T5-1.{y}.iie_increment"),
                  ("contribution to the GDP increment (%)", "contribution_pct", "T5-1.{y}.contribution_gdp_increment"),
                  ("pull on GDP growth (pp)", "pull_pp", "T5-1.{y}.pull_gdp_growth"),
                  ("share of GDP (%)", "share_pct", "T5-1.{y}.share_gdp")]


def table_5_1(track: pd.DataFrame, years: list[int], column: str = "replication track") -> pd.DataFrame:
    """Table 5-1: the report's values beside a track's (long format: year, quantity)."""
    rows = []
    for y in years:
        for label, col, pid in T51_QUANTITIES:
            pid = share_id(y, years[0]) if col == "share_pct" else pid.format(y=y)
            rows.append({"year": y, "quantity": label, "report": pub(pid), column: track.at[y, col]})
    return pd.DataFrame(rows).dropna(subset=[column])


def table_5_2(track: pd.DataFrame, years: list[int], name: str = "this book, replication track") -> pd.DataFrame:
    """Table 5-2: the report, the two peers and the book's track, each in its own prices."""
    sources = [("report (Tsinghua)", "tsinghua", "real_growth", "2015, real"),
               ("CAII white paper 2021", "caii", "nominal_growth", "current, nominal"),
               ("CAICT report 2020", "caict", "real_growth", "2018, real")]
    rows = []
    for y in years:
        for label, src, growth_col, prices in sources:
            rows.append({"year": y, "source": label, "value added": pub(f"T5-2.{src}.{y}.va"),
                         "growth (%)": pub(f"T5-2.{src}.{y}.{growth_col}"),
                         "share of GDP (%)": pub(f"T5-2.{src}.{y}.share_gdp"), "prices": prices})
        rows.append({"year": y, "source": name, "value added": track.at[y, "iie"],
                     "growth (%)": track.at[y, "real_growth_pct"], "share of GDP (%)": track.at[y, "share_pct"],
                     "prices": "2015, real"})
    return pd.DataFrame(rows).dropna(subset=["value added"])


def direct_subindustries(subs: pd.DataFrame, va: pd.Series, open_r: pd.Series, ranges: pd.DataFrame) -> pd.DataFrame:
    """The direct sub-industries with their base-year value added, open-basis R_i and draw ranges."""
    show = subs[["code", "name_zh", "name_en", "section"]].copy()
    show["value added (bn yuan)"] = va.reindex(show["code"]).to_numpy() / 1e9
    show["production-use share"] = open_r.reindex(show["code"]).to_numpy()
    show["R range (draws)"] = [f"{ranges.at[c, 'r_low']:.2f}-{ranges.at[c, 'r_high']:.2f}" for c in show["code"]]
    show["reason"] = subs["reason"].to_numpy()
    return show.rename(columns={"code": "NBS code", "name_zh": "名称", "name_en": "name", "section": "group"})


def _coef(res, name: str) -> str:
    return f"{res.params[name]:.3f} ({res.bse[name]:.3f})"


def solow_table(fits: dict) -> pd.DataFrame:
    """The two Cobb-Douglas fits side by side (coefficient with standard error in brackets)."""
    ols, crs = fits["unrestricted"], fits["constant returns"]
    p = float(ols.t_test("ln_K + ln_L = 1").pvalue)
    return pd.DataFrame({
        "term": ["constant", "ln K (α)", "ln L (β)", "α + β", "R²", "observations"],
        "unrestricted: ln Y": [_coef(ols, "const"), _coef(ols, "ln_K"), _coef(ols, "ln_L"),
                               f"{ols.params['ln_K'] + ols.params['ln_L']:.3f} (p = {p:.3f} for = 1)",
                               f"{ols.rsquared:.4f}", f"{int(ols.nobs)}"],
        "constant returns: ln(Y/L)": [_coef(crs, "const"), _coef(crs, "ln_K_per_L"),
                                      f"{1 - crs.params['ln_K_per_L']:.3f} (imposed)", "1 (imposed)",
                                      f"{crs.rsquared:.4f}", f"{int(crs.nobs)}"]})


def tfp_table(multipliers: dict, gdp: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Yearly multipliers of both fits beside real GDP growth."""
    return pd.DataFrame({"year": years,
                         **{f"multiplier, {k} fit" if k == "unrestricted" else f"multiplier, {k}": m.reindex(years).to_numpy()
                            for k, m in multipliers.items()},
                         "real GDP growth (%)": gdp.loc[years, "real_growth_pct"].to_numpy()})


def sensitivity_table(rows: list[tuple]) -> pd.DataFrame:
    """2018 estimates under different contribution rates: (variant, direct, penetration, total, note) rows."""
    frame = pd.DataFrame(rows, columns=["estimate", "direct", "penetration", "total", "note"])
    missing = frame["total"].isna()
    frame.loc[missing, "total"] = frame.loc[missing, "direct"] + frame.loc[missing, "penetration"]
    return frame


def io2020_table(rows: list[dict]) -> pd.DataFrame:
    """Carried forward vs computed from the 2020 table, with the extrapolation error."""
    frame = pd.DataFrame(rows)
    frame["error of the extrapolation (%)"] = 100 * (frame["carried forward"] / frame["from the table of that year"] - 1)
    return frame


# ---------------------------------------------------------------- figures

def figure_value_added(track: pd.DataFrame, report: pd.DataFrame):
    """Figure 5-1: real value added (bars, top) and real growth (lines, bottom), replication track and report:
    two aligned panels on one year axis rather than two y axes on one panel."""
    fig, ax = charts.figure(7.0, 5.0)
    ax.remove()
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    years = np.asarray(track.index, dtype=float)
    series = [("replication track", track["iie"], track["real_growth_pct"], "book"),
              ("report", report["total"].reindex(track.index), report["real_growth"].reindex(track.index), "report")]
    for i, (name, level, growth, role) in enumerate(series):
        top.bar(years + (i - 0.5) * 0.38, level, 0.38, color=charts.role_color(role), label=name)
        bottom.plot(years, growth, marker="o", ls="--", color=charts.role_color(role), label=name)
    top.set_ylabel("value added,\ntrillion yuan (2015 prices)")
    bottom.set_ylabel("real growth (%)")
    bottom.set_ylim(0, bottom.get_ylim()[1] * 1.1)
    charts.year_axis(bottom)
    top.legend(fontsize=7.5, loc="upper left", ncol=2)
    fig.tight_layout()
    return fig


def figure_structure(track: pd.DataFrame, report: pd.DataFrame):
    """Figure 5-2: direct and penetration value added, stacked: the replication track and the report's text."""
    fig, first = charts.figure(7.0, 3.4)
    first.remove()
    axes = fig.subplots(1, 2, sharey=True)
    known = report.dropna(subset=["direct", "penetration"])
    for ax, (name, frame, role) in zip(axes, (("replication track", track, "book"), ("report (text)", known, "report"))):
        x = np.asarray(frame.index, dtype=float)
        ax.bar(x, frame["direct"], color=charts.role_color(role), label="direct")
        ax.bar(x, frame["penetration"], bottom=frame["direct"], color=charts.role_color(role), alpha=0.45,
               label="penetration")
        ax.set_title(name, fontsize=9)
        ax.set_xlim(track.index.min() - 0.6, track.index.max() + 0.6)
        charts.year_axis(ax)
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel("trillion yuan (2015 prices)")
    fig.tight_layout()
    return fig


def figure_share(track: pd.DataFrame, published: dict):
    """Figure 5-3: share of GDP, the replication track against the report and the peers (as printed)."""
    fig, ax = charts.figure(7.0, 3.6)
    ax.plot(track.index, track["share_pct"], marker="o", color=charts.role_color("book"), label="replication track")
    styles = {"report": ("report", "-", "s"), "CAII": ("peer", ":", "^"), "CAICT": ("peer", "--", "v")}
    for name, s in published.items():
        role, ls, marker = next(v for k, v in styles.items() if name.startswith(k))
        ax.plot(s.index, s.values, marker=marker, ls=ls, color=charts.role_color(role), label=name)
    ax.set_ylim(0, None)
    ax.set_ylabel("share of GDP (%)")
    charts.year_axis(ax)
    ax.legend(fontsize=7)
    return fig


def figure_sensitivity(uniform: pd.DataFrame, draws_total: pd.Series, mean_r, report: pd.Series,
                       open_basis: pd.Series, calibrated: pd.Series):
    """2018 value added against a uniform R (same R in both steps), the draws, the open basis, the report and
    the replication track's two calibrated scalars."""
    fig, ax = charts.figure(7.0, 3.6)
    ax.plot(uniform.index, uniform["total"], color=charts.role_color("other"), label="total, uniform R in both steps")
    ax.plot(uniform.index, uniform["direct"], color=charts.role_color("other"), ls="--", label="direct, uniform R")
    ax.scatter(mean_r, draws_total, s=3, alpha=0.25, color=charts.role_color("substitute"),
               label="total, seeded draws of $R_i$ within stated ranges")
    ax.axhline(report["total"], color=charts.role_color("report"), ls="--", lw=1, label="report: total")
    ax.axhline(report["direct"], color=charts.role_color("report"), ls=":", lw=1, label="report: direct")
    ax.scatter([open_basis["mean_r"]], [open_basis["total"]], marker="*", s=120, zorder=4,
               color=charts.role_color("substitute"), label="open basis (production-use shares)")
    ax.axvline(calibrated["r_direct"], color=charts.role_color("calibrated"), lw=1, label="calibrated R (direct)")
    ax.axvline(calibrated["injection_weight"], color=charts.role_color("calibrated"), lw=1, ls="-.",
               label="calibrated injection weight")
    ax.set_xlabel("mean contribution rate R")
    ax.set_ylabel("base year, trillion yuan (2015 prices)")
    charts.legend_outside(ax, ncol=2, fontsize=7)   # below the axes: the reference lines cross no legend entry
    return fig


def figure_alternatives(lines: dict, band: pd.DataFrame, points: pd.DataFrame, peers: pd.DataFrame):
    """The alternative estimates over the years in trillion yuan at 2015 prices.

    ``lines``: name -> (Series by year, role, linestyle); ``band``: low/high by year (the draws);
    ``points``: estimate, year, value, role (single-year estimates); ``peers``: estimate, year, value.
    """
    fig, ax = charts.figure(7.0, 4.0)
    ax.fill_between(band.index, band["low"], band["high"], color=charts.role_color("substitute"), alpha=0.15,
                    label="seeded draws within stated ranges (5th-95th percentile)")
    for name, (s, role, ls) in lines.items():
        ax.plot(s.index, s.values, marker="o", ls=ls, color=charts.role_color(role), label=name)
    for (name, role), g in points.groupby(["estimate", "role"], sort=False):
        ax.scatter(g["year"], g["value"], marker="D", s=40, zorder=4, color=charts.role_color(role), label=name)
    for (name, g), marker in zip(peers.groupby("estimate", sort=False), ("^", "v")):
        ax.plot(g["year"], g["value"], marker=marker, ls=":", color=charts.role_color("peer"), label=name)
    ax.set_ylim(0, None)
    ax.set_ylabel("trillion yuan (2015 prices)")
    charts.year_axis(ax)
    charts.legend_outside(ax, ncol=2, fontsize=7.5)   # under the axes, over no data, at a legible size
    return fig


def figure_real_gdp(gdp: pd.DataFrame, published: pd.DataFrame):
    """Real GDP at 2015 prices (World Bank, rebased) from the price base year on, and the report's Table 5-1 values."""
    base = int(gdp.index[(gdp["deflator_2015eq100"] - 100).abs() < 1e-9][0])
    years = [y for y in gdp.index if y >= base and gdp.at[y, "real_2015_trn"] == gdp.at[y, "real_2015_trn"]]
    fig, ax = charts.figure(6.5, 3.4)
    ax.plot(years, gdp.loc[years, "real_2015_trn"], marker="o", color=charts.role_color("book"),
            label="World Bank WDI, rebased to 2015 prices")
    pub = published[published["column"] == "实际GDP"]
    ax.scatter(pub["row"].astype(int), pub["value"], color=charts.role_color("report"), zorder=3, s=40,
               label="report, Table 5-1")
    ax.set_ylabel("real GDP, trillion yuan (2015 prices)")
    charts.year_axis(ax)
    ax.legend()
    return fig


_SCENARIO_STYLE = {"baseline": "-", "optimistic": "--", "pessimistic": ":"}


def figure_forecast_paths(frame: pd.DataFrame, history: dict[str, pd.Series], end_points: dict[str, float],
                 roles: dict[str, str], shade: list[tuple[float, float]]):
    """Figure 5-4: share of GDP by scenario from each track (colour = track, line style = scenario)."""
    fig, ax = charts.figure(7.0, 3.8, kind="coded")
    for lo, hi in shade:
        ax.axvspan(lo, hi, color="#eeeeee", zorder=0)
    for track, s in history.items():
        ax.plot(s.index, s.values, marker="o", color=charts.role_color(roles[track]), label=f"{track}: recomputed")
    for (track, scenario), g in frame.groupby(["track", "scenario"], sort=False):
        ax.plot(g["year"], g["share_pct"], ls=_SCENARIO_STYLE.get(scenario, "-"), color=charts.role_color(roles[track]),
                label=f"{track}: {scenario}")
    ends = pd.Series(end_points)
    ax.scatter([frame["year"].max()] * len(ends), ends.values, marker="x", s=50, color=charts.role_color("report"),
               zorder=4, label="report: end points")
    ax.set_ylim(0, None)
    ax.set_ylabel("industrial internet, share of GDP (%)")
    charts.year_axis(ax)
    charts.legend_outside(ax, ncol=2, fontsize=7.5)   # under the axes, over no data, at a legible size
    return fig


def figure_forecast_value_added(frame: pd.DataFrame, roles: dict[str, str]):
    """Figure 5-5: value added the S-curves imply (trillion yuan, 2015 prices), each track and scenario."""
    fig, ax = charts.figure(7.0, 3.8, kind="coded")
    for (track, scenario), g in frame.groupby(["track", "scenario"], sort=False):
        ax.plot(g["year"], g["value_added"], ls=_SCENARIO_STYLE.get(scenario, "-"), color=charts.role_color(roles[track]),
                label=f"{track}: {scenario}")
    ax.set_ylim(0, None)
    ax.set_ylabel("value added, trillion yuan (2015 prices)")
    charts.year_axis(ax)
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    return fig


def published_shares(years: list[int]) -> dict[str, pd.Series]:
    """Table 5-2's shares of GDP as printed, per source."""
    sources = (("report (Tsinghua)", "tsinghua"), ("CAII white paper (nominal)", "caii"), ("CAICT report", "caict"))
    return {name: pd.Series({y: pub(f"T5-2.{src}.{y}.share_gdp") for y in years}).dropna() for name, src in sources}


def gap_variants(variants: pd.DataFrame, text: str = "reading of the report's text") -> pd.DataFrame:
    """The variants table as a reader sees it: numbers in the columns, each variant's reading of the report's
    words as a numbered note under the table (a sentence squeezed beside nine numbers made rows 400 px tall);
    the notes travel in ``attrs["notes"]`` like a comparison table's (``charts.glue_table`` glues them)."""
    table = variants.drop(columns=[c for c in ("slug", text) if c in variants])
    readings = [r if r != "published" else "" for r in variants[text]]
    table["note"] = [comparison.PAGE_NOTES.number(r) for r in readings]
    used = [n for n in dict.fromkeys(table["note"]) if n]
    table.attrs["notes"] = [(int(n), comparison.PAGE_NOTES.text(n)) for n in used]
    return table


def gap_parts(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gap by year and part, compact: report minus replication track (trillion yuan, 2015 prices)."""
    return pd.DataFrame({"year": gaps["year"], "report: total": gaps["total: report"],
                         "replication: total": gaps["total: replication"], "gap: total": gaps["total: gap"],
                         "gap: direct": gaps["direct: gap"], "gap: penetration": gaps["penetration: gap"],
                         "direct share of the gap (%)": gaps["direct share of the gap (%)"],
                         "growth gap (pp)": gaps["growth gap (pp)"]})


def sensitivity_rows(base: int, alt, replication, same_r: pd.Series, report: pd.DataFrame) -> list[tuple]:
    """Rows of the base-year sensitivity table (estimate, direct, penetration, total, note)."""
    q = alt.draws_years[base].quantile([0.05, 0.5, 0.95])
    real = replication.real.loc[base]
    return [
        ("replication track (calibrated R and injection weight)", real["direct"], real["penetration"], np.nan,
         "both parts equal the report's by construction"),
        ("calibrated R in both steps", same_r["direct"], same_r["penetration"], np.nan,
         "the method as written with one R: the penetration part falls short"),
        ("open basis: production-use shares", alt.open_basis.real.at[base, "direct"],
         alt.open_basis.real.at[base, "penetration"], np.nan, "same Rᵢ in both steps"),
        ("open basis, imported inputs excluded", alt.domestic.real.at[base, "direct"],
         alt.domestic.real.at[base, "penetration"], np.nan, "coefficients scaled by each product's domestic share"),
        ("every Rᵢ = 1", alt.uniform["direct"].iloc[-1], alt.uniform["penetration"].iloc[-1], np.nan, "upper bound"),
        ("seeded draws: 5th percentile", np.nan, np.nan, q[0.05], "uniform within the stated ranges"),
        ("seeded draws: median", np.nan, np.nan, q[0.5], ""),
        ("seeded draws: 95th percentile", np.nan, np.nan, q[0.95], ""),
        ("report (text)", report.at[base, "direct"], report.at[base, "penetration"], report.at[base, "total"],
         "Rᵢ unpublished"),
    ]


def alternatives_series(alt, replication, report: pd.DataFrame, peers: pd.DataFrame, check_year: int):
    """The arguments of ``figure_alternatives``: lines, the draws' band, the check-table points, the peers."""
    lines = {"replication track (calibrated)": (replication.real["total"], "book", "-"),
             "report": (report["total"], "report", "-"),
             "open basis (production-use shares)": (alt.open_basis.real["total"], "substitute", "--"),
             "open basis, imported inputs excluded": (alt.domestic.real["total"], "substitute", ":")}
    band = alt.draws_years.quantile([0.05, 0.95]).T.set_axis(["low", "high"], axis=1)
    totals = alt.check[alt.check["part"] == "total"]
    points = pd.DataFrame({"estimate": [f"{e}, from the {check_year} table" for e in totals["estimate"]],
                           "year": check_year, "value": totals["from the table of that year"].to_numpy(),
                           "role": ["book" if e.startswith("replication") else "substitute" for e in totals["estimate"]]})
    return lines, band, points, peers


def look_back_table(frame) -> pd.DataFrame:
    """The replication track and the open basis by year, in sample and after the report (issue 21)."""
    rep = frame[frame["track"] == "replication"].set_index("year")
    opn = frame[frame["track"] == "open_basis"].set_index("year")
    return pd.DataFrame({"Year": [str(y) for y in rep.index],
                         "Replication: value added": rep["total"].values,
                         "Replication: real growth (%)": rep["real_growth"].values,
                         "Replication: share of GDP (%)": rep["share_gdp"].values,
                         "Replication: pull on GDP growth (pp)": rep["pull_gdp_growth"].values,
                         "Open basis: value added": opn["total"].values,
                         "Open basis: real growth (%)": opn["real_growth"].values,
                         "Open basis: share of GDP (%)": opn["share_gdp"].values,
                         "After the report": ["yes" if v else "" for v in rep["out_of_sample"]]})


def paths_table(comparison) -> pd.DataFrame:
    """The report's scenario paths as the book reads them beside the replication track, 2022-2023."""
    return pd.DataFrame({"Year": comparison["year"].astype(str).values, "Scenario": comparison["scenario"].values,
                         "Path: share of GDP (%)": comparison["path_share"].values,
                         "Path: real growth (%)": comparison["path_growth"].values,
                         "Track: share of GDP (%)": comparison["share_gdp"].values,
                         "Track: real growth (%)": comparison["real_growth"].values,
                         "Track minus path (pp)": comparison["gap_pp"].values})
