"""The figure layout check, for diagrams and charts alike, in either language.

``layout_problems(fig)`` lists, from the renderer's extents (one pixel of tolerance for anti-aliasing):

* text set below the smallest size, leaving the canvas or its box, or overlapping other text;
* in diagrams and coded charts (``strokes=True``): an outline or a drawn line (a radar's polygon, a marker's edge)
  through a text the figure placed itself;
* a legend over plotted data: a line's vertices or segments, a scatter point, a bar or a filled polygon inside the
  legend's box (shading of spans and grids are not data).

``charts.glue_figure`` runs it on every figure in English and in Chinese and glues what it finds beside the figure
(tests/test_figures_site.py fails on any); tests/test_diagram_layout.py runs it on the specified diagrams and on
planted collisions.
"""
from __future__ import annotations

from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
from matplotlib.patches import Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

__all__ = ["MIN_FONT", "visible_texts", "legend_collisions", "layout_problems"]

MIN_FONT = 7.0   # pt, = diagrams.MIN_FONT: text is never set smaller


def _renderer(fig):
    try:
        return fig.canvas.get_renderer()
    except AttributeError:  # pragma: no cover - non-Agg canvases
        return fig._get_renderer()


def visible_texts(fig) -> list[Text]:
    """The texts a reader sees: visible, not empty, and not the labels of ticks outside the view."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            shown = ax.get_visible() and ax.axison and axis.get_visible()   # an axis switched off draws no ticks
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not shown or not low - 1e-9 <= tick.get_loc() <= high + 1e-9 or not tick.get_visible():
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def _legends(fig) -> list[Legend]:
    found = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    return [lg for lg in found if lg.get_visible()]


def legend_collisions(fig, renderer=None) -> list[str]:
    """A legend's box over plotted data of any axes of the figure (lines, points, bars, filled polygons)."""
    renderer = renderer or _renderer(fig)
    problems = []
    for legend in _legends(fig):
        box = legend.get_window_extent(renderer).padded(-1)
        name = repr(" / ".join(t.get_text() for t in legend.get_texts())[:40])
        for ax in fig.axes:
            hit = None
            for line in ax.lines:
                if not line.get_visible() or len(line.get_xydata()) == 0:
                    continue
                path = line.get_transform().transform_path(line.get_path())
                if line.get_linestyle() in ("None", "none", "", " "):
                    if any(box.contains(*p) for p in path.vertices):
                        hit = f"the points of {line.get_label()!r}"
                elif path.intersects_bbox(box, filled=False) or any(box.contains(*p) for p in path.vertices):
                    hit = f"the line {line.get_label()!r}"
                if hit:
                    break
            for coll in ax.collections if hit is None else []:
                if isinstance(coll, PathCollection) and coll.get_visible() and len(coll.get_offsets()):
                    points = coll.get_offset_transform().transform(coll.get_offsets())
                    if any(box.contains(*p) for p in points):
                        hit = f"the points of {coll.get_label()!r}"
                        break
            for patch in ax.patches if hit is None else []:
                if not patch.get_visible() or not isinstance(patch, (Rectangle, Polygon)):
                    continue
                if isinstance(patch, Rectangle) and patch.get_transform() != ax.transData and \
                        not patch.get_transform().contains_branch(ax.transData):
                    continue   # an axvspan/axhspan shade, not data
                extent = patch.get_window_extent(renderer)
                if extent.width > 0 and extent.height > 0 and extent.overlaps(box) and \
                        MplPath(patch.get_transform().transform_path(patch.get_path()).vertices).intersects_bbox(box):
                    hit = f"a {type(patch).__name__}"
                    break
            if hit:
                problems.append(f"the legend {name} lies over {hit}")
    return problems


def layout_problems(fig, strokes: bool = True, draw: bool = True, canvas_rule: bool | None = None) -> list[str]:
    """Text that leaves its box, overlaps other text, is crossed by a line or an outline, or leaves the canvas (the
    last two for diagrams, ``strokes`` and ``canvas_rule`` (default: as ``strokes``): a chart is saved to the tight box
    of all it draws, so nothing of it is cut),
    and legends over data. ``draw=False`` when the figure has just been drawn."""
    if draw:
        fig.draw_without_rendering()   # the extents, without rasterizing
    canvas_rule = strokes if canvas_rule is None else canvas_rule
    renderer = _renderer(fig)
    canvas = fig.bbox
    problems = []
    texts = visible_texts(fig)
    boxes_ = {id(t): t.get_window_extent(renderer) for t in texts}

    def name(t):
        return repr(t.get_text()[:40])

    for t in texts:
        bb = boxes_[id(t)]
        if t.get_fontsize() < MIN_FONT - 1e-6:
            problems.append(f"{name(t)} is set at {t.get_fontsize():.1f} pt, below {MIN_FONT} pt")
        if canvas_rule and (bb.x0 < canvas.x0 - 1 or bb.y0 < canvas.y0 - 1 or bb.x1 > canvas.x1 + 1 or bb.y1 > canvas.y1 + 1):
            problems.append(f"{name(t)} leaves the canvas")
        container = getattr(t, "container", None)
        if container is not None:
            cb = container.get_window_extent(renderer)
            if bb.x0 < cb.x0 - 1 or bb.x1 > cb.x1 + 1 or bb.y0 < cb.y0 - 1 or bb.y1 > cb.y1 + 1:
                problems.append(f"{name(t)} leaves its box")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            ba, bb = boxes_[id(a)].padded(-1), boxes_[id(b)].padded(-1)
            if ba.overlaps(bb):
                problems.append(f"{name(a)} overlaps {name(b)}")
    if strokes:
        problems += _strokes(fig, boxes_)
    return problems + legend_collisions(fig, renderer)


def _strokes(fig, boxes_: dict) -> list[str]:
    """Outlines and drawn lines (not grid lines or axes) through a text the figure placed itself."""
    problems = []
    shapes = []
    for ax in fig.axes:
        for patch in ax.patches:
            if patch.get_linewidth() == 0 or patch.get_edgecolor()[3] == 0:
                continue  # a tint without an outline strikes nothing through
            shapes.append((patch, patch.get_transform().transform_path(patch.get_path())))
        for line in ax.lines:
            shapes.append((line, line.get_transform().transform_path(line.get_path())))
    own = [t for ax in fig.axes for t in ax.texts if isinstance(t, Text) and t.get_text().strip()]
    for t in own:
        bb = boxes_.get(id(t))
        if bb is None:
            continue
        inner = bb.padded(-1)
        for artist, path in shapes:
            if artist is getattr(t, "owner", None) or getattr(artist, "owner_text", None) is t:
                continue
            for polygon in path.to_polygons(closed_only=False):
                if MplPath(polygon).intersects_bbox(inner, filled=False):
                    problems.append(f"{repr(t.get_text()[:40])} is crossed by a {type(artist).__name__}")
                    break
    return problems

