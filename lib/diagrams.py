"""Draw the report's lost figures from specifications in ``data/figures/*.yml``.

One helper per kind of picture, each reading a plain dict (one YAML entry):

- ``boxes``: labelled boxes on a 10 x 6 canvas, arrows between them, optional frames (flows, VSP,
  quadrants, nested scopes).
- ``layers``: horizontal layers stacked bottom to top, each with its items (architectures, stacks).
- ``rings``: concentric rings with a label per ring and items placed around it (差序格局).
- ``positions``: items placed on two ordinal axes with named ticks (coded positions).
- ``timeline``: dated events in lanes (one lane per region).
- ``radar``: ordinal scores per series over several dimensions (coded scores).
- ``matrix``: an ordinal score per row and column, drawn as sized dots (coded positions on a grid).

``draw(spec, scores=None, positions=None)`` dispatches on ``spec['kind']`` and returns the figure.
Coded kinds take their numbers from ``data/coded/`` (each score with the sentence that justifies it).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle, Wedge

from lib import charts, ledger, paths

FIGURES = paths.DATA / "figures"
CODED = paths.DATA / "coded"
KINDS = ("boxes", "layers", "rings", "positions", "timeline", "radar", "matrix")
FILL = ["#dbe7f3", "#fbe3d1", "#e2efd9", "#fff2cc", "#e9dcf3", "#ddebf7", "#ededed"]


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


def coded_scores() -> pd.DataFrame:
    """Ordinal scores (figure, series, dimension, score, quote) coded from the report's text."""
    return pd.read_csv(CODED / "scores.csv", comment="#", encoding="utf-8")


def coded_positions() -> pd.DataFrame:
    """Ordinal positions (figure, item, x, y, quote) coded from the report's text."""
    return pd.read_csv(CODED / "positions.csv", comment="#", encoding="utf-8")


def _stamp(spec: dict) -> str:
    return spec.get("stamp", {"radar": "coded", "matrix": "coded", "positions": "coded"}.get(spec["kind"], "diagram"))


def _stamp_on_top(fig) -> None:
    """Move the kind stamp to the top-right corner, clear of axis labels (charts with axes)."""
    stamp = fig.texts[0]
    stamp.set_y(0.995)
    stamp.set_va("top")
    fig.subplots_adjust(top=0.9)


def _canvas(spec: dict, xlim=(0, 10), ylim=(0, 6)):
    w, h = spec.get("size", [7.0, 3.6])
    fig, ax = charts.figure(w, h, kind=_stamp(spec))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axis("off")
    return fig, ax


def _box(ax, x, y, w, h, text, color=0, fontsize=8.5, bold=False, edge="#4d4d4d"):
    face = FILL[color % len(FILL)] if isinstance(color, int) else color
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                fc=face, ec=edge, lw=0.8))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, wrap=True,
            fontweight="bold" if bold else "normal", linespacing=1.15)


