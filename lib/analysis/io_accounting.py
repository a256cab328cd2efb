"""Input-output accounting of the industrial internet (report section 5(一)1, eq. 5-1 and the penetration step).

An NBS table is read into a tidy ``IOTable`` (intermediate flows Z, final demand, value added, output);
coefficients ``A = Z x̂⁻¹`` and the Leontief inverse ``L = (I − A)⁻¹`` follow. The direct part is
``Σ_i R_i (Y_i − M_i)`` over the direct sub-industries; the penetration part injects the direct
industries' R-weighted deliveries to all other sectors as a demand shock ``f`` and reads the output it
induces, ``Δx = L f``, in the three industries (direct sub-industries excluded).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.inputs import data, tables

__all__ = ["TEN_THOUSAND", "TRILLION", "INDUSTRIES", "IOTable", "technical_coefficients", "leontief_inverse",
           "read_nbs", "three_industries", "direct_subindustries", "contribution_rates", "production_use_share",
           "direct_value_added", "penetration", "domestic_share", "identities", "aggregate", "map_to_42",
           "penetration_per_unit_r", "direct_per_unit_r", "growth_table"]

TEN_THOUSAND = 1e4
TRILLION = 1e12
INDUSTRIES = ("primary", "secondary", "tertiary")


@dataclass
class IOTable:
    """A square input-output table in one currency unit (here: yuan)."""

    Z: pd.DataFrame           # intermediate flows, rows = supplying sector, columns = using sector
    final_demand: pd.Series   # total final use (TFU) minus imports (IM) for a competitive table
    value_added: pd.Series    # TVA per sector
    output: pd.Series         # GO per sector
    names: pd.Series          # Chinese sector names
    imports: pd.Series | None = None       # IM per product (competitive-import table)
    production_use: pd.Series | None = None  # intermediate use + fixed capital formation per product

    @property
    def codes(self) -> list[str]:
        return list(self.Z.index)

    def coefficients(self) -> pd.DataFrame:
        return technical_coefficients(self.Z, self.output)

    def leontief(self) -> pd.DataFrame:
        return leontief_inverse(self.coefficients())


def technical_coefficients(Z: pd.DataFrame, output: pd.Series) -> pd.DataFrame:
    """A = Z x̂⁻¹: input from i per unit of output of j (a sector with zero output gets zero coefficients)."""
    x = output.reindex(Z.columns).to_numpy(dtype=float)
    safe = np.where(x > 0, x, np.inf)
    return pd.DataFrame(Z.to_numpy(dtype=float) / safe, index=Z.index, columns=Z.columns)


def leontief_inverse(A: pd.DataFrame) -> pd.DataFrame:
    """L = (I − A)⁻¹ (solved, not inverted element by element)."""
    n = A.shape[0]
    L = np.linalg.solve(np.eye(n) - A.to_numpy(dtype=float), np.eye(n))
    return pd.DataFrame(L, index=A.index, columns=A.columns)


_CATALOGUE = {2018: "io_2018_153", 2020: "io_2020_153", 2017: "io_2017_149"}


def read_nbs(year: int) -> IOTable:
    """The NBS detailed competitive-import table of ``year`` in yuan (the files are in 10,000 yuan).

    2018 and 2020 have 153 products (the codes ``three_industries`` and the direct sub-industries use);
    2017 has 149 products with other codes, so it serves only the identity checks.
    """
    raw = data.load(_CATALOGUE[year]).set_index("row_code")
    inter = raw[raw["row_block"] == "intermediate"]
    codes = list(inter.index)
    Z = inter[codes].astype(float) * TEN_THOUSAND
    return IOTable(
        Z=Z,
        final_demand=(inter["TFU"] - inter["IM"]).astype(float) * TEN_THOUSAND,
        value_added=raw.loc["TVA", codes].astype(float) * TEN_THOUSAND,
        output=inter["GO"].astype(float) * TEN_THOUSAND,
        names=inter["row_name_zh"],
        imports=inter["IM"].astype(float) * TEN_THOUSAND,
        production_use=(inter["TIU"] + inter["FU201"]).astype(float) * TEN_THOUSAND,
    )


def three_industries(codes: list[str]) -> pd.Series:
    """Primary / secondary / tertiary for the 153 detailed codes (NBS 2018 rule on the three industries).

    Primary: farming, forestry, animal husbandry, fishery (001-004). Tertiary: their auxiliary services
    (005), mining auxiliary activities (011), repair of metal products and machinery (099) and all
    services (109-153). Everything else is secondary (mining, manufacturing, utilities, construction).
    """
    out = {}
    for code in codes:
        n = int(code)
        if n <= 4:
            out[code] = "primary"
        elif n in (5, 11, 99) or n >= 109:
            out[code] = "tertiary"
        else:
            out[code] = "secondary"
    return pd.Series(out, name="industry")


def direct_subindustries() -> pd.DataFrame:
    """The nine direct sub-industries (codes, names, reasons) from data/assumptions."""
    frame = tables.read_authored("assumptions/direct_subindustries.csv", ["code", "name_zh", "reason"])
    frame["code"] = frame["code"].astype(int).map("{:03d}".format)
    return frame


def contribution_rates() -> pd.DataFrame:
    """Plausible ranges of R_i per direct sub-industry (data/assumptions/contribution_rates.csv)."""
    frame = tables.read_authored("assumptions/contribution_rates.csv", ["code", "r_low", "r_high", "basis"])
    frame["code"] = frame["code"].astype(int).map("{:03d}".format)
    return frame.set_index("code")


def production_use_share(io: IOTable, codes: list[str]) -> pd.Series:
    """Share of each product's total use (intermediate + final, imports included) that goes to production
    (intermediate use + fixed capital formation) rather than consumption, exports or inventories:
    the book's open basis for R_i."""
    total_use = io.Z.sum(axis=1) + io.final_demand + io.imports
    return (io.production_use[codes] / total_use[codes]).rename("production_use_share")


