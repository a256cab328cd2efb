"""The Chinese edition's catalogues: complete, current, and a translation keeps roles, glued values and math.

The check extracts the English messages with Sphinx's gettext builder without executing anything (about
20 s) and compares them with locales/zh_CN/LC_MESSAGES; an edited English sentence must make it fail.
"""
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import Variant

from lib.book import translations


def test_protected_keeps_role_targets_and_formulas():
    text = "It is {glue:text}`iie.total.2021:.2f` ({numref}`Table %s <tbl-5-1>`, {cite}`x2020`) for $R_i$."
    assert translations.protected(text) == {"{glue:text}`iie.total.2021:.2f`": 1, "{numref}`tbl-5-1`": 1,
                                            "{cite}`x2020`": 1, "$R_i$": 1}
    # a cross-reference's title may be translated, its target may not
    assert translations.protected("见{numref}`表%s <tbl-5-1>`") == translations.protected("see {numref}`tbl-5-1`")


def test_formulas_and_bilingual_headers_need_no_translation():
    assert translations.needs_no_translation("\nG = \\sum_{i} R_i \\text{direct}\n", "chapters/05_macro_value")
    assert not translations.needs_no_translation("The report says so.", "chapters/05_macro_value")
    assert translations.needs_no_translation("period 阶段", translations.GENERATED)
    assert not translations.needs_no_translation("period", translations.GENERATED)


def _catalogue(tmp_path: Path, entries: list[tuple[str, str, bool]]) -> Path:
    catalogue = Catalog(locale="zh_CN")
    for msgid, msgstr, fuzzy in entries:
        catalogue.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    path = tmp_path / "zh_CN" / "LC_MESSAGES" / "page.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return path


def test_check_keeps_the_code_of_a_generated_cell(tmp_path):
    path = _catalogue(tmp_path, [("one of: `stated`, `added`", "取值之一：`stated`（报告明言）、added", False),
                                 ("one of: `a`", "取值之一：`a`", False)])
    path.rename(path.with_name(f"{translations.GENERATED}.po"))
    kinds = {p.msgid: p.kind for p in translations.check(None, tmp_path)}
    assert kinds == {"one of: `stated`, `added`": "translation drops the code ['`added`']"}


def test_check_lists_untranslated_fuzzy_missing_and_broken_messages(tmp_path):
    _catalogue(tmp_path, [("Fine.", "好。", False), ("Changed.", "旧译。", True), ("New.", "", False),
                          ("Value {glue:text}`a.b:.2f`.", "数值。", False)])
    pots = tmp_path / "pot"
    pots.mkdir()
    template = Catalog()
    for msgid in ("Fine.", "Changed.", "New.", "Value {glue:text}`a.b:.2f`.", "Not yet extracted."):
        template.add(msgid)
    with (pots / "page.pot").open("wb") as handle:
        write_po(handle, template)
    kinds = {p.msgid: p.kind for p in translations.check(pots, tmp_path)}
    assert kinds["Changed."].startswith("fuzzy")
    assert kinds["New."] == "untranslated"
    assert kinds["Not yet extracted."] == "not in the catalogue"
    assert "roles or math" in kinds["Value {glue:text}`a.b:.2f`."]
    assert "Fine." not in kinds
    assert "make translations" in translations.report(translations.check(pots, tmp_path))


def test_update_marks_an_edited_message_fuzzy(tmp_path):
    _catalogue(tmp_path, [("The report counts nine sub-industries.", "报告计算了九个子行业。", False)])
    pots = tmp_path / "pot"
    pots.mkdir()
    template = Catalog()
    template.add("The report counts nine ICT sub-industries.")
    with (pots / "page.pot").open("wb") as handle:
        write_po(handle, template)
    translations.update(pots, tmp_path)
    problems = translations.check(pots, tmp_path)
    assert [(p.msgid, p.kind.split()[0]) for p in problems] == [("The report counts nine ICT sub-industries.", "fuzzy")]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return translations.extract(tmp_path_factory.mktemp("gettext") / "pot", execute=False)


