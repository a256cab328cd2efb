"""lib/book/pdf_publication.py on small doctrees: code sources go, outputs stay, the introduction is listed."""
import shutil

import pytest
from docutils import nodes
from docutils.utils import new_document

from lib.book import edition, pdf_publication


def _cell(with_output: bool):
    cell = nodes.container(nb_element="cell_code")
    cell += nodes.container("", nodes.literal_block("x = 1", "x = 1"), nb_element="cell_code_source")
    if with_output:
        cell += nodes.container("", nodes.image(uri="fig.png"), nb_element="cell_code_output")
    return cell


def test_code_sources_are_removed_and_empty_cells_with_them():
    doc = new_document("test")
    doc += nodes.paragraph(text="prose")
    doc += _cell(with_output=False)
    doc += _cell(with_output=True)
    assert pdf_publication.remove_code_listings(doc) == 2
    assert not list(doc.findall(nodes.literal_block))
    assert len(list(doc.findall(nodes.image))) == 1      # the figure stays
    cells = [n for n in doc.findall(nodes.container) if n.get("nb_element") == "cell_code"]
    assert len(cells) == 1 and doc.children[0].astext() == "prose"


def test_the_introduction_is_a_chapter_in_the_contents_and_the_running_heads():
    doc = new_document("test")
    doc += nodes.paragraph(text="This book re-derives")
    pdf_publication.introduction(doc, "Introduction")
    raw = doc.children[0]
    assert isinstance(raw, nodes.raw) and raw["format"] == "latex"
    assert "\\chapter*{Introduction}" in raw.astext()
    assert "\\addcontentsline{toc}{chapter}{Introduction}" in raw.astext() and "\\markboth" in raw.astext()


def test_running_heads_carry_the_title_not_the_edition():
    assert "\\@title" in pdf_publication.RUNNING_HEADS and "py@release" not in pdf_publication.RUNNING_HEADS


def test_the_title_page_names_both_titles_the_report_its_authors_the_edition_and_the_licence():
    for lang in ("en", "zh"):
        page = pdf_publication.title_page(lang)
        for words in ("China’s Industrial Internet Ecosystem", "中国产业互联网生态", "可执行版",
                      "《中国产业互联网生态发展报告》", "清华大学社会科学学院经济学研究所", "戎珂", "MIT",
                      "\\py@release"):   # Sphinx's \\release: "Edition 6 December 2026" / "版本 2026年12月6日"
            assert words in page, (lang, words)
        assert "<" not in page.replace("\\begin", "")   # every field filled


def test_the_book_titles_match_the_configuration():
    import yaml

    from lib.book import edition
    from lib.inputs import paths
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["title"] == ": ".join(pdf_publication.TITLES["en"])
    assert edition.ZH_OVERRIDES["project"] == "：".join(pdf_publication.TITLES["zh"])


def test_the_pdf_title_is_the_edition_s_project():
    from types import SimpleNamespace
    config = SimpleNamespace(html_title="中国产业互联网生态：可执行版", author="可执行版编写组",
                             latex_documents=[("index", "book.tex", "China's ...", "The team", "manual")])
    app = SimpleNamespace(builder=SimpleNamespace(format="latex"), config=config)
    pdf_publication.title_in_the_edition_s_language(app, None)
    assert config.latex_documents == [("index", "book.tex", "中国产业互联网生态：可执行版", "可执行版编写组", "manual")]


def test_the_chinese_furniture_and_the_measure():
    for name in ("目录", "附录", "参考文献"):
        assert name in pdf_publication.ZH_FURNITURE
    assert "hmargin" in pdf_publication.MEASURE


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig missing")
def test_an_sc_face_is_copied_out_of_its_collection_with_an_sc_name(tmp_path):
    from fontTools.ttLib import TTFont
    stem = "NotoSerifCJKsc-Regular"
    face = pdf_publication._face(pdf_publication.SC_FACES[stem])
    if face is None or face[2] != stem:
        pytest.skip("SKIPPED LOUDLY: no Noto Serif CJK SC face on this machine (apt-get install fonts-noto-cjk)")
    [written] = pdf_publication.extract_sc_faces(tmp_path, {stem: pdf_publication.SC_FACES[stem]})
    copy, original = TTFont(written), TTFont(face[0], fontNumber=face[1])
    assert copy["CFF "].cff.fontNames == [stem]                       # pdffonts will say "sc"
    assert copy.getBestCmap() == original.getBestCmap()                # the SC face's own glyph forms
    assert copy["name"].getDebugName(1) == "Noto Serif CJK SC"
    assert "CJKsc" in pdf_publication.sc_font_preamble(tmp_path) and str(tmp_path) in pdf_publication.sc_font_preamble(tmp_path)


def test_a_heading_that_opens_with_a_figure_asks_for_the_figure_s_room(tmp_path):
    from PIL import Image

    from lib.book import pdf_layout
    Image.new("RGB", (1440, 720)).save(tmp_path / "fig.png", dpi=(200, 200))   # 7.2 in wide: set at the line
    doc = new_document("book")
    section = nodes.section("", nodes.title(text="A heading"))
    section += nodes.container("", nodes.figure("", nodes.image(uri="fig.png", candidates={"*": "fig.png"})))
    doc += section
    doc += nodes.section("", nodes.title(text="Text first"), nodes.paragraph(text="words"))
    assert pdf_layout.keep_headings_with_figures(doc, tmp_path) == 1
    raw = doc.children[0]
    assert isinstance(raw, nodes.raw) and "\\needspace" in raw.astext()
    assert f"{pdf_layout.LINE_WIDTH_PT / 2:.0f}pt" in raw.astext()   # half the line's width: the image is 2:1


def test_a_landscape_table_that_opens_its_section_takes_the_heading_along():
    from lib.book import pdf_layout
    doc = new_document("book")
    chapter = nodes.section("", nodes.title(text="Chapter"))
    opening = nodes.section("", nodes.title(text="Opens with a table"), nodes.table(classes=["book-landscape"]))
    later = nodes.section("", nodes.title(text="Text first"), nodes.paragraph(text="words"),
                          nodes.table(classes=["book-landscape"]))
    chapter += [opening, later]
    doc += chapter
    assert pdf_layout.landscape_tables(doc) == 2
    kinds = [(type(n).__name__, n.astext()[:17]) for n in chapter.children]
    assert kinds[1] == ("raw", "\\begin{landscape}") and kinds[2][0] == "section"   # before the heading
    assert isinstance(later.children[2], nodes.raw) and "begin{landscape}" in later.children[2].astext()


def test_the_edition_readers_see_is_a_date_in_their_language(monkeypatch):
    """The footer and the title page print the checkout's date in the page's language, never a commit hash or a
    working tree's state; a release name set in BOOK_EDITION is printed as given."""
    monkeypatch.delenv(edition.EDITION_ENV_VAR, raising=False)
    monkeypatch.setattr(edition, "edition", lambda: {"date": "2026-12-06", "commit": "e34d28a",
                                                     "label": "2026-12-06 · e34d28a + uncommitted changes"})
    assert edition.reader_edition("en") == "6 December 2026"
    assert edition.reader_edition("zh") == "2026年12月6日"
    monkeypatch.setenv(edition.EDITION_ENV_VAR, "v1.0 (2026)")
    assert edition.reader_edition("en") == "v1.0 (2026)"
