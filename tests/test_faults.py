"""The faults a user meets by accident (issue 25): each planted in a copy, each stopped with one clear message
whose first line names the file and line (or key), nothing executed before it when the fault is in authored
data, and the next build after restoring gives the same results.

Most faults are caught before anything runs, so they are checked at unit level (``lib.inputs.schemas``,
``lib.book.po_check``, ``lib.inputs.data``, ``lib.inputs.buildguard``, ``lib.book.cache_health``); the build-level tests use the
shared copy (tests/conftest.py) or one background build that plants a fault, builds, restores and builds again.
"""
from __future__ import annotations

import fcntl
import io
import os
import shlex
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import Variant, appended, code_cell, executed

from lib.book import cache_health, po_check
from lib.inputs import buildguard, data, paths, schemas


def _copy_data(root: Path) -> Path:
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("external"))
    return root


def _line_of(relative: str, needle: str) -> int:
    lines = (paths.DATA / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _plant(root: Path, relative: str, old: str, new: str) -> None:
    path = root / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check_cli(root: Path) -> tuple[int, list[str]]:
    """``python -m lib.inputs.schemas <root>``: exit code and printed lines (the problems first)."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = schemas.main([str(root)])
    return code, out.getvalue().splitlines()


# name: (file under data/, text to replace, replacement, needle of the line named, pieces of the first line)
AUTHORED = {
    "unbalanced quote in the values ledger": (
        "published/report_values.csv", "T5-1.2019.iie_increment,Table 5-1,", 'T5-1.2019.iie_increment,"Table 5-1,',
        "T5-1.2019.iie_increment,", ["unbalanced or misplaced double quote"]),
    "unbalanced quote swallowing rows": (   # a later quote closes it: the rows between are swallowed
        "assumptions/contribution_rates.csv", "091,0.05,0.60,", '091,"0.05,0.60,', "091,0.05,0.60,",
        ["double quote"]),
    "unbalanced quote in city sample rules": (
        "assumptions/city_sample_rules.csv", "cross_section_year,2019,", 'cross_section_year,"2019,',
        "cross_section_year,2019,", ["double quote"]),
    "unbalanced quote in the value-added method": (
        "assumptions/value_added_method.csv", "draws,2000,count,", 'draws,"2000,count,', "draws,2000,count,",
        ["double quote"]),
    "an extra cell in one row": (
        "assumptions/usd_cny_rate.csv", ",6.7518,", ",6.7518,7,", ",6.7518,", ["4 cells", "has 3 columns"]),
    "NaN as a published value": (
        "published/report_values.csv", "实际GDP,88.95,", "实际GDP,NaN,", "实际GDP,88.95,",
        ["column value", "'NaN'", "not a finite number"]),
    "INF as a contribution rate": (
        "assumptions/contribution_rates.csv", "090,0.05,0.60", "090,0.05,INF", "090,0.05,0.60",
        ["column r_high", "'INF'", "not a finite number"]),
    "spatial year 1017": (
        "assumptions/spatial_weights.csv", "years,2017;2018;2019,", "years,1017;2018;2019,", "years,2017;2018;2019,",
        ["column value", "2011-2021"]),
    "empty item in the spatial years": (
        "assumptions/spatial_weights.csv", "years,2017;2018;2019,", "years,2017;;2019,", "years,2017;2018;2019,",
        ["column value", "no empty item"]),
    "trend k of zero": (
        "assumptions/spatial_weights.csv", "trend_knn_k,6,", "trend_knn_k,0,", "trend_knn_k,6,",
        ["trend_knn_k must be a whole number from 1"]),
    "spatial seed too large": (
        "assumptions/spatial_weights.csv", "seed,20220701,", "seed,99999999999,", "seed,20220701,",
        ["a seed must be a whole number from 0 to 4294967295"]),
    "value-added seed too large": (
        "assumptions/value_added_method.csv", "seed,20220701,", "seed,99999999999,", "seed,20220701,",
        ["a seed must be a whole number from 0 to 4294967295"]),
}


@pytest.mark.parametrize("case", AUTHORED)
def test_authored_fault_first_line_names_its_file_and_line(tmp_path, case):
    relative, old, new, needle, pieces = AUTHORED[case]
    root = _copy_data(tmp_path)
    _plant(root, relative, old, new)
    code, lines = _check_cli(root)
    assert code == 1
    first = lines[0]
    assert first.startswith(f"data/{relative}, row {_line_of(relative, needle)}"), first
    for piece in pieces:
        assert piece in first, f"{piece!r} not in {first!r}"
    if "quote" in case:   # a file that does not parse takes no part in the cross-file rules: no other file blamed
        assert all(line.startswith(f"data/{relative}") for line in lines[:-1]), lines
    restored = _copy_data(tmp_path / "restored")
    assert schemas.problems(restored) == []


def test_header_only_file_is_refused(tmp_path):
    root = _copy_data(tmp_path)
    path = root / "data/seed_facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    path.write_text("".join(lines[:header + 1]), encoding="utf-8")
    code, out = _check_cli(root)
    assert code == 1 and out[0] == (f"data/seed_facts.csv, row {header + 1}: a header but no data row "
                                    "(a header row and at least one data row are required)")


def test_nan_is_reported_once_not_as_out_of_range(tmp_path):
    root = _copy_data(tmp_path)
    _plant(root, "assumptions/contribution_rates.csv", "090,0.05,0.60", "090,NaN,0.60")
    found = [str(p) for p in schemas.problems(root)]
    assert len(found) == 1 and "minimum" not in found[0] and "maximum" not in found[0], found


# --------------------------------------------------------------------------------------------------------
# the Chinese catalogues (make book runs python -m lib.book.po_check before the Chinese build)

def _catalogues(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    locales = tmp_path / "locales"
    shutil.copytree(paths.ROOT / "locales", locales)
    path = locales / "zh_CN/LC_MESSAGES" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return locales


def _po_line(relative: str, needle: str) -> int:
    text = (paths.ROOT / "locales/zh_CN/LC_MESSAGES" / relative).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _glued_translation() -> tuple[str, str, str]:
    """A translation in chapter 5's catalogue with a glued value, and that value."""
    import re
    text = (paths.ROOT / "locales/zh_CN/LC_MESSAGES/chapters/05_macro_value.po").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("msgstr") and "{glue:text}`" in l)
    glued = re.search(r"\{glue:text\}`[^`]+`", line).group(0)
    return line, line.replace(glued, ""), glued


