"""REPLICATION.md's generated tables are current, and the report's figure list is complete."""
import subprocess
import sys

from lib.analysis import replication
from lib.inputs import paths, tables


def test_report_lists_48_figures_and_15_tables():
    # the report's captions: figures 1-1..5-8 (48) and tables 1-1..5-5 (15), see ../shared/report-map.md
    items = tables.read_authored("report_figures_tables.csv", ["label", "chapter", "title_zh", "kind"])
    assert items["label"].str.startswith("fig").sum() == 48
    assert items["label"].str.startswith("tbl").sum() == 15
    assert items["label"].is_unique and (items["title_zh"].str.len() > 0).all()


def test_replication_readme_is_current():
    result = subprocess.run([sys.executable, "-m", "lib.analysis.replication", "--check"], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_map_finds_the_labels_in_the_chapters():
    found = replication.labels_in_book()
    assert found["fig-2-1"][0] == "chapters/02_landscape.md"
    assert "lib/ledger/ledger.py" in found["fig-2-1"][1]
