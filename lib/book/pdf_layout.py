"""The PDF's book structure, set on the one assembled doctree the LaTeX builder writes.

* ``\\appendix`` goes before the first appendix page, so the appendices are lettered (A, B, ...) while
  the report's chapters keep the numbers their titles carry ("1 · Basic concepts ..."): the preamble
  in ``_config.yml`` turns LaTeX's own chapter numbers off before ``\\appendix`` and on after it.
* A table too wide for a portrait line (``comparison.needs_landscape``) is set on landscape pages.
* The References appendix holds only the bibliography, whose LaTeX environment would open a second,
  empty-titled chapter; the preamble makes it open none, so References is one lettered chapter.
* A heading whose section opens with a figure asks for the room of that figure (its image's height at the
  width it will be set, and its caption), so the two start on the same page: a heading's own ``needspace``
  (lib/book/pdf_publication.py) counts lines, and a figure is taller than those.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from PIL import Image
from sphinx import addnodes

__all__ = ["APPENDIX_PREFIX", "LINE_WIDTH_PT", "CAPTION_ROOM", "mark_appendices", "landscape_tables",
           "figure_height", "keep_headings_with_figures"]

LINE_WIDTH_PT = 341.4          # the 120 mm measure (pdf_publication.MEASURE), in TeX points
CAPTION_ROOM = "5\\baselineskip"   # a caption of three lines and the space around the figure
SKIPPED = (nodes.target, nodes.comment, nodes.substitution_definition, nodes.raw, addnodes.index)

APPENDIX_PREFIX = "appendices/"


def mark_appendices(doctree, prefix: str = APPENDIX_PREFIX) -> bool:
    """Insert a raw ``\\appendix`` before the first page whose name starts with ``prefix``."""

    for page in doctree.findall(addnodes.start_of_file):
        if page.get("docname", "").startswith(prefix):
            page.parent.insert(page.parent.index(page), nodes.raw("", "\\appendix\n", format="latex"))
            return True
    return False


def _opening_section(node):
    """The section ``node`` opens (it is, through containers, the first thing after the section's title), or None."""
    while node.parent is not None and not isinstance(node.parent, nodes.section):
        if node.parent.index(node) != 0 and not all(isinstance(c, SKIPPED) for c in node.parent.children[:node.parent.index(node)]):
            return None
        node = node.parent
    section = node.parent
    if section is None or not isinstance(section.parent, nodes.section):   # a chapter opens a page anyway
        return None
    before = section.children[1:section.index(node)]
    return section if all(isinstance(c, SKIPPED) for c in before) else None


def landscape_tables(doctree, cls: str = "book-landscape") -> int:
    """Put each table marked ``cls`` (too wide for a portrait line) on landscape pages; a table that opens its
    section takes the section's heading onto its landscape page (a landscape page always starts a new page)."""
    count = 0
    for table in list(doctree.findall(nodes.table)):
        if cls in table.get("classes", []):
            parent = table.parent
            section = _opening_section(table)
            start = nodes.raw("", "\\begin{landscape}\n", format="latex")
            if section is not None:
                section.parent.insert(section.parent.index(section), start)
            else:
                parent.insert(parent.index(table), start)
            parent.insert(parent.index(table) + 1, nodes.raw("", "\\end{landscape}\n", format="latex"))
            count += 1
    return count


def figure_height(image: Path) -> float | None:
    """Height in points of ``image`` as LaTeX sets it: its natural size (its DPI), scaled down to the line."""
    try:
        with Image.open(image) as im:
            (width, height), dpi = im.size, (im.info.get("dpi") or (72, 72))[0] or 72
    except (OSError, ValueError):
        return None
    natural = width / dpi * 72.27
    return min(natural, LINE_WIDTH_PT) * height / width


def _first_figure(section):
    """The figure a section opens with (after its title, through containers and a first subsection's title),
    or None."""
    for child in section.children[1:]:
        if isinstance(child, SKIPPED):
            continue
        while isinstance(child, nodes.container) and child.children:
            child = child.children[0]
        if isinstance(child, nodes.section):
            return _first_figure(child)
        return child if isinstance(child, nodes.figure) else None
    return None


def _sections(node):
    """(parent, section) pairs, walked through ``children`` (the assembled doctree's ``parent`` links are not
    all true: lib/book/numbering.py)."""
    for child in list(node.children):
        if isinstance(child, nodes.section):
            yield node, child
        if isinstance(child, nodes.Element):
            yield from _sections(child)


def keep_headings_with_figures(doctree, srcdir: Path) -> int:
    """Before each heading whose section opens with a figure, ask for the figure's room; return how many."""
    count = 0
    for parent, section in list(_sections(doctree)):
        figure = _first_figure(section)
        image = next(iter(figure.findall(nodes.image)), None) if figure is not None else None
        if image is None:
            continue
        uri = image.get("candidates", {}).get("*") or image.get("uri", "")
        height = figure_height(Path(srcdir) / uri)
        if height is None:
            continue
        room = f"\\needspace{{\\dimexpr {height:.0f}pt+{CAPTION_ROOM}+3\\baselineskip\\relax}}\n"
        parent.insert(parent.children.index(section), nodes.raw("", room, format="latex"))
        count += 1
    return count
