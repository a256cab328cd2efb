"""The book's house style for figures, and the few chart helpers the chapters share.

Importing this module applies the style. Chinese labels use Noto Sans CJK SC (Debian package
``fonts-noto-cjk``); the font is registered from its file, so a stale matplotlib font cache
(fonts installed after matplotlib first ran) does not matter.
"""
from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, Markdown
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from lib.present import comparison, figure_layout, figure_text, formatting

__all__ = ["ZH_KEY", "CJK_FAMILY", "CJK_FILES", "PALETTE", "ROLE_COLORS", "COLUMN_WIDTH", "SAVE_DPI", "KIND_LABELS",
           "FontMissing", "cjk_font_files", "apply_style", "role_color", "figure", "legend_outside",
           "glue_figure", "year_axis", "glue_table", "ACTOR_COLORS", "NEUTRAL_COLOR", "ACTOR_NAMES", "actor_of", "actor_color",
           "FIGURE_DATA_PREFIX", "FIGURE_TEXT_PREFIX", "plotted_table", "figure_kind", "wide_to_tidy"]

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILES = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"]
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5"]
# What a colour means, everywhere in the book: the report's own values, the book's recomputation (the
# replication track), values calibrated to the report, estimates on a substitute or open basis, peer
# estimates. Charts take colours from here by meaning, never by position in PALETTE.
ROLE_COLORS = {"report": "#c55a11", "book": "#1f4e79", "calibrated": "#7030a0",
               "substitute": "#548235", "peer": "#7f7f7f", "other": "#2e75b6"}
# Who a colour is, everywhere in the book: the firms and economies the report compares keep one colour in every
# chart and diagram that draws them (lib/present/diagrams.py takes series and marker colours from here).
# Distinct from each other and readable on white; the role colours above keep their meanings.
ACTOR_COLORS = {"Tencent": "#1f6fb4", "Huawei": "#c0392b", "Haier": "#1a8a5a", "Alibaba": "#e67e22",
                "Xinchang-Tuoman": "#8e5ea2", "United States": "#2c3e70", "Germany": "#7f6000", "China": "#b03060",
                "Japan": "#5b7f95"}
# What is not a recurring actor (an item, a type of platform, an industry) where actors are drawn in their colours.
NEUTRAL_COLOR = "#595959"
# How an actor is named in labels and specifications (English and Chinese): a label naming one actor takes its colour.
ACTOR_NAMES = {"Tencent": ("Tencent", "腾讯"), "Huawei": ("Huawei", "华为"), "Haier": ("Haier", "海尔"),
               "Alibaba": ("Alibaba", "阿里"), "Xinchang-Tuoman": ("Xinchang-Tuoman", "新昌-陀曼", "陀曼"),
               "United States": ("United States", "美国"), "Germany": ("Germany", "德国"), "China": ("China", "中国"),
               "Japan": ("Japan", "日本")}
# One width, one resolution, one font scale for every figure. The width is the text column (the HTML
# column is about 730 px wide at a desktop width, the PDF text block 6.3 in); a figure asked for wider
# is drawn at the column width with its proportions kept, so its text is never shrunk below the rest.
# At 200 dpi a 7-inch figure is 1,400 px, shown at ~730 px: 1 pt of text is ~1.45 px on screen, so the
# smallest text (7 pt corner stamp) is ~10 px and tick labels (9 pt) ~13 px.
COLUMN_WIDTH = 7.0
SAVE_DPI = 200
# what a figure is: data, coded judgement or diagram (shown in a corner so readers can tell)
KIND_LABELS = {"data": "data", "coded": "coded from the report's text", "diagram": "diagram"}


class FontMissing(RuntimeError):
    pass


def cjk_font_files() -> list[str]:
    found = [f for f in CJK_FILES if os.path.exists(f)]
    if not found:
        found = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK*.tt[cf]", recursive=True))
    return found