def direct_value_added(io: IOTable, rates: pd.Series) -> float:
    """Eq. 5-1: G_direct = Σ_i R_i (Y_i − M_i), with Y_i − M_i = total input − intermediate input = VA_i."""
    va = io.output[rates.index] - io.Z[rates.index].sum(axis=0)
    return float((rates * va).sum())


def penetration(io: IOTable, rates: pd.Series, domestic: bool = False) -> pd.DataFrame:
    """Penetration value added by industry (yuan), from the R-weighted deliveries of the direct industries.

    f_i = R_i Σ_{j∉D} z_ij for i in D (0 elsewhere);  Δx = L f;
    rate_k = Σ_{j∈k, j∉D} Δx_j / Σ_{j∈k, j∉D} x_j;  G_k = rate_k · Σ_{j∈k, j∉D} VA_j.
    With ``domestic`` the coefficients are scaled row-wise by the domestic share of supply
    (1 − imports / total use), so that imported inputs do not induce Chinese output.
    """
    direct = list(rates.index)
    others = [c for c in io.codes if c not in direct]
    A = io.coefficients()
    if domestic:
        A = A.mul(domestic_share(io), axis=0)
    L = leontief_inverse(A)
    f = pd.Series(0.0, index=io.codes)
    f[direct] = rates * io.Z.loc[direct, others].sum(axis=1)
    dx = L.to_numpy() @ f.to_numpy()
    dx = pd.Series(dx, index=io.codes)
    industry = three_industries(io.codes)
    rows = []
    for k in INDUSTRIES:
        members = [c for c in others if industry[c] == k]
        induced, output = dx[members].sum(), io.output[members].sum()
        va = io.value_added[members].sum()
        rate = induced / output if output > 0 else 0.0
        rows.append({"industry": k, "induced_output": induced, "output": output, "rate": rate,
                     "value_added": va, "penetration_va": rate * va})
    return pd.DataFrame(rows).set_index("industry")


