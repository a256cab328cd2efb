"""The results ledger: collected from each notebook's executed outputs when Sphinx reads the page, written
to ``_build/results/`` when the environment is updated.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from jupyter_cache import get_cache
from sphinx.errors import ExtensionError
from sphinx.util import logging

from lib.book import private
from lib.book.cache_state import _cache_dir, _extracting_only, _is_notebook
from lib.book.execution_pool import NB_READER
from lib.inputs import buildguard
from lib.ledger import ledger

__all__ = ["GLUE_MIME", "on_doctree_read", "on_env_merge_info", "collect_results", "collect_quoted", "quoted_by_page", "on_env_updated", "on_env_purge_doc"]

logger = logging.getLogger(__name__)


GLUE_MIME = "text/plain"


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


def quoted_by_page(app, env) -> dict[str, set[str]]:
    """Per notebook page, in page order, the published ids it glues for its prose."""
    return {doc: set(page["quoted"]) for doc, page in _ledger_pages(app, env).items()}


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


def on_env_purge_doc(app, env, docname):
    getattr(env, "book_dynamic_docs", set()).discard(docname)
    getattr(env, "book_ledger", {}).pop(docname, None)