def apply_style() -> None:
    files = cjk_font_files()
    if not files:
        raise FontMissing(
            f"Chinese font '{CJK_FAMILY}' not found. Install the Debian package fonts-noto-cjk "
            "(`make book` does this when run as root: apt-get install fonts-noto-cjk).")
    for path in files:
        font_manager.fontManager.addfont(path)
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "figure.figsize": (COLUMN_WIDTH, 3.8),
        "figure.dpi": 110,
        "savefig.dpi": SAVE_DPI,
        "savefig.bbox": "tight",
        "svg.hashsalt": "iie-book",
    })


def role_color(role: str) -> str:
    """The colour of a role ('report', 'book', 'calibrated', 'substitute', 'peer', 'other')."""
    if role not in ROLE_COLORS:
        raise KeyError(f"unknown colour role {role!r}; known: {sorted(ROLE_COLORS)}")
    return ROLE_COLORS[role]


def actor_of(label: str) -> str | None:
    """The one recurring actor a label names (English or Chinese), or None when it names none or several."""
    found = {actor for actor, names in ACTOR_NAMES.items() if any(n in str(label) for n in names)}
    return found.pop() if len(found) == 1 else None


def actor_color(name: str) -> str:
    """The colour of a recurring actor ('Tencent', 'Huawei', ...), the same in every figure."""
    if name not in ACTOR_COLORS:
        raise KeyError(f"unknown actor {name!r}; known: {sorted(ACTOR_COLORS)}")
    return ACTOR_COLORS[name]


def figure(width: float = COLUMN_WIDTH, height: float = 3.8, kind: str = "data"):
    """A new figure in house style, stamped with what kind of figure it is.

    The default width is the column width; a wider request is drawn at the column width with the
    same proportions (so every figure shows its text at one size).
    """
    if kind not in KIND_LABELS:
        raise KeyError(f"unknown figure kind {kind!r}; known: {sorted(KIND_LABELS)}")
    if width > COLUMN_WIDTH:
        width, height = COLUMN_WIDTH, height * COLUMN_WIDTH / width
    fig, ax = plt.subplots(figsize=(width, height))
    fig.book_kind = kind
    fig.text(0.995, 0.005, KIND_LABELS[kind], ha="right", va="bottom", fontsize=7, color="#888888")
    return fig, ax


def legend_outside(ax, where: str = "below", ncol: int | None = None, **kwargs):
    """A legend off the data: under the axes (below its tick labels and axis label) or at the right.

    Call it last, after titles, labels and ticks are set, since it measures them.
    """
    handles, labels = kwargs.pop("handles", None), kwargs.pop("labels", None)
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [h.get_label() for h in handles]
    if where == "right":
        return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                         ncol=ncol or 1, **kwargs)
    if where != "below":
        raise ValueError(f"legend_outside: where is 'below' or 'right', not {where!r}")
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    renderer = ax.figure.canvas.get_renderer()
    bottom = ax.get_tightbbox(renderer).y0
    y = ax.transAxes.inverted().transform((0, bottom))[1]
    ncol = ncol or min(len(labels), 3) or 1
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, y - 0.03), borderaxespad=0,
                     ncol=ncol, **kwargs)


def figure_kind(fig) -> str:
    """'data', 'coded' or 'diagram': set by ``figure``, else read from the corner stamp."""
    kind = getattr(fig, "book_kind", None)
    if kind:
        return kind
    stamps = {t.get_text(): k for k, t in ((k, t) for t in fig.texts for k, v in KIND_LABELS.items()
                                            if t.get_text() == v)}
    return next(iter(stamps.values()), "data")


def _label(artist) -> str:
    label = str(artist.get_label() or "")
    return "" if label.startswith("_") else label


def _tick_names(axis) -> dict:
    """Tick position -> tick label, where the ticks name categories (words, not numbers)."""
    names = {}
    for loc, text in zip(axis.get_ticklocs(), axis.get_ticklabels()):
        word = text.get_text().strip()
        if word and not re.fullmatch(r"[\d.,\s%−+-]+", word):
            names[round(float(loc), 6)] = word.replace("\n", " ")
    return names


