"""The PDF as a publication (issue 23): no code listings, and the edition on the title page, not in running heads.

* Code cells stay in the HTML (in collapsed toggles) and in the downloadable notebooks; the PDF prints none.
  On the LaTeX builder's assembled doctree every code cell's source (myst-nb's ``nb_element`` attribute
  ``cell_code_source``, set on the containers it renders) is removed, and a cell left without output goes too.
  The front page says where the code is.
* The front page's text opens the PDF as an unnumbered chapter, *Introduction*, listed in the contents and
  named in the running heads (it ran untitled under the head "CONTENTS").
* The running heads carry the book's title only: the preamble (``RUNNING_HEADS``) redefines Sphinx's
  ``normal`` page style without ``\\py@release`` (the edition), which the title page still prints.
* No heading alone at the foot of a page: sections, subsections and rubrics ask for room (``needspace``) for
  a few lines of what follows, or start the next page.
* Chinese in the SC (simplified Chinese) faces of Noto CJK, in both PDFs. The system's Noto CJK files are
  collections (.ttc) whose faces share one CFF table named for the JP face, so a PDF made from them names
  its fonts "...CJKjp" whatever face was chosen. The SC faces are copied out of the collections (their own
  cmap, name and layout tables, the CFF table renamed "...CJKsc", no glyph changed) into the user's cache
  (``FONTS``) when a LaTeX build starts, again whenever the collection changes, and the preamble uses those files
  when they exist (the names otherwise).
* A designed title page (``TITLE_PAGE``): the title in both languages, the report and its authors and
  institution as the source, the edition, the licence; in the edition's language first.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docutils import nodes
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

__all__ = ["CODE_SOURCE", "CODE_CELL", "RUNNING_HEADS", "INTRODUCTION", "MEASURE", "ZH_FURNITURE", "TITLES", "WORDS", "SOURCE", "TITLE_PAGE", "FONTS",
           "SC_FACES", "sc_font_preamble", "extract_sc_faces", "on_builder_inited", "title_in_the_edition_s_language",
           "remove_code_listings", "introduction", "title_page", "on_doctree_resolved", "add_running_heads", "setup"]

CODE_SOURCE = "cell_code_source"
CODE_CELL = "cell_code"
# Sphinx's sphinxlatexstylepage.sty "normal" style for classes with chapters, minus ", <release>" in the head
RUNNING_HEADS = r"""
% running heads: the title only; the edition (its date) is on the title page (lib/book/pdf_publication.py)
\makeatletter
\fancypagestyle{normal}{\fancyhf{}
  \fancyfoot[RO]{{\py@HeaderFamily\thepage}}
  \fancyfoot[LO]{{\py@HeaderFamily\nouppercase{\rightmark}}}
  \fancyhead[RO]{{\py@HeaderFamily\@title}}
  \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0.4pt}}
