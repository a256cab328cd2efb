"""The built site as a reader uses it, in headless Chromium (tests/reader.py).

Checks every page of the table of contents: it loads without console errors, its images load, no request
leaves the machine, internal links and anchors resolve; the search page finds chapter 5. At 1400 px and
390 px wide, every page has no table row taller than 160 px, no sideways scrolling of the page at 390 px,
and no internal id or scientific-notation number in visible table text; screenshots of every page at both
widths are saved under _build/screenshots/ for a human to look at. A scan of the built HTML finds no
internal id in table cells, captions or figure alt text. Each page is opened once per width and every check
reads that visit.
"""
import re
import urllib.request
from pathlib import Path

import pytest
from conftest import reads

from lib.inputs import paths

pytestmark = pytest.mark.build
WIDTHS = (1400, 390)
MAX_ROW_PX = 160
# what a reader must never see: ledger ids, dotted keys, cross-reference labels, raw column names, LaTeX
ID_PATTERNS = {
    "ledger id": r"\b[TFX]\d+(?:-\d+)?\.[A-Za-z0-9_.\-]*[A-Za-z_]",
    "dotted key": r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+){2,}\b",
    "label": r"\b(?:sec|fig|tbl|eq|app|ch)-[a-z0-9]+(?:-[a-z0-9]+)*;",
    "label list": r"^(?:sec|fig|tbl|eq)-\d+-[a-z0-9-]+$",
    "raw name or LaTeX subscript": r"\b[A-Za-z][A-Za-z0-9]*_(?:\{|[A-Za-z0-9])",
}
SCIENTIFIC = r"\b\d+\.\d+[eE][+-]?\d+\b|\b\d+[eE][+-]\d+\b"   # 8.335e-58, 1e-05 (not a hash like 5e643988)
MIN_PROSE_CELL_PX = {1400: 70, 390: 250}   # a prose cell: several words a line (a card is the phone's full width)
PAGES = ["index", "chapters/01_concepts", "chapters/02_landscape", "chapters/03_micro_mechanisms",
         "chapters/04_industry_insights", "chapters/05_macro_value", "chapters/05b_employment_geography",
         "chapters/06_recommendations", "appendices/data_provenance", "appendices/published_vs_recomputed",
         "appendices/reproducibility", "appendices/references", "search"]
# (the downloads page documents the files' columns and ids by name; tests/test_site_zh.py loads it)
reads(*(f"{name}@{width}" for name in PAGES for width in WIDTHS))
# read at a desktop's width for the tables' fit and the tallest row only
DESKTOP_ONLY = ["chapters/07_three_years_on", "appendices/data_dictionary", "appendices/claims"]
reads(*(f"{name}@1400" for name in DESKTOP_ONLY))
MAX_ANY_ROW_PX = 900   # no row of any table, prose or numbers, taller than a screen


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_offline(reader, name):
    seen = reader.visit(name)
    assert seen["status"] == 200
    assert seen["errors"] == [], seen["errors"]
    assert seen["foreign"] == [], f"requests leaving the machine: {seen['foreign']}"
    assert seen["broken_images"] == [], seen["broken_images"]


def test_internal_links_and_anchors_resolve(reader):
    hrefs = [href for name in PAGES[:-1] for href in reader.visit(name)["internal_links"]]
    assert hrefs, "no internal links found"
    assert reader.missing_targets(hrefs) == []


def test_downloads_for_readers(reader):
    links = reader.visit("chapters/05_macro_value")["links"]
    for suffix in (".ipynb", ".md"):
        found = [link for link in links if link.endswith(f"05_macro_value{suffix}")]
        assert found, f"no {suffix} download on the chapter page"
        assert urllib.request.urlopen(reader.base + found[0]).status == 200


def test_search_finds_chapter_5(reader):
    page, _, errors, _ = reader.open("search.html?q=macro")
    try:
        page.wait_for_selector("#search-results li", timeout=20000)
        links = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
        assert any("05_macro_value" in link for link in links), links
        assert errors == []
    finally:
        page.close()


def test_screenshots_for_a_human(reader):
    """Full-page screenshots of the front page and chapter 5, at both widths, beside the real build too."""
    for name in ("index", "chapters/05_macro_value"):
        for width in WIDTHS:
            shot = Path(reader.visit(name, width)["screenshot"])
            assert shot.stat().st_size > 10_000, shot
            assert (paths.BUILD / "screenshots" / shot.name).exists()


