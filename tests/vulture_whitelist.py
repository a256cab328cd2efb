"""Names vulture (tests/test_architecture.py) would report as unused although they are used by a caller it cannot see.

Arguments fixed by Sphinx's event signatures (env-get-outdated, html-page-context), and the file-version
arguments of ``functools.lru_cache`` readers, which exist only to be part of the cache key.
"""
# ruff: noqa: B018, F821
changed  # env-get-outdated(app, env, added, changed, removed)
removed  # env-get-outdated(app, env, added, changed, removed)
templatename  # html-page-context(app, pagename, templatename, context, doctree)
mtime_ns  # lru_cache key: a file read once per version (lib/inputs/data.py, published.py, schemas.py)
