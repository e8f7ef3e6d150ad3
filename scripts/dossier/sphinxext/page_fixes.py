"""Sphinx extension: drop inline scripts that a page would otherwise carry twice.

With Sphinx 7.4 (the series Jupyter Book 1 pins), a script registered with a body and no file
(sphinx-thebe's `const THEBE_JS_URL = ...`, sphinx-togglebutton's settings) is stored once with
`filename=None` and added again with `filename=''` when pages are prepared. Every page then declares
the same `const` twice, and the browser reports "Identifier 'THEBE_JS_URL' has already been
declared" on every page. (Fixed upstream in Sphinx 8, sphinx-doc/sphinx#13402.) This keeps the first
of any scripts that are the same apart from None versus ''.
"""

from __future__ import annotations

from typing import Any


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


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])


def setup(app) -> dict:
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
