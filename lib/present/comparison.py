"""Published vs recomputed, as a reader sees it: readable rows, numbered notes, the appendix tables.

``display(compared)`` turns ``ledger.compare`` output into a table a reader can read: each row named
in words from the report's table, row and column ("Table 5-1 · 2019 · real GDP"), the published value
exactly as printed, the recomputed value at the published precision, the difference (in percent only
where a percentage means something), a short status, and a note number; the explanations are printed
once, as numbered notes under the table (rows with the same reason share a note).
"""
from __future__ import annotations

import re

import pandas as pd
from docutils import nodes

from lib.inputs import tables
from lib.ledger import ledger
from lib.present import formatting

__all__ = ["SEP", "STATUS_LABELS", "COLUMNS", "MIN_UNITS_FOR_PERCENT", "CJK", "NUMBER", "ENGLISH", "english",
           "untranslated", "row_label", "Notes", "PAGE_NOTES", "display", "sentence", "notes_markdown",
           "PDF_LINE_CHARS", "UNBREAKABLE", "LANDSCAPE", "needs_landscape",
           "column_widths", "table_node", "TEXT_TABLE_CHARS", "is_text_table", "notes_nodes", "row_pages",
           "status_counts", "page_summary", "appendix_summary", "page_nodes", "page_table",
           "STATUS_LABELS_ZH", "COLUMNS_ZH", "UNITS_ZH", "SOURCE_WORDS_ZH", "unit_zh", "row_label_zh",
           "Translations", "sentence_zh", "WORDS", "CODE_SPAN", "cell_paragraph", "cell_markup"]

SEP = " · "
STATUS_LABELS = {
    ledger.REPRODUCED: "reproduced", ledger.BY_CONSTRUCTION: "by construction", ledger.SUBSTITUTE: "on a substitute",
    ledger.EXPLAINED: "explained", ledger.UNEXPLAINED: "unexplained",
    ledger.QUOTED: "quoted only", ledger.NOT_RECOMPUTED: "not recomputed",
}
COLUMNS = ["value", "unit", "report", "book", "difference", "difference (%)", "status", "note"]
# The same table on the Chinese pages: the report's own names for rows and columns, units and statuses in Chinese.
STATUS_LABELS_ZH = {
    ledger.REPRODUCED: "已复现", ledger.BY_CONSTRUCTION: "构造性一致", ledger.SUBSTITUTE: "替代数据上一致",
    ledger.EXPLAINED: "差异已解释", ledger.UNEXPLAINED: "差异未解释",
    ledger.QUOTED: "仅引述", ledger.NOT_RECOMPUTED: "未重新计算",
}
COLUMNS_ZH = ["数值", "单位", "报告", "本书", "差异", "差异（%）", "状态", "注"]
UNITS_ZH = {
    "percent": "%", "percentage points": "百分点", "elasticity": "弹性", "count": "个", "trillion yuan": "万亿元",
    "trillion yuan (nominal)": "万亿元（现价）", "trillion yuan (2015 prices)": "万亿元（2015年价格）",
    "trillion yuan (2018 prices)": "万亿元（2018年价格）", "100 million yuan": "亿元", "100 million USD": "亿美元",
    "100 million users": "亿用户", "10 thousand users": "万用户", "10 thousand firms": "万家企业", "firms": "家企业",
    "cities": "个城市", "regions": "个地区", "countries and regions": "个国家和地区", "industries": "个行业",
    "sub-industries": "个子行业", "parks": "个园区", "centres": "个中心", "availability zones": "个可用区",
    "factories": "家工厂", "devices": "台设备", "platforms": "个平台", "products": "个产品", "solutions": "个解决方案",
    "standards": "项标准", "fields": "个领域", "topics": "个课题", "trainees": "名学员", "jobs": "个岗位",
    "partners": "个合作伙伴", "clients": "个客户", "share": "比重", "yuan": "元", "index": "指数",
    "coefficient": "系数", "p-value": "p值", "statistic": "统计量", "ratio": "比值", "years": "年", "year": "年",
}
SOURCE_WORDS_ZH = {"Table": "表", "Figure": "图", "text": "正文", "Text": "正文"}
WORDS = {"en": {"note": "Note {n}. ", "count": "{n} published values, by the report chapter they come from and their "
                "status:", "summary": "Published values by chapter and status",
                "chapter_table": "{name}: published and recomputed values ({n})", "all": "all chapters",
                "other": "other", "total": "total", "report chapter": "report chapter", "page chapter": "chapter", "chapter": "Chapter {c}"},
         "zh": {"note": "注{n}　", "count": "本书录入报告公布的数值共{n}个，按其所在的报告章节和状态统计如下：",
                "summary": "报告公布值：按章节和状态统计", "chapter_table": "{name}：报告公布值与本书重新计算值（{n}个）",
                "all": "全部章节", "other": "其他", "total": "合计", "report chapter": "报告章节", "page chapter": "章", "chapter": "第{c}章"}}
