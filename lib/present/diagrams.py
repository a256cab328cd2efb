"""Draw the report's lost figures from specifications in ``data/figures/*.yml``.

One helper per kind of picture, each reading a plain dict (one YAML entry):

- ``boxes``: labelled boxes on a 10 x 6 canvas, arrows between them, optional frames (flows, VSP,
  quadrants, nested scopes) and free notes.
- ``layers``: horizontal layers stacked bottom to top, each with its items (architectures, stacks).
- ``rings``: concentric rings, labelled beside the rings, with items placed in the outer ring (差序格局).
- ``positions``: items placed on two ordinal axes with named ticks (coded positions).
- ``timeline``: dated events in lanes (one lane per region).
- ``radar``: ordinal scores per series over several dimensions (coded scores).
- ``matrix``: an ordinal score per row and column, drawn as sized dots (coded scores on a grid).

Every element carries ``support``: ``stated`` (the report says it), ``inferred`` (the editors' reading
of the report, by a rule in data/coded/README.md or data/figures/README.md) or ``added`` (not in the
report; ``why`` says what it adds). Stated elements are drawn solid; inferred ones with a dashed
outline (markers hollow); added ones dotted and hatched. A footer legend names the styles a figure uses.

Every figure is drawn at the book's column width (``WIDTH``) with one font scale; box text is measured
with the renderer and shrunk (not below ``MIN_FONT``) or its box grown until it fits.

``draw(spec, scores=None, positions=None)`` dispatches on ``spec['kind']`` and returns the figure.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import (
    Circle,
    FancyArrowPatch,
    FancyBboxPatch,
    Patch,
    Rectangle,
    Wedge,
)
from matplotlib.text import Text

from lib.inputs import paths
from lib.ledger import ledger
from lib.present import charts, figure_layout

__all__ = ["FIGURES", "CODED", "KINDS", "FILL", "WIDTH", "FONT", "SMALL", "MIN_FONT", "FOOTER", "EDGE",
           "SUPPORT", "RADAR_CLEARANCE", "LINESTYLE", "HATCH", "SUPPORT_LABELS", "CODED_KINDS", "PLACEHOLDER", "SpecError", "fill",
           "load_specs", "coded_scores", "coded_positions", "SCALE_WORDS", "scale_levels", "elements",
           "support_of", "drawn_style", "STYLES", "boxes", "layers", "rings", "positions", "timeline", "radar",
           "matrix", "series_color", "draw", "coded_table", "glue_all", "layout_problems"]

FIGURES = paths.DATA / "figures"
CODED = paths.DATA / "coded"
KINDS = ("boxes", "layers", "rings", "positions", "timeline", "radar", "matrix")
FILL = ["#dbe7f3", "#fbe3d1", "#e2efd9", "#fff2cc", "#e9dcf3", "#ddebf7", "#ededed"]

WIDTH = 7.0        # inches: every figure is drawn at the book's column width
FONT = 8.0         # pt, box and label text
SMALL = 7.5        # pt, notes, arrow labels, tick labels
MIN_FONT = 7.0     # pt, text is never shrunk below this
RADAR_CLEARANCE = 9.0   # pt between a radar chart's outer ring and its dimension labels
FOOTER = 0.3       # inches at the bottom for the support legend (left) and the kind stamp (right)
EDGE = "#4d4d4d"

SUPPORT = ("stated", "inferred", "added")
LINESTYLE = {"stated": "-", "inferred": "--", "added": ":"}
HATCH = {"stated": None, "inferred": None, "added": "////"}
SUPPORT_LABELS = {"stated": "stated in the report", "inferred": "editors' reading of the report",
                  "added": "added by the editors"}
CODED_KINDS = ("radar", "matrix", "positions")

PLACEHOLDER = re.compile(r"\{([A-Z][A-Za-z0-9-]*\.[\w.-]+?)(?::([^}]*))?\}")


class SpecError(ValueError):
    pass


def fill(text: str) -> str:
    """Replace ``{F3-5.accelerator_firms:,.0f}`` by that value from the published-values ledger."""
    def value(match):
        return format(ledger.published_value(match[1]), match[2] or "g")
    return PLACEHOLDER.sub(value, text)


def load_specs(pattern: str = "*.yml") -> dict:
    """Every figure specification, keyed by label (``fig-2-7``); labels must be unique."""
    specs = {}
    for path in sorted(Path(FIGURES).glob(pattern)):
        for label, spec in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if label in specs:
                raise SpecError(f"{path.name}: figure {label} is specified twice")
            if spec.get("kind") not in KINDS:
                raise SpecError(f"{path.name}: figure {label} has unknown kind {spec.get('kind')!r}")
            specs[label] = dict(spec, label=label, source_file=path.name)
    return specs


def _read_coded(name: str, required: list[str]) -> pd.DataFrame:
    path = CODED / name
    frame = pd.read_csv(path, comment="#", encoding="utf-8")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SpecError(f"{path}: missing column(s) {missing}")
    bad = frame[~frame["support"].isin(SUPPORT)]
    if len(bad):
        raise SpecError(f"{path}: rows {list(bad.index + 1)} have support outside {SUPPORT}")
    return frame


def coded_scores() -> pd.DataFrame:
    """Ordinal scores (figure, series, dimension, score, support, rule, quote) coded from the report's text."""
    return _read_coded("scores.csv", ["figure", "series", "dimension", "score", "support", "rule", "quote"])


