"""The report's numbering of figures, tables and equations (``fig-5-3`` is Figure 5-3) in HTML and LaTeX, and
the {numref} resolution that reads each target page once.
"""
from __future__ import annotations

import copy
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import StandardDomain

from lib.book import private

__all__ = ["FIG_LABEL", "APPENDIX_PREFIX", "LETTERS", "appendix_letters", "restore_default_numbers", "report_numbers",
           "latex_report_numbers", "BookStandardDomain", "on_env_updated_clear_memo"]


FIG_LABEL = re.compile(r"^(?:equation-)?(?:fig|tbl|eq)-(\d+)-(\d+)$")  # Sphinx ids equations 'equation-<label>'
APPENDIX_PREFIX = "appendices/"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _chapter_of(docname: str) -> str:
    """'chapters/05_macro_value' and its sub-page 'chapters/05b_employment_geography' -> '5'."""
    match = re.match(r"^chapters/0*(\d+)[a-z]?_", docname)
    return match.group(1) if match else ""


def _toc_order(env) -> list[str]:
    """The pages in the order of the table of contents (``env.toctree_includes``, depth first from the root)."""
    includes = getattr(env, "toctree_includes", {}) or {}
    root = getattr(getattr(env, "config", None), "root_doc", "index")
    order, stack, seen = [], [root], set()
    while stack:
        doc = stack.pop()
        if doc in seen:
            continue
        seen.add(doc)
        order.append(doc)
        stack.extend(reversed(includes.get(doc, [])))
    return order


def appendix_letters(env, docnames) -> dict[str, str]:
    """Appendix page -> its letter (A, B, ...) in the order of the table of contents, as LaTeX letters them
    after ``\\appendix`` (pages the contents do not list follow, alphabetically)."""
    order = _toc_order(env)
    pages = sorted((d for d in docnames if d.startswith(APPENDIX_PREFIX)),
                   key=lambda d: (order.index(d) if d in order else len(order), d))
    listed = [d for d in order if d.startswith(APPENDIX_PREFIX)]
    ranked = listed + [d for d in pages if d not in listed]
    return {d: LETTERS[ranked.index(d)] for d in pages}


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
    pages in document order, so that they never shift the report's numbers. An appendix numbers its own
    within its letter, in page order: 'A-1', 'A-2', ..., 'B-1' (the letter LaTeX gives it in the PDF).
    """
    env.book_default_fignumbers = copy.deepcopy(private.toc_fignumbers(env))
    letters = appendix_letters(env, private.toc_fignumbers(env))
    extra = {}
    for docname in sorted(private.toc_fignumbers(env)):
        if docname in letters:
            for _figtype, numbers in sorted(private.toc_fignumbers(env)[docname].items()):
                for n, fid in enumerate(sorted(numbers, key=lambda i: numbers[i]), 1):
                    numbers[fid] = (f"{letters[docname]}-{n}",)
            continue
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


def _with_pages(node, page: str):
    """(parent, child, page) for every element below ``node``, the page being the nearest ``start_of_file``
    (the LaTeX builder's assembled doctree). Walked through ``children``: the builder fills a ``start_of_file``
    by assigning its children list, so their ``parent`` still names the page's own doctree."""
    for child in list(node.children):
        if isinstance(child, nodes.Element):
            yield node, child, page
            yield from _with_pages(child, child["docname"] if isinstance(child, addnodes.start_of_file) else page)


def latex_report_numbers(app, doctree, docname):
    """In the PDF, give LaTeX the same figure, table and equation numbers as the site ('5-1', '5-E1', 'A-1').

    The LaTeX builder assembles every page into one doctree, where ids such as 'id3' repeat from page to page:
    a number is looked up by (page, id)."""
    if app.builder.format != "latex":
        return
    numbers = {}
    for page, by_type in private.toc_fignumbers(app.env).items():
        for figtype, ids in by_type.items():
            for fid, number in ids.items():
                numbers[page, fid] = (figtype, ".".join(map(str, number)))
    counter = {"figure": "thefigure", "table": "thetable", "displaymath": "theequation"}
    kinds = (nodes.figure, nodes.table, nodes.math_block)
    for parent, node, page in list(_with_pages(doctree, docname)):
        if not isinstance(node, kinds):
            continue
        for fid in node.get("ids", []):
            if (page, fid) in numbers and numbers[page, fid][0] in counter:
                figtype, number = numbers[page, fid]
                raw = nodes.raw("", f"\\renewcommand{{\\{counter[figtype]}}}{{{number}}}\n", format="latex")
                parent.insert(parent.children.index(node), raw)
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