# relative differences are printed only when the published value has at least this many units in its
# last printed digit (0.02 printed to 2 decimals has 2: a percentage of it is noise)
MIN_UNITS_FOR_PERCENT = 10
CJK = formatting.CJK
NUMBER = re.compile(r"^(?:< ?)?[+\u2212-]?[\d,]+(?:\.\d+)?%?$")

# Short English for the Chinese row and column names of the published ledger
# (data/published/report_values.csv); test_ledger checks that every Chinese name there has one.
ENGLISH = {
    # Table 5-1 and the text of 5(一)1
    "实际GDP": "real GDP", "GDP增量": "GDP increment", "产业互联网增量": "industrial-internet increment",
    "产业互联网实际增加值": "industrial-internet real value added",
    "产业互联网的实际增加值": "industrial-internet real value added",
    "产业互联网实际增加值的GDP比重": "industrial internet, share of GDP",
    "产业互联网对GDP增量的贡献度": "contribution to the GDP increment",
    "产业互联网对GDP增长率的拉动": "pull on GDP growth",
    "增速同比上升": "rise in growth, year on year", "直接产业增加值": "direct value added",
    "渗透产业增加值": "penetration value added",
    "直接产业增加值占比 一直超过": "direct share of value added (always above)",
    "GDP比重 左右": "share of GDP (about)", "对GDP增量的贡献度 左右": "contribution to the GDP increment (about)",
    "直接产业子行业数": "direct sub-industries",
    "基准情形": "baseline scenario", "乐观情形": "optimistic scenario", "悲观情形": "pessimistic scenario",
    # Table 5-2
    "清华大学 产业互联网增加值": "Tsinghua: industrial-internet value added",
    "清华大学 占GDP比重": "Tsinghua: share of GDP", "清华大学 实际增速": "Tsinghua: real growth",
    "中国工业互联网研究院 工业互联网增加值": "CAII: industrial-internet value added",
    "中国工业互联网研究院 名义增速": "CAII: nominal growth", "中国工业互联网研究院 占GDP比重": "CAII: share of GDP",
    "信通院 工业互联网增加值": "CAICT: industrial-internet value added",
    "信通院 实际增速": "CAICT: real growth", "信通院 占GDP比重": "CAICT: share of GDP",
    # 5(一)2, Tables 5-3 to 5-5, Figure 5-6
    "每千名工人增加一台机器人 就业人口比率降低": "one robot per thousand workers: fall in the employment ratio",
    "工资降低": "fall in wages", "地级市": "prefecture-level cities", "莫兰指数 I": "Moran's I",
    "2019数字产业指数": "digital-industry index 2019",
    "w1x-2019数字产业指数": "spatial lag of the digital-industry index 2019",
    "w1x-对外进出口占GDP比重": "spatial lag of trade / GDP",
    "w1x-金融机构存款占GDP比重": "spatial lag of bank deposits / GDP",
    # the cells of Tables 5-3 and 5-5: a coefficient and the number in brackets under it (Table 5-3's note calls
    # that number 标准差; Table 5-5 prints t statistics)
    "回归系数": "coefficient", "标准差": "standard error", "t统计量": "t statistic",
    # Figure 2-1 (as the text of 2(一)1 gives it) and Table 2-1
    "北美": "North America", "欧洲": "Europe", "亚太地区": "Asia-Pacific", "2019年市场占比": "market share 2019",
    "全部": "all",
    # chapters 2-4: platforms, Tencent's programmes, banks, firms going abroad
    "双跨平台数": "cross-industry platforms", "新昌-陀曼": "Xinchang–Tuoman", "腾讯WeMake": "Tencent WeMake",
    "海尔卡奥斯": "Haier COSMOPlat", "湘就业": "Xiang Jiuye", "云启": "Yunqi", "产业加速器": "industry accelerator",
    "产业共创营": "industry co-creation camp", "产业基地": "industry bases",
    "连接企业": "firms connected", "连接设备": "devices connected", "服务企业": "firms served",
    "垂直行业": "vertical industries", "地区和城市": "regions and cities", "互联工厂": "connected factories",
    "子行业": "sub-industries", "用户": "users", "企业": "firms", "企业数": "firms", "总估值": "total valuation",
    "优质服务公司": "service companies", "联合产品/解决方案": "joint products and solutions",
    "获得融资的成员企业": "member firms funded", "联合产品方案": "joint product solutions",
    "覆盖领域": "fields covered", "WeCity首期学员": "WeCity first cohort",
    "行业方案及商机合作": "industry solutions and deals", "2021年学员企业": "2021 cohort firms",
    "共创课题": "joint topics", "城市（列举）": "cities (listed)", "入驻企业": "firms signed up",
    "发布岗位": "jobs posted", "银行业信息科技资金总投入": "banks' total IT investment",
    "同比增长": "growth, year on year", "六大国有银行科技投入": "six large state banks' IT investment",
    "金融科技及企业服务收入": "fintech and business-services revenue", "腾讯云地区": "Tencent Cloud regions",
    "可用区": "availability zones", "工业园": "industrial parks", "制造中心": "manufacturing centres",
    "营销中心": "marketing centres", "销售网络国家和地区": "countries and regions in the sales network",
    "中国对非直接投资存量": "China's direct-investment stock in Africa", "各类产业园区": "industrial parks (all kinds)",
    "控股园区": "parks held", "衣联网行业": "clothing-internet industries", "生态资源方": "ecosystem partners",
    "生态用户": "ecosystem users", "国家标准": "national standards", "行业标准": "industry standards",
    "全球500强客户": "Global 500 clients",
    # symbols the report prints
    "P": "p",
}