PO_CASES = {
    "opening quote missing": ("appendices/claims.po", 'msgstr "报告的论断与本书的判断"', 'msgstr 报告的论断与本书的判断"',
                              "line", "opening quote is missing"),
    "unterminated string": ("appendices/claims.po", 'msgstr "报告的论断与本书的判断"', 'msgstr "报告的论断与本书的判断',
                            "line", "not closed by a double quote"),
    "fuzzy message": ("appendices/claims.po", 'msgid "The report\'s claims and the book\'s verdicts"',
                      '#, fuzzy\nmsgid "The report\'s claims and the book\'s verdicts"', "msgid", "fuzzy"),
    "comment inside a message": ("appendices/claims.po", 'msgstr "报告的论断与本书的判断"',
                                 '#, fuzzy\nmsgstr "报告的论断与本书的判断"', "line", "no msgstr"),
    "untranslated message": ("appendices/claims.po", 'msgstr "报告的论断与本书的判断"', 'msgstr ""', "msgid", "untranslated"),
}


@pytest.mark.parametrize("case", PO_CASES)
def test_catalogue_fault_is_named(tmp_path, case):
    relative, old, new, where, rule = PO_CASES[case]
    found = po_check.problems(_catalogues(tmp_path, relative, old, new))
    assert found, case
    assert relative in found[0] and rule in found[0], found[0]
    if where == "line":
        assert f"{relative}, line {_po_line(relative, old)}:" in found[0]


def test_catalogue_dropping_a_glued_value_is_refused(tmp_path):
    line, dropped, glued = _glued_translation()
    found = po_check.problems(_catalogues(tmp_path, "chapters/05_macro_value.po", line, dropped))
    assert len(found) == 1 and "chapters/05_macro_value.po" in found[0] and glued in found[0], found


