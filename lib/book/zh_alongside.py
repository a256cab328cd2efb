"""The Chinese edition built alongside the English one (``make book``), on the core the English build leaves idle.

The Chinese build executes nothing: it reads the English build's executed notebooks. Its process starts with the
English build (``builder-inited``, once the inputs are verified): it checks the catalogues
(``lib.book.po_check``), starts Sphinx and checks its configuration while the execution pool runs, then waits
before reading any page. When the English build has every notebook in its cache (after the pool,
``env-before-read-docs``) it tells the Chinese build to go on ("go" on its standard input), and the Chinese build
reads and writes its pages while the English build, in one thread, reads and writes its own. When a notebook is
left to myst-nb (which executes it while reading) it says "stop", and the Chinese build ends without building
anything (so does it when the English build ends first: its standard input closes). It runs in a process of its
own (Sphinx is one application per process), shares the English build's lock (it is that build's child, and the
English build waits for it when it ends) and writes only under ``_build/zh``.
``python -m lib.book.edition html-zh-finish``, the next step of ``make book``, publishes it in ``_build/html/zh``
once the English build has succeeded, or shows why it failed; when it was not built alongside
(``BOOK_ZH_ALONGSIDE`` unset, or told to stop), that step checks the catalogues and builds it as before.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from sphinx.util import logging

from lib.book.cache_state import _is_notebook
from lib.inputs import buildguard, paths

__all__ = ["ENV_VAR", "WAIT_VAR", "STOPPED", "MARKER", "LOG", "enabled", "on_builder_inited", "start", "release",
           "wait_for_english", "finish", "setup"]

logger = logging.getLogger(__name__)

ENV_VAR = "BOOK_ZH_ALONGSIDE"          # set by `make book`
WAIT_VAR = "BOOK_ZH_WAIT_FOR_ENGLISH"  # set for the Chinese build started alongside: wait for "go" before reading
STOPPED = 75                           # its return code when told to stop: nothing built, html-zh-finish builds it
MARKER = paths.BUILD / "zh" / "alongside.json"   # the return code of the Chinese build started alongside
LOG = paths.BUILD / "zh" / "alongside.log"        # its output, shown by `python -m lib.book.edition html-zh-finish`


def enabled(app) -> bool:
    """The English HTML build of `make book` (never the Chinese build itself, message extraction or a PDF)."""
    return (os.environ.get(ENV_VAR) == "1" and app.builder.name == "html" and not app.config.book_shared_execution
            and app.config.nb_execution_mode == "cache")


def on_builder_inited(app) -> None:
    if enabled(app):
        MARKER.unlink(missing_ok=True)   # this build says afresh whether it built the Chinese edition
        start(app)


def start(app) -> None:
    """builder-inited, once the inputs are verified: start the Chinese build, which waits before reading a page."""
    if getattr(app, "book_zh_process", None) is not None:
        return
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "w", encoding="utf-8") as log:
        app.book_zh_process = subprocess.Popen(
            [sys.executable, "-m", "lib.book.edition", "html-zh-alongside"], stdin=subprocess.PIPE,
            stdout=log, stderr=subprocess.STDOUT, cwd=paths.ROOT,
            env=dict(os.environ, **{buildguard.LOCK_SHARED: str(os.getpid()), WAIT_VAR: "1"}))
    app.book_zh_go = False


def _tell(process, word: str) -> None:
    try:
        process.stdin.write(f"{word}\n".encode())
        process.stdin.close()
    except (BrokenPipeError, OSError):   # it has already ended (e.g. a catalogue fault): its return code says so
        pass


def release(app, env, docnames) -> None:
    """After the execution pool: "go" when every notebook about to be read is in the cache, else "stop"."""
    process = getattr(app, "book_zh_process", None)
    if process is None or process.stdin.closed:
        return
    found = app.__dict__.get("book_cache_records", {})
    if any(_is_notebook(env, d) and d not in found for d in docnames):
        _tell(process, "stop")   # myst-nb executes it while reading: the Chinese build must wait for the English one
        return
    app.book_zh_go = True
    _tell(process, "go")
    logger.info("[book] every notebook executed: the Chinese edition is built alongside (log: _build/zh/alongside.log)")


def wait_for_english(app, env, docnames) -> None:
    """In the Chinese build started alongside: read no page before the English build says every notebook ran."""
    if os.environ.get(WAIT_VAR) != "1" or not app.config.book_shared_execution:
        return
    if sys.stdin.readline().strip() != "go":
        print("[book] the English build executes a notebook while reading (or ended): the Chinese edition is "
              "built after it", flush=True)
        sys.exit(STOPPED)


def finish(app, exception) -> None:
    """The English build ends when the Chinese one has ended; its return code is left for html-zh-finish, unless it
    was not told to go on (html-zh-finish then builds it)."""
    process = getattr(app, "book_zh_process", None)
    if process is None:
        return
    app.book_zh_process = None
    if not process.stdin.closed:
        _tell(process, "stop")
    if not app.book_zh_go:
        process.wait()
        return
    logger.info("[book] waiting for the Chinese edition built alongside")
    buildguard.atomic_write(MARKER, json.dumps({"returncode": process.wait()}) + "\n")


def setup(app):
    app.connect("builder-inited", on_builder_inited, priority=900)   # after the inputs' checks (priority 500)
    app.connect("env-before-read-docs", release, priority=900)   # after the execution pool (priority 500)
    app.connect("env-before-read-docs", wait_for_english, priority=100)   # the Chinese build: before any look-up
    app.connect("build-finished", finish, priority=900)        # after the English site is kept or restored
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