def english(text: str) -> str:
    """Short English for a Chinese row or column name of the ledger (unchanged when already English)."""
    text = str(text).strip()
    return ENGLISH.get(text, text)


def untranslated(table: pd.DataFrame) -> list[str]:
    """Chinese row or column names of the published ledger that have no English yet."""
    names = set(table["row"]) | set(table["column"])
    return sorted(n for n in names if CJK.search(str(n)) and str(n).strip() not in ENGLISH)


def row_label(table_figure: str, row: str, column: str) -> str:
    """'Table 5-1', '2019', '实际GDP' -> 'Table 5-1 · 2019 · real GDP'."""
    source = str(table_figure).strip()
    if source.startswith("text "):
        source = "Text " + source[len("text "):]
    parts = [source] + [english(p) for p in (row, column) if str(p).strip()]
    return SEP.join(parts)


def unit_zh(unit: str) -> str:
    """A unit of the ledgers in Chinese ('trillion yuan (2015 prices)' -> '万亿元（2015年价格）'); a unit with no
    Chinese form is returned as it is (tests/test_zh_language.py counts what is left in English)."""
    unit = str(unit or "").strip()
    return UNITS_ZH.get(unit, unit)


def row_label_zh(table_figure: str, row: str, column: str) -> str:
    """'Table 5-1', '2019', '实际GDP' -> '表5-1 · 2019 · 实际GDP': the report's own names, as printed."""
    parts = []
    for source in str(table_figure).split(" / "):
        word, _, number = source.strip().partition(" ")
        parts.append(f"{SOURCE_WORDS_ZH.get(word, word)}{number}")
    return SEP.join(["／".join(parts)] + [str(p).strip() for p in (row, column) if str(p).strip()])


_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rs])?(?::[^{}]*)?\}")


