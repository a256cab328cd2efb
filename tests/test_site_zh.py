"""Both editions as a reader uses them: the Chinese site built from the English build's execution, glued
numbers identical in both languages, every page linked to its counterpart, the book's data downloadable
and documented, the edition printed in the footer. Browser checks run in headless Chromium (Playwright).
"""
import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from conftest import executed

pytestmark = pytest.mark.build
CHROMIUM = "/usr/bin/chromium"
PAGES = ["index", "chapters/01_concepts", "chapters/02_landscape", "chapters/03_micro_mechanisms",
         "chapters/04_industry_insights", "chapters/05_macro_value", "chapters/05b_employment_geography",
         "chapters/06_recommendations", "appendices/data_provenance", "appendices/published_vs_recomputed",
         "appendices/downloads", "appendices/reproducibility", "appendices/references"]
PASTED = re.compile(r'<span class="pasted-text">([^<]*)</span>')


@pytest.fixture(scope="module")
def editions(book):
    """The English build of the test copy, then the Chinese one (which must execute nothing)."""
    result = book.build()  # current: earlier tests may have edited and restored lib/ or data/ in the copy
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    result = subprocess.run([sys.executable, "-m", "lib.edition", "html-zh"], cwd=book.root, env=book.env(),
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return book, result.stdout + result.stderr


def _html(book, page: str, lang: str) -> str:
    base = book.html if lang == "en" else book.html / "zh"
    return (base / f"{page}.html").read_text(encoding="utf-8")


def test_chinese_build_executes_no_notebook(editions):
    book, log = editions
    assert executed(log) == []
    assert "Executing notebook" not in log
    assert (book.html / "zh" / "index.html").exists()


def _first_glued(book, page: str):
    """The first computed (not published) value a page's prose glues, formatted as the role asks."""
    from myst_nb.core.variables import format_plain_text

    source = (book.root / f"{page}.md").read_text(encoding="utf-8")
    glued = json.loads((book.root / "_build" / "jupyter_execute" / f"{page}.glue.json").read_text(encoding="utf-8"))
    for key, fmt in re.findall(r"\{glue:text\}`([^`:]+):([^`]+)`", source):
        if not key.startswith("published.") and key in glued:
            return key, format_plain_text(glued[key]["data"]["text/plain"], fmt)
    raise AssertionError(f"{page} glues no computed value")


@pytest.mark.parametrize("page", ["chapters/02_landscape", "chapters/05_macro_value",
                                  "chapters/05b_employment_geography"])
def test_a_glued_value_reads_the_same_in_both_editions(editions, page):
    book, _ = editions
    key, text = _first_glued(book, page)
    for lang in ("en", "zh"):
        assert text in PASTED.findall(_html(book, page, lang)), (lang, key, text)


@pytest.mark.parametrize("page", PAGES)
def test_every_glued_number_of_a_page_is_in_its_translation(editions, page):
    book, _ = editions
    english, chinese = sorted(PASTED.findall(_html(book, page, "en"))), sorted(PASTED.findall(_html(book, page, "zh")))
    assert chinese == english


def test_chinese_numbering_and_language(editions):
    book, _ = editions
    page = _html(book, "chapters/05_macro_value", "zh")
    assert 'lang="zh-CN"' in page or 'lang="zh_CN"' in page
    assert "图5-1" in page and "表5-" in page
    assert "Figure 5-1" in _html(book, "chapters/05_macro_value", "en")


def test_edition_in_both_footers(editions):
    book, _ = editions
    assert re.search(r'class="book-edition">Edition: \d{4}-\d{2}-\d{2}', _html(book, "index", "en"))
    assert re.search(r'class="book-edition">版本: \d{4}-\d{2}-\d{2}', _html(book, "index", "zh"))


def test_every_downloaded_column_is_documented(editions):
    book, _ = editions
    page = (book.root / "appendices" / "downloads.md").read_text(encoding="utf-8")
    files = sorted((book.html / "downloads").glob("*.csv"))
    assert {"results.csv", "comparison.csv", "report_values.csv", "claims.csv"} <= {f.name for f in files}
    for path in files:
        section = page.split(f"## `{path.name}`", 1)
        assert len(section) == 2, f"{path.name} has no section on the downloads page"
        body = section[1].split("\n## ", 1)[0]
        columns = pd.read_csv(path, nrows=0).columns
        undocumented = [c for c in columns if f"| `{c}` |" not in body]
        assert undocumented == [], f"{path.name}: columns not documented in appendices/downloads.md: {undocumented}"


# --- in the browser ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(editions):
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("SKIPPED LOUDLY: Python package playwright is missing (pip install -r requirements.txt)")
    if not Path(CHROMIUM).exists():
        pytest.skip("SKIPPED LOUDLY: /usr/bin/chromium is missing: apt-get install chromium (make test does this as root)")
    book, _ = editions

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(book.html)))
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
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in str(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    response = page.goto(url, wait_until="networkidle")
    return page, response, errors, requests


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_and_switches_language(site, browser, name, lang):
    base, _ = site
    prefix, other = ("", "zh/") if lang == "en" else ("zh/", "")
    page, response, errors, requests = _visit(browser, f"{base}/{prefix}{name}.html")
    try:
        assert response.status == 200
        assert errors == [], errors
        foreign = [u for u in requests if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]
        assert foreign == [], f"requests leaving the machine: {foreign}"
        broken = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], broken
        with page.expect_navigation():
            page.click(".book-language-switch a")
        assert page.url == f"{base}/{other}{name}.html"
        assert page.locator(".book-language-switch a").count() == 1
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_internal_links_and_anchors_resolve(site, browser, lang):
    base, book = site
    prefix = "" if lang == "en" else "zh/"
    missing = []
    for name in PAGES:
        page, _, _, _ = _visit(browser, f"{base}/{prefix}{name}.html")
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_downloads_page_links_every_file(site, browser, lang):
    import io
    import urllib.request

    base, book = site
    prefix = "" if lang == "en" else "zh/"
    page, _, errors, _ = _visit(browser, f"{base}/{prefix}appendices/downloads.html")
    links = page.eval_on_selector_all("a.book-download", "as => as.map(a => a.href)")
    page.close()
    assert errors == []
    names = sorted(Path(urlparse(link).path).name for link in links)
    assert {"results.csv", "comparison.csv", "report_values.csv"} <= set(names)
    for link in links:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200
            frame = pd.read_csv(io.BytesIO(response.read()))
        assert len(frame) > 0, link
    results = pd.read_csv(book.html / prefix / "downloads" / "results.csv")
    assert list(results.columns) == ["key", "value", "unit", "chapter", "published_id"]
