"""Builds started from a process that has already imported what a build imports (tests/conftest.py).

A `jupyter-book build` spends about 1.5 s of processor time importing Sphinx, its extensions, pandas and
matplotlib before it reads a page; the suite's short builds (an edit of the shared copy, a bad input that
stops the build before any page) spend most of their time there. This server imports them once; each build
is a fork of it that runs jupyter-book's own command line (``jupyter_book.cli.main``) with the build's
arguments, environment (``PYTHONPATH`` as a new interpreter would put it on ``sys.path``), working directory
and standard streams, so the build itself runs exactly as in a new process. The book's ``lib`` is never
imported here: each copy's build imports its own.

    python tests/build_server.py SOCKET            # the server: prints "ready" once it has imported
    python -S tests/build_server.py SOCKET ARGV... # a client: one build, its exit code is the client's

The client sends its standard streams, environment and working directory; a process forked from the server
waits for the build (a fork of the server too) and sends its exit code back. A client killed (e.g. a timeout)
closes the connection and the build is killed with it.
"""
import json
import os
import select
import signal
import socket
import sys

# What every build imports before it reads a page: Sphinx's own modules, the extensions of _config.yml (by
# module name), and what lib's Sphinx extension imports from outside lib. A module missing from this list
# is imported by the build itself, as in a new process: the list only moves work, it changes nothing.
PRELOAD = [
    "jupyter_book.cli.main", "jupyter_book.config", "jupyter_book.sphinx", "sphinx.application", "sphinx.cmd.build",
    "sphinx.builders.html", "sphinx.builders.latex", "sphinx.builders.gettext", "myst_nb", "myst_nb.sphinx_ext",
    "myst_nb.core.execute", "myst_nb.sphinx_", "myst_parser.sphinx_", "sphinx_book_theme", "pydata_sphinx_theme",
    "sphinx_design", "sphinx_togglebutton", "sphinx_copybutton", "sphinx_comments", "sphinx_external_toc",
    "sphinx_multitoc_numbering", "sphinx_thebe", "sphinx_jupyterbook_latex", "sphinxcontrib.bibtex",
    "pybtex.plugin", "pybtex_docutils", "a11y_pygments", "jupyter_cache", "nbformat", "nbclient", "pandas",
    "numpy", "matplotlib", "matplotlib.pyplot", "fontTools.ttLib", "yaml", "jsonschema", "frictionless", "babel",
    "simpleeval", "docutils.parsers.rst", "jinja2", "packaging.version", "importlib_metadata",
]
MESSAGE = 1 << 20


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:   # an optional module: the build imports what it needs itself
            pass
    import sphinx.application
    for name in sphinx.application.builtin_extensions:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    assert "lib" not in sys.modules, "the build server must not import the book's lib (each copy has its own)"


def _base_path() -> list[str]:
    """sys.path of a new interpreter without its script's folder and PYTHONPATH."""
    own = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return [p for p in sys.path[1:] if p not in own]


def _build(request: dict, base_path: list[str]) -> None:
    """In the forked build process: become `argv` as a new interpreter would run it, then run jupyter-book."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.nice(max(0, request["nice"] - os.nice(0)))   # the client's priority (e.g. `nice` for a background build)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:] = [os.path.dirname(request["argv"][0]), *extra, *base_path]
    sys.argv = list(request["argv"])
    code = 0
    try:
        from jupyter_book.cli.main import main
        main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if not isinstance(exit_.code, int | None):
            print(exit_.code, file=sys.stderr)
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _serve_one(connection: socket.socket, base_path: list[str]) -> None:
    """In a process forked per client: start the build, send its exit code, or kill it if the client goes."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    data, fds, _, _ = socket.recv_fds(connection, MESSAGE, 3)
    request = json.loads(data)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        connection.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        _build(request, base_path)
    for fd in fds:
        os.close(fd)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            return
        readable, _, _ = select.select([connection, wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 512)
        if connection in readable and not connection.recv(1):   # the client is gone
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return


def _reap(*_) -> None:
    """Collect the finished per-client processes (their processor time, and their builds', counts as this
    process's children's: the suite's measured time includes it)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(path: str) -> None:
    _preload()
    base_path = _base_path()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, _reap)
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            server.close()
            try:
                _serve_one(connection, base_path)
            finally:
                os._exit(0)
        connection.close()


def client(path: str, argv: list[str]) -> int:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(path)
    request = {"argv": argv, "env": dict(os.environ), "cwd": os.getcwd(), "nice": os.nice(0)}
    socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = connection.recv(64)
        if not chunk:
            print("tests/build_server.py: the build server went away", file=sys.stderr)
            return 1
        answer += chunk
    return int(answer)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        serve(sys.argv[1])
    else:
        sys.exit(client(sys.argv[1], sys.argv[2:]))
