"""Issue 22 on the built site, in both editions: every figure's alternative text is its caption (never a file
name or a path); every data and coded figure links its CSV from its caption and the CSV parses; the CSVs of three
figures hold the values their figures draw, read back from the drawn artists."""
import functools
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from lib.ledger import ledger
from lib.present import diagrams

pytestmark = pytest.mark.build
IMAGE_EXTENSION = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
LINK = {"en": "Data (CSV)", "zh": "数据（CSV）"}


def _site(book, lang: str) -> Path:
    return book.html if lang == "en" else book.html / "zh"


def _pages(book, lang: str):
    return _parsed(_site(book, lang), lang)


@functools.cache
def _parsed(site: Path, lang: str) -> tuple:
    """Every page of one edition, parsed once for all the tests of this module (which only read them)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        if lang == "en" and "zh" in path.relative_to(site).parts:
            continue
        if path.parts[-2] in ("_static", "_sources") or path.name in ("genindex.html", "search.html"):
            continue
        pages.append((path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")))
    return tuple(pages)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_image_alt_text_describes_the_figure(editions, lang):
    book, _ = editions
    bad, seen = [], 0
    for path, soup in _pages(book, lang):
        for figure in soup.find_all("figure"):
            for img in figure.find_all("img"):
                seen += 1
                alt = (img.get("alt") or "").strip()
                if not alt or IMAGE_EXTENSION.search(alt) or re.fullmatch(r"\S*/\S*", alt) or "_images/" in alt:
                    bad.append(f"{path.name}: {alt[:80]!r}")
                elif lang == "zh" and not re.search(r"[\u4e00-\u9fff]", alt):
                    bad.append(f"{path.name}: no Chinese in {alt[:80]!r}")
        for img in soup.find_all("img"):   # no image anywhere has a file name or path as its alt text
            alt = (img.get("alt") or "").strip()
            if IMAGE_EXTENSION.search(alt) or alt.startswith(("../", "_images", "/")):
                bad.append(f"{path.name}: {alt[:80]!r}")
    assert seen >= 56, f"only {seen} figure images in the {lang} edition"
    assert bad == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_open_at_full_size(editions, lang):
    book, _ = editions
    unlinked = []
    for path, soup in _pages(book, lang):
        for img in soup.select("figure img"):
            link = img.find_parent("a")
            if link is None or link.get("href") != img.get("src"):
                unlinked.append(f"{path.name}: {img.get('src')}")
    assert unlinked == []


def _csv_links(book, lang):
    for path, soup in _pages(book, lang):
        for figure in soup.find_all("figure"):
            caption = figure.find("figcaption")
            links = [a for a in caption.find_all("a") if a.get_text(strip=True) == LINK[lang]] if caption else []
            yield path, figure, links


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_data_and_coded_figures_link_their_csv(editions, lang):
    book, _ = editions
    linked, missing = {}, []
    specs = diagrams.load_specs()
    for path, figure, links in _csv_links(book, lang):
        label = figure.get("id", "")
        stamp_is_diagram = label in specs and specs[label]["kind"] not in diagrams.CODED_KINDS
        if not links:
            if not stamp_is_diagram:
                missing.append(f"{path.name}#{label}")
            continue
        target = (path.parent / links[0]["href"]).resolve()
        text = target.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first.startswith("# ") and ("Figure" in first if lang == "en" else "图" in first), first
        table = pd.read_csv(io.StringIO(text), comment=None, skiprows=1)
        assert len(table) > 0 and len(table.columns) >= 2, target
        linked[label] = table
    assert missing == [], f"figures without a data link in the {lang} edition: {missing}"
    assert {"fig-1-9", "fig-2-11", "fig-5-1", "fig-5-real-gdp"} <= set(linked)


def _built_csv(book, label: str, lang: str = "en") -> pd.DataFrame:
    return pd.read_csv(_site(book, lang) / "downloads" / "figures" / f"{label}.csv", skiprows=1)


def test_radar_csv_equals_the_drawn_polygons(editions):
    """fig-1-9: each series' scores in the CSV are the radii of its drawn polygon."""
    book, _ = editions
    table = _built_csv(book, "fig-1-9")
    spec = diagrams.load_specs()["fig-1-9"]
    fig = diagrams.draw(spec)
    labels = spec["series_labels"]
    polar = [ax for ax in fig.axes if ax.name == "polar"][0]
    drawn = {line.get_label(): line.get_ydata()[:-1] for line in polar.lines if line.get_label() in labels.values()}
    for series, label in labels.items():
        csv = table[table["series"] == series].set_index("dimension").loc[spec["dimensions"], "score"]
        assert np.allclose(csv.to_numpy(float), drawn[label]), series
    assert set(table["support"]) <= {"stated", "inferred", "added"}


