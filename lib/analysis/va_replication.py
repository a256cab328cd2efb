"""The value added of the industrial internet over time: the replication track and its variants (report 5(一)1).

The report computes two parts on the 2018 input-output table (``lib.analysis.io_accounting``) and carries them to
2019-2021 with open series: the direct part grows with the value added of the NBS sections that contain the
direct sub-industries; the penetration part is each industry's 2018 rate times yearly "technical progress
multipliers" (TFP_t / TFP_t−1 from a Cobb-Douglas fit, ``lib.analysis.growth``) times that industry's value added;
nominal values are converted to 2015 prices with a price index.

The *replication track* calibrates the two scalars the report never published on its 2018 values (one uniform
contribution rate R for the direct part, one uniform injection weight for the penetration part) and then
applies the stated method with open inputs: its 2018 values match the report *by construction*; its
2019-2021 values are an out-of-sample test. A ``Variant`` changes one reading of the report's words (nominal
or real, how the multiplier applies, which fit, observed or extrapolated value added) so the gap can be
explained. Every year, window and seed comes from ``data/assumptions/value_added_method.csv``; the series
that carry each part come from ``data/assumptions/growth_proxies.csv``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib.analysis import growth, macro, results
from lib.analysis import io_accounting as ioa
from lib.inputs import data, published, tables
from lib.inputs.results_dictionary import key as key_of

__all__ = ["TRILLION", "SETTINGS_FILE", "PROXIES_FILE", "SETTINGS", "method_settings", "years",
           "growth_proxies", "Inputs", "load_inputs", "calibrate", "base_parts", "uniform", "Variant",
           "HEADLINE", "gap_variants", "extrapolate_linear", "multiplier_factor", "growth_factors",
           "carry_forward", "Track", "track", "replication_track", "variants_table", "gap_by_part",
           "gap_by_input", "draws_parts", "draws_over_years", "peers_at_2015_prices", "TRN",
           "calibration_records", "replication_records", "gap_records", "Alternatives", "alternatives",
           "alternatives_records", "FITS", "input_coverage", "look_back_inputs", "look_back", "LOOK_BACK_UNITS",
           "look_back_records"]

TRILLION = 1e12
SETTINGS_FILE = "assumptions/value_added_method.csv"
PROXIES_FILE = "assumptions/growth_proxies.csv"
SETTINGS = ("base_year", "first_year", "last_year", "cobb_douglas_start", "cobb_douglas_end", "draws", "seed",
            "uniform_r_grid_points", "extrapolation_fit_start", "extrapolation_last_observed", "check_table_year",
            "outturn_last_year")
FITS = ("unrestricted", "constant returns")


# ---------------------------------------------------------------- assumptions

def method_settings() -> dict[str, int]:
    """The chapter's years, windows, draw count and seed (data/assumptions/value_added_method.csv)."""
    values = tables.read_parameters(tables.paths.DATA / SETTINGS_FILE, "parameter", basis="source")
    missing = [p for p in SETTINGS if p not in values.index]
    if missing:
        raise tables.AuthoredDataError(f"{tables.paths.DATA / SETTINGS_FILE}: missing parameter(s) {missing}")
    out = {p: int(values[p]) for p in SETTINGS}
    if not out["first_year"] <= out["base_year"] <= out["last_year"]:
        raise tables.AuthoredDataError(f"{tables.paths.DATA / SETTINGS_FILE}: base_year must lie in first_year..last_year")
    if out["outturn_last_year"] <= out["last_year"]:
        raise tables.AuthoredDataError(f"{tables.paths.DATA / SETTINGS_FILE}: outturn_last_year must come after last_year")
    return out


def years(settings: dict) -> list[int]:
    return list(range(settings["first_year"], settings["last_year"] + 1))


def growth_proxies() -> pd.DataFrame:
    """The NBS series that carries each direct group and each industry (data/assumptions/growth_proxies.csv)."""
    frame = tables.read_authored(PROXIES_FILE, ["part", "group", "nbs_column", "reason"])
    bad = sorted(set(frame["part"]) - {"direct", "penetration"})
    if bad:
        raise tables.AuthoredDataError(f"{tables.paths.DATA / PROXIES_FILE}: unknown part(s) {bad}")
    return frame


# ---------------------------------------------------------------- inputs

@dataclass
class Inputs:
    """Everything open data gives the method, read once."""

    settings: dict
    io: ioa.IOTable
    subs: pd.DataFrame
    codes: list
    groups: pd.Series          # direct sub-industry code -> its growth group (the `section` column)
    proxies: pd.DataFrame
    gdp: pd.DataFrame
    nbs: pd.DataFrame          # NBS value added by group, current prices, by year
    va: pd.Series              # value added of each direct sub-industry in the base table (yuan)
    pen_unit: pd.DataFrame     # penetration VA by industry per direct sub-industry at weight 1 (yuan)
    fits: dict
    multipliers: dict

    @property
    def base(self) -> int:
        return self.settings["base_year"]

    def deflator(self, year: int) -> float:
        return float(self.gdp.at[year, "deflator_2015eq100"]) / 100