def coded_positions() -> pd.DataFrame:
    """Ordinal positions (figure, item, x, y, support, rule, quote) coded from the report's text."""
    return _read_coded("positions.csv", ["figure", "item", "x", "y", "support", "rule", "quote"])


# The words that turn the report's prose into a score (rule W of data/coded/README.md), matched longest first.
SCALE_WORDS = {
    5: ["表现优异", "很强", "非常强大", "非常深厚", "极具竞争力", "领军", "领先"],
    4: ["较为强大", "较强", "同样较强", "强大", "优势", "良好", "较为扎实"],
    3: ["具备一定竞争力", "具备一定的竞争力", "具备竞争力", "没有明显的短板", "没有明显短板", "适中", "一定的优势"],
    2: ["一定的短板", "稍显薄弱", "相对较为弱势", "相对弱势", "缺乏竞争力"],
    1: ["明显的短板", "需要依赖其他企业"],
}


def scale_levels(quote: str) -> list[int]:
    """Levels of the scale words in a quote, longest word first and without overlaps ('没有明显的短板' is 3,
    not 1; '较为强大' is 4 once)."""
    words = sorted(((w, level) for level, ws in SCALE_WORDS.items() for w in ws), key=lambda p: -len(p[0]))
    text, found = re.sub(r"\s+", "", quote), []
    for word, level in words:
        while word in text:
            found.append((text.index(word), level))
            text = text.replace(word, "\0" * len(word), 1)
    return [level for _, level in sorted(found)]


# ----------------------------------------------------------------------------------------------------
# the elements of a specification and their support

def elements(spec: dict) -> list[tuple[str, dict]]:
    """Every drawn element of a (non-coded) spec as (element id, element dict), in drawing order.

    Ids: ``node:<id>``, ``arrow:<n>``, ``frame:<n>``, ``note:<n>``, ``ring:<n>``, ``ring:<n>:item:<m>``,
    ``side_note:<n>``, ``layer:<n>``, ``layer:<n>:item:<m>``, ``side``, ``event:<n>``, ``fan``, ``curve``.
    """
    out = []
    for key, node in (spec.get("nodes") or {}).items():
        out.append((f"node:{key}", node))
    for group in ("arrows", "frames", "notes", "side_notes", "events"):
        for i, element in enumerate(spec.get(group) or []):
            out.append((f"{group[:-1]}:{i}", element))
    for group in ("rings", "layers"):
        for i, element in enumerate(spec.get(group) or []):
            out.append((f"{group[:-1]}:{i}", element))
            for j, item in enumerate(element.get("items") or []):
                out.append((f"{group[:-1]}:{i}:item:{j}", item))
    for single in ("side", "fan", "curve"):
        if spec.get(single):
            out.append((single, spec[single]))
    return out


def support_of(spec: dict, element_id: str, element) -> str:
    """The element's ``support``; refuses a missing or unknown value, and an ``added`` one without ``why``."""
    where = f"{spec.get('source_file', 'data/figures')}: {spec.get('label')} {element_id}"
    if not isinstance(element, dict):
        raise SpecError(f"{where} must be a mapping with a 'support' key, got {element!r}")
    value = element.get("support")
    if value not in SUPPORT:
        raise SpecError(f"{where} has support {value!r}; expected one of {', '.join(SUPPORT)}")
    if value == "added" and not element.get("why"):
        raise SpecError(f"{where} is added by the editors but has no 'why'")
    return value


def _tag(artist, support: str, element_id: str) -> None:
    artist.set_gid(f"{support}|{element_id}")


def drawn_style(artist) -> str:
    """How an element was drawn: 'solid', 'dashed', 'dotted' (outlines), 'hatched', 'filled' or 'hollow'."""

    if isinstance(artist, Text):
        box = artist.get_bbox_patch()
        return "solid" if box is None else drawn_style(box)
    if isinstance(artist, PathCollection):
        face = artist.get_facecolor()
        hollow = len(face) == 0 or face[0][3] == 0 or tuple(face[0][:3]) == (1.0, 1.0, 1.0)
        return "hollow" if hollow else "filled"
    if isinstance(artist, Line2D):
        style = artist.get_linestyle()
    else:
        if artist.get_hatch():
            return "hatched"
        style = artist.get_linestyle()
    return {"-": "solid", "solid": "solid", "--": "dashed", "dashed": "dashed", ":": "dotted",
            "dotted": "dotted"}.get(style, str(style))


