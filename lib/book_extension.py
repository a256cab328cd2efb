"""Sphinx extension that keeps the book honest between builds.

* Verifies every external input at the start of *every* build (cached or not).
* Re-executes the notebooks when ``lib/``, authored data, pins or inputs change (the
  jupyter-cache only looks at a notebook's own code, so it cannot see those).
* Re-reads every page after a build that failed, had warnings or was interrupted, so ``-W``
  cannot be dodged by an incremental build.
* Collects the values chapters ``record`` into ``_build/results/results.csv`` after every build,
  and renders the ``{results-comparison}`` directive (published vs recomputed).
"""
from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from lib import data, ledger, paths

logger = logging.getLogger(__name__)
GLUE_MIME = "text/plain"  # myst-nb stores glue data without the papermill prefix
FINGERPRINTED = [("lib", "*.py"), ("data", "*")]


def fingerprint() -> str:
    """Digest of the library, the authored data, the pins and the inputs' checksums."""
    digest = hashlib.sha256()
    files = [paths.ROOT / "requirements.txt"]
    for folder, pattern in FINGERPRINTED:
        files += [p for p in (paths.ROOT / folder).rglob(pattern)
                  if p.is_file() and "external" not in p.relative_to(paths.ROOT).parts
                  and "__pycache__" not in p.parts]
    for path in sorted(set(files)):
        if path.exists():
            digest.update(str(path.relative_to(paths.ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update(data.fingerprint().encode())
    return digest.hexdigest()


def _state_dir(app) -> Path:
    return Path(app.outdir).parent / ".book_state"


def _cache_dir(app) -> Path:
    configured = app.config.nb_execution_cache_path
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def _executed_dir(app) -> Path:
    return Path(app.outdir).parent / "jupyter_execute"


def on_builder_inited(app) -> None:
    try:
        names = data.verify_all()
    except data.DataError as err:
        raise ExtensionError(f"external data check failed\n{err}") from None
    logger.info(f"[book] {len(names)} external inputs verified")
    state = _state_dir(app)
    state.mkdir(parents=True, exist_ok=True)
    app.book_force_all = False
    stored, current = state / "fingerprint", fingerprint()
    if app.config.book_shared_execution:
        _check_shared_execution(app, current)
    if not stored.exists() or stored.read_text() != current:
        cache = _cache_dir(app)
        if cache.exists() and not app.config.book_shared_execution:
            logger.info(f"[book] library, data or pins changed: clearing {cache}")
            shutil.rmtree(cache)
        stored.write_text(current)  # from now on the cache only holds runs with the current inputs
        app.book_force_all = True
    unfinished = state / "unfinished_build"
    if unfinished.exists():
        logger.info("[book] the last build failed, had warnings or was interrupted: re-reading every page")
        app.book_force_all = True
    unfinished.write_text("removed when a build finishes without errors or warnings\n")


def _check_shared_execution(app, current: str) -> None:
    """A second edition (the Chinese one) reuses the executed notebooks of the English build and never clears
    them: they must have been run with the current library, data and pins."""
    english = _cache_dir(app).parent / ".book_state" / "fingerprint"
    if not english.exists() or english.read_text() != current:
        raise ExtensionError("this edition reuses the English build's executed notebooks, which are missing or "
                             "out of date (library, data or pins changed): build the English edition first (make book)")


def _is_notebook(env, docname: str) -> bool:
    path = Path(env.doc2path(docname))
    return path.suffix == ".ipynb" or (path.suffix == ".md" and "kernelspec" in path.read_text(encoding="utf-8")[:600])


def on_env_get_outdated(app, env, added, changed, removed):
    if getattr(app, "book_force_all", False):
        return sorted(env.found_docs)
    executed = _executed_dir(app)
    return sorted(d for d in env.found_docs if _is_notebook(env, d) and not (executed / f"{d}.ipynb").exists())


def _glue_files(app, env):
    """(page, glue data) for every notebook page, from myst-nb's per-page glue files."""
    executed = _executed_dir(app)
    for docname in sorted(env.found_docs):
        glue_file = executed / f"{docname}.glue.json"
        if glue_file.exists() and _is_notebook(env, docname):
            yield docname, json.loads(glue_file.read_text(encoding="utf-8"))


def collect_results(app, env) -> pd.DataFrame:
    """Every record glued by the notebooks."""
    rows = []
    for docname, glued in _glue_files(app, env):
        for name, output in glued.items():
            if name.startswith(ledger.RECORD_PREFIX):
                entry = ast.literal_eval(output["data"][GLUE_MIME])
                rows.append(dict(entry, chapter=docname))
    frame = pd.DataFrame(rows, columns=ledger.RESULT_COLUMNS + ["rel_tol", "explanation", "by_construction"])
    frame["by_construction"] = frame["by_construction"].fillna("")
    dupes = frame["key"][frame["key"].duplicated()].tolist()
    if dupes:
        raise ExtensionError(f"results ledger: key(s) recorded by more than one page: {dupes}")
    return frame.sort_values("key").reset_index(drop=True)


def collect_quoted(app, env) -> set[str]:
    """Published ids that some page glues for its prose (ledger.glue_published)."""
    return {name[len(ledger.PUBLISHED_PREFIX):] for _, glued in _glue_files(app, env)
            for name in glued if name.startswith(ledger.PUBLISHED_PREFIX)}


def on_env_updated(app, env):
    results = collect_results(app, env)
    out = Path(app.outdir).parent / "results" / "results.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = results[ledger.RESULT_COLUMNS].copy()
    plain["value"] = plain["value"].map(repr)
    plain.to_csv(out, index=False, lineterminator="\n")
    app.book_quoted = collect_quoted(app, env)
    comparison = ledger.compare(results, keep_unmatched=True, quoted=app.book_quoted)
    comparison.to_csv(out.parent / "comparison.csv", index=False, lineterminator="\n", float_format="%.10g")
    ledger.status_summary(comparison).to_csv(out.parent / "status_summary.csv", index=False, lineterminator="\n")
    app.book_results = results
    logger.info(f"[book] results ledger: {len(results)} values -> {out}")
    return sorted(getattr(env, "book_dynamic_docs", set()) & env.found_docs)


class comparison_placeholder(nodes.General, nodes.Element):
    pass


class bench_placeholder(nodes.General, nodes.Element):
    pass


def _mark_dynamic(env) -> None:
    """This page shows what the build produces, so it is rewritten on every build."""
    if not hasattr(env, "book_dynamic_docs"):
        env.book_dynamic_docs = set()
    env.book_dynamic_docs.add(env.docname)


class ResultsComparison(SphinxDirective):
    """``{results-comparison}``: the published ledger beside the recomputed values."""

    option_spec = {"prefix": directives.unchanged}

    def run(self):
        _mark_dynamic(self.env)
        node = comparison_placeholder()
        node["prefix"] = self.options.get("prefix", "")
        return [node]


class BenchFigures(SphinxDirective):
    """``{bench-figures}``: the last ``make bench`` measurements on the machine that built the site."""

    def run(self):
        _mark_dynamic(self.env)
        return [bench_placeholder()]


BENCH_LABELS = {
    "install_s": "fresh environment install", "clean_build_s": "clean HTML build (with execution)",
    "execution_sum_s": "sum of notebook execution times (the floor)", "nochange_rebuild_s": "rebuild, nothing changed",
    "prose_edit_rebuild_s": "rebuild after a prose-only edit of one chapter",
    "code_edit_rebuild_s": "rebuild after a code edit of one chapter", "pdf_warm_s": "PDF from a warm cache",
    "peak_rss_mb": "peak memory of one process (MB)",
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
    table = nodes.table(classes=["results-comparison"])
    group = nodes.tgroup(cols=len(frame.columns))
    table += group
    for _ in frame.columns:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for col in frame.columns:
        row += nodes.entry("", nodes.paragraph(text=str(col)))
    head += row
    body = nodes.tbody()
    group += body
    for values in frame.itertuples(index=False):
        row = nodes.row()
        for value in values:
            row += nodes.entry("", nodes.paragraph(text="" if pd.isna(value) else str(value)))
        body += row
    return table


def on_doctree_resolved(app, doctree, docname):
    results = getattr(app, "book_results", None)
    for node in list(doctree.findall(comparison_placeholder)):
        if results is None:
            results = collect_results(app, app.env)
        table = ledger.published(node["prefix"] or None)
        quoted = getattr(app, "book_quoted", None)
        if quoted is None:
            quoted = collect_quoted(app, app.env)
        frame = ledger.compare(results, table, keep_unmatched=True, quoted=quoted)
        counts = frame["status"].value_counts()
        summary = "; ".join(f"{status}: {counts.get(status, 0)}" for status in
                            ledger.STATUSES)
        show = frame.copy()
        show["recomputed"] = show["recomputed"].map(lambda x: "" if pd.isna(x) else f"{x:.4g}")
        show["difference"] = show["difference"].map(lambda x: "" if pd.isna(x) else f"{x:+.3g}")
        show = show[["published_id", "table_figure", "unit", "published_text", "recomputed", "difference", "status", "explanation"]]
        show = show.rename(columns={"published_id": "id", "table_figure": "table / figure", "published_text": "published"})
        node.replace_self([nodes.paragraph(text=f"{len(frame)} published values. {summary}."), _table(show)])


class GluedTable(SphinxDirective):
    """``{glued-table} key`` + caption: a table glued with ``charts.glue_table``, numbered as a table."""

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self):
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        key = self.arguments[0]
        try:
            payload = retrieve_glue_data(self.state.document, key).data
        except RetrievalError as err:
            raise self.error(str(err)) from None
        try:
            payload = json.loads(payload[GLUE_MIME])
            columns, rows = payload["columns"], payload["rows"]
        except (KeyError, TypeError, ValueError):
            raise self.error(f"glue key {key!r} was not glued with charts.glue_table") from None
        table = _table(pd.DataFrame(rows, columns=columns))
        caption = " ".join(self.content).strip()
        if not caption:
            raise self.error(f"table {key!r} needs a caption")
        inline, messages = self.state.inline_text(caption, self.lineno)
        table.insert(0, nodes.title(caption, "", *inline))
        self.add_name(table)
        return [table, *messages]


FIG_LABEL = re.compile(r"^(?:equation-)?(?:fig|tbl|eq)-(\d+)-(\d+)$")  # Sphinx ids equations 'equation-<label>'


def _chapter_of(docname: str) -> str:
    """'chapters/05_macro_value' and its sub-page 'chapters/05b_employment_geography' -> '5'."""
    match = re.match(r"^chapters/0*(\d+)[a-z]?_", docname)
    return match.group(1) if match else ""


def restore_default_numbers(app, env):
    """Give Sphinx back its own numbering before it compares old and new (avoids needless rewrites)."""
    if hasattr(env, "book_default_fignumbers"):
        env.toc_fignumbers = env.book_default_fignumbers
    return []


def report_numbers(app, env):
    """Number figures and tables as the report does: label fig-5-1 is 'Figure 5-1'.

    The book's own figures and tables (other labels) get '<chapter>-E<n>', counted across a chapter's
    pages in document order, so that they never shift the report's numbers.
    """
    env.book_default_fignumbers = copy.deepcopy(env.toc_fignumbers)
    extra = {}
    for docname in sorted(env.toc_fignumbers):
        chapter = _chapter_of(docname)
        for figtype, numbers in sorted(env.toc_fignumbers[docname].items()):
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
    for by_type in app.env.toc_fignumbers.values():
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


def on_bench_resolved(app, doctree, docname):
    for node in list(doctree.findall(bench_placeholder)):
        node.replace_self(_bench_nodes(app))


def on_env_purge_doc(app, env, docname):
    getattr(env, "book_dynamic_docs", set()).discard(docname)


def on_build_finished(app, exception):
    if exception is None and app._warncount == 0:
        (_state_dir(app) / "unfinished_build").unlink(missing_ok=True)


def tidy_theme(app, config):
    """A light default mode (an empty one makes the theme's script log an error in every browser)."""
    config.html_context = dict(config.html_context or {}, default_mode="light")


def dedupe_scripts(app, pagename, templatename, context, doctree):
    """sphinx-thebe and sphinx-togglebutton register their inline scripts twice under jupyter-book (with
    different priorities), so every page logs "Identifier 'THEBE_JS_URL' has already been declared", and
    MathJax is included twice (deferred and not), which breaks it ("Cannot set property Package");
    keep the first copy of each script."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        filename = getattr(script, "filename", str(script)) or ""
        key = filename or repr(sorted(getattr(script, "attributes", {}).items()))  # a file once, an inline body once
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def offer_notebook_download(app, pagename, templatename, context, doctree):
    """Readers get the executed notebook (.ipynb) of every chapter beside its source, from the theme's
    download menu: copy myst-nb's executed notebook next to the page sources."""
    executed = _executed_dir(app) / f"{pagename}.ipynb"
    if app.builder.format != "html" or not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _memoise_numref_targets(app) -> None:
    """Sphinx unpickles the whole target page for every {numref} it resolves (128 here, ~30 ms each:
    a third of a clean build's non-execution time). Resolve numrefs against one read-only copy of each
    page per build instead. Only the numref lookup sees the memo; pages being written still get fresh
    doctrees."""
    from sphinx.domains.std import StandardDomain

    original = StandardDomain._resolve_numref_xref
    if getattr(original, "book_memoised", False):
        return

    def resolve(self, env, *args, **kwargs):
        memo = env.app.__dict__.setdefault("book_numref_doctrees", {})
        real = env.get_doctree
        env.get_doctree = lambda docname: memo[docname] if docname in memo else memo.setdefault(docname, real(docname))
        try:
            return original(self, env, *args, **kwargs)
        finally:
            del env.get_doctree

    resolve.book_memoised = True
    StandardDomain._resolve_numref_xref = resolve


def setup(app):
    _memoise_numref_targets(app)
    app.add_config_value("book_shared_execution", False, "env")   # set by lib/edition.py for the Chinese edition
    app.add_node(comparison_placeholder)
    app.add_directive("results-comparison", ResultsComparison)
    app.add_directive("glued-table", GluedTable)
    app.add_node(bench_placeholder)
    app.add_directive("bench-figures", BenchFigures)
    app.connect("doctree-resolved", on_bench_resolved)
    app.connect("env-get-updated", restore_default_numbers, priority=100)
    app.connect("env-get-updated", report_numbers, priority=900)
    app.connect("builder-inited", on_builder_inited)
    app.connect("config-inited", tidy_theme)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-updated", on_env_updated)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("doctree-resolved", latex_report_numbers)
    app.connect("build-finished", on_build_finished)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