class Translations:
    """English note -> its Chinese form, from the explanations' ``text_en``/``text_zh`` templates
    (data/explanations.csv, the one source of both): a note made from a template is matched against the English
    template and the values it printed are put into the Chinese template; a note joined from several
    explanations ("; ") is translated part by part. A note with no Chinese form is returned as it is."""

    def __init__(self, pairs: dict[str, str] | None = None):
        self.templates = []
        for en, zh in (pairs or {}).items():
            en = " ".join(str(en).split())
            pattern = "".join(f"(?P<{name}__{i}>.+?)" if i % 2 else re.escape(piece)
                              for i, (piece, name) in enumerate(_split(en)))
            self.templates.append((re.compile(f"^{pattern}$"), str(zh)))

    @classmethod
    def from_explanations(cls) -> "Translations":
        en, zh = tables.explanations("en"), tables.explanations("zh")
        return cls({en[k]: zh[k] for k in en if str(zh.get(k, "")).strip()})

    def one(self, text: str) -> str | None:
        for pattern, zh in self.templates:
            match = pattern.match(text)
            if match:
                values = {}
                for key, value in match.groupdict().items():
                    values.setdefault(key.rsplit("__", 1)[0], value)
                return _fill(zh, values)
        return None

    def __call__(self, text: str) -> str:
        text = " ".join(str(text).split())
        if not text:
            return ""
        whole = self.one(text)
        if whole is not None:
            return whole
        parts = [self.one(p.strip()) for p in text.split("; ")]
        if len(parts) > 1 and all(p is not None for p in parts):
            return "；".join(p.rstrip("。") for p in parts)
        return text


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _split(template: str) -> list[tuple[str, str]]:
    """'a {v:.3f} b' -> [('a ', ''), ('', 'v'), (' b', '')]: literal pieces at even, placeholders at odd places."""
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        out += [(template[last:match.start()], ""), ("", match.group(1))]
        last = match.end()
    return out + [(template[last:], "")]


class Notes:
    """Numbered notes of one page: the same text always gets the same number."""

    def __init__(self):
        self.numbers: dict[str, int] = {}

    def number(self, text: str) -> str:
        text = " ".join(str(text).split())
        if not text:
            return ""
        if text not in self.numbers:
            self.numbers[text] = len(self.numbers) + 1
        return str(self.numbers[text])

    def text(self, number: str) -> str:
        return {str(n): t for t, n in self.numbers.items()}[str(number)]


PAGE_NOTES = Notes()  # a chapter page runs in one kernel, so its note numbers are unique on the page


def _percent_means_something(published: float, recomputed: float, text: str) -> bool:
    if pd.isna(recomputed) or published == 0:
        return False
    if (published > 0) != (recomputed > 0) and recomputed != 0:
        return False  # the sign flips: a percentage of the published value says nothing
    unit = ledger.rounding_tolerance(text) * 2
    return abs(published) >= MIN_UNITS_FOR_PERCENT * unit


def display(compared: pd.DataFrame, notes: Notes | None = None, unit: bool = True, lang: str = "en",
            translate=None) -> tuple[pd.DataFrame, list]:
    """(table, notes) for ``ledger.compare`` output: every cell is text, ready to print.

    ``notes`` is the page's note register (a fresh one when not given); the list returned holds the
    (number, text) pairs this table refers to, in order of first use. ``lang="zh"``: the report's names of
    rows and columns, units and statuses in Chinese, and the notes through ``translate`` (English -> Chinese);
    note numbers are those of the English notes, so both editions number them alike.
    """
    notes = Notes() if notes is None else notes
    rows, used = [], []
    for _, r in compared.iterrows():
        text = str(r["published_text"])
        has_value = "recomputed" in r and not pd.isna(r["recomputed"])
        book = diff = pct = ""
        if has_value:
            book = formatting.at_precision(r["recomputed"], text)
            diff = formatting.fixed(r["difference"], formatting.decimals_of(text))
            if not diff.startswith(formatting.MINUS) and any(c in "123456789" for c in diff):
                diff = "+" + diff
            if _percent_means_something(float(r["published"]), float(r["recomputed"]), text):
                pct = formatting.fixed(100 * r["difference"] / r["published"], 1)
                if not pct.startswith(formatting.MINUS) and any(c in "123456789" for c in pct):
                    pct = "+" + pct
        note = notes.number(r.get("explanation", "") if not pd.isna(r.get("explanation", "")) else "")
        if note and note not in used:
            used.append(note)
        zh = lang == "zh"
        rows.append({"value": (row_label_zh if zh else row_label)(r["table_figure"], r["row"], r["column"]),
                     "unit": unit_zh(r["unit"]) if zh else str(r["unit"] or ""),
                     "report": formatting.printed(text), "book": book, "difference": diff, "difference (%)": pct,
                     "status": (STATUS_LABELS_ZH if zh else STATUS_LABELS).get(r["status"], r["status"]),
                     "note": note})
    table = pd.DataFrame(rows, columns=COLUMNS)
    if not unit:
        table = table.drop(columns="unit")
    translate = translate or (lambda t: t)
    used = [(int(n), notes.text(n)) for n in sorted(used, key=int)]
    if lang == "zh":
        table.columns = [COLUMNS_ZH[COLUMNS.index(c)] for c in table.columns]
        used = [(n, translate(t)) for n, t in used]
    return table, used