def plotted_table(fig) -> pd.DataFrame:
    """The values a chart draws, read from its artists: one row per plotted point of every line, bar and
    scatter series (panel = the axes' title, series = the legend label; the axis labels carry the units).

    Grid lines, shaded spans and text are not data. Category ticks (words) are given beside their position.
    """
    maps = [(ax.get_title() or f"panel {n + 1}", ax.book_data) for n, ax in enumerate(fig.axes)
            if getattr(ax, "book_data", None) is not None]
    if maps:   # a map figure: its regions' values (lib/present/maps.py), one row per region and panel
        return pd.concat([table.assign(panel=panel)[["panel", *table.columns]] for panel, table in maps],
                         ignore_index=True)
    rows = []
    for n, ax in enumerate(a for a in fig.axes if a.get_label() != "<colorbar>"):
        panel = ax.get_title() or (f"panel {n + 1}" if len(fig.axes) > 1 else "")
        xl, yl = ax.get_xlabel().replace("\n", " "), ax.get_ylabel().replace("\n", " ")
        names = _tick_names(ax.xaxis)

        def add(series, mark, x, y, panel=panel, names=names, xl=xl, yl=yl):
            rows.append((panel, series, mark, x, "" if x != x else names.get(round(float(x), 6), ""), y, xl, yl))

        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        for container in ax.containers:
            if isinstance(container, BarContainer):
                horizontal = getattr(container, "orientation", "vertical") == "horizontal"
                for rect in container.patches:
                    if horizontal:
                        add(_label(container), "bar", rect.get_x() + rect.get_width(), rect.get_y() + rect.get_height() / 2)
                        continue
                    x = rect.get_x() + rect.get_width() / 2
                    # a bar of a group stands beside its tick (e.g. its year): the CSV gives the tick's value
                    at = [t for t in ticks if rect.get_x() - 1e-9 <= t <= rect.get_x() + rect.get_width() + 1e-9 or
                          abs(t - x) < 0.5 and float(t).is_integer()]
                    add(_label(container), "bar", at[0] if len(at) == 1 else x, rect.get_y() + rect.get_height())
        for image in ax.images:   # a grid of values (imshow): one row per cell, named by the row and column ticks
            grid = image.get_array()
            rows_ = _tick_names(ax.yaxis)
            for (i, j), value in np.ndenumerate(np.ma.filled(grid.astype(float), np.nan)):
                rows.append((panel, rows_.get(round(float(i), 6), str(i)), "cell", j,
                             names.get(round(float(j), 6), ""), value, xl, yl))
        for line in ax.lines:
            if line.get_transform() == ax.transData:
                for x, y in line.get_xydata():
                    add(_label(line), "line", x, y)
            elif _label(line):   # a labelled reference line (axhline / axvline): its one value in data units
                xs, ys = line.get_xdata(), line.get_ydata()
                if len(set(ys)) == 1 and line.get_transform().contains_branch_seperately(ax.transData)[1]:
                    add(_label(line), "reference line", float("nan"), ys[0])
                elif len(set(xs)) == 1:
                    add(_label(line), "reference line", xs[0], float("nan"))
        for coll in ax.collections:   # scatter points (offsets in data coordinates), not map polygons
            if isinstance(coll, PathCollection) and coll.get_offset_transform() == ax.transData:
                for x, y in coll.get_offsets():
                    add(_label(coll), "point", x, y)
    frame = pd.DataFrame(rows, columns=["panel", "series", "mark", "x", "x_category", "y", "x_axis", "y_axis"])
    for col in ("x", "y"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame.dropna(subset=["x", "y"], how="all").reset_index(drop=True)


def wide_to_tidy(frame: pd.DataFrame, index: str, column: str, value: str) -> pd.DataFrame:
    """A wide frame (one column per series) as the tidy table a figure's CSV gives: index, series, value (unit)."""
    return frame.rename_axis(index).reset_index().melt(id_vars=index, var_name=column, value_name=value)


FIGURE_DATA_PREFIX = "figure-data:"
FIGURE_TEXT_PREFIX = "figure-text:"   # the texts a figure shows in each language (for the tests of the editions)


class _Json:
    """A value glued as JSON text (its ``text/plain``)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return json.dumps(self.value, ensure_ascii=False)


class _FigureData:
    """The tidy table a data figure plots, glued as JSON text and written by lib/book/figures.py as the figure's CSV."""

    def __init__(self, frame):
        self.frame = frame

    def __repr__(self):
        frame = self.frame
        return json.dumps({"columns": [str(c) for c in frame.columns],
                           "rows": [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
                                    for row in frame.itertuples(index=False)]}, ensure_ascii=False)


def _save_dpi(fig) -> float:
    """The resolution ``savefig`` draws the figure at (``savefig.dpi``; 'figure' is the figure's own)."""
    dpi = plt.rcParams["savefig.dpi"]
    return fig.dpi if dpi == "figure" else dpi


@contextlib.contextmanager
def _at_dpi(fig, dpi: float):
    """The figure at another resolution for a while, as ``savefig`` sets it while it saves."""
    before = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = before


@contextlib.contextmanager
def _placeholder_engine_off(fig):
    """A figure laid out once by ``tight_layout()`` keeps a ``PlaceHolderLayoutEngine``, which lays nothing out but
    makes savefig lay the figure out again before it draws; without it savefig draws the pixels at once."""
    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _saved_box(fig):
    """What ``savefig`` crops to, from the layout the figure was last drawn with (at the saving resolution).

    With ``savefig.bbox = "tight"`` savefig lays the figure out once more only to measure this box
    (``get_tightbbox``, padded by ``savefig.pad_inches``); given the box, it draws the pixels at once. A figure
    with a layout engine is laid out again while it is saved, so its box is left to savefig."""
    box = plt.rcParams["savefig.bbox"]
    if box != "tight" or fig.get_layout_engine() is not None:
        return box
    pad = plt.rcParams["savefig.pad_inches"]
    return fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)


