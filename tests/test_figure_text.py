"""Issue 22: every figure in the page's language from one execution. The Chinese figure is the English one relabelled
from data/figure_text.csv (lib/present/figure_text.py); a text without a Chinese row stops the execution."""
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from lib.present import charts, diagrams, figure_layout, figure_text

CJK = re.compile(r"[\u3400-\u9fff]")
SPECS = diagrams.load_specs()


def test_a_text_is_looked_up_as_a_template_and_its_numbers_kept():
    assert figure_text.template("2019-2025, enlarged") == ("{0}-{1}, enlarged", ["2019", "2025"])
    assert figure_text.template("a\nb 3.5") == ("a\\nb {0}", ["3.5"])
    assert figure_text.translate("12.5") == "12.5" and figure_text.translate("中国") == "中国"
    assert figure_text.translate("data") == "数据"
    assert figure_text.translate("diagram") == "示意图"


def test_a_missing_text_stops_and_is_named(monkeypatch):
    with pytest.raises(figure_text.FigureTextMissing, match=r"no such label \{0\}"):
        figure_text.translate("no such label 7")
    fig, ax = charts.figure()
    ax.plot([1, 2], [3, 4], label="a series nobody translated")
    ax.legend()
    monkeypatch.delenv("BOOK_FIGURE_TEXT_MISSING", raising=False)
    with pytest.raises(figure_text.FigureTextMissing, match="a series nobody translated"):
        fig.canvas.draw()
        figure_text.to_chinese(fig)
    plt.close(fig)


def test_tick_labels_that_are_words_are_relabelled_and_numbers_kept():
    fig, ax = charts.figure()
    ax.bar([0, 1], [3, 4])
    ax.set_xticks([0, 1], ["data", "diagram"])
    fig.canvas.draw()
    numbers = [t.get_text() for t in ax.get_yticklabels()]
    figure_text.to_chinese(fig)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["数据", "示意图"]
    assert [t.get_text() for t in ax.get_yticklabels()] == numbers
    plt.close(fig)


def test_the_catalogue_keeps_placeholders_and_is_chinese():
    frame = pd.read_csv(figure_text.FILE, comment="#", dtype=str, keep_default_na=False)
    assert not frame["en"].duplicated().any()
    bad = []
    for en, zh in zip(frame["en"], frame["zh"]):
        if not set(re.findall(r"\{\d+\}", zh)) <= set(re.findall(r"\{\d+\}", en)):
            bad.append(f"{en!r}: {zh!r} has a placeholder the English lacks")
        zh = zh.replace("\\n", "\n")
        if figure_text.english_words(zh):
            bad.append(f"{en!r}: {zh!r} keeps English words {figure_text.english_words(zh)}")
    assert bad == []


@pytest.mark.parametrize("label", sorted(SPECS))
def test_every_diagram_is_drawn_in_chinese_and_fits(label):
    """The Chinese drawing of every specified figure: another image, Chinese text only, and the layout rules."""
    import io

    fig = diagrams.draw(SPECS[label])
    try:
        fig.canvas.draw()
        english = io.BytesIO()
        fig.savefig(english, format="png")
        figure_text.to_chinese(fig)
        texts = figure_text.figure_texts(fig)
        chinese = io.BytesIO()
        fig.savefig(chinese, format="png")
        assert english.getvalue() != chinese.getvalue()
        assert any(CJK.search(t) for t in texts)
        leftover = sorted({w for t in texts for w in figure_text.english_words(t)})
        assert leftover == [], f"{label}: English words in the Chinese figure"
        problems = figure_layout.layout_problems(fig)
        assert not problems, f"{label} (Chinese): " + "; ".join(problems)
    finally:
        plt.close(fig)


def test_the_legend_check_fails_on_a_planted_collision():
    fig, ax = charts.figure()
    ax.plot([0, 1, 2, 3], [0, 1, 2, 3], label="rising")
    ax.legend(loc="center")   # over the middle of the line
    assert any("lies over the line 'rising'" in p for p in figure_layout.layout_problems(fig))
    ax.get_legend().remove()
    charts.legend_outside(ax)
    assert figure_layout.legend_collisions(fig) == []
    ax.axvline(1.5, label="a year")
    ax.legend(loc="center")
    assert any("lies over" in p for p in figure_layout.legend_collisions(fig))
    plt.close(fig)
    fig, ax = charts.figure()
    ax.scatter([1, 2, 3], [1, 2, 3], label="points")
    ax.bar([5], [3], label="a bar")
    ax.legend(loc="upper right")
    fig.canvas.draw()
    assert any("a Rectangle" in p or "points" in p for p in figure_layout.legend_collisions(fig))
    plt.close(fig)
