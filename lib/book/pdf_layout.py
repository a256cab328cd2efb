"""The PDF's book structure, set on the one assembled doctree the LaTeX builder writes.

* ``\\appendix`` goes before the first appendix page, so the appendices are lettered (A, B, ...) while
  the report's chapters keep the numbers their titles carry ("1 · Basic concepts ..."): the preamble
  in ``_config.yml`` turns LaTeX's own chapter numbers off before ``\\appendix`` and on after it.
* A table too wide for a portrait line (``comparison.needs_landscape``) is set on landscape pages.
* The References appendix holds only the bibliography, whose LaTeX environment would open a second,
  empty-titled chapter; the preamble makes it open none, so References is one lettered chapter.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

__all__ = ["APPENDIX_PREFIX", "mark_appendices", "landscape_tables"]

APPENDIX_PREFIX = "appendices/"


def mark_appendices(doctree, prefix: str = APPENDIX_PREFIX) -> bool:
    """Insert a raw ``\\appendix`` before the first page whose name starts with ``prefix``."""

    for page in doctree.findall(addnodes.start_of_file):
        if page.get("docname", "").startswith(prefix):
            page.parent.insert(page.parent.index(page), nodes.raw("", "\\appendix\n", format="latex"))
            return True
    return False


def landscape_tables(doctree, cls: str = "book-landscape") -> int:
    """Put each table marked ``cls`` (too wide for a portrait line) on landscape pages."""
    count = 0
    for table in list(doctree.findall(nodes.table)):
        if cls in table.get("classes", []):
            parent = table.parent
            parent.insert(parent.index(table), nodes.raw("", "\\begin{landscape}\n", format="latex"))
            parent.insert(parent.index(table) + 1, nodes.raw("", "\\end{landscape}\n", format="latex"))
            count += 1
    return count