def sentence(text: str) -> str:
    """A note as a sentence: capital first letter, final full stop."""
    text = " ".join(str(text).split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def sentence_zh(text: str) -> str:
    """A Chinese note as a sentence: a final 。 (an English one left untranslated keeps its own form)."""
    text = " ".join(str(text).split())
    if not text or not CJK.search(text):
        return sentence(text)
    return text if text.endswith(("。", "！", "？", ".")) else text + "。"


def notes_markdown(notes: list, lang: str = "en") -> str:
    """Numbered notes as Markdown paragraphs (the numbers need not be consecutive)."""
    if not notes:
        return ""
    if lang == "zh":
        return "\n\n".join(f"**注{n}**　{_escape(sentence_zh(text))}" for n, text in notes)
    return "\n\n".join(f"**Note {n}.** {_escape(sentence(text))}" for n, text in notes)


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|$])", r"\\\1", str(text))


# ----- docutils rendering (the appendix and every glued table) -----

PDF_LINE_CHARS = 100   # characters of a footnotesize table line across the PDF text block
UNBREAKABLE = re.compile(r"[^\s_\u3400-\u9fff]+_?")


def _longest_unbreakable(text: str) -> int:
    """Width of the longest run LaTeX cannot break (breaks at spaces, after '_' (the PDF preamble allows it), between CJK characters)."""
    runs = [len(r) for r in UNBREAKABLE.findall(str(text))]
    return max(runs + [2 if CJK.search(str(text)) else 0, 1])


LANDSCAPE = 1.45      # a landscape page holds this many times the characters of a portrait line


def _floors_and_wants(frame: pd.DataFrame, header_cap: int = 12):
    floors, wants = [], []
    for col in frame.columns:
        cells = [str(v) for v in frame[col].tolist() if not pd.isna(v)]
        floor = max([_longest_unbreakable(c) for c in cells] + [min(_longest_unbreakable(col), header_cap), 3])
        lengths = sorted(len(c) + len(CJK.findall(c)) for c in cells) or [floor]
        floors.append(floor)
        wants.append(max(floor, lengths[int(0.9 * (len(lengths) - 1))]))
    return floors, wants


def needs_landscape(frame: pd.DataFrame, budget: int = PDF_LINE_CHARS) -> bool:
    """True when the columns' unbreakable words alone are wider than a portrait line."""
    return sum(_floors_and_wants(frame)[0]) > budget


def column_widths(frame: pd.DataFrame, budget: int = PDF_LINE_CHARS) -> list[int]:
    """Relative column widths for the PDF (the HTML ignores them): every column at least as wide as its
    longest unbreakable word, the rest of the line shared by the columns' typical text length."""
    floors, wants = _floors_and_wants(frame)
    if sum(wants) <= budget:
        return wants
    # shrink the wide columns towards their floors until the line fits (or every column is at its floor)
    low, high = 0.0, 1.0
    for _ in range(40):
        k = (low + high) / 2
        if sum(max(f, round(k * w)) for f, w in zip(floors, wants)) > budget:
            high = k
        else:
            low = k
    return [max(f, round(low * w)) for f, w in zip(floors, wants)]


CODE_SPAN = re.compile(r"`([^`]+)`")   # a value, key or id inside a table cell's text, written `like this`


