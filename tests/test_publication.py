"""The book reads as a publication, not as a build log (issue 23).

* No cell prints anything the reader did not ask for: every output of every executed notebook (the
  jupyter-cache the build filled) is a glued object (``display_data`` carrying myst-nb's glue metadata) or a
  figure, never a stray value under a code toggle ("6.0", "53.468205426730954"); a cell whose last
  expression returns a value ends with ``;``.
* Sources in words: no table caption or table source column in a chapter of either edition names a repository
  path (``data/...``, ``seeds/...``), a seed file or a commit hash; those live in the appendices on data and
  reproducibility.
* Equations fit a phone (390 px): a display equation wider than the column scrolls inside its own box (nothing
  is cut off by the page), and its number is one unit on one line ("(5-E1)", never "(5-" over "E1)").
"""
import re
from pathlib import Path

import pytest
from jupyter_cache import get_cache

# a repository path, a data or seed file name, a commit hash (7-40 hex digits with both a digit and a letter)
MACHINERY = re.compile(r"\b(?:data|seeds|lib|chapters)/|\b\w+\.(?:ya?ml|csv|txt|py|ipynb)\b"
                       r"|\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")
SOURCE_HEADERS = re.compile(r"^\s*(source|sources|资料来源|来源)\b", re.I)

pytestmark = pytest.mark.build


def stray_outputs(root: Path) -> list[str]:
    """Outputs in the jupyter-cache of the build under ``root`` that are neither glued nor figures: one line per
    output, naming the page, the cell's last code line and what it printed."""
    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    pages = cache.list_project_records()   # the pages as they are now (not the edits other tests made and undid)
    assert pages, f"no executed notebook in {root / '_build' / '.jupyter_cache'}"
    found = []
    for page_record in pages:
        page = Path(page_record.uri).name
        executed = cache.get_cached_project_nb(page_record.pk)
        assert executed is not None, f"{page}: no executed notebook in the cache for its current source"
        for cell in cache.get_cache_bundle(executed.pk).nb.cells:
            for output in cell.get("outputs", []):
                glued = output.get("output_type") == "display_data" and "scrapbook" in output.get("metadata", {})
                figure = any(mime.startswith("image/") for mime in output.get("data", {}))
                if not (glued or figure):
                    shown = output.get("text") or output.get("data", {}).get("text/plain") or output.get("ename", "")
                    last = cell.source.strip().splitlines()[-1:]
                    found.append(f"{page}: cell ending {last}: {output.get('output_type')} {''.join(shown)[:80]!r}")
    return found


def test_no_stray_output_in_any_executed_notebook(book):
    assert stray_outputs(book.root) == []


def machinery_in_tables(html: Path) -> list[str]:
    """Table captions and source-column cells in the chapters of the site at ``html`` that show machinery."""
    from bs4 import BeautifulSoup
    found = []
    for page in sorted([*html.glob("chapters/*.html"), html / "index.html"]):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("article table"):
            caption = table.find("caption")
            texts = [("caption", caption.get_text(" ", strip=True))] if caption else []
            headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            for column, header in enumerate(headers):
                if SOURCE_HEADERS.match(header):
                    for row in table.select("tbody tr"):
                        cells = row.find_all(["td", "th"])
                        if column < len(cells):
                            texts.append((f"column {header!r}", cells[column].get_text(" ", strip=True)))
            found += [f"{page.relative_to(html)}: {where}: {text[:120]!r}" for where, text in texts
                      if MACHINERY.search(text)]
    return found


def test_machinery_pattern_finds_paths_files_and_hashes_only():
    for text in ("(`data/report_tables/tbl-1-1.yml`)", "seeds/001_840279a2666bc597.txt: MIIT", "edition b82bc2b"):
        assert MACHINERY.search(text), text
    for text in ("the report's Table 3-2, summarised by the editors", "NBS input-output table 2018",
                 "2019-2020", "decade", "MIIT press conference as reported, 2020-09-22"):
        assert not MACHINERY.search(text), text


def test_no_repository_path_in_table_captions_or_source_columns(editions):
    copy, _ = editions
    found = machinery_in_tables(copy.html) + machinery_in_tables(copy.html / "zh")
    assert found == []


EQUATIONS = """() => [...document.querySelectorAll('article div.math')].map(d => {
  const m = d.querySelector('mjx-container'), n = d.querySelector('.eqno');
  const line = n ? parseFloat(getComputedStyle(n).lineHeight) || 24 : 0;
  return {id: d.id, number: n ? n.innerText.replace('#', '').trim() : '', numberLines: n ? n.getBoundingClientRect().height / line : 0,
          wide: m ? m.scrollWidth > m.clientWidth + 1 : false,
          scrolls: m ? ['auto', 'scroll'].includes(getComputedStyle(m).overflowX) : false,
          right: d.getBoundingClientRect().right, page: document.documentElement.clientWidth}; })"""


@pytest.mark.parametrize("page", ["chapters/05_macro_value.html", "chapters/05b_employment_geography.html",
                                  "zh/chapters/05_macro_value.html"])
def test_equations_fit_a_phone(reader, page):
    tab, _, _, _ = reader.open(page, width=390)
    equations = [eq for eq in tab.evaluate(EQUATIONS) if eq["number"]]
    tab.close()
    assert equations, f"no numbered equation on {page}"
    for eq in equations:
        assert eq["numberLines"] < 1.5, f"{page}: the number {eq['number']!r} breaks over lines"
        assert eq["right"] <= eq["page"], f"{page}: {eq['id']} runs off the page"
        assert not eq["wide"] or eq["scrolls"], f"{page}: {eq['id']} is cut off (wider than its box, no scrolling)"


@pytest.mark.parametrize("edition, title", [("", "What the book found"), ("zh/", "本书的发现")])
def test_the_front_page_leads_with_what_the_book_found(editions, edition, title):
    """Three to five headline sentences, each with the book's own numbers, before the report's findings."""
    from bs4 import BeautifulSoup
    copy, _ = editions
    html = (copy.html / edition / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rubric = next(p for p in soup.select("article p.rubric") if p.get_text(strip=True) == title)
    items = rubric.find_next("ul").find_all("li", recursive=False)
    assert 3 <= len(items) <= 5
    for item in items:
        assert re.search(r"\d+\.\d", item.get_text()), item.get_text()[:120]   # a recomputed value, glued
        assert item.find("a"), "each headline links the chapter it comes from"
    assert html.index(title) < html.index('id="front-findings"')
    # then the contents, then the report's findings with their verdicts
    assert html.index(title) < html.index('class="toctree-wrapper') < html.index('id="front-findings"')
