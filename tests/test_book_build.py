"""The book itself, built from a clean cache in a copy of the repository.

The tests share one copy (tests/conftest.py starts its clean build while the library tests run) and run in
order; each restores what it changes. They check what a maintainer relies on: the site and the results
ledger exist, a cached rebuild executes nothing, editing one chapter re-executes only it, a broken cell, a
Sphinx warning or an altered input fails the build. Two builds run in copies of their own, in the
background while the other tests go on (tests/conftest.py): editing lib/ re-executes everything and leaves
the ledger as it was, and a second clean build gives a byte-identical ledger.
"""
import io
import shutil

import pandas as pd
import pytest
import yaml
from conftest import Variant, appended, code_cell, executed

from lib.book import cache_state
from lib.inputs import paths

pytestmark = pytest.mark.build

CHAPTERS = ["01_concepts", "02_landscape", "03_micro_mechanisms", "04_industry_insights",
            "05_macro_value", "06_recommendations"]


def _notebooks():
    """Every page in the table of contents that is a notebook the build executes (a kernelspec, execution on)."""
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
    for part in toc["parts"]:
        walk(part["chapters"])
    return sorted(f.rsplit("/", 1)[-1] + ".md" for f in files if cache_state.executes(paths.ROOT / f"{f}.md"))


NOTEBOOKS = _notebooks()


def _edit_lib(root):
    path = root / "lib" / "analysis" / "macro.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")


# executed in series (myst-nb, one notebook at a time), where the clean build used the pool: the ledger must be
# the same byte for byte (the same BLAS threading either way)
LIB_EDIT = Variant("lib edited", edit=_edit_lib,
                   command=lambda copy: ["env", "BOOK_SERIAL_EXECUTION=1", *copy.command()])
SECOND_CLEAN = Variant("second clean build", clean=True)


def _ok(result):
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout + result.stderr


def _fails(result, *needles):
    log = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed"
    for needle in needles:
        assert needle in log, f"{needle!r} not in the build log:\n{log[-4000:]}"
    return log


def test_clean_build(book):
    log = _ok(book.clean_build)
    assert executed(log) == NOTEBOOKS
    assert (book.html / "index.html").exists()
    for chapter in CHAPTERS:
        assert (book.html / "chapters" / f"{chapter}.html").exists(), chapter


def test_three_years_on_runs_no_kernel_and_shows_what_chapters_5_and_5b_compute(book):
    """Chapter 7 pastes the values, tables and figures that chapters 5 and 5b glue (``book_glue_from``)."""
    assert "07_three_years_on.md" not in executed(book.clean_build.stdout + book.clean_build.stderr)
    assert "07_three_years_on.md" not in NOTEBOOKS and "05b_employment_geography.md" in NOTEBOOKS
    results = pd.read_csv(io.BytesIO(book.clean_results), keep_default_na=False).set_index("key")
    assert results.at["moran.i.2023.queen", "chapter"] == "chapters/05b_employment_geography"
    assert results.at["iie.replication.share_gdp.2023", "chapter"] == "chapters/05_macro_value"
    page = (book.html / "chapters" / "07_three_years_on.html").read_text(encoding="utf-8")
    assert f"{float(results.at['moran.i.2023.queen', 'value']):.3f}" in page
    assert f"{float(results.at['iie.replication.share_gdp.2023', 'value']):.2f}" in page
    assert page.count('.png"') >= 2 and 'downloads/figures/fig-e-fan.csv' in page   # both figures, with their data
    assert 'id="tbl-e-lookback"' in page and 'id="tbl-e-high-high"' in page
    assert not (book.html / "_sources" / "chapters" / "07_three_years_on.ipynb").exists()   # no code to download


def test_results_ledger_has_a_value_per_chapter(book):
    results = pd.read_csv(book.results, keep_default_na=False)
    assert list(results.columns) == ["key", "value", "unit", "chapter", "published_id"]
    assert results["key"].is_unique and results["key"].is_monotonic_increasing
    for chapter in CHAPTERS:
        assert (results["chapter"] == f"chapters/{chapter}").any(), chapter
    real_gdp = results.set_index("key").at["gdp.real_2015prices.2019", "value"]
    assert float(real_gdp) == pytest.approx(88.95, rel=0.005)  # report's Table 5-1