def cell_paragraph(text: str, classes=()) -> nodes.paragraph:
    """A table cell's text as a paragraph, its `backquoted` spans (values, keys, ids a file holds) set as code in
    either edition: "one of: `stated`, `inferred`" / "取值之一：`stated`（报告明说）、`inferred`（…）"."""
    if not CODE_SPAN.search(text):
        return nodes.paragraph(text=text, classes=list(classes))
    para = nodes.paragraph(classes=list(classes))
    last = 0
    for match in CODE_SPAN.finditer(text):
        if match.start() > last:
            para += nodes.Text(text[last:match.start()])
        para += nodes.literal(match.group(1), match.group(1))
        last = match.end()
    if last < len(text):
        para += nodes.Text(text[last:])
    return para


def cell_markup(para) -> str:
    """The inverse of ``cell_paragraph``: a cell's text with its code spans backquoted (the key of its translation)."""
    return "".join(f"`{child.astext()}`" if isinstance(child, nodes.literal) else child.astext()
                   for child in para.children).strip()


def table_node(frame: pd.DataFrame, title: str | None = None, classes=("results-comparison",), ident: str = "",
               literal=()):
    """A docutils table for a frame of text: long-table with set column widths in the PDF, scrollable in HTML.

    A table with a title needs an ``ident`` (an HTML anchor; Sphinx warns about a captioned table without one).
    The cells of the columns at the places in ``literal`` (names of files, columns, keys) are set as code, and so
    is any `backquoted` span of a cell's text (``cell_paragraph``).
    """

    # the PDF sets it as a long table (it breaks across pages) with the columns at these widths; a table
    # too wide for a portrait line gets landscape pages (lib/book/pdf_layout.py)
    landscape = needs_landscape(frame)
    extra = (["longtable", "colwidths-given"] + (["book-landscape"] if landscape else [])
             + (["text-table"] if is_text_table(frame) else []))
    table = nodes.table(classes=list(classes) + extra)
    if title:
        if not ident:
            raise ValueError(f"table {title!r} needs an ident")
        table["ids"] = [ident]
        table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(frame.columns))
    table += group
    budget = round(PDF_LINE_CHARS * (LANDSCAPE if landscape else 1))
    for width in column_widths(frame, budget):
        group += nodes.colspec(colwidth=width)
    numeric = [_numeric(frame[col]) for col in frame.columns]
    head = nodes.thead()
    group += head
    row = nodes.row()
    for col, num in zip(frame.columns, numeric):
        row += nodes.entry("", nodes.paragraph(text=str(col)), classes=["num"] if num else [])
    head += row
    body = nodes.tbody()
    group += body
    for values in frame.itertuples(index=False):
        row = nodes.row()
        for place, (value, num) in enumerate(zip(values, numeric)):
            text = "" if pd.isna(value) else str(value)
            para = (nodes.paragraph("", "", nodes.literal(text, text)) if place in literal and text
                    else cell_paragraph(text))
            row += nodes.entry("", para, classes=["num"] if num else [])
        body += row
    return table


TEXT_TABLE_CHARS = 110   # typical characters of a row across its text columns above which a table is prose


def is_text_table(frame: pd.DataFrame) -> bool:
    """A table of prose (the report's text tables): at least three text columns whose typical cells add up to
    more than a screen line. In HTML it fits the column (every cell visible) and on a phone each row is a card
    (_static/book.css), instead of scrolling sideways past cells that look empty."""
    text = [col for col in frame.columns if not _numeric(frame[col])]
    if len(text) < 3:
        return False
    typical = sum(frame[col].fillna("").astype(str).str.len().median() for col in text)
    return typical > TEXT_TABLE_CHARS


def _numeric(column: pd.Series) -> bool:
    """A column of printed numbers (right-aligned, never wrapped)."""
    cells = [str(v).strip() for v in column.tolist() if not pd.isna(v) and str(v).strip()]
    return bool(cells) and all(NUMBER.match(c) for c in cells)


def notes_nodes(notes: list, lang: str = "en") -> list:

    out = []
    for n, text in notes:
        para = nodes.paragraph(classes=["comparison-note"])
        para += nodes.strong(text=WORDS[lang]["note"].format(n=n))
        para += nodes.Text(sentence_zh(text) if lang == "zh" else sentence(text))
        out.append(para)
    return out


