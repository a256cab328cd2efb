"""The Chinese build started with the English one (lib/book/zh_alongside.py): it reads no page before "go", and
html-zh-finish builds it afresh when it was told to stop."""
from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

from lib.book import zh_alongside

# a stand-in for the Chinese build: waits for a word on its standard input, as wait_for_english does
CHILD = ("import sys; word = sys.stdin.readline().strip(); "
         f"sys.exit(0 if word == 'go' else {zh_alongside.STOPPED})")


def _app(tmp_path, monkeypatch):
    monkeypatch.setattr(zh_alongside, "MARKER", tmp_path / "alongside.json")
    process = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE)
    return SimpleNamespace(book_zh_process=process, book_zh_go=False), process


def _env(notebooks):
    return SimpleNamespace(doc2path=lambda d: notebooks[d])


def test_go_when_every_notebook_is_cached(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("---\nkernelspec: {name: python3}\n---\n")
    app, process = _app(tmp_path, monkeypatch)
    app.book_cache_records = {"page": 1}
    zh_alongside.release(app, _env({"page": page}), ["page"])
    zh_alongside.finish(app, None)
    assert json.loads(zh_alongside.MARKER.read_text())["returncode"] == 0 and process.returncode == 0


def test_stop_when_a_notebook_is_left_to_myst_nb(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("---\nkernelspec: {name: python3}\n---\n")
    app, process = _app(tmp_path, monkeypatch)
    app.book_cache_records = {}
    zh_alongside.release(app, _env({"page": page}), ["page"])
    zh_alongside.finish(app, None)
    assert process.returncode == zh_alongside.STOPPED and not zh_alongside.MARKER.exists()


def test_stop_when_the_english_build_ends_before_reading(tmp_path, monkeypatch):
    app, process = _app(tmp_path, monkeypatch)
    zh_alongside.finish(app, RuntimeError("the English build failed"))
    assert process.returncode == zh_alongside.STOPPED and not zh_alongside.MARKER.exists()
