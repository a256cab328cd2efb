"""lib/present/diagrams: specs load, every kind draws, coded scores are complete and justified by the report."""
import matplotlib.pyplot as plt
import pytest
from report_text import report_text, squeeze

from lib.ledger import ledger
from lib.present import diagrams

SPECS = diagrams.load_specs()


def test_specs_cover_every_report_figure_of_chapters_1_to_4():
    expected = {f"fig-{c}-{n}" for c, last in [(1, 9), (2, 11), (3, 17), (4, 3)] for n in range(1, last + 1)}
    drawn_in_chapter = {"fig-2-1"}  # drawn by the chapter's own code from the published ledger
    assert set(SPECS) | drawn_in_chapter == expected
    assert not set(SPECS) & drawn_in_chapter


@pytest.mark.parametrize("label", sorted(SPECS))
def test_every_spec_draws_with_its_stamp(label):
    fig = diagrams.draw(SPECS[label])
    try:
        stamp = fig.texts[0].get_text()
        assert stamp in ("data", "coded from the report's text", "diagram")
        coded = SPECS[label]["kind"] in ("radar", "matrix", "positions")
        assert (stamp == "coded from the report's text") == coded
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_unknown_kind_and_duplicate_labels_are_refused(tmp_path, monkeypatch):
    (tmp_path / "a.yml").write_text("fig-9-1: {kind: pie}\n", encoding="utf-8")
    monkeypatch.setattr(diagrams, "FIGURES", tmp_path)
    with pytest.raises(diagrams.SpecError, match="unknown kind"):
        diagrams.load_specs()
    (tmp_path / "a.yml").write_text("fig-9-1: {kind: boxes}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("fig-9-1: {kind: boxes}\n", encoding="utf-8")
    with pytest.raises(diagrams.SpecError, match="twice"):
        diagrams.load_specs()


def test_placeholders_are_filled_from_the_published_ledger():
    assert diagrams.fill("{F3-5.accelerator_firms:,.0f} firms") == "283 firms"  # report p. 48: 283家
    assert diagrams.fill("no placeholder {x}") == "no placeholder {x}"
    with pytest.raises(ledger.LedgerError):
        diagrams.fill("{F9-9.missing:.0f}")


def test_radar_refuses_a_missing_score():
    scores = diagrams.coded_scores()
    spec = dict(SPECS["fig-2-4"])
    with pytest.raises(diagrams.SpecError, match="no coded score"):
        diagrams.radar(spec, scores[~((scores["series"] == "China") & (scores["dimension"] == "OT"))])


def test_radar_draws_the_coded_values():
    """The polygon's radii are the scores in data/coded/scores.csv, in the spec's dimension order."""
    fig = diagrams.draw(SPECS["fig-2-4"])
    line = fig.axes[-1].lines[0]
    radii = list(line.get_ydata())[:-1]
    plt.close(fig)
    # China: CT, market, government 5 (表现优异); ecosystem, IT 3; OT 1 (明显的短板)
    assert radii == [3, 5, 1, 5, 3, 5]


def test_coded_scores_are_ordinal_complete_and_unique():
    scores = diagrams.coded_scores()
    assert scores["score"].between(1, 5).all()
    assert not scores.duplicated(["figure", "series", "dimension"]).any()
    for label, spec in SPECS.items():
        if spec["kind"] in ("radar", "matrix"):
            sources = spec.get("scores_from", [label])
            rows = scores[scores["figure"].isin(sources if isinstance(sources, list) else [sources])]
            for series in spec["series"]:
                assert set(rows[rows["series"] == series]["dimension"]) >= set(spec["dimensions"]), (label, series)


@pytest.mark.parametrize("table", ["scores", "positions"])
def test_every_coded_value_cites_a_passage_of_the_report(table):
    text = report_text()
    frame = diagrams.coded_scores() if table == "scores" else diagrams.coded_positions()
    assert frame["quote"].str.len().min() >= 8, "a quote must be a real passage, not a word"
    missing = [q for q in frame["quote"] if squeeze(q) not in text]
    assert not missing, f"quotes not found in the report: {missing}"


def test_positions_lie_on_the_figure_grid():
    positions = diagrams.coded_positions()
    for label, rows in positions.groupby("figure"):
        spec = SPECS[label]
        assert rows["x"].between(0, len(spec["xticks"]) - 1).all()
        assert rows["y"].between(0, len(spec["yticks"]) - 1).all()


def test_fig_2_11_notes_label_the_items(tmp_path):
    fig = diagrams.draw(SPECS["fig-2-11"], notes={"海尔卡奥斯 Haier COSMOPlat": "11 factories"})
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert "海尔卡奥斯 Haier COSMOPlat\n11 factories" in texts


def test_an_arrow_to_an_unknown_box_is_refused():
    spec = {"label": "fig-9-9", "kind": "boxes", "nodes": {"a": {"text": "A", "at": [1, 1], "support": "stated"}},
            "arrows": [{"from": "a", "to": "b", "support": "stated"}]}
    with pytest.raises(diagrams.SpecError, match="unknown box"):
        diagrams.draw(spec)
    plt.close("all")


def test_boxes_put_each_text_where_the_spec_says():
    spec = {"label": "fig-9-9", "kind": "boxes", "nodes": {"a": {"text": "甲 A", "at": [2, 3], "support": "stated"}}}
    fig = diagrams.draw(spec)
    texts = {t.get_text(): t.get_position() for t in fig.axes[0].texts}
    plt.close(fig)
    assert texts["甲 A"] == (2, 3)