def row_pages(comparison: pd.DataFrame, results: pd.DataFrame, quoted_by_page: dict,
              page_chapters: dict | None = None, row_chapters: pd.Series | None = None) -> pd.Series:
    """The chapter page each published value belongs to: the page that records its recomputation; else, of
    the pages that quote it, the first of the report chapter it comes from (``page_chapters``: page -> chapter,
    ``row_chapters``: the rows' report chapters), or the first in the order of ``quoted_by_page``; else ''."""
    recorded = dict(zip(results["key"], results["chapter"])) if len(results) else {}
    page_chapters = page_chapters or {}

    def page(i) -> str:
        row = comparison.loc[i]
        key = "" if pd.isna(row.get("key", "")) else str(row.get("key", ""))
        if key and key in recorded:
            return str(recorded[key])
        quoting = [doc for doc, ids in quoted_by_page.items() if row["published_id"] in ids]
        own = [doc for doc in quoting if row_chapters is not None and page_chapters.get(doc) == row_chapters[i]]
        return (own or quoting or [""])[0]

    return pd.Series([page(i) for i in comparison.index], index=comparison.index, dtype=object)


def status_counts(part: pd.DataFrame, lang: str = "en") -> dict:
    """Counts of ``ledger.compare`` rows by status label (every status, zeros included) and their total, the
    labels in the page's language."""
    labels = STATUS_LABELS_ZH if lang == "zh" else STATUS_LABELS
    counts = {labels[s]: int((part["status"] == s).sum()) for s in ledger.STATUSES}
    counts[WORDS[lang]["total"]] = int(len(part))
    return counts


def page_summary(part: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One chapter's ledger in one line: how many values it reproduces, matches by construction, and so on
    (a value no page uses belongs to no chapter, so 'not recomputed' is not a chapter's column)."""
    counts = status_counts(part, lang)
    counts.pop((STATUS_LABELS_ZH if lang == "zh" else STATUS_LABELS)[ledger.NOT_RECOMPUTED])
    return pd.DataFrame([{k: str(v) for k, v in counts.items()}])


def appendix_summary(comparison: pd.DataFrame, pages: pd.Series, page_names: dict, lang: str = "en") -> pd.DataFrame:
    """Chapter pages by statuses, with totals (every cell text), pages in the order of ``page_names``."""
    words = WORDS[lang]
    rows = [{words["page chapter"]: name, **status_counts(comparison[pages == doc], lang)}
            for doc, name in page_names.items() if (pages == doc).any()]
    if (~pages.isin(list(page_names))).any():
        rows.append({words["page chapter"]: words["other"],
                     **status_counts(comparison[~pages.isin(list(page_names))], lang)})
    rows.append({words["page chapter"]: words["all"], **status_counts(comparison, lang)})
    out = pd.DataFrame(rows)
    unused = (STATUS_LABELS_ZH if lang == "zh" else STATUS_LABELS)[ledger.NOT_RECOMPUTED]
    if not out[unused].any():   # every value is used by some page: the column would only hold zeros
        out = out.drop(columns=unused)
    return out.astype(str)


def page_nodes(part: pd.DataFrame, title: str, ident: str, lang: str = "en", translate=None) -> list:
    """The ledger of one chapter page: a captioned table (made in the page's language), then its numbered notes."""
    notes = Notes()
    shown, used = display(part, notes, lang=lang, translate=translate)
    return [table_node(shown, title, classes=("results-comparison", "book-bilingual"), ident=ident),
            *notes_nodes(used, lang)]


def page_table(frame: pd.DataFrame, translate=None) -> pd.DataFrame:
    """A readable version of ``ledger.compare`` output for a page (see ``display``).

    Rows are named in words, values printed at the published precision, and the explanations become
    numbered notes, unique on the page: they travel in ``result.attrs["notes"]`` and
    ``charts.glue_table(name, result)`` glues them as ``<name>-notes`` for a ``{glue:md}`` block. The Chinese
    form of the table (and of its notes) travels in ``result.attrs["zh"]``, glued as ``<name>@zh``.
    """
    table, notes = display(frame, PAGE_NOTES)
    table.attrs["notes"] = notes
    # the same rows again in Chinese: the register already holds their notes, so they keep their numbers
    zh, notes_zh = display(frame, PAGE_NOTES, lang="zh", translate=translate or Translations.from_explanations())
    zh.attrs["notes"] = notes_zh
    table.attrs["zh"] = zh
    return table