def _png(fig, box, under=None) -> bytes:
    """The figure as PNG bytes, cropped to ``box``; ``under``: pixels kept by ``_pixels_under_text``, laid down first
    and drawn over with the figure's texts only."""
    out = io.BytesIO()
    if under is None:
        fig.savefig(out, format="png", metadata={"Software": None}, bbox_inches=box)
        return out.getvalue()
    leaves = _leaves(fig)
    lay = fig.add_artist(_Lay(under))
    try:
        with _hidden(leaves):
            fig.savefig(out, format="png", metadata={"Software": None}, bbox_inches=box)
    finally:
        lay.remove()
    return out.getvalue()


class _Drawn(Exception):
    """Stops a save once ``_Keep`` has the pixels: nothing is encoded or written."""


class _Keep(Artist):
    """Drawn after everything else (on top): keeps the pixels drawn so far (``RendererAgg.copy_from_bbox``)."""

    def __init__(self):
        super().__init__()
        self.set_zorder(np.inf)
        self.region = None

    def draw(self, renderer):
        self.region = renderer.copy_from_bbox(self.figure.bbox)
        raise _Drawn


class _Lay(Artist):
    """Drawn before everything else: lays down pixels kept by ``_Keep`` (``RendererAgg.restore_region``)."""

    def __init__(self, region):
        super().__init__()
        self.set_zorder(-np.inf)
        self.region = region

    def draw(self, renderer):
        renderer.restore_region(self.region)


@contextlib.contextmanager
def _hidden(artists):
    shown = [a for a in artists if a.get_visible()]
    for artist in shown:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist in shown:
            artist.set_visible(True)


