"""The Sphinx extension that gives every map in the built book the book's one copy of Leaflet.

Unit tests of the swap (inline copy -> shared copy) and of the checks, on a real map; then one
throwaway Sphinx project (myst-nb, as Jupyter Book uses) that must fail -W because a page loads a
script from another host. The book's own build is the clean case (tests/test_built_book.py,
tests/test_browser.py).
"""

import html
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest

from dossier import maps, vendor
from dossier.sphinxext.htmlcheck import all_refs, external_refs, srcdoc_documents
from dossier.sphinxext.offline_maps import problems, shared_copies


@pytest.fixture(scope="module")
def figure() -> str:
    """What a notebook cell showing a map outputs as text/html: Leaflet inline, escaped in srcdoc."""
    return maps.chapter_map("refugees", places=["torkham", "kabul"])._repr_html_()


def test_a_notebook_map_loads_nothing_from_anywhere(figure):
    assert all_refs(figure) == []  # Leaflet is inline: the map works with no network and no server
    (document,) = srcdoc_documents(figure)
    assert f'<script {vendor.MARK}="leaflet-1.9.3/leaflet.js">' in document


@pytest.mark.parametrize("target_uri, prefix", [("index.html", ""), ("book/x.html", "../"), ("a/b/c.html", "../../")])
def test_the_inline_copies_become_the_shared_copy(figure, target_uri, prefix, tmp_path):
    swapped, count = shared_copies(figure, target_uri)
    assert count == 2 and len(swapped) < len(figure) - 150_000
    assert problems(swapped) == []
    refs = [ref for ref in all_refs(swapped) if ref.frame == 1]
    assert sorted((ref.kind, ref.url) for ref in refs) == [
        ("script", f"{prefix}_vendor/leaflet-1.9.3/leaflet.js"), ("stylesheet", f"{prefix}_vendor/leaflet-1.9.3/leaflet.css")]
    # as a browser resolves them: against the URL of the page that holds the srcdoc iframe
    page_url = "http://127.0.0.1:8000/" + target_uri
    assert sorted(urlsplit(urljoin(page_url, ref.url)).path for ref in refs) == [
        "/_vendor/leaflet-1.9.3/leaflet.css", "/_vendor/leaflet-1.9.3/leaflet.js"]


def test_plain_blocks_and_prose_are_handled():
    plain = f'<p>A {vendor.MARK} attribute in prose.</p><script {vendor.MARK}="leaflet-1.9.3/leaflet.js">var L;</script>'
    assert shared_copies(plain, "book/x.html") == (
        f'<p>A {vendor.MARK} attribute in prose.</p><script src="../_vendor/leaflet-1.9.3/leaflet.js"></script>', 1)


def test_what_cannot_work_offline_is_reported():
    unknown = html.escape(f'<script {vendor.MARK}="other/lib.js">var x;</script>')
    text = f'<iframe srcdoc="{unknown}"></iframe><script src="https://cdn.example.org/x.js"></script>'
    swapped, count = shared_copies(text, "index.html")
    assert count == 0
    assert problems(swapped) == ["an inline copy of other/lib.js was not replaced (not a published file)",
                                 "the page loads a script from another host: https://cdn.example.org/x.js"]
    assert external_refs(swapped) == ["https://cdn.example.org/x.js"]


CONF = """extensions = ["myst_nb", "dossier.sphinxext.offline_maps"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
"""


def test_a_page_that_loads_a_script_from_another_host_fails_the_build(tmp_path, figure):
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Root\n\n```{toctree}\nchapters/map\n```\n", encoding="utf-8")
    cell = nbformat.v4.new_code_cell("m")
    bad = figure.replace(html.escape("<head>"), html.escape('<head><script src="https://cdn.example.org/x.js"></script>'), 1)
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": bad, "text/plain": "<map>"},
                                           execution_count=1)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A map"), cell])
    notebook.metadata.update(kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
                             language_info={"name": "python"})
    (tmp_path / "chapters").mkdir()
    nbformat.write(notebook, tmp_path / "chapters" / "map.ipynb")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(tmp_path),
                             str(tmp_path / "_build")], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "offline maps: embedded map/iframe #1 loads a script from another host: https://cdn.example.org/x.js" in result.stderr
    assert "chapters/map" in result.stderr
    assert "leaflet" not in result.stderr  # Leaflet itself was swapped for the shared copy
    page = (tmp_path / "_build" / "chapters" / "map.html").read_text(encoding="utf-8")
    assert "../_vendor/leaflet-1.9.3/leaflet.js" in page