STYLES = {"stated": {"solid", "filled"}, "inferred": {"dashed", "hollow"}, "added": {"dotted", "hatched", "hollow"}}


# ----------------------------------------------------------------------------------------------------
# canvas, text fitting, legend

def _renderer(fig):
    try:
        return fig.canvas.get_renderer()
    except AttributeError:  # pragma: no cover - non-Agg canvases
        return fig._get_renderer()


def _height(spec: dict, default: float) -> float:
    return float(spec.get("height", default))


def _new(spec: dict, height: float):
    kind = spec.get("stamp", "coded" if spec["kind"] in CODED_KINDS else "diagram")
    fig, ax = charts.figure(WIDTH, height, kind=kind)
    fig.book_diagram = True   # drawn from a specification: the layout check's stroke and canvas rules apply
    fig.texts[0].set_fontsize(MIN_FONT)
    # an invisible frame over the whole canvas: 'tight' saving then keeps every figure at the same width
    canvas = Rectangle((0, 0), 1, 1, transform=fig.transFigure, fc="none", ec="none", gid="canvas")
    fig.add_artist(canvas)
    return fig, ax


def _canvas(spec: dict, xlim=(0, 10), ylim=(0, 6), default_height=3.4, equal=False):
    height = _height(spec, default_height)
    fig, ax = _new(spec, height)
    bottom = FOOTER / height
    ax.set_position([0.005, bottom, 0.99, 0.995 - bottom])
    if equal:  # widen the short side around its centre so one unit is as long in x as in y
        xlim, ylim = _equal_limits(fig, ax, xlim, ylim)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    if equal:
        ax.set_aspect("equal", adjustable="datalim")  # already met: matplotlib has nothing to adjust
    ax.axis("off")
    return fig, ax


def _equal_limits(fig, ax, xlim, ylim):
    """Limits that contain ``xlim`` and ``ylim`` and give the axes an aspect ratio of one."""
    box = ax.get_position()
    width, height = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    (x0, x1), (y0, y1) = xlim, ylim
    need = (x1 - x0) * height / width  # the y range that matches the x range
    if need > y1 - y0:
        mid = (y0 + y1) / 2
        return (x0, x1), (mid - need / 2, mid + need / 2)
    mid, half = (x0 + x1) / 2, (y1 - y0) * width / height / 2
    return (mid - half, mid + half), (y0, y1)


def _px_per_unit(ax) -> tuple[float, float]:
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    return abs(x1 - x0), abs(y1 - y0)


def _fit(ax, text, w: float, h: float, pad_pt: tuple[float, float] = (4.0, 3.0), grow: bool = True):
    """Shrink ``text`` (not below MIN_FONT) until it fits a w x h box (data units) with padding;
    return the box size, grown to the text if shrinking was not enough and ``grow`` is true."""
    fig = ax.figure
    renderer = _renderer(fig)
    px, py = _px_per_unit(ax)
    pad_x, pad_y = (p * fig.dpi / 72 for p in pad_pt)
    size = text.get_fontsize()
    while True:
        bb = text.get_window_extent(renderer)
        need_w, need_h = bb.width + 2 * pad_x, bb.height + 2 * pad_y
        if (need_w <= w * px and need_h <= h * py) or size <= MIN_FONT:
            break
        size = max(MIN_FONT, size - 0.25)
        text.set_fontsize(size)
    if grow:
        w, h = max(w, need_w / px), max(h, need_h / py)
    return w, h


def _styled_text_box(support: str, fc: str = "white") -> dict | None:
    """A thin outline around free text that is not stated in the report (dashed or dotted)."""
    if support == "stated":
        return None
    return dict(boxstyle="round,pad=0.25", fc=fc, ec="#777777", lw=0.7, ls=LINESTYLE[support])


def _notes(ax, spec: dict, key: str, element: str, ha: str, used: set) -> None:
    """The free-standing notes of a diagram (``spec[key]``): boxed grey text at ``at``, tagged
    ``<element>:<i>`` and styled by their support; ``ha`` is the alignment when a note does not give one."""
    for i, note in enumerate(spec.get(key) or []):
        support = support_of(spec, f"{element}:{i}", note)
        used.add(support)
        text = ax.text(note["at"][0], note["at"][1], note["text"], ha=note.get("ha", ha), va="center",
                       fontsize=SMALL, color="#333333", zorder=4, bbox=_styled_text_box(support))
        _tag(text, support, f"{element}:{i}")


