"""Issue 12 part 4: every diagram figure fits — one width, one font scale, no text outside its box or the canvas,
no text over other text, no line or outline through text (extents from matplotlib's renderer)."""
import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyBboxPatch, Rectangle

from lib.present import diagrams

SPECS = diagrams.load_specs()


@pytest.mark.parametrize("label", sorted(SPECS))
def test_every_figure_fits(label):
    fig = diagrams.draw(SPECS[label])
    try:
        assert tuple(fig.get_size_inches())[0] == pytest.approx(diagrams.WIDTH)
        problems = diagrams.layout_problems(fig)
        assert not problems, f"{label}: " + "; ".join(problems)
    finally:
        plt.close(fig)


def _fig_with(*artists_and_texts):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6)
    return fig, ax


def test_the_checker_finds_text_that_spills_out_of_its_box():
    fig, ax = _fig_with()
    box = FancyBboxPatch((4, 2.5), 1, 1)
    ax.add_patch(box)
    text = ax.text(4.5, 3, "a label much wider than its box", ha="center", va="center", fontsize=8)
    text.container = box
    problems = diagrams.layout_problems(fig)
    plt.close(fig)
    assert any("leaves its box" in p for p in problems)
    assert any("crossed by a FancyBboxPatch" in p for p in problems)  # the outline strikes the text through


def test_the_checker_finds_overlaps_small_text_and_text_off_the_canvas():
    fig, ax = _fig_with()
    ax.text(5, 3, "first label", fontsize=8)
    ax.text(5.2, 3.05, "second label", fontsize=8)
    ax.text(9.5, 5.5, "runs off the right edge of the canvas", fontsize=8)
    ax.text(1, 1, "tiny", fontsize=5)
    problems = diagrams.layout_problems(fig)
    plt.close(fig)
    assert any("overlaps" in p for p in problems)
    assert any("leaves the canvas" in p for p in problems)
    assert any("below 7.0 pt" in p for p in problems)


def test_the_checker_accepts_text_inside_a_box_and_a_tint_without_outline():
    fig, ax = _fig_with()
    box = Rectangle((2, 2), 6, 2)
    ax.add_patch(box)
    ax.add_patch(Rectangle((4, 0), 6, 6, lw=0, fc="#eeeeee"))
    text = ax.text(5, 3, "fits", ha="center", va="center", fontsize=8)
    text.container = box
    problems = diagrams.layout_problems(fig)
    plt.close(fig)
    assert not problems


def test_box_text_is_measured_and_the_box_grown_to_fit():
    spec = {"label": "fig-9-9", "kind": "boxes", "height": 3.0,
            "nodes": {"a": {"text": "a long label that cannot fit a small box at seven points", "at": [5, 3],
                            "w": 1.0, "h": 0.5, "support": "stated"}}}
    fig = diagrams.draw(spec)
    try:
        patch = fig.axes[0].patches[0]
        text = next(t for t in fig.axes[0].texts if t.get_text().startswith("a long"))
        assert text.get_fontsize() == diagrams.MIN_FONT  # shrunk first, to the floor
        assert patch.get_width() > 1.0  # then the box grew
        assert not diagrams.layout_problems(fig)
    finally:
        plt.close(fig)


def test_figure_2_11_fits_with_the_numbers_chapter_2_adds():
    """Chapter 2 adds published numbers under three platforms (as long as these, from the published ledger)."""
    notes = {"新昌-陀曼 Xinchang-Tuoman (bearings)": "1,000+ firms, 10,000+ devices",
             "腾讯 WeMake Tencent WeMake": "10,000+ firms, 10 industries, 10+ regions",
             "海尔卡奥斯 Haier COSMOPlat": "10 factories, 10 sub-industries,\n100 m users, 1,000 thousand firms"}
    fig = diagrams.draw(SPECS["fig-2-11"], notes=notes)
    try:
        assert not diagrams.layout_problems(fig)
    finally:
        plt.close(fig)


RADARS = sorted(label for label, spec in SPECS.items() if spec["kind"] == "radar")


@pytest.mark.parametrize("label", RADARS)
def test_radar_labels_stand_outside_the_ring_with_clearance(label):
    """Issue 22: every dimension label of a radar chart keeps clear of the outer ring and of the markers on it."""
    import numpy as np

    fig = diagrams.draw(SPECS[label])
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        polar = next(ax for ax in fig.axes if ax.name == "polar")
        top = polar.get_ylim()[1]
        centre = polar.transData.transform((0, 0))
        ring = np.hypot(*(polar.transData.transform((0, top)) - centre))
        marker = np.sqrt(28) / 2 * fig.dpi / 72 + 1.5   # a marker's radius and its edge
        labels = [t for t in polar.texts if t.get_text().strip()]
        assert len(labels) == len(SPECS[label]["dimensions"])
        for t in labels:
            bb = t.get_window_extent(renderer)
            nearest = (np.clip(centre[0], bb.x0, bb.x1), np.clip(centre[1], bb.y0, bb.y1))
            gap = np.hypot(*(np.array(nearest) - centre)) - ring
            assert gap >= marker + 2, f"{label}: {t.get_text()!r} is {gap:.1f} px from the ring"
    finally:
        plt.close(fig)


def test_the_radar_clearance_check_fails_on_a_planted_collision(monkeypatch):
    monkeypatch.setattr(diagrams, "RADAR_CLEARANCE", 0.0)
    with pytest.raises(AssertionError, match="from the ring"):
        test_radar_labels_stand_outside_the_ring_with_clearance(RADARS[0])
