"""The HTML theme tidied: a light default mode and each script once.
"""
from __future__ import annotations

from lib.book import private

__all__ = ["tidy_theme", "dedupe_scripts"]


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
