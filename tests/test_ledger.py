"""The published-values ledger, the results ledger helpers and the comparison."""
import pandas as pd
import pytest

from lib.ledger import ledger


def test_published_ledger_is_well_formed():
    table = ledger.published()
    assert table["id"].is_unique
    assert (table["unit"].notna()).all()
    # every table of chapter 5 is transcribed
    for prefix in ("T5-1.", "T5-2.", "T5-3.", "T5-4.", "T5-5."):
        assert len(ledger.published(prefix)) > 0, prefix


def test_transcription_spot_checks():
    # values read off ../shared/seeds/004_9d214fca4489f417.txt, Tables 5-1, 5-4 and the 5(一)1 text
    assert ledger.published_value("T5-1.2019.real_gdp") == 88.95
    assert ledger.published_value("T5-4.2017.moran_i") == 0.209
    assert ledger.published_value("X5.direct_va.2018") == 0.772
    assert ledger.published_value("T5-5.nobs") == 353


@pytest.mark.parametrize("text, expected", [("2.25", 0.005), ("262", 0.5), ("0.000", 0.0005), ("-2.0987", 0.00005)])
def test_rounding_tolerance(text, expected):
    assert ledger.rounding_tolerance(text) == pytest.approx(expected)


def _results(rows, basis="an independent open source"):
    frame = pd.DataFrame(rows, columns=["key", "value", "unit", "published_id", "rel_tol", "explanation"])
    return frame.assign(basis=basis)


def test_compare_statuses():
    results = _results([
        ["a", 88.95 * 1.004, "trn", "T5-1.2019.real_gdp", 0.005, ""],          # 0.4% off: within 0.5%
        ["b", 91.00 * 1.02, "trn", "T5-1.2020.real_gdp", 0.005, "a reason"],    # 2% off, explained
        ["c", 98.28 * 1.02, "trn", "T5-1.2021.real_gdp", 0.005, ""],            # 2% off, unexplained
        ["d", 2.254, "%", "T5-1.2019.share_gdp", 0.0, ""],                      # within printed rounding
        ["e", 1.0, "count", "", 0.005, ""],                                     # no published value
    ])
    out = ledger.compare(results).set_index("key")
    assert list(out["status"]) == ["reproduced", "reproduced", "explained difference", "unexplained"]
    assert out.at["b", "relative_difference"] == pytest.approx(0.02)
    assert "e" not in out.index