def domestic_share(io: IOTable) -> pd.Series:
    """1 − imports / (intermediate use + final use) per product (competitive-import table)."""
    total_use = io.Z.sum(axis=1) + io.final_demand + io.imports
    return (1 - io.imports / total_use.where(total_use > 0)).fillna(1.0).clip(0, 1)


def identities(io: IOTable) -> dict[str, float]:
    """Largest relative violations of the table's accounting identities (all should be ~1e-12)."""
    total_input = io.Z.sum(axis=0) + io.value_added
    row_total = io.Z.sum(axis=1) + io.final_demand
    return {
        "total input = output": float(((total_input - io.output).abs() / io.output).max()),
        "intermediate + final use − imports = output": float(((row_total - io.output).abs() / io.output).max()),
        "Σ value added = Σ final demand": float(abs(io.value_added.sum() / io.final_demand.sum() - 1)),
    }


def aggregate(io: IOTable, mapping: pd.Series) -> IOTable:
    """Aggregate a table with a detailed-code → group map (e.g. 153 → 42 sectors)."""
    m = mapping.reindex(io.codes)
    Z = io.Z.groupby(m).sum().T.groupby(m).sum().T
    return IOTable(Z=Z, final_demand=io.final_demand.groupby(m).sum(), value_added=io.value_added.groupby(m).sum(),
                   output=io.output.groupby(m).sum(), names=pd.Series(dict.fromkeys(Z.index, "")))


def map_to_42(year: int) -> pd.Series:
    """The staged 153 → 42 sector map for ``year`` (2017 and 2018/2020 tables)."""
    frame = data.load("io_sector_map")
    frame = frame[frame["year"] == year]
    return frame.set_index("code_detail")["code_42"]


def penetration_per_unit_r(io: IOTable, codes: list[str], domestic: bool = False) -> pd.DataFrame:
    """Penetration value added by industry (columns) caused by each direct sub-industry (rows) at R_i = 1.

    The penetration step is linear in R, so G_pen(R) = Σ_i R_i · row_i: sensitivity draws are dot products.
    """
    rows = {}
    for code in codes:
        r = pd.Series(0.0, index=codes)
        r[code] = 1.0
        rows[code] = penetration(io, r, domestic=domestic)["penetration_va"]
    return pd.DataFrame(rows).T


def direct_per_unit_r(io: IOTable, codes: list[str]) -> pd.Series:
    """Value added Y_i − M_i of each direct sub-industry (yuan): eq. 5-1 with R_i = 1."""
    return (io.output[codes] - io.Z[codes].sum(axis=0)).rename("value_added")


def growth_table(real: pd.DataFrame, gdp: pd.DataFrame) -> pd.DataFrame:
    """Table 5-1's columns from an IIE series (trillion 2015 yuan) and real GDP.

    contribution to the GDP increment = ΔIIE / ΔGDP; pull on GDP growth = ΔIIE / GDP_{t−1} (pp);
    share of GDP = IIE / GDP; real growth = IIE_t / IIE_{t−1} − 1.
    """
    g = gdp.loc[real.index, "real_2015_trn"]
    out = pd.DataFrame({"real_gdp": g, "gdp_increment": g.diff(), "iie": real["total"],
                        "direct": real["direct"], "penetration": real["penetration"]})
    out["iie_increment"] = out["iie"].diff()
    out["contribution_pct"] = 100 * out["iie_increment"] / out["gdp_increment"]
    out["pull_pp"] = 100 * out["iie_increment"] / g.shift(1)
    out["share_pct"] = 100 * out["iie"] / g
    out["real_growth_pct"] = 100 * out["iie"].pct_change()
    out["direct_share_pct"] = 100 * out["direct"] / out["iie"]
    return out