def _leaks(text: str) -> list[str]:
    """Internal ids in a text, as the whitespace-separated tokens that carry them; a path or repository
    name (a token with '/') is something a reader can open, not an id."""
    found = []
    for token in re.split(r"\s+", text):
        token = token.strip(",.:;()[]'\"")
        if not token or "/" in token:
            continue
        for name, pattern in ID_PATTERNS.items():
            if re.search(pattern, token):
                found.append(f"{name}: {token}")
    return found


def scan_html(html) -> dict:
    """{page: {leak, ...}} over table cells, captions and figure alt text (typeset math left out)."""
    from bs4 import BeautifulSoup
    found = {}
    for name in PAGES[:-1]:
        soup = BeautifulSoup((html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        for math in article.select(".math"):
            math.decompose()
        texts = [c.get_text(" ", strip=True) for c in article.find_all(["td", "th", "caption", "figcaption"])]
        texts += [img.get("alt", "") for img in article.find_all("img")]
        for text in texts:
            for leak in _leaks(text):
                found.setdefault(name, set()).add(leak)
    return found


def test_no_internal_id_reaches_a_reader(editions):
    """Table cells, captions and figure alt text of every built page, scanned for internal ids."""
    book, _ = editions
    found = scan_html(book.html)
    leaks = {page: sorted(found_here) for page, found_here in found.items() if found_here}
    assert leaks == {}, leaks


@pytest.mark.parametrize("name", [p for p in PAGES if p != "search"] + DESKTOP_ONLY)
def test_tables_fit_a_desktop_column(reader, name):
    """At 1,400 px no table of a chapter scrolls sideways inside its box, and no row anywhere is taller than
    900 px (the report's prose tables are one block per row; a long rule or note is a row of its own)."""
    state = reader.visit(name, 1400)["reading"]
    if name.startswith("chapters/"):
        wide = [f"{t['table']!r}: {t['scrollWidth']} > {t['clientWidth']}" for t in state["tables"]
                if t["scrollWidth"] > t["clientWidth"] + 1]
        assert wide == [], f"tables wider than the column at 1400px: {wide}"
    tall = [f"{r['height']:.0f}px: [{r['table']}] {r['text']!r}" for r in state["rows"] if r["height"] > MAX_ANY_ROW_PX]
    assert tall == [], f"rows taller than {MAX_ANY_ROW_PX}px at 1400px: {tall}"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_front_page_has_one_search_box(reader, width):
    assert reader.visit("index", width)["reading"]["searches"] == 1


@pytest.mark.parametrize("name", [p for p in PAGES if p.startswith("chapters/")])
def test_number_tables_show_numbers_on_a_phone(reader, name):
    """At 390 px a number table shows its first numbers beside its labels (the label column is at most 9rem and
    stays in view while the table scrolls inside its box), instead of a screen of labels."""
    state = reader.visit(name, 390)["reading"]
    hidden = [f"{t['table']!r}: numbers start at {t['secondLeft']:.0f}px" for t in state["tables"]
              if not t["prose"] and t["secondLeft"] > 0.6 * state["viewport"]]
    assert hidden == [], hidden
    loose = [t["table"] for t in state["tables"] if not t["prose"] and t["scrollWidth"] > t["clientWidth"] + 1
             and not t["labelSticky"]]
    assert loose == [], f"tables that scroll without their label column: {loose}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_well(reader, name, width):
    state = reader.visit(name, width)["reading"]
    # a row of numbers stays short; a row of prose (the report's text tables) may be tall, but every cell is
    # wide enough to read (it fits the column on a desktop and is a card on a phone)
    tall = [f"{r['height']:.0f}px: [{r['table']}] {r['text']!r}" for r in state["rows"]
            if r["height"] > MAX_ROW_PX and not r["prose"]]
    assert tall == [], f"table rows taller than {MAX_ROW_PX}px at {width}px: {tall[:10]} ({len(tall)} in all)"
    narrow = [f"{r['narrowest']:.0f}px: [{r['table']}] {r['text']!r}" for r in state["rows"]
              if r["prose"] and r["height"] > 0 and r["narrowest"] < MIN_PROSE_CELL_PX.get(width, 0)]
    assert narrow == [], f"prose table cells narrower than {MIN_PROSE_CELL_PX.get(width)}px at {width}px: {narrow[:5]}"
    if width <= 400:
        assert state["scrollWidth"] <= state["clientWidth"] + 1, (
            f"the page scrolls sideways at {width}px: {state['scrollWidth']} > {state['clientWidth']}")
    leaks = sorted(set(_leaks(state["tableText"])))
    assert leaks == [], leaks
    assert re.findall(SCIENTIFIC, state["tableText"]) == []