def test_compare_tells_by_construction_from_reproduced():
    results = _results([["a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""],
                        ["b", 91.00, "trn", "T5-1.2020.real_gdp", 0.005, ""]])
    results["by_construction"] = ["", "calibrated to the report's 2020 level"]
    out = ledger.compare(results).set_index("key")
    assert out.at["a", "status"] == "reproduced"
    assert out.at["b", "status"] == "matches by construction"
    assert out.at["b", "explanation"] == "calibrated to the report's 2020 level"
    # a calibrated value that misses its target is not 'by construction'
    results.loc[1, "value"] = 95.0
    assert ledger.compare(results).set_index("key").at["b", "status"] == "unexplained"


def test_a_match_on_a_substitute_is_not_reproduced():
    results = _results([["a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""],
                        ["b", 91.00, "trn", "T5-1.2020.real_gdp", 0.005, "another index"]])
    results["substitute"] = ["", "the substitute index happens to land on it"]
    out = ledger.compare(results).set_index("key")
    assert out.at["a", "status"] == "reproduced" and out.at["a", "basis"] == "an independent open source"
    assert out.at["b", "status"] == "matches on a substitute" and out.at["b", "basis"] == ""
    assert out.at["b", "explanation"] == "the substitute index happens to land on it"
    # a substitute value that misses is an explained (or unexplained) difference as before
    results.loc[1, "value"] = 95.0
    assert ledger.compare(results).set_index("key").at["b", "status"] == "explained difference"
    assert ledger.SUBSTITUTE in ledger.STATUSES and ledger.SUBSTITUTE in comparison.STATUS_LABELS


def test_reproduced_without_a_basis_fails():
    """A row that would be 'reproduced' must say what it is independently computed from."""
    results = _results([["gdp.2019", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""]], basis="  ")
    with pytest.raises(ledger.LedgerError, match=r"gdp.2019 reproduces T5-1.2019.real_gdp but names no independent basis"):
        ledger.compare(results)
    assert ledger.compare(results.assign(by_construction="an input")).at[0, "status"] == "matches by construction"
    missed = results.assign(value=95.0, explanation="another vintage")
    assert ledger.compare(missed).at[0, "status"] == "explained difference"   # only a match needs a basis


def test_quantity_of_drops_the_years_only():
    assert ledger.quantity_of("T5-1.2019.share_gdp") == "T5-1.share_gdp"
    assert ledger.quantity_of("T5-2.tsinghua.2020.real_growth") == "T5-2.tsinghua.real_growth"
    assert ledger.quantity_of("X5.iie_real_va.2021") == "X5.iie_real_va"
    assert ledger.quantity_of("T5-3.levels.beta") == "T5-3.levels.beta"


def test_an_explanation_shared_across_quantities_fails():
    """One stock sentence on rows of different quantities (or tables) is refused; the same statistic in
    different years may share one."""
    def explained(pids, texts):
        return pd.DataFrame({"published_id": pids, "status": ledger.EXPLAINED, "explanation": texts})

    same_quantity = explained(["T5-4.2017.moran_i", "T5-4.2018.moran_i"], ["the substitute clusters more"] * 2)
    assert ledger.shared_explanations(same_quantity) == []
    across = explained(["T5-3.levels.beta", "T5-3.levels.gamma", "T5-4.2019.z"], ["substitute index"] * 3)
    problems = ledger.shared_explanations(across)
    assert len(problems) == 1 and "T5-3.levels.beta" in problems[0] and "T5-4.z" in problems[0]
    across_years = explained(["T5-1.2019.share_gdp", "T5-1.2020.pull_gdp_growth"], ["out of sample", "out of  sample"])
    assert ledger.shared_explanations(across_years)      # whitespace does not make two texts different
    other_status = across.assign(status=ledger.NOT_RECOMPUTED)
    assert ledger.shared_explanations(other_status) == []


def test_status_summary_counts_every_status_by_chapter():
    out = ledger.compare(_results([["a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""]]), keep_unmatched=True)
    summary = ledger.status_summary(out)
    assert list(summary.columns) == ["chapter", "status", "count"]
    assert summary["count"].sum() == len(ledger.published())
    five = summary[summary["chapter"] == "5"].set_index("status")["count"]
    assert five["reproduced"] == 1 and set(five.index) == set(ledger.STATUSES)


def test_compare_keeps_unmatched_ids():
    out = ledger.compare(_results([["a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""]]), keep_unmatched=True)
    assert len(out) == len(ledger.published())
    assert (out["status"] == "not recomputed").sum() == len(out) - 1
    quoted = ledger.compare(_results([]), keep_unmatched=True, quoted={"F2-1.europe"}).set_index("published_id")
    assert quoted.at["F2-1.europe", "status"] == "quoted, not recomputed"
    assert quoted.at["F2-1.north_america", "status"] == "not recomputed"


def test_compare_rejects_unknown_ids():
    with pytest.raises(ledger.LedgerError, match="unknown published ids"):
        ledger.compare(_results([["a", 1.0, "x", "T9-9.nothing", 0.005, ""]]))


def test_record_refuses_bad_input(monkeypatch):
    monkeypatch.setattr(ledger, "_glue", lambda name, value: None)
    assert ledger.record("demo.value", 1.5, "unit") == 1.5
    with pytest.raises(ledger.LedgerError, match="lower case"):
        ledger.record("Demo Value", 1.0, "unit")
    with pytest.raises(ledger.LedgerError, match="not in"):
        ledger.record("demo.other", 1.0, "unit", published_id="T5-1.2019.no_such_column")
    with pytest.raises(ledger.LedgerError, match="nan"):
        ledger.record("demo.nan", float("nan"), "unit")


def test_record_glues_plain_floats(monkeypatch):
    glued = {}
    monkeypatch.setattr(ledger, "_glue", lambda name, value: glued.__setitem__(name, value))
    import numpy as np
    ledger.record("demo.numpy", np.float64(2.5), "unit", published_id="T5-1.2019.real_gdp")
    assert type(glued["demo.numpy"]) is float
    assert glued[ledger.RECORD_PREFIX + "demo.numpy"]["published_id"] == "T5-1.2019.real_gdp"


# ----- what a reader sees (lib/present/comparison.py) -----

from lib.present import comparison  # noqa: E402


def test_every_chinese_ledger_name_has_english():
    assert comparison.untranslated(ledger.published()) == []
    assert comparison.row_label("Table 5-1", "2019", "实际GDP") == "Table 5-1 · 2019 · real GDP"
    assert comparison.row_label("text 5(一)1", "", "直接产业子行业数") == "Text 5(一)1 · direct sub-industries"


def test_comparison_display_is_readable():
    results = _results([
        ["a", 89.0304, "trn", "T5-1.2019.real_gdp", 0.005, ""],
        ["b", 0.415, "trn", "T5-1.2019.iie_increment", 0.005, "the contribution rates are unpublished"],
        ["c", 0.62, "trn", "T5-1.2021.iie_increment", 0.005, "the contribution rates are unpublished"],
        ["d", -0.05, "trn", "T5-1.2020.iie_increment", 0.005, "another reason"],
    ])
    shown = comparison.page_table(ledger.compare(results))
    assert list(shown.columns) == comparison.COLUMNS
    rows = shown.set_index("value")
    real = rows.loc["Table 5-1 · 2019 · real GDP"]
    assert (real["report"], real["book"], real["difference"], real["difference (%)"]) == ("88.95", "89.03", "+0.08", "+0.1")
    assert real["status"] == "reproduced" and real["note"] == ""
    # rows with the same reason share a note; the note text is printed once
    inc19, inc21 = rows.loc["Table 5-1 · 2019 · industrial-internet increment"], rows.loc["Table 5-1 · 2021 · industrial-internet increment"]
    assert inc19["note"] == inc21["note"] != "" and inc19["status"] == "explained"
    texts = [t for _, t in shown.attrs["notes"]]
    assert texts.count("the contribution rates are unpublished") == 1
    # the sign flips (0.12 -> -0.05): no percentage, the absolute difference only
    flip = rows.loc["Table 5-1 · 2020 · industrial-internet increment"]
    assert flip["difference (%)"] == "" and flip["difference"] == f"{comparison.formatting.MINUS}0.17"
    assert not shown.apply(lambda col: col.str.contains(r"T5-1\.|e-\d", regex=True)).any().any()


def test_appendix_summary_and_tables():
    quoted = {"chapters/02_landscape": {"T5-1.2019.share_gdp", "F2-1.europe"},
              "chapters/05_macro_value": {"T5-1.2019.share_gdp"}}
    out = ledger.compare(_results([["a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""]]), keep_unmatched=True,
                         quoted=set().union(*quoted.values()))
    results = pd.DataFrame({"key": ["a"], "chapter": ["chapters/05_macro_value"]})
    table = ledger.published()
    chapters = out["published_id"].map(table["section"]).map(ledger.chapter_of_section)
    pages = comparison.row_pages(out, results, quoted, {"chapters/02_landscape": "2", "chapters/05_macro_value": "5"},
                                 chapters)
    by_id = dict(zip(out["published_id"], pages))
    assert by_id["T5-1.2019.real_gdp"] == "chapters/05_macro_value"      # recorded there
    assert by_id["T5-1.2019.share_gdp"] == "chapters/05_macro_value"     # quoted by both: its own chapter wins
    assert by_id["F2-1.europe"] == "chapters/02_landscape"
    assert by_id["T5-1.2019.pull_gdp_growth"] == ""                        # nobody uses it
    names = {"chapters/02_landscape": "2 · Landscape", "chapters/05_macro_value": "5 · Macro value"}
    summary = comparison.appendix_summary(out, pages, names)
    assert list(summary["chapter"]) == ["2 · Landscape", "5 · Macro value", "other", "all chapters"]
    assert int(summary.iloc[-1]["total"]) == len(table) == sum(int(t) for t in summary["total"][:-1])
    line = comparison.page_summary(out[pages == "chapters/05_macro_value"])
    assert line.iloc[0].to_dict() == {**{v: "0" for v in comparison.STATUS_LABELS.values() if v != "not recomputed"},
                                      "reproduced": "1", "quoted only": "1", "total": "2"}
    assert "not recomputed" in summary      # one value nobody uses: the appendix keeps the column
    nodes = comparison.page_nodes(out[pages == "chapters/05_macro_value"], "5 · Macro value (2)", "published-5")
    assert nodes[0].tagname == "table" and nodes[0][0].astext() == "5 · Macro value (2)"


def test_notes_print_as_numbered_sentences():
    md = comparison.notes_markdown([(2, "the rates R_i are unpublished"), (5, "Calibrated.")])
    assert md == "**Note 2.** The rates R\\_i are unpublished.\n\n**Note 5.** Calibrated."
    assert comparison.notes_markdown([]) == ""


def test_compare_refuses_a_published_id_recorded_twice():
    results = _results([["track_a", 88.95, "trn", "T5-1.2019.real_gdp", 0.005, ""],
                        ["track_b", 88.90, "trn", "T5-1.2019.real_gdp", 0.005, ""]])
    with pytest.raises(ledger.LedgerError, match=r"T5-1.2019.real_gdp.*track_a.*track_b"):
        ledger.compare(results)


def test_prose_tables_are_told_from_number_tables():
    from lib.inputs import tables
    from lib.present import comparison
    prose = tables.report_table("tbl-3-1")                       # the report's VSP table: bullets of text
    numbers = pd.DataFrame({"year": [2019, 2020], "value": ["1.25", "2.50"], "unit": ["%", "%"]})
    assert comparison.is_text_table(prose)
    assert not comparison.is_text_table(numbers)
    assert "text-table" in comparison.table_node(prose)["classes"]
    assert "text-table" not in comparison.table_node(numbers)["classes"]
