"""One build at a time, its warnings counted, and what a finished build leaves (the site kept only when the
build succeeded).
"""
from __future__ import annotations

import logging as std_logging
from pathlib import Path

from sphinx.util import logging

from lib.book import private
from lib.book.cache_state import _extracting_only, _keeps_site, _state_dir
from lib.inputs import buildguard, paths

__all__ = ["WarningCounter", "build_succeeded", "on_build_finished", "on_config_inited"]

logger = logging.getLogger(__name__)


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


def on_config_inited(app, config):
    # one build of a checkout at a time (a second one waits; BOOK_LOCK_WAIT=0 stops it at once)
    try:
        buildguard.hold_lock(paths.BUILD, say=logger.info)
    except buildguard.BuildLocked as err:
        buildguard.stop(str(err))
    app.book_warnings = WarningCounter(app)
    std_logging.getLogger("sphinx").addHandler(app.book_warnings)
