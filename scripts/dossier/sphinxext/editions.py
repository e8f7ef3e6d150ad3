"""Sphinx extension: what differs between the student and the instructor edition's pages.

The instructor edition is built with the Sphinx tag ``instructor`` (scripts/build_book.py); the
student edition without it. For the student edition this extension:

* **keeps the header to what a student uses**: no launch buttons (Binder, Colab), no repository
  or issues button, no full-screen button (``html_theme_options`` are changed at
  ``config-inited``; the instructor edition keeps what ``_config.yml`` asks for);
* **folds the code**: every code cell whose input is shown (not already hidden or removed by a
  tag) shows its output, with its code behind a "Show the code" toggle (myst-nb's own
  ``hide-input`` fold, a ``<details>``: keyboard-operable without script). The notebooks are not
  changed: Jupyter Lab and the instructor edition show the code as before.

In both editions, the footer carries the licence line of :mod:`dossier.licence` (written there
once; the printed pack's footer takes the same line), and the summary of a folded cell loses
myst-nb's ``aria-label="Toggle hidden content"``, which hid its visible words ("Show the code")
from assistive technology (WCAG 2.5.3, label in name).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from dossier.licence import licence

INSTRUCTOR_TAG = "instructor"
# The header buttons that are tools for instructors (sphinx-book-theme's options).
INSTRUCTOR_BUTTONS = ("use_repository_button", "use_issues_button", "use_fullscreen_button")
SHOW_CODE = "Show the code"
HIDE_CODE = "Hide the code"
_SUMMARY_LABEL = '<summary aria-label="Toggle hidden content">'


def is_instructor(app: Sphinx) -> bool:
    return app.tags.has(INSTRUCTOR_TAG)


def footer_html() -> str:
    return f'<p class="dossier-licence">{licence().html()}</p>'


def _config_inited(app: Sphinx, config) -> None:
    options = dict(config.html_theme_options or {})
    footer = options.get("extra_footer", "") or ""
    if "dossier-licence" not in footer:
        options["extra_footer"] = footer + footer_html()
    if not is_instructor(app):
        for key in INSTRUCTOR_BUTTONS:
            options[key] = False
        options["launch_buttons"] = {}
    config.html_theme_options = options


class FoldCodeCells(SphinxPostTransform):
    """Student edition: the input of every code cell shown goes behind a toggle (myst-nb's
    ``hide-input``); runs before myst-nb's own HideInputCells (priority 199), which makes the
    toggle."""

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs) -> None:
        if self.app.tags.has(INSTRUCTOR_TAG):
            return
        for node in self.document.findall(nodes.container):
            if node.get("nb_element") != "cell_code" or node.get("hide_mode") or not node.children:
                continue
            if node.children[0].get("nb_element") != "cell_code_source":
                continue  # input removed (remove-input): nothing to fold
            node["hide_mode"] = "input"
            node["prompt_show"] = SHOW_CODE
            node["prompt_hide"] = HIDE_CODE


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and _SUMMARY_LABEL in body:
        context["body"] = body.replace(_SUMMARY_LABEL, "<summary>")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _config_inited, priority=900)
    app.add_post_transform(FoldCodeCells)
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