def _parts(artist, skip=(Axis,)):
    """The artists below ``artist``, except those below an artist of a type in ``skip`` (by default the axes' x and
    y axes: a map draws none, and hiding a tick's line or label would change how matplotlib places the title)."""
    for child in artist.get_children():
        if not isinstance(child, skip):
            yield child
            yield from _parts(child, skip)


def _overlay(fig) -> list:
    """What is drawn over the polygons: the texts and the legends (whose keys move with their labels' sizes)."""
    return [a for a in _parts(fig) if isinstance(a, (Text, Legend))]


def _leaves(fig) -> list:
    """Every artist of the figure that draws pixels and is neither a text nor in a legend: patches, lines, collections
    (containers, such as the axes, stay: they place the texts)."""
    return [a for a in _parts(fig, (Axis, Legend)) if not isinstance(a, Text) and not a.get_children()]


def _pixels_under_text(fig, box):
    """The pixels of everything but the figure's texts, drawn once at the saving resolution and cropped to ``box``.

    A map (``lib.present.maps``) draws its hundreds of polygons before any text, and no polygon, line or patch over a
    text: laying these pixels down and drawing the texts over them gives the bytes of a full draw
    (tests/test_charts.py), so the English and the Chinese image share one drawing of the polygons."""
    keep = fig.add_artist(_Keep())
    try:
        with _hidden(_overlay(fig)):
            fig.savefig(io.BytesIO(), format="png", bbox_inches=box)
    except _Drawn:
        pass
    finally:
        keep.remove()
    return keep.region


def glue_figure(name: str, fig, data: pd.DataFrame | None = None) -> None:
    """Glue a figure as a PNG for ``{glue:figure}`` and close it so it is not shown twice.

    The PNG is made here rather than by IPython's display formatters, which depend on the backend
    (with a non-inline backend a figure glues as the text "<Figure size ...>"). A data figure also glues
    the table it plots (``data``, else read from its artists by ``plotted_table``), which the build writes
    to ``downloads/figures/<name>.csv`` and links from the caption.

    Each language is laid out at the figure's resolution for the checks, then at the resolution it is saved at,
    which gives the box savefig crops to: savefig then draws the pixels at once (without laying the figure out
    again), and a map's polygons are drawn once, under both languages' texts. The bytes are those of ``savefig``
    with ``bbox_inches="tight"`` (tests/test_charts.py).
    """
    from myst_nb import glue

    kind = figure_kind(fig)
    # diagrams and coded charts: no line through a text they place, nothing off the canvas
    diagram = getattr(fig, "book_diagram", False)
    strokes = kind != "data" or diagram
    # a map: its polygons are drawn once, under the texts of both languages, when both crop to the same box
    maps_only = bool(fig.axes) and all(getattr(ax, "book_map", False) and not ax.axison for ax in fig.axes)
    texts, problems, png, boxes = {}, {}, {}, {}
    under = None
    with _placeholder_engine_off(fig):
        for language in ("en", "zh"):
            if language == "en":
                fig.draw_without_rendering()   # the layout the checks read (at the figure's resolution)
                if data is None and kind != "diagram":   # a data chart, or a chart of coded values
                    data = plotted_table(fig)
            else:
                figure_text.to_chinese(fig)   # the same figure relabelled (and laid out), not drawn again from the data
            texts[language] = figure_text.figure_texts(fig)
            problems[language] = figure_layout.layout_problems(fig, strokes=strokes, draw=False, canvas_rule=diagram)
            with _at_dpi(fig, _save_dpi(fig)):
                fig.draw_without_rendering()   # the layout savefig would make to measure the box it crops to
                boxes[language] = box = _saved_box(fig)
                if language == "en" and maps_only and isinstance(box, Bbox):
                    under = _pixels_under_text(fig, box)
                same_box = isinstance(box, Bbox) and np.array_equal(box.get_points(), boxes["en"].get_points())
                png[language] = _png(fig, box, under if same_box else None)
    plt.close(fig)
    glue(name, Image(data=png["en"], format="png"), display=False)
    glue(name + ZH_KEY, Image(data=png["zh"], format="png"), display=False)
    glue(FIGURE_TEXT_PREFIX + name, _Json({"texts": texts, "layout": problems}), display=False)
    if data is not None and not data.empty:
        glue(FIGURE_DATA_PREFIX + name, _FigureData(data), display=False)


