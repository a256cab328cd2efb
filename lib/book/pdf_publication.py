"""The PDF as a publication (issue 23): no code listings, and the edition on the title page, not in running heads.

* Code cells stay in the HTML (in collapsed toggles) and in the downloadable notebooks; the PDF prints none.
  On the LaTeX builder's assembled doctree every code cell's source (myst-nb's ``nb_element`` attribute
  ``cell_code_source``, set on the containers it renders) is removed, and a cell left without output goes too.
  The front page says where the code is.
* The front page's text opens the PDF as an unnumbered chapter, *Introduction*, listed in the contents and
  named in the running heads (it ran untitled under the head "CONTENTS").
* The running heads carry the book's title only: the preamble (``RUNNING_HEADS``) redefines Sphinx's
  ``normal`` page style without ``\\py@release`` (the edition), which the title page still prints.
* No heading alone at the foot of a page: sections, subsections and rubrics ask for room (``needspace``) for
  a few lines of what follows, or start the next page.
"""
from __future__ import annotations

from docutils import nodes

__all__ = ["CODE_SOURCE", "CODE_CELL", "RUNNING_HEADS", "INTRODUCTION", "remove_code_listings", "introduction",
           "on_doctree_resolved",
           "add_running_heads", "setup"]

CODE_SOURCE = "cell_code_source"
CODE_CELL = "cell_code"
# Sphinx's sphinxlatexstylepage.sty "normal" style for classes with chapters, minus ", <release>" in the head
RUNNING_HEADS = r"""
% running heads: the title only; the edition (date and commit) is on the title page (lib/book/pdf_publication.py)
\makeatletter
\fancypagestyle{normal}{\fancyhf{}
  \fancyfoot[RO]{{\py@HeaderFamily\thepage}}
  \fancyfoot[LO]{{\py@HeaderFamily\nouppercase{\rightmark}}}
  \fancyhead[RO]{{\py@HeaderFamily\@title}}
  \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0.4pt}}
\makeatother
% no heading alone at a page foot: a heading moves to the next page unless some lines of what follows fit under it
\usepackage{needspace}
\pretocmd{\section}{\needspace{8\baselineskip}}{}{}
\pretocmd{\subsection}{\needspace{7\baselineskip}}{}{}
\pretocmd{\subsubsection}{\needspace{6\baselineskip}}{}{}
"""

INTRODUCTION = {"en": "Introduction", "zh": "导言"}


def introduction(doctree, title: str) -> None:
    """Open the front page's text as an unnumbered chapter listed in the contents and named in the running heads."""
    doctree.insert(0, nodes.raw("", f"\\chapter*{{{title}}}\\addcontentsline{{toc}}{{chapter}}{{{title}}}"
                                    f"\\markboth{{{title}}}{{{title}}}\n", format="latex"))


def remove_code_listings(doctree) -> int:
    """Remove every code cell's source from ``doctree``, and every cell left empty; return how many sources."""
    sources = [node for node in doctree.findall(nodes.container) if node.get("nb_element") == CODE_SOURCE]
    for node in sources:
        node.parent.remove(node)
    for cell in [node for node in doctree.findall(nodes.container) if node.get("nb_element") == CODE_CELL]:
        if not any(isinstance(child, nodes.Element) and child.children for child in cell.children):
            cell.parent.remove(cell)
    return len(sources)


def on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.format == "latex":
        remove_code_listings(doctree)
        if docname == app.config.root_doc:
            introduction(doctree, INTRODUCTION["zh" if (app.config.language or "en").startswith("zh") else "en"])


def add_running_heads(app, config) -> None:
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + RUNNING_HEADS
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", add_running_heads)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