def load_inputs(settings: dict | None = None) -> Inputs:
    settings = method_settings() if settings is None else settings
    io = ioa.read_nbs(settings["base_year"])
    subs = ioa.direct_subindustries()
    codes = list(subs["code"])
    groups = subs.set_index("code")["section"]
    proxies = growth_proxies()
    unknown = sorted(set(groups) - set(proxies.loc[proxies["part"] == "direct", "group"]))
    if unknown:
        raise tables.AuthoredDataError(f"{tables.paths.DATA / PROXIES_FILE}: no proxy for direct group(s) {unknown}")
    panel = growth.macro_panel()
    start, end = settings["cobb_douglas_start"], settings["cobb_douglas_end"]
    fits = {"unrestricted": growth.fit_cobb_douglas(panel, start, end),
            "constant returns": growth.fit_constant_returns(panel, start, end)}
    multipliers = {"unrestricted": growth.tfp_multipliers(growth.solow_residual(
                       panel, fits["unrestricted"].params["ln_K"], fits["unrestricted"].params["ln_L"])),
                   "constant returns": growth.tfp_multipliers(growth.solow_residual(
                       panel, fits["constant returns"].params["ln_K_per_L"],
                       1 - fits["constant returns"].params["ln_K_per_L"]))}
    return Inputs(settings, io, subs, codes, groups, proxies, macro.real_gdp(),
                  data.load("gdp_by_industry").set_index("year"), ioa.direct_per_unit_r(io, codes),
                  ioa.penetration_per_unit_r(io, codes), fits, multipliers)


# ---------------------------------------------------------------- the base year

def calibrate(inputs: Inputs, direct_target: float, penetration_target: float) -> pd.Series:
    """The two unpublished scalars that make the base year hit the report (trillion yuan, 2015 prices).

    r_direct: one R for every direct sub-industry, R · Σ VA_i = direct target (at current prices).
    injection_weight: one weight on the direct industries' deliveries, w · G_pen(1) = penetration target.
    """
    scale = inputs.deflator(inputs.base) * TRILLION
    return pd.Series({"r_direct": direct_target * scale / inputs.va.sum(),
                      "injection_weight": penetration_target * scale / inputs.pen_unit.to_numpy().sum()})


def base_parts(inputs: Inputs, rates: pd.Series, injection: pd.Series | None = None, io: ioa.IOTable | None = None,
               domestic: bool = False, year: int | None = None) -> pd.Series:
    """Base-year parts (trillion yuan, 2015 prices), indexed (part, group): direct by growth group,
    penetration by industry. ``injection`` defaults to ``rates`` (the method with the same R in both steps)."""
    io = inputs.io if io is None else io
    year = inputs.base if year is None else year
    rates = rates.reindex(inputs.codes)
    injection = rates if injection is None else injection.reindex(inputs.codes)
    scale = inputs.deflator(year) * TRILLION
    va = ioa.direct_per_unit_r(io, inputs.codes)
    direct = (rates * va).groupby(inputs.groups).sum() / scale
    pen = ioa.penetration(io, injection, domestic=domestic)["penetration_va"] / scale
    return pd.concat({"direct": direct, "penetration": pen}).rename("value")


def uniform(inputs: Inputs, value: float) -> pd.Series:
    return pd.Series(float(value), index=inputs.codes)


# ---------------------------------------------------------------- carrying forward

@dataclass(frozen=True)
class Variant:
    """One reading of the report's words for 2019-2021. The defaults are the method as written."""

    name: str = "method as written"
    slug: str = "as_written"           # ledger key part
    direct_prices: str = "real"        # 'real': nominal growth deflated; 'nominal': nominal growth taken as real
    penetration_prices: str = "real"
    multiplier: str = "cumulative"     # 'cumulative' rates, 'annual' (each year's multiplier on the base rate), 'levels'
    fit: str = "unrestricted"          # or 'constant returns'
    value_added: str = "observed"      # or 'extrapolated' (linear trend after extrapolation_last_observed)
    reading: str = ""                  # is this reading consistent with the report's text?


HEADLINE = Variant(reading="the report's text as written: group value added, price index, yearly multipliers "
                           "cumulated on the rates, the Cobb-Douglas fit as stated")


