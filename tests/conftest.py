"""The book copy the build tests share, and the builds that run in the background beside them.

At the end of collection a copy of the repository starts its clean build while the library tests run.
When it has finished, a snapshot of that state is taken and the builds declared as ``Variant`` (the Chinese
edition, a lib edit, a second clean build, the PDF, an assumption edit, bad inputs, an edited sentence) run
two at a time in the background, each in its own copy, while the tests that edit the shared copy and the browser tests go on in the foreground.
Tests marked ``variant(v)`` read the build ``v``; they run last, in the order the builds run.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lib.inputs import paths

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", "external")
PDF_TOOLS = ("xelatex", "latexmk", "pdftotext", "pdffonts")
# background work yields the cores to the tests in the foreground, and takes them when those are done
NICE = ["nice", "-n", "10"] if shutil.which("nice") else []


def shared_data_dir() -> Path:
    """Where the external inputs are (the loader's own search order, minus data/external)."""
    for folder in paths.search_dirs():
        if (folder / "national").is_dir():
            return folder
    pytest.fail("external data not found: put ../shared beside the checkout or set BOOK_DATA_DIR")


class BookCopy:
    """A copy of the repository in a temporary folder, built with its own lib and _build."""

    def __init__(self, root: Path, data_dir: Path):
        self.root, self.data_dir = root, data_dir
        self.clean_build: subprocess.CompletedProcess | None = None   # the session's first, clean build
        self.clean_results: bytes | None = None                       # its results ledger

    def env(self, **extra):
        env = dict(os.environ, PYTHONPATH=str(self.root), BOOK_DATA_DIR=str(self.data_dir))
        env.update(extra)
        return env

    def command(self, *options) -> list[str]:
        return [str(JUPYTER_BOOK), "build", str(self.root), *options, "-W", "-n", "--keep-going"]

    def forked_command(self, *options) -> list[str]:
        """The same build, run by a fork of the build server (tests/build_server.py), which has imported
        Sphinx and its extensions already: the command's streams, environment and exit code are the build's."""
        return [sys.executable, "-S", str(BUILD_SERVER), _build_server(), *self.command(*options)]

    def build(self, **extra_env) -> subprocess.CompletedProcess:
        return subprocess.run(self.forked_command(), capture_output=True, text=True, env=self.env(**extra_env),
                              timeout=3600)

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.root / "_build" / "results" / "results.csv"


class Variant:
    """A build of its own copy of the book, made from the clean build's snapshot (``clean=True``: from its
    sources alone), after ``edit(root)``; it runs in the background and ``result()`` waits for it.
    ``command(copy)`` gives the command (default: ``jupyter-book build`` with ``options``; ``forked=True``: the
    same build forked from the build server, for a short build whose time is mostly imports). Variants run two
    at a time (one on a single core), by ``priority`` (lower first: the long builds before the short), then
    in the order they were declared."""

    registered: list["Variant"] = []

    def __init__(self, name: str, edit=None, clean=False, options=(), tools=(), command=None, priority=1,
                 forked=False):
        self.name, self.edit, self.clean, self.tools = name, edit, clean, tools
        default = (lambda copy: copy.forked_command(*options)) if forked else (lambda copy: copy.command(*options))
        self.command, self.priority = command or default, priority
        self.wanted, self.future, self.process, self.copy, self.seconds = True, None, None, None, None
        Variant.registered.append(self)

    def start(self, snapshot: Path, data_dir: Path, jobs: ThreadPoolExecutor) -> None:
        if self.wanted and all(shutil.which(tool) for tool in self.tools):
            self.future = jobs.submit(self._run, snapshot, data_dir)

    def _run(self, snapshot: Path, data_dir: Path) -> subprocess.CompletedProcess:
        root = snapshot.parent.parent / re.sub(r"[^A-Za-z0-9]+", "-", self.name) / "main"
        shutil.copytree(snapshot, root, symlinks=True, ignore=shutil.ignore_patterns("_build") if self.clean else None)
        self.copy = BookCopy(root, data_dir)
        if self.edit is not None:
            self.edit(root)
        started = time.perf_counter()
        self.process = subprocess.Popen([*NICE, *self.command(self.copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=self.copy.env(), cwd=root)
        out, err = self.process.communicate(timeout=3600)
        self.seconds = time.perf_counter() - started
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)

    def result(self) -> tuple[BookCopy, subprocess.CompletedProcess]:
        """The copy and its build's result, once the build has finished."""
        _shared_book()
        if self.future is None:
            pytest.fail(f"the background build '{self.name}' did not start (the clean build failed?)")
        result = self.future.result()   # first: the copy is made in the background
        return self.copy, result

    def stop(self) -> None:
        if self.future is not None:
            self.future.cancel()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()


# The Chinese edition of the clean build's state, built from its execution (tests/test_site*.py read it).
EDITIONS = Variant("editions", command=lambda copy: [sys.executable, "-m", "lib.book.edition", "html-zh"],
                   priority=0)


class Background:
    """A command running while the tests go on; ``wait()`` gives its CompletedProcess."""

    def __init__(self, cmd, env, log_stem: Path):
        self.cmd, self.result = cmd, None
        self.out, self.err = open(f"{log_stem}.out", "w+"), open(f"{log_stem}.err", "w+")
        self.process = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, text=True, env=env)

    def wait(self) -> subprocess.CompletedProcess:
        if self.result is None:
            code = self.process.wait(timeout=3600)
            self.out.seek(0), self.err.seek(0)
            self.result = subprocess.CompletedProcess(self.cmd, code, self.out.read(), self.err.read())
            self.out.close(), self.err.close()
        return self.result


_session = {}
BUILD_SERVER = Path(__file__).with_name("build_server.py")
_server_lock = threading.Lock()


def _build_server() -> str:
    """The socket of the build server (tests/build_server.py), started on first use; once it has imported."""
    with _server_lock:
        if "build_server" not in _session:
            socket_path = str(Path(tempfile.mkdtemp(prefix="bs-")) / "socket")
            process = subprocess.Popen([sys.executable, str(BUILD_SERVER), socket_path], stdout=subprocess.PIPE,
                                       text=True, cwd=paths.ROOT)
            if process.stdout.readline().strip() != "ready":
                pytest.fail("the build server (tests/build_server.py) did not start")
            _session["build_server"] = (process, socket_path)
        return _session["build_server"][1]


def _needs_book(item) -> bool:
    return "book" in getattr(item, "fixturenames", ()) or bool(item.get_closest_marker("build"))


def _variant(item) -> Variant | None:
    marker = item.get_closest_marker("variant")
    return marker.args[0] if marker else None


def _queue_position(variant: Variant) -> tuple[int, int]:
    return variant.priority, Variant.registered.index(variant)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Tests that do not need the built book run first, while its clean build runs beside them on the other
    core; then the tests that use the shared copy, in their files' order; last the tests that read a
    background build (marked ``variant``), in the order those builds run. Only the background builds some
    selected test reads are started."""
    waiting = sorted((item for item in items if _variant(item)), key=lambda item: _queue_position(_variant(item)))
    book = [item for item in items if _needs_book(item) and not _variant(item)]
    items[:] = [item for item in items if not _needs_book(item) and not _variant(item)] + book + waiting
    _session["build_tests"] = bool(book or waiting)
    used = {id(_variant(item)) for item in waiting}
    for variant in Variant.registered:
        variant.wanted = id(variant) in used
    EDITIONS.wanted = any({"editions", "reader"} & set(getattr(item, "fixturenames", ())) for item in items)
    _session["reads"] = any("reader" in getattr(item, "fixturenames", ()) for item in items)


def _new_copy() -> BookCopy:
    """A copy of the repository whose clean build starts now; a thread waits for it, then takes the
    snapshot and starts the background builds."""
    root = Path(tempfile.mkdtemp(prefix="book-")) / "main"
    shutil.copytree(paths.ROOT, root, ignore=COPY_IGNORE)
    book = BookCopy(root, shared_data_dir())
    _session["clean_build"] = Background(book.command(), book.env(), root.parent / "clean-build")
    _session["after_clean_build"] = threading.Thread(target=_after_clean_build, args=(book,), daemon=True)
    _session["after_clean_build"].start()
    return book


def pytest_collection_finish(session):
    if _session.get("build_tests") and not session.config.option.collectonly:
        _session["book"] = _new_copy()
        threading.Thread(target=_build_server, daemon=True).start()   # its imports, while the library tests run


def _after_clean_build(book: BookCopy) -> None:
    """Once the clean build has finished: snapshot its state (before any test edits the shared copy, which
    waits for this) and start the background builds, in the queue's order."""
    result = _session["clean_build"].wait()
    try:
        if result.returncode == 0:
            book.clean_results = book.results.read_bytes()
            snapshot = book.root.parent / "snapshot" / "main"
            shutil.copytree(book.root, snapshot, symlinks=True)
            workers = max(1, min(2, os.cpu_count() or 1))
            _session["jobs"] = jobs = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background-build")
            for variant in sorted(Variant.registered, key=_queue_position):
                variant.start(snapshot, book.data_dir, jobs)
            if EDITIONS.future is not None and _session.get("reads"):
                EDITIONS.future.add_done_callback(lambda _: _start_reading())
    except BaseException as exc:   # raised again in the test that waits for this
        _session["after_clean_build_error"] = exc
    finally:
        book.clean_build = result


def _clean_build(book: BookCopy) -> None:
    """Wait until the clean build has finished and the background builds have started."""
    _session["after_clean_build"].join()
    if "after_clean_build_error" in _session:
        raise _session["after_clean_build_error"]


# --- the site read in a browser, in a process of its own, once both editions are built (tests/reader.py) ---

READS: list[str] = []


def reads(*keys: str) -> None:
    """Pages ("name@width") a test module reads through the ``reader`` fixture, to be read beforehand."""
    READS.extend(key for key in keys if key not in READS)


def _start_reading() -> None:
    from reader import browser_missing
    result = EDITIONS.future.result() if not EDITIONS.future.cancelled() else None
    if result is None or result.returncode != 0 or browser_missing():
        return
    copy = EDITIONS.copy
    command = [*NICE, sys.executable, str(Path(__file__).parent / "reader.py"), str(copy.html),
               str(copy.root.parent / "reads.json"), str(paths.BUILD / "screenshots"), *READS]
    _session["reading"] = Background(command, copy.env(), copy.root.parent / "reading")


def pytest_sessionfinish(session):
    for variant in Variant.registered:
        variant.stop()
    if "jobs" in _session:
        _session["jobs"].shutdown(wait=True, cancel_futures=True)
    if "build_server" in _session:
        process, socket_path = _session.pop("build_server")
        process.kill()
        process.wait()
        shutil.rmtree(Path(socket_path).parent, ignore_errors=True)
    book = _session.get("book")
    if book is not None:
        for name in ("clean_build", "reading"):
            job = _session.get(name)
            if job is not None and job.process.poll() is None:
                job.process.kill()
        if not os.environ.get("BOOK_KEEP_TEST_COPY"):
            shutil.rmtree(book.root.parent, ignore_errors=True)


def _shared_book() -> BookCopy:
    """The shared copy, once its clean build has finished (started now if collection did not start it)."""
    if "book" not in _session:   # collected without build tests (e.g. -m 'not build' -k ...)
        _session["book"] = _new_copy()
    _clean_build(_session["book"])
    return _session["book"]


@pytest.fixture(scope="session")
def book() -> BookCopy:
    """The copy of the repository, once its clean build (started beside the other tests) has finished;
    the result is in ``book.clean_build``, its ledger in ``book.clean_results``."""
    return _shared_book()


@pytest.fixture(scope="session")
def editions(book):
    """A copy of the clean build's state with the Chinese edition built beside the English one (in the
    background, from the English execution): (that copy, the Chinese build's log)."""
    copy, result = EDITIONS.result()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return copy, result.stdout + result.stderr


@pytest.fixture(scope="session")
def reader(editions):
    """Both editions served locally: the pages read beforehand in headless Chromium, and a live browser
    (tests/reader.py)."""
    from reader import Reader, browser_missing
    if browser_missing():
        pytest.skip(f"SKIPPED LOUDLY: {browser_missing()}")
    copy, _ = editions
    if "reading" not in _session:
        pytest.fail("the pages were not read: the process reading them did not start (see tests/conftest.py)")
    result = _session["reading"].wait()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    site = Reader(copy.html, json.loads((copy.root.parent / "reads.json").read_text(encoding="utf-8")))
    yield site
    site.close()


def executed(log: str) -> list[str]:
    """Pages myst-nb executed (rather than took from the cache) in a build log."""
    return sorted(line.split(": Executing notebook")[0].rsplit("/", 1)[-1]
                  for line in log.splitlines() if ": Executing notebook" in line)


def code_cell(source: str) -> str:
    return f"\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n{source}\n```\n"


@contextlib.contextmanager
def appended(path: Path, text: str):
    """Append ``text`` to a file for the duration of a block, then restore it (independent of its content)."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original + text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")
