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

Extension points: Sphinx's public events, directives, domains and config values; myst-nb's public
``{glue:text}`` role, config values and jupyter-cache reader; jupyter-cache's public Python API. Every use
of a non-public name goes through ``lib.book.private``, which says why for each and whose version gate
(connected by ``setup()``) stops a build at ``builder-inited`` on any other version of Sphinx, docutils,
myst-nb, jupyter-book, jupyter-cache or nbclient than the pinned ones.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging as std_logging
import multiprocessing
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from jupyter_cache import get_cache
from sphinx.domains.std import StandardDomain
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from lib.book import cache_health, pdf_layout, private
from lib.inputs import buildguard, data, paths, schemas
from lib.ledger import ledger
from lib.present import comparison

__all__ = ["GLUE_MIME", "FINGERPRINTED", "NB_READER", "KERNEL_ARGUMENTS", "BLAS_THREADS", "fingerprint", "results_dir",
           "check_authored_data", "on_builder_inited", "on_env_get_outdated", "on_env_before_read_docs",
           "on_doctree_read", "on_env_merge_info", "collect_results", "collect_quoted", "on_env_updated",
           "comparison_placeholder", "bench_placeholder", "ResultsComparison", "BenchFigures", "BENCH_LABELS",
           "on_doctree_resolved", "GluedTable", "FIG_LABEL", "restore_default_numbers", "report_numbers",
           "latex_report_numbers", "on_bench_resolved", "on_env_purge_doc", "WarningCounter",
           "on_build_finished", "tidy_theme", "dedupe_scripts", "offer_notebook_download", "BookStandardDomain",
           "on_env_updated_clear_memo", "check_execution_mode", "on_config_inited",
           "setup"]

logger = logging.getLogger(__name__)
GLUE_MIME = "text/plain"
FINGERPRINTED = [("lib", "*.py"), ("data", "*")]
# jupyter-cache reader that myst-nb registers (entry point ``jcache.readers``): it reads a MyST notebook
# exactly as the build does, so notebooks executed through jupyter-cache match myst-nb's cache look-up.
NB_READER = {"type": "plugin", "name": "myst_nb_md"}
# ipykernel's public ``exec_lines`` option, run silently before the notebook: at exit, freeze the garbage
# collector's view of the heap, so a kernel about to be discarded does not spend up to a second in the
# interpreter's final collections (0.8 s for the regional page). No name enters the notebook's namespace.
KERNEL_ARGUMENTS = ["--IPKernelApp.exec_lines=__import__('atexit').register(__import__('gc').freeze)"]
BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


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


def results_dir(app) -> Path:
    """The results ledger to read now: this build's staging folder while it has one, else the published one
    (``_build/results`` for the English edition; lib/inputs/buildguard.py)."""
    return buildguard.results_dir(Path(app.outdir).parent)


def _executed_dir(app) -> Path:
    return Path(app.outdir).parent / "jupyter_execute"


def check_authored_data(app) -> None:
    """First thing in every build (``builder-inited``): stop with every problem before a notebook runs.

    A full check takes about a second, so its result is remembered: when the digest of the module, the
    schemas and the authored files equals that of the last clean check (``_build/.book_state/schemas_ok``),
    nothing can have changed and the check is not repeated.
    """
    stamp = Path(app.outdir).parent / ".book_state" / "schemas_ok"
    current = schemas.digest()
    if stamp.exists() and stamp.read_text() == current:
        logger.info("[book] authored data unchanged since its last clean schema check")
        return
    found = schemas.problems()
    if found:   # the problems once, the first one first, and no traceback (lib/inputs/buildguard.py)
        buildguard.stop("\n".join(map(str, found)) + f"\nauthored data check failed: {len(found)} problem(s) "
                        "(schemas: data/datapackage.yaml, data/schemas/); the build stopped before any page ran")
    count = len(schemas.authored_files(paths.DATA))
    buildguard.atomic_write(stamp, current)
    logger.info(f"[book] {count} authored data files valid against their schemas (data/datapackage.yaml)")