def gap_variants() -> list[Variant]:
    """The variants the report's words allow (or that test a reading), each with its reading of the text."""
    return [
        HEADLINE,
        replace(HEADLINE, name="direct part not deflated", slug="direct_nominal", direct_prices="nominal",
                reading="contradicts the text: nominal value added is converted with a price index (按照价格指数换算)"),
        replace(HEADLINE, name="penetration part not deflated", slug="penetration_nominal", penetration_prices="nominal",
                reading="contradicts the text (as above)"),
        replace(HEADLINE, name="neither part deflated", slug="all_nominal", direct_prices="nominal", penetration_prices="nominal",
                reading="contradicts the text (as above)"),
        replace(HEADLINE, name="multiplier not cumulated (base rate × this year's multiplier)",
                slug="annual_multiplier", multiplier="annual",
                reading="allowed: 由年度乘子调整得到 does not say whether the multipliers cumulate"),
        replace(HEADLINE, name="multiplier on the penetration level, not on the rates", slug="levels", multiplier="levels",
                reading="contradicts the text: the rates are applied to each year's value added of the three industries"),
        replace(HEADLINE, name="constant-returns multiplier", slug="crs", fit="constant returns",
                reading="allowed: the text names a Cobb-Douglas function without saying whether α + β = 1"),
        replace(HEADLINE, name="latest value added extrapolated linearly", slug="extrapolated", value_added="extrapolated",
                reading="allowed: 缺失的数据采用线性外推法进行估计 (which years were missing is not said)"),
    ]


def extrapolate_linear(frame: pd.DataFrame, columns, fit_start: int, last_observed: int, until: int) -> pd.DataFrame:
    """Replace the years after ``last_observed`` by a least-squares line fitted on fit_start..last_observed."""
    out = frame.copy()
    fit = frame.loc[fit_start:last_observed]
    later = [y for y in frame.index if last_observed < y <= until]
    for col in columns:
        slope, intercept = np.polyfit(fit.index.to_numpy(dtype=float), fit[col].to_numpy(dtype=float), 1)
        out.loc[later, col] = intercept + slope * np.asarray(later, dtype=float)
    return out


def multiplier_factor(multipliers: pd.Series, base: int, year: int, mode: str) -> float:
    """What the base-year penetration rate (or level) is multiplied by in ``year``."""
    if year == base:
        return 1.0
    if mode == "annual":
        return float(multipliers[year])
    if mode in ("cumulative", "levels"):
        return float(np.prod([multipliers[y] for y in range(base + 1, year + 1)]))
    raise ValueError(f"unknown multiplier mode {mode!r}")


def growth_factors(inputs: Inputs, variant: Variant = HEADLINE) -> pd.DataFrame:
    """Per year (rows), the factor each base-year part (columns (part, group)) is multiplied by, 2015 prices."""
    s, base = inputs.settings, inputs.base
    nbs = inputs.nbs
    if variant.value_added == "extrapolated":
        nbs = extrapolate_linear(nbs, inputs.proxies["nbs_column"], s["extrapolation_fit_start"],
                                 s["extrapolation_last_observed"], s["last_year"])
    mult = inputs.multipliers[variant.fit]
    rows = {}
    for year in years(s):
        price = inputs.deflator(base) / inputs.deflator(year)
        m = multiplier_factor(mult, base, year, variant.multiplier)
        row = {}
        for _, p in inputs.proxies.iterrows():
            nominal = nbs.at[year, p["nbs_column"]] / nbs.at[base, p["nbs_column"]]
            if p["part"] == "direct":
                row[("direct", p["group"])] = nominal * (price if variant.direct_prices == "real" else 1.0)
            elif variant.multiplier == "levels":
                row[("penetration", p["group"])] = m
            else:
                row[("penetration", p["group"])] = m * nominal * (price if variant.penetration_prices == "real" else 1.0)
        rows[year] = row
    return pd.DataFrame(rows).T


def carry_forward(parts: pd.Series, factors: pd.DataFrame) -> pd.DataFrame:
    """Direct, penetration and total by year (trillion yuan, 2015 prices) from base parts and growth factors."""
    values = factors[parts.index].mul(parts, axis=1)
    out = values.T.groupby(level=0).sum().T[["direct", "penetration"]]
    out["total"] = out["direct"] + out["penetration"]
    return out


@dataclass
class Track:
    """One estimate over the years: its base parts, real values and Table 5-1 columns."""

    name: str
    parts: pd.Series
    real: pd.DataFrame
    table: pd.DataFrame


def track(inputs: Inputs, name: str, parts: pd.Series, variant: Variant = HEADLINE) -> Track:
    real = carry_forward(parts, growth_factors(inputs, variant))
    return Track(name, parts, real, ioa.growth_table(real, inputs.gdp))


def replication_track(inputs: Inputs, calibrated: pd.Series, variant: Variant = HEADLINE) -> Track:
    """The chapter's headline: calibrated R and injection weight, carried forward by ``variant``."""
    parts = base_parts(inputs, uniform(inputs, calibrated["r_direct"]), uniform(inputs, calibrated["injection_weight"]))
    return track(inputs, "replication track", parts, variant)


# ---------------------------------------------------------------- explaining the gap

