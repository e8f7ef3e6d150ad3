"""Sphinx extension: small fixes to every page the HTML builder writes.

* No inline script twice. With Sphinx 7.4 (the series Jupyter Book 1 pins), a script registered
  with a body and no file (sphinx-thebe's `const THEBE_JS_URL = ...`, sphinx-togglebutton's
  settings) is stored once with `filename=None` and added again with `filename=''` when pages are
  prepared. Every page then declares the same `const` twice, and the browser reports "Identifier
  'THEBE_JS_URL' has already been declared" on every page. (Fixed upstream in Sphinx 8,
  sphinx-doc/sphinx#13402.) This keeps the first of any scripts that are the same apart from None
  versus ''.
* Reference list entries are list items. docutils writes a run of citations (the References page,
  from sphinxcontrib-bibtex) as `<div role="list">` holding `<div role="doc-biblioentry">`; that
  role is deprecated (DPUB-ARIA 1.1) and not a list item to assistive technology, so the list
  "contains" the links and paragraphs inside the entries (axe: `aria-required-children`, critical).
  Each entry gets `role="listitem"`.
* No icon, said so. The book has no favicon; without one, a browser asks the server for
  `/favicon.ico` and logs the 404 as an error in the console. Pages declare an empty icon
  (`data:,`), which the browser does not request.
"""

from __future__ import annotations

import re
from typing import Any

# The opening tag docutils writes for each citation (docutils.writers._html_base.visit_citation).
_CITATION_ENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
NO_ICON = "data:,"


def script_key(script: Any) -> tuple:
    """What makes two script entries the same: their file (None and '' alike) and attributes."""
    filename = getattr(script, "filename", script) or ""
    attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
    return (str(filename), attributes)


def unique_scripts(scripts: list) -> list:
    """The scripts in order, without repeats."""
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def citation_list_items(body: str) -> str:
    """The page body with every citation entry marked as a list item of its citation list."""
    return _CITATION_ENTRY.sub(r'\1 role="listitem"', body)


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])


def fix_page(app, pagename, templatename, context, doctree) -> None:
    if isinstance(context.get("body"), str):
        context["body"] = citation_list_items(context["body"])
    if not context.get("favicon_url"):
        context["favicon_url"] = NO_ICON


def setup(app) -> dict:
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", fix_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
