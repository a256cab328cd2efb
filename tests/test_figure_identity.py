"""Issue 22: a recurring firm or economy has one colour in every figure that draws it (charts.ACTOR_COLORS)."""
import matplotlib.pyplot as plt
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

from lib.present import charts, diagrams

SPECS = diagrams.load_specs()


def _actor_colours() -> dict:
    """{actor: {(figure, colour)}} read from the drawn artists: radar polygons (by their legend label or series),
    matrix and position markers (by the element id each carries)."""
    seen = {}
    for label, spec in SPECS.items():
        if spec["kind"] not in ("radar", "matrix", "positions"):
            continue
        fig = diagrams.draw(spec)
        try:
            labels = {v: k for k, v in spec.get("series_labels", {}).items()}
            for artist in fig.findobj():
                gid = artist.get_gid() if hasattr(artist, "get_gid") else None
                if isinstance(artist, Line2D) and not gid:
                    name = labels.get(artist.get_label(), artist.get_label())
                    if name in spec.get("series", []):
                        actor = charts.actor_of(name) or charts.actor_of(artist.get_label())
                        colour = to_hex(artist.get_color())
                    else:
                        continue
                elif gid and ("|score:" in gid or "|position:" in gid):
                    element = gid.split("|", 1)[1]
                    name = element.split(":")[1]
                    actor = charts.actor_of(name) or charts.actor_of(spec.get("series_labels", {}).get(name, ""))
                    colour = to_hex(artist.get_edgecolor()[0])
                else:
                    continue
                if actor:
                    seen.setdefault(actor, set()).add((label, colour))
        finally:
            plt.close(fig)
    return seen


def test_each_recurring_actor_has_one_colour_across_all_figures():
    seen = _actor_colours()
    for firm in ("Tencent", "Huawei", "Haier"):   # the three firms the issue found in three colours
        figures = {f for f, _ in seen.get(firm, set())}
        assert {"fig-1-7", "fig-1-9"} <= figures, (firm, figures)
    assert {f for f, _ in seen["Tencent"]} >= {"fig-2-11", "fig-3-11"}
    assert {f for f, _ in seen["Haier"]} >= {"fig-2-11", "fig-3-15"}
    assert {f for f, _ in seen["China"]} >= {"fig-2-4", "fig-2-6", "fig-2-8"}
    for actor, uses in seen.items():
        colours = {c for _, c in uses}
        assert colours == {charts.ACTOR_COLORS[actor]}, (actor, sorted(uses))


def test_actor_colours_are_distinct_and_named_in_both_languages():
    assert len(set(charts.ACTOR_COLORS.values())) == len(charts.ACTOR_COLORS)
    assert not set(charts.ACTOR_COLORS.values()) & set(charts.ROLE_COLORS.values())
    assert charts.actor_of("海尔卡奥斯 Haier COSMOPlat") == "Haier"
    assert charts.actor_of("腾讯 WeMake") == "Tencent"
    assert charts.actor_of("Tencent and Huawei") is None   # a label naming two actors takes no actor's colour
    assert set(charts.ACTOR_NAMES) == set(charts.ACTOR_COLORS)


def test_specifications_do_not_give_actors_palette_colours():
    """A series that is an actor takes its colour from the one mapping, never from a spec's palette index."""
    for label, spec in SPECS.items():
        for name in spec.get("colors", {}) if spec["kind"] in ("radar", "matrix") else ():
            assert charts.actor_of(name) is None, (label, name)


def test_alt_text_reads_a_caption_formula_as_a_reader_would():
    """A caption's inline formula ($R_i$) becomes readable alt text (Rᵢ), never a raw LaTeX subscript."""
    from docutils import nodes

    from lib.book import figures

    caption = nodes.caption("", "", nodes.Text("draws of "), nodes.math("", "R_i"), nodes.Text(" within ranges"))
    figure = nodes.figure("", nodes.image(uri="x.png"), caption)
    assert figures.caption_text(figure) == "draws of Rᵢ within ranges"
    assert figures.caption_text(nodes.figure("", nodes.image(uri="x.png"))) == ""


def test_items_that_are_no_recurring_actor_share_one_neutral_colour():
    """Figure 2-11 (and every position chart): an item that is no recurring actor is drawn in the neutral colour, never
    in a palette colour that reads as an actor or a role."""
    for label, spec in SPECS.items():
        if spec["kind"] != "positions":
            continue
        fig = diagrams.draw(spec)
        try:
            for artist in fig.findobj():
                gid = artist.get_gid() if hasattr(artist, "get_gid") else None
                if gid and "|position:" in gid and charts.actor_of(gid.split("|position:", 1)[1]) is None:
                    assert to_hex(artist.get_edgecolor()[0]) == charts.NEUTRAL_COLOR, (label, gid)
        finally:
            plt.close(fig)
    assert charts.NEUTRAL_COLOR not in set(charts.ACTOR_COLORS.values()) | set(charts.ROLE_COLORS.values())