def on_builder_inited(app) -> None:
    check_execution_mode(app)
    check_authored_data(app)  # every authored file against its schema (data/datapackage.yaml), before anything runs
    try:
        names = data.verify_all()
    except data.DataError as err:
        buildguard.stop(f"external data check failed: {err}\nthe build stopped before any page ran")
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
        buildguard.atomic_write(stored, current)  # from now on the cache only holds runs with the current inputs
        app.book_force_all = True
    unfinished = state / "unfinished_build"
    if _keeps_site(app):   # the last good site is put back if this build fails (lib/inputs/buildguard.py)
        buildguard.keep_last_good_site(Path(app.outdir), last_build_succeeded=not unfinished.exists())
        buildguard.on_stop(lambda: buildguard.site_failed(Path(app.outdir)))
    if unfinished.exists():
        logger.info("[book] the last build failed, had warnings or was interrupted: re-reading every page")
        app.book_force_all = True
    unfinished.write_text("removed when a build finishes without errors or warnings\n")
    if not _extracting_only(app):
        buildguard.start(Path(app.outdir).parent)   # an empty staging folder for this build's results ledger


def _check_shared_execution(app, current: str) -> None:
    """A second edition (the Chinese one) reuses the executed notebooks of the English build and never clears
    them: they must have been run with the current library, data and pins."""
    english = _cache_dir(app).parent / ".book_state" / "fingerprint"
    if not english.exists() or english.read_text() != current:
        buildguard.stop("this edition reuses the English build's executed notebooks, which are missing or "
                        "out of date (library, data or pins changed): build the English edition first (make book)")


def _is_notebook(env, docname: str) -> bool:
    path = Path(env.doc2path(docname))
    return path.suffix == ".ipynb" or (path.suffix == ".md" and "kernelspec" in path.read_text(encoding="utf-8")[:600])


def on_env_get_outdated(app, env, added, changed, removed):
    if getattr(app, "book_force_all", False):
        return sorted(env.found_docs)
    executed = _executed_dir(app)
    return sorted(d for d in env.found_docs if _is_notebook(env, d) and not (executed / f"{d}.ipynb").exists())


# --- Notebook execution: a pool of processes fills myst-nb's jupyter-cache before Sphinx reads -------------

def _execution_times_file(app) -> Path:
    return _state_dir(app) / "execution_seconds.json"


