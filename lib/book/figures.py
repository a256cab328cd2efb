"""Figures on the page: alternative text from the caption, the figure's data beside it, a full-size view.

* Every ``<img>`` of a figure gets its caption (in the page's language, without the figure number) as its
  alternative text; Sphinx would otherwise write the image's file path.
* A data figure glues the table it plots (``lib.present.charts.glue_figure``); the build writes it to
  ``downloads/figures/<label>.csv`` (a first line naming the figure, then the tidy table; Chinese headers in the
  Chinese edition) and the caption links it: "Data (CSV)" / "数据（CSV）".
* The image is wrapped in a plain link to itself, so a tap or a click (or Enter on the focused link) opens it at
  full resolution; no script.

One hook in ``lib.book.book_extension.setup``: ``app.setup_extension("lib.book.figures")``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from lib.book import directives, private
from lib.inputs import buildguard
from lib.present import charts, comparison, figure_text

__all__ = ["TEXT", "HEADERS", "caption_text", "figure_payloads", "collect_figure_data", "decorate_figures",
           "MARKS", "figure_csv", "write_figure_data", "on_env_purge_doc", "on_env_merge_info", "figure_downloads_placeholder",
           "FigureDownloads", "LISTING", "figure_listing", "resolve_figure_downloads", "setup"]

TEXT = {"en": {"data": "Data (CSV)", "figure": "Figure", "open": "open the figure at full size"},
        "zh": {"data": "数据（CSV）", "figure": "图", "open": "以原始尺寸打开此图"}}
# the columns of the downloads page's list of figure files
LISTING = {"en": ["figure", "what it shows", "file", "rows"], "zh": ["图", "内容", "文件", "行数"]}
# the columns of charts.plotted_table, as the Chinese edition's CSV names them
HEADERS = {"panel": "分图", "series": "系列", "mark": "图形", "x": "x", "x_category": "x 类别", "y": "y",
           "x_axis": "x 轴（含单位）", "y_axis": "y 轴（含单位）", "dimension": "维度", "score": "得分（序数）",
           "support": "依据 support", "rule": "编码规则", "item": "项目", "x_level": "x 层级", "y_level": "y 层级"}
MARKS = {"bar": "柱", "line": "线", "point": "点", "cell": "格", "reference line": "参考线"}


def _lang(app) -> str:
    return "zh" if (app.config.language or "en").startswith("zh") else "en"


def caption_text(figure: nodes.figure) -> str:
    """What the figure shows: its caption's text, on one line (the number is added by the writer, not here)."""
    caption = next(iter(figure.findall(nodes.caption)), None)
    if caption is None:
        return ""
    parts = [_plain_math(node.astext()) if isinstance(node, nodes.math) else node.astext()
             for node in caption.findall(lambda n: isinstance(n, (nodes.math, nodes.Text))
                                         and not isinstance(n.parent, nodes.math))]
    return " ".join("".join(parts).split())