def test_every_message_is_translated_and_current(extracted):
    problems = translations.check(extracted)
    assert problems == [], translations.report(problems)


def test_catalogues_cover_every_page(extracted):
    pages = set(translations.templates(extracted)) - {translations.GENERATED}
    missing = [p for p in pages if not translations.catalogue_path(p).exists()]
    assert len(pages) >= 12 and missing == []


def _edit_a_sentence(root: Path, page: str) -> str:
    """Change one word of a prose line of a page (in a copy); return the message it belongs to."""
    source = root / f"{page}.md"
    catalogue = translations._read(translations.catalogue_path(page, root / "locales"))
    messages = [m.id for m in catalogue if m.id and m.string and len(m.id) > 80 and "`" not in m.id[:60]]
    lines = source.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        start = line.strip()
        hits = [m for m in messages if len(start) > 40 and m.startswith(start)]
        if hits:
            words = line.split(" ")
            words[len(words) // 2] += " indeed"
            lines[i] = " ".join(words)
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return hits[0]
    raise AssertionError(f"no prose line of {page} starts a translated message")


EDITED = {}   # the message whose sentence the background copy edited
CHECK = ("import sys; from pathlib import Path; from lib.book import translations as t; "
         "out = t.extract(Path(sys.argv[1]), execute=False); t.update(out); "
         "p = t.check(out); print(t.report(p)); sys.exit(1 if p else 0)")
# in a copy, in the background: edit one sentence, update the catalogues as `make translations` does, check
SENTENCE_EDIT = Variant(
    "sentence edited", clean=True, priority=2,
    edit=lambda root: EDITED.update(message=_edit_a_sentence(root, "chapters/06_recommendations")),
    command=lambda copy: [sys.executable, "-c", CHECK, str(copy.root.parent / "pot")])


@pytest.mark.build
@pytest.mark.variant(SENTENCE_EDIT)
def test_an_edited_english_sentence_fails_the_check():
    """The check of a copy whose English sentence was edited fails and names the message, now fuzzy, and
    the command."""
    copy, result = SENTENCE_EDIT.result()
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 message(s)" in result.stdout, result.stdout[-3000:]
    assert "fuzzy" in result.stdout and "make translations" in result.stdout
    assert EDITED["message"][:50] in result.stdout.replace("indeed ", "")
    catalogue = translations._read(translations.catalogue_path("chapters/06_recommendations", copy.root / "locales"))
    fuzzy = [m for m in catalogue if m.fuzzy]
    assert len(fuzzy) == 1 and "indeed" in fuzzy[0].id and fuzzy[0].string  # old translation kept as a draft


def test_a_glued_count_may_be_replaced_by_its_chinese_form_in_words():
    """'{glue:text}`n:.0f` of the readings' -> '{glue:text}`n_zh`能…' ('没有一种解读能…'): the Chinese form in words
    stands for the count (without its number format); dropping the count, or a wrong key, is still caught."""
    en = "{glue:text}`iie.gap.variants_reproducing:.0f` of the {glue:text}`iie.gap.variants:.0f` readings"
    zh = "在{glue:text}`iie.gap.variants:.0f`种解读中，{glue:text}`iie.gap.variants_reproducing_zh`能复现"
    words = translations.chinese_forms(zh)
    assert words == {"iie.gap.variants_reproducing"}
    assert translations.protected(en, words) == translations.protected(zh, words)
    dropped = "在{glue:text}`iie.gap.variants:.0f`种解读中，能复现"
    assert translations.protected(en, translations.chinese_forms(dropped)) != translations.protected(dropped)
    other = zh.replace("variants:.0f", "variants:.1f")   # a number's format still has to be kept
    assert translations.protected(en, words) != translations.protected(other, words)
    page = "{glue:text}`chapters/05_macro_value.md::iie.gap.variants_reproducing:.0f`"   # another page's value
    page_zh = "{glue:text}`chapters/05_macro_value.md::iie.gap.variants_reproducing_zh:s`"   # myst-nb needs a spec here
    assert translations.protected(page, translations.chinese_forms(page_zh)) == translations.protected(
        page_zh, translations.chinese_forms(page_zh))
