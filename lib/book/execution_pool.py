"""Notebook execution: a pool of processes, one per core, fills myst-nb's jupyter-cache before Sphinx reads
the pages (myst-nb alone executes one at a time).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from jupyter_cache import get_cache
from sphinx.util import logging

from lib.book import cache_health, private
from lib.book.cache_state import _cache_dir, _extracting_only, _is_notebook, _state_dir
from lib.inputs import buildguard, paths

__all__ = ["NB_READER", "KERNEL_ARGUMENTS", "BLAS_THREADS", "on_env_before_read_docs", "prepare_city_layer",
           "reap_city_layer"]

logger = logging.getLogger(__name__)


# jupyter-cache reader that myst-nb registers (entry point ``jcache.readers``): it reads a MyST notebook
# exactly as the build does, so notebooks executed through jupyter-cache match myst-nb's cache look-up.
NB_READER = {"type": "plugin", "name": "myst_nb_md"}
# ipykernel's public ``exec_lines`` option, run silently before the notebook. A full collection of the garbage
# collector's oldest generation at most every 100 collections of the middle one (Python's default: 10, and then
# only when the heap has grown by a quarter since the last): a page imports and reads hundreds of megabytes of
# long-lived objects, and the regional page spent 0.6-0.9 s CPU in six full collections that freed next to nothing
# (none now; its memory peak is the same). At exit, freeze the collector's view of the heap, so a kernel about to
# be discarded does not spend up to a second in the interpreter's final collections (0.8 s for the regional page).
# The kernels have no SQLAlchemy (installed for jupyter-cache, in the build's own processes): libpysal's package
# root imports it for its optional database reader when it can (libpysal.io.iohandlers.db, ``except ImportError``),
# 0.15-0.3 s of the regional page's imports; no page reads a database through it (pandas reads the cities' SQLite
# index through sqlite3 either way), and a page that did would stop with an ImportError naming it.
# No name enters the notebook's namespace.
KERNEL_ARGUMENTS = ["--IPKernelApp.exec_lines=__import__('gc').set_threshold(700, 10, 100); "
                    "__import__('sys').modules.setdefault('sqlalchemy', None); "
                    "__import__('atexit').register(__import__('gc').freeze)"]
BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


# --- A derived input prepared while Sphinx starts: the simplified city layer ---------------------------------

def prepare_city_layer(app) -> None:
    """builder-inited, after the inputs are verified: when the simplified city layer (``cities.layer()``, built
    once per package version under ``_build/cache``) is missing, build it in a process of its own, beside Sphinx's
    start-up and the first notebooks, instead of in the regional page's kernel (about 3 s of processor time, once).
    The process marks the layer as being built (``cities.build_layer_marked``): the page that needs it waits for
    it, and builds it itself if that process has gone."""
    # (the layer's file name carries the package version, ``cities.cache_path``; a layer of another version left in
    # the folder only means the page builds the current one itself. Importing lib.inputs.cities here would load
    # geopandas into every build's process, a no-change rebuild included.)
    if app.config.book_shared_execution or _extracting_only(app) or any((paths.BUILD / "cache").glob("cities-*.csv")):
        return
    # run in the book's folder: ``python -c`` puts the working folder first on the path, so the library (and the
    # _build/cache it writes to) is this book's, not that of the folder the build was started from
    app.book_city_layer = subprocess.Popen([sys.executable, "-c", "from lib.inputs import cities; cities.build_layer_marked()"],
                                           cwd=paths.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reap_city_layer(app, *args) -> None:
    """build-finished: the layer's process has ended (the page that needs it waited for it already)."""
    process = getattr(app, "book_city_layer", None)
    if process is not None:
        process.wait()
        app.book_city_layer = None


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
