"""The Chinese edition built alongside the English one (``make book``), on the core the English build leaves idle.

The Chinese build executes nothing: it reads the English build's executed notebooks. So it can start as soon as
the English build has every notebook in its cache (after the execution pool, ``env-before-read-docs``), and run
while the English build, in one thread, reads and writes its pages. It runs in a process of its own (Sphinx is
one application per process), first checks the catalogues (``lib.book.po_check``), shares the English build's
lock (it is that build's child, and the English build waits for it when it ends) and writes only under
``_build/zh``. ``python -m lib.book.edition html-zh-finish``, the next step of ``make book``, publishes it in
``_build/html/zh`` once the English build has succeeded, or shows why it failed; when it was not started here
(``BOOK_ZH_ALONGSIDE`` unset, or a notebook left to myst-nb, which executes it while reading), that step checks the
catalogues and builds it as before.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from sphinx.util import logging

from lib.book.cache_state import _is_notebook
from lib.inputs import buildguard, paths

__all__ = ["ENV_VAR", "MARKER", "LOG", "enabled", "on_builder_inited", "start", "finish", "setup"]

logger = logging.getLogger(__name__)

ENV_VAR = "BOOK_ZH_ALONGSIDE"          # set by `make book`
MARKER = paths.BUILD / "zh" / "alongside.json"   # the return code of the Chinese build started alongside
LOG = paths.BUILD / "zh" / "alongside.log"        # its output, shown by `python -m lib.book.edition html-zh-finish`


def enabled(app) -> bool:
    """The English HTML build of `make book` (never the Chinese build itself, message extraction or a PDF)."""
    return (os.environ.get(ENV_VAR) == "1" and app.builder.name == "html" and not app.config.book_shared_execution
            and app.config.nb_execution_mode == "cache")


def on_builder_inited(app) -> None:
    if enabled(app):
        MARKER.unlink(missing_ok=True)   # this build says afresh whether it built the Chinese edition


def start(app, env, docnames) -> None:
    """After the execution pool: start the Chinese build when every notebook about to be read is in the cache."""
    if not enabled(app) or getattr(app, "book_zh_process", None) is not None:
        return
    found = app.__dict__.get("book_cache_records", {})
    if any(_is_notebook(env, d) and d not in found for d in docnames):
        return   # myst-nb executes it while reading: the Chinese build must wait for the English one to end
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "w", encoding="utf-8") as log:
        app.book_zh_process = subprocess.Popen(
            [sys.executable, "-m", "lib.book.edition", "html-zh-alongside"], stdout=log, stderr=subprocess.STDOUT,
            cwd=paths.ROOT, env=dict(os.environ, **{buildguard.LOCK_SHARED: str(os.getpid())}))
    logger.info("[book] every notebook executed: the Chinese edition is built alongside (log: _build/zh/alongside.log)")


def finish(app, exception) -> None:
    """The English build ends when the Chinese one has ended; its return code is left for html-zh-finish."""
    process = getattr(app, "book_zh_process", None)
    if process is None:
        return
    app.book_zh_process = None
    logger.info("[book] waiting for the Chinese edition built alongside")
    buildguard.atomic_write(MARKER, json.dumps({"returncode": process.wait()}) + "\n")


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-before-read-docs", start, priority=900)   # after the execution pool (priority 500)
    app.connect("build-finished", finish, priority=900)        # after the English site is kept or restored
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