def _execute_notebook(notebook, cwd: str, timeout, allow_errors: bool):
    """Worker (a separate process): execute one notebook as myst-nb's cache mode does.

    The kernels of the pool share the cores: each gets one BLAS/OpenMP thread (its child inherits this
    process's environment), so two kernels on two cores do not fight over four threads."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")

    seconds, error = private.execute_notebook(notebook, cwd, timeout, allow_errors, KERNEL_ARGUMENTS)
    return notebook, seconds, error


def on_env_before_read_docs(app, env, docnames):
    """Execute, in parallel, the notebooks about to be read that have no valid entry in the cache.

    myst-nb then finds every one of them in the cache. Only the jupyter-cache Python API is used, with the
    reader myst-nb registers for jupyter-cache, and myst-nb's own execution settings (timeout, errors, CWD).
    A notebook that fails here is left to myst-nb, which executes it again and reports the error as usual.
    With fewer than two notebooks to execute a pool gains nothing and myst-nb executes them itself.
    """
    config = app.config
    if config.nb_execution_mode != "cache" or config.nb_execution_in_temp or os.environ.get("BOOK_SERIAL_EXECUTION"):
        return   # BOOK_SERIAL_EXECUTION=1: leave every execution to myst-nb, one at a time (for comparison)
    cache = get_cache(str(_cache_dir(app)))
    pending, found = [], app.__dict__.setdefault("book_cache_records", {})
    for docname in docnames:
        if not _is_notebook(env, docname):
            continue
        record = cache.add_nb_to_project(str(env.doc2path(docname)), read_data=NB_READER)
        cached = cache_health.usable_or_discard(cache, cache.get_cached_project_nb(record.pk), record.uri, logger)
        if cached is None:
            pending.append((docname, record))
        else:
            found[docname] = cached.pk   # spares _page_ledger a second look-up
    workers = min(len(pending), os.cpu_count() or 1)
    if workers < 2:
        return
    times_file = _execution_times_file(app)
    try:   # only an ordering hint: an unreadable file is ignored
        last = json.loads(times_file.read_text()) if times_file.exists() else {}
    except ValueError:
        last = {}
    # longest first (last measured time, else source size), so the slowest page never starts last
    pending.sort(key=lambda item: (-last.get(item[0], 0.0), -Path(item[1].uri).stat().st_size))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, not a fork of Sphinx
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {}
        for docname, record in pending:
            notebook = cache.get_project_notebook(record.pk).nb
            logger.info(f"{record.uri}: Executing notebook in a pool of {workers} processes [book]")
            future = pool.submit(_execute_notebook, notebook, str(Path(record.uri).parent),
                                 config.nb_execution_timeout, config.nb_execution_allow_errors)
            futures[future] = (docname, record)
        for future in as_completed(futures):
            docname, record = futures[future]
            try:
                notebook, seconds, error = future.result()
            except Exception as exc:   # e.g. a kernel that died at start-up: myst-nb starts a new one
                notebook, seconds, error = None, 0.0, f"{type(exc).__name__}: {exc}"
            if error is not None:
                logger.info(f"{record.uri}: execution failed in the pool ({error.strip().splitlines()[-1][:200]}); "
                            "myst-nb runs it again and reports it [book]")
                continue
            cached = private.cache_bundle(cache, notebook, record.uri, {"execution_seconds": seconds})
            found[docname] = cached.pk
            last[docname] = round(seconds, 2)
            logger.info(f"{record.uri}: Executed notebook in {seconds:.2f} seconds [book]")
    buildguard.atomic_write(times_file, json.dumps(last, indent=1, sort_keys=True) + "\n")


# --- Results ledger: collected from each notebook's executed outputs when Sphinx reads the page ------------

def _page_ledger(app, env, docname: str) -> dict:
    """The ledger records and the quoted published ids of one notebook page, from its executed notebook
    in the jupyter-cache (public notebook format, matched to the page's current source)."""
    cache = get_cache(str(_cache_dir(app)))
    pk = getattr(app, "book_cache_records", {}).get(docname)   # found before reading, in this build
    if pk is None:
        record = cache.add_nb_to_project(str(env.doc2path(docname)), read_data=NB_READER)
        cached = cache.get_cached_project_nb(record.pk)
        if cached is None:
            raise ExtensionError(f"results ledger: no executed notebook in {_cache_dir(app)} for {docname}")
        pk = cached.pk
    glued = private.glued_outputs(cache.get_cache_bundle(pk).nb)
    records = [dict(private.glued_record(data, GLUE_MIME), chapter=docname) for name, data in sorted(glued.items())
               if name.startswith(ledger.RECORD_PREFIX)]
    quoted = sorted(name[len(ledger.PUBLISHED_PREFIX):] for name in glued if name.startswith(ledger.PUBLISHED_PREFIX))
    return {"records": records, "quoted": quoted}


def _extracting_only(app) -> bool:
    """Message extraction without execution (``python -m lib.book.translations check``): there are no results."""
    return app.config.nb_execution_mode == "off"


def on_doctree_read(app, doctree):
    env = app.env
    if _is_notebook(env, env.docname) and not _extracting_only(app):
        if not hasattr(env, "book_ledger"):
            env.book_ledger = {}
        env.book_ledger[env.docname] = _page_ledger(app, env, env.docname)


def on_env_merge_info(app, env, docnames, other):
    """Parallel reading: take over what the other process collected."""
    if hasattr(other, "book_ledger"):
        env.book_ledger = {**getattr(env, "book_ledger", {}), **other.book_ledger}
    if hasattr(other, "book_dynamic_docs"):
        env.book_dynamic_docs = getattr(env, "book_dynamic_docs", set()) | other.book_dynamic_docs


def _ledger_pages(app, env) -> dict:
    """Per-page ledger data of every notebook page (read now, or kept in the environment since)."""
    pages = getattr(env, "book_ledger", None)
    if pages is None:
        pages = env.book_ledger = {}
    for docname in sorted(env.found_docs):
        if docname not in pages and _is_notebook(env, docname):  # e.g. an environment from an older extension
            pages[docname] = _page_ledger(app, env, docname)
    return {d: pages[d] for d in sorted(pages) if d in env.found_docs}


def collect_results(app, env) -> pd.DataFrame:
    """Every record glued by the notebooks."""
    rows = [row for page in _ledger_pages(app, env).values() for row in page["records"]]
    frame = pd.DataFrame(rows, columns=ledger.RESULT_COLUMNS + ledger.EXTRA_COLUMNS[1:])
    text = ["explanation", "by_construction", "substitute", "basis"]
    frame[text] = frame[text].fillna("")
    dupes = sorted(set(frame["key"][frame["key"].duplicated()]))
    if dupes:   # each key with the pages that record it; the build stops, its results are not published
        def where(chapters) -> str:
            names = sorted(set(chapters))
            return (f"by more than one page: {' and '.join(names)}" if len(names) > 1
                    else f"{len(chapters)} times by {names[0]}")
        pages = frame[frame["key"].isin(dupes)].groupby("key")["chapter"].apply(where)
        buildguard.stop("\n".join(f"results ledger: key '{key}' is recorded {pages[key]} "
                                  "(a key names one value: rename one of them)" for key in dupes)
                        + f"\nthe build stopped; {buildguard.published(Path(app.outdir).parent)} keeps the last good "
                          "build's results")
    return frame.sort_values("key").reset_index(drop=True)


def collect_quoted(app, env) -> set[str]:
    """Published ids that some page glues for its prose (ledger.glue_published)."""
    return {pid for page in _ledger_pages(app, env).values() for pid in page["quoted"]}


def on_env_updated(app, env):
    if _extracting_only(app):
        return
    results = collect_results(app, env)
    # staged: moved to _build/results only when the build ends without errors or warnings (lib/inputs/buildguard.py)
    out = buildguard.staging(Path(app.outdir).parent) / "results.csv"
    plain = results[ledger.RESULT_COLUMNS].copy()
    plain["value"] = plain["value"].map(repr)
    buildguard.atomic_csv(plain, out, index=False, lineterminator="\n")
    app.book_quoted = collect_quoted(app, env)
    comparison = ledger.compare(results, keep_unmatched=True, quoted=app.book_quoted)
    shared = ledger.shared_explanations(comparison)
    if shared:   # every explained difference states its own cause (one text per table and quantity)
        buildguard.stop("results ledger: " + "\n".join(shared))
    buildguard.atomic_csv(comparison, out.parent / "comparison.csv", index=False, lineterminator="\n",
                          float_format="%.10g")
    buildguard.atomic_csv(ledger.status_summary(comparison), out.parent / "status_summary.csv", index=False,
                          lineterminator="\n")
    app.book_results = results
    logger.info(f"[book] results ledger: {len(results)} values -> {out}")
    # pages that show what the build produces are rewritten when that changed (a page read in this build
    # is rewritten anyway; a missing output file is noticed by Sphinx itself)
    digest = hashlib.sha256()
    for path in (out, out.parent / "comparison.csv", Path(app.outdir).parent / "bench.json"):
        digest.update(path.read_bytes() if path.exists() else b"-")
    digests = env.book_dynamic_digests = getattr(env, "book_dynamic_digests", {})   # per builder (html, latex)
    previous, digests[app.builder.name] = digests.get(app.builder.name), digest.hexdigest()
    if previous == digests[app.builder.name]:
        return []
    return sorted(getattr(env, "book_dynamic_docs", set()) & env.found_docs)


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
        names = {_chapter_of(doc): comparison.chapter_name(_chapter_of(doc), title.astext())
                 for doc, title in sorted(app.env.titles.items(), reverse=True) if _chapter_of(doc)}
        node.replace_self(comparison.appendix_nodes(frame, table, names))


class GluedTable(SphinxDirective):
    """``{glued-table} key`` + caption: a table glued with ``charts.glue_table``, numbered as a table."""

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self):
        key = self.arguments[0]
        # the glued text through myst-nb's public {glue:text} role (which reports a missing key itself)
        pasted, messages = self.state.inline_text(f"{{glue:text}}`{key}`", self.lineno)
        if messages:
            raise self.error(" ".join(m.astext() for m in messages))
        text = "".join(node.astext() for node in pasted)
        try:
            payload = private.glued_table_payload(text)
            columns, rows = payload["columns"], payload["rows"]
        except (KeyError, TypeError, ValueError, SyntaxError):
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


