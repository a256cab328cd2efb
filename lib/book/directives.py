"""The ``{results-comparison}`` and ``{bench-figures}`` directives: placeholders filled when the doctree is
resolved, from the results ledger and the benchmark.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from lib.book import pdf_layout
from lib.book.numbering import _chapter_of
from lib.book.results_collection import collect_quoted, collect_results
from lib.ledger import ledger
from lib.present import comparison

__all__ = ["comparison_placeholder", "bench_placeholder", "mark_dynamic", "ResultsComparison", "BenchFigures", "BENCH_LABELS", "on_doctree_resolved", "on_bench_resolved"]


class comparison_placeholder(nodes.General, nodes.Element):
    pass


class bench_placeholder(nodes.General, nodes.Element):
    pass


def mark_dynamic(env) -> None:
    """This page shows what the build produces, so it is rewritten on every build."""
    if not hasattr(env, "book_dynamic_docs"):
        env.book_dynamic_docs = set()
    env.book_dynamic_docs.add(env.docname)


class ResultsComparison(SphinxDirective):
    """``{results-comparison}``: the published ledger beside the recomputed values."""

    option_spec = {"prefix": directives.unchanged}

    def run(self):
        mark_dynamic(self.env)
        node = comparison_placeholder()
        node["prefix"] = self.options.get("prefix", "")
        return [node]


class BenchFigures(SphinxDirective):
    """``{bench-figures}``: the last ``make bench`` measurements on the machine that built the site."""

    def run(self):
        mark_dynamic(self.env)
        return [bench_placeholder()]


BENCH_LABELS = {
    "install_s": "fresh environment install (uv when available)",
    "fresh_make_book_s": "first make book of a fresh checkout (install and both editions)",
    "clean_build_s": "clean HTML build (with execution)",
    "execution_sum_s": "sum of notebook execution times (executed two at a time)",
    "execution_max_s": "slowest notebook execution", "nochange_rebuild_s": "rebuild, nothing changed",
    "prose_edit_rebuild_s": "rebuild after a prose-only edit of one chapter",
    "code_edit_rebuild_s": "rebuild after a code edit of one chapter", "pdf_warm_s": "PDF from a warm cache",
    "peak_rss_mb": "peak memory of one process (MB)", "test_suite_s": "whole test suite (make test)",
    "load_avg_1min_start": "machine load (1-minute average) when the benchmark started",
    "load_avg_1min_end": "machine load (1-minute average) when it ended",
}


def _bench_nodes(app) -> list:
    path = Path(app.outdir).parent / "bench.json"
    if not path.exists():
        return [nodes.paragraph(text="No benchmark has been run where this site was built: `make bench` measures "
                                     "the build and this page shows the figures.")]
    bench = json.loads(path.read_text(encoding="utf-8"))
    rows = [(label, "" if bench.get(key) is None else f"{bench[key]:.1f}") for key, label in BENCH_LABELS.items()
            if key in bench]
    intro = nodes.paragraph(text=f"Measured by make bench on {bench.get('date', '?')} ({bench.get('machine', '?')}); "
                                 "seconds unless stated.")
    return [intro, _table(pd.DataFrame(rows, columns=["operation", "value"]))]


def _table(frame: pd.DataFrame) -> nodes.table:
    return comparison.table_node(frame)


def on_doctree_resolved(app, doctree, docname):
    if app.builder.format == "latex" and docname == app.config.root_doc:
        pdf_layout.mark_appendices(doctree)
        pdf_layout.landscape_tables(doctree)
    results = getattr(app, "book_results", None)
    for node in list(doctree.findall(comparison_placeholder)):
        if results is None:
            results = collect_results(app, app.env)
        table = ledger.published(node["prefix"] or None)
        quoted = getattr(app, "book_quoted", None)
        if quoted is None:
            quoted = collect_quoted(app, app.env)
        frame = ledger.compare(results, table, keep_unmatched=True, quoted=quoted)
        lang = "zh" if str(app.config.language or "en").startswith("zh") else "en"
        names = {_chapter_of(doc): comparison.chapter_name(_chapter_of(doc), title.astext(), lang)
                 for doc, title in sorted(app.env.titles.items(), reverse=True) if _chapter_of(doc)}
        translate = comparison.Translations.from_explanations() if lang == "zh" else None
        node.replace_self(comparison.appendix_nodes(frame, table, names, lang, translate))


def on_bench_resolved(app, doctree, docname):
    for node in list(doctree.findall(bench_placeholder)):
        node.replace_self(_bench_nodes(app))
