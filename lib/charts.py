"""The book's house style for figures, and the few chart helpers the chapters share.

Importing this module applies the style. Chinese labels use Noto Sans CJK SC (Debian package
``fonts-noto-cjk``); the font is registered from its file, so a stale matplotlib font cache
(fonts installed after matplotlib first ran) does not matter.
"""
from __future__ import annotations

import glob
import io
import json
import os

import matplotlib

import matplotlib.pyplot as plt
from matplotlib import font_manager

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILES = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"]
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5"]
# What a colour means, everywhere in the book: the report's own values, the book's recomputation (the
# replication track), values calibrated to the report, estimates on a substitute or open basis, peer
# estimates. Charts take colours from here by meaning, never by position in PALETTE.
ROLE_COLORS = {"report": "#c55a11", "book": "#1f4e79", "calibrated": "#7030a0",
               "substitute": "#548235", "peer": "#7f7f7f", "other": "#2e75b6"}
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
        "figure.figsize": (7.0, 3.8),
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "svg.hashsalt": "iie-book",
    })


def role_color(role: str) -> str:
    """The colour of a role ('report', 'book', 'calibrated', 'substitute', 'peer', 'other')."""
    if role not in ROLE_COLORS:
        raise KeyError(f"unknown colour role {role!r}; known: {sorted(ROLE_COLORS)}")
    return ROLE_COLORS[role]


def figure(width: float = 7.0, height: float = 3.8, kind: str = "data"):
    """A new figure in house style, stamped with what kind of figure it is."""
    fig, ax = plt.subplots(figsize=(width, height))
    fig.text(0.995, 0.005, KIND_LABELS[kind], ha="right", va="bottom", fontsize=7, color="#888888")
    return fig, ax


def glue_figure(name: str, fig) -> None:
    """Glue a figure as a PNG for ``{glue:figure}`` and close it so it is not shown twice.

    The PNG is made here rather than by IPython's display formatters, which depend on the backend
    (with a non-inline backend a figure glues as the text "<Figure size ...>").
    """
    from IPython.display import Image
    from myst_nb import glue

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    glue(name, Image(data=buffer.getvalue(), format="png"), display=False)


def year_axis(ax, axis: str = "x") -> None:
    """Ticks on whole years only (no 2007.5)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))


def bar_labels(ax, bars, fmt: str = "{:.1f}") -> None:
    for bar in bars:
        ax.annotate(fmt.format(bar.get_height()), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")


apply_style()


class _TablePayload:
    """A table glued as JSON text, rendered by the book's ``{glued-table}`` directive as a real table.

    (Glued data are stored under a prefixed mime type that nbformat only accepts as text.)
    """

    def __init__(self, frame, digits):
        self.frame, self.digits = frame, digits

    def __repr__(self):
        def cell(value):
            if isinstance(value, float):
                return "" if value != value else f"{value:,.{self.digits}f}"
            return str(value)
        return json.dumps({"columns": [str(c) for c in self.frame.columns],
                           "rows": [[cell(v) for v in row] for row in self.frame.itertuples(index=False)]},
                          ensure_ascii=False)


def glue_table(name: str, frame, digits: int = 2) -> None:
    """Glue a DataFrame for ``{glued-table}`` (numbered 'Table x-y', rendered in HTML and PDF)."""
    from myst_nb import glue

    glue(name, _TablePayload(frame, digits), display=False)
