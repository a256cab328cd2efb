"""The language of every passage marked for readers and screen readers (``lang``).

On the English pages, the report's Chinese (quotations, titles, terms, the Chinese half of a bilingual header)
is marked ``lang="zh-CN"``; on the Chinese pages, a passage that is still English prose is marked ``lang="en"``.
docutils writes a node's class ``language-<tag>`` as the HTML attribute ``lang="<tag>"``, so a run of the
other language becomes an inline node with that class (a whole paragraph, table cell or title in the other
language takes the class itself). HTML only: the PDF sets its fonts by script, not by tag.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from lib.present.formatting import CJK

__all__ = ["ZH_TAG", "EN_TAG", "CJK_RUN", "LATIN_STRETCH", "SKIPPED", "is_english", "mark_chinese", "mark_english", "mark_languages",
           "setup"]

ZH_TAG, EN_TAG = "zh-CN", "en"
# a run of Chinese: CJK characters with the CJK punctuation, digits and spaces between them
CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef](?:[\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
                     r"0-9A-Za-z%.·\-—…“”‘’ ]*[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])?")
SKIPPED = (nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.raw, nodes.comment,
           nodes.citation, nodes.target, addnodes.pending_xref, nodes.FixedTextElement)
_IDENTIFIER = re.compile(r"https?://\S+|\S*[A-Za-z0-9][_./\\][A-Za-z0-9]\S*|(?<!\S)\.[a-z]+\b|\{[^}]*\}|\$[^$]*\$")
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’]*(?![A-Za-z0-9])")
LATIN_STRETCH = re.compile(r"[A-Za-z][A-Za-z0-9_'’\-,;:()=!<>.\[\] ]*")
FORMULA = re.compile(r"（规则：.*?）(?=$|；)")   # a rule's formula in the data dictionary: code, left as it is


def is_english(text: str) -> bool:
    """English prose: a lowercase Latin word of three letters or more outside file names, identifiers and
    formulas (a firm's or an index's name, an abbreviation or a number is not)."""
    return any(len(w) >= 3 and w.islower() for w in _WORD.findall(_IDENTIFIER.sub(" ", text)))


def _skipped(node) -> bool:
    parent = node.parent
    while parent is not None:
        classes = parent.get("classes", [])
        if isinstance(parent, SKIPPED) or "pasted-text" in classes or any(c.startswith("language-") for c in classes):
            return True
        parent = parent.parent
    return False


def _texts(doctree):
    return [t for t in doctree.findall(nodes.Text) if t.parent is not None and not _skipped(t)]


def _mark(parent, tag: str) -> None:
    parent["classes"] = list(parent.get("classes", [])) + [f"language-{tag}"]


def mark_chinese(doctree) -> None:
    """English pages: every run of Chinese in an inline ``language-zh-CN`` (a text all Chinese marks its parent)."""
    for text in _texts(doctree):
        value = str(text)
        runs = list(CJK_RUN.finditer(value))
        if not runs:
            continue
        parent = text.parent
        if len(runs) == 1 and runs[0].group(0) == value.strip() and len(parent.children) == 1 \
                and isinstance(parent, (nodes.paragraph, nodes.inline, nodes.strong, nodes.emphasis, nodes.title)):
            _mark(parent, ZH_TAG)
            continue
        pieces, last = [], 0
        for run in runs:
            if run.start() > last:
                pieces.append(nodes.Text(value[last:run.start()]))
            pieces.append(nodes.inline(run.group(0), run.group(0), classes=[f"language-{ZH_TAG}"]))
            last = run.end()
        if last < len(value):
            pieces.append(nodes.Text(value[last:]))
        parent.replace(text, pieces)


def _english_stretches(value: str):
    """Stretches of English prose (three Latin words or more) inside a Chinese text: the report's own English
    (a quotation of GE) or a name the book keeps in English."""
    formulas = [m.span() for m in FORMULA.finditer(value)]
    for match in LATIN_STRETCH.finditer(value):
        if any(a <= match.start() < b for a, b in formulas):
            continue
        words = _WORD.findall(match.group(0))
        if len(words) >= 3 and is_english(match.group(0)):
            stretch = match.group(0).rstrip(" ,;:(")
            yield match.start(), match.start() + len(stretch)


def _wrap_stretches(text) -> None:
    value, pieces, last = str(text), [], 0
    for start, end in _english_stretches(value):
        if start > last:
            pieces.append(nodes.Text(value[last:start]))
        pieces.append(nodes.inline(value[start:end], value[start:end], classes=[f"language-{EN_TAG}"]))
        last = end
    if pieces:
        if last < len(value):
            pieces.append(nodes.Text(value[last:]))
        text.parent.replace(text, pieces)


def mark_english(doctree) -> None:
    """Chinese pages: a text still in English prose in ``language-en`` (within a Chinese text, each English
    stretch)."""
    for text in _texts(doctree):
        value = str(text)
        if CJK.search(value):
            _wrap_stretches(text)
            continue
        if not is_english(value):
            continue
        parent = text.parent
        if len(parent.children) == 1 and isinstance(parent, (nodes.paragraph, nodes.inline, nodes.strong,
                                                               nodes.emphasis, nodes.title, nodes.reference)):
            _mark(parent, EN_TAG)
        else:
            parent.replace(text, nodes.inline(value, value, classes=[f"language-{EN_TAG}"]))


def mark_languages(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    if str(app.config.language or "en").startswith("zh"):
        mark_english(doctree)
    else:
        mark_chinese(doctree)


def setup(app):
    app.connect("doctree-resolved", mark_languages, priority=900)   # after the tables and notes are filled in
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