def year_axis(ax, axis: str = "x") -> None:
    """Ticks on whole years only (no 2007.5)."""

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))


apply_style()


class _TablePayload:
    """A table glued as JSON text, rendered by the book's ``{glued-table}`` directive as a real table.

    (Glued data are stored under a prefixed mime type that nbformat only accepts as text.) Every cell
    is printed here by ``lib.present.formatting``, so all glued tables print numbers one way.
    """

    def __init__(self, frame, digits, formats=None, headers=None):
        self.frame, self.digits, self.formats, self.headers = frame, digits, formats, headers

    def __repr__(self):

        columns, rows = formatting.format_frame(self.frame, self.formats, self.digits)
        payload = {"columns": [str(h) for h in self.headers] if self.headers else columns, "rows": rows}
        literal = [i for i, c in enumerate(self.frame.columns) if c in self.frame.attrs.get("literal_columns", ())]
        if literal:   # names of columns, files, keys: shown as code in both editions
            payload["literal"] = literal
        return json.dumps(payload, ensure_ascii=False)


ZH_KEY = "@zh"   # glue key suffix of a table's or a figure's Chinese form (lib/book/private.py: the Chinese edition reads it first)


def glue_table(name: str, frame, digits: int = 2, formats: dict | None = None, zh=None) -> None:
    """Glue a DataFrame for ``{glued-table}`` (numbered 'Table x-y', rendered in HTML and PDF).

    ``formats`` maps a column to its number format (``lib.present.formatting``): a number of decimals, "int",
    "year", "p" or "text", e.g. ``formats={"p": "p", "n": "int", "growth (%)": 1}``. Columns not named
    are inferred: p-value columns by name, whole-number columns as integers (years without separators),
    other numbers with ``digits`` decimals. A frame from ``comparison.page_table`` carries numbered
    notes (``frame.attrs["notes"]``): they are glued as ``<name>-notes`` for a ``{glue:md}`` block.

    ``zh`` (or ``frame.attrs["zh"]``): the same table as the Chinese edition shows it (the report's Chinese
    cells, Chinese headers, units and notes), glued as ``<name>@zh`` (and ``<name>-notes@zh``); its columns are
    formatted as the English columns in the same places.
    """
    from myst_nb import glue

    glue(name, _TablePayload(frame, digits, formats), display=False)
    notes = getattr(frame, "attrs", {}).get("notes")
    if notes is not None:

        glue(f"{name}-notes", Markdown(comparison.notes_markdown(notes)), display=False)
    zh = zh if zh is not None else getattr(frame, "attrs", {}).get("zh")
    if zh is not None:
        if len(zh.columns) == len(frame.columns):   # formatted by the English names, shown with the Chinese
            payload = _TablePayload(zh.set_axis(list(frame.columns), axis=1), digits, formats, headers=list(zh.columns))
        else:   # a Chinese table of other columns: its own formats
            payload = _TablePayload(zh, digits, None)
        glue(f"{name}{ZH_KEY}", payload, display=False)
        zh_notes = zh.attrs.get("notes")
        if zh_notes is not None:
            glue(f"{name}-notes{ZH_KEY}", Markdown(comparison.notes_markdown(zh_notes, "zh")), display=False)


# ---- three years on (issue 21) -------------------------------------------------------------------------------
_SCENARIO_LINES = {"baseline": "-", "optimistic": "--", "pessimistic": ":"}