def test_repository_catalogues_pass_and_make_book_checks_them_before_the_chinese_build(tmp_path, monkeypatch):
    from lib.book import edition, zh_alongside

    assert po_check.problems() == []
    plan = subprocess.run(["make", "-n", "book"], cwd=paths.ROOT, capture_output=True, text=True).stdout
    assert 0 < plan.index("BOOK_ZH_ALONGSIDE=1") < plan.index("lib.book.edition html-zh-finish")
    built, published = [], []
    monkeypatch.setattr(edition, "build_zh", lambda *a, **k: built.append(k) or 0)
    monkeypatch.setattr(edition, "publish_zh", lambda: published.append(1))
    monkeypatch.setattr(zh_alongside, "MARKER", tmp_path / "alongside.json")
    monkeypatch.setattr(zh_alongside, "LOG", tmp_path / "alongside.log")
    monkeypatch.setattr(po_check, "main", lambda argv: 1)   # a catalogue fault: no Chinese build, alongside or after
    assert edition.main(["html-zh-alongside"]) == 1 and edition.main(["html-zh-finish"]) == 1 and built == []
    monkeypatch.setattr(po_check, "main", lambda argv: 0)
    assert edition.main(["html-zh-alongside"]) == 0 and built == [{"publish": False}]   # not published yet
    assert edition.main(["html-zh-finish"]) == 0 and built[-1] == {}   # none built alongside: built now
    (tmp_path / "alongside.log").write_text("the Chinese build's log\n")
    (tmp_path / "alongside.json").write_text('{"returncode": 1}')
    assert edition.main(["html-zh-finish"]) == 1 and published == []      # failed alongside: not published
    (tmp_path / "alongside.json").write_text('{"returncode": 0}')
    assert edition.main(["html-zh-finish"]) == 0 and published == [1] and len(built) == 2
    assert not (tmp_path / "alongside.json").exists()


def test_a_build_started_by_the_lock_holder_shares_its_lock(tmp_path):
    """The Chinese edition built alongside: the English build's child shares its lock, no other process does."""
    lock = tmp_path / buildguard.LOCK_NAME
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code = (f"import sys; sys.path.insert(0, {str(paths.ROOT)!r}); from lib.inputs import buildguard\n"
                f"try:\n    buildguard.hold_lock({str(tmp_path)!r}, wait=False)\n"
                f"except buildguard.BuildLocked as e:\n    print(e); sys.exit(3)")
        for holder, expected in ((os.getpid(), 0), (1, 3)):
            env = dict(os.environ, **{buildguard.LOCK_SHARED: str(holder)})
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
            assert result.returncode == expected, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------------------
# external inputs: one message per fault, the right advice

def test_missing_shared_folder_says_how_to_obtain_once(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "search_dirs", lambda: [tmp_path / "nowhere"])
    data._load_checked.cache_clear()
    with pytest.raises(data.DataError) as err:
        data.verify_all()
    text = str(err.value)
    assert text.count("how to obtain") == 1 and text.count("looked in") == 1
    assert text.splitlines()[1].startswith("  input 'io_2018_153' (national/io_cn_2018_153_competitive.csv): file not found")


def test_checksum_mismatch_says_update_the_catalogue_if_intended(monkeypatch, tmp_path):
    from conftest import shared_data_dir

    altered = tmp_path / "data"
    shutil.copytree(shared_data_dir(), altered)
    target = altered / "national" / "macro_cn_wdi_gdp.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("2019,", "2019 ,", 1), encoding="utf-8")
    monkeypatch.setattr(paths, "search_dirs", lambda: [altered])
    data._load_checked.cache_clear()
    with pytest.raises(data.DataError) as err:
        data.verify_all()
    text = str(err.value)
    assert "macro_cn_wdi_gdp.csv): checksum mismatch" in text.splitlines()[1]
    assert "if the change was intended" in text and "data/catalogue.yml" in text
    assert "Clone the project's shared data folder" not in text   # the file is there: cloning is no answer
    data._load_checked.cache_clear()


# --------------------------------------------------------------------------------------------------------
# the build's guards

def test_atomic_write_leaves_old_or_new(tmp_path, monkeypatch):
    import errno
    import os

    target = tmp_path / "results.csv"
    buildguard.atomic_write(target, "old\n")

    def full(_):   # the disk fills while the new file is written
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        buildguard.atomic_write(target, "new\n" * 1000)
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["results.csv"]
    assert target.stat().st_mode & 0o777 != 0o600


def test_results_are_published_only_by_a_build_that_succeeded(tmp_path):
    buildguard.start(tmp_path)
    buildguard.atomic_write(buildguard.staging(tmp_path) / "results.csv", "good\n")
    assert buildguard.publish(tmp_path) == ["results.csv"]
    buildguard.start(tmp_path)
    buildguard.atomic_write(buildguard.staging(tmp_path) / "results.csv", "bad\n")
    assert buildguard.results_dir(tmp_path) == buildguard.staging(tmp_path)
    assert buildguard.discard(tmp_path) is True
    assert (tmp_path / "results" / "results.csv").read_text() == "good\n"


