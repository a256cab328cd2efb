"""A reader of the built site: headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) and a
local web server over a copy's _build/html, shared by tests/test_site.py and tests/test_site_zh.py.

Each page is read once per width, in a process of its own that starts as soon as both editions are built
(``python tests/reader.py HTML OUT.json KEEP name@width ...``): what the tests check is collected on that one
visit (console errors, requests, images, links, the layout of tables) and a full-page screenshot of each
English page is saved for a human to look at. Links are kept as paths ("/chapters/05_macro_value.html#sec-x"), so a test can
follow them on its own server. ``Reader`` gives the tests those visits and a live browser for the rest.
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The layout of a page's tables as a reader sees it.
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
  // each table's box: wider content than the box means the reader has to scroll it sideways
  const tables = [...document.querySelectorAll('article table')].map(t => {
    const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
    const caption = t.querySelector('caption') ? t.querySelector('caption').innerText : t.className;
    // where a number table's second column starts (a phone must show numbers beside the labels) and whether
    // its label column stays in view when the box scrolls
    const first = t.querySelector('tbody tr');
    const second = first && first.children.length > 1 ? first.children[1].getBoundingClientRect() : null;
    return {table: caption.slice(0, 60), scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
            prose: t.classList.contains('text-table'), secondLeft: second ? second.left : 0,
            labelSticky: first ? getComputedStyle(first.children[0]).position === 'sticky' : false};
  });
  // the search boxes and buttons a reader can see
  const searches = [...document.querySelectorAll('.search-button, .search-button-field, input[type=search]')]
    .filter(e => { const b = e.getBoundingClientRect(), s = getComputedStyle(e);
                   return b.width > 0 && b.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; }).length;
  return {rows: rows, tableText: visible, tables: tables, viewport: window.innerWidth, searches: searches,
          scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth};
}"""
# MathJax typesets after the load event; wait for it where the page has it
MATHJAX_DONE = "() => window.MathJax && MathJax.startup && MathJax.startup.promise ? MathJax.startup.promise.then(() => true) : true"
HREFS = "as => as.map(a => a.href)"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python package playwright is missing (pip install -r requirements.txt)"
    if not Path(CHROMIUM).exists():
        return "/usr/bin/chromium is missing: apt-get install chromium (make test does this as root)"
    return None


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Site:
    """``html`` served on a free local port and a headless Chromium to read it."""

    def __init__(self, html: Path):
        from playwright.sync_api import sync_playwright
        self.html = html
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._playwright, self._browser, self._tabs = sync_playwright, None, {}

    @property
    def browser(self):
        if self._browser is None:   # started on first use
            self._playwright = self._playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
        self.server.shutdown()

    def open(self, path: str, width: int = 1400, page=None):
        """A page at ``path`` (e.g. "zh/index.html"; in ``page`` if given, else a new one), loaded until the
        network is idle, with what it logged on the way: (page, response, errors, requested URLs)."""
        page = page or self.browser.new_page(viewport={"width": width, "height": 900})
        errors, requests = [], []
        # the browser asks for /favicon.ico by itself; the book has no icon, and readers see no error
        listeners = {"console": lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in str(m.location) else None,
                     "pageerror": lambda e: errors.append(str(e)),
                     "request": lambda r: requests.append(r.url),
                     "requestfailed": lambda r: errors.append(f"failed: {r.url}")}
        for event, listener in listeners.items():
            page.on(event, listener)
        try:
            response = page.goto(f"{self.base}/{path}", wait_until="networkidle")
            page.evaluate(MATHJAX_DONE)
        finally:
            for event, listener in listeners.items():
                page.remove_listener(event, listener)
        return page, response, errors, requests

    def read(self, name: str, width: int, keep: Path | None = None, screenshot: bool = True) -> dict:
        """Everything the tests check on one page (``name`` without .html, e.g. "zh/chapters/05_macro_value").
        Pages of one width are read in one browser tab, one after another (a new tab per page costs a new
        renderer process: twice the time)."""
        if width not in self._tabs:
            self._tabs[width] = self.browser.new_page(viewport={"width": width, "height": 900})
        page, response, errors, requests = self.open(f"{name}.html", width, self._tabs[width])
        shot = self._screenshot(page, f"{name.replace('/', '_')}_{width}.jpg", keep) if screenshot else None
        return {
            "status": response.status,
            "errors": errors,
            "foreign": [u for u in requests if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")],
            "broken_images": page.eval_on_selector_all(
                "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"),
            "internal_links": self._paths(page.eval_on_selector_all("article a.reference.internal", HREFS)),
            "links": self._paths(page.eval_on_selector_all("a", HREFS)),
            "downloads": self._paths(page.eval_on_selector_all("a.book-download", HREFS)),
            "switch": self._paths(page.eval_on_selector_all(".book-language-switch a", HREFS)),
            "reading": page.evaluate(READING_CHECK),
            "screenshot": str(shot) if shot else None,
        }

    def _paths(self, urls: list[str]) -> list[str]:
        """This site's URLs as paths with their anchors; other URLs as they are."""
        return [u[len(self.base):] if u.startswith(self.base + "/") else u for u in urls]

    def _screenshot(self, page, filename: str, keep: Path | None) -> Path:
        """A full-page screenshot beside the copy's build (JPEG: quicker than PNG), and one in ``keep``."""
        out = self.html.parent / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / filename), full_page=True, type="jpeg", quality=70)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(out / filename, keep / filename)
        return out / filename


class Reader(Site):
    """The tests' view: the visits read beforehand (``visits``: {"name@width": record}) and a live browser."""

    def __init__(self, html: Path, visits: dict):
        super().__init__(html)
        self.visits = visits

    def visit(self, name: str, width: int = 1400) -> dict:
        record = self.visits.get(f"{name}@{width}")
        assert record is not None, f"{name} at {width}px was not read (tests/conftest.py reads())"
        assert "failure" not in record, f"reading {name} at {width}px failed: {record['failure']}"
        return record

    def missing_targets(self, links: list[str]) -> list[str]:
        """Internal links (paths) whose file, or whose anchor in that file, does not exist in the built site."""
        missing, texts = [], {}
        for link in links:
            url = urlparse(link)
            target = self.html / url.path.lstrip("/")
            if not target.exists():
                missing.append(link)
            elif url.fragment:
                text = texts.setdefault(target, target.read_text(encoding="utf-8"))
                if f'id="{url.fragment}"' not in text:
                    missing.append(link)
        return missing


def main(argv: list[str]) -> None:
    """Read every page named "name@width" of HTML; write the records to OUT (JSON) and screenshots to KEEP."""
    html, out, keep, keys = Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3:]
    site, records = Site(html), {}
    try:
        for key in keys:
            name, width = key.rsplit("@", 1)
            try:
                # screenshots of the English pages (the Chinese ones have the same layout)
                records[key] = site.read(name, int(width), keep, screenshot=not name.startswith("zh/"))
            except Exception as exc:   # one page's failure is that page's test failure, not every page's
                records[key] = {"failure": f"{type(exc).__name__}: {exc}"}
    finally:
        site.close()
    out.write_text(json.dumps(records), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
