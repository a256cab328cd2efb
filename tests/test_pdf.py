"""The PDFs: built with xelatex from a warm cache, both editions at once (`make pdf`), Chinese rendered, the
report's numbering, references resolved; a book a reader would print: no line or table wider than the page (no
overfull box wider than 10 pt), chapters numbered once (by their titles), appendices lettered and their tables
numbered within them, no heading alone at a page foot, at most one blank page, contents titled "Contents" (目录
in the Chinese PDF), Chinese set in the SC faces, a designed title page."""
import re
import shutil
import subprocess
import sys

import pytest
from conftest import PDF_TOOLS, Variant

# both editions, as `make pdf` builds them, from the warm cache of the session's clean build, in a copy, in the
# background; the longest of the background builds (its xelatex runs one after another), so it starts first
PDF = Variant("pdf", tools=PDF_TOOLS, command=lambda copy: [sys.executable, "-m", "lib.book.edition", "pdf"],
              priority=0)
pytestmark = [pytest.mark.build, pytest.mark.variant(PDF)]


@pytest.fixture(scope="module")
def pdf(book):
    missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
    if missing:
        pytest.skip(f"SKIPPED LOUDLY: {missing} not installed; `make test` installs them as root "
                    "(texlive-xetex texlive-lang-chinese latexmk poppler-utils ...)")
    copy, result = PDF.result()
    path = copy.root / "_build" / "latex" / "book.pdf"
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert path.exists()
    assert "Executing notebook" not in result.stdout + result.stderr   # the cache was warm
    book.html.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, book.html / "book.pdf")   # as `make pdf` does, so the site's PDF link works
    return path


@pytest.fixture(scope="module")
def pdf_zh(pdf):
    """The Chinese PDF, built beside the English one."""
    path = pdf.parents[1] / "latex-zh" / "book-zh.pdf"
    assert path.exists()
    assert (pdf.parents[1] / "html" / "zh" / "book.pdf").exists()   # copied beside the Chinese site
    return path


@pytest.fixture(scope="module", params=["en", "zh"])
def either(request, pdf, pdf_zh):
    """Each edition's PDF in turn, with its language."""
    return (pdf if request.param == "en" else pdf_zh), request.param