def _legend(fig, used: set, markers: bool = False) -> None:
    """Footer legend of the support styles used in this figure (only when something is not stated)."""
    if not used - {"stated"}:
        return
    handles = []
    for support in SUPPORT:
        if support not in used:
            continue
        if markers:
            filled = support == "stated"
            handles.append(Line2D([], [], marker="o", ls="none", ms=6, mec="#555555",
                                  mfc="#555555" if filled else "white", label=SUPPORT_LABELS[support]))
        else:
            handles.append(Patch(fc="white", ec=EDGE, lw=0.8, ls=LINESTYLE[support], hatch=HATCH[support],
                                 label=SUPPORT_LABELS[support]))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.0), ncol=len(handles), fontsize=MIN_FONT,
               frameon=False, handlelength=1.8, handleheight=0.9, columnspacing=1.2, borderaxespad=0.2)


# ----------------------------------------------------------------------------------------------------
# diagram kinds

def _box(ax, x, y, w, h, text, color=0, bold=False, support="stated", element_id="", fontsize=FONT,
         grow=True):
    """A rounded box sized from its measured text; returns (w, h) as drawn."""
    label = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, linespacing=1.15, zorder=4,
                    fontweight="bold" if bold else "normal")
    w, h = _fit(ax, label, w, h, grow=grow)
    face = FILL[color % len(FILL)] if isinstance(color, int) else color
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.1", fc=face,
                           ec=EDGE, lw=0.8 if support == "stated" else 1.1, ls=LINESTYLE[support],
                           hatch=HATCH[support], hatchcolor="#c8c8c8", zorder=2)
    ax.add_patch(patch)
    _tag(patch, support, element_id)
    label.container = patch
    return w, h


def _edge_point(centre, size, toward):
    """Where the segment from a box centre toward another point leaves the box."""
    (x, y), (w, h) = centre, size
    dx, dy = toward[0] - x, toward[1] - y
    if dx == 0 and dy == 0:
        return x, y
    scale = min((w / 2) / abs(dx) if dx else np.inf, (h / 2) / abs(dy) if dy else np.inf)
    return x + dx * scale, y + dy * scale


