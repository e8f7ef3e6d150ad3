"""The Sphinx extension that points folium maps at the book's own Leaflet and jQuery.

Unit tests for the HTML checker and the URL rewriting, then two throwaway Sphinx projects
(myst-nb, as Jupyter Book uses) built in tmp_path: one whose maps must come out pointing at
files that exist in the output, one with folium's default Bootstrap links that must fail -W.
"""

import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import folium
import nbformat
import pytest

from dossier import vendor
from dossier.sphinxext.htmlcheck import all_refs, external_refs, srcdoc_documents
from dossier.sphinxext.offline_maps import rewrite_cdn_urls


def folium_map_html(minimal: bool = True) -> str:
    """What a notebook cell showing a folium map outputs as text/html.

    ``minimal`` keeps only Leaflet and jQuery, as the project's map module does; otherwise
    folium's defaults (Bootstrap, Font Awesome, awesome-markers) stay in.
    """
    m = folium.Map(location=[33.0, 69.0], zoom_start=5, tiles=None)
    if minimal:
        m.default_js = [(n, u) for n, u in folium.Map.default_js if u in vendor.CDN_FILES]
        m.default_css = [(n, u) for n, u in folium.Map.default_css if u in vendor.CDN_FILES]
    folium.Marker([34.1147, 71.0847], popup="Torkham").add_to(m)
    return m._repr_html_()


# ---- htmlcheck ---------------------------------------------------------------------------


def test_folium_output_is_an_escaped_srcdoc():
    html = folium_map_html(minimal=False)
    assert '<iframe srcdoc="' in html
    assert "src=&quot;https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js&quot;" in html
    (document,) = srcdoc_documents(html)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in document


def test_external_refs_sees_inside_srcdoc():
    refs = external_refs(folium_map_html(minimal=False))
    assert refs[:2] == [vendor.LEAFLET_JS_CDN, vendor.JQUERY_JS_CDN]
    assert "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css" in refs
    assert len(refs) == 10  # 4 scripts and 6 stylesheets in folium 0.20's defaults
    assert external_refs(folium_map_html(minimal=True)) == [
        vendor.LEAFLET_JS_CDN, vendor.JQUERY_JS_CDN, vendor.LEAFLET_CSS_CDN]


def test_external_refs_page_level_and_local_urls():
    page = """<html><head>
      <script src="_static/local.js"></script>
      <script src="//cdn.example.org/a.js"></script>
      <link rel="stylesheet" href="https://fonts.example.org/f.css">
      <link rel="icon" href="https://example.org/favicon.ico">
      <link rel="preload" as="script" href="https://example.org/p.js">
      <style>@import url("https://example.org/imported.css");</style>
      <script src="data:text/javascript,1"></script>
    </head><body><a href="https://example.org/">a link is not a script</a>
      <iframe srcdoc="&lt;iframe srcdoc=&quot;&amp;lt;script src=&amp;quot;https://deep.example.org/x.js&amp;quot;&amp;gt;&amp;lt;/script&amp;gt;&quot;&gt;&lt;/iframe&gt;"></iframe>
    </body></html>"""
    assert external_refs(page) == [
        "//cdn.example.org/a.js",
        "https://fonts.example.org/f.css",
        "https://example.org/p.js",
        "https://example.org/imported.css",
        "https://deep.example.org/x.js",
    ]
    assert [r.frame for r in all_refs(page) if "deep" in r.url] == [2]


# ---- rewriting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target_uri, prefix",
    [("index.html", ""), ("book/durand.html", "../"), ("a/b/page.html", "../../"), ("book/durand/", "../../")],
)
def test_rewrite_uses_the_page_depth(target_uri, prefix):
    html, count = rewrite_cdn_urls(folium_map_html(), target_uri)
    assert count == 3
    assert external_refs(html) == []
    (document,) = srcdoc_documents(html)
    assert f'<script src="{prefix}_vendor/leaflet-1.9.3/leaflet.js">' in document
    assert f'<script src="{prefix}_vendor/jquery-3.7.1/jquery.min.js">' in document
    assert f'<link rel="stylesheet" href="{prefix}_vendor/leaflet-1.9.3/leaflet.css"/>' in document


def test_rewrite_leaves_prose_and_other_urls_alone():
    text = f'<p>Leaflet is at {vendor.LEAFLET_JS_CDN}.</p><script src="https://cdn.example.org/other.js"></script>'
    assert rewrite_cdn_urls(text, "book/x.html") == (text, 0)
    plain = f'<script src="{vendor.JQUERY_JS_CDN}"></script>'
    assert rewrite_cdn_urls(plain, "book/x.html") == ('<script src="../_vendor/jquery-3.7.1/jquery.min.js"></script>', 1)


