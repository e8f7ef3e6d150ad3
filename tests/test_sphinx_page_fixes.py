"""dossier.sphinxext.page_fixes: no inline script twice on a page; reference entries are list items;
pages declare that they have no icon; a changed stylesheet reaches the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.builders.html._assets import _JavaScript

from dossier.sphinxext.page_fixes import NO_ICON, citation_list_items, static_digest, unique_scripts

ROOT = Path(__file__).resolve().parents[1]


def test_none_and_empty_filename_with_the_same_body_are_one_script():
    first = _JavaScript(None, body='const THEBE_JS_URL = "x"')
    again = _JavaScript("", body='const THEBE_JS_URL = "x"')
    other = _JavaScript("", body="var a = 1")
    script_file = _JavaScript("_static/a.js")
    deferred = _JavaScript("_static/a.js", defer="defer")
    kept = unique_scripts([first, script_file, again, other, _JavaScript("_static/a.js"), deferred])
    assert kept == [first, script_file, other, deferred]


def test_plain_file_names_are_kept_in_order():
    assert unique_scripts(["a.js", "b.js", "a.js"]) == ["a.js", "b.js"]


@pytest.mark.parametrize("edition", ["html", "instructor/html"])
def test_built_pages_declare_each_inline_constant_once(edition):
    pages = sorted((ROOT / "_build" / edition / "book").rglob("*.html"))
    if not pages:
        pytest.fail(f"_build/{edition} is missing: run `make book` and `make instructor` first", pytrace=False)
    for page in pages:
        assert page.read_text(encoding="utf-8").count("const THEBE_JS_URL") <= 1, page.name


def test_citation_entries_become_list_items():
    body = ('<div role="list" class="citation-list">\n<div class="citation" id="id7" role="doc-biblioentry">\n'
            '<span class="label">[1]</span><p>A. <a href="https://example.org">x</a></p>\n</div>\n</div>\n'
            '<p role="doc-biblioentry">not a citation</p>')
    fixed = citation_list_items(body)
    assert '<div class="citation" id="id7" role="listitem">' in fixed
    assert '<p role="doc-biblioentry">not a citation</p>' in fixed  # only docutils' citation entries
    assert citation_list_items(fixed) == fixed


@pytest.mark.parametrize("edition", ["html", "instructor/html"])
def test_built_pages_mark_reference_entries_as_list_items_and_declare_no_icon(edition):
    root = ROOT / "_build" / edition
    pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)
    if not pages:
        pytest.fail(f"_build/{edition} is missing: run `make book` and `make instructor` first", pytrace=False)
    references = (root / "book" / "bibliography.html").read_text(encoding="utf-8")
    assert references.count('role="listitem"') > 100 and "doc-biblioentry" not in references
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "<head>" in text:
            assert f'<link rel="icon" href="{NO_ICON}"/>' in text, page.name


def test_the_static_digest_changes_with_any_static_file(tmp_path):
    static = tmp_path / "book" / "_static"
    static.mkdir(parents=True)
    (static / "dossier.css").write_text("a { color: red; }", encoding="utf-8")
    first = static_digest(tmp_path, ["book/_static"])
    assert static_digest(tmp_path, ["book/_static"]) == first
    (static / "dossier.css").write_text("a { color: blue; }", encoding="utf-8")
    second = static_digest(tmp_path, ["book/_static"])
    (static / "extra.svg").write_text("<svg/>", encoding="utf-8")
    assert len({first, second, static_digest(tmp_path, ["book/_static"])}) == 3
    assert static_digest(tmp_path, ["missing"]) == static_digest(tmp_path, [])


@pytest.mark.parametrize("edition", ["html", "instructor/html"])
def test_the_built_stylesheet_is_the_books(edition):
    built = ROOT / "_build" / edition / "_static" / "dossier.css"
    if not built.is_file():
        pytest.fail(f"_build/{edition} is missing: run `make book` and `make instructor` first", pytrace=False)
    assert built.read_bytes() == (ROOT / "book" / "_static" / "dossier.css").read_bytes()
