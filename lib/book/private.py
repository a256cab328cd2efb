"""Every use of a non-public name of Sphinx, docutils, myst-nb, jupyter-book, jupyter-cache or nbclient, in one place.

Each function below says what it does, which internal it leans on, and which public alternative was tried.
One version gate (``check_versions``, run first at ``builder-inited`` by both extensions of the book,
``lib.book.book_extension`` and ``lib.book.edition``) stops a build on any other version of the six packages
than the versions this module was checked against, naming the package, the installed and the expected version:
an upgrade stops loudly instead of breaking silently. To upgrade: re-check each function here against the new
version, then update ``requirements.txt`` (the gate reads the expected versions from its pins).

The one internal outside this module is the writer of glued tables, ``lib.present.charts.glue_table`` (the
presentation layer may not import the book layer): it glues an object whose ``__repr__`` is the table as JSON,
because myst-nb glues only MIME bundles and ``{glue:text}`` renders the ``text/plain`` one;
``glued_table_payload`` below reads it back.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import json
import re
from importlib import metadata
from pathlib import Path

from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.execute import cache as mystnb_cache
from myst_nb.core.execute import direct as mystnb_direct
from sphinx.builders.gettext import MsgOrigin
from sphinx.errors import ExtensionError
from sphinx.util.logging import is_suppressed_warning as suppressed

from lib.inputs import paths

__all__ = ["CHECKED_PACKAGES", "pinned_versions", "check_versions", "on_builder_inited_check_versions",
           "connect_version_gate", "toc_fignumbers", "set_toc_fignumbers", "script_key", "memoized_get_doctree",
           "execute_notebook", "cache_bundle", "glued_outputs", "glued_record", "glued_table_payload",
           "is_suppressed_warning", "page_glue", "glue_sources", "patch_glue_lookup", "add_gettext_message", "build_sphinx",
           "IOPUB", "set_iopub_defaults", "ZH_GLUE", "has_glue"]

# The distributions whose internals this module uses (names as on PyPI; versions from requirements.txt).
CHECKED_PACKAGES = ("Sphinx", "docutils", "myst-nb", "jupyter-book", "jupyter-cache", "nbclient")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_versions(requirements: Path | None = None) -> dict[str, str]:
    """{normalised name: version} of every ``name==version`` line of requirements.txt."""
    pins = {}
    for line in (requirements or paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.strip().partition("==")
        if version:
            pins[_normal(name)] = version.strip()
    return pins


def check_versions(installed=metadata.version, requirements: Path | None = None) -> None:
    """Raise ``ExtensionError`` naming each of ``CHECKED_PACKAGES`` whose installed version is not the pinned one."""
    pins = pinned_versions(requirements)
    wrong = []
    for package in CHECKED_PACKAGES:
        expected = pins.get(_normal(package))
        try:
            found = installed(package)
        except metadata.PackageNotFoundError:
            found = "not installed"
        if expected is None:
            wrong.append(f"{package} is not pinned in requirements.txt")
        elif found != expected:
            wrong.append(f"{package} {found} is installed, but lib/book/private.py was written for {package} {expected}")
    if wrong:
        raise ExtensionError(
            "version gate: " + "; ".join(wrong) + ". Install the pins (`make book` does), or, to upgrade, re-check "
            "every function of lib/book/private.py against the new versions and update requirements.txt. Checked: "
            + ", ".join(f"{p} {pins.get(_normal(p), '?')}" for p in CHECKED_PACKAGES) + ".")


def on_builder_inited_check_versions(app) -> None:
    check_versions()


def connect_version_gate(app) -> None:
    """Run the gate first thing at ``builder-inited`` (once, whichever of the book's extensions asks)."""
    if not getattr(app, "book_version_gate", False):
        app.book_version_gate = True
        app.connect("builder-inited", on_builder_inited_check_versions, priority=1)


# --- Sphinx ---------------------------------------------------------------------------------------------------

def toc_fignumbers(env) -> dict:
    """Sphinx's figure/table/equation numbers, ``env.toc_fignumbers`` (an attribute of BuildEnvironment that
    TocTreeCollector fills and every builder reads). Public alternative tried: ``numfig_format`` only changes the
    words around the numbers, and the report's numbers ('5-1', not page order) cannot be expressed with it."""
    return env.toc_fignumbers


def set_toc_fignumbers(env, numbers: dict) -> None:
    """Replace ``env.toc_fignumbers`` (see ``toc_fignumbers``)."""
    env.toc_fignumbers = numbers


def script_key(script) -> str:
    """What identifies one of the page context's ``script_files`` items: Sphinx's ``_JavaScript`` objects carry
    the arguments of the public ``app.add_js_file`` as ``filename`` and ``attributes``. Public alternative tried:
    no config value stops jupyter-book registering sphinx-thebe's and sphinx-togglebutton's scripts twice."""
    filename = getattr(script, "filename", str(script)) or ""
    return filename or repr(sorted(getattr(script, "attributes", {}).items()))  # a file once, an inline body once


@contextlib.contextmanager
def memoized_get_doctree(env, memo: dict):
    """While resolving one {numref}, serve ``env.get_doctree`` from ``memo`` (replaced on the instance, restored
    after). Public alternative tried: overriding ``StandardDomain.resolve_xref`` alone (public) cannot stop it
    unpickling the target page, ~30 ms for each of 128 {numref}s; if Sphinx stops calling ``env.get_doctree``,
    the memo simply goes unused."""
    real = env.get_doctree
    env.get_doctree = lambda docname: memo[docname] if docname in memo else memo.setdefault(docname, real(docname))
    try:
        yield
    finally:
        del env.get_doctree


def is_suppressed_warning(kind: str, subtype: str, suppress_warnings) -> bool:
    """Whether ``suppress_warnings`` silences a warning (``sphinx.util.logging.is_suppressed_warning``, not in
    Sphinx's documented API). Public alternative tried: Sphinx's ``WarningIsErrorFilter`` is internal too, and
    counting in ``warning`` events misses warnings logged outside a build phase."""
    return suppressed(kind, subtype, suppress_warnings)


def add_gettext_message(app, domain: str, text: str, source: str) -> None:
    """Add a message to the gettext builder's catalogue ``domain`` (``builder.catalogs`` and ``MsgOrigin`` of
    ``sphinx.builders.gettext``). Public alternative tried: the Locale transform and ``gettext_additional_targets``
    see only nodes with a source, and the headers of tables that code generates have none."""
    app.builder.catalogs[domain].add(text, MsgOrigin(source, 0))


# --- jupyter-cache and nbclient ----------------------------------------------------------------------------------

# nbclient waits only 4 s for a cell's outputs after the kernel has replied, then drops the rest with a log line:
# on a loaded machine a cell that glues hundreds of values (the regional pages) lost some of them, the page then
# failed on missing glue keys, and the truncated notebook stayed in the cache. Wait longer, and fail rather than drop.
IOPUB = {"iopub_timeout": 120, "raise_on_iopub_timeout": True}


def set_iopub_defaults() -> None:
    """The same for the notebooks myst-nb executes itself (in series, or its retry after the pool): myst-nb calls
    jupyter-cache's ``single_nb_execution`` without nbclient options (no config value of myst-nb reaches them), so
    its two references to that function are wrapped to pass ``IOPUB``. Public alternative tried: nbclient's traits
    are class defaults that traitlets caches when the class is created, so setting them later has no effect."""
    for module in (mystnb_cache, mystnb_direct):
        if not getattr(module.single_nb_execution, "book_iopub", False):
            wrapped = functools.partial(module.single_nb_execution, **IOPUB)
            wrapped.book_iopub = True
            module.single_nb_execution = wrapped


def execute_notebook(notebook, cwd: str, timeout, allow_errors: bool, extra_arguments: list[str]):
    """Execute one notebook as myst-nb's cache mode does: ``jupyter_cache.executors.utils.single_nb_execution``
    (nbclient underneath, with myst-nb's ``meta_override``). Public alternative tried: jupyter-cache's own
    ``local-parallel`` executor runs the whole project (all notebooks, not the pages Sphinx is about to read),
    ignores the longest-first order, and cannot pass the kernel's ``extra_arguments``.
    Returns (seconds, error text or None)."""
    result = single_nb_execution(notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors, meta_override=True,
                                 extra_arguments=extra_arguments, **IOPUB)
    return result.time, (result.exc_string if result.err is not None else None)


def cache_bundle(cache, notebook, uri: str, data: dict):
    """Store an executed notebook in the jupyter-cache (``jupyter_cache.base.CacheBundleIn``, the argument type of
    the public ``cache_notebook_bundle`` that the package does not export at its top level)."""
    return cache.cache_notebook_bundle(CacheBundleIn(notebook, uri, data=data), check_validity=False, overwrite=True)



# --- myst-nb's glue -------------------------------------------------------------------------------------------

def glued_outputs(notebook) -> dict:
    """{name: mime bundle} of every value a notebook glued: myst-nb's ``glue`` marks its outputs with
    ``metadata.scrapbook`` = {name, mime_prefix} (undocumented), the bundle stored under the prefix when not
    displayed. Public alternative tried: myst-nb's glue is read only while rendering a page, not for a build-wide
    collection such as the results ledger."""
    glued = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            mark = output.get("metadata", {}).get("scrapbook")
            if mark:
                prefix = mark.get("mime_prefix", "")
                glued[mark["name"]] = {k[len(prefix):] if k.startswith(prefix) else k: v
                                       for k, v in output.get("data", {}).items()}
    return glued


def glued_record(bundle: dict, mime: str = "text/plain") -> dict:
    """A dict glued by ``ledger.record``, back from its ``text/plain`` representation (a Python literal)."""
    return dict(ast.literal_eval(bundle[mime]))


def glued_table_payload(text: str) -> dict:
    """A table glued by ``charts.glue_table`` (its ``__repr__`` is JSON), from the text of ``{glue:text}``;
    myst-nb's role turns text that is a Python literal into its ``str()``, hence the second reading."""
    try:
        return json.loads(text)
    except ValueError:
        return ast.literal_eval(text)


def _glue_file(env, docname: str) -> Path:
    return Path(env.mystnb_config.output_folder).joinpath(*f"{docname}.glue.json".split("/"))


def page_glue(env) -> dict:
    """The glue data of the page being read, from the ``<page>.glue.json`` file myst-nb writes beside the executed
    notebook (an undocumented file), and, for a page that pastes what other pages compute (``book_glue_from``,
    e.g. chapter 7 from chapters 5 and 5b), theirs under it. Public alternative tried: none exposes another page's
    glue at read time (myst-nb's ``{glue:text}`doc::key``` pastes only text and images, without the Chinese forms
    or the book's glued tables)."""
    if env is None or not getattr(env, "docname", None):
        return {}
    # a page that pastes glues nothing itself: a glue file of its own is left from a build before it pasted
    files = [_glue_file(env, d) for d in (glue_sources(env) or (env.docname,))]
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())
    if env.temp_data.get("book_glue_key") != key:
        glued = {}
        for path in files:
            if path.exists():
                glued.update(json.loads(path.read_text(encoding="utf-8")))
        env.temp_data["book_glue_key"], env.temp_data["book_glue"] = key, glued
    return env.temp_data["book_glue"]


