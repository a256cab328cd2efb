"""Build benchmark: how long the operations a maintainer repeats take on this machine.

Writes _build/bench.json (seconds unless named otherwise) and prints it. Runs in a copy of the repository
so the working tree and its cache are untouched; then times the whole test suite (as `make test` runs it).
The machine's load average is recorded before and after: on a shared machine the times are only comparable
at similar load. Usage: make bench (or python scripts/bench.py [--skip-install] [--skip-tests]).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", "external")
PROSE_CHAPTER = "chapters/02_landscape.md"  # edited by appending, so the benchmark survives chapter rewrites


def timed(cmd, env=None, cwd=None):
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(map(str, cmd))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def _children_cpu() -> float:
    """User and system time of the finished child processes (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def data_dir() -> str:
    sys.path.insert(0, str(ROOT))
    from lib.inputs import paths
    for folder in paths.search_dirs():
        if (folder / "national").is_dir():
            return str(folder)
    sys.exit("external data not found (../shared/data or BOOK_DATA_DIR)")


def execution_times(log: str) -> dict[str, float]:
    return {m[0].rsplit("/", 1)[-1]: float(m[1])
            for m in re.findall(r"(\S+\.md): Executed notebook in ([\d.]+) seconds", log)}


def pdf_only() -> None:
    """Time `make pdf` alone (both editions from a warm cache) in a copy: a clean HTML build first, untimed."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "main"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        env = dict(os.environ, PYTHONPATH=str(copy), BOOK_DATA_DIR=data_dir())
        load = round(os.getloadavg()[0], 2)
        timed([str(BIN / "jupyter-book"), "build", str(copy), "-W", "-n", "--keep-going"], env)
        timed([sys.executable, "-m", "lib.book.edition", "html-zh"], env, cwd=copy)   # `make book`, untimed
        seconds, _ = timed([sys.executable, "-m", "lib.book.edition", "pdf"], env, cwd=copy)
        print(json.dumps({"pdf_both_warm_s": round(seconds, 2), "load_avg_1min_before_build": load,
                          "load_avg_1min_end": round(os.getloadavg()[0], 2)}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-install", action="store_true", help="do not time a fresh virtualenv install")
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--pdf-only", action="store_true", help="time only `make pdf` (after an untimed build)")
    args = parser.parse_args()
    if args.pdf_only:
        return pdf_only()
    out = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "date": time.strftime("%Y-%m-%d"), "load_avg_1min_start": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "main"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        env = dict(os.environ, PYTHONPATH=str(copy), BOOK_DATA_DIR=data_dir())
        jb = [str(BIN / "jupyter-book"), "build", str(copy), "-W", "-n", "--keep-going"]

        if not args.skip_install:
            venv = Path(tmp) / "venv"
            t_venv, _ = timed([sys.executable, "-m", "venv", str(venv)])
            uv = shutil.which("uv") or (str(BIN / "uv") if (BIN / "uv").exists() else None)
            install = ([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")] if uv else
                       [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"])
            t_pip, _ = timed([*install, "-r", str(ROOT / "requirements.txt")], cwd=ROOT)
            out["install_s"] = round(t_venv + t_pip, 1)
            # the first `make book` of a fresh checkout: virtualenv, install (uv when available), data check,
            # both editions, as a new maintainer or CI meets it
            # (a shared machine: its load when it started, and the processor time of all its processes)
            fresh = Path(tmp) / "fresh"
            shutil.copytree(ROOT, fresh, ignore=IGNORE)
            out["load_avg_1min_fresh_make_book"] = round(os.getloadavg()[0], 2)
            cpu = _children_cpu()
            out["fresh_make_book_s"], _ = timed(["make", "book"], dict(os.environ, BOOK_DATA_DIR=data_dir()), cwd=fresh)
            out["fresh_make_book_s"] = round(out["fresh_make_book_s"], 1)
            out["fresh_make_book_cpu_s"] = round(_children_cpu() - cpu, 1)
            shutil.rmtree(fresh, ignore_errors=True)

        out["clean_build_s"], log = timed(jb, env)
        per_notebook = execution_times(log)
        out["execution_sum_s"] = round(sum(per_notebook.values()), 2)
        out["execution_max_s"] = round(max(per_notebook.values()), 2)
        out["execution_by_notebook_s"] = per_notebook
        out["nochange_rebuild_s"], _ = timed(jb, env)

        chapter = copy / PROSE_CHAPTER
        original = chapter.read_text(encoding="utf-8")
        chapter.write_text(original + "\nA sentence added by the benchmark.\n", encoding="utf-8")
        out["prose_edit_rebuild_s"], log = timed(jb, env)
        assert not execution_times(log), "a prose edit re-executed a notebook"

        chapter.write_text(original + "\n```{code-cell} ipython3\n:tags: [remove-cell]\nbench_marker = 1\n```\n",
                           encoding="utf-8")
        out["code_edit_rebuild_s"], log = timed(jb, env)
        out["code_edit_chapter_execution_s"] = sum(execution_times(log).values())
        chapter.write_text(original, encoding="utf-8")
        timed(jb, env)

        if shutil.which("xelatex"):   # `make pdf` after `make book`: both editions, xelatex runs side by side
            timed([sys.executable, "-m", "lib.book.edition", "html-zh"], env, cwd=copy)   # the rest of `make book`
            out["pdf_both_warm_s"], _ = timed([sys.executable, "-m", "lib.book.edition", "pdf"], env, cwd=copy)
        else:
            out["pdf_both_warm_s"] = None
            print("NOTE: xelatex missing, PDF not timed (make bench installs it as root)", file=sys.stderr)

    if not args.skip_tests:   # the whole suite, in the working tree, as `make test` runs it
        out["test_suite_s"], _ = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                                       dict(os.environ, PYTHONPATH=str(ROOT), BOOK_DATA_DIR=data_dir()), cwd=ROOT)
        out["test_suite_s"] = round(out["test_suite_s"], 1)
    out["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
    for key in ("clean_build_s", "nochange_rebuild_s", "prose_edit_rebuild_s", "code_edit_rebuild_s", "pdf_both_warm_s"):
        if out.get(key) is not None:
            out[key] = round(out[key], 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    regional = out["execution_by_notebook_s"].get("05b_employment_geography.md")
    out["targets"] = {
        "fresh_make_book_le_50s": out.get("fresh_make_book_s") is not None and out["fresh_make_book_s"] <= 50,
        "clean_build_le_0.7_execution_sum_plus_5s": out["clean_build_s"] <= 0.7 * out["execution_sum_s"] + 5,
        "regional_page_execution_le_12s": regional is not None and regional <= 12,
        "nochange_rebuild_le_3s": out["nochange_rebuild_s"] <= 3,
        "prose_edit_rebuild_le_4s": out["prose_edit_rebuild_s"] <= 4,
        "code_edit_rebuild_le_chapter_execution_plus_6s":
            out["code_edit_rebuild_s"] <= out["code_edit_chapter_execution_s"] + 6,
        "pdf_both_warm_le_35s": out["pdf_both_warm_s"] is not None and out["pdf_both_warm_s"] <= 35,
        "test_suite_le_240s": out.get("test_suite_s") is not None and out["test_suite_s"] <= 240,
    }
    target = ROOT / "_build" / "bench.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