def test_the_front_page_links_the_pdf(book, pdf):
    """The site's front page links book.pdf, which `make pdf` copies beside it."""
    from bs4 import BeautifulSoup
    front = BeautifulSoup((book.html / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in front.find_all("a", href=True) if a["href"].endswith("book.pdf")]
    assert links, "the front page has no link to book.pdf"
    assert all((book.html / link).resolve() == (book.html / "book.pdf").resolve() for link in links)
    assert (book.html / "book.pdf").read_bytes()[:5] == b"%PDF-"


def test_pdf_sets_chinese_in_the_sc_faces(either):
    """Chinese in Noto Serif/Sans CJK SC (simplified Chinese glyph forms), never the JP faces of the same files."""
    path, _ = either
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Noto(Serif|Sans)CJKsc", fonts, re.I), fonts
    assert not re.search(r"CJK(jp|kr|tc|hk)", fonts, re.I), fonts


def test_pdf_text_carries_report_numbers_and_chinese_titles(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Figure 2-1" in text             # the report's number, as on the site
    assert "全球产业互联网市场占比" in text     # the report's Chinese title in a caption
    assert "Table 5-E1" in text             # the book's own tables are numbered apart
    assert "??" not in text                 # no unresolved cross-reference



def test_pdf_opens_with_a_table_of_contents(pdf):
    first_pages = subprocess.run(["pdftotext", "-l", "4", str(pdf), "-"], capture_output=True, text=True).stdout
    for entry in ("Basic concepts", "Macro value", "Published vs recomputed", "References"):
        assert entry in first_pages, entry
    assert "Contents" in first_pages or "CONTENTS" in first_pages
    assert "The report, re-derived" not in first_pages and "THE REPORT, RE-DERIVED" not in first_pages
    assert re.search(r"^Introduction\s", first_pages, re.M)   # the front page's text is listed, not run under "CONTENTS"


MAX_OVERFULL_PT = 10.0


def test_no_line_or_table_wider_than_the_page(pdf):
    log = (pdf.parent / "book.log").read_text(encoding="latin-1")
    widths = [float(w) for w in re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\)", log, re.M)]
    too_wide = [w for w in widths if w > MAX_OVERFULL_PT]
    assert too_wide == [], f"{len(too_wide)} overfull boxes wider than {MAX_OVERFULL_PT} pt (widest {max(too_wide):.0f} pt)"


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _toc(pdf) -> str:
    # the contents follow the title page and the front page (its findings run to a few pages)
    return subprocess.run(["pdftotext", "-l", "10", str(pdf), "-"], capture_output=True, text=True).stdout


def test_chapters_numbered_once(pdf):
    toc = _toc(pdf)
    assert re.search(r"^1 · ?Basic concepts", toc, re.M), toc[:800]
    assert not re.search(r"^1[ \t]+1 ·", toc, re.M)                 # not "1 1 · Basic concepts" (on one line:
    # the Introduction's page number "1" may stand on the line above)
    assert not re.search(r"^\d+\.\d+\s+5 \(continued\)", toc, re.M)  # not "5.10 5 (continued)"
    headings = [page for page in _pages(pdf) if re.search(r"CHAPTER\s+\d", page)]
    assert headings == [], "LaTeX numbers a chapter whose title carries its number"


def test_appendices_lettered_and_one_references_chapter(pdf):
    import yaml
    root = pdf.parents[2]
    files = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["parts"][-1]["chapters"]
    titles = [re.search(r"^# (.+)$", (root / f"{f['file']}.md").read_text(encoding="utf-8"), re.M).group(1)
              for f in files]   # the appendices in the order of _toc.yml, as their pages title them
    assert titles[-1] == "References"
    toc = _toc(pdf)
    for letter, title in zip("ABCDEFGHIJ", titles):
        first_words = re.escape(title.replace("’", "'").split(":")[0][:20]).replace("'", "['’]")
        assert re.search(rf"^\f?{letter}\s+{first_words}", toc, re.M), (letter, title, toc[-1200:])
    assert len(re.findall(r"^(?:[A-Z]\s+)?References\b", toc, re.M)) == 1


def _is_blank(page: str, running_head: str) -> bool:
    """Nothing on the page but, at most, the running head and a footer ending in the page number."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    footer = re.compile(r"^[0-9ivxlc]+(?:\s{2,}.*)?$|^.*\s{2,}[0-9ivxlc]+$")   # "2   Chapter ..." or "Chapter ...   3"
    return not [line for line in lines if line != running_head and not footer.match(line)]


def test_at_most_one_blank_page(pdf):
    import yaml
    title = yaml.safe_load((pdf.parents[2] / "_config.yml").read_text(encoding="utf-8"))["title"]
    blank = [i + 1 for i, page in enumerate(_pages(pdf)) if _is_blank(page, title)]
    assert len(blank) <= 1, f"blank pages (or pages with only running heads): {blank}"



def _code_lines() -> list[str]:
    """The first 25 characters of every code line (at least 25 long) of the chapters' code cells."""
    from lib.inputs import paths
    lines = []
    for page in sorted((paths.ROOT / "chapters").glob("*.md")):
        inside = False
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("```{code-cell}"):
                inside = True
            elif line.startswith("```"):
                inside = False
            elif inside and not line.startswith(":") and len(line.strip()) >= 25:
                lines.append(line.strip()[:25])
    return lines


def test_no_code_listing_in_the_pdf(pdf):
    """The PDF prints no code (it stays in the site's collapsed toggles and in the notebooks)."""
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    code = _code_lines()
    assert len(code) > 100
    printed = [line for line in code if " ".join(line.split()) in text]
    assert printed == []
    assert "\\begin{sphinxVerbatim}" not in (pdf.parent / "book.tex").read_text(encoding="utf-8")


def test_the_edition_is_on_the_title_page_not_in_running_heads(pdf):
    tex = (pdf.parent / "book.tex").read_text(encoding="utf-8")
    label = re.search(r"\\release\{(.*)\}", tex).group(1).replace("\\textbackslash{}", "\\")
    stamp = "".join(label.split())   # the edition's date ("6 December 2026", "2026年12月6日"): no commit hash
    assert not re.search(r"\b[0-9a-f]{7,}\b", label), label
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    with_stamp = [number for number, page in enumerate(pages, 1) if stamp in "".join(page.split())]
    assert with_stamp and with_stamp[0] <= 2, (stamp, with_stamp[:5])   # the title page
    assert len(with_stamp) <= 2, f"the edition {stamp!r} is printed on pages {with_stamp[:10]}"


def _words(pdf, first: int = 1, last: int | None = None) -> str:
    cmd = ["pdftotext", "-f", str(first), *(["-l", str(last)] if last else []), str(pdf), "-"]
    return " ".join(subprocess.run(cmd, capture_output=True, text=True).stdout.split())


def test_a_designed_title_page(either):
    """The title in both languages, the report, its authors and institution, the edition and the licence."""
    path, lang = either
    page = _words(path, 1, 1)
    for words in ("China’s Industrial Internet Ecosystem", "中国产业互联网生态", "《中国产业互联网生态发展报告》",
                  "清华大学社会科学学院经济学研究所", "清华大学全球产业研究院", "MIT"):
        assert words in page, (words, page)
    assert ("Rong Ke" if lang == "en" else "戎珂") in page
    # the edition: the checkout's date in the edition's language, no commit hash
    assert re.search(r"Edition \d{1,2} [A-Z][a-z]+ \d{4}" if lang == "en" else r"版本 ?\d{4} ?年 ?\d{1,2} ?月", page), page


APPENDIX_TABLE = {"en": r"\bTable ([A-Z])-(\d+)\b", "zh": r"表 ?([A-Z])-(\d+)\b"}


def test_appendix_tables_numbered_within_their_appendix_in_order(either):
    """Captions of the appendices' tables read A-1, A-2, ..., B-1, ...: unique, in page order, no gap."""
    path, lang = either
    # a caption stands at the start of a line (a cross-reference in a sentence may repeat a number)
    lines = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.splitlines()
    numbers = [(m[1], int(m[2])) for line in lines if (m := re.match(APPENDIX_TABLE[lang], line.strip()))]
    captions = [n for i, n in enumerate(numbers) if n not in numbers[:i]]   # a long table repeats its caption
    assert len(captions) >= 5, numbers
    assert captions == sorted(captions), captions
    for letter in sorted({c[0] for c in captions}):
        assert [n for c, n in captions if c == letter] == list(range(1, 1 + sum(c == letter for c, _ in captions)))
    assert not re.search(r"(Table|表) ?E\d+\b", " ".join(lines))   # no appendix table left as "E18"


def _headings(root, lang: str) -> set[str]:
    """The headings of the book's pages (#, ##, ### lines and rubrics of the English sources; the Chinese titles
    from the catalogues), whitespace-normalised."""
    from lib.book.translations import read_catalogue
    found = set()
    for page in [root / "index.md", *sorted((root / "chapters").glob("*.md")), *sorted((root / "appendices").glob("*.md"))]:
        for match in re.finditer(r"^(?:#{1,4} |```\{rubric\} )(.+)$", page.read_text(encoding="utf-8"), re.M):
            title = re.sub(r"[*`]", "", match[1]).strip()
            if lang == "zh":
                po = root / "locales" / "zh_CN" / "LC_MESSAGES" / page.relative_to(root).with_suffix(".po")
                translated = read_catalogue(po).get(match[1].strip()) if po.exists() else None
                title = re.sub(r"[*`]", "", translated).strip() if translated else title
            found.add(" ".join(title.split()))
    return found


def test_no_page_ends_with_a_heading(either):
    """No heading alone at the foot of a page: the last line of text above the footer is never a heading."""
    path, lang = either
    headings = _headings(path.parents[2], lang)
    stranded = []
    for number, page in enumerate(_pages(path), 1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        body = [line for line in lines[:-1] if line]   # the footer line (page number, running foot) is last
        if number > 3 and body and body[-1] in headings:
            stranded.append((number, body[-1]))
    assert stranded == []


def test_chinese_pdf_furniture_in_chinese(pdf_zh):
    """目录, 附录 lettering, 表/图 and running heads in Chinese; no English furniture."""
    pages = _pages(pdf_zh)
    front = "\n".join(pages[:8])
    assert "目录" in front and "Contents" not in front and "CONTENTS" not in front
    text = "\n".join(pages)
    assert re.search(r"附录 ?[A-G]", text)
    assert not re.search(r"APPENDIX|Appendix [A-G]\b", text)
    assert re.search(r"^图 ?\d-\d", text, re.M) and re.search(r"^表 ?\d-\d", text, re.M)
    assert not re.search(r"^(Figure|Table) [A-Z0-9]+-[A-Z0-9]+: ", text, re.M)   # no English caption
    assert not re.search(r"Continued on next page|continued from previous page", text)
    heads = [page.splitlines()[0].strip() for page in pages[5:] if page.strip()]
    assert sum("中国产业互联网生态" in head for head in heads) > len(heads) / 3   # the running head is the title


def _word_sizes(pdf) -> list[tuple[int, float, str]]:
    """(page, font size in pt, word) of every word (pdftotext's word boxes are as tall as the font size)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    words = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page):
            words.append((number, float(m[2]) - float(m[1]), m[3]))
    return words


def test_no_table_set_below_8_pt(pdf):
    """Tables are set in 8 pt (footnotesize of 10 pt) or larger: nothing is shrunk to fit; the only smaller
    type is the sub- and superscripts of formulas (short words)."""
    tex = (pdf.parent / "book.tex").read_text(encoding="utf-8")
    assert not re.search(r"\\(scriptsize|tiny|resizebox|scalebox)\b", tex)
    small = [(page, round(size, 1), word) for page, size, word in _word_sizes(pdf) if size < 7.9]
    assert [w for w in small if len(w[2]) > 7] == [], small[:20]


def test_body_lines_of_about_90_characters(pdf):
    """The measure: nine lines in ten of the running text have at most about 90 characters. Read in the content
    stream's order (``-raw``): pdftotext's default reading order joins a line with the next when a link crosses
    the line break (a citation), which measured two printed lines as one."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
    lengths = sorted(len(line) for line in text.splitlines() if len(line) > 40)
    assert lengths[len(lengths) * 9 // 10] <= 95, lengths[len(lengths) * 9 // 10]