def _arrow(ax, p, q, label=None, style="-|>", both=False):
    arrow = FancyArrowPatch(p, q, arrowstyle="<|-|>" if both else style, mutation_scale=10, lw=1.0,
                            color="#555555", shrinkA=2, shrinkB=2)
    ax.add_patch(arrow)
    if label:
        ax.text((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, label, ha="center", va="center", fontsize=7.5,
                color="#333333", bbox=dict(fc="white", ec="none", pad=1.0, alpha=0.9), zorder=5)


def _edge_point(node, toward):
    """Where the segment from a box centre toward another point leaves the box."""
    x, y, w, h = node["at"][0], node["at"][1], node.get("w", 2.0), node.get("h", 0.8)
    dx, dy = toward[0] - x, toward[1] - y
    if dx == 0 and dy == 0:
        return x, y
    scale = min((w / 2) / abs(dx) if dx else np.inf, (h / 2) / abs(dy) if dy else np.inf)
    return x + dx * scale, y + dy * scale


def boxes(spec: dict):
    """Boxes (``nodes``: id -> {text, at: [x, y], w, h, color}), ``arrows`` [from, to, label], ``frames``."""
    fig, ax = _canvas(spec)
    for frame in spec.get("frames", []):
        x0, y0, x1, y1 = frame["box"]
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc=frame.get("fill", "none"), ec="#999999",
                               lw=0.8, ls=frame.get("ls", "--")))
        ax.text(x0 + 0.08, y1 - 0.08, frame.get("text", ""), ha="left", va="top", fontsize=8, color="#333333",
                fontstyle="italic")
    nodes = spec.get("nodes", {})
    for node in nodes.values():
        _box(ax, node["at"][0], node["at"][1], node.get("w", 2.0), node.get("h", 0.8), fill(node["text"]),
             node.get("color", 0), node.get("fontsize", 8.5), node.get("bold", False))
    for arrow in spec.get("arrows", []):
        unknown = [end for end in arrow[:2] if end not in nodes]
        if unknown:
            raise SpecError(f"{spec.get('label')}: arrow {arrow} names unknown box(es) {unknown}")
        a, b = nodes[arrow[0]], nodes[arrow[1]]
        p, q = _edge_point(a, b["at"]), _edge_point(b, a["at"])
        _arrow(ax, p, q, arrow[2] if len(arrow) > 2 else None, both=arrow[3] == "both" if len(arrow) > 3 else False)
    for note in spec.get("notes", []):
        ax.text(note["at"][0], note["at"][1], note["text"], ha=note.get("ha", "center"), va="center",
                fontsize=note.get("fontsize", 8), color=note.get("color", "#333333"), rotation=note.get("rotation", 0))
    return fig


def layers(spec: dict):
    """``layers`` bottom to top: {name, items: [...], color}; optional ``side`` column {text}."""
    fig, ax = _canvas(spec)
    rows = spec["layers"]
    left, right = 2.3, 10.0 - (2.3 if spec.get("side") else 0.1)
    height = 5.8 / len(rows)
    for i, layer in enumerate(rows):
        y = 0.1 + i * height
        ax.add_patch(Rectangle((0.05, y + 0.05), 2.1, height - 0.1, fc=FILL[layer.get("color", i) % len(FILL)],
                               ec="#4d4d4d", lw=0.8))
        ax.text(1.1, y + height / 2, layer["name"], ha="center", va="center", fontsize=8.5, fontweight="bold")
        items = layer.get("items", [])
        width = (right - left) / max(len(items), 1)
        for j, item in enumerate(items):
            _box(ax, left + width * (j + 0.5), y + height / 2, width - 0.15, height - 0.3, item,
                 layer.get("color", i), fontsize=layer.get("fontsize", 7.5))
    if spec.get("side"):
        _box(ax, 10.0 - 1.1, 3.0, 2.1, 5.6, spec["side"]["text"], spec["side"].get("color", 6), fontsize=7.2)
    return fig


def rings(spec: dict):
    """Concentric ``rings`` from the centre out: {text, items: [...]}; the first ring is the core."""
    fig, ax = _canvas(spec, xlim=(-5.6, 5.6), ylim=(-3.05, 3.05))
    ax.set_aspect("equal")
    n = len(spec["rings"])
    radius = [0.75 + 2.25 * i / max(n - 1, 1) for i in range(n)]
    for i in reversed(range(n)):
        ring = spec["rings"][i]
        ax.add_patch(Circle((0, 0), radius[i], fc=FILL[ring.get("color", i) % len(FILL)], ec="#4d4d4d", lw=0.8))
    for i, ring in enumerate(spec["rings"]):
        inner = radius[i - 1] if i else 0.0
        y_label = 0 if i == 0 else (inner + radius[i]) / 2
        ax.text(0, y_label if i == 0 else -y_label, ring["text"], ha="center", va="center", fontsize=8,
                fontweight="bold")
        items = ring.get("items", [])
        for j, item in enumerate(items):
            angle = np.pi * (0.15 + 0.7 * (j + 0.5) / len(items))
            r = (inner + radius[i]) / 2
            ax.text(r * np.cos(np.pi - angle) * 1.02, r * np.sin(angle) * 0.98, item, ha="center", va="center",
                    fontsize=7.2)
    for side in spec.get("side_notes", []):
        ax.text(side["at"][0], side["at"][1], side["text"], ha=side.get("ha", "left"), va="center", fontsize=7.8,
                color="#333333")
    return fig


