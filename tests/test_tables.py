"""lib/inputs/tables: the report's tables as data, seed facts, recommendations and their evidence."""
import re
import string

import pytest
from report_text import report_text, squeeze

from lib.analysis import regional
from lib.inputs import paths, tables

REPORT_TABLES = ["tbl-1-1", "tbl-1-2", "tbl-1-3", "tbl-1-4", "tbl-2-1", "tbl-3-1", "tbl-3-2", "tbl-3-3",
                 "tbl-3-4", "tbl-4-1"]
CHAPTERS = sorted((paths.ROOT / "chapters").glob("0[1-6]*.md"))


def test_every_table_of_chapters_1_to_4_has_a_data_file():
    found = sorted(p.stem for p in tables.REPORT_TABLES.glob("tbl-*.yml"))
    assert found == REPORT_TABLES


@pytest.mark.parametrize("label", REPORT_TABLES)
def test_report_table_has_both_languages_and_renders(label):
    spec = tables.report_table_spec(label)
    assert spec["label"] == label and spec["title_zh"] and spec["title_en"] and spec["page"]
    frame = tables.report_table(label)
    assert list(frame.columns) == [f"{c['en']} {c['zh']}" for c in spec["columns"]]
    assert len(frame) == len(spec["rows"]) and (frame != "").all().all()
    bilingual = [v for row in spec["rows"] for v in row.values() if isinstance(v, dict)]
    assert bilingual and all(v.get("zh") and v.get("en") for v in bilingual)


@pytest.mark.parametrize("label", REPORT_TABLES)
def test_report_table_titles_are_the_reports(label):
    text = report_text()
    title = tables.report_table_spec(label)["title_zh"]
    number = label.removeprefix("tbl-")
    assert squeeze(f"表{number}{title}") in text


def test_table_2_1_lists_the_fifteen_platforms_as_printed():
    """The MIIT list in the report (p. 41): 15 platforms; Chinese names verbatim."""
    text = report_text()
    spec = tables.report_table_spec("tbl-2-1")
    assert [r["number"] for r in spec["rows"]] == list(range(1, 16))
    for row in spec["rows"]:
        assert squeeze(f"{row['number']}{row['firm']['zh']}{row['platform']['zh']}") in text


def test_table_1_3_cells_are_verbatim():
    text = report_text()
    for row in tables.report_table_spec("tbl-1-3")["rows"]:
        assert squeeze(row["dimension"]["zh"] + row["industrial"]["zh"] + row["consumer"]["zh"]) in text


def test_both_shows_english_and_chinese():
    frame = tables.report_table("tbl-2-1", both=("platform",))
    assert frame.iloc[8, 2] == "FusionPlant · 华为FusionPlant工业互联网平台"


def test_a_row_with_a_missing_column_is_refused(tmp_path, monkeypatch):
    (tmp_path / "tbl-9-9.yml").write_text(
        "label: tbl-9-9\ncolumns: [{key: a, zh: 甲, en: a}, {key: b, zh: 乙, en: b}]\nrows: [{a: x}]\n", encoding="utf-8")
    monkeypatch.setattr(tables, "REPORT_TABLES", tmp_path)
    with pytest.raises(tables.AuthoredDataError, match="row 1"):
        tables.report_table_spec("tbl-9-9")


def test_seed_facts_quote_their_sources():
    facts = tables.seed_facts()
    assert facts.index.is_unique
    for fid, row in facts.iterrows():
        seed = paths.ROOT.parent / "shared" / "seeds" / row["source"].split(":")[0].removeprefix("seeds/")
        if not seed.exists():
            pytest.skip(f"seed {seed} not available")
        assert squeeze(row["quote"]) in squeeze(seed.read_text(encoding="utf-8")), fid
        assert squeeze(str(row["value"]).rstrip("0").rstrip(".")) in squeeze(row["quote"].replace(",", "")), fid


def test_every_recommendation_is_linked_to_evidence_that_exists():
    recs = tables.recommendations()
    assert len(recs) == 19  # report chapter 6: 6 to government, 9 to core firms, 4 to partners
    links = tables.recommendation_evidence()
    assert set(zip(links["actor"], links["number"])) == set(zip(recs["actor"], recs["number"]))
    sources = "\n".join(p.read_text(encoding="utf-8") for p in CHAPTERS)
    defined = set(re.findall(r"^\((\S+)\)=$", sources, flags=re.M)) | set(re.findall(r":name: (\S+)", sources))
    assert set(links["label"]) <= defined, set(links["label"]) - defined


