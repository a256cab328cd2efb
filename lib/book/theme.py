"""The HTML theme tidied: a light default mode, each script once, and the theme's words in Chinese on the
Chinese pages.
"""
from __future__ import annotations

from pathlib import Path

from lib.book import private

__all__ = ["tidy_theme", "dedupe_scripts", "THEME_ZH", "THEME_ATTRIBUTES", "theme_zh", "translate_theme"]


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


# The theme's and Sphinx's own words on the Chinese pages. pydata-sphinx-theme, sphinx-book-theme, Sphinx and
# myst-nb print them from their templates and renderers in English (or, for a few, in a Taiwanese form) when
# the language is zh_CN; none of them reads a catalogue of the book's, so the Chinese pages are corrected
# after writing, attribute by attribute (an exact match of the attribute: no text of the book is touched).
THEME_ZH = {
    "Search this book...": "搜索本书…",
    "Toggle primary sidebar": "显示或隐藏目录栏",
    "Toggle secondary sidebar": "显示或隐藏本页导航",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统设置",
    "Toggle hidden content": "显示或隐藏代码",
    "Link to this heading": "指向本节的链接",
    "Link to this table": "指向本表的链接",
    "Link to this image": "指向本图的链接",
    "Link to this equation": "指向本公式的链接",
    "Link to this code": "指向本代码的链接",
    "Link to this definition": "指向本定义的链接",
    "列印成 PDF": "打印为PDF",
}
THEME_ATTRIBUTES = ("placeholder", "aria-label", "title", "data-tooltip")


def theme_zh(html: str) -> str:
    """A Chinese page with the theme's own words in Chinese (``THEME_ZH``, in the attributes a reader meets)."""
    for english, chinese in THEME_ZH.items():
        for attribute in THEME_ATTRIBUTES:
            html = html.replace(f'{attribute}="{english}"', f'{attribute}="{chinese}"')
    return html


def translate_theme(app, exception) -> None:
    """build-finished: the theme's words in Chinese on every page of the Chinese edition."""
    if exception is not None or app.builder.format != "html" or not str(app.config.language or "").startswith("zh"):
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = theme_zh(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
