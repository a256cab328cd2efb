"""The ``{glued-table}`` directive: a table glued by a notebook, rendered as a docutils table.
"""
from __future__ import annotations

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from lib.book import private
from lib.book.directives import _table

__all__ = ["GluedTable", "BILINGUAL", "data_table_placeholders"]

BILINGUAL = "book-bilingual"   # class of a table code makes in each edition's language


class GluedTable(SphinxDirective):
    """``{glued-table} key`` + caption: a table glued with ``charts.glue_table``, numbered as a table."""

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self):
        key = self.arguments[0]
        # the glued text through myst-nb's public {glue:text} role (which reports a missing key itself)
        pasted, messages = self.state.inline_text(f"{{glue:text}}`{key}`", self.lineno)
        if messages:
            raise self.error(" ".join(m.astext() for m in messages))
        text = "".join(node.astext() for node in pasted)
        try:
            payload = private.glued_table_payload(text)
            columns, rows = payload["columns"], payload["rows"]
        except (KeyError, TypeError, ValueError, SyntaxError):
            raise self.error(f"glue key {key!r} was not glued with charts.glue_table") from None
        table = _table(pd.DataFrame(rows, columns=columns), literal=payload.get("literal", ()))
        if private.has_glue(self.state.document, key + private.ZH_GLUE):
            table["classes"].append(BILINGUAL)   # glued in Chinese too: its cells need no catalogue
        caption = " ".join(self.content).strip()
        if not caption:
            raise self.error(f"table {key!r} needs a caption")
        inline, messages = self.state.inline_text(caption, self.lineno)
        table.insert(0, nodes.title(caption, "", *inline))
        self.add_name(table)
        return [table, *messages]


def data_table_placeholders(app, doctree, placeholder):
    """The ``placeholder`` nodes of a page, each with the page's language ('en' or 'zh'), for a table built from a
    data file at resolve time (the glossary, the results dictionary). In the gettext build they are removed
    instead: their cells come from the data file in both languages, so no catalogue translates them."""
    lang = "zh" if (app.config.language or "en").startswith("zh") else "en"
    for node in list(doctree.findall(placeholder)):
        if app.builder.name == "gettext":
            node.parent.remove(node)
        else:
            yield node, lang
