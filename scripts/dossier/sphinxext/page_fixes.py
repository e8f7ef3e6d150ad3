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
* A changed stylesheet reaches the book. Sphinx copies `html_static_path` (book/_static/dossier.css)
  only when it writes a page, and writes a page only when its source or a template changed: after a
  change to dossier.css alone, `make book` said "no targets are out of date" and kept the old copy
  (and the browser tests checked it). The digest of those files is a configuration value of the
  HTML build (`dossier_static_digest`), so a change rewrites every page (without reading them again)
  and copies the files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
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


def static_digest(confdir: str | Path, static_paths: list[str]) -> str:
    """sha256 of the names and contents of every file under the `html_static_path` entries."""
    digest = hashlib.sha256()
    for entry in static_paths:
        root = Path(confdir) / entry
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root] if root.is_file() else []
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def record_static_digest(app, config) -> None:
    config.dossier_static_digest = static_digest(app.confdir, list(config.html_static_path))


def setup(app) -> dict:
    app.add_config_value("dossier_static_digest", "", "html")
    app.connect("config-inited", record_static_digest)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", fix_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
