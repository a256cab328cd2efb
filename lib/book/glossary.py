"""The ``{book-glossary}`` directive: the appendix *Glossary* from ``data/glossary.csv``, in the edition's language;
and the edition's tag for ``{only}`` (English renderings of the report's quotations on English pages only).

The Chinese edition executes nothing, so the table is made when the doctree is resolved (as the results
dictionary is), with the column titles and the gloss of the page's language; both editions show the English
term and the report's Chinese term side by side, so that a reader of either can map the other's terms.
"""
from __future__ import annotations

import pandas as pd
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lib.book.glued_tables import BILINGUAL, data_table_placeholders
from lib.inputs import tables
from lib.present import comparison

__all__ = ["glossary_placeholder", "BookGlossary", "HEADERS", "TABLE_CLASS", "glossary_table", "resolve_glossary",
           "edition_tag", "setup"]

# the glossary's own layout (_static/book.css): a table on a desktop whose report's term and section never wrap,
# a card per term on a phone; the table is made in the page's language, so no catalogue translates its cells
# (the English term stays English on the Chinese page)
TABLE_CLASS = "glossary-table"


class glossary_placeholder(nodes.General, nodes.Element):
    pass


class BookGlossary(SphinxDirective):
    """``{book-glossary}``: the glossary's table, filled in when the doctree is resolved."""

    def run(self):
        return [glossary_placeholder()]


HEADERS = {"en": ["term in this book", "the report's term", "where the report uses it", "gloss"],
           "zh": ["英文版用语", "报告用语", "报告中的出处", "释义"]}


def glossary_table(lang: str) -> pd.DataFrame:
    """One row per term, in the order of the file: English term, the report's term, section, gloss."""
    g = tables.glossary()
    frame = pd.DataFrame({"en": g["term_en"], "zh": g["term_zh"], "section": g["section"],
                          "gloss": g["gloss_zh" if lang == "zh" else "gloss_en"]})
    frame.columns = HEADERS[lang]
    return frame


def resolve_glossary(app, doctree, docname) -> None:
    for node, lang in data_table_placeholders(app, doctree, glossary_placeholder):
        table = comparison.table_node(glossary_table(lang), classes=("results-comparison", TABLE_CLASS, BILINGUAL))
        if "text-table" in table["classes"]:   # four short columns: a table, not one block per row
            table["classes"].remove("text-table")
        for row in table.findall(nodes.row):   # the English term: marked English (lang="en") in both editions
            if row.parent.tagname == "tbody":
                for para in row[0].findall(nodes.paragraph):
                    para["classes"] += ["language-en", "glossary-term-en"]
        node.replace_self(table)


def edition_tag(app, config) -> None:
    """Tag the build with its edition (``edition_en`` / ``edition_zh``), so that ``{only} edition_en`` keeps a
    passage on the English pages only: the editors' English rendering of a Chinese quotation, which the
    Chinese edition does not translate back (the report's own words stand above it)."""
    app.tags.add("edition_zh" if (config.language or "en").startswith("zh") else "edition_en")


def setup(app):
    app.connect("config-inited", edition_tag)
    app.add_node(glossary_placeholder)
    app.add_directive("book-glossary", BookGlossary)
    app.connect("doctree-resolved", resolve_glossary)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
