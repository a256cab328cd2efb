"""The built site as a reader uses it, in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Checks every page of the table of contents: it loads without console errors, its images load, no request
leaves the machine, internal links and anchors resolve; the search page finds chapter 5. At 1400 px and
390 px wide, every page has no table row taller than 160 px, no sideways scrolling of the page at 390 px,
and no internal id or scientific-notation number in visible table text; screenshots of every page at both
widths are saved under _build/screenshots/ for a human to look at. A scan of the built HTML finds no
internal id in table cells, captions or figure alt text.
"""
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lib import paths

pytestmark = pytest.mark.build
CHROMIUM = "/usr/bin/chromium"
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


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("SKIPPED LOUDLY: Python package playwright is missing (pip install -r requirements.txt)")
    if not Path(CHROMIUM).exists():
        pytest.skip("SKIPPED LOUDLY: /usr/bin/chromium is missing: apt-get install chromium (make test does this as root)")


@pytest.fixture(scope="module")
def site(book):
    _need_browser()
    if not (book.html / "index.html").exists():
        assert book.build().returncode == 0
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", book
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def _visit(browser, url):
    page = browser.new_page()
    errors, requests = [], []
    # the browser asks for /favicon.ico by itself; the book has no icon, and readers see no error
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in str(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    response = page.goto(url, wait_until="networkidle")
    return page, response, errors, requests


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_offline(site, browser, name):
    base, _ = site
    page, response, errors, requests = _visit(browser, f"{base}/{name}.html")
    try:
        assert response.status == 200
        assert errors == [], errors
        foreign = [u for u in requests if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]
        assert foreign == [], f"requests leaving the machine: {foreign}"
        broken = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], broken
    finally:
        page.close()


def test_internal_links_and_anchors_resolve(site, browser):
    base, book = site
    missing = []
    for name in PAGES[:-1]:
        page, _, _, _ = _visit(browser, f"{base}/{name}.html")
        hrefs = page.eval_on_selector_all("article a.reference.internal", "as => as.map(a => a.href)")
        page.close()
        for href in hrefs:
            url = urlparse(href)
            target = book.html / url.path.lstrip("/")
            if not target.exists():
                missing.append(href)
            elif url.fragment and f'id="{url.fragment}"' not in target.read_text(encoding="utf-8"):
                missing.append(href)
    assert missing == []


def test_downloads_for_readers(site, browser):
    import urllib.request
    base, book = site
    page, _, _, _ = _visit(browser, f"{base}/chapters/05_macro_value.html")
    links = page.eval_on_selector_all("a", "as => as.map(a => a.href)")
    page.close()
    for suffix in (".ipynb", ".md"):
        found = [link for link in links if link.endswith(f"05_macro_value{suffix}")]
        assert found, f"no {suffix} download on the chapter page"
        assert urllib.request.urlopen(found[0]).status == 200
    if (book.html / "book.pdf").exists():          # test_pdf.py puts it there, as make pdf does
        assert urllib.request.urlopen(f"{base}/book.pdf").status == 200


def test_search_finds_chapter_5(site, browser):
    base, _ = site
    page, _, errors, _ = _visit(browser, f"{base}/search.html?q=macro")
    try:
        page.wait_for_selector("#search-results li", timeout=20000)
        links = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
        assert any("05_macro_value" in link for link in links), links
        assert errors == []
    finally:
        page.close()


def test_screenshots_for_a_human(site, browser):
    base, book = site
    out = book.root / "_build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("index", "chapters/05_macro_value"):
        page, _, _, _ = _visit(browser, f"{base}/{name}.html")
        path = out / (name.replace("/", "_") + ".png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(path), full_page=False)
        page.close()
        assert path.stat().st_size > 10_000
    # keep a copy beside the real build for the maintainer to open
    keep = paths.BUILD / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for png in out.glob("*.png"):
        shutil.copy(png, keep / png.name)


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


def test_no_internal_id_reaches_a_reader(book):
    """Table cells, captions and figure alt text of every built page, scanned for internal ids."""
    if not (book.html / "index.html").exists():
        assert book.build().returncode == 0
    found = scan_html(book.html)
    leaks = {page: sorted(found_here) for page, found_here in found.items() if found_here}
    assert leaks == {}, leaks


READING_CHECK = """() => {
  const rows = [...document.querySelectorAll('article table tr')].map(r => {
    const box = r.getBoundingClientRect();
    const table = r.closest('table');
    const caption = table && table.querySelector('caption') ? table.querySelector('caption').innerText : '';
    const prose = !!(table && table.classList.contains('text-table'));
    // the narrowest cell holding a sentence (a year, a code or a number may be narrow)
    const widths = [...r.children].filter(c => c.innerText.trim().length >= 25)
                                  .map(c => c.getBoundingClientRect().width);
    return {height: box.height, text: r.innerText.slice(0, 80), table: caption.slice(0, 60), prose: prose,
            narrowest: widths.length ? Math.min(...widths) : 9999};
  });
  const visible = [...document.querySelectorAll('article table')].map(t => t.innerText).join(' | ');
  return {rows: rows, tableText: visible,
          scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_well(site, browser, name, width):
    base, book = site
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{base}/{name}.html", wait_until="networkidle")
        page.wait_for_timeout(300)   # MathJax typesets after load
        out = book.root / "_build" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        shot = out / f"{name.replace('/', '_')}_{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        keep = paths.BUILD / "screenshots"       # a copy beside the real build for the maintainer to open
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, keep / shot.name)
        state = page.evaluate(READING_CHECK)
    finally:
        page.close()
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