def _fan_layers(ax, paths: pd.DataFrame, track: pd.DataFrame, report: pd.Series, shade: list, last_in: int,
                labelled: bool) -> None:
    """The shaded windows, the scenario paths, the track (in sample solid, out of sample dashed with open markers)
    and the report's shares, on one axes (labelled once, for the legend)."""
    def label(text: str) -> str:
        return text if labelled else "_nolegend_"
    for lo, hi in shade:
        ax.axvspan(lo, hi, color="#eeeeee", zorder=0)
    for scenario, g in paths.groupby("scenario", sort=False):
        ax.plot(g["year"], g["share_pct"], ls=_SCENARIO_LINES.get(scenario, "-"), color=role_color("calibrated"),
                lw=1.2, label=label(f"scenario path: {scenario}"))
    inside, after = track[track["year"] <= last_in], track[track["year"] >= last_in]
    ax.plot(inside["year"], inside["share_gdp"], marker="o", color=role_color("book"), label=label("replication track"))
    ax.plot(after["year"], after["share_gdp"], marker="o", ls="--", mfc="white", color=role_color("book"),
            label=label("replication track, out of sample"))
    ax.plot(report.index, report.values, marker="s", ls="none", color=role_color("report"),
            label=label("report (Table 5-1)"))


def outturn_fan(paths: pd.DataFrame, track: pd.DataFrame, report: pd.Series, ends: dict, shade: list, last_in: int,
                zoom_years: int = 4):
    """The report's scenario fan as the book reads it (share of GDP, %), the track to its last year (in sample
    solid, out of sample dashed with open markers), the report's own shares and 2035 end points; an inset
    enlarges the years from the track's first to ``zoom_years`` after the report's last, where the outturn is."""
    fig, ax = figure(7.0, 4.0)
    _fan_layers(ax, paths, track, report, shade, last_in, labelled=True)
    ax.scatter([paths["year"].max()] * len(ends), list(ends.values()), marker="x", s=50, color=role_color("report"),
               zorder=4, label="report: 2035 end points")
    ax.set_ylim(0, None)
    ax.set_ylabel("industrial internet, share of GDP (%)")
    year_axis(ax)
    # the inset sits in the empty upper left of the fan (the paths rise late) and shows the near years legibly
    first, last = int(track["year"].min()), last_in + zoom_years
    near = paths[paths["year"].between(first, last)]["share_pct"]
    zoom = ax.inset_axes([0.1, 0.36, 0.42, 0.52])
    _fan_layers(zoom, paths, track, report, shade, last_in, labelled=False)
    zoom.set_xlim(first - 0.5, last + 0.5)
    zoom.set_ylim(0, 1.1 * max(near.max(), track["share_gdp"].max()))
    zoom.tick_params(labelsize=7)
    zoom.text(0.03, 0.96, f"{first}-{last}, enlarged", transform=zoom.transAxes, ha="left", va="top", fontsize=7.5,
              bbox=dict(facecolor="white", edgecolor="none", pad=1))
    year_axis(zoom)
    ax.indicate_inset_zoom(zoom, edgecolor="#888888")
    legend_outside(ax, ncol=2, fontsize=7.5)
    return fig


def moran_trend(stats: pd.DataFrame, labels: dict, window: tuple[int, int], main: str):
    """Moran's I of the index by year under each weights choice; shaded: the report's years (Table 5-4)."""
    fig, ax = figure(7.0, 3.8)
    ax.axvspan(window[0] - 0.3, window[1] + 0.3, color="#eeeeee", zorder=0, label="the report's years (Table 5-4)")
    others = iter([c for c in PALETTE[1:] if c != role_color("substitute")] * 2)
    for key, g in stats.groupby("weights", sort=False):
        style = dict(color=role_color("substitute"), lw=2.2, marker="o") if key == main else \
            dict(color=next(others), lw=1.0, marker=".", ls="--" if key in ("queen", "rook") else "-")
        ax.plot(g["year"], g["moran_i"], label=labels[key], **style)
    ax.set_ylim(0, None)
    ax.set_ylabel("Moran's I of the substitute index")
    year_axis(ax)
    legend_outside(ax, ncol=3, fontsize=7.5)
    return fig