def on_bench_resolved(app, doctree, docname):
    for node in list(doctree.findall(bench_placeholder)):
        node.replace_self(_bench_nodes(app))


def on_env_purge_doc(app, env, docname):
    getattr(env, "book_dynamic_docs", set()).discard(docname)
    getattr(env, "book_ledger", {}).pop(docname, None)


class WarningCounter(std_logging.Handler):
    """Counts the warnings Sphinx logs in this build (through the standard logging module, as Sphinx does),
    leaving out those the project's ``suppress_warnings`` silences."""

    def __init__(self, app):
        super().__init__(level=std_logging.WARNING)
        self.app, self.count = app, 0

    def emit(self, record):
        kind, sub = getattr(record, "type", "") or "", getattr(record, "subtype", "") or ""
        if not private.is_suppressed_warning(kind, sub, self.app.config.suppress_warnings):
            self.count += 1


def _keeps_site(app) -> bool:
    """The English HTML site (the Chinese one is built aside and copied only when it succeeded)."""
    return app.builder.name == "html" and not app.config.book_shared_execution and not _extracting_only(app)


def build_succeeded(app, exception) -> bool:
    """No exception and no warning (a warning fails the build under -W, even with --keep-going)."""
    counter = getattr(app, "book_warnings", None)
    return exception is None and counter is not None and counter.count == 0