def test_second_build_waits_or_stops_with_a_clear_message(tmp_path):
    lock = tmp_path / buildguard.LOCK_NAME
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("pid 1, jupyter-book build, since 10:00:00\n")
        held.flush()
        code = (f"import sys; sys.path.insert(0, {str(paths.ROOT)!r}); from lib.inputs import buildguard\n"
                f"try:\n    buildguard.hold_lock({str(tmp_path)!r}, wait=False)\n"
                f"except buildguard.BuildLocked as e:\n    print(e); sys.exit(3)")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert result.returncode == 3
        assert result.stdout.startswith("another build of this checkout is running (pid 1, jupyter-book build")
    # released: the next one takes it
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unreadable_cached_notebook_is_discarded(tmp_path):
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    source = tmp_path / "page.ipynb"
    nbformat.write(notebook, source)
    cache = get_cache(str(tmp_path / "cache"))
    cache.add_nb_to_project(str(source))
    record = cache.cache_notebook_bundle(CacheBundleIn(notebook, str(source)), check_validity=False)
    said = []

    class Logger:
        def info(self, text):
            said.append(text)
    assert cache_health.usable_or_discard(cache, record, str(source), Logger()) is record and said == []
    path = tmp_path / "cache" / "executed" / record.hashkey / "base.ipynb"
    path.write_text(path.read_text()[:40])   # what a full disk leaves
    assert cache_health.usable_or_discard(cache, record, str(source), Logger()) is None
    assert len(said) == 1 and "cannot be read" in said[0] and "executed again" in said[0]
    assert cache.get_cached_project_nb(cache.list_project_records()[0].pk) is None


# --------------------------------------------------------------------------------------------------------
# in a build

def _fault_then_restore(copy):
    """Build with a fault planted (its output in fault.out / fault.err / fault.rc), restore the file, build again."""
    build = " ".join(shlex.quote(c) for c in copy.forked_command())
    where = shlex.quote(str(copy.root.parent))
    target = shlex.quote(str(copy.root / "data/published/report_values.csv"))
    return ["bash", "-c", f"{build} >{where}/fault.out 2>{where}/fault.err; echo $? >{where}/fault.rc; "
                          f"cp {where}/report_values.csv {target} && {build}"]


def _plant_quote(root: Path) -> None:
    shutil.copy(root / "data/published/report_values.csv", root.parent / "report_values.csv")
    _plant(root, "published/report_values.csv", "T5-1.2019.iie_increment,Table 5-1,",
           'T5-1.2019.iie_increment,"Table 5-1,')


FAULT_CYCLE = Variant("authored fault then restored", edit=_plant_quote, command=_fault_then_restore, priority=2)


@pytest.mark.build
@pytest.mark.variant(FAULT_CYCLE)
def test_authored_fault_stops_the_build_then_restoring_rebuilds_the_same_results(book):
    copy, result = FAULT_CYCLE.result()
    folder = copy.root.parent
    assert (folder / "fault.rc").read_text().strip() == "1"
    err, out = (folder / "fault.err").read_text(), (folder / "fault.out").read_text()
    row = _line_of("published/report_values.csv", "T5-1.2019.iie_increment,")
    assert err.splitlines()[0].startswith(f"data/published/report_values.csv, row {row}: "), err
    assert "Traceback" not in err + out and err.count("authored data check failed") == 1
    assert executed(out + err) == []
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert copy.results.read_bytes() == book.clean_results


def _cache_file(book, page: str) -> Path:
    from jupyter_cache import get_cache

    cache = get_cache(str(book.root / "_build/.jupyter_cache"))
    record = next(r for r in cache.list_cache_records() if r.uri.endswith(page))
    return book.root / "_build/.jupyter_cache/executed" / record.hashkey / "base.ipynb"


@pytest.mark.build
def test_a_truncated_cached_notebook_heals(book):
    path = _cache_file(book, "06_recommendations.md")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])   # a disk that filled during the write ...
    (book.root / "_build/.book_state/unfinished_build").write_text("the build that filled the disk failed\n")
    result = book.build()
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert sum("cannot be read" in line and "executed again" in line for line in log.splitlines()) == 1
    assert executed(log) == ["06_recommendations.md"]
    assert book.results.read_bytes() == book.clean_results