def _arrow(ax, p, q, label, both, support, element_id):
    arrow = FancyArrowPatch(p, q, arrowstyle="<|-|>" if both else "-|>", mutation_scale=10, lw=1.0,
                            color="#555555", shrinkA=2, shrinkB=2, ls=LINESTYLE[support], zorder=3)
    ax.add_patch(arrow)
    _tag(arrow, support, element_id)
    if label:
        text = ax.text((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, label, ha="center", va="center", fontsize=SMALL,
                       color="#333333", linespacing=1.1, zorder=5,
                       bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        text.owner = arrow


def boxes(spec: dict):
    """Boxes (``nodes``: id -> {text, at: [x, y], w, h, color}), ``arrows`` {from, to, label, both},
    ``frames`` {box: [x0, y0, x1, y1], text, fill} and ``notes`` {at, text, ha}."""
    fig, ax = _canvas(spec)
    used = set()
    for i, frame in enumerate(spec.get("frames") or []):
        support = support_of(spec, f"frame:{i}", frame)
        used.add(support)
        x0, y0, x1, y1 = frame["box"]
        rect = Rectangle((x0, y0), x1 - x0, y1 - y0, fc=frame.get("fill", "none"), ec="#8c8c8c", lw=0.8,
                         ls=LINESTYLE[support], hatch=HATCH[support], hatchcolor="#d0d0d0", zorder=1)
        ax.add_patch(rect)
        _tag(rect, support, f"frame:{i}")
        if frame.get("text"):
            text = ax.text(x0 + 0.08, y1 - 0.08, frame["text"], ha="left", va="top", fontsize=SMALL,
                           color="#333333", fontstyle="italic", zorder=4)
            text.container = rect
    nodes = spec.get("nodes") or {}
    drawn = {}
    for key, node in nodes.items():
        support = support_of(spec, f"node:{key}", node)
        used.add(support)
        size = _box(ax, node["at"][0], node["at"][1], node.get("w", 2.0), node.get("h", 0.8), fill(node["text"]),
                    node.get("color", 0), node.get("bold", False), support, f"node:{key}")
        drawn[key] = (tuple(node["at"]), size)
    for i, arrow in enumerate(spec.get("arrows") or []):
        support = support_of(spec, f"arrow:{i}", arrow)
        used.add(support)
        ends = [arrow.get("from"), arrow.get("to")]
        unknown = [end for end in ends if end not in nodes]
        if unknown:
            raise SpecError(f"{spec.get('label')}: arrow {i} ({ends}) names unknown box(es) {unknown}")
        (a, sa), (b, sb) = drawn[ends[0]], drawn[ends[1]]
        _arrow(ax, _edge_point(a, sa, b), _edge_point(b, sb, a), arrow.get("label"), arrow.get("both", False),
               support, f"arrow:{i}")
    _notes(ax, spec, "notes", "note", "center", used)
    _legend(fig, used)
    return fig


def layers(spec: dict):
    """``layers`` bottom to top: {name, items: [{text, support}], color}; optional ``side`` column {text}."""
    fig, ax = _canvas(spec)
    used = set()
    rows = spec["layers"]
    side = spec.get("side")
    name_w = spec.get("name_width", 2.0)
    side_w = spec.get("side_width", 2.0) if side else 0.0
    left, right = name_w + 0.2, 10.0 - (side_w + 0.15 if side else 0.05)
    height = 5.9 / len(rows)
    for i, layer in enumerate(rows):
        support = support_of(spec, f"layer:{i}", layer)
        used.add(support)
        y = 0.05 + i * height + height / 2
        color = layer.get("color", i)
        _box(ax, 0.05 + name_w / 2, y, name_w, height - 0.12, layer["name"], color, True, support, f"layer:{i}",
             grow=False)
        items = layer.get("items") or []
        width = (right - left) / max(len(items), 1)
        for j, item in enumerate(items):
            item_support = support_of(spec, f"layer:{i}:item:{j}", item)
            used.add(item_support)
            _box(ax, left + width * (j + 0.5), y, width - 0.12, height - 0.24, item["text"], color,
                 support=item_support, element_id=f"layer:{i}:item:{j}", grow=False)
    if side:
        support = support_of(spec, "side", side)
        used.add(support)
        _box(ax, 10.0 - 0.05 - side_w / 2, 3.0, side_w, 5.86, side["text"], side.get("color", 6), support=support,
             element_id="side", grow=False)
    _legend(fig, used)
    return fig


def rings(spec: dict):
    """Concentric ``rings`` from the centre out: {text, items: [{text, support}], color, width}.

    The core's label sits in the core; the other rings are labelled in a column on the left with a leader
    line into their band (never on a ring line); the outer ring's items sit inside its band.
    """
    height = _height(spec, 3.6)
    fig, ax = _canvas(spec, xlim=(-6.0, 6.0), ylim=(-3.1, 3.1), default_height=height, equal=True)
    used = set()
    ring_specs = spec["rings"]
    widths = [r.get("width", 0.75 if i == 0 else 0.55) for i, r in enumerate(ring_specs)]
    radius = list(np.cumsum(widths))
    for i in reversed(range(len(ring_specs))):
        ring = ring_specs[i]
        support = support_of(spec, f"ring:{i}", ring)
        used.add(support)
        circle = Circle((0, 0), radius[i], fc=FILL[ring.get("color", i) % len(FILL)], ec=EDGE, lw=0.8,
                        ls=LINESTYLE[support], hatch=HATCH[support], hatchcolor="#d0d0d0", zorder=1)
        ax.add_patch(circle)
        _tag(circle, support, f"ring:{i}")
    core = ax.text(0, 0, ring_specs[0]["text"], ha="center", va="center", fontsize=FONT, fontweight="bold",
                   zorder=4)
    _fit(ax, core, 2 * radius[0] * 0.72, 2 * radius[0] * 0.72, grow=False)
    outer = len(ring_specs) - 1
    label_x = -radius[-1] - 0.3
    for i in range(1, len(ring_specs)):
        ring = ring_specs[i]
        mid = (radius[i - 1] + radius[i]) / 2
        angle = np.radians(ring.get("label_angle", 200 + 25 * (i - 1)))
        tip = (mid * np.cos(angle), mid * np.sin(angle))
        y = ring.get("label_y", tip[1])
        text = ax.text(label_x, y, ring["text"], ha="right", va="center", fontsize=FONT, fontweight="bold",
                       zorder=4, linespacing=1.1)
        leader = Line2D([label_x + 0.08, tip[0]], [y, tip[1]], color="#777777", lw=0.7, zorder=3)
        ax.add_line(leader)
        leader.owner_text = text
        items = ring.get("items") or []
        for j, item in enumerate(items):
            support = support_of(spec, f"ring:{i}:item:{j}", item)
            used.add(support)
            spread = ring.get("spread", 0.64)
            a = np.pi * (0.5 + spread / 2 - spread * (j + 0.5) / len(items)) if i == outer else np.pi * 0.5
            item_text = ax.text(mid * np.cos(a), mid * np.sin(a), item["text"], ha="center", va="center",
                                fontsize=SMALL, linespacing=1.05, zorder=4,
                                bbox=_styled_text_box(support, fc=FILL[ring.get("color", i) % len(FILL)]))
            _tag(item_text, support, f"ring:{i}:item:{j}")
    _notes(ax, spec, "side_notes", "side_note", "left", used)
    _legend(fig, used)
    return fig


def _axes_chart(spec: dict, default_height: float, bottom_in: float = 0.75, left_in: float = 1.0,
                top_in: float = 0.1, right_in: float = 0.15):
    height = _height(spec, default_height)
    fig, ax = _new(spec, height)
    fig.subplots_adjust(left=left_in / WIDTH, right=1 - right_in / WIDTH, bottom=(FOOTER + bottom_in) / height,
                        top=1 - top_in / height)
    return fig, ax


def _marker(ax, x, y, color, support, element_id, size=70, **kwargs):
    filled = support == "stated"
    dots = ax.scatter([x], [y], s=size, zorder=3, facecolors=color if filled else "white", edgecolors=color,
                      linewidths=1.0 if filled else 1.4, linestyle="-" if filled else LINESTYLE[support], **kwargs)
    _tag(dots, support, element_id)
    return dots


def positions(spec: dict, coded: pd.DataFrame, notes: dict | None = None):
    """Items at ordinal (x, y) from ``coded`` (rows of this figure); ``xticks``/``yticks`` name the levels.

    ``notes`` (item -> text) adds a second line under an item's label, e.g. numbers from the ledger;
    ``curve`` in the spec draws the schematic life-cycle S-curve through the levels; ``fan`` a shaded sector.
    """
    fig, ax = _axes_chart(spec, 4.0, left_in=spec.get("left_in", 1.0))
    rows = coded[coded["figure"] == spec["label"]]
    if rows.empty:
        raise SpecError(f"{spec['label']}: no coded positions in data/coded/positions.csv")
    xt, yt = spec["xticks"], spec["yticks"]
    ax.set_xlim(-0.6, len(xt) - 0.4 + spec.get("right_margin", 0))
    ax.set_ylim(-0.75, len(yt) - 0.4)
    ax.set_xticks(range(len(xt)), xt, fontsize=SMALL)
    ax.set_yticks(range(len(yt)), yt, fontsize=SMALL)
    ax.set_xlabel(spec.get("xlabel", ""), fontsize=FONT)
    ax.set_ylabel(spec.get("ylabel", ""), fontsize=FONT)
    ax.grid(True, axis="both", color="#eeeeee")
    used = set(rows["support"])
    if spec.get("fan"):
        fan = spec["fan"]
        support = support_of(spec, "fan", fan)
        used.add(support)
        # a tinted sector; its outline is drawn only when the fan is not stated (dashed or dotted)
        wedge = Wedge(tuple(fan["centre"]), fan["radius"], fan.get("from", 0), fan.get("to", 90), fc="#fbe3d1",
                      ec="#c55a11", lw=0 if support == "stated" else 0.8, alpha=0.5, zorder=0,
                      ls=LINESTYLE[support], hatch=HATCH[support])
        ax.add_patch(wedge)
        _tag(wedge, support, "fan")
        if fan.get("text"):
            ax.text(*fan["text_at"], fan["text"], fontsize=SMALL, color="#c55a11", zorder=2,
                    ha=fan.get("ha", "left"))
    def on_curve(x):
        return (len(yt) - 1) / (1 + np.exp(-1.6 * (x - (len(xt) - 1) / 2))) * 1.1 - 0.05

    if spec.get("curve"):
        support = support_of(spec, "curve", spec["curve"])
        used.add(support)
        xs = np.linspace(-0.3, len(xt) - 0.7, 200)
        (line,) = ax.plot(xs, on_curve(xs), color="#999999", lw=1.2, zorder=1, ls=LINESTYLE[support])
        _tag(line, support, "curve")
    notes = notes or {}
    for (x, y), group in rows.groupby(["x", "y"], sort=False):
        if spec.get("curve"):  # a schematic level: the item sits on the curve above its stage
            y = float(on_curve(x))
        actors = {charts.actor_of(item) for item in group["item"]} - {None}
        # a recurring actor in its own colour; anything else in the one neutral colour (a palette colour would read
        # as an actor or a role: Figure 2-11's specialised platforms were drawn in the book's blue, near Tencent's)
        color = charts.actor_color(actors.pop()) if len(actors) == 1 else charts.NEUTRAL_COLOR
        for _, row in group.iterrows():
            _marker(ax, x, y, color, row["support"], f"position:{row['item']}", size=90, alpha=0.9)
        lines = [item + (f"\n{notes[item]}" if item in notes else "") for item in group["item"]]
        right = spec.get("labels") == "right"
        ax.annotate("\n".join(lines), (x, y), xytext=(7, -5) if right else (0, -8), textcoords="offset points",
                    fontsize=SMALL, va="top", ha="left" if right else "center",
                    linespacing=1.1, zorder=4)
    _legend(fig, used, markers=True)
    return fig


def timeline(spec: dict):
    """``lanes`` (names) and ``events`` {year, lane, text, kind, support}; kinds colour consumer vs industrial."""
    fig, ax = _axes_chart(spec, 3.4, bottom_in=0.45, left_in=1.2, top_in=0.3, right_in=0.3)
    lanes = spec["lanes"]
    colors = spec.get("colors", {})
    events = spec["events"]
    years = [e["year"] for e in events]
    ax.set_xlim(min(years) - 2.5, max(years) + 2.5)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_yticks(range(len(lanes)), lanes, fontsize=SMALL)
    ax.tick_params(axis="x", labelsize=SMALL)
    charts.year_axis(ax)
    ax.grid(True, axis="x", color="#eeeeee")
    ax.grid(False, axis="y")
    used = set()
    placed, order = {}, {}
    for i, event in sorted(enumerate(events), key=lambda e: e[1]["year"]):
        support = support_of(spec, f"event:{i}", event)
        used.add(support)
        lane = lanes.index(event["lane"])
        k = placed.get((lane, event["year"]), 0)
        placed[lane, event["year"]] = k + 1
        below = k == 0 and order.get(lane, 0) % 2 == 1  # alternate above/below along a lane
        order[lane] = order.get(lane, 0) + (k == 0)
        color = colors.get(event.get("kind"), charts.PALETTE[0])
        _marker(ax, event["year"], lane, color, support, f"event:{i}", size=36)
        ax.annotate(f"{event['text']} ({event['year']})", (event["year"], lane),
                    xytext=(0, -15 if below else 7 + 11 * k), textcoords="offset points",
                    ha="center", fontsize=SMALL, color=color)
    handles = [Line2D([], [], marker="o", ls="none", color=c, label=k) for k, c in colors.items()]
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handles), fontsize=SMALL,
                  borderaxespad=0.1)
    ax.set_xlabel(spec.get("xlabel", "year"), fontsize=FONT)
    _legend(fig, used, markers=True)
    return fig


