"""Guards around a build: one build of a checkout at a time, atomic writes, outputs replaced only by a good build.

* ``hold_lock(build_dir)``: an exclusive ``flock`` on ``_build/.build.lock``, taken when Sphinx starts. A
  second build of the same checkout says which process holds it and waits (``BOOK_LOCK_WAIT=0``: stops at
  once instead). The lock goes with the process, so a killed build never leaves a stale lock behind.
* ``atomic_write(path, data)``: write beside the target, then rename: a reader (or the next build after a
  full disk or an interruption) sees the old file or the new one, never half of one.
* ``staging(build_dir)`` / ``publish(...)``: the results ledger is written to ``_build/.staging/results``
  during the build and moved to ``_build/results`` only when the build ends without errors or warnings;
  a failed build leaves the last good ledger (and the site's downloads, copied from it) in place, and says so.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["LOCK_NAME", "LOCK_SHARED", "BuildLocked", "hold_lock", "atomic_write", "atomic_csv", "staging", "published", "results_dir", "start", "publish", "discard", "stop", "keep_last_good_site", "site_succeeded", "site_failed", "on_stop"]

LOCK_NAME = ".build.lock"
# a build started by the lock's holder, which waits for it, shares its lock (the Chinese edition built alongside the
# English one, lib/book/zh_alongside.py): the holder's pid, checked against the parent's
LOCK_SHARED = "BOOK_LOCK_SHARED_WITH"
_HELD: dict[str, object] = {}   # lock path -> open file: held until this process ends


class BuildLocked(RuntimeError):
    """Another build of this checkout is running and waiting was not wanted."""


def hold_lock(build_dir: Path, wait: bool | None = None, say=print) -> None:
    """Take the checkout's build lock for the rest of this process (re-entrant within the process)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    if str(path) in _HELD or os.environ.get(LOCK_SHARED) == str(os.getppid()):
        return
    if wait is None:
        wait = os.environ.get("BOOK_LOCK_WAIT", "1") not in ("0", "no", "false")
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        message = (f"another build of this checkout is running ({holder}; lock {path}): two builds at once would "
                   "run every notebook twice and break each other's cache")
        if not wait:
            handle.close()
            raise BuildLocked(message + ". Wait for it to finish, then build again.") from None
        say(f"[book] {message}; waiting for it to finish (Ctrl-C to stop)")
        started = time.monotonic()
        fcntl.flock(handle, fcntl.LOCK_EX)
        say(f"[book] the other build finished after {time.monotonic() - started:.0f} s; building now")
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}, {' '.join(Path(a).name for a in sys.argv[:3])}, "
                 f"since {time.strftime('%H:%M:%S')}\n")
    handle.flush()
    _HELD[str(path)] = handle


def atomic_write(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; the file gets the mode open() would give it
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_csv(frame, path: Path, **options) -> None:
    """``frame.to_csv(path, **options)``, atomically."""
    atomic_write(path, frame.to_csv(None, **options))


def staging(build_dir: Path) -> Path:
    """Where this build writes its results ledger until it has succeeded."""
    return Path(build_dir) / ".staging" / "results"


def published(build_dir: Path) -> Path:
    return Path(build_dir) / "results"


def results_dir(build_dir: Path) -> Path:
    """The ledger files to read now: this build's staging folder when it has one, else the published one."""
    stage = staging(build_dir)
    return stage if stage.is_dir() and any(stage.iterdir()) else published(build_dir)


def start(build_dir: Path) -> None:
    """A build starts: an empty staging folder (left-overs of an interrupted build are discarded)."""
    stage = staging(build_dir)
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)


def publish(build_dir: Path) -> list[str]:
    """The build succeeded: move each staged file over its published copy (one rename each)."""
    stage, target = staging(build_dir), published(build_dir)
    if not stage.is_dir():
        return []
    target.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in sorted(stage.iterdir()):
        os.replace(path, target / path.name)
        moved.append(path.name)
    shutil.rmtree(stage.parent, ignore_errors=True)
    return moved


def discard(build_dir: Path) -> bool:
    """The build failed: drop its staged results; True when a last good ledger remains published."""
    shutil.rmtree(staging(build_dir).parent, ignore_errors=True)
    return (published(build_dir) / "results.csv").exists()


def stop(message: str) -> None:
    """Stop the build on a problem a check has explained: the message once, on stderr (its first line names the
    first fault), and no traceback under it (jupyter-book prints one for any exception; SystemExit passes)."""
    sys.stdout.flush()
    said = []
    for hook in _ON_STOP:
        try:
            said.append(hook())
        except Exception as err:   # never hide the message itself
            said.append(f"(could not restore the last good output: {err})")
    print(message.rstrip("\n"), file=sys.stderr, flush=True)
    for line in filter(None, said):
        print(line, file=sys.stderr, flush=True)
    raise SystemExit(1)


# --- the site: the last good one is kept aside while a build writes, and put back if the build fails ----------
# Sphinx writes the pages in place (and an incremental build needs the old ones there), so the last good site is
# copied aside when a build starts, dropped when it succeeds, and put back when it fails; the failed build's
# pages are kept in _build/.failed_html for a look. The next build re-reads every page after a failure.

LAST_GOOD, FAILED = ".last_good_html", ".failed_html"
_ON_STOP: list = []


def keep_last_good_site(html: Path, last_build_succeeded: bool) -> None:
    """A build starts: copy the site aside (unless the copy from before a failed build is still there)."""
    html = Path(html)
    aside = html.parent / LAST_GOOD
    if last_build_succeeded or not aside.exists():
        if aside.exists():
            shutil.rmtree(aside)
        if html.is_dir() and (html / "index.html").exists():
            shutil.copytree(html, aside, symlinks=True)


def site_succeeded(html: Path) -> None:
    shutil.rmtree(Path(html).parent / LAST_GOOD, ignore_errors=True)
    shutil.rmtree(Path(html).parent / FAILED, ignore_errors=True)


def site_failed(html: Path) -> str:
    """Put the last good site back; say where things are."""
    html = Path(html)
    aside, failed = html.parent / LAST_GOOD, html.parent / FAILED
    if not aside.exists():
        return f"{html} holds this failed build's pages (no build has succeeded here yet)"
    shutil.rmtree(failed, ignore_errors=True)
    if html.exists():
        os.replace(html, failed)
    os.replace(aside, html)
    return f"{html} is the last good build's site again (this build's pages are in {failed})"


def on_stop(hook) -> None:
    """``hook()`` runs when ``stop`` ends the build (SystemExit bypasses Sphinx's build-finished event)."""
    _ON_STOP.append(hook)
