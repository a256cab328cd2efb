"""Chinese number conventions for the glued numbers of the Chinese pages.

A glued number is formatted once, for the English sentence (``{glue:text}`key:,.0f``` reads ``300,000``), and a
translation must keep the same role. On a Chinese page the number is then rewritten the way Chinese prose writes
it, with the same value: no thousands separators (``2,078亿元`` → ``2078亿元``), whole 万 and 亿 (``300,000多家``
→ ``30万多家``), and a count the English gives in millions or billions (``40百万台``) in 万 or 亿 (``4000万台``).
Only the pasted text of a glued value in a sentence is touched (tables are not prose); a number rescaled from
millions carries the class ``zh-x100`` (the factor), so that a test can compare it with the English page's.
"""
from __future__ import annotations

import re

from docutils import nodes

__all__ = ["SEPARATED", "SCALES", "chinese_number", "rescale", "apply", "setup"]

SEPARATED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
# a unit the translation writes after a number given in millions/billions: (prefix, factor, the unit kept)
SCALES = [("百万", 100, "万"), ("千万", 1000, "万"), ("十亿", 10, "亿")]


def chinese_number(text: str) -> str:
    """'300,000' -> '30万', '100,000,000' -> '1亿', '2,078' -> '2078'; other text unchanged."""
    if not re.fullmatch(r"-?\d{1,3}(?:,\d{3})+", text):
        return text.replace(",", "") if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+\.\d+", text) else text
    value = int(text.replace(",", ""))
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if abs(value) >= size and value % size == 0:
            return f"{value // size}{unit}"
    return str(value)


def rescale(number: str, following: str) -> tuple[str, str] | None:
    """A number followed by 百万/千万/十亿: the number in 万/亿 and the text with the unit's prefix removed."""
    for prefix, factor, unit in SCALES:
        if following.startswith(prefix) and re.fullmatch(r"\d+(?:\.\d+)?", number):
            scaled = float(number) * factor
            text = f"{scaled:.0f}" if scaled == int(scaled) else f"{scaled:g}"
            return chinese_number(f"{int(scaled):,}") if scaled == int(scaled) else text, unit + following[len(prefix):]
    return None


def _in_table(node) -> bool:
    while node is not None:
        if isinstance(node, nodes.table):
            return True
        node = node.parent
    return False


def apply(doctree) -> int:
    """Rewrite the glued numbers of a Chinese doctree's paragraphs; the count of numbers changed."""
    changed = 0
    for inline in list(doctree.findall(nodes.inline)):
        if "pasted-text" not in inline.get("classes", []) or _in_table(inline):
            continue
        text = inline.astext()
        new = chinese_number(text)
        after = inline.parent[inline.parent.index(inline) + 1] if inline.parent.index(inline) + 1 < len(
            inline.parent) else None
        if isinstance(after, nodes.Text):
            scaled = rescale(new, str(after))
            if scaled:
                new = scaled[0]
                inline.parent.replace(after, nodes.Text(scaled[1]))
                inline["classes"].append(f"zh-x{dict((p, f) for p, f, _ in SCALES)[str(after)[:2]]}")
        if new != text:
            inline.children = [nodes.Text(new)]
            changed += 1
    return changed


def _on_doctree_resolved(app, doctree, docname) -> None:
    if (app.config.language or "en").startswith("zh"):
        apply(doctree)


def setup(app):
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