def radar(spec: dict, coded: pd.DataFrame):
    """Scores of ``series`` over ``dimensions`` (in the spec's order) from ``coded`` rows of this figure.

    Stated scores are filled dots on the polygon, inferred scores hollow ones.
    """
    height = _height(spec, 3.4)
    fig, ax = _new(spec, height)
    ax.remove()
    sources = spec.get("scores_from", [spec["label"]])
    rows = coded[coded["figure"].isin(sources if isinstance(sources, list) else [sources])]
    dims = spec["dimensions"]
    series = spec.get("series") or list(dict.fromkeys(rows["series"]))
    legend = len(series) > 1 or spec.get("legend")
    # a square polar plot with room for the dimension labels; the series legend (if any) to its right
    side = height - FOOTER - 0.85
    left = 1.3 if legend else (WIDTH - side) / 2
    ax = fig.add_axes([left / WIDTH, (FOOTER + 0.4) / height, side / WIDTH, side / height], projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    angles = np.linspace(0, 2 * np.pi, len(dims), endpoint=False)
    top = spec.get("scale_max", 5)
    used = set()
    for k, name in enumerate(series):
        sub = rows[rows["series"] == name].set_index("dimension")
        missing = [d for d in dims if d not in sub.index]
        if missing:
            raise SpecError(f"{spec['label']}: {name} has no coded score for {missing}")
        values = np.array([sub.loc[d, "score"] for d in dims], dtype=float)
        color = series_color(spec, name, k)
        ax.plot(np.append(angles, angles[0]), np.append(values, values[0]), color=color, lw=1.5,
                label=spec.get("series_labels", {}).get(name, name))
        ax.fill(angles, values, color=color, alpha=0.1 if len(series) > 1 else 0.2)
        for angle, value, dim in zip(angles, values, dims):
            support = sub.loc[dim, "support"]
            used.add(support)
            _marker(ax, angle, value, color, support, f"score:{name}:{dim}", size=28)
    # dimension labels outside the ring, anchored RADAR_CLEARANCE points beyond it and aligned away from the centre,
    # so that no label touches the ring or a marker on it (tests/test_diagram_layout.py measures the clearance)
    ax.set_xticks(angles, [""] * len(dims))
    for angle, text in zip(angles, spec.get("dimension_labels", dims)):
        across, up = np.sin(angle), np.cos(angle)   # screen directions (0 at the top, clockwise)
        ax.annotate(text, (angle, top), xytext=(RADAR_CLEARANCE * across, RADAR_CLEARANCE * up),
                    textcoords="offset points", fontsize=SMALL, annotation_clip=False, linespacing=1.1,
                    ha="center" if abs(across) < 0.2 else ("left" if across > 0 else "right"),
                    va="center" if abs(up) < 0.2 else ("bottom" if up > 0 else "top"))
    ax.set_ylim(0, top)
    ax.set_rlabel_position(360 / len(dims) / 2)
    ax.set_yticks(range(1, top + 1), [str(i) for i in range(1, top + 1)], fontsize=MIN_FONT, color="#888888")
    ax.grid(True, color="#dddddd")
    if legend:
        ax.legend(loc="center left", bbox_to_anchor=(1.0 + 1.0 / side, 0.5), fontsize=SMALL)
    _legend(fig, used, markers=True)
    return fig


def matrix(spec: dict, coded: pd.DataFrame):
    """One dot per (row = dimension, column = series), sized and labelled by the coded score."""
    rows_ = coded[coded["figure"] == spec["label"]]
    dims = spec["dimensions"]
    series = spec.get("series") or list(dict.fromkeys(rows_["series"]))
    fig, ax = _axes_chart(spec, 3.0, bottom_in=0.35, left_in=spec.get("left_in", 2.0))
    top = spec.get("scale_max", 5)
    used = set()
    for j, name in enumerate(series):
        sub = rows_[rows_["series"] == name].set_index("dimension")
        for i, dim in enumerate(dims):
            if dim in sub.index:
                value, support = float(sub.loc[dim, "score"]), sub.loc[dim, "support"]
                used.add(support)
                color = series_color(spec, name, j)
                _marker(ax, j, i, color, support, f"score:{name}:{dim}", size=60 + 420 * value / top,
                        alpha=0.35 + 0.5 * value / top)
                ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=SMALL, zorder=4)
    ax.set_xticks(range(len(series)), spec.get("series_labels_list", series), fontsize=FONT)
    ax.set_yticks(range(len(dims)), spec.get("dimension_labels", dims), fontsize=SMALL)
    ax.set_xlim(-0.6, len(series) - 0.4)
    ax.set_ylim(-0.6, len(dims) - 0.4)
    ax.grid(True, axis="both", color="#eeeeee")
    ax.set_xlabel(spec.get("xlabel", ""))
    _legend(fig, used, markers=True)
    return fig


