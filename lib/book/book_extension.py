"""Sphinx extension that keeps the book honest between builds.

* Verifies every external input at the start of *every* build (cached or not).
* Re-executes the notebooks when ``lib/``, authored data, pins or inputs change (the
  jupyter-cache only looks at a notebook's own code, so it cannot see those).
* Executes the notebooks that a build must (re-)execute in a pool of processes, one per core,
  filling myst-nb's jupyter-cache before Sphinx reads them (myst-nb alone executes one at a time).
* Re-reads every page after a build that failed, had warnings or was interrupted, so ``-W``
  cannot be dodged by an incremental build.
* Collects the values chapters ``record`` into ``_build/results/results.csv`` after every build,
  and renders the ``{results-comparison}`` directive (published vs recomputed).

Each concern is a module of ``lib/book``: ``cache_state`` (the input checks and the fingerprint that invalidates
the cache), ``execution_pool``, ``results_collection`` (the results ledger), ``directives`` (results comparison,
benchmark figures), ``glued_tables``, ``numbering`` (the report's numbers, {numref}), ``build_state`` (one build at a
time, warnings counted, the site kept), ``theme`` and ``downloads``; this module wires them to Sphinx in ``setup()``.

Extension points: Sphinx's public events, directives, domains and config values; myst-nb's public
``{glue:text}`` role, config values and jupyter-cache reader; jupyter-cache's public Python API. Every use
of a non-public name goes through ``lib.book.private``, which says why for each and whose version gate
(connected by ``setup()``) stops a build at ``builder-inited`` on any other version of Sphinx, docutils,
myst-nb, jupyter-book, jupyter-cache or nbclient than the pinned ones.
"""
from __future__ import annotations

import atexit
import gc
import os

from lib.book import private
from lib.book.build_state import on_build_finished, on_config_inited
from lib.book.cache_state import on_builder_inited, on_env_get_outdated, read_pasting_pages_after_sources
from lib.book.directives import (
    BenchFigures,
    LedgerSummary,
    ResultsComparison,
    bench_placeholder,
    comparison_placeholder,
    on_bench_resolved,
    on_doctree_resolved,
)
from lib.book.downloads import offer_notebook_download
from lib.book.execution_pool import BLAS_THREADS, on_env_before_read_docs, prepare_city_layer, reap_city_layer
from lib.book.glued_tables import GluedTable
from lib.book.numbering import (
    BookStandardDomain,
    latex_report_numbers,
    on_env_updated_clear_memo,
    report_numbers,
    restore_default_numbers,
)
from lib.book.results_collection import on_doctree_read, on_env_merge_info, on_env_purge_doc, on_env_updated
from lib.book.theme import dedupe_scripts, tidy_theme, translate_theme

__all__ = ["setup"]


def setup(app):
    private.connect_version_gate(app)   # Sphinx, docutils, myst-nb, jupyter-book, jupyter-cache, nbclient
    private.set_iopub_defaults()   # no cell's outputs dropped on a loaded machine (lib/book/private.py)
    # Every kernel, whether the pool or myst-nb starts it, gets one BLAS/OpenMP thread: the same threading in
    # series and in the pool, so results.csv is the same byte for byte however the notebooks were executed.
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")
    # At exit, freeze the garbage collector's view of the heap (as the kernels do, execution_pool.KERNEL_ARGUMENTS):
    # a build's process then ends without the final collections over Sphinx's environment and doctrees, 1.5 s for
    # each edition of `make book` (the English build waits for the Chinese one to end). Every file is closed by then.
    atexit.register(gc.freeze)
    app.add_domain(BookStandardDomain, override=True)
    app.add_config_value("book_shared_execution", False, "env")   # set by lib/book/edition.py for the Chinese edition
    # {page: [pages]}: a page that executes nothing and pastes what those pages glue (chapter 7, _config.yml)
    app.add_config_value("book_glue_from", {}, "env")
    app.add_node(comparison_placeholder)
    app.add_directive("results-comparison", ResultsComparison)
    app.add_directive("ledger-summary", LedgerSummary)
    app.add_directive("glued-table", GluedTable)
    app.add_node(bench_placeholder)
    app.add_directive("bench-figures", BenchFigures)
    app.connect("doctree-resolved", on_bench_resolved)
    app.connect("env-get-updated", restore_default_numbers, priority=100)
    app.connect("env-get-updated", report_numbers, priority=900)
    app.connect("builder-inited", on_builder_inited)
    app.connect("builder-inited", prepare_city_layer, priority=600)   # after the inputs are verified
    app.connect("config-inited", tidy_theme)
    app.connect("config-inited", on_config_inited)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("env-before-read-docs", read_pasting_pages_after_sources, priority=900)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-merge-info", on_env_merge_info)
    app.connect("env-updated", on_env_updated_clear_memo)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-updated", on_env_updated)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("doctree-resolved", latex_report_numbers)
    app.connect("build-finished", reap_city_layer, priority=100)
    app.connect("build-finished", on_build_finished)
    app.connect("build-finished", translate_theme)   # the theme's own words in Chinese on the Chinese pages
    app.setup_extension("lib.book.figures")   # alt text from captions, figure CSVs, full-size links (issue 22)
    app.setup_extension("lib.book.pdf_publication")   # the PDF prints no code; running heads without the edition
    app.setup_extension("lib.book.language")   # lang="zh-CN" / lang="en" on passages of the other language
    app.setup_extension("lib.ledger.claims")  # {report-claims} directive and _build/results/claims_summary.csv
    app.setup_extension("lib.book.zh_alongside")   # make book: the Chinese edition built on the idle core
    app.setup_extension("lib.book.zh_numbers")  # glued numbers on Chinese pages: 30万, 2078亿元, 4000万台
    app.setup_extension("lib.book.glossary")  # {book-glossary}: the appendix of the report's terms (issue 24)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