def test_every_glued_figure_is_an_image(book):
    for page in sorted((book.html / "chapters").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "&lt;Figure size" not in html, page.name          # a figure glued as text, not as a picture
        assert html.count('.png"') >= html.count('<figure class="align-default"'), page.name


def test_pages_show_glued_numbers_and_report_numbering(book):
    page = (book.html / "chapters" / "05_macro_value.html").read_text(encoding="utf-8")
    assert "89.03" in page                      # glued gdp.real_2015prices.2019
    assert "Table 5-E1" in page                 # the book's own table does not take a report number
    page2 = (book.html / "chapters" / "02_landscape.html").read_text(encoding="utf-8")
    assert "Figure 2-1" in page2                # fig-2-1 is the report's Figure 2-1
    comparison = (book.html / "appendices" / "published_vs_recomputed.html").read_text(encoding="utf-8")
    assert "Table 5-1 · 2019 · real GDP" in comparison and "reproduced" in comparison  # rows labelled in words
    assert "T5-1.2019.real_gdp" not in comparison                                     # never the ledger id


LEDGER_HEADER = ["value", "unit", "report", "book", "difference", "difference (%)", "status", "note"]
MAX_LEDGER_ROWS = 25


def _tables(html_path):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    for table in soup.select("article table"):
        header = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        yield table, header, rows


def test_no_chapter_carries_a_long_ledger(book):
    """A comparison ledger longer than 25 rows belongs to the appendix Published vs recomputed, not a chapter."""
    long = [(page.name, len(rows)) for page in sorted((book.html / "chapters").glob("*.html"))
            for _, header, rows in _tables(page)
            if header[:3] == LEDGER_HEADER[:3] and "status" in header and len(rows) > MAX_LEDGER_ROWS]
    assert long == [], f"ledgers of more than {MAX_LEDGER_ROWS} rows in chapters: {long}"


def test_chapter_ledger_summaries_equal_the_appendix_ledgers(book):
    """Each chapter's one-line summary counts exactly the rows of its section of the appendix, status by status,
    and links that section."""
    from bs4 import BeautifulSoup

    from lib.present import comparison
    appendix = BeautifulSoup((book.html / "appendices" / "published_vs_recomputed.html").read_text(encoding="utf-8"),
                             "html.parser")
    seen = 0
    for page in sorted((book.html / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for summary in soup.select("table.ledger-summary"):
            header = [th.get_text(" ", strip=True) for th in summary.select("thead th")]
            counts = dict(zip(header, (int(td.get_text(strip=True)) for td in summary.select("tbody td"))))
            link = next(a for a in summary.find_parent("section").find_all("a", href=True)
                        if "published_vs_recomputed.html#" in a["href"])
            target = appendix.find(id=link["href"].split("#", 1)[1])   # the label, just before its section
            assert target is not None, f"{page.name}: {link['href']} leads nowhere"
            table = target.find_next("table")
            rows = [tr.find_all("td") for tr in table.select("tbody tr")]
            status = LEDGER_HEADER.index("status")
            found = {label: sum(r[status].get_text(strip=True) == label for r in rows)
                     for label in comparison.STATUS_LABELS.values()}
            shown = {label: n for label, n in found.items() if label in counts}
            assert counts == {**shown, "total": len(rows)}, page.name
            assert sum(shown.values()) == len(rows), f"{page.name}: a status of its ledger has no column"
            assert counts["total"] > 0
            seen += 1
    assert seen >= 2   # chapter 5's two pages at least


def test_nochange_rebuild_executes_nothing(book):
    log = _ok(book.build())
    assert executed(log) == []
    assert book.results.read_bytes() == book.clean_results


def test_editing_one_chapter_reexecutes_only_it(book):
    # the chapter that executes quickest (any chapter would do: the check is that no other one executes)
    with appended(book.root / "chapters" / "06_recommendations.md", code_cell("edit_marker = 1")):
        assert executed(_ok(book.build())) == ["06_recommendations.md"]
    assert executed(_ok(book.build())) == []     # the original is still in the cache


def test_broken_cell_fails_the_build(book):
    with appended(book.root / "chapters" / "06_recommendations.md", code_cell("raise RuntimeError('deliberately broken')")):
        _fails(book.build(), "deliberately broken")
        _fails(book.build(), "deliberately broken")   # a failed execution is never cached
    _ok(book.build())


def test_a_warning_fails_every_build_until_fixed(book):
    with appended(book.root / "chapters" / "03_micro_mechanisms.md", "\nSee {numref}`fig-no-such-label`.\n"):
        _fails(book.build(), "fig-no-such-label")
        _fails(book.build(), "fig-no-such-label")     # not hidden by the incremental build
    assert executed(_ok(book.build())) == []          # prose edits never re-execute


def test_altered_input_stops_the_build(book, tmp_path):
    altered = tmp_path / "data"
    shutil.copytree(book.data_dir, altered)
    target = altered / "national" / "macro_cn_wdi_gdp.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("2019,", "2019 ,", 1), encoding="utf-8")
    # present but changed: restore it, or record the new checksum if the change was intended
    _fails(book.build(BOOK_DATA_DIR=str(altered)), "macro_cn_wdi_gdp.csv", "checksum mismatch", "data/catalogue.yml")
    (altered / "national" / "macro_cn_pwt110.csv").unlink()
    _fails(book.build(BOOK_DATA_DIR=str(altered)), "macro_cn_pwt110.csv", "file not found", "how to obtain")
    assert executed(_ok(book.build())) == []


@pytest.mark.variant(LIB_EDIT)
def test_editing_lib_reexecutes_everything_and_ledger_is_stable(book):
    """The clean build's state with a comment appended to lib/analysis/macro.py: the cache is emptied, every notebook
    executes again (in series, BOOK_SERIAL_EXECUTION=1, where the clean build used the pool), and the ledger is
    byte-identical."""
    copy, result = LIB_EDIT.result()
    assert executed(_ok(result)) == NOTEBOOKS
    assert copy.results.read_bytes() == book.clean_results


@pytest.mark.variant(SECOND_CLEAN)
def test_second_clean_build_gives_identical_ledger(book):
    copy, result = SECOND_CLEAN.result()    # the same sources, built from nothing
    assert executed(_ok(result)) == NOTEBOOKS
    assert copy.results.read_bytes() == book.clean_results
