"""The ``{results-comparison}`` and ``{bench-figures}`` directives: placeholders filled when the doctree is
resolved, from the results ledger and the benchmark.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from lib.book import pdf_layout
from lib.book.numbering import _chapter_of
from lib.book.results_collection import collect_quoted, collect_results, quoted_by_page
from lib.inputs import buildguard
from lib.ledger import ledger
from lib.present import comparison

__all__ = ["comparison_placeholder", "bench_placeholder", "mark_dynamic", "ResultsComparison", "LedgerSummary", "BenchFigures", "BENCH_LABELS", "BENCH_LABELS_ZH", "BENCH_WORDS", "on_doctree_resolved", "on_bench_resolved"]


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
    """``{results-comparison}``: the published ledger beside the recomputed values.

    Without options: the counts by chapter page and status (the appendix's summary); with ``:page: <docname>``:
    that chapter page's ledger, every row with its difference, status and note. The appendix holds one
    ``:page:`` section per chapter page with a ledger (the build stops when a page's rows would be left out).
    """

    option_spec = {"prefix": directives.unchanged, "page": directives.unchanged}

    def run(self):
        mark_dynamic(self.env)
        node = comparison_placeholder()
        node["prefix"] = self.options.get("prefix", "")
        node["page"] = self.options.get("page", "").strip()
        node["part"] = "page" if node["page"] else "summary"
        return [node]


class LedgerSummary(SphinxDirective):
    """``{ledger-summary}``: on a chapter page, its ledger in one line (how many of the report's values it
    reproduces, matches by construction or on a substitute, explains, quotes), counted from the same ledger as
    the page's section of the appendix *Published vs recomputed*, where every row is shown."""

    def run(self):
        mark_dynamic(self.env)
        node = comparison_placeholder()
        node["prefix"], node["page"], node["part"] = "", self.env.docname, "line"
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
    "code_edit_rebuild_s": "rebuild after a code edit of one chapter", "pdf_both_warm_s": "both PDFs (English and Chinese) from a warm cache",
    "peak_rss_mb": "peak memory of one process (MB)", "test_suite_s": "whole test suite (make test)",
    "load_avg_1min_start": "machine load (1-minute average) when the benchmark started",
    "load_avg_1min_end": "machine load (1-minute average) when it ended",
}


BENCH_LABELS_ZH = {
    "install_s": "全新安装运行环境（可用时使用uv）", "fresh_make_book_s": "全新检出后首次make book（安装及两个版本）",
    "clean_build_s": "从零构建HTML（含执行）", "execution_sum_s": "各笔记本执行时间之和（两个并行）",
    "execution_max_s": "最慢的笔记本执行", "nochange_rebuild_s": "无改动时重新构建",
    "prose_edit_rebuild_s": "只改一章文字后重新构建", "code_edit_rebuild_s": "改一章代码后重新构建",
    "pdf_both_warm_s": "缓存已热时生成两个版本的PDF（中英文）", "peak_rss_mb": "单个进程的内存峰值（MB）", "test_suite_s": "整套测试（make test）",
    "load_avg_1min_start": "基准测试开始时的机器负载（1分钟平均）", "load_avg_1min_end": "基准测试结束时的机器负载（1分钟平均）",
}
BENCH_WORDS = {
    "en": {"none": "No benchmark has been run where this site was built: `make bench` measures the build and this "
                   "page shows the figures.",
           "intro": "Measured by make bench on {date} ({machine}); seconds unless stated.", "columns": ["operation", "value"]},
    "zh": {"none": "构建本站点的机器上尚未运行基准测试：`make bench` 测量构建耗时，本页显示其结果。",
           "intro": "由make bench于{date}测得（{machine}）；除另有说明外，单位为秒。", "columns": ["操作", "数值"]},
}


def _bench_nodes(app) -> list:
    lang = "zh" if str(app.config.language or "en").startswith("zh") else "en"
    words, labels = BENCH_WORDS[lang], BENCH_LABELS_ZH if lang == "zh" else BENCH_LABELS
    path = Path(app.outdir).parent / "bench.json"
    if not path.exists():
        return [nodes.paragraph(text=words["none"])]
    bench = json.loads(path.read_text(encoding="utf-8"))
    rows = [(label, "" if bench.get(key) is None else f"{bench[key]:.1f}") for key, label in labels.items()
            if key in bench]
    intro = nodes.paragraph(text=words["intro"].format(date=bench.get("date", "?"), machine=bench.get("machine", "?")))
    table = _table(pd.DataFrame(rows, columns=words["columns"]))
    table["classes"].append("book-bilingual")
    return [intro, table]


def _table(frame: pd.DataFrame, literal=()) -> nodes.table:
    return comparison.table_node(frame, literal=literal)


def on_doctree_resolved(app, doctree, docname):
    if app.builder.format == "latex" and docname == app.config.root_doc:
        pdf_layout.mark_appendices(doctree)
        pdf_layout.landscape_tables(doctree)
        pdf_layout.keep_headings_with_figures(doctree, Path(app.srcdir))
    placeholders = list(doctree.findall(comparison_placeholder))
    if not placeholders:
        return
    results = getattr(app, "book_results", None)
    if results is None:
        results = collect_results(app, app.env)
    quoted = getattr(app, "book_quoted", None)
    if quoted is None:
        quoted = collect_quoted(app, app.env)
    by_page = quoted_by_page(app, app.env)
    # a chapter by its number and short title ("5 · Macro value"; the Chinese edition's title is translated)
    names = {doc: re.split(r"[:：]", app.env.titles[doc].astext(), maxsplit=1)[0].strip()
             for doc in by_page if doc in app.env.titles}
    shown = {node["page"] for node in placeholders if node.get("part") == "page"}
    lang = "zh" if str(app.config.language or "en").startswith("zh") else "en"
    words = comparison.WORDS[lang]
    translate = comparison.Translations.from_explanations() if lang == "zh" else None
    for node in placeholders:
        table = ledger.published(node["prefix"] or None)
        frame = ledger.compare(results, table, keep_unmatched=True, quoted=quoted)
        chapters = frame["published_id"].map(table["section"]).map(ledger.chapter_of_section)
        pages = comparison.row_pages(frame, results, by_page, {doc: _chapter_of(doc) for doc in by_page}, chapters)
        part = node.get("part", "summary")
        # made in the page's language ("book-bilingual": the Chinese build's catalogue leaves its cells alone)
        if part == "summary":
            left_out = sorted(set(pages) - shown)
            if left_out:
                buildguard.stop(f"{docname}: the ledger rows of {left_out or ''} have no section "
                                "({results-comparison} with :page:) on this page")
            out = [comparison.table_node(comparison.appendix_summary(frame, pages, names, lang), words["summary"],
                                         classes=("results-comparison", "comparison-summary", "book-bilingual"),
                                         ident="published-summary")]
        elif part == "page":
            shown_part = frame[pages == node["page"]]
            title = words["chapter_table"].format(name=names.get(node["page"], node["page"]), n=len(shown_part))
            out = comparison.page_nodes(shown_part, title, lang=lang, translate=translate,
                                        ident="published-" + node["page"].split("/")[-1].replace("_", "-"))
        else:
            out = [comparison.table_node(comparison.page_summary(frame[pages == node["page"]], lang),
                                         classes=("results-comparison", "ledger-summary", "book-bilingual"))]
        node.replace_self(out)


def on_bench_resolved(app, doctree, docname):
    for node in list(doctree.findall(bench_placeholder)):
        node.replace_self(_bench_nodes(app))
