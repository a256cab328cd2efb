"""Chapters are literate programs: short analysis cells a reader can open, the computation in lib/.

The rule, precisely (chapters/*.md, every code cell as myst-nb reads it):

* no code cell has more than MAX_LINES non-blank lines;
* a cell is *plumbing* when every statement in it is one of: an import; a call of
  ``ledger.glue_published(...)`` (gluing the report's published values for the prose); an assignment of
  a constant (``x = 3``, ``YEARS = [2019, 2020]``, anything ``ast.literal_eval`` accepts), a ``for`` loop
  over a constant whose body is plumbing (``for prefix in ("T5-3.", "T5-4."): ledger.glue_published(prefix)``),
  or an IPython magic line (``%...``). Blank lines and comments do not count. Anything else is an *analysis* cell;
* only plumbing may be hidden completely (``remove-cell``, ``remove-input``); an analysis cell opens with
  a one-line ``# comment`` saying what it does and is tagged ``hide-input`` (shown collapsed).
"""
import ast
from pathlib import Path

import pytest
from myst_nb.core.read import read_myst_markdown_notebook

from lib.inputs import paths

MAX_LINES = 15
HIDDEN = {"remove-cell", "remove-input"}
PLUMBING_CALLS = {("ledger", "glue_published")}
CHAPTERS = sorted((paths.ROOT / "chapters").glob("*.md"))


def code_cells(path: Path):
    """(cell number, source, tags) of every code cell of a MyST notebook page."""
    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=str(path))
    return [(i, cell.source, set(cell.metadata.get("tags", []))) for i, cell in
            enumerate(c for c in notebook.cells if c.cell_type == "code")]


def _is_constant(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def _is_plumbing_statement(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.For):
        return _is_constant(node.iter) and not node.orelse and all(_is_plumbing_statement(n) for n in node.body)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and (func.value.id, func.attr) in PLUMBING_CALLS)
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return _is_constant(node.value)
    return False


def is_plumbing(source: str) -> bool:
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
    return all(_is_plumbing_statement(node) for node in ast.parse(code).body)


def non_blank_lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip())


def _where(path: Path, number: int, source: str) -> str:
    first = next((line for line in source.splitlines() if line.strip()), "")
    return f"{path.name} code cell {number + 1} ({first.strip()[:60]!r})"


# --- the rule itself ------------------------------------------------------------------------------------

def test_rule_tells_plumbing_from_analysis():
    assert is_plumbing("from lib.ledger import ledger\nfrom lib.present import charts\nimport pandas as pd\n")
    assert is_plumbing("%matplotlib inline\nledger.glue_published('T5-1.')\nYEARS = [2019, 2020]\n# note\n")
    assert not is_plumbing("import pandas as pd\nframe = pd.read_csv('x.csv')\n")
    assert not is_plumbing("ledger.record('gdp.real', 1.0, 'tn yuan')\n")
    assert not is_plumbing("charts.glue_figure('fig-5-1', fig)\n")
    assert is_plumbing("for prefix in ('T5-3.', 'T5-4.'):\n    ledger.glue_published(prefix)\n")
    assert not is_plumbing("for prefix in prefixes:\n    ledger.glue_published(prefix)\n")
    assert not is_plumbing("for p in ('a',):\n    ledger.record(p, 1.0, 'x')\n")
    assert non_blank_lines("a = 1\n\n  \nb = 2\n") == 2


def test_chapters_have_code_cells():
    assert CHAPTERS and sum(len(code_cells(path)) for path in CHAPTERS) > 0


# --- the chapters ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_code_cell_is_longer_than_15_lines(path):
    long = [f"{_where(path, n, src)}: {non_blank_lines(src)} lines" for n, src, _ in code_cells(path)
            if non_blank_lines(src) > MAX_LINES]
    assert long == [], "move the computation into lib/ (with a unit test):\n" + "\n".join(long)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_only_plumbing_is_removed(path):
    hidden = [_where(path, n, src) for n, src, tags in code_cells(path) if tags & HIDDEN and not is_plumbing(src)]
    assert hidden == [], "analysis cells must be shown collapsed (hide-input), not removed:\n" + "\n".join(hidden)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_analysis_cells_open_with_a_comment_and_are_collapsed(path):
    bad = []
    for n, src, tags in code_cells(path):
        if is_plumbing(src):
            continue
        first = next((line for line in src.splitlines() if line.strip()), "")
        if not first.startswith("# ") or "hide-input" not in tags:
            bad.append(_where(path, n, src))
    assert bad == [], "open with a one-line '# what this does' and tag hide-input:\n" + "\n".join(bad)
