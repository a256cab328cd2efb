"""Issue 9 part 5: every coded score, position and diagram element says whether the report states it, the editors
infer it (by a written rule) or the editors add it (and why); figures draw the three differently."""
import re

import matplotlib.pyplot as plt
import pytest

from lib.inputs import paths
from lib.present import diagrams

SPECS = diagrams.load_specs()
README = (paths.DATA / "coded" / "README.md").read_text(encoding="utf-8")
FIGURES_README = (paths.DATA / "figures" / "README.md").read_text(encoding="utf-8")
SCORE_RULES = {"W", "R1", "R2", "R3", "R4", "R5", "R6"}


def test_every_score_and_position_has_a_valid_support_and_a_documented_rule():
    for frame, rules in [(diagrams.coded_scores(), SCORE_RULES), (diagrams.coded_positions(), {"L", "P1"})]:
        assert frame["support"].isin(["stated", "inferred"]).all()  # nothing coded is without a passage
        assert set(frame["rule"]) <= rules
        assert ((frame["support"] == "stated") == frame["rule"].isin(["W", "L"])).all()
        for rule in set(frame["rule"]):
            assert f"`{rule}`" in README, f"rule {rule} is not written in data/coded/README.md"


def test_the_word_scale_is_applied_the_same_way_to_every_score():
    """Each rule of data/coded/README.md recomputed from the quote (and, for R1, from the compared series)."""
    scores = diagrams.coded_scores()
    by_key = scores.set_index(["figure", "series", "dimension"])["score"]
    for _, row in scores.iterrows():
        levels = diagrams.scale_levels(row["quote"])
        where = (row["figure"], row["series"], row["dimension"], row["quote"])
        if row["rule"] in ("W", "R4"):
            assert levels and row["score"] == max(levels), where
        elif row["rule"] == "R1":
            assert row["score"] == by_key[row["figure"], "China", row["dimension"]] + 1, where
        elif row["rule"] == "R2":
            assert row["score"] == 3 and not levels, where
        elif row["rule"] == "R3":
            assert row["score"] == 5, where
        elif row["rule"] == "R5":
            assert len(set(levels)) >= 2 and row["score"] == round(sum(levels) / len(levels)), where
        elif row["rule"] == "R6":
            assert row["score"] == 2 and not levels, where


def test_scale_levels_match_longest_words_first():
    assert diagrams.scale_levels("在其他四个方面则没有明显的短板") == [3]
    assert diagrams.scale_levels("OT 技术和产业生态层面也较为强大") == [4]
    assert diagrams.scale_levels("在OT技术层面则有着明显的短板") == [1]
    assert diagrams.scale_levels("具有很强的竞争优势") == [5, 4]


@pytest.mark.parametrize("label", sorted(l for l, s in SPECS.items() if s["kind"] not in diagrams.CODED_KINDS)
                         + ["fig-3-1", "fig-4-1"])
def test_every_diagram_element_has_a_valid_support(label):
    spec = SPECS[label]
    found = diagrams.elements(spec)
    assert found or spec["kind"] in diagrams.CODED_KINDS
    for element_id, element in found:
        support = diagrams.support_of(spec, element_id, element)  # raises on a missing or unknown value
        if support == "added":
            assert len(element["why"]) > 20, (label, element_id)
        if support == "inferred":
            rule = element.get("rule")
            assert rule and f"`{rule}`" in FIGURES_README, (label, element_id, rule)


def test_a_missing_or_unknown_support_is_refused():
    spec = {"label": "fig-9-9", "kind": "boxes", "nodes": {"a": {"text": "A", "at": [1, 1]}}}
    with pytest.raises(diagrams.SpecError, match="support None"):
        diagrams.draw(spec)
    spec["nodes"]["a"]["support"] = "guessed"
    with pytest.raises(diagrams.SpecError, match="'guessed'"):
        diagrams.draw(spec)
    spec["nodes"]["a"]["support"] = "added"
    with pytest.raises(diagrams.SpecError, match="no 'why'"):
        diagrams.draw(spec)
    plt.close("all")


def _tagged(fig):
    out = {}
    for artist in fig.findobj(lambda a: isinstance(a.get_gid(), str) and "|" in a.get_gid()):
        support, element_id = artist.get_gid().split("|", 1)
        out[element_id] = (support, artist)
    return out


@pytest.mark.parametrize("label", sorted(SPECS))
def test_inferred_and_added_elements_are_drawn_distinctly(label):
    """Stated: solid outline or filled marker; inferred: dashed outline or hollow marker; added: dotted or hatched.
    Every element (and every coded score or position) of the spec is drawn and tagged."""
    spec = SPECS[label]
    fig = diagrams.draw(spec)
    try:
        tagged = _tagged(fig)
        for element_id, (support, artist) in tagged.items():
            assert diagrams.drawn_style(artist) in diagrams.STYLES[support], (label, element_id, support)
        expected = {element_id for element_id, _ in diagrams.elements(spec)}
        if spec["kind"] in ("radar", "matrix"):
            expected |= {f"score:{s}:{d}" for s in spec["series"] for d in spec["dimensions"]}
        if spec["kind"] == "positions":
            expected |= {f"position:{i}" for i in diagrams.coded_positions().query("figure == @label")["item"]}
        assert set(tagged) == expected
        supports = {support for support, _ in tagged.values()}
        legend = " ".join(t.get_text() for lg in fig.legends for t in lg.get_texts())
        for support in supports - {"stated"}:
            assert diagrams.SUPPORT_LABELS[support] in legend, (label, support)
    finally:
        plt.close(fig)


CAPTION_SENTENCE = re.compile(r"(dashed|hollow|hatched|editors' (reading|addition))", re.I)


def test_captions_of_figures_with_inferred_or_added_elements_say_so():
    chapters = "\n".join(p.read_text(encoding="utf-8") for p in sorted((paths.ROOT / "chapters").glob("0[1-4]*.md")))
    scores, positions = diagrams.coded_scores(), diagrams.coded_positions()
    for label, spec in SPECS.items():
        supports = {diagrams.support_of(spec, i, e) for i, e in diagrams.elements(spec)}
        sources = spec.get("scores_from", [label])
        supports |= set(scores[scores["figure"].isin(sources if isinstance(sources, list) else [sources])]["support"])
        supports |= set(positions[positions["figure"] == label]["support"])
        if supports - {"stated"}:
            block = re.search(r"```\{glue:figure\} " + re.escape(label) + r"\n(.*?)```", chapters, re.S)
            assert block, f"{label} has no glued figure block in chapters 1-4"
            assert CAPTION_SENTENCE.search(block[1]), f"the caption of {label} does not say what is not stated"
