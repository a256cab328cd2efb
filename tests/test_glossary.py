"""The glossary (data/glossary.csv) binds the Chinese edition to the report's own terms (issue 24).

Every Chinese term is the report's, verbatim; the catalogues use it wherever the English has the term; a
deviation planted in a copy of a catalogue makes the check (and ``python -m lib.book.po_check``) fail.
"""
import re
import shutil

from report_text import report_text, squeeze

from lib.book import po_check, translations
from lib.inputs import tables

LOCALES = translations.LOCALE_DIR


def test_every_chinese_term_is_the_reports_own():
    text = report_text()
    glossary = tables.glossary()
    assert len(glossary) >= 25
    missing = [t for t in glossary["term_zh"] if squeeze(t) not in text]
    assert not missing, f"not in the report's text: {missing}"
    # the terms issue 24 names, each bound to the report's word
    bound = dict(zip(glossary["term_en"], glossary["term_zh"]))
    for en, zh in {"direct part": "直接产业增加值", "penetration part": "渗透产业增加值", "contribution rate": "贡献率",
                   "technical-progress multiplier": "技术进步年度乘子", "Technology-led": "数字技术主导型",
                   "Manufacturing-extended": "传统制造拓展型", "Consumer-internet": "消费互联渗透型",
                   "concentric": "差序格局", "Moran scatter plot": "莫兰象限图", "high-high": "高高", "low-low": "低低",
                   "digital index": "数字产业指数", "employment in urban units": "城镇单位就业人数",
                   "Where the term comes from": "定义溯源"}.items():
        assert bound[en] == zh, en


def test_a_term_in_the_english_needs_the_reports_term_in_the_chinese():
    terms = translations.glossary_terms()
    english = "The direct part grows with the contribution rate."
    assert translations.glossary_problems(english, "直接产业增加值随贡献率增长。", terms) == []
    faults = translations.glossary_problems(english, "直接部分随渗透率增长。", terms)
    assert faults == ["'direct part' must read 直接产业增加值", "'contribution rate' must read 贡献率"]
    # a quoted name, a role's target and code are not the book's words
    assert translations.glossary_problems('CAII counts an "industrial internet industry".', "工业互联网产业", terms) == []
    assert translations.glossary_problems("See {ref}`direct part <sec-5-tables>`.", "见此。", terms) == []
    # a phrase, case-sensitive, singular or plural
    assert translations.glossary_problems("The multipliers fall.", "乘数下降。", terms)


def test_the_catalogues_use_the_reports_terms():
    faults = [p for p in translations.check(None) if p.kind.startswith("glossary")]
    assert not faults, "\n".join(str(p) for p in faults)


def test_a_planted_deviation_fails_the_check(tmp_path):
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    page = copy / "zh_CN" / "LC_MESSAGES" / "chapters" / "05_macro_value.po"
    text = page.read_text(encoding="utf-8")
    assert "直接产业增加值" in text and "莫兰象限图" not in text
    page.write_text(re.sub("直接产业增加值", "直接部分", text), encoding="utf-8")
    faults = [p for p in translations.check(None, copy) if p.kind.startswith("glossary")]
    assert faults and all(p.catalogue == "chapters/05_macro_value" for p in faults)
    assert any("'direct part' must read 直接产业增加值" in p.kind for p in faults)
    # the same check stops the Chinese build (make book runs po_check before it)
    assert any("glossary term" in line and "05_macro_value.po" in line for line in po_check.problems(copy))
    # and the untouched catalogues pass
    assert not [p for p in translations.check(None) if p.kind.startswith("glossary")]


def test_a_planted_deviation_in_the_glossary_itself_fails(tmp_path):
    glossary = tmp_path / "glossary.csv"
    text = translations.GLOSSARY.read_text(encoding="utf-8")
    glossary.write_text(text.replace("莫兰象限图", "莫兰散点图"), encoding="utf-8")
    faults = [p for p in translations.check(None, glossary=glossary) if p.kind.startswith("glossary")]
    assert faults and all("莫兰散点图" in p.kind for p in faults)
