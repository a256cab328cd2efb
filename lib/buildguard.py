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

LOCK_NAME = ".build.lock"
_HELD: dict[str, object] = {}   # lock path -> open file: held until this process ends


class BuildLocked(RuntimeError):
    """Another build of this checkout is running and waiting was not wanted."""


def hold_lock(build_dir: Path, wait: bool | None = None, say=print) -> None:
    """Take the checkout's build lock for the rest of this process (re-entrant within the process)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    if str(path) in _HELD:
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
    print(message.rstrip("\n"), file=sys.stderr, flush=True)
    raise SystemExit(1)
