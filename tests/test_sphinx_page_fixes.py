"""dossier.sphinxext.page_fixes: no inline script twice on a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.builders.html._assets import _JavaScript

from dossier.sphinxext.page_fixes import unique_scripts

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