def series_color(spec: dict, name: str, k: int) -> str:
    """A series' colour: a recurring actor (named by the series or its label) has its one colour in every figure
    (``charts.ACTOR_COLORS``); other series take the palette in order (or the index ``colors`` gives them)."""
    label = spec.get("series_labels", {}).get(name, name)
    actor = charts.actor_of(name) or charts.actor_of(label)
    if actor is not None:
        return charts.actor_color(actor)
    return charts.PALETTE[spec.get("colors", {}).get(name, k) % len(charts.PALETTE)]


def draw(spec: dict, scores: pd.DataFrame | None = None, positions_: pd.DataFrame | None = None,
         notes: dict | None = None):
    """Draw one specification; coded kinds read ``scores``/``positions_`` (default: data/coded/)."""
    kind = spec["kind"]
    if kind == "radar":
        return radar(spec, coded_scores() if scores is None else scores)
    if kind == "matrix":
        return matrix(spec, coded_scores() if scores is None else scores)
    if kind == "positions":
        return positions(spec, coded_positions() if positions_ is None else positions_, notes)
    return {"boxes": boxes, "layers": layers, "rings": rings, "timeline": timeline}[kind](spec)


def coded_table(spec: dict, scores: pd.DataFrame, positions_: pd.DataFrame) -> pd.DataFrame | None:
    """The coded values a coded figure draws, with their ``support`` and ``rule`` (None for a diagram)."""
    if spec["kind"] in ("radar", "matrix"):
        sources = spec.get("scores_from", [spec["label"]])
        rows = scores[scores["figure"].isin(sources if isinstance(sources, list) else [sources])]
        series = spec.get("series") or list(dict.fromkeys(rows["series"]))
        rows = rows[rows["series"].isin(series) & rows["dimension"].isin(spec["dimensions"])]
        return rows[["series", "dimension", "score", "support", "rule"]].reset_index(drop=True)
    if spec["kind"] == "positions":
        rows = positions_[positions_["figure"] == spec["label"]].copy()
        xt, yt = spec["xticks"], spec["yticks"]
        rows["x_level"] = [xt[int(x)].replace("\n", " ") for x in rows["x"]]
        rows["y_level"] = [yt[int(y)].replace("\n", " ") for y in rows["y"]]
        return rows[["item", "x", "x_level", "y", "y_level", "support", "rule"]].reset_index(drop=True)
    return None


def glue_all(prefix: str, notes: dict | None = None) -> list[str]:
    """Draw and glue every specified figure whose label starts with ``prefix`` (e.g. ``fig-1-``).

    ``notes``: label -> {item: text} for position charts that carry numbers from the ledger.
    """
    specs = load_specs()
    scores, pos = coded_scores(), coded_positions()
    done = []
    for label, spec in specs.items():
        if label.startswith(prefix):
            charts.glue_figure(label, draw(spec, scores, pos, (notes or {}).get(label)), coded_table(spec, scores, pos))
            done.append(label)
    return done


# ----------------------------------------------------------------------------------------------------
# layout checks (used by tests/test_diagram_layout.py): lib/present/figure_layout.py, shared with the charts

layout_problems = figure_layout.layout_problems