def variants_table(inputs: Inputs, calibrated: pd.Series, report: pd.DataFrame, tolerance) -> pd.DataFrame:
    """Each variant's real growth by year beside the report's, its last-year parts, and whether it reproduces
    the report's growth within ``tolerance(year)`` (the ledger's rounding-or-0.5% rule) in every year."""
    later = years(inputs.settings)[1:]
    last = later[-1]
    rows = [{"variant": "report", "slug": "report", **{f"growth {y} (%)": report.at[y, "real_growth"] for y in later},
             f"direct {last}": report.at[last, "direct"], f"penetration {last}": report.at[last, "penetration"],
             f"total {last}": report.at[last, "total"], "reproduces the report's growth": "",
             "reading of the report's text": "published"}]
    for v in gap_variants():
        t = replication_track(inputs, calibrated, v)
        g = t.table["real_growth_pct"]
        ok = all(abs(g[y] - report.at[y, "real_growth"]) <= tolerance(y) for y in later)
        rows.append({"variant": v.name, "slug": v.slug, **{f"growth {y} (%)": g[y] for y in later},
                     f"direct {last}": t.real.at[last, "direct"], f"penetration {last}": t.real.at[last, "penetration"],
                     f"total {last}": t.real.at[last, "total"], "reproduces the report's growth": "yes" if ok else "no",
                     "reading of the report's text": v.reading})
    return pd.DataFrame(rows)


def gap_by_part(replication: Track, report: pd.DataFrame) -> pd.DataFrame:
    """Report minus replication by year and part (trillion yuan, 2015 prices); NaN where the report is silent."""
    rows = []
    for year in replication.real.index[1:]:
        row = {"year": year}
        for part in ("direct", "penetration", "total"):
            row[f"{part}: report"] = report.at[year, part]
            row[f"{part}: replication"] = replication.real.at[year, part]
            row[f"{part}: gap"] = report.at[year, part] - replication.real.at[year, part]
        row["growth gap (pp)"] = report.at[year, "real_growth"] - replication.table.at[year, "real_growth_pct"]
        rows.append(row)
    out = pd.DataFrame(rows)
    both = out["direct: gap"] + out["penetration: gap"]
    out["direct share of the gap (%)"] = 100 * out["direct: gap"] / both
    return out


def gap_by_input(inputs: Inputs, replication: Track, report: pd.DataFrame) -> pd.DataFrame:
    """For each open input, its 2018→last-year factor and the factor that alone would make its part hit the
    report's last-year value (the report publishes its parts only for the base and the last year)."""
    base, last = inputs.base, inputs.settings["last_year"]
    parts, real = replication.parts, replication.real
    price = inputs.deflator(last) / inputs.deflator(base)
    need = {p: report.at[last, p] / real.at[last, p] for p in ("direct", "penetration")}
    mult = multiplier_factor(inputs.multipliers[HEADLINE.fit], base, last, HEADLINE.multiplier)
    direct_nominal = real.at[last, "direct"] * price / parts["direct"].sum()
    pen_nominal = real.at[last, "penetration"] * price / mult / parts["penetration"].sum()
    gap = {p: report.at[last, p] - real.at[last, p] for p in ("direct", "penetration")}
    total_gap = sum(gap.values())
    rows = [
        ("direct", "nominal growth of the direct sub-industries' groups", direct_nominal, direct_nominal * need["direct"]),
        ("direct", "price index (GDP deflator)", price, price / need["direct"]),
        ("penetration", "technical-progress multiplier, cumulated", mult, mult * need["penetration"]),
        ("penetration", "nominal growth of the three industries' value added", pen_nominal, pen_nominal * need["penetration"]),
        ("penetration", "price index (GDP deflator)", price, price / need["penetration"]),
    ]
    out = pd.DataFrame(rows, columns=["part", "input", "open data", "needed alone"])
    out["needed / open data − 1 (%)"] = 100 * (out["needed alone"] / out["open data"] - 1)
    out["gap of the part"] = out["part"].map(gap)
    out["share of the total gap (%)"] = 100 * out["gap of the part"] / total_gap
    return out


# ---------------------------------------------------------------- alternatives

def draws_parts(inputs: Inputs, ranges: pd.DataFrame) -> pd.DataFrame:
    """Seeded uniform draws of R_i within the stated ranges (same R in both steps): base parts per draw."""
    s = inputs.settings
    rng = np.random.default_rng(s["seed"])
    low, high = ranges.loc[inputs.codes, "r_low"].to_numpy(), ranges.loc[inputs.codes, "r_high"].to_numpy()
    R = rng.uniform(low, high, size=(s["draws"], len(inputs.codes)))
    scale = inputs.deflator(inputs.base) * TRILLION
    onehot = pd.get_dummies(inputs.groups.reindex(inputs.codes)).astype(float)
    direct = pd.DataFrame(R @ (inputs.va.to_numpy()[:, None] * onehot.to_numpy()) / scale,
                          columns=pd.MultiIndex.from_product([["direct"], onehot.columns]))
    pen = pd.DataFrame(R @ inputs.pen_unit.loc[inputs.codes].to_numpy() / scale,
                       columns=pd.MultiIndex.from_product([["penetration"], inputs.pen_unit.columns]))
    out = pd.concat([direct, pen], axis=1)
    out.attrs["mean_r"] = R.mean(axis=1)
    return out


