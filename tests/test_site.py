"""The built site as a reader uses it, in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Checks every page of the table of contents: it loads without console errors, its images load, no request
leaves the machine, internal links and anchors resolve; the search page finds chapter 5; screenshots of the
front page and chapter 5 are saved under _build/screenshots/ for a human to look at.
"""
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.build
CHROMIUM = "/usr/bin/chromium"
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
    from lib import paths
    keep = paths.BUILD / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for png in out.glob("*.png"):
        shutil.copy(png, keep / png.name)
