"""The executed notebook offered for download beside each page.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from lib.book.cache_state import _executed_dir, _is_notebook

__all__ = ["offer_notebook_download"]


def offer_notebook_download(app, pagename, templatename, context, doctree):
    """Readers get the executed notebook (.ipynb) of every chapter beside its source, from the theme's
    download menu: copy myst-nb's executed notebook next to the page sources. A page that executes nothing
    (chapter 7, which pastes what chapters 5 and 5b compute) offers none: its notebook would hold no code."""
    executed = _executed_dir(app) / f"{pagename}.ipynb"
    if app.builder.format != "html" or not executed.exists() or not _is_notebook(app.env, pagename):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
