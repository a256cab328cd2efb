"""Every table and figure of chapters 1-4 carries the report's label, in its chapter, and reaches the built book."""
import re

import pytest

from lib.inputs import paths

PAGES = {1: "01_concepts", 2: "02_landscape", 3: "03_micro_mechanisms", 4: "04_industry_insights"}
FIGURES = {1: 9, 2: 11, 3: 17, 4: 3}
TABLES = {1: 4, 2: 1, 3: 4, 4: 1}
EXPECTED = {c: [f"fig-{c}-{n}" for n in range(1, FIGURES[c] + 1)] + [f"tbl-{c}-{n}" for n in range(1, TABLES[c] + 1)]
            for c in PAGES}


def _source(chapter):
    return (paths.ROOT / "chapters" / f"{PAGES[chapter]}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", sorted(PAGES))
def test_each_label_is_named_once_in_its_chapter(chapter):
    names = re.findall(r"^:name: (\S+)$", _source(chapter), flags=re.M)
    for label in EXPECTED[chapter]:
        assert names.count(label) == 1, label
    report_like = [n for n in names if re.fullmatch(r"(fig|tbl)-\d+-\d+", n)]
    assert sorted(report_like) == sorted(EXPECTED[chapter]), "no extra or misplaced report numbers"


@pytest.mark.parametrize("chapter", sorted(PAGES))
def test_each_figure_and_table_is_cited_in_the_prose(chapter):
    text = _source(chapter)
    for label in EXPECTED[chapter]:
        assert f"{{numref}}`{label}`" in text, label


@pytest.mark.parametrize("chapter", sorted(PAGES))
def test_each_chapter_opens_with_its_key_points(chapter):
    """Issue 9: the report's key points (本章观点凝练) and the book's verdicts open the chapter (lib/ledger/claims.py)."""
    first_section = _source(chapter).split("\n## ", 2)[1]
    assert first_section.startswith("Key points") and f":chapter: {chapter}" in first_section


@pytest.mark.build
def test_labels_reach_the_built_book(book):
    """Reuses the book built by tests/test_book_build.py in this session, or builds it."""
    if not (book.html / "index.html").exists():
        result = book.build()
        assert result.returncode == 0, result.stderr[-3000:]
    for chapter, page in PAGES.items():
        html = (book.html / "chapters" / f"{page}.html").read_text(encoding="utf-8")
        for label in EXPECTED[chapter]:
            kind, number = ("Figure", label[4:]) if label.startswith("fig") else ("Table", label[4:])
            assert f'id="{label}"' in html, label
            assert f'<span class="caption-number">{kind} {number} </span>' in html, label