def positions(spec: dict, coded: pd.DataFrame, notes: dict | None = None):
    """Items at ordinal (x, y) from ``coded`` (rows of this figure); ``xticks``/``yticks`` name the levels.

    ``notes`` (item -> text) adds a second line under an item's label, e.g. numbers from the ledger;
    ``curve: true`` in the spec draws the schematic life-cycle S-curve through the levels.
    """
    fig, ax = charts.figure(*spec.get("size", [6.5, 4.2]), kind=_stamp(spec))
    _stamp_on_top(fig)
    rows = coded[coded["figure"] == spec["label"]]
    if rows.empty:
        raise SpecError(f"{spec['label']}: no coded positions in data/coded/positions.csv")
    xt, yt = spec["xticks"], spec["yticks"]
    ax.set_xlim(-0.6, len(xt) - 0.4 + spec.get("right_margin", 0))
    ax.set_ylim(-0.75, len(yt) - 0.4)
    ax.set_xticks(range(len(xt)), xt, fontsize=8)
    ax.set_yticks(range(len(yt)), yt, fontsize=8)
    ax.set_xlabel(spec.get("xlabel", ""))
    ax.set_ylabel(spec.get("ylabel", ""))
    ax.grid(True, axis="both", color="#eeeeee")
    if spec.get("fan"):
        x0, y0 = spec["fan"]["centre"]
        ax.add_patch(Wedge((x0, y0), spec["fan"]["radius"], spec["fan"].get("from", 0), spec["fan"].get("to", 90),
                           fc="#fbe3d1", ec="#c55a11", lw=0.8, alpha=0.5, zorder=0))
        if spec["fan"].get("text"):
            ax.text(*spec["fan"]["text_at"], spec["fan"]["text"], fontsize=8, color="#c55a11")
    if spec.get("curve"):
        xs = np.linspace(-0.3, len(xt) - 0.7, 200)
        ax.plot(xs, (len(yt) - 1) / (1 + np.exp(-1.6 * (xs - (len(xt) - 1) / 2))) * 1.1 - 0.05,
                color="#999999", lw=1.2, zorder=1)
    notes = notes or {}
    for k, ((x, y), group) in enumerate(rows.groupby(["x", "y"], sort=False)):
        ax.scatter(x, y, s=90, color=charts.PALETTE[k % 6], zorder=3, alpha=0.9)
        lines = [item + (f"\n{notes[item]}" if item in notes else "") for item in group["item"]]
        ax.annotate("\n".join(lines), (x, y), xytext=(0, -8), textcoords="offset points", fontsize=7.2, va="top",
                    ha="center", linespacing=1.1)
    return fig


def timeline(spec: dict):
    """``lanes`` (names) and ``events`` {year, lane, text, kind}; kinds colour consumer vs industrial."""
    fig, ax = charts.figure(*spec.get("size", [7.2, 3.6]), kind=_stamp(spec))
    _stamp_on_top(fig)
    lanes = spec["lanes"]
    colors = spec.get("colors", {})
    years = [e["year"] for e in spec["events"]]
    ax.set_xlim(min(years) - 1.5, max(years) + 1.5)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.grid(True, axis="x", color="#eeeeee")
    ax.grid(False, axis="y")
    placed, order = {}, {}
    for event in sorted(spec["events"], key=lambda e: e["year"]):
        lane = lanes.index(event["lane"])
        k = placed.get((lane, event["year"]), 0)
        placed[lane, event["year"]] = k + 1
        below = k == 0 and order.get(lane, 0) % 2 == 1  # alternate above/below along a lane
        order[lane] = order.get(lane, 0) + (k == 0)
        color = colors.get(event.get("kind"), charts.PALETTE[0])
        ax.scatter(event["year"], lane, color=color, s=36, zorder=3)
        ax.annotate(f"{event['text']} ({event['year']})", (event["year"], lane),
                    xytext=(0, -15 if below else 7 + 11 * k), textcoords="offset points",
                    ha="center", fontsize=7.2, color=color)
    for kind, color in colors.items():
        ax.scatter([], [], color=color, label=kind)
    if colors:
        ax.legend(loc="lower right", fontsize=7.5)
    ax.set_xlabel(spec.get("xlabel", "year"))
    return fig