# ---- throwaway Sphinx projects -------------------------------------------------------------

CONF = """extensions = ["myst_nb", "dossier.sphinxext.offline_maps"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
"""


def write_notebook(path: Path, html: str) -> None:
    """A notebook stored with the output of a cell that displayed a map (not executed here)."""
    cell = nbformat.v4.new_code_cell("m")
    cell.outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/html": html, "text/plain": "<folium.folium.Map>"}, execution_count=1)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A map"), cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def raw_html_page(title: str, html: str, extra: str = "") -> str:
    indented = "\n".join("   " + line if line.strip() else "" for line in html.splitlines())
    return f"# {title}\n\n{extra}\n\n```{{raw}} html\n{indented}\n```\n"


def sphinx_build(src: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(src), str(src / "_build" / "html")],
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def clean_book(tmp_path_factory):
    """A book with maps at three depths, each loading only Leaflet and jQuery."""
    src = tmp_path_factory.mktemp("clean_book")
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    toctree = "```{toctree}\nchapters/map\nchapters/deep/more\n```"
    mention = f"```{{raw}} html\n<p>Leaflet's CDN address is <code>{vendor.LEAFLET_JS_CDN}</code>.</p>\n```"
    (src / "index.md").write_text(raw_html_page("Root", folium_map_html(), mention + "\n\n" + toctree), encoding="utf-8")
    write_notebook(src / "chapters" / "map.ipynb", folium_map_html())
    (src / "chapters" / "deep").mkdir()
    (src / "chapters" / "deep" / "more.md").write_text(raw_html_page("Deep", folium_map_html()), encoding="utf-8")
    result = sphinx_build(src)
    return src / "_build" / "html", result


def test_clean_book_builds_with_W(clean_book):
    _, result = clean_book
    assert result.returncode == 0, result.stderr
    assert "offline maps" not in result.stderr


@pytest.mark.parametrize("page, prefix", [
    ("index.html", ""), ("chapters/map.html", "../"), ("chapters/deep/more.html", "../../")])
def test_map_urls_resolve_to_published_files(clean_book, page, prefix):
    outdir, _ = clean_book
    html = (outdir / page).read_text(encoding="utf-8")
    assert external_refs(html) == []
    documents = srcdoc_documents(html)
    assert len(documents) == 1
    refs = [r for r in all_refs(html) if r.frame == 1]
    assert sorted(r.url for r in refs) == sorted(prefix + vendor.local_url(u) for u in vendor.CDN_FILES)
    # Resolve as a browser does: against the URL of the page that holds the srcdoc iframe.
    page_url = "http://127.0.0.1:8000/" + page
    for ref in refs:
        resolved = urlsplit(urljoin(page_url, ref.url)).path.lstrip("/")
        published = outdir / resolved
        assert published.is_file(), ref.url
        item = vendor.CDN_FILES[next(u for u in vendor.CDN_FILES if vendor.local_url(u) == resolved)]
        assert published.read_bytes() == vendor.source_path(item).read_bytes()


def test_prose_mention_is_not_rewritten(clean_book):
    outdir, _ = clean_book
    html = (outdir / "index.html").read_text(encoding="utf-8")
    assert f"Leaflet's CDN address is <code>{vendor.LEAFLET_JS_CDN}</code>." in html


def test_vendor_files_are_published_outside_static(clean_book):
    outdir, _ = clean_book
    for item in vendor.all_files():
        assert (outdir / "_vendor" / item.local_path).is_file(), item.local_path
    assert not list((outdir / "_static").rglob("leaflet*"))
    assert not list((outdir / "_static").rglob("jquery-3.7.1*"))
    # Pages without maps do not load the vendored files.
    assert "_vendor" not in (outdir / "genindex.html").read_text(encoding="utf-8")


def test_map_with_bootstrap_fails_the_build(tmp_path):
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Root\n\n```{toctree}\nchapters/default\n```\n", encoding="utf-8")
    write_notebook(tmp_path / "chapters" / "default.ipynb", folium_map_html(minimal=False))
    result = sphinx_build(tmp_path)
    assert result.returncode != 0
    assert "offline maps" in result.stderr
    assert "chapters/default" in result.stderr
    assert "bootstrap" in result.stderr
    # Leaflet and jQuery were rewritten, so they are not among the complaints.
    assert vendor.LEAFLET_JS_CDN not in result.stderr
    assert vendor.JQUERY_JS_CDN not in result.stderr
