"""The book reads as a publication, not as a build log (issue 23).

* No cell prints anything the reader did not ask for: every output of every executed notebook (the
  jupyter-cache the build filled) is a glued object (``display_data`` carrying myst-nb's glue metadata) or a
  figure, never a stray value under a code toggle ("6.0", "53.468205426730954"); a cell whose last
  expression returns a value ends with ``;``.
"""
from pathlib import Path

import pytest
from jupyter_cache import get_cache

pytestmark = pytest.mark.build


def stray_outputs(root: Path) -> list[str]:
    """Outputs in the jupyter-cache of the build under ``root`` that are neither glued nor figures: one line per
    output, naming the page, the cell's last code line and what it printed."""
    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    pages = cache.list_project_records()   # the pages as they are now (not the edits other tests made and undid)
    assert pages, f"no executed notebook in {root / '_build' / '.jupyter_cache'}"
    found = []
    for page_record in pages:
        page = Path(page_record.uri).name
        executed = cache.get_cached_project_nb(page_record.pk)
        assert executed is not None, f"{page}: no executed notebook in the cache for its current source"
        for cell in cache.get_cache_bundle(executed.pk).nb.cells:
            for output in cell.get("outputs", []):
                glued = output.get("output_type") == "display_data" and "scrapbook" in output.get("metadata", {})
                figure = any(mime.startswith("image/") for mime in output.get("data", {}))
                if not (glued or figure):
                    shown = output.get("text") or output.get("data", {}).get("text/plain") or output.get("ename", "")
                    last = cell.source.strip().splitlines()[-1:]
                    found.append(f"{page}: cell ending {last}: {output.get('output_type')} {''.join(shown)[:80]!r}")
    return found


def test_no_stray_output_in_any_executed_notebook(book):
    assert stray_outputs(book.root) == []

