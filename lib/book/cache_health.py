"""A jupyter-cache that heals: an executed notebook that cannot be read is discarded and executed again.

A disk that fills up (or a build killed) while jupyter-cache writes an executed notebook can leave a truncated
file behind a valid cache record. jupyter-cache then hands it out as cached, and every later build fails with
``NotJSONError: Notebook does not appear to be JSON`` until someone thinks of ``make clean-cache``. Before a
build uses a cached notebook, ``usable_or_discard`` reads it (jupyter-cache's public API); one that does not
load is removed from the cache with one line saying so, and the notebook is executed again as if new.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["usable_or_discard"]


def usable_or_discard(cache, cached, uri: str, logger):
    """``cached`` (a jupyter-cache record or None) when its notebook loads; else None, after removing it."""
    if cached is None:
        return None
    try:
        bundle = cache.get_cache_bundle(cached.pk)
        if not getattr(bundle.nb, "cells", None) and bundle.nb.get("cells") is None:
            raise ValueError("no cells")
    except Exception as err:   # NotJSONError, a missing file, a JSON decode error, a validation error ...
        text = str(err).strip()
        reason = f"{type(err).__name__}: {text.splitlines()[0][:120]}" if text else type(err).__name__
        # a line of information, not a warning: healed, the build goes on (a warning would fail it under -W)
        logger.info(f"{uri}: the executed notebook in the cache (record {cached.pk}) cannot be read ({reason}); "
                    "discarded, the notebook is executed again [book]")
        try:
            cache.remove_cache(cached.pk)   # jupyter-cache's public API: the record and its folder
        except KeyError:   # the notebook file itself is gone: give remove_cache a file to remove, then remove
            folder = Path(cache.path) / "executed" / cached.hashkey
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "base.ipynb").touch()
            cache.remove_cache(cached.pk)
        return None
    return cached