@pytest.mark.build
def test_a_failed_build_keeps_the_last_good_results_and_names_the_pages_of_a_duplicated_key(book):
    downloads = book.html / "downloads" / "results.csv"
    before = downloads.read_bytes()
    duplicate = code_cell('ledger.record("gdp.real_2015prices.2019", 1.0, "trillion yuan (2015 prices)")')
    with appended(book.root / "chapters" / "06_recommendations.md", duplicate):
        result = book.build()
    assert result.returncode != 0
    named = [line for line in result.stderr.splitlines() if line.startswith("results ledger:")]
    assert named == ["results ledger: key 'gdp.real_2015prices.2019' is recorded by more than one page: "
                     "chapters/05_macro_value and chapters/06_recommendations (a key names one value: rename one of them)"]
    assert "Traceback" not in result.stderr
    assert book.results.read_bytes() == book.clean_results and downloads.read_bytes() == before
    restored = book.build()
    assert restored.returncode == 0, (restored.stdout + restored.stderr)[-4000:]
    assert book.results.read_bytes() == book.clean_results


@pytest.mark.build
def test_a_second_build_of_the_checkout_stops_with_a_clear_message(book):
    lock = book.root / "_build" / buildguard.LOCK_NAME
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = book.build(BOOK_LOCK_WAIT="0")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[0].startswith("another build of this checkout is running")
    assert executed(result.stdout + result.stderr) == [] and "Traceback" not in result.stderr


@pytest.mark.build
def test_a_build_failing_after_writing_pages_puts_the_last_good_site_back(book):
    page = book.html / "chapters" / "03_micro_mechanisms.html"
    before = page.read_bytes()
    marker = "\nA sentence of a build that failed (fault-marker-25), see {numref}`fig-no-such-label-25`.\n"
    with appended(book.root / "chapters" / "03_micro_mechanisms.md", marker):
        result = book.build()
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "fig-no-such-label-25" in log
    assert "is the last good build's site again" in log
    assert page.read_bytes() == before
    assert "fault-marker-25" in (book.root / "_build/.failed_html/chapters/03_micro_mechanisms.html").read_text(encoding="utf-8")
    assert book.results.read_bytes() == book.clean_results
    restored = book.build()
    assert restored.returncode == 0, (restored.stdout + restored.stderr)[-4000:]
    assert executed(restored.stdout + restored.stderr) == []
    assert "fault-marker-25" not in page.read_text(encoding="utf-8")
    assert not (book.root / "_build/.failed_html").exists() and not (book.root / "_build/.last_good_html").exists()


# --------------------------------------------------------------------------------------------------------
# the Makefile's set-up: a .venv of another user, a Python that cannot install the pins

def _makefile_copy(tmp_path: Path) -> Path:
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(paths.ROOT / name, tmp_path / name)
    return tmp_path


def test_a_venv_this_user_cannot_run_is_named(tmp_path):
    root = _makefile_copy(tmp_path)
    python = root / ".venv/bin/python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o644)   # not executable for this user (as a Python under another user's home would be)
    result = subprocess.run(["make", "-s", "venv-usable"], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"ERROR: {root}/.venv belongs to user '") and "cannot be used by" in first
    assert "rm -rf .venv" in first


def test_a_python_other_than_311_says_what_to_install(tmp_path):
    root = _makefile_copy(tmp_path)
    fake = root / "python3.9"
    fake.write_text('#!/bin/sh\nif [ "$1" = --version ]; then echo "Python 3.9.2"; exit 0; fi\nexit 1\n')
    fake.chmod(0o755)
    result = subprocess.run(["make", "-s", ".venv/.installed", f"PYTHON={fake}"], cwd=root, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and not (root / ".venv").exists()
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"ERROR: PYTHON={fake} is Python 3.9.2; the pinned requirements need Python 3.11")
    assert "apt-get install python3.11 python3.11-venv" in first


# a few of the authored faults above, each in a build of its own copy (background, no cache: it must stop first)
BUILD_FAULTS = ["NaN as a published value", "spatial year 1017", "an extra cell in one row", "trend k of zero"]


def _fault_build(case: str) -> Variant:
    relative, old, new, _, _ = AUTHORED[case]
    return Variant(f"authored fault {case}", edit=lambda root: _plant(root, relative, old, new), clean=True, priority=2,
                   forked=True)


FAULT_BUILDS = {case: _fault_build(case) for case in BUILD_FAULTS}


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.variant(FAULT_BUILDS[c])) for c in BUILD_FAULTS])
def test_authored_fault_stops_the_build_first_with_its_file_and_line(case):
    relative, _, _, needle, pieces = AUTHORED[case]
    _, result = FAULT_BUILDS[case].result()
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"data/{relative}, row {_line_of(relative, needle)}"), first
    assert all(piece in first for piece in pieces), first
    assert "Traceback" not in result.stderr and executed(result.stdout + result.stderr) == []