def glue_sources(env) -> tuple[str, ...]:
    """The pages whose glued values the page being read pastes (config ``book_glue_from``: {page: [pages]})."""
    config = getattr(env, "config", None)
    return tuple((getattr(config, "book_glue_from", None) or {}).get(env.docname, ()))


ZH_GLUE = "@zh"   # lib.present.charts.ZH_KEY (the same suffix; lib/book may not import lib.present here)


def _in_notebook(document, key: str) -> bool:
    renderer = document.get("nb_renderer") if "nb_renderer" in document else None
    return renderer is not None and key in renderer.renderer.nb_client.glue_data


def has_glue(document, key: str) -> bool:
    """Whether the page being read glued ``key`` (in its notebook, or, for a translated sentence, in page_glue)."""
    return _in_notebook(document, key) or key in page_glue(getattr(document.settings, "env", None))


def patch_glue_lookup() -> None:
    """Resolve {glue:text} inside a *translated* sentence: Sphinx's Locale transform re-parses the sentence as a
    document of its own, without the notebook's glue data, so myst-nb's module-level ``retrieve_glue_data`` is
    wrapped in the three myst-nb modules that bound it (``utils``, ``roles``, ``directives``) to look the key up in
    ``page_glue``; it acts only on a sentence parsed without the notebook. In the Chinese edition a key glued
    also in Chinese (``<key>@zh``, ``charts.glue_table``'s Chinese form of a table and its notes) gives that form.
    Public alternative tried: myst-nb has no hook for glue look-ups; tests/test_site_zh.py checks glued numbers
    read the same in both editions."""
    from myst_nb.core.variables import VariableOutput
    from myst_nb.ext.glue import directives, roles, utils

    original = utils.retrieve_glue_data
    if getattr(original, "book_patched", False):
        return

    def retrieve(document, key):
        env = getattr(document.settings, "env", None)
        if (env is not None and str(env.config.language or "").startswith("zh") and not key.endswith(ZH_GLUE)
                and (key + ZH_GLUE in page_glue(env) or _in_notebook(document, key + ZH_GLUE))):
            key += ZH_GLUE
        if "nb_renderer" not in document or (env is not None and glue_sources(env) and not _in_notebook(document, key)):
            glued = page_glue(env)
            if key in glued:   # a translated sentence, or a page that pastes other pages' values
                return VariableOutput(data=glued[key]["data"], metadata=glued[key].get("metadata", {}),
                                      nb_renderer=document.get("nb_renderer"), vtype="glue")
        return original(document, key)

    retrieve.book_patched = True
    for module in (utils, roles, directives):
        if hasattr(module, "retrieve_glue_data"):
            module.retrieve_glue_data = retrieve


# --- jupyter-book -------------------------------------------------------------------------------------------------

def build_sphinx(*args, **kwargs):
    """jupyter-book's ``jupyter_book.sphinx.build_sphinx`` (not in its documented CLI/API): a Sphinx build with
    jupyter-book's configuration translated from ``_config.yml``, used for the Chinese edition and for message
    extraction. Public alternative tried: ``jupyter-book build`` cannot override ``language`` or the output
    and doctree folders. Deferred import: it loads a whole Sphinx application."""
    from jupyter_book.sphinx import build_sphinx as build

    return build(*args, **kwargs)