def on_build_finished(app, exception):
    succeeded = build_succeeded(app, exception)
    counter = getattr(app, "book_warnings", None)
    if counter is not None:
        std_logging.getLogger("sphinx").removeHandler(counter)
    app.__dict__.pop("book_numref_doctrees", None)
    build_dir = Path(app.outdir).parent
    if succeeded:
        (_state_dir(app) / "unfinished_build").unlink(missing_ok=True)
        buildguard.publish(build_dir)
        if _keeps_site(app):
            buildguard.site_succeeded(Path(app.outdir))
    elif not _extracting_only(app):
        kept = buildguard.discard(build_dir)
        site = buildguard.site_failed(Path(app.outdir)) if _keeps_site(app) else ""
        logger.info(f"[book] the build failed: {buildguard.published(build_dir)} and the site's downloads "
                    + ("keep the last good build's results" if kept else "were not written (no build has succeeded yet)")
                    + (f"; {site}" if site else ""))


def tidy_theme(app, config):
    """A light default mode (an empty one makes the theme's script log an error in every browser)."""
    config.html_context = dict(config.html_context or {}, default_mode="light")


# PRIVATE HOOK (why): jupyter-book 1.0.4 sets up sphinx-thebe and sphinx-togglebutton so that their scripts
# are registered twice, and no config value stops it. ``script_files`` is a documented page-context value;
# its items carry the arguments of the public ``app.add_js_file`` (filename, attributes), which is all this
# reads. Checked with the pinned Sphinx and jupyter-book only (lib/book/private.py: the access, and the version gate).
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
        key = private.script_key(script)  # a file once, an inline body once
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


def check_execution_mode(app) -> None:
    """Every build executes through the jupyter-cache; only message extraction (gettext) may run nothing."""
    mode = app.config.nb_execution_mode
    if mode != "cache" and not (mode == "off" and app.builder.name == "gettext"):
        raise ExtensionError("the book needs execute_notebooks: cache in _config.yml (the results ledger and "
                             f"the parallel execution read the jupyter-cache); it is {mode!r}")


def on_config_inited(app, config):
    # one build of a checkout at a time (a second one waits; BOOK_LOCK_WAIT=0 stops it at once)
    try:
        buildguard.hold_lock(paths.BUILD, say=logger.info)
    except buildguard.BuildLocked as err:
        buildguard.stop(str(err))
    app.book_warnings = WarningCounter(app)
    std_logging.getLogger("sphinx").addHandler(app.book_warnings)


def setup(app):
    private.connect_version_gate(app)   # Sphinx, docutils, myst-nb, jupyter-book, jupyter-cache, nbclient
    # Every kernel, whether the pool or myst-nb starts it, gets one BLAS/OpenMP thread: the same threading in
    # series and in the pool, so results.csv is the same byte for byte however the notebooks were executed.
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")
    app.add_domain(BookStandardDomain, override=True)
    app.add_config_value("book_shared_execution", False, "env")   # set by lib/book/edition.py for the Chinese edition
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
    app.connect("config-inited", on_config_inited)
    app.connect("env-before-read-docs", on_env_before_read_docs)
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
    app.connect("build-finished", on_build_finished)
    app.setup_extension("lib.book.pdf_publication")   # the PDF prints no code; running heads without the edition
    app.setup_extension("lib.ledger.claims")  # {report-claims} directive and _build/results/claims_summary.csv
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
