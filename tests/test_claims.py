"""lib/ledger/claims: the claims ledger (data/published/claims.csv), its verdicts, and the pages that show it.

Known answers first (the report's own text, hand-made frames), then properties of the whole ledger, then a
small Sphinx project that runs the directive, then the built book (marked ``build``).
"""
import re
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from report_text import report_text, squeeze

from lib.inputs import paths, tables
from lib.ledger import claims, ledger

FRAME = claims.load()
# The report's key points (本章观点凝练): three in chapter 1, two in chapters 2-4, four in chapter 5 (pp. 31, 43,
# 68, 82, 99); its summary (内容提要) restates them as findings 1-12 (finding 6 = key points 3.1 and 3.2).
KEY_POINTS = {"1": 3, "2": 2, "3": 2, "4": 2, "5": 4}
SUMMARY_TO_KEY_POINT = {"sum-01": "kp-1-1", "sum-02": "kp-1-2", "sum-03": "kp-1-3", "sum-04": "kp-2-1",
                        "sum-05": "kp-2-2", "sum-06a": "kp-3-1", "sum-06b": "kp-3-2", "sum-07": "kp-4-1",
                        "sum-08": "kp-4-2", "sum-09": "kp-5-1", "sum-10": "kp-5-2", "sum-11": "kp-5-3",
                        "sum-12": "kp-5-4"}
PAGES = {1: "01_concepts", 2: "02_landscape", 3: "03_micro_mechanisms", 4: "04_industry_insights",
         6: "06_recommendations"}


def _row(**changes):
    row = {"id": "kp-9-1", "chapter": "5", "section": "5(三)", "page": "99", "quote_zh": "一句话。",
           "claim_en": "One sentence.", "kind": "judgement", "verdict": "not tested by the book",
           "evidence": "sec-5-audit", "ledger_ids": "", "verdict_note": "", "verdict_note_zh": ""}
    row.update(changes)
    return pd.DataFrame([row], columns=claims.COLUMNS)


# ----------------------------------------------------------------------------- known answers
def test_sentences_counts_chinese_full_stops():
    assert claims.sentences("一句话。") == 1
    assert claims.sentences("第一句。第二句；还是第二句。") == 2
    assert claims.sentences("没有句号的一句") == 1
    assert claims.sentences("一。二。三。") == 3


def test_display_labels_hide_the_ids():
    assert claims.display_label("sum-09") == "Finding 9 · 观点9"
    assert claims.display_label("sum-06b") == "Finding 6b · 观点6b"
    assert claims.display_label("sum-def-3") == "Definition 3 · 定义3"
    assert claims.display_label("kp-5-4") == "Key point 5.4 · 观点4"
    assert claims.display_label("ch5-moran-trend", "5(二)1", "93") == "Section 5(二)1, p. 93"


@pytest.mark.parametrize("bad, message", [
    (dict(verdict="confirmed"), "is not one of"),
    (dict(kind="empirical"), "is not one of"),
    (dict(verdict="contradicted on open data"), "needs a verdict_note"),
    (dict(verdict="not checkable without the report's data"), "needs a verdict_note"),
    (dict(quote_zh="一。二。三。"), "more than two sentences"),
    (dict(verdict_note="A choice of terms."), "both be given or both be empty"),
    (dict(verdict_note_zh="术语选择。"), "both be given or both be empty"),
    (dict(ledger_ids="T9-9.nothing"), "not in data/published/report_values.csv"),
    (dict(evidence="figure one"), "are not fig-/tbl-/sec-/ch-/app- labels"),
    (dict(id="claim 1"), "id must look like"),
    (dict(chapter="7"), "is not 1-6"),
])
def test_validate_names_the_file_and_the_fault(bad, message):
    with pytest.raises(claims.ClaimsError, match=message) as err:
        claims.validate(_row(**bad), published_ids=set(ledger.published().index))
    assert "claims.csv" in str(err.value)


def test_validate_rejects_other_columns():
    with pytest.raises(claims.ClaimsError, match="columns must be exactly"):
        claims.validate(_row().drop(columns=["verdict_note"]))