\makeatother
% no heading alone at a page foot: a heading moves to the next page unless the start of what follows fits under
% it: some lines of text, or a table's caption, header and first five rows (a table asks for that much room
% itself, so a heading asks for a little more, or it would stay behind when its table moves on)
\usepackage{needspace}
% (each level asks for more than the level below it; right after a heading, where LaTeX already keeps the
% two together (\if@nobreak), a heading or a table asks for nothing more, or it would leave the first behind)
\makeatletter
\pretocmd{\section}{\if@nobreak\else\needspace{18\baselineskip}\fi}{}{}
\pretocmd{\subsection}{\if@nobreak\else\needspace{16\baselineskip}\fi}{}{}
\pretocmd{\subsubsection}{\if@nobreak\else\needspace{15\baselineskip}\fi}{}{}
% a long table starts on the next page unless its caption, header (up to four lines) and five rows fit on this one
% (measured against the page so far: needspace's glue would let longtable start an empty first page)
\newcommand{\booktableroom}[1]{\par\ifdim\pagegoal<\maxdimen\ifdim\dimexpr\pagegoal-\pagetotal\relax<#1\relax
  \newpage\fi\fi}
\pretocmd{\sphinxatlongtablestart}{\if@nobreak\else\booktableroom{15\baselineskip}\fi}{}{}
\makeatother
% body lines of about 90 characters: a 120 mm measure (MEASURE); a table in the main column keeps the full width
% it had (159 mm), spreading into both margins (not in a list, a box or on a landscape page)
\newlength{\booktablebleed}\setlength{\booktablebleed}{19.5mm}
\AtBeginEnvironment{longtable}{\ifdim\linewidth=\textwidth
  \setlength{\LTleft}{-\booktablebleed}\setlength{\LTright}{-\booktablebleed}%
  \addtolength{\linewidth}{2\booktablebleed}\fi}
"""

INTRODUCTION = {"en": "Introduction", "zh": "导言"}
# the page's side margins: a 120 mm text width on A4, about 90 characters of 10 pt text a line (Sphinx's
# default 1 in margins gave lines of 105-120)
MEASURE = "hmargin={45mm,45mm}"
# The Chinese PDF's furniture in Chinese: contents, appendices (附录 A), bibliography, index; 图/表 come from
# numfig_format (edition.ZH_OVERRIDES) and Sphinx's own catalogue ("续下页")
ZH_FURNITURE = r"""
% the Chinese edition's furniture in Chinese (lib/book/pdf_publication.py)
\addto\captionsenglish{\renewcommand{\contentsname}{目录}\renewcommand{\bibname}{参考文献}%
  \renewcommand{\appendixname}{附录}\renewcommand{\indexname}{索引}}
% a caption reads "表5-1　标题" (a space, no Western colon, after the number)
\usepackage{caption}\captionsetup{labelsep=quad}
"""

# The SC faces of the Noto CJK collections: file written -> fontconfig pattern of the face (its PostScript name is
# the file's stem); and which LaTeX font each sets, with its bold face
# kept in the user's cache, not in _build: made once per machine (a few seconds), not once per checkout or clean
FONTS = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iie-book" / "fonts"
SC_FACES = {
    "NotoSerifCJKsc-Regular": "Noto Serif CJK SC:style=Regular", "NotoSerifCJKsc-Bold": "Noto Serif CJK SC:style=Bold",
    "NotoSansCJKsc-Regular": "Noto Sans CJK SC:style=Regular", "NotoSansCJKsc-Bold": "Noto Sans CJK SC:style=Bold",
    "NotoSansMonoCJKsc-Regular": "Noto Sans Mono CJK SC:style=Regular",
    "NotoSansMonoCJKsc-Bold": "Noto Sans Mono CJK SC:style=Bold",
}
CJK_FONTS = {"main": "NotoSerifCJKsc", "sans": "NotoSansCJKsc", "mono": "NotoSansMonoCJKsc"}


def sc_font_preamble(folder: Path = FONTS) -> str:
    """LaTeX that sets the CJK fonts from the SC files in ``folder`` when they exist when LaTeX runs."""
    lines = ["% Chinese in the SC faces, copied out of the Noto CJK collections (lib/book/pdf_publication.py)"]
    for role, stem in CJK_FONTS.items():
        regular = folder / f"{stem}-Regular.otf"
        lines.append(f"\\IfFileExists{{{regular}}}{{\\setCJK{role}font{{{stem}-Regular.otf}}"
                     f"[Path={folder}/, BoldFont={stem}-Bold.otf]}}{{}}")
    return "\n".join(lines) + "\n"


def _face(pattern: str) -> tuple[str, int, str] | None:
    """(file, index in the collection, PostScript name) of the face fontconfig matches to ``pattern``."""
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{postscriptname}", pattern],
                         capture_output=True, text=True).stdout.split("\t")
    return (out[0], int(out[1]), out[2]) if len(out) == 3 and out[1].isdigit() else None


def extract_sc_faces(folder: Path = FONTS, faces: dict[str, str] = SC_FACES) -> list[Path]:
    """Copy each SC face out of its collection into ``folder`` (again when the collection has changed since);
    return the files."""
    written = []
    for stem, pattern in faces.items():
        target, stamp = folder / f"{stem}.otf", folder / f"{stem}.source"
        face = _face(pattern)
        if face is None or face[2] != stem:   # no such face on this machine: the preamble falls back to names
            continue
        source = Path(face[0]).stat()
        origin = f"{face[0]} {face[1]} {source.st_size} {source.st_mtime_ns}"
        if not target.exists() or not stamp.exists() or stamp.read_text(encoding="utf-8") != origin:
            folder.mkdir(parents=True, exist_ok=True)
            with open(face[0], "rb") as collection:
                reader = SFNTReader(collection, fontNumber=face[1])
                tags = sorted(reader.keys())
                handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(handle, "wb") as out:
                    writer = SFNTWriter(out, len(tags), reader.sfntVersion)
                    for tag in tags:   # every table as it is, the shared CFF table renamed for this face
                        data = reader[tag]
                        writer[tag] = re.sub(rb"CJKjp-", b"CJKsc-", data) if tag == "CFF " else data
                    writer.close()
            os.replace(temporary, target)
            stamp.write_text(origin, encoding="utf-8")
        written.append(target)
    return written


def title_in_the_edition_s_language(app, env) -> list:
    """The PDF's title (running heads, PDF metadata) and author are the edition's ``html_title`` and ``author``:
    jupyter-book sets ``latex_documents`` from _config.yml's English title once Sphinx has started, so this is
    set again after the pages are read, before the LaTeX builder reads it to write."""
    if app.builder.format == "latex" and app.config.latex_documents:
        first = list(app.config.latex_documents[0])
        first[2:4] = [app.config.html_title, app.config.author]   # jupyter-book leaves ``project`` unset
        app.config.latex_documents = [tuple(first)]
    return []


def on_builder_inited(app) -> None:
    if app.builder.format == "latex":
        extract_sc_faces()


# The book's title in each language (as _config.yml's ``title`` and edition.ZH_OVERRIDES' ``project``), split into
# title and subtitle for the title page
TITLES = {"en": ("China's Industrial Internet Ecosystem", "an executable edition"),
          "zh": ("中国产业互联网生态", "可执行版")}
# The report the book re-derives, as its own cover and team page name it (seed report, pp. 1-2)
SOURCE = {
    "report_zh": "中国产业互联网生态发展报告",
    "report_en": "Report on the Development of the Industrial Internet Ecosystem in China",
    "institution_zh": "清华大学社会科学学院经济学研究所\\quad 清华大学全球产业研究院",
    "institution_en": "Institute of Economics, School of Social Sciences, and Institute for Global Industry, "
                      "Tsinghua University",
    "lead_zh": "课题组负责人：戎珂\\quad 2022年7月",
    "lead_en": "Research team led by Rong Ke (戎珂) \\textperiodcentered{} July 2022",
}
WORDS = {
    "en": {"rederives": "A re-derivation from open data of the report", "editors": "Edited by the executable-edition team",
           "licence": "Code: MIT licence. Inputs: each under its own terms (Appendix A). "
           "The report's text, quoted in Chinese, remains its authors'. The code of every table and figure is in the "
           "online edition's collapsed cells and in its downloadable notebooks."},
    "zh": {"rederives": "以公开数据重新推算", "editors": "可执行版编写组\\quad 编",
           "licence": "代码采用 MIT 许可；输入数据各依其许可（见附录A）；所引报告原文版权归原作者所有。"
           "各图表的代码见网络版的折叠单元及可下载的笔记本。"},
}
TITLE_PAGE = r"""
\makeatletter
\begin{titlepage}
\sffamily\centering
\vspace*{1.5cm}
{\color{TitleColor}\rule{\linewidth}{1.2pt}\par}
\vspace{1.2cm}
{\fontsize{26}{34}\selectfont\bfseries <first_title>\par}
\vspace{0.3cm}
{\LARGE <first_subtitle>\par}
\vspace{0.9cm}
{\fontsize{18}{26}\selectfont\bfseries <second_title>\par}
\vspace{0.2cm}
{\large <second_subtitle>\par}
\vspace{1.2cm}
{\color{TitleColor}\rule{\linewidth}{0.6pt}\par}
\vspace{1.8cm}
{\large <rederives>\par}
\vspace{0.5cm}
{\LARGE\bfseries 《<report_zh>》\par}
\vspace{0.2cm}
{\normalsize\itshape <report_en>\par}
\vspace{0.6cm}
{\normalsize <institution_zh>\par}
\vspace{0.1cm}
{\small <institution_en>\par}
\vspace{0.3cm}
{\normalsize <lead>\par}
\vfill
{\normalsize <editors>\par}
\vspace{0.3cm}
{\normalsize \py@release\par}
\vspace{0.6cm}
{\color{TitleColor}\rule{\linewidth}{0.4pt}\par}
\vspace{0.2cm}
\begin{minipage}{0.9\linewidth}\centering\footnotesize <licence>\end{minipage}
\end{titlepage}
\makeatother
"""


def introduction(doctree, title: str) -> None:
    """Open the front page's text as an unnumbered chapter listed in the contents and named in the running heads."""
    doctree.insert(0, nodes.raw("", f"\\chapter*{{{title}}}\\addcontentsline{{toc}}{{chapter}}{{{title}}}"
                                    f"\\markboth{{{title}}}{{{title}}}\n", format="latex"))


def title_page(lang: str) -> str:
    """The title page's LaTeX (Sphinx's ``maketitle`` element) for the edition in ``lang`` ('en' or 'zh')."""
    other = "zh" if lang == "en" else "en"
    words = WORDS[lang]
    fields = {"first_title": TITLES[lang][0], "first_subtitle": TITLES[lang][1],
              "second_title": TITLES[other][0], "second_subtitle": TITLES[other][1],
              "rederives": words["rederives"], "report_zh": SOURCE["report_zh"], "report_en": SOURCE["report_en"],
              "institution_zh": SOURCE["institution_zh"], "institution_en": SOURCE["institution_en"],
              "lead": SOURCE[f"lead_{lang}"], "editors": words["editors"],
              "licence": words["licence"]}
    page = TITLE_PAGE
    for name, value in fields.items():
        page = page.replace(f"<{name}>", value.replace("'", "’"))
    return page


def remove_code_listings(doctree) -> int:
    """Remove every code cell's source from ``doctree``, and every cell left empty; return how many sources."""
    sources = [node for node in doctree.findall(nodes.container) if node.get("nb_element") == CODE_SOURCE]
    for node in sources:
        node.parent.remove(node)
    for cell in [node for node in doctree.findall(nodes.container) if node.get("nb_element") == CODE_CELL]:
        if not any(isinstance(child, nodes.Element) and child.children for child in cell.children):
            cell.parent.remove(cell)
    return len(sources)


def on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.format == "latex":
        remove_code_listings(doctree)
        if docname == app.config.root_doc:
            introduction(doctree, INTRODUCTION["zh" if (app.config.language or "en").startswith("zh") else "en"])


def add_running_heads(app, config) -> None:
    """The running heads, the headings' room and the title page, in the edition's language."""
    elements = dict(config.latex_elements or {})
    zh = (config.language or "en").startswith("zh")
    elements["preamble"] = (elements.get("preamble", "") + sc_font_preamble() + RUNNING_HEADS
                            + (ZH_FURNITURE if zh else ""))
    elements["maketitle"] = title_page("zh" if zh else "en")
    elements["sphinxsetup"] = ", ".join(filter(None, [elements.get("sphinxsetup", ""), MEASURE]))
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", add_running_heads)
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-updated", title_in_the_edition_s_language)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
