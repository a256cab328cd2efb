"""Arithmetic checks of the report's own tables: do its derived columns follow from its levels?

Each check recomputes a printed number from other printed numbers. Because every input is rounded,
the check also gives the range the result can take when each input moves within its rounding
(half a unit in its last printed digit); a printed value outside that range cannot be explained
by rounding.
"""
from __future__ import annotations

import itertools

import pandas as pd

from lib.analysis import results
from lib.inputs import published
from lib.inputs.results_dictionary import key

__all__ = ["table_5_1_identities", "direct_share_claim", "table_5_2_identities", "audits"]


def _check(quantity, formula, func, input_ids, printed_id, year):
    pub = published.published()
    values = [pub.at[i, "value"] for i in input_ids]
    tols = [published.rounding_tolerance(pub.at[i, "value_text"]) for i in input_ids]
    corners = [func(*[v + s * t for v, s, t in zip(values, signs, tols)])
               for signs in itertools.product((-1, 1), repeat=len(values))]
    low, high = min(corners), max(corners)
    printed = pub.at[printed_id, "value"]
    half = published.rounding_tolerance(pub.at[printed_id, "value_text"])
    consistent = low - half <= printed <= high + half
    return {"year": year, "quantity": quantity, "formula": formula, "recomputed": func(*values),
            "range under input rounding": f"{low:.3f} to {high:.3f}", "printed": printed,
            "verdict": "consistent" if consistent else "inconsistent", "printed id": printed_id}


def table_5_1_identities() -> pd.DataFrame:
    """Table 5-1's derived columns recomputed from its own levels (2019's IIE level from Table 5-2).

    contribution to the GDP increment = ΔIIE / ΔGDP; pull on growth = ΔIIE / GDP_{t-1};
    share of GDP = IIE / GDP. 2019's pull and contribution need the 2018 GDP, which the table omits.
    """
    rows = []
    iie = {2019: "T5-2.tsinghua.2019.va", 2020: "T5-1.2020.iie_real_va", 2021: "T5-1.2021.iie_real_va"}
    for y in (2020, 2021):
        gdp, gdp0 = f"T5-1.{y}.real_gdp", f"T5-1.{y - 1}.real_gdp"
        rows += [
            _check("GDP increment (trn yuan)", "GDP(t) − GDP(t−1)", lambda a, b: a - b, [gdp, gdp0], f"T5-1.{y}.gdp_increment", y),
            _check("IIE increment (trn yuan)", "IIE(t) − IIE(t−1)", lambda a, b: a - b, [iie[y], iie[y - 1]], f"T5-1.{y}.iie_increment", y),
            _check("contribution to GDP increment (%)", "ΔIIE / ΔGDP", lambda a, b: 100 * a / b,
                   [f"T5-1.{y}.iie_increment", f"T5-1.{y}.gdp_increment"], f"T5-1.{y}.contribution_gdp_increment", y),
            _check("pull on GDP growth (pp)", "ΔIIE / GDP(t−1)", lambda a, b: 100 * a / b,
                   [f"T5-1.{y}.iie_increment", gdp0], f"T5-1.{y}.pull_gdp_growth", y),
        ]
    for y in (2019, 2020, 2021):
        rows.append(_check("share of GDP (%)", "IIE / GDP", lambda a, b: 100 * a / b,
                           [iie[y], f"T5-1.{y}.real_gdp"], f"T5-1.{y}.share_gdp", y))
    return pd.DataFrame(rows)


def direct_share_claim() -> pd.DataFrame:
    """The text says direct industries always exceed 50% of the total; its own levels say otherwise."""
    v = published.published()["value"]
    rows = []
    for year in (2018, 2021):
        direct, pen, total = v[f"X5.direct_va.{year}"], v[f"X5.penetration_va.{year}"], v[f"X5.iie_real_va.{year}"]
        rows.append({"year": year, "direct (trn yuan)": direct, "penetration (trn yuan)": pen,
                     "direct + penetration": round(direct + pen, 3), "total printed": total,
                     "direct share (%)": 100 * direct / total, "the text claims": "over 50%"})
    return pd.DataFrame(rows)


def table_5_2_identities() -> pd.DataFrame:
    """Table 5-2's growth columns recomputed from the levels printed beside them.

    The report's own real growth uses the three-decimal levels of its text (X5.iie_real_va.*);
    the peers' growth uses the two-decimal levels of Table 5-2 (CAII nominal, CAICT at 2018 prices).
    """
    rows = []
    for y in (2019, 2020, 2021):
        rows.append(_check("report: real growth (%)", "VA(t) / VA(t−1) − 1", lambda a, b: 100 * (a / b - 1),
                           [f"X5.iie_real_va.{y}", f"X5.iie_real_va.{y - 1}"], f"T5-2.tsinghua.{y}.real_growth", y))
    for y in (2019, 2020, 2021):
        rows.append(_check("CAII: nominal growth (%)", "VA(t) / VA(t−1) − 1", lambda a, b: 100 * (a / b - 1),
                           [f"T5-2.caii.{y}.va", f"T5-2.caii.{y - 1}.va"], f"T5-2.caii.{y}.nominal_growth", y))
    for y in (2019, 2020):
        rows.append(_check("CAICT: real growth (%)", "VA(t) / VA(t−1) − 1", lambda a, b: 100 * (a / b - 1),
                           [f"T5-2.caict.{y}.va", f"T5-2.caict.{y - 1}.va"], f"T5-2.caict.{y}.real_growth", y))
    for y in (2019, 2020, 2021):
        rows.append(_check("report: share of GDP (%)", "VA (Table 5-2) / GDP (Table 5-1)", lambda a, b: 100 * a / b,
                           [f"T5-2.tsinghua.{y}.va", f"T5-1.{y}.real_gdp"], f"T5-2.tsinghua.{y}.share_gdp", y))
    return pd.DataFrame(rows)


def audits() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Run the three audits: (records of what the prose quotes, the display tables by label)."""
    t51, t52, claim = table_5_1_identities(), table_5_2_identities(), direct_share_claim()
    out = []
    for checks, consistent, frame in (("audit.t5_1.checks", "audit.t5_1.consistent", t51),
                                      ("audit.t5_2.checks", "audit.t5_2.consistent", t52)):
        out.append(results.row(checks, len(frame), "count"))
        out.append(results.row(consistent, (frame["verdict"] == "consistent").sum(), "count"))
    a52 = t52.set_index("printed id")
    for year in (2019, 2020):
        out.append(results.row(key("audit.t5_2.caict_growth.<year>", year=year), a52.at[f"T5-2.caict.{year}.real_growth", "recomputed"], "percent"))
    for _, row in claim.iterrows():
        out.append(results.row(key("audit.direct_share_pct.<year>", year=int(row["year"])), row["direct share (%)"], "percent"))
    tables = {"tbl-5-1-audit": t51.drop(columns=["printed id"]), "tbl-5-2-audit": t52.drop(columns=["printed id"]),
              "tbl-5-direct-share": claim}
    return results.rows(*out), tables
