"""One number formatter for every table a reader sees."""
import math

import pandas as pd
import pytest

from lib.present import formatting as fmt

M = fmt.MINUS


@pytest.mark.parametrize("value, spec, expected", [
    (400000.0, "int", "400,000"),
    (9.0, "int", "9"),
    (-23938.9412, 2, f"{M}23,938.94"),
    (8.335e-58, 2, "0.00"),          # never scientific notation
    (-0.0001, 3, "0.000"),           # no minus zero
    (1e12, 1, "1,000,000,000,000.0"),
    (8.335e-58, "p", "< 0.001"),
    (0.0004, "p", "< 0.001"),
    (0.0123, "p", "0.012"),
    (2019.0, "year", "2019"),
    (0.1234, "pct", "0.12%"),
    (float("nan"), 2, ""),
    (None, 2, ""),
    ("88.950 as text", 2, "88.950 as text"),
    (70.0, "each", "70"),             # a count in a column of mixed quantities: never "70.00"
    (400000.0, "each", "400,000"),
    (2.13, "each", "2.13"),
    (2.2, "each", "2.2"),
    (-0.5, "each", f"{M}0.5"),
])
def test_format_value(value, spec, expected):
    assert fmt.format_value(value, spec) == expected


def test_unknown_format_is_refused():
    with pytest.raises(fmt.FormatError, match="unknown number format"):
        fmt.format_value(1.0, "sci")


def test_inference_integers_years_p_values():
    assert fmt.infer_format("firms", [314.0, 9.0, float("nan")]) == "int"
    assert fmt.infer_format("year", [2019.0]) == "year"
    assert fmt.infer_format("", [2017, 2018, 2019]) == "year"
    assert fmt.infer_format("p", [0.2, 1e-9]) == "p"
    assert fmt.infer_format("P-value", [0.2]) == "p"
    assert fmt.infer_format("growth (%)", [1.25, 2.0], digits=1) == 1
    assert fmt.infer_format("name", ["a", "b"]) == "text"


def test_format_frame_uses_per_column_formats_and_defaults():
    frame = pd.DataFrame({"year": [2018, 2019], "n": [400000.0, 9.0], "growth (%)": [1.2345, -0.5],
                          "p": [8.3e-58, 0.25], "name": ["a", "图"]})
    columns, rows = fmt.format_frame(frame, {"growth (%)": 1}, digits=3)
    assert columns == ["year", "n", "growth (%)", "p", "name"]
    assert rows == [["2018", "400,000", "1.2", "< 0.001", "a"], ["2019", "9", f"{M}0.5", "0.250", "图"]]
    for row in rows:
        for cell in row:
            assert "e-" not in cell and "e+" not in cell
    with pytest.raises(fmt.FormatError, match="missing column"):
        fmt.format_frame(frame, {"nope": 1})


def test_published_values_keep_their_printed_precision():
    assert fmt.printed("88.95") == "88.95"
    assert fmt.printed("2.120") == "2.120"
    assert fmt.printed("300000") == "300,000"
    assert fmt.printed("-2.0987") == f"{M}2.0987"
    assert fmt.at_precision(89.0304848, "88.95") == "89.03"
    assert fmt.at_precision(5.4539, "1.818") == "5.454"
    assert fmt.at_precision(262.4, "262") == "262"
    assert fmt.decimals_of("0.000") == 3
    with pytest.raises(fmt.FormatError):
        fmt.decimals_of("n/a")
    assert not math.isnan(float(fmt.at_precision(1.0, "1").replace(",", "")))


def test_a_column_of_mixed_quantities_prints_counts_as_integers():
    """The seed facts' value column (platforms, devices, firms, trillion yuan, % of GDP): counts without decimals."""
    frame = pd.DataFrame({"value": [70.0, 40.0, 400000.0, 250000.0, 2.13, 2.2, 9.9], "unit": ["platforms"] * 7})
    _, rows = fmt.format_frame(frame, {"value": "each"})
    assert [row[0] for row in rows] == ["70", "40", "400,000", "250,000", "2.13", "2.2", "9.9"]
    assert not any(row[0].endswith(".00") for row in rows)


def test_a_source_is_named_in_words_without_its_repository_file():
    said = "seeds/001_840279a2666bc597.txt: MIIT press conference as reported, 2020-09-22"
    assert fmt.source_in_words(said) == "MIIT press conference as reported, 2020-09-22"
    assert fmt.source_in_words("NBS input-output table 2018") == "NBS input-output table 2018"
    assert fmt.source_in_words("data/seed_facts.csv; CAICT") == "CAICT"


@pytest.mark.parametrize("n, words", [(0, "零"), (1, "一"), (2, "两"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"),
                                      (21, "二十一"), (100, "一百"), (105, "一百零五"), (110, "一百一十"), (2020, "二千零二十")])
def test_a_count_in_chinese_numerals(n, words):
    assert fmt.zh_numeral(n) == words   # '两' only for a lone 2 before a measure word
    assert fmt.zh_numeral(2, before_measure=False) == "二"
    with pytest.raises(ValueError):
        fmt.zh_numeral(10000)


def test_a_count_as_the_subject_of_a_chinese_sentence():
    """'能复现报告增速的解读数为0' reads as a translation; a Chinese writer says 没有一种解读能复现…, 有两种解读能复现…"""
    assert fmt.zh_count(0, "种", "解读") + "能复现报告的增速" == "没有一种解读能复现报告的增速"
    assert fmt.zh_count(2, "种", "解读") == "有两种解读"
    assert fmt.zh_count(12, "种") == "有十二种"


def test_a_fact_in_chinese_marks_the_editors_translation():
    assert fmt.fact_zh("占GDP的2.2%", "translation") == "占GDP的2.2%（译文）"
    assert fmt.fact_zh("报告的原话", "report") == "报告的原话"


def test_the_seed_facts_in_chinese_carry_their_number_and_source():
    from lib.inputs import tables
    facts = tables.seed_facts()
    zh = fmt.seed_facts_zh(facts)
    assert list(zh.columns) == ["年份", "事实", "来源"] and len(zh) == len(facts)
    assert zh.iloc[0].tolist() == ["2020年", "超过70个有影响力的工业互联网平台（译文）", "工业和信息化部新闻发布会，据2020年9月22日英文报道"]
    assert zh["年份"].str.endswith("（预测）").sum() == facts.index.str.endswith("f").sum() == 2
    for (fid, fact), shown in zip(facts.iterrows(), zh["事实"]):   # the Chinese states the number the English gives
        number = f"{fact['value']:g}"
        assert number in shown.replace("4000万", "40").replace("40万", "400000").replace("25万", "250000"), fid
