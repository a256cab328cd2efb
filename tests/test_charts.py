"""House style: the Chinese font is found and tables glue as JSON."""
import json

import pytest

from matplotlib import font_manager

from lib import charts


def test_cjk_font_is_used():
    path = font_manager.findfont(font_manager.FontProperties(family=charts.CJK_FAMILY), fallback_to_default=False)
    assert "NotoSansCJK" in path


def test_chinese_text_renders_without_missing_glyphs(recwarn):
    fig, ax = charts.figure()
    ax.set_title("图5-1 产业互联网的实际增加值规模和增速")
    fig.canvas.draw()
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_table_payload_round_trips():
    import pandas as pd
    payload = json.loads(repr(charts._TablePayload(pd.DataFrame({"a": [1.23456, float("nan")], "b": ["x", "图"]}), 2)))
    assert payload == {"columns": ["a", "b"], "rows": [["1.23", "x"], ["", "图"]]}


def test_role_colors_and_year_axis():
    import matplotlib.pyplot as plt
    from lib import charts

    assert charts.role_color("report") != charts.role_color("book")
    with pytest.raises(KeyError, match="unknown colour role"):
        charts.role_color("nonsense")
    fig, ax = plt.subplots()
    ax.plot([2007, 2016], [1, 2])
    charts.year_axis(ax)
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 2007 <= t <= 2016]
    assert ticks and all(float(t).is_integer() for t in ticks)
    plt.close(fig)