def test_positions_csv_equals_the_drawn_markers(editions):
    """fig-2-11: each item's coded (x, y) in the CSV is where its marker is drawn."""
    book, _ = editions
    table = _built_csv(book, "fig-2-11").set_index("item")
    fig = diagrams.draw(diagrams.load_specs()["fig-2-11"])
    markers = {a.get_gid().split("|position:", 1)[1]: a.get_offsets()[0] for a in fig.findobj()
               if hasattr(a, "get_gid") and a.get_gid() and "|position:" in a.get_gid()}
    assert set(markers) == set(table.index)
    for item, (x, y) in markers.items():
        assert (table.at[item, "x"], table.at[item, "y"]) == (x, y), item


def test_data_csv_equals_the_drawn_chart(editions):
    """fig-5-real-gdp: the CSV's values are the drawn line's and markers' values, from the same inputs."""
    from lib.analysis import macro
    from lib.present import va_tables

    book, _ = editions
    table = _built_csv(book, "fig-5-real-gdp")
    fig = va_tables.figure_real_gdp(macro.real_gdp(), ledger.published("T5-1."))
    ax = fig.axes[0]
    line = ax.lines[0]
    csv_line = table[table["mark"] == "line"]
    assert np.allclose(csv_line["x"], line.get_xdata()) and np.allclose(csv_line["y"], line.get_ydata())
    points = ax.collections[0].get_offsets()
    csv_points = table[table["mark"] == "point"]
    assert np.allclose(csv_points[["x", "y"]].to_numpy(float), np.asarray(points, dtype=float))
    assert set(table["y_axis"]) == {"real GDP, trillion yuan (2015 prices)"}


def test_chinese_csv_has_chinese_headers(editions):
    book, _ = editions
    zh = _built_csv(book, "fig-5-real-gdp", "zh")
    en = _built_csv(book, "fig-5-real-gdp", "en")
    assert all(re.search(r"[\u4e00-\u9fff]", c) for c in zh.columns if c not in ("x", "y"))
    assert np.allclose(zh["y"], en["y"])


def _figure_texts(book) -> dict:
    """{label: {"texts": {en, zh}, "layout": {en, zh}}} from every executed page's glue (charts.glue_figure)."""
    import json

    from lib.present import charts

    found = {}
    for path in sorted((book.root / "_build" / "jupyter_execute").rglob("*.glue.json")):
        for name, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if name.startswith(charts.FIGURE_TEXT_PREFIX):
                found[name[len(charts.FIGURE_TEXT_PREFIX):]] = json.loads(entry["data"]["text/plain"])
    return found


def _figure_images(book, lang: str) -> dict:
    """{figure label: the bytes of its image} in one edition."""
    images = {}
    for path, soup in _pages(book, lang):
        for figure in soup.find_all("figure"):
            img = figure.find("img")
            if img is not None and figure.get("id"):
                images[figure["id"]] = (path.parent / img["src"]).read_bytes()
    return images


def test_every_figure_is_drawn_in_the_page_language(editions):
    """Issue 22: for every figure the Chinese edition shows another image than the English one, whose texts contain
    Chinese and no English word of four or more letters outside the proper names (figure_text.PROPER_NAMES)."""
    from lib.present import figure_text

    book, _ = editions
    texts = _figure_texts(book)
    en, zh = _figure_images(book, "en"), _figure_images(book, "zh")
    glued = [label for label in en if label in texts]
    assert len(glued) >= 56, f"only {len(glued)} figures drawn by charts.glue_figure"
    same = [label for label in glued if en[label] == zh.get(label)]
    assert same == [], f"the Chinese edition shows the English image of {same}"
    bad = {}
    for label in glued:
        drawn = texts[label]["texts"]["zh"]
        words = sorted({w for t in drawn for w in figure_text.english_words(t)})
        if words or not any(re.search(r"[\u4e00-\u9fff]", t) for t in drawn):
            bad[label] = words or "no Chinese text"
    assert bad == {}
    english = [label for label in glued if not any(re.search(r"[A-Za-z]{4,}", t) for t in texts[label]["texts"]["en"])]
    assert english == [], f"English figures without an English word: {english}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_figure_passes_the_layout_check_in_both_languages(editions, lang):
    """Issue 22: no text over text, off the canvas or out of its box, no line through a diagram's text, no legend over
    plotted data, in the English and in the Chinese drawing of every figure (checked as it was glued)."""
    book, _ = editions
    problems = {label: entry["layout"][lang] for label, entry in _figure_texts(book).items() if entry["layout"][lang]}
    assert problems == {}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_downloads_page_lists_every_figure_csv(editions, lang):
    book, _ = editions
    page = _site(book, lang) / "appendices" / "downloads.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    listed = {a["href"].rsplit("/", 1)[1] for a in soup.find_all("a", href=True) if "downloads/figures/" in a["href"]}
    written = {p.name for p in (_site(book, lang) / "downloads" / "figures").glob("*.csv")}
    assert written and listed == written
    for name in listed:
        assert (page.parent / ".." / "downloads" / "figures" / name).resolve().exists()