def draws_over_years(draws: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """Total value added per draw (rows) and year (columns), carried forward like the replication track."""
    f = factors[draws.columns]
    return pd.DataFrame(draws.to_numpy() @ f.to_numpy().T, columns=f.index)


def peers_at_2015_prices(gdp: pd.DataFrame, pub) -> pd.DataFrame:
    """Table 5-2's peer levels converted to 2015 prices where a conversion is possible.

    CAII's are nominal: divided by the GDP deflator of their year. CAICT's are at 2018 prices: times the
    2015-based deflator ratio 100 / deflator(2018). ``pub(id)`` returns a published value or NaN.
    """
    d = gdp["deflator_2015eq100"] / 100
    rows = []
    for year in gdp.index:
        caii, caict = pub(f"T5-2.caii.{year}.va"), pub(f"T5-2.caict.{year}.va")
        if caii == caii:
            rows.append({"estimate": "CAII white paper (nominal, deflated)", "year": year, "value": caii / d[year]})
        if caict == caict:
            rows.append({"estimate": "CAICT report (2018 prices, rebased)", "year": year, "value": caict / d[2018]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the results ledger

TRN = "trillion yuan (2015 prices)"


def calibration_records(inputs: Inputs, calibrated: pd.Series, report_base: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """The two calibrated scalars and what the method gives with one R in both steps (the penetration finding):
    (records, the base-year parts with one R in both steps)."""
    out = []
    out.append(results.row("iie.replication.calibrated_r_direct", calibrated["r_direct"], "ratio"))
    out.append(results.row("iie.replication.calibrated_injection_weight", calibrated["injection_weight"], "ratio"))
    same = base_parts(inputs, uniform(inputs, calibrated["r_direct"])).groupby(level=0).sum()
    at_one = inputs.pen_unit.to_numpy().sum() / inputs.deflator(inputs.base) / TRILLION
    base = inputs.base
    out.append(results.row(key_of("iie.replication.penetration.<year>.same_r", year=base), same["penetration"], TRN))
    out.append(results.row(key_of("iie.replication.total.<year>.same_r", year=base), same.sum(), TRN))
    out.append(results.row(key_of("iie.pen_to_direct.<year>.same_r", year=base), same["penetration"] / same["direct"], "ratio"))
    out.append(results.row(key_of("iie.pen_to_direct.<year>.report", year=base), report_base["penetration"] / report_base["direct"], "ratio"))
    out.append(results.row(key_of("iie.penetration.<year>.r_one", year=base), at_one, TRN))
    rates = ioa.penetration(inputs.io, uniform(inputs, calibrated["injection_weight"]))["rate"]
    for k, rate in rates.items():
        out.append(results.row(key_of("iie.replication.penetration_rate.<year>.<sector>", year=base, sector=k), 100 * rate, "percent of output"))
    return results.rows(*out), same


# what each carried-forward row measures, and the parts of its explanation (data/explanations.csv: English and Chinese)
_TEXT = tables.explanations()
QUANTITIES = {k.removeprefix("va_replication.quantity."): v for k, v in _TEXT.items()
              if k.startswith("va_replication.quantity.")}
GROWTH_KEYS = ("real_growth", "growth_change", "increment", "contribution_gdp_increment", "pull_gdp_growth")


def _why(year: int, base: int, gaps: pd.DataFrame, by_input: pd.DataFrame, part: str) -> str:
    """The explanation a carried-forward value carries in the ledger: its own quantity and year, that year's gap
    between the report's total and the track's, and where the report splits it, the direct part's share
    (numbers computed, not typed)."""
    g = gaps.set_index("year").loc[year]
    gap, growth_gap, share = g["total: gap"], g["growth gap (pp)"], g["direct share of the gap (%)"]
    template = "va_replication.carried_forward_below" if gap > 0 else "va_replication.carried_forward_above"
    text = _TEXT[template].format(quantity=QUANTITIES[part], year=year, base=base, gap=abs(gap))
    if part in GROWTH_KEYS:
        template = "va_replication.growth_lower" if growth_gap > 0 else "va_replication.growth_higher"
        text += _TEXT[template].format(gap=abs(growth_gap))
    text += (_TEXT["va_replication.direct_share"].format(share=share) if share == share
             else _TEXT["va_replication.no_split"].format(year=year))
    row = by_input[by_input["part"] == part].iloc[0] if part in ("direct", "penetration") else None
    if row is not None:
        text += _TEXT["va_replication.input"].format(input=row["input"], open=100 * (row["open data"] - 1), base=base,
                                                    last=int(gaps["year"].iloc[-1]),
                                                    needed=100 * (row["needed alone"] - 1))
    return text


def replication_records(inputs: Inputs, rep: Track, gaps: pd.DataFrame, by_input: pd.DataFrame, share_id) -> pd.DataFrame:
    """Every value of the replication track against the report: the base year by construction, later years
    as the out-of-sample test. ``share_id(year)`` names the published share of GDP of that year."""
    out = []
    published_ids = set(published.published().index)
    base, t = inputs.base, rep.table
    built = {part: _TEXT[f"va_replication.built.{part}"] for part in ("direct", "penetration", "total", "share_gdp")}
    columns = {"direct": ("direct", "X5.direct_va.{y}"), "penetration": ("penetration", "X5.penetration_va.{y}"),
               "total": ("iie", "X5.iie_real_va.{y}"), "share_gdp": ("share_pct", None)}
    patterns = {"direct": ("iie.replication.<part>.<year>", {"part": "direct"}),
                "penetration": ("iie.replication.<part>.<year>", {"part": "penetration"}),
                "total": ("iie.replication.total.<year>", {}), "share_gdp": ("iie.replication.share_gdp.<year>", {})}
    for y in t.index:
        for key, (col, pid) in columns.items():
            pid = share_id(y) if pid is None else pid.format(y=y)
            pid = pid if pid in published_ids else None
            unit = "percent" if key == "share_gdp" else TRN
            pattern, parts = patterns[key]
            out.append(results.row(key_of(pattern, year=y, **parts), t.at[y, col], unit, published_id=pid,
                          by_construction=built[key] if y == base else "",
                          explanation="" if y == base else _why(y, base, gaps, by_input, key)))
        out.append(results.row(key_of("iie.replication.direct_share.<year>", year=y), t.at[y, "direct_share_pct"], "percent"))
    for y in t.index[1:]:
        out.append(results.row(key_of("iie.replication.real_growth.<year>", year=y), t.at[y, "real_growth_pct"], "percent",
                      published_id=f"T5-2.tsinghua.{y}.real_growth", explanation=_why(y, base, gaps, by_input, "real_growth")))
        for key, pattern, col, unit in (
                ("increment", "iie.replication.increment.<year>", "iie_increment", TRN),
                ("contribution_gdp_increment", "iie.replication.contribution_gdp_increment.<year>", "contribution_pct", "percent"),
                ("pull_gdp_growth", "iie.replication.pull_gdp_growth.<year>", "pull_pp", "percentage points")):
            pid = f"T5-1.{y}.{'iie_increment' if key == 'increment' else key}"
            out.append(results.row(key_of(pattern, year=y), t.at[y, col], unit, published_id=pid if pid in published_ids else None,
                          explanation=_why(y, base, gaps, by_input, key)))
    last = t.index[-1]
    out.append(results.row(key_of("iie.replication.growth_change.<year>", year=last), t.at[last, "real_growth_pct"] - t.at[last - 1, "real_growth_pct"],
                  "percentage points", published_id=f"X5.growth_change.{last}" if f"X5.growth_change.{last}" in published_ids else None,
                  explanation=_why(last, base, gaps, by_input, "growth_change")))
    return results.rows(*out)


def gap_records(variants: pd.DataFrame, gaps: pd.DataFrame, by_input: pd.DataFrame) -> pd.DataFrame:
    """What the prose says about the gap: how many readings reproduce the report, the shares of the gap."""
    out = []
    rows = variants[variants["variant"] != "report"]
    out.append(results.row("iie.gap.variants", len(rows), "count"))
    out.append(results.row("iie.gap.variants_reproducing", (rows["reproduces the report's growth"] == "yes").sum(), "count"))
    growth_cols = [c for c in variants.columns if c.startswith("growth ")]
    report = variants.set_index("variant").loc["report", growth_cols]
    dist = rows.set_index("variant")[growth_cols].sub(report).abs().max(axis=1)
    out.append(results.row("iie.gap.closest_variant_max_pp", dist.min(), "percentage points"))
    for _, r in rows.iterrows():
        for col in growth_cols:
            out.append(results.row(key_of("iie.gap.variant.<variant>.growth.<year>", variant=r["slug"], year=col.split()[1]), r[col], "percent"))
    for col in growth_cols:
        out.append(results.row(key_of("iie.gap.max_variant_growth.<year>", year=col.split()[1]), rows[col].max(), "percent"))
    for _, g in gaps.iterrows():
        out.append(results.row(key_of("iie.gap.total.<year>", year=int(g["year"])), g["total: gap"], TRN))
        out.append(results.row(key_of("iie.gap.growth_pp.<year>", year=int(g["year"])), g["growth gap (pp)"], "percentage points"))
    last = gaps.iloc[-1]
    out.append(results.row("iie.gap.direct_share_pct", last["direct share of the gap (%)"], "percent"))
    for part in ("direct", "penetration"):
        out.append(results.row(key_of("iie.gap.<part>", part=part), last[f"{part}: gap"], TRN))
    slug = {"nominal growth of the direct sub-industries' groups": "direct_growth",
            "technical-progress multiplier, cumulated": "multiplier",
            "nominal growth of the three industries' value added": "industry_va"}
    for _, r in by_input.iterrows():
        name = slug.get(r["input"], f"deflator_{r['part']}")
        out.append(results.row(key_of("iie.gap.input.<input>.open_pct", input=name), 100 * (r["open data"] - 1), "percent"))
        out.append(results.row(key_of("iie.gap.input.<input>.needed_pct", input=name), 100 * (r["needed alone"] - 1), "percent"))
    return results.rows(*out)


# ---------------------------------------------------------------- alternative estimates

@dataclass
class Alternatives:
    """The estimates beside the replication track (all in trillion yuan, 2015 prices)."""

    open_basis: Track        # production-use shares as R_i, same R in both steps
    domestic: Track          # the same, imported inputs excluded from the multiplier
    draws: pd.DataFrame      # base parts per seeded draw
    draws_years: pd.DataFrame  # total per draw (rows) and year (columns)
    check: pd.DataFrame      # carried forward vs computed from the check table, per estimate and part
    uniform: pd.DataFrame    # one R in both steps on a grid: direct, penetration, total


def alternatives(inputs: Inputs, calibrated: pd.Series, open_r: pd.Series, ranges: pd.DataFrame,
                 replication: Track) -> Alternatives:
    s = inputs.settings
    open_track = track(inputs, "open basis", base_parts(inputs, open_r))
    domestic = track(inputs, "open basis, imported inputs excluded", base_parts(inputs, open_r, domestic=True))
    draws = draws_parts(inputs, ranges)
    draws_years = draws_over_years(draws, growth_factors(inputs))
    year, io_check = s["check_table_year"], ioa.read_nbs(s["check_table_year"])
    rows = []
    for name, t, r, w in (("replication track (calibrated scalars)", replication, uniform(inputs, calibrated["r_direct"]),
                           uniform(inputs, calibrated["injection_weight"])), ("open basis", open_track, open_r, open_r)):
        table = base_parts(inputs, r, w, io=io_check, year=year).groupby(level=0).sum()
        table["total"] = table.sum()
        for part in ("direct", "penetration", "total"):
            rows.append({"estimate": name, "part": part, "carried forward": t.real.at[year, part],
                         "from the table of that year": table[part]})
    grid = np.linspace(0, 1, s["uniform_r_grid_points"])
    scale = inputs.deflator(inputs.base) * TRILLION
    uni = pd.DataFrame({"direct": grid * inputs.va.sum() / scale,
                        "penetration": grid * inputs.pen_unit.to_numpy().sum() / scale}, index=grid)
    uni["total"] = uni["direct"] + uni["penetration"]
    return Alternatives(open_track, domestic, draws, draws_years, pd.DataFrame(rows), uni)


def alternatives_records(inputs: Inputs, alt: Alternatives, report_total: pd.Series) -> pd.DataFrame:
    out = []
    base, last = inputs.base, inputs.settings["last_year"]
    for y, row in alt.open_basis.table.iterrows():
        for name, col, unit in ((key_of("iie.open_basis.<part>.<year>", part="direct", year=y), "direct", TRN),
                                (key_of("iie.open_basis.<part>.<year>", part="penetration", year=y), "penetration", TRN),
                                (key_of("iie.open_basis.total.<year>", year=y), "iie", TRN),
                                (key_of("iie.open_basis.share_gdp.<year>", year=y), "share_pct", "percent"),
                                (key_of("iie.open_basis.direct_share.<year>", year=y), "direct_share_pct", "percent")):
            out.append(results.row(name, row[col], unit))
        if y > base:
            out.append(results.row(key_of("iie.open_basis.real_growth.<year>", year=y), row["real_growth_pct"], "percent"))
        out.append(results.row(key_of("iie.open_basis_domestic.total.<year>", year=y), alt.domestic.table.at[y, "iie"], TRN))
    for y in (base, last):
        q = alt.draws_years[y].quantile([0.05, 0.5, 0.95])
        for p, name in zip(q.index, ("p05", "p50", "p95")):
            out.append(results.row(key_of("iie.total.<year>.draws_<percentile>", year=y, percentile=name), q[p], TRN))
    out.append(results.row(key_of("iie.total.<year>.draws_share_below_report", year=base),
                  100 * (alt.draws_years[base] < report_total[base]).mean(), "percent"))
    out.append(results.row(key_of("iie.penetration.<year>.domestic_variant", year=base), alt.domestic.real.at[base, "penetration"], TRN))
    va = inputs.va
    out.append(results.row(key_of("iie.direct.full_attribution.<year>", year=base), va.sum() / TRILLION, "trillion yuan (current prices)"))
    c = alt.check.assign(err=100 * (alt.check["carried forward"] / alt.check["from the table of that year"] - 1))
    year = inputs.settings["check_table_year"]
    for (name, part), g in c.groupby(["estimate", "part"]):
        slug = "replication" if name.startswith("replication") else "open_basis"
        out.append(results.row(key_of("iie.<track>.<component>.<year>_from_io<year>", track=slug, component=part, year=year), g["from the table of that year"].iloc[0], TRN))
        out.append(results.row(key_of("iie.<track>.extrapolation_error_pct.<year>.<component>", track=slug, year=year, component=part), g["err"].iloc[0], "percent"))
        if part == "total":
            start = alt.open_basis.real.at[base, "total"] if slug == "open_basis" else report_total[base]
            out.append(results.row(key_of("iie.<track>.growth_<base>_<year>_from_tables", track=slug, base=base, year=year), 100 * (g["from the table of that year"].iloc[0] / start - 1), "percent"))
            out.append(results.row(key_of("iie.<track>.growth_<base>_<year>_carried", track=slug, base=base, year=year), 100 * (g["carried forward"].iloc[0] / start - 1), "percent"))
    out.append(results.row(key_of("iie.report.growth_<base>_<year>", base=base, year=year), 100 * (report_total[year] / report_total[base] - 1), "percent"))
    return results.rows(*out)


# ---------------------------------------------------------------- three years on (issue 21)

def input_coverage(inputs: Inputs) -> pd.DataFrame:
    """The last year each input of the carrying-forward covers: one row per input (input, last_year)."""
    nbs = inputs.nbs[list(inputs.proxies["nbs_column"])].dropna()
    rows = [("NBS value added by group", int(nbs.index.max())),
            ("real GDP and deflator (World Bank)", int(inputs.gdp[["real_2015_trn", "deflator_2015eq100"]].dropna().index.max())),
            ("technical-progress multiplier (PWT capital, NBS employment)",
             int(max(inputs.multipliers[f].dropna().index.max() for f in FITS)))]
    return pd.DataFrame(rows, columns=["input", "last_year"])


def look_back_inputs(inputs: Inputs) -> Inputs:
    """The same inputs, calibrated scalars, proxies, deflator and multiplier, with the years carried on past
    ``last_year`` to ``outturn_last_year`` or to the last year every input covers, whichever comes first."""
    s = inputs.settings
    last = min(s["outturn_last_year"], int(input_coverage(inputs)["last_year"].min()))
    return replace(inputs, settings={**s, "last_year": last})


def look_back(inputs: Inputs, calibrated: pd.Series, open_r: pd.Series) -> pd.DataFrame:
    """The replication track and the open basis from the base year to the look-back year, by exactly the
    in-sample method (HEADLINE variant). Tidy: one row per track and year with level, real growth, share of
    GDP, pull on GDP growth and whether the year lies after the report's last year (``out_of_sample``)."""
    ext = look_back_inputs(inputs)
    tracks = {"replication": replication_track(ext, calibrated),
              "open_basis": track(ext, "open basis", base_parts(ext, open_r))}
    frames = []
    for slug, t in tracks.items():
        tab = t.table
        frames.append(pd.DataFrame({"track": slug, "year": tab.index, "total": tab["iie"].values,
                                    "real_growth": tab["real_growth_pct"].values, "share_gdp": tab["share_pct"].values,
                                    "pull_gdp_growth": tab["pull_pp"].values, "real_gdp": tab["real_gdp"].values}))
    out = pd.concat(frames, ignore_index=True)
    out["out_of_sample"] = out["year"] > inputs.settings["last_year"]
    return out


LOOK_BACK_UNITS = {"total": TRN, "real_growth": "percent", "share_gdp": "percent", "pull_gdp_growth": "percentage points"}
_LOOK_BACK_PATTERNS = {
    ("replication", "total"): "iie.replication.total.<year>", ("open_basis", "total"): "iie.open_basis.total.<year>",
    ("replication", "real_growth"): "iie.replication.real_growth.<year>",
    ("open_basis", "real_growth"): "iie.open_basis.real_growth.<year>",
    ("replication", "share_gdp"): "iie.replication.share_gdp.<year>",
    ("open_basis", "share_gdp"): "iie.open_basis.share_gdp.<year>",
    ("replication", "pull_gdp_growth"): "iie.replication.pull_gdp_growth.<year>",
    ("open_basis", "pull_gdp_growth"): "iie.open_basis.pull_gdp_growth.<year>",
    ("replication", "growth_change"): "iie.replication.growth_change.<year>",
    ("open_basis", "growth_change"): "iie.open_basis.growth_change.<year>"}


def look_back_records(frame: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """Rows (key, value, unit, explanation) for the look-back years: ``iie.<track>.<measure>.<year>``, the
    growth change in the first look-back year and the last year of each input."""
    why = _TEXT["va_replication.look_back"]
    later = frame[frame["out_of_sample"]]
    rows = [{"key": key_of(_LOOK_BACK_PATTERNS[r.track, m], year=r.year), "value": getattr(r, m), "unit": u,
             "explanation": why} for r in later.itertuples() for m, u in LOOK_BACK_UNITS.items()]
    for slug, g in frame.groupby("track"):
        g = g.set_index("year")["real_growth"]
        first = int(later["year"].min())
        rows.append({"key": key_of(_LOOK_BACK_PATTERNS[slug, "growth_change"], year=first), "value": g[first] - g[first - 1],
                     "unit": "percentage points", "explanation": why})
    rows += [{"key": key_of("iie.lookback.last_year.<input>", input=i), "value": r.last_year, "unit": "year", "explanation": ""}
             for i, r in zip(("value_added", "gdp", "multiplier"), coverage.itertuples())]
    rows.append({"key": "iie.lookback.last_year", "value": frame["year"].max(), "unit": "year", "explanation": ""})
    return results.rows(*rows)