def test_ledger_problems_hold_reproduced_claims_to_their_ledger_rows():
    comparison = pd.DataFrame({"published_id": ["A", "B", "C"],
                               "status": ["reproduced", "explained difference", "matches by construction"]})
    ok = _row(kind="quantitative", verdict="reproduced", ledger_ids="A")
    off = _row(kind="quantitative", verdict="reproduced", ledger_ids="A;B")
    none = _row(kind="quantitative", verdict="reproduced", ledger_ids="")
    built = _row(kind="quantitative", verdict="matches by construction", ledger_ids="C")
    built_off = _row(kind="quantitative", verdict="matches by construction", ledger_ids="A")
    qualitative = _row(kind="qualitative-empirical", verdict="reproduced", ledger_ids="B")
    forecast = _row(kind="forecast", verdict="not tested by the book", ledger_ids="A",
                    verdict_note="The book's paths are calibrated to it.",
                    verdict_note_zh="本书的路径据此校准。")
    missing = _row(ledger_ids="Z")
    assert claims.ledger_problems(ok, comparison) == []
    assert claims.ledger_problems(built, comparison) == []
    assert claims.ledger_problems(qualitative, comparison) == []  # a sign or direction: the values may differ
    assert "explained difference" in claims.ledger_problems(off, comparison)[0]
    assert "names no ledger rows" in claims.ledger_problems(none, comparison)[0]
    assert "by construction" in claims.ledger_problems(built_off, comparison)[0]   # reproduced is not built in
    assert "cannot be reproduced" in claims.ledger_problems(forecast, comparison)[0]
    assert "not in the comparison" in claims.ledger_problems(missing, comparison)[0]


def test_a_claim_resting_on_a_match_on_a_substitute_is_not_reproduced():
    comparison = pd.DataFrame({"published_id": ["A", "S"], "status": ["reproduced", "matches on a substitute"]})
    for kind in ("quantitative", "qualitative-empirical"):
        row = _row(kind=kind, verdict="reproduced", ledger_ids="A;S")
        assert any("match only on a substitute" in p for p in claims.ledger_problems(row, comparison)), kind
    unchecked = _row(kind="qualitative-empirical", verdict="not checkable without the report's data", ledger_ids="S",
                     verdict_note="The substitute agrees, which cannot confirm the report's index.",
                     verdict_note_zh="替代指数结论一致，但不能证实报告的指数。")
    assert claims.ledger_problems(unchecked, comparison) == []


def test_a_forecast_may_be_contradicted_by_its_outturn_but_never_reproduced():
    assert claims.admits("forecast", claims.CONTRADICTED)
    assert not claims.admits("forecast", claims.REPRODUCED) and not claims.admits("forecast", claims.BY_CONSTRUCTION)


# ----------------------------------------------------------------------------- the verdict rules as code
@pytest.mark.parametrize("kind, verdict", [
    ("forecast", "reproduced"), ("forecast", "matches by construction"), ("judgement", "reproduced"),
    ("judgement", "not checkable without the report's data"), ("definition", "reproduced"),
    ("recommendation", "contradicted on open data"), ("qualitative-empirical", "matches by construction"),
    ("qualitative-empirical", "not tested by the book"), ("quantitative", "not tested by the book"),
])
def test_a_verdict_the_kind_does_not_admit_is_refused(kind, verdict):
    row = _row(kind=kind, verdict=verdict, verdict_note="Some reason long enough to pass the note rule.")
    assert not claims.admits(kind, verdict)
    with pytest.raises(claims.ClaimsError, match=f"a {kind} claim cannot be") as err:
        claims.validate(row, published_ids=set(ledger.published().index))
    assert "kp-9-1" in str(err.value) and "appendices/claims.md" in str(err.value)


def test_every_kind_admits_not_tested_or_a_tested_verdict_and_nothing_reads_reproduced_unless_tested():
    assert set(claims.ADMITTED) == set(claims.KINDS)
    for kind in ("definition", "forecast", "recommendation", "judgement"):
        assert claims.REPRODUCED not in claims.ADMITTED[kind] and claims.BY_CONSTRUCTION not in claims.ADMITTED[kind]
    assert not any("reproduced" in v for v in claims.VERDICTS if v != claims.REPRODUCED)  # no 'reproduced by …'


