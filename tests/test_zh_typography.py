"""The Chinese edition reads as Chinese (issue 24): the report's chapter titles, emphasis that renders next to
CJK, Chinese number conventions in prose, captions that do not repeat their number, the report's sections
cited the report's way, no back-translation of a quotation. Read from the built Chinese site.
"""
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from report_text import report_text, squeeze

pytestmark = pytest.mark.build

CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
STARS = re.compile(r"\*+")


def stars_by_cjk(text: str):
    """Asterisks next to a CJK character that are left-over emphasis marks: not a glob or a pattern (``sec-*``,
    ``.*``) and not a significance mark (``***``)."""
    for m in STARS.finditer(text):
        left, right = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if not re.search(rf"[{CJK}]", left + right):
            continue
        if left in "-.])" and left or len(m.group(0)) == 3:
            continue
        yield m
SEPARATED = re.compile(r"\d{1,3}(?:,\d{3})+")
CHINESE_CHAPTERS = ["01_concepts", "02_landscape", "03_micro_mechanisms", "04_industry_insights", "05_macro_value",
                    "06_recommendations"]


def zh_pages(html: Path) -> dict[str, BeautifulSoup]:
    """Every page of the Chinese site, its article only (no theme chrome), code, math and scripts removed."""
    pages = {}
    for path in sorted((html / "zh").rglob("*.html")):
        if path.name in ("search.html", "genindex.html") or "_static" in path.parts:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup.body
        for tag in article.find_all(["script", "style", "pre", "code", "math"]):
            tag.decompose()
        for tag in article.select(".math, .cell_input, .highlight"):
            tag.decompose()
        pages[path.relative_to(html / "zh").with_suffix("").as_posix()] = article
    return pages


def prose(article) -> list[str]:
    """The text of the paragraphs and list items outside tables (prose, not data)."""
    return [p.get_text(" ", strip=True) for p in article.find_all(["p", "li"]) if not p.find_parent("table")]


def problems_of(html: Path) -> dict[str, list[str]]:
    """What a reader of the Chinese pages would stumble on, by kind: one line per occurrence (page: excerpt)."""
    found = {"asterisk": [], "separator": [], "scale": [], "label": [], "chapter": [], "back-translation": []}
    for page, article in zh_pages(html).items():
        text = article.get_text(" ", strip=True)
        found["asterisk"] += [f"{page}: {text[max(0, m.start() - 20):m.end() + 20]}" for m in stars_by_cjk(text)]
        for para in prose(article):
            for m in SEPARATED.finditer(para):
                near = para[max(0, m.start() - 2):m.end() + 2]
                if re.search(rf"[{CJK}]", near):
                    found["separator"].append(f"{page}: {para[max(0, m.start() - 20):m.end() + 20]}")
            found["scale"] += [f"{page}: {m.group(0)}" for m in re.finditer(r"\d+(?:\.\d+)?(?:百万|十亿|千万)", para)]
            found["chapter"] += [f"{page}: {m.group(0)}" for m in re.finditer(r"第\d+章(?:\([一二三四五六七]\)节?\d*)?", para)]
        for caption in article.select("figcaption, caption"):
            words = caption.get_text(" ", strip=True)
            own = re.match(r"[图表]\s?\d+-E?\d+", words)   # the caption's own number, which Sphinx prints first
            if own and re.sub(r"\s", "", own.group(0)) in re.sub(r"\s", "", words[own.end():]):
                found["label"].append(f"{page}: {words[:80]}")
        if "英文译文大意" in text or "In English." in text:
            found["back-translation"].append(page)
    return found


@pytest.fixture(scope="module")
def found(editions):
    book, _ = editions
    return problems_of(book.html)


@pytest.mark.parametrize("kind", ["asterisk", "separator", "scale", "label", "chapter", "back-translation"])
def test_chinese_pages_read_as_chinese(found, kind):
    assert not found[kind], f"{len(found[kind])} on the Chinese pages:\n" + "\n".join(found[kind][:20])


def reports_chapter_titles() -> list[str]:
    """The six chapter titles of the report's body, as it prints them ('一、产业互联网生态的基本概念')."""
    lines = [line.strip() for line in report_text.__globals__["REPORT"].read_text(encoding="utf-8").splitlines()]
    body = lines[lines.index("一、产业互联网生态的基本概念"):]   # after the table of contents
    return [line for line in body if re.fullmatch(r"[一二三四五六]、\S+", line)][:6]


def test_chapter_titles_are_the_reports(editions):
    book, _ = editions
    report_text()   # skips when the report's text is not beside the checkout
    titles = reports_chapter_titles()
    assert len(titles) == 6
    for chapter, title in zip(CHINESE_CHAPTERS, titles):
        page = BeautifulSoup((book.html / "zh" / "chapters" / f"{chapter}.html").read_text(encoding="utf-8"),
                             "html.parser")
        h1 = page.find("article").find("h1").get_text("", strip=True).rstrip("#¶ ")
        assert squeeze(h1) == squeeze(title), (chapter, h1, title)
