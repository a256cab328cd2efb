"""The report's numbering of figures, tables and equations (``fig-5-3`` is Figure 5-3) in HTML and LaTeX, and
the {numref} resolution that reads each target page once.
"""
from __future__ import annotations

import copy
import re

from docutils import nodes
from sphinx.domains.std import StandardDomain

from lib.book import private

__all__ = ["FIG_LABEL", "restore_default_numbers", "report_numbers", "latex_report_numbers", "BookStandardDomain", "on_env_updated_clear_memo"]


FIG_LABEL = re.compile(r"^(?:equation-)?(?:fig|tbl|eq)-(\d+)-(\d+)$")  # Sphinx ids equations 'equation-<label>'


def _chapter_of(docname: str) -> str:
    """'chapters/05_macro_value' and its sub-page 'chapters/05b_employment_geography' -> '5'."""
    match = re.match(r"^chapters/0*(\d+)[a-z]?_", docname)
    return match.group(1) if match else ""


# --- The report's numbering -----------------------------------------------------------------------------
# PRIVATE HOOK (why): the report numbers figures by chapter ('Figure 5-1', not Sphinx's running '1'), and its
# numbers do not follow page order; Sphinx offers numfig_format for the words but nothing for the numbers
# themselves, which live in env.toc_fignumbers and are read by every builder (captions, {numref}, LaTeX).
# So the numbers are rewritten there once Sphinx has assigned them, and Sphinx's own are put back before
# it assigns them again (so it sees no change and rewrites no page needlessly). Checked with the pinned
# Sphinx only (lib/book/private.py: the access, and the version gate).

def restore_default_numbers(app, env):
    """Give Sphinx back its own numbering before it compares old and new (avoids needless rewrites)."""
    if hasattr(env, "book_default_fignumbers"):
        private.set_toc_fignumbers(env, env.book_default_fignumbers)
    return []


def report_numbers(app, env):
    """Number figures and tables as the report does: label fig-5-1 is 'Figure 5-1'.

    The book's own figures and tables (other labels) get '<chapter>-E<n>', counted across a chapter's
    pages in document order, so that they never shift the report's numbers.
    """
    env.book_default_fignumbers = copy.deepcopy(private.toc_fignumbers(env))
    extra = {}
    for docname in sorted(private.toc_fignumbers(env)):
        chapter = _chapter_of(docname)
        for figtype, numbers in sorted(private.toc_fignumbers(env)[docname].items()):
            for fid in sorted(numbers, key=lambda i: numbers[i]):
                match = FIG_LABEL.match(fid)
                if match:
                    numbers[fid] = (f"{int(match[1])}-{int(match[2])}",)
                else:
                    extra[chapter, figtype] = extra.get((chapter, figtype), 0) + 1
                    n = extra[chapter, figtype]
                    numbers[fid] = (f"{chapter}-E{n}" if chapter else f"E{n}",)
    return []


def latex_report_numbers(app, doctree, docname):
    """In the PDF, give LaTeX the same figure, table and equation numbers as the site ('5-1', '5-E1')."""
    if app.builder.format != "latex":
        return
    numbers = {}
    for by_type in private.toc_fignumbers(app.env).values():
        for figtype, ids in by_type.items():
            for fid, number in ids.items():
                numbers[fid] = (figtype, ".".join(map(str, number)))
    counter = {"figure": "thefigure", "table": "thetable", "displaymath": "theequation"}
    kinds = (nodes.figure, nodes.table, nodes.math_block)
    for node in list(doctree.findall(lambda n: isinstance(n, kinds))):
        for fid in node.get("ids", []):
            if fid in numbers and numbers[fid][0] in counter:
                figtype, number = numbers[fid]
                raw = nodes.raw("", f"\\renewcommand{{\\{counter[figtype]}}}{{{number}}}\n", format="latex")
                node.parent.insert(node.parent.index(node), raw)
                break


class BookStandardDomain(StandardDomain):
    """Sphinx's standard domain, resolving {numref} against one read-only copy of each target page.

    Sphinx unpickles the whole target page for every {numref} it resolves (128 here, ~30 ms each: a third
    of a clean build's non-execution time). Registered with the public ``app.add_domain(..., override=True)``;
    only ``resolve_xref`` (the documented Domain API) is overridden, and only for numref. The memo lives on
    the application, is filled in the writing phase and dropped when the build finishes (one build at most);
    pages being written still get fresh doctrees. Should Sphinx stop fetching target pages through
    ``env.get_doctree``, the memo simply goes unused.
    """

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        if typ != "numref":
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        memo = env.app.__dict__.setdefault("book_numref_doctrees", {})
        with private.memoized_get_doctree(env, memo):
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)


def on_env_updated_clear_memo(app, env):
    """Pages read in this build replace their old copies: start the numref memo afresh for the writing phase."""
    app.__dict__.pop("book_numref_doctrees", None)
    return []
