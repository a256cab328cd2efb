"""Both editions as a reader uses them: the Chinese site built from the English build's execution, glued
numbers identical in both languages, every page linked to its counterpart, the book's data downloadable
and documented, the edition printed in the footer. Browser checks run in headless Chromium (Playwright).
"""
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from conftest import executed, reads

from lib.present import formatting

pytestmark = pytest.mark.build
PAGES = ["index", "chapters/01_concepts", "chapters/02_landscape", "chapters/03_micro_mechanisms",
         "chapters/04_industry_insights", "chapters/05_macro_value", "chapters/05b_employment_geography",
         "chapters/06_recommendations", "appendices/data_provenance", "appendices/published_vs_recomputed",
         "appendices/downloads", "appendices/reproducibility", "appendices/references"]
reads(*(f"{prefix}{name}@1400" for prefix in ("", "zh/") for name in PAGES))
PASTED = re.compile(r'<span class="pasted-text">([^<]*)</span>')
PASTED_ANY = re.compile(r'<span class="pasted-text(?: zh-x(\d+))?">([^<]*)</span>')


def _value(text: str, factor: str = "") -> str:
    """A glued number as its value: '300,000' and '30万' read the same, and so do '40' (million) and '4000万'."""
    match = re.fullmatch(r"(-?[\d,]+(?:\.\d+)?)(万|亿)?", text)
    if not match:
        return text
    value = Decimal(match.group(1).replace(",", "")) * {"万": 10**4, "亿": 10**8, None: 1}[match.group(2)]
    return str((value / int(factor or 1)).normalize())


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
    # the numbers (a glued text in words may be replaced by its Chinese form, '<key>_zh', in the translation)
    # and the same values on a Chinese page written the Chinese way (lib/book/zh_numbers.py: 30万, 4000万台)
    english, chinese = (sorted(n for c, v in PASTED_ANY.findall(_html(book, page, lang))
                               for n in _numbers(_in_digits(v), c)) for lang in ("en", "zh"))
    assert chinese == english


# a count the Chinese sentence gives in words (formatting.zh_count: '没有一种解读', '有两种解读') as its number
_COUNT_IN_WORDS = re.compile(r"^(没有一|有(?P<n>[零一两二三四五六七八九十百千]+))[种个项家]")
_NUMERALS = {formatting.zh_numeral(n): n for n in range(1000)}


def _in_digits(text: str) -> str:
    match = _COUNT_IN_WORDS.match(text)
    return text if not match else str(_NUMERALS[match.group("n")] if match.group("n") else 0)


def _numbers(text: str, factor: str) -> list[str]:
    """The values a glued text shows: one number ('300,000', '30万'), or each number of a list ('4, 6 and 8',
    '4、6和8'); nothing for a text without digits."""
    if re.fullmatch(r"-?[\d,]+(?:\.\d+)?(?:万|亿)?", text.strip()):
        return [_value(text.strip(), factor)]
    return re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", ""))


def test_chinese_numbering_and_language(editions):
    book, _ = editions
    page = _html(book, "chapters/05_macro_value", "zh")
    assert 'lang="zh-CN"' in page or 'lang="zh_CN"' in page
    assert "图5-1" in page and "表5-" in page
    assert "Figure 5-1" in _html(book, "chapters/05_macro_value", "en")


def test_edition_in_both_footers(editions):
    book, _ = editions
    # the edition is the checkout's date in the page's language: no commit hash, no build state, for readers
    assert re.search(r'class="book-edition">Edition: \d{1,2} [A-Z][a-z]+ \d{4}</p>', _html(book, "index", "en"))
    assert re.search(r'class="book-edition">版本：\d{4}年\d{1,2}月\d{1,2}日</p>', _html(book, "index", "zh"))


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


# --- in the browser (tests/reader.py) -------------------------------------------------------------------------

def _prefix(lang: str) -> str:
    return "" if lang == "en" else "zh/"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_and_switches_language(reader, name, lang):
    seen = reader.visit(_prefix(lang) + name)
    assert seen["status"] == 200
    assert seen["errors"] == [], seen["errors"]
    assert seen["foreign"] == [], f"requests leaving the machine: {seen['foreign']}"
    assert seen["broken_images"] == [], seen["broken_images"]
    # the switch links the same page of the other edition, which links back
    other = "zh" if lang == "en" else "en"
    assert seen["switch"] == [f"/{_prefix(other)}{name}.html"]
    counterpart = reader.visit(_prefix(other) + name)
    assert counterpart["status"] == 200 and len(counterpart["switch"]) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_internal_links_and_anchors_resolve(reader, lang):
    hrefs = [href for name in PAGES for href in reader.visit(_prefix(lang) + name)["internal_links"]]
    assert hrefs, "no internal links found"
    assert reader.missing_targets(hrefs) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_downloads_page_links_every_file(editions, reader, lang):
    import io
    import urllib.request

    book, _ = editions
    prefix = _prefix(lang)
    seen = reader.visit(f"{prefix}appendices/downloads")
    links = seen["downloads"]
    assert seen["errors"] == []
    names = sorted(Path(urlparse(link).path).name for link in links)
    assert {"results.csv", "comparison.csv", "report_values.csv"} <= set(names)
    for link in links:
        with urllib.request.urlopen(reader.base + link) as response:
            assert response.status == 200
            frame = pd.read_csv(io.BytesIO(response.read()))
        assert len(frame) > 0, link
    results = pd.read_csv(book.html / prefix / "downloads" / "results.csv")
    assert list(results.columns) == ["key", "value", "unit", "chapter", "published_id"]


# the glossary's report's term, one line per term, and no table or page to scroll, in both editions at both widths
GLOSSARY_LAYOUT = """() => {
  const box = document.querySelector('table.glossary-table').closest('.pst-scrollable-table-container');
  const terms = [...document.querySelectorAll('table.glossary-table tbody tr')].map(r => {
    const p = r.children[1].querySelector('p');
    const line = parseFloat(getComputedStyle(p).lineHeight) || 1.5 * parseFloat(getComputedStyle(p).fontSize);
    return {term: p.innerText, lines: Math.round(p.getBoundingClientRect().height / line),
            english: r.children[0].innerText};
  });
  return {terms: terms, boxScroll: box ? box.scrollWidth - box.clientWidth : 0,
          pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_glossary_shows_each_term_whole(reader, lang, width):
    """The glossary appendix: the report's term never breaks over two lines (it did in a column of 3 characters
    at 1,400 px), nothing scrolls sideways (at 390 px each term is a card), and the English term column stays
    English on the Chinese page ('value added', not 增加值)."""
    page, _, errors, _ = reader.open(("zh/" if lang == "zh" else "") + "appendices/glossary.html", width)
    try:
        layout = page.evaluate(GLOSSARY_LAYOUT)
    finally:
        page.close()
    assert errors == []
    assert len(layout["terms"]) >= 25
    assert [t["term"] for t in layout["terms"] if t["lines"] != 1] == []
    assert layout["boxScroll"] <= 1 and layout["pageScroll"] <= 1, layout
    assert "value added" in [t["english"] for t in layout["terms"]]
