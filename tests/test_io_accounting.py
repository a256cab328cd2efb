"""Input-output accounting: textbook answers, the NBS tables' identities, and a synthetic economy."""
import numpy as np
import pandas as pd
import pytest

from lib.analysis import io_accounting as ioa


def _toy(Z, x, va=None, names=None):
    codes = [f"{i + 1:03d}" for i in range(len(x))]
    Z = pd.DataFrame(np.asarray(Z, dtype=float), index=codes, columns=codes)
    x = pd.Series(np.asarray(x, dtype=float), index=codes)
    va = x - Z.sum(axis=0) if va is None else pd.Series(va, index=codes)
    return ioa.IOTable(Z=Z, final_demand=x - Z.sum(axis=1), value_added=va, output=x,
                       names=pd.Series("", index=codes), imports=pd.Series(0.0, index=codes),
                       production_use=Z.sum(axis=1))


def test_leontief_inverse_miller_blair_two_sector_example():
    # Miller & Blair (2009), Input-Output Analysis, 2nd ed., section 2.3 (two-sector example):
    # Z = [[150, 500], [200, 100]], x = (1000, 2000) -> A = [[.15, .25], [.20, .05]],
    # L = [[1.2541, 0.3300], [0.2640, 1.1221]]
    io = _toy([[150, 500], [200, 100]], [1000, 2000])
    A = io.coefficients().to_numpy()
    assert A == pytest.approx(np.array([[0.15, 0.25], [0.20, 0.05]]))
    L = io.leontief().to_numpy()
    assert L == pytest.approx(np.array([[1.2541, 0.3300], [0.2640, 1.1221]]), abs=5e-5)
    # and L reproduces output from final demand (x = L f with f = (650, 1400))
    assert L @ io.final_demand.to_numpy() == pytest.approx([1000, 2000])


def test_synthetic_economy_without_linkages_has_known_penetration():
    # sectors do not buy from each other except direct sector 001 selling 10 to each of 002 and 003:
    # A is zero but for row 001, L = I + A (A² = 0 since 001 buys nothing), f_001 = R · 20, Δx = f on 001 only;
    # the other sectors' induced output is then zero -> no penetration. Then add a feedback 002 -> 001.
    io = _toy([[0, 10, 10], [0, 0, 0], [0, 0, 0]], [100, 100, 100])
    out = ioa.penetration(io, pd.Series({"001": 0.5}))
    assert out["induced_output"].sum() == pytest.approx(0.0)
    # with 001 buying 20 from 002 (a_21 = 0.2): Δx_002 = 0.2 · Δx_001 and Δx_001 = f_001 · 1/(1 − a_12 a_21)
    io = _toy([[0, 10, 10], [20, 0, 0], [0, 0, 0]], [100, 100, 100])
    out = ioa.penetration(io, pd.Series({"001": 0.5}))
    f = 0.5 * 20
    dx1 = f / (1 - 0.1 * 0.2)
    dx2 = 0.2 * dx1
    # codes 001..004 are primary; 002 is 'primary' here, 003 too
    assert out.loc["primary", "induced_output"] == pytest.approx(dx2)
    assert out.loc["primary", "rate"] == pytest.approx(dx2 / 200)
    assert out.loc["primary", "penetration_va"] == pytest.approx(dx2 / 200 * io.value_added[["002", "003"]].sum())


def test_direct_value_added_is_linear_in_r():
    io = _toy([[10, 20], [30, 40]], [100, 200])
    # VA = x − column sums = (60, 140)
    assert ioa.direct_value_added(io, pd.Series({"001": 1.0, "002": 1.0})) == pytest.approx(200)
    assert ioa.direct_value_added(io, pd.Series({"001": 0.5, "002": 0.25})) == pytest.approx(30 + 35)


@pytest.mark.parametrize("year", [2017, 2018, 2020])
def test_nbs_table_identities(year):
    io = ioa.read_nbs(year)
    assert len(io.codes) == (149 if year == 2017 else 153)
    for name, worst in ioa.identities(io).items():
        assert worst < 1e-9, name


def test_nbs_2018_totals_match_the_staging_notes():
    # ../shared/data/national/SOURCES.md: 2018 total value added 9.220572e9 (10k yuan) = 92.206 trillion yuan
    io = ioa.read_nbs(2018)
    assert io.value_added.sum() / 1e12 == pytest.approx(92.206, abs=0.001)


