"""lib/book/pdf_publication.py on small doctrees: code sources go, outputs stay, the introduction is listed."""
from docutils import nodes
from docutils.utils import new_document

from lib.book import pdf_publication


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