def radar(spec: dict, coded: pd.DataFrame):
    """Scores of ``series`` over ``dimensions`` (in the spec's order) from ``coded`` rows of this figure."""
    fig, ax = charts.figure(*spec.get("size", [4.2, 3.6]), kind=_stamp(spec))
    ax.remove()
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    sources = spec.get("scores_from", [spec["label"]])
    rows = coded[coded["figure"].isin(sources if isinstance(sources, list) else [sources])]
    dims = spec["dimensions"]
    series = spec.get("series") or list(dict.fromkeys(rows["series"]))
    angles = np.linspace(0, 2 * np.pi, len(dims), endpoint=False)
    top = spec.get("scale_max", 5)
    for k, name in enumerate(series):
        sub = rows[rows["series"] == name].set_index("dimension")["score"]
        missing = [d for d in dims if d not in sub.index]
        if missing:
            raise SpecError(f"{spec['label']}: {name} has no coded score for {missing}")
        values = np.array([sub[d] for d in dims], dtype=float)
        color = charts.PALETTE[spec.get("colors", {}).get(name, k) % len(charts.PALETTE)]
        ax.plot(np.append(angles, angles[0]), np.append(values, values[0]), color=color, lw=1.5,
                label=spec.get("series_labels", {}).get(name, name))
        ax.fill(angles, values, color=color, alpha=0.12 if len(series) > 1 else 0.25)
    ax.set_xticks(angles, spec.get("dimension_labels", dims), fontsize=7.5)
    ax.xaxis.set_tick_params(pad=4)
    ax.set_ylim(0, top)
    ax.set_yticks(range(1, top + 1), [str(i) for i in range(1, top + 1)], fontsize=6.5, color="#888888")
    ax.grid(True, color="#dddddd")
    if len(series) > 1 or spec.get("legend"):
        ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.05), fontsize=7.5)
    return fig


def matrix(spec: dict, coded: pd.DataFrame):
    """One dot per (row = dimension, column = series), sized and labelled by the coded score."""
    rows_ = coded[coded["figure"] == spec["label"]]
    dims = spec["dimensions"]
    series = spec.get("series") or list(dict.fromkeys(rows_["series"]))
    fig, ax = charts.figure(*spec.get("size", [6.0, 3.8]), kind=_stamp(spec))
    _stamp_on_top(fig)
    top = spec.get("scale_max", 5)
    for j, name in enumerate(series):
        sub = rows_[rows_["series"] == name].set_index("dimension")["score"]
        for i, dim in enumerate(dims):
            if dim in sub.index:
                value = float(sub[dim])
                ax.scatter(j, i, s=60 + 420 * value / top, color=charts.PALETTE[j % 6], alpha=0.25 + 0.6 * value / top,
                           zorder=3)
                ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=7.5, zorder=4)
    ax.set_xticks(range(len(series)), spec.get("series_labels_list", series), fontsize=8)
    ax.set_yticks(range(len(dims)), spec.get("dimension_labels", dims), fontsize=7.5)
    ax.set_xlim(-0.6, len(series) - 0.4)
    ax.set_ylim(-0.6, len(dims) - 0.4)
    ax.grid(True, axis="both", color="#eeeeee")
    for y, text in spec.get("bands", []):
        ax.axhline(y, color="#aaaaaa", lw=0.8, ls="--")
        ax.text(len(series) - 0.45, y + 0.1, text, ha="right", fontsize=7.5, color="#666666")
    ax.set_xlabel(spec.get("xlabel", ""))
    return fig


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


def glue_all(prefix: str, notes: dict | None = None) -> list[str]:
    """Draw and glue every specified figure whose label starts with ``prefix`` (e.g. ``fig-1-``).

    ``notes``: label -> {item: text} for position charts that carry numbers from the ledger.
    """
    specs = load_specs()
    scores, pos = coded_scores(), coded_positions()
    done = []
    for label, spec in specs.items():
        if label.startswith(prefix):
            charts.glue_figure(label, draw(spec, scores, pos, (notes or {}).get(label)))
            done.append(label)
    return done