def test_a_forecast_with_ledger_rows_says_it_is_calibrated():
    row = _row(kind="forecast", ledger_ids="X5.forecast.share_gdp.2035.baseline", verdict_note="A forecast.")
    assert "calibrated" in claims.rule_problems(row)[0]
    assert claims.rule_problems(row.assign(verdict_note="The book's paths are calibrated to it.",
                    verdict_note_zh="本书的路径据此校准。")) == []


def test_a_forbidden_pair_planted_in_a_copy_of_the_ledger_stops_the_check(tmp_path):
    """The build's first check (claims.check, run at builder-inited) refuses a copy of claims.csv in which the
    2035 forecast is marked reproduced, naming the file and the claim."""
    text = paths.DATA.joinpath("published", "claims.csv").read_text(encoding="utf-8")
    planted = re.sub(r"^(sum-10,.*?,forecast,)not tested by the book,", r"\1reproduced,", text, count=1, flags=re.M)
    assert planted != text
    copy = tmp_path / "claims.csv"
    copy.write_text(planted, encoding="utf-8")
    claims.check(paths.DATA / "published" / "claims.csv")          # the real ledger keeps the rules
    with pytest.raises(claims.ClaimsError, match=r"sum-10: a forecast claim cannot be 'reproduced'") as err:
        claims.check(copy)
    assert str(copy) in str(err.value)


def test_the_build_hook_stops_on_a_broken_rule_with_one_message(tmp_path, monkeypatch, capsys):
    bad = pd.concat([FRAME, _row(kind="forecast", verdict="reproduced")], ignore_index=True)
    copy = tmp_path / "claims.csv"
    bad.to_csv(copy, index=False)
    monkeypatch.setattr(claims, "CLAIMS", copy)
    monkeypatch.setattr(claims.check, "__defaults__", (copy,))
    with pytest.raises(SystemExit):
        claims.on_builder_inited(None)
    err = capsys.readouterr().err
    assert "kp-9-1: a forecast claim cannot be 'reproduced'" in err and "Traceback" not in err


def test_the_schema_x_rules_agree_with_the_rules_in_code():
    """data/schemas/claims.yaml states the same admitted pairs as claims.ADMITTED (checked on every pair)."""
    import simpleeval
    import yaml

    schema = yaml.safe_load(paths.DATA.joinpath("schemas", "claims.yaml").read_text(encoding="utf-8"))
    rules = [r["formula"] for r in schema["x-rules"] if r["kind"] == "formula" and r["fields"] == ["kind", "verdict"]]
    assert rules
    for kind in claims.KINDS:
        for verdict in claims.VERDICTS:
            evaluator = simpleeval.EvalWithCompoundTypes(names={"kind": kind, "verdict": verdict})
            assert all(evaluator.eval(f) for f in rules) == claims.admits(kind, verdict), (kind, verdict)


def test_the_verdicts_the_issue_questioned_follow_the_rules():
    by_id = FRAME.set_index("id")
    for cid in ("sum-10", "kp-5-2"):
        assert by_id.at[cid, "kind"] == "forecast" and by_id.at[cid, "verdict"] == claims.NOT_TESTED
        assert "calibrated" in by_id.at[cid, "verdict_note"]
    for cid in ("sum-06b", "kp-3-2", "sum-04", "kp-2-1"):
        assert by_id.at[cid, "kind"] == "judgement" and by_id.at[cid, "verdict"] == claims.NOT_TESTED
    assert by_id.at["ch5-peers", "verdict"] == claims.CONTRADICTED and "Table 5-2" in by_id.at["ch5-peers", "verdict_note"]
    assert by_id.at["ch5-growth-2020", "verdict"] == claims.CONTRADICTED
    assert by_id.at["ch5-employment-changes", "verdict"] == claims.NOT_CHECKABLE
    assert by_id.at["ch5-central-west", "verdict"] == claims.NOT_CHECKABLE


