"""National series and the audit of the report's own tables."""
import pytest

from lib.analysis import macro, report_audit
from lib.ledger import ledger


def test_deflator_is_2015_based():
    gdp = macro.real_gdp()
    assert gdp.at[2015, "deflator_2015eq100"] == pytest.approx(100.0)
    assert gdp.at[2015, "real_2015_trn"] == pytest.approx(gdp.at[2015, "nominal_trn"])


def test_real_gdp_within_half_a_percent_of_table_5_1():
    # the foundation's promise (issue 3, step 5): our 2015-price GDP lands within ~0.5% of Table 5-1
    gdp = macro.real_gdp()
    for year in (2019, 2020, 2021):
        assert gdp.at[year, "real_2015_trn"] == pytest.approx(ledger.published_value(f"T5-1.{year}.real_gdp"), rel=0.005)


def test_three_industries_add_up_to_gdp():
    shares = macro.industry_shares()
    assert shares.index.min() == 2004  # 2003's tertiary cell is malformed in the source
    total = shares[["primary", "secondary", "tertiary"]].sum(axis=1, skipna=False)
    assert (total - 100).abs().max() < 0.01
    assert (shares["industry"] < shares["secondary"]).all()


def test_table_5_1_identities_known_answers():
    audit = report_audit.table_5_1_identities().set_index("printed id")
    # 2.12 / 91.00 = 2.3297% ; 0.28 / 7.28 = 3.846% ; 0.12 / 88.95 = 0.1349 pp
    assert audit.at["T5-1.2020.share_gdp", "recomputed"] == pytest.approx(2.3297, abs=1e-4)
    assert audit.at["T5-1.2021.contribution_gdp_increment", "recomputed"] == pytest.approx(3.8462, abs=1e-4)
    assert audit.at["T5-1.2020.pull_gdp_growth", "recomputed"] == pytest.approx(0.1349, abs=1e-4)
    assert (audit["verdict"] == "consistent").all()


def test_direct_share_contradicts_the_text():
    claim = report_audit.direct_share_claim().set_index("year")
    assert claim.at[2018, "direct share (%)"] == pytest.approx(100 * 0.772 / 1.818)
    assert (claim["direct share (%)"] < 50).all()


def test_table_5_2_identities_flag_caict_growth():
    audit = report_audit.table_5_2_identities().set_index("printed id")
    # 1.999 / 1.818 − 1 = 9.956% (printed 9.96); 2.13 / 1.42 − 1 = 50.0% (printed 47.30: cannot be rounding)
    assert audit.at["T5-2.tsinghua.2019.real_growth", "recomputed"] == pytest.approx(9.956, abs=1e-3)
    assert audit.at["T5-2.caict.2019.real_growth", "recomputed"] == pytest.approx(50.0)
    assert audit.at["T5-2.caict.2019.real_growth", "verdict"] == "inconsistent"
    assert audit.at["T5-2.caict.2020.real_growth", "verdict"] == "inconsistent"
    others = audit[~audit.index.str.startswith("T5-2.caict")]
    assert (others["verdict"] == "consistent").all()