_SUBSCRIPT = str.maketrans("0123456789aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def _plain_math(tex: str) -> str:
    """Inline LaTeX as a reader reads it aloud in alt text: 'R_i' -> 'Rᵢ', '\\alpha' -> 'alpha', braces dropped."""
    text = re.sub(r"_\{?([0-9a-z]+)\}?", lambda m: m.group(1).translate(_SUBSCRIPT)
                  if all(c in "0123456789aehijklmnoprstuvx" for c in m.group(1)) else f" {m.group(1)}", tex)
    return re.sub(r"[{}]", "", re.sub(r"\\([A-Za-z]+)", r"\1", text))


def figure_payloads(glue: dict) -> dict:
    """{label: {"columns", "rows"}} of the figure tables a page glued (``charts.FIGURE_DATA_PREFIX``)."""
    out = {}
    for name, entry in glue.items():
        if name.startswith(charts.FIGURE_DATA_PREFIX):
            data = entry.get("data", entry) if isinstance(entry, dict) else {}
            text = data.get("text/plain") if isinstance(data, dict) else None
            if text:
                out[name[len(charts.FIGURE_DATA_PREFIX):]] = json.loads(text)
    return out


def collect_figure_data(app, doctree) -> None:
    """doctree-read: keep the page's figure tables in the environment (the Chinese build reads the same glue)."""
    env = app.env
    if not hasattr(env, "book_figure_data"):
        env.book_figure_data = {}
    glued = figure_payloads(private.page_glue(env))
    payloads = {}   # the figures this page shows (a page may glue figures that another page shows: chapter 7's)
    for figure in doctree.findall(nodes.figure):   # the caption (in the edition's language) for the downloads page
        for fid in figure["ids"]:
            if fid in glued:
                payloads[fid] = dict(glued[fid], caption=caption_text(figure))
    if payloads:
        env.book_figure_data[env.docname] = payloads
    else:
        env.book_figure_data.pop(env.docname, None)


def on_env_purge_doc(app, env, docname) -> None:
    getattr(env, "book_figure_data", {}).pop(docname, None)


def on_env_merge_info(app, env, docnames, other) -> None:
    if hasattr(other, "book_figure_data"):
        env.book_figure_data = {**getattr(env, "book_figure_data", {}), **other.book_figure_data}


def _number(env, docname: str, figure: nodes.figure) -> str:
    numbers = private.toc_fignumbers(env).get(docname, {}).get("figure", {})
    for fid in figure["ids"]:
        if fid in numbers:
            return ".".join(str(n) for n in numbers[fid])
    return ""


def decorate_figures(app, doctree, docname) -> None:
    """doctree-resolved: alt text from the caption; in HTML, the data link and the link to the full-size image."""
    lang = _lang(app)
    text = TEXT[lang]
    data = getattr(app.env, "book_figure_data", {}).get(docname, {})
    html = app.builder.format == "html"
    for figure in list(doctree.findall(nodes.figure)):
        alt = caption_text(figure)
        for image in figure.findall(nodes.image):
            if alt:
                image["alt"] = alt
            if html and not isinstance(image.parent, nodes.reference) and image["uri"] in app.env.images:
                # where the HTML builder copies the image (its post_process_images, run after this event)
                uri = relative_uri(app.builder.get_target_uri(docname), "_images") + "/" + \
                    app.env.images[image["uri"]][1]
                link = nodes.reference("", "", refuri=uri, internal=False, classes=["book-figure-open"],
                                       reftitle=text["open"])
                image.replace_self(link)
                link += image
        label = next((fid for fid in figure["ids"] if fid in data), None)
        caption = next(iter(figure.findall(nodes.caption)), None)
        if label is None or caption is None:
            continue
        number = _number(app.env, docname, figure)
        pending = getattr(app, "book_figure_csv", {})
        pending[label] = {"number": f"{text['figure']}{'' if lang == 'zh' else ' '}{number}", "caption": alt,
                          "table": data[label], "lang": lang}
        app.book_figure_csv = pending
        if html:
            href = "../" * docname.count("/") + f"downloads/figures/{label}.csv"
            caption += nodes.Text(" · " if lang == "en" else " ")
            caption += nodes.reference("", text["data"], refuri=href, internal=False, classes=["book-figure-data"])


def figure_csv(entry: dict) -> str:
    """The CSV of one figure: a first line naming it, then the tidy table (Chinese headers in Chinese)."""
    table = entry["table"]
    columns = list(table["columns"])
    rows = [list(r) for r in table["rows"]]
    if entry["lang"] == "zh":
        for name, words in (("mark", MARKS), ("panel", None)):
            if name in columns:
                k = columns.index(name)
                for r in rows:
                    r[k] = words.get(r[k], r[k]) if words else re.sub(r"^panel (\d+)$", r"分图\1", str(r[k]))
        for k, name in enumerate(columns):   # the words the figure shows (series, axes, categories) as it shows them
            if name in ("panel", "series", "x_category", "x_axis", "y_axis", "item"):
                for r in rows:
                    r[k] = _in_chinese(r[k])
        columns = [HEADERS.get(c, c) for c in columns]
    out = io.StringIO()
    out.write(f"# {entry['number']}: {entry['caption']}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in r])
    return out.getvalue()


def _in_chinese(value):
    """A text cell in the Chinese figure's words (from the same catalogue), or as it is when the catalogue lacks it."""
    if not isinstance(value, str) or not figure_text.needs_translation(value):
        return value
    try:
        return figure_text.translate(value)
    except figure_text.FigureTextMissing:
        return value


def write_figure_data(app, exception) -> None:
    """build-finished: only a build that succeeded writes the figures' CSV files."""
    if exception is not None or app.builder.format != "html" or app.statuscode:
        return
    target = Path(app.outdir) / "downloads" / "figures"
    target.mkdir(parents=True, exist_ok=True)
    for label, entry in sorted(getattr(app, "book_figure_csv", {}).items()):
        buildguard.atomic_write(target / f"{label}.csv", figure_csv(entry))


class figure_downloads_placeholder(nodes.General, nodes.Element):
    pass


class FigureDownloads(SphinxDirective):
    """``{figure-downloads}``: the list of the figures' data files (number, caption, link), on the downloads page."""

    def run(self):
        directives.mark_dynamic(self.env)
        return [figure_downloads_placeholder()]


def _order(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10 ** 6 for p in re.split(r"[.-]", number))


def figure_listing(env, lang: str) -> pd.DataFrame:
    """One row per figure with a data file: its number, caption, file name and number of rows, in book order."""
    rows = []
    for docname, payloads in getattr(env, "book_figure_data", {}).items():
        numbers = private.toc_fignumbers(env).get(docname, {}).get("figure", {})
        for label, table in payloads.items():
            number = ".".join(str(n) for n in numbers.get(label, ()))
            rows.append((number, table.get("caption", ""), f"{label}.csv", f"{len(table['rows']):,}"))
    rows.sort(key=lambda r: _order(r[0]))
    frame = pd.DataFrame(rows, columns=LISTING[lang])
    frame[LISTING[lang][0]] = [f"{TEXT[lang]['figure']}{'' if lang == 'zh' else ' '}{n}" for n in frame[LISTING[lang][0]]]
    return frame


def resolve_figure_downloads(app, doctree, docname) -> None:
    """doctree-resolved: the placeholder becomes the table of figure files, each name a link on the site."""
    lang = _lang(app)
    for node in list(doctree.findall(figure_downloads_placeholder)):
        frame = figure_listing(app.env, lang)
        table = comparison.table_node(frame)
        if app.builder.format == "html":
            for row in table.findall(nodes.row):
                cell = row.children[2].children[0]
                name = cell.astext()
                if name.endswith(".csv") and not isinstance(row.parent, nodes.thead):
                    href = "../" * docname.count("/") + f"downloads/figures/{name}"
                    cell.children = []
                    cell += nodes.reference("", name, refuri=href, internal=False)
        node.replace_self(table)


def setup(app):
    app.add_node(figure_downloads_placeholder)
    app.add_directive("figure-downloads", FigureDownloads)
    app.connect("doctree-resolved", resolve_figure_downloads)
    app.connect("doctree-read", collect_figure_data)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)
    app.connect("doctree-resolved", decorate_figures, priority=900)
    app.connect("build-finished", write_figure_data)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