def test_identical_english_on_different_chinese_fails():
    same = pd.concat([_row(id="sum-05", quote_zh="没有一家具备所有的能力。", claim_en="No firm can do it all."),
                      _row(id="kp-2-9", quote_zh="没有一家企业具备打通所有产业的能力。", claim_en="No firm can  do it all.")],
                     ignore_index=True)
    assert "the same English for different Chinese" in claims.shared_renderings(same)[0]
    with pytest.raises(claims.ClaimsError, match=r"\['kp-2-9', 'sum-05'\]: the same English"):
        claims.validate(same, published_ids=set(ledger.published().index))
    identical = same.assign(quote_zh="没有一家具备所有的能力。")
    assert claims.shared_renderings(identical) == []          # the same words may keep the same rendering
    assert claims.shared_renderings(FRAME) == []


def test_renderings_keep_the_words_the_issue_named():
    en = FRAME.set_index("id")["claim_en"]
    assert "increasingly important" in en["kp-5-1"] and "increasingly" not in en["sum-09"]   # 越来越
    assert "at the present stage" in en["kp-5-3"] and "clearly positive" in en["kp-5-3"]      # 在现阶段, 明显
    assert "new ones" not in en["kp-5-3"]
    assert en["kp-5-4"].startswith("Spatial econometric") and en["sum-12"].startswith("Economic-geography")
    assert "all the capabilities" in en["kp-2-1"] and "connect all industries" in en["sum-04"]
    assert "trust" in en["sum-06a"] and "trust in common" in en["kp-3-1"] and "can share" not in en["sum-06a"]


def test_summary_counts_by_chapter_and_verdict():
    frame = pd.concat([_row(id="sum-01", chapter="1"), _row(id="kp-1-1", chapter="1"),
                       _row(id="kp-1-2", chapter="1", verdict="reproduced")], ignore_index=True)
    out = claims.summary(frame)
    assert list(out.columns) == ["chapter", "verdict", "count"]
    assert out.values.tolist() == [["1", "reproduced", 1], ["1", "not tested by the book", 1],
                                   ["summary", "not tested by the book", 1]]


# ----------------------------------------------------------------------------- the ledger itself
def test_every_claim_has_a_verdict_and_kind_from_the_lists():
    assert set(FRAME["verdict"]) <= set(claims.VERDICTS)
    assert set(FRAME["kind"]) <= set(claims.KINDS)
    for _, row in FRAME[FRAME["verdict"].isin(claims.NOTE_REQUIRED)].iterrows():
        assert len(row["verdict_note"]) > 40, row["id"]  # says which data or which substitute


def test_every_quote_is_the_reports_wording():
    text = report_text()
    for _, row in FRAME.iterrows():
        assert squeeze(row["quote_zh"]) in text, row["id"]
        assert claims.sentences(row["quote_zh"]) <= 2, row["id"]


def test_ledger_ids_exist_in_the_values_ledger():
    published = set(ledger.published().index)
    for _, row in FRAME.iterrows():
        assert set(claims.split(row["ledger_ids"])) <= published, row["id"]


def test_the_summary_and_every_chapters_key_points_are_covered():
    ids = set(FRAME["id"])
    assert set(SUMMARY_TO_KEY_POINT) <= ids and {"sum-def-3", "sum-def-5"} <= ids
    assert {f"sum-policy-{n}" for n in (1, 2, 3)} <= ids
    for chapter, n in KEY_POINTS.items():
        assert claims.select(FRAME, chapter)["id"].tolist() == [f"kp-{chapter}-{i}" for i in range(1, n + 1)]
    assert len(claims.select(FRAME, 5, "conclusions")) >= 10


def test_a_summary_finding_and_its_key_point_get_the_same_verdict():
    verdict = FRAME.set_index("id")["verdict"]
    for summary_id, key_point in SUMMARY_TO_KEY_POINT.items():
        assert verdict[summary_id] == verdict[key_point], summary_id


def test_the_matthew_effect_is_contradicted_on_the_named_substitute():
    row = FRAME.set_index("id").loc["kp-5-4"]
    assert row["verdict"] == "contradicted on open data" and "PKU-DFIIC" in row["verdict_note"]
    assert "tbl-5-4" in claims.split(row["evidence"])


def test_notes_type_no_computed_numbers():
    """Notes point to tables; a computed number on a page must be glued, not typed."""
    for _, row in FRAME.iterrows():
        assert not re.search(r"\d\.\d", row["verdict_note"]), row["id"]