def test_aggregation_to_42_sectors_reproduces_the_42_table_output():
    from lib.inputs import data
    io = ioa.read_nbs(2018)
    agg = ioa.aggregate(io, ioa.map_to_42(2018))
    t42 = data.load("io_2018_42")
    dom = t42[t42["row_block"] == "intermediate_domestic"].set_index("row_code")["GO"]
    assert len(agg.codes) == 42
    assert agg.output.to_numpy() == pytest.approx(dom.loc[agg.codes].to_numpy() * 1e4, rel=1e-9)
    assert agg.value_added.sum() == pytest.approx(io.value_added.sum())
    assert ioa.identities(agg)["total input = output"] < 1e-9


def test_three_industries_classification():
    ind = ioa.three_industries([f"{i:03d}" for i in range(1, 154)])
    assert ind.value_counts().to_dict() == {"secondary": 101, "tertiary": 48, "primary": 4}
    assert ind["005"] == "tertiary" and ind["099"] == "tertiary" and ind["108"] == "secondary"


def test_direct_subindustries_are_nine_with_reasons():
    d = ioa.direct_subindustries()
    assert len(d) == 9 and d["code"].is_unique
    assert d["reason"].str.len().min() > 5
    io = ioa.read_nbs(2018)
    # the four the report names are in the list with the names it uses
    names = dict(zip(d["code"], d["name_zh"]))
    for code in ("090", "091", "125", "127"):
        assert names[code] == io.names[code]
    r = ioa.contribution_rates()
    assert set(r.index) == set(d["code"]) and (r["r_low"] <= r["r_high"]).all()


def test_penetration_per_unit_r_adds_up():
    io = ioa.read_nbs(2018)
    codes = list(ioa.direct_subindustries()["code"])
    rates = ioa.production_use_share(io, codes)
    per_unit = ioa.penetration_per_unit_r(io, codes)
    direct = ioa.penetration(io, rates)["penetration_va"]
    assert (per_unit.mul(rates, axis=0).sum()).to_numpy() == pytest.approx(direct.to_numpy(), rel=1e-9)
    assert ((rates > 0) & (rates < 1)).all()
    # imported inputs induce no domestic output: the domestic variant is smaller
    assert ioa.penetration(io, rates, domestic=True)["penetration_va"].sum() < direct.sum()


def test_growth_table_arithmetic():
    idx = [2018, 2019]
    gdp = pd.DataFrame({"real_2015_trn": [100.0, 110.0]}, index=idx)
    real = pd.DataFrame({"direct": [1.0, 1.5], "penetration": [1.0, 1.0], "total": [2.0, 2.5]}, index=idx)
    t = ioa.growth_table(real, gdp)
    assert t.at[2019, "contribution_pct"] == pytest.approx(100 * 0.5 / 10)
    assert t.at[2019, "pull_pp"] == pytest.approx(100 * 0.5 / 100)
    assert t.at[2019, "share_pct"] == pytest.approx(100 * 2.5 / 110)
    assert t.at[2019, "real_growth_pct"] == pytest.approx(25.0)
    assert t.at[2018, "direct_share_pct"] == pytest.approx(50.0)


def test_production_use_share_on_a_toy_table():
    # product 001: intermediate use 30 (10 + 20), fixed capital formation 10, total use incl. imports 100
    io = _toy([[10, 20], [5, 5]], [90, 60])
    io.imports = pd.Series({"001": 10.0, "002": 0.0})
    io.final_demand = pd.Series({"001": 90 - 30.0, "002": 60 - 10.0})  # TFU − IM = x − TIU
    io.production_use = pd.Series({"001": 30 + 10.0, "002": 10.0})
    share = ioa.production_use_share(io, ["001", "002"])
    # total use = TIU + (TFU − IM) + IM = 30 + 60 + 10 = 100 for 001; 10 + 50 + 0 = 60 for 002
    assert share["001"] == pytest.approx(40 / 100)
    assert share["002"] == pytest.approx(10 / 60)


def test_growth_proxies_cover_every_direct_group():
    from lib.analysis import va_replication as va
    proxies = va.growth_proxies()
    groups = set(ioa.direct_subindustries()["section"])
    assert groups <= set(proxies.loc[proxies["part"] == "direct", "group"])
    assert set(proxies.loc[proxies["part"] == "penetration", "group"]) == set(ioa.INDUSTRIES)