def test_chapter_6_cites_every_supporting_finding():
    text = (paths.ROOT / "chapters" / "06_recommendations.md").read_text(encoding="utf-8")
    for label in set(tables.recommendation_evidence()["label"]):
        assert f"`{label}`" in text, label


def test_evidence_chapter():
    assert tables.evidence_chapter("fig-2-4") == 2
    assert tables.evidence_chapter("sec-3-theory") == 3
    assert tables.evidence_chapter("ch-macro-regional") == 5
    with pytest.raises(tables.AuthoredDataError):
        tables.evidence_chapter("figure-one")


@pytest.mark.parametrize("label", ["tbl-3-1", "tbl-3-2", "tbl-3-3"])
def test_vsp_tables_keep_the_reports_chinese_bullets(label):
    text = re.sub(r"\^?[①②③]", "", report_text())
    for row in tables.report_table_spec(label)["rows"]:
        for key in ("measures", "results"):
            bullets = [b.strip("；") for b in row[key]["zh"].split("● ") if b.strip("；")]
            assert bullets, (label, key)
            for bullet in bullets:
                assert squeeze(bullet) in text, (label, bullet[:30])


MERGED = {"同上", "（同上）", "同左"}  # the report's merged cells, repeated in each row they cover (README)
PUNCTUATION = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


# an English original the report adds in brackets after its Chinese ("…融合 (the convergence of …)。"): the Chinese
# cell leaves it out (the English page quotes it), so the comparison leaves it out of both
ENGLISH_ORIGINAL = re.compile(r"\s*\((?=[a-z])[A-Za-z ,.;'’-]+\)")


def _normal(text: str) -> str:
    return squeeze(re.sub(r"\^?[①②③]", "", ENGLISH_ORIGINAL.sub("", text))).translate(PUNCTUATION)


@pytest.mark.parametrize("label", REPORT_TABLES)
def test_chinese_cells_are_complete_and_occur_in_the_report(label):
    """Every Chinese cell (each bullet of a bulleted cell) is a passage of the report's text: nothing cut with
    '……', nothing paraphrased. Punctuation is compared up to full-width / ASCII forms (the text mixes them)."""
    text = _normal(report_text())
    for i, row in enumerate(tables.report_table_spec(label)["rows"]):
        for key, value in row.items():
            if not isinstance(value, dict) or value["zh"] in MERGED:
                continue
            assert "…" not in value["zh"], (label, i + 1, key)
            for bullet in [b.strip("；") for b in value["zh"].split("●") if b.strip("； ")]:
                assert _normal(bullet) in text, (label, i + 1, key, bullet[:40])


@pytest.mark.parametrize("label", REPORT_TABLES)
def test_english_cells_translate_bullet_by_bullet(label):
    """A bulleted Chinese cell has an English cell with the same number of bullets (a translation, not a
    summary), and no English cell is cut with '…'."""
    for i, row in enumerate(tables.report_table_spec(label)["rows"]):
        for key, value in row.items():
            if not isinstance(value, dict):
                continue
            assert "…" not in value["en"], (label, i + 1, key)
            if value["zh"] not in MERGED:
                assert value["zh"].count("●") == value["en"].count("●"), (label, i + 1, key)
            chinese = len(re.findall(r"[\u4e00-\u9fff]", value["zh"]))
            if chinese > 20:  # an English translation runs longer than the Chinese characters it renders
                assert len(value["en"]) >= 1.5 * chinese, (label, i + 1, key)


def _fields(template: str) -> list[str]:
    """The {placeholders} of a format template with their format specs, sorted (``{v:.3f}`` -> ``v:.3f``)."""
    return sorted(f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(template) if name is not None)


def test_explanations_have_the_same_placeholders_in_both_languages():
    """data/explanations.csv: a template filled per row must take the same values, formatted alike, in English
    and Chinese (and every template is a valid format string)."""
    english, chinese = tables.explanations("en"), tables.explanations("zh")
    assert english.keys() == chinese.keys()
    differ = {i: (_fields(english[i]), _fields(chinese[i])) for i in english if _fields(english[i]) != _fields(chinese[i])}
    assert differ == {}
    assert sum(bool(_fields(t)) for t in english.values()) >= 30  # the notes of Tables 5-3, 5-4 and 5-5


def test_the_table_notes_come_from_the_explanations_file():
    notes = tables.explanations()
    assert regional.EMPLOYMENT_NOTES["levels.beta"] == notes["regional.employment.levels.beta"]
    assert set(regional.SDEM_NOTES) >= {"index", "index_t", "nobs", "wald", "lr"}
    assert regional.MORAN_NOTES.keys() == {"moran_i", "sd_i", "z"}