def test_recommendations_carry_the_verdicts_of_their_claims():
    recs = tables.recommendations()
    out = claims.recommendation_verdicts(recs, FRAME)
    assert (recs["claims"].str.len() > 0).all()
    by_rec = out.set_index(recs["actor"] + recs["number"].astype(str))
    assert by_rec.at["government6", "caveat"].startswith("Contradicted on open data: Key point 5.4")
    assert "Not checkable without the report's data" in by_rec.at["core_firms9", "caveat"]
    assert by_rec.at["government1", "caveat"] == ""      # rests on a definition and a term: nothing to flag
    verdict = FRAME.set_index("id")["verdict"]
    for cell, caveat in zip(recs["claims"], out["caveat"]):
        flagged = {verdict[c] for c in claims.split(cell)} & set(claims.NOTE_REQUIRED)
        assert bool(caveat) == bool(flagged), cell


# ----------------------------------------------------------------------------- chapters
def _source(page):
    return (paths.ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", [1, 2, 3, 4])
def test_chapters_open_with_their_key_points(chapter):
    text = _source(PAGES[chapter])
    first_section = text.split("\n## ")[1]
    assert first_section.startswith("Key points") and f"```{{report-claims}}\n:chapter: {chapter}\n```" in first_section
    assert f"(sec-{chapter}-keypoints)=\n## Key points" in text
    assert ":::{admonition} Key points" not in text    # no typed verdicts or key points left


def test_chapter_1_quotes_the_five_definitions():
    text = _source(PAGES[1])
    section = text.split("(sec-1-report-definitions)=")[1].split("\n(sec-")[0]
    quotes = re.findall(r"^> (.+)$", section, flags=re.M)
    assert len(quotes) == 5
    report = report_text()
    for n, quote in enumerate(quotes, start=1):
        assert squeeze(quote) in report, f"definition {n}"
    for n in range(1, 6):
        assert f"**Definition {n} · 定义{n}" in section
    assert section.count("*How the book uses it.*") == 5
    assert section.count("{numref}`fig-1-2`") >= 4


@pytest.mark.parametrize("page", sorted(PAGES.values()))
def test_code_cells_are_short_commented_and_shown_collapsed(page):
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", _source(page), flags=re.S)
    assert cells
    for cell in cells:
        lines = cell.splitlines()
        tags = " ".join(line for line in lines if line.startswith(":tags:"))
        code = [line for line in lines if line.strip() and not line.startswith(":")]
        assert len(code) <= 15, code[0]
        assert "hide-input" in tags or "remove-cell" in tags, code[0]
        if "hide-input" in tags:
            assert code[0].startswith("# "), code[0]
        else:  # plumbing only: imports, published values, ledger records and their inputs
            assert not re.search(r"charts\.figure|glue_figure|glue_table|glue_all", cell), code[0]


# ----------------------------------------------------------------------------- the directive in a small project
def test_directive_renders_chapter_5_key_points_in_a_small_sphinx_project(tmp_path):
    (tmp_path / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(paths.ROOT)!r})\n"
                                      "extensions = ['lib.ledger.claims']\n", encoding="utf-8")
    (tmp_path / "index.rst").write_text(textwrap.dedent("""\
        Test
        ====

        .. report-claims::
           :chapter: 5

        .. report-claims::
           :source: summary
        """), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(tmp_path), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for quote in claims.select(FRAME, 5)["quote_zh"]:
        assert quote[:20] in html
    assert "key points for chapter 5 (本章观点凝练)" in html
    assert html.count("contradicted on open data") >= 2       # key point 5.4 and finding 12
    assert (tmp_path / "out").parent.joinpath("results", "claims_summary.csv").exists()
    # the evidence labels are cross-references: unresolved here (no chapters), so Sphinx warns about each
    assert "undefined label" in result.stderr or "undefined label" in result.stdout


# ----------------------------------------------------------------------------- the built book
def _built(book):
    if not (book.html / "index.html").exists():
        result = book.build()
        assert result.returncode == 0, result.stderr[-3000:]
    return book


@pytest.mark.build
def test_evidence_labels_exist_in_the_built_book(book):
    from sphinx.util.inventory import InventoryFile

    with open(_built(book).html / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    labels = set(inventory.get("std:label", {}))
    for _, row in FRAME.iterrows():
        missing = set(claims.split(row["evidence"])) - labels
        assert not missing, (row["id"], missing)


@pytest.mark.build
def test_the_built_values_ledger_keeps_its_status_rules(book):
    """Reproduced rows name their basis; substitute matches are not reproduced; every explained difference has its
    own text with its own numbers (one text per table and quantity)."""
    comparison = pd.read_csv(_built(book).root / "_build" / "results" / "comparison.csv", keep_default_na=False)
    status = comparison.set_index("published_id")["status"]
    reproduced = comparison[comparison["status"] == ledger.REPRODUCED]
    assert len(reproduced) and (reproduced["basis"].str.strip() != "").all()
    assert (comparison.loc[comparison["status"] != ledger.REPRODUCED, "basis"] == "").all()
    for pid in ("T5-3.levels.r2", "T5-4.2017.p", "T5-4.2018.p", "T5-4.2019.p"):
        assert status[pid] == ledger.SUBSTITUTE, pid
    assert status["T2-1.platforms"] == ledger.BY_CONSTRUCTION
    assert status["T5-5.w_trade_gdp"] != ledger.EXPLAINED and status["T5-5.w_trade_gdp_t"] != ledger.EXPLAINED
    assert ledger.shared_explanations(comparison) == []
    explained = comparison[comparison["status"] == ledger.EXPLAINED]
    assert explained["explanation"].str.contains(r"\d").all()             # its own numbers
    assert not explained["explanation"].str.contains("in 2021 76%").any()
    why = explained.set_index("published_id")["explanation"]
    assert "100 million yuan" in why["T5-3.diff.gamma"] and "100 million yuan" in why["T5-3.diff.gamma_se"]
    assert "copying error" in why["T5-3.diff.beta_se"]
    for pid in why.index[why.index.str.match(r"^(T5-1|T5-2\.tsinghua|X5)\.") & why.index.str.contains("2019|2020")]:
        assert "2021" not in why[pid], pid                                   # a year's row cites its own year


@pytest.mark.build
def test_verdicts_agree_with_the_built_values_ledger(book):
    comparison = pd.read_csv(_built(book).root / "_build" / "results" / "comparison.csv", keep_default_na=False)
    assert claims.ledger_problems(FRAME, comparison) == []
    status = comparison.set_index("published_id")["status"]
    for _, row in FRAME[(FRAME["kind"] == "quantitative") & (FRAME["verdict"] == "reproduced")].iterrows():
        assert all(status[pid] == "reproduced" for pid in claims.split(row["ledger_ids"])), row["id"]


@pytest.mark.build
def test_claims_summary_is_written(book):
    out = pd.read_csv(_built(book).root / "_build" / "results" / "claims_summary.csv", dtype=str)
    assert list(out.columns) == ["chapter", "verdict", "count"]
    assert out["count"].astype(int).sum() == len(FRAME)
    assert set(out["verdict"]) <= set(claims.VERDICTS)


@pytest.mark.build
def test_front_page_shows_the_findings_with_verdicts_and_links(book):
    html = (_built(book).html / "index.html").read_text(encoding="utf-8")
    summary = claims.select(FRAME, source="summary")
    for _, row in summary.iterrows():
        assert row["quote_zh"][:15] in html, row["id"]
    assert html.count('class="claim-verdict"') == len(summary)
    assert 'href="chapters/05b_employment_geography.html#tbl-5-4"' in html
    page = (book.html / "chapters" / "06_recommendations.html").read_text(encoding="utf-8")
    assert "Contradicted on open data: Key point 5.4" in page


def test_a_claims_chinese_label_is_the_reports_numbering():
    """Issue 24: the Chinese pages name a conclusion of chapter 5's text by the report's own section, not by the
    English label ('Section 5(二)1, p. 93')."""
    label = claims.display_label("ch5-moran-rises", "5(二)1", "93")
    assert label == "Section 5(二)1, p. 93"
    assert claims.zh_label("ch5-moran-rises", label) == "第五章（二）1，第93页"
    assert claims.zh_label("ch5-x", claims.display_label("ch5-x", "5(一)2", "")) == "第五章（一）2"
    assert claims.zh_label("kp-5-3", claims.display_label("kp-5-3")) == "第五章观点3"
