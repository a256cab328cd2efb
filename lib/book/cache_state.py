"""Sphinx hooks that decide what a build must redo: the authored-data and input checks at the start of every
build, the fingerprint of ``lib/``, data and pins that invalidates the jupyter-cache, and the pages to re-read
after a failed or warned build (from lib/book/book_extension.py, which wires them).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml
from sphinx.errors import ExtensionError
from sphinx.util import logging

from lib.inputs import buildguard, data, paths, schemas

__all__ = ["FINGERPRINTED", "fingerprint", "results_dir", "check_authored_data", "on_builder_inited", "on_env_get_outdated", "check_execution_mode", "executes",
           "read_pasting_pages_after_sources"]

logger = logging.getLogger(__name__)


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


def results_dir(app) -> Path:
    """The results ledger to read now: this build's staging folder while it has one, else the published one
    (``_build/results`` for the English edition; lib/inputs/buildguard.py)."""
    return buildguard.results_dir(Path(app.outdir).parent)


def _executed_dir(app) -> Path:
    return Path(app.outdir).parent / "jupyter_execute"


def check_authored_data(app) -> None:
    """First thing in every build (``builder-inited``): stop with every problem before a notebook runs.

    A full check takes about a second, so its result is remembered: when the digest of the module, the
    schemas and the authored files equals that of the last clean check (``_build/.book_state/schemas_ok``;
    for the Chinese edition, its own or the English build's, which has just checked the same files), nothing
    can have changed and the check is not repeated.
    """
    stamp = Path(app.outdir).parent / ".book_state" / "schemas_ok"
    current = schemas.digest()
    stamps = [stamp, _cache_dir(app).parent / ".book_state" / "schemas_ok"] if app.config.book_shared_execution else [stamp]
    if any(s.exists() and s.read_text() == current for s in stamps):
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


def executes(path: Path) -> bool:
    """Whether a page is a notebook the build executes: an .ipynb, or a MyST notebook (a ``kernelspec`` in its
    front matter) that does not turn execution off with myst-nb's file-level ``mystnb: {execution_mode: "off"}``
    (chapter 7 executes nothing itself: it pastes what chapters 5 and 5b compute, ``book_glue_from``)."""
    if path.suffix == ".ipynb":
        return True
    if path.suffix != ".md":
        return False
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---") or "kernelspec" not in text[:600]:
        return False
    header = yaml.load(text.split("---", 2)[1], Loader=schemas.LOADER) or {}
    return "kernelspec" in header and (header.get("mystnb") or {}).get("execution_mode") != "off"


def _is_notebook(env, docname: str) -> bool:
    return executes(Path(env.doc2path(docname)))


def on_env_get_outdated(app, env, added, changed, removed):
    if getattr(app, "book_force_all", False):
        return sorted(env.found_docs)
    executed = _executed_dir(app)
    return sorted(d for d in env.found_docs if _is_notebook(env, d) and not (executed / f"{d}.ipynb").exists())


def _extracting_only(app) -> bool:
    """Message extraction without execution (``python -m lib.book.translations check``): there are no results."""
    return app.config.nb_execution_mode == "off"


def _keeps_site(app) -> bool:
    """The English HTML site (the Chinese one is built aside and copied only when it succeeded)."""
    return app.builder.name == "html" and not app.config.book_shared_execution and not _extracting_only(app)


def check_execution_mode(app) -> None:
    """Every build executes through the jupyter-cache; only message extraction (gettext) may run nothing."""
    mode = app.config.nb_execution_mode
    if mode != "cache" and not (mode == "off" and app.builder.name == "gettext"):
        raise ExtensionError("the book needs execute_notebooks: cache in _config.yml (the results ledger and "
                             f"the parallel execution read the jupyter-cache); it is {mode!r}")


def read_pasting_pages_after_sources(app, env, docnames: list) -> None:
    """env-before-read-docs: a page that pastes what other pages compute (``book_glue_from``, chapter 7 from chapters 5
    and 5b) is read again whenever one of them is, and after them, so it never shows values they no longer glue."""
    for page, sources in (app.config.book_glue_from or {}).items():
        if any(source in docnames for source in sources) or page in docnames:
            if page in docnames:
                docnames.remove(page)
            if page in env.found_docs:
                docnames.append(page)
