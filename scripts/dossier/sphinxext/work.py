"""Sphinx extension: the students' own work (:mod:`dossier.work`) in the built book.

Enable it in Jupyter Book's ``_config.yml``::

    sphinx:
      extra_extensions:
        - dossier.sphinxext.work

For the HTML builders it:

* ``config-inited``: publishes ``scripts/dossier/work_assets/`` in ``_static/`` (added to
  ``html_static_path``), and records the digest of that folder and of this code as an HTML
  configuration value (``dossier_work_digest``), so that a change to either rewrites every page;
* ``doctree-resolved``: puts an answer slot after every ``{exercise}``: its id is the exercise's
  ``:label:``, its label "Exercise N (title)" as the book numbers it, its question the exercise. An
  exercise without a ``:label:`` has no stable id to keep an answer under: a warning;
* ``html-page-context``: removes the inline copies of the script that notebook outputs carry for
  Jupyter Lab (``data-dossier-work``), and loads the script and its stylesheet on the pages that have
  a self-check or an answer slot (only there: other pages stay as light as they were); the My work
  page (the element ``id="dossier-my-work"``) also gets its own script and the manifest, linked at
  the end of its body with a stamp of the build (Sphinx's checksum would be the previous manifest's);
* ``build-finished``: writes ``_static/dossier-work-manifest.js``, every page's answer slots (id,
  label, the question's text) and self-checks (id, number, prompt), in reading order, read from the
  built pages themselves, so the My work page lists what the pages show. Two slots with one id are a
  warning (type ``dossier_work``), so ``-W`` fails the build. It runs before other build-finished
  listeners (priority 200), so whatever lists the built site afterwards finds the manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from dossier import io, work

logger = logging.getLogger(__name__)

_INLINE = re.compile(r"<script " + re.escape(work.INLINE_MARK) + r'="inline">.*?</script>', re.DOTALL)
MY_WORK_ID = "dossier-my-work"
_BLOCKS = ["p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "caption", "blockquote"]


# --------------------------------------------------------------------------------------------
# Answer slots after exercises


def _exercise_nodes():
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    return (exercise_enumerable_node, exercise_node)


def exercise_label(app: Sphinx, docname: str, node) -> str:
    """'Exercise 3 (Evidence for the TTP claims)', as the page titles the exercise (sphinx-exercise's
    post-transform has made its title " (subtitle)" by now, and the number comes from numfig)."""
    from sphinx_exercise.nodes import exercise_enumerable_node

    title = " ".join(node.children[0].astext().split()) if node.children else ""
    if not isinstance(node, exercise_enumerable_node):
        return title or "Exercise"
    number = app.env.toc_fignumbers.get(docname, {}).get("exercise", {}).get(node.get("label"))
    return " ".join(part for part in ("Exercise", ".".join(map(str, number or ())), title) if part)


def add_exercise_slots(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for node in list(doctree.findall(lambda n: isinstance(n, _exercise_nodes()))):
        label = node.get("label", "")
        if not label or label.startswith(f"{docname}-exercise-"):
            logger.warning("exercise without a :label: gets no answer box (its answer needs a stable id)",
                           location=node, type="dossier_work", subtype="label")
            continue
        if not work.ID.match(label):
            logger.warning(f"exercise label {label!r} cannot be an answer id (lowercase letters and digits, joined by - or _)",
                           location=node, type="dossier_work", subtype="label")
            continue
        slot = nodes.raw("", work.slot(label, exercise_label(app, docname, node), question=label), format="html")
        node.parent.insert(node.parent.index(node) + 1, slot)


# --------------------------------------------------------------------------------------------
# Pages


def without_inline_copies(body: str) -> str:
    """The page body without the inline copies of the script (the page loads the file once)."""
    return _INLINE.sub("", body)


def needs(body: str) -> tuple[bool, bool]:
    """(has self-checks or answer slots, is the My work page)."""
    mine = f'id="{MY_WORK_ID}"' in body
    return mine or f'class="{work.SLOT_CLASS}"' in body or 'class="dossier-quizzes"' in body, mine


def page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not isinstance(body, str) or not body:
        return
    body = without_inline_copies(body)
    context["body"] = body
    work_page, my_work = needs(body)
    if work_page:
        app.add_css_file(work.STYLESHEET)
        app.add_js_file(work.SCRIPT, loading_method="defer")
    if my_work:
        # The manifest is written when the build ends, after this page: Sphinx would stamp its link
        # with the previous manifest's checksum (a cached old list). The stamp here changes whenever
        # a page was read again or this code changed, which is when the manifest can change.
        static = relative_uri(app.builder.get_target_uri(pagename), "_static/")
        stamp = build_stamp(app)
        context["body"] = body + "".join(f'<script defer src="{static}{name}?v={stamp}"></script>'
                                         for name in (work.MANIFEST, work.MY_WORK_SCRIPT))


def build_stamp(app: Sphinx) -> str:
    """Changes when any document was read again, or the title or this code changed."""
    digest = hashlib.sha256(app.config.dossier_work_digest.encode() + str(app.config.html_title).encode())
    for docname, read_at in sorted(app.env.all_docs.items()):
        digest.update(f"{docname}\0{read_at}\0".encode())
    return digest.hexdigest()[:8]


def publish_assets(app: Sphinx, config) -> None:
    config.html_static_path = [*config.html_static_path, str(work.ASSETS)]
    config.dossier_work_digest = code_digest()


def code_digest() -> str:
    """sha256 of this extension, dossier.work and the assets: an HTML configuration value, so that a
    change to any of them rewrites every page (Sphinx rewrites a page only when its source changed)."""
    digest = hashlib.sha256()
    for path in [Path(__file__), Path(work.__file__), *sorted(work.ASSETS.iterdir())]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# The manifest


def _normalise(text: str) -> str:
    return " ".join(text.split())


def question_text(element) -> str:
    """The plain text of a question: one line per paragraph, list item or table row (cells
    separated by ' | '), an admonition's title and any answer slot left out."""
    tree = BeautifulSoup(str(element), "html.parser")
    element = tree.find(True)
    for extra in element.select(f".admonition-title, a.headerlink, .{work.SLOT_CLASS}, script, style, button"):
        extra.decompose()
    leaves = [e for e in element.find_all(_BLOCKS) if not e.find(_BLOCKS)]
    if not leaves:
        return _normalise(element.get_text())
    lines = []
    for leaf in leaves:
        if leaf.name == "tr":
            text = " | ".join(_normalise(cell.get_text()) for cell in leaf.find_all(["th", "td"])).strip()
        else:
            text = _normalise(leaf.get_text())
        if text:
            item = leaf if leaf.name == "li" else leaf.find_parent("li")
            lines.append(("- " if item is not None and item is not element else "") + text)
    return "\n".join(lines)


def page_work(body: str) -> tuple[list[dict], list[dict]]:
    """The answer slots and the self-checks of a built page (its HTML), in page order."""
    start, end = body.find("<article"), body.rfind("</article>")
    tree = BeautifulSoup(body[start:end + 10] if start >= 0 and end > start else body, "html.parser")
    answers = []
    for slot in tree.select(f"div.{work.SLOT_CLASS}[data-answer-id]"):
        target = slot.get("data-answer-for")
        question = tree.find(id=target) if target else None
        answers.append({"id": slot["data-answer-id"], "label": _normalise(slot.get("data-answer-label", "")),
                        "text": question_text(question) if question is not None else ""})
    checks = []
    for block in tree.select("div.dossier-quizzes"):
        for number, question in enumerate(block.select("div.dossier-quiz[id]"), start=1):
            prompt = question.select_one(".dossier-quiz-prompt")
            if prompt is not None and prompt.strong is not None:
                prompt.strong.decompose()
            checks.append({"id": question["id"].removeprefix("quiz-"), "number": number,
                           "prompt": _normalise(prompt.get_text()) if prompt is not None else ""})
    return answers, checks


def reading_order(env) -> list[str]:
    """Every document, in the order of the table of contents (then any other, by name)."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return [d for d in order if d in env.all_docs] + sorted(set(env.all_docs) - set(order))


def manifest(app: Sphinx) -> dict:
    pages, seen = [], {}
    for docname in reading_order(app.env):
        uri = app.builder.get_target_uri(docname)
        path = Path(app.outdir) / uri
        if not path.is_file():
            continue
        body = path.read_text(encoding="utf-8")
        if not needs(body)[0]:
            continue
        answers, checks = page_work(body)
        for answer in answers:
            if answer["id"] in seen:
                logger.warning(f"answer id {answer['id']!r} is used twice ({seen[answer['id']]} and {docname}): "
                               "each answer box needs its own", type="dossier_work", subtype="duplicate")
            seen[answer["id"]] = docname
        if answers or checks:
            title = app.env.titles.get(docname)
            pages.append({"page": docname, "url": uri, "title": _normalise(title.astext()) if title else docname,
                          "answers": answers, "selfChecks": checks})
    return {"title": app.config.html_title, "pages": pages}


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    data = json.dumps(manifest(app), ensure_ascii=False, indent=1).replace("</", "<\\/")
    text = ("/* Every answer box and self-check of the built book, for the My work page "
            "(written by dossier.sphinxext.work). */\nwindow.dossierWorkManifest = " + data + ";\n")
    target = Path(app.outdir) / "_static" / work.MANIFEST
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        io.write_text_atomic(target, text)


def setup(app: Sphinx) -> dict:
    app.add_config_value("dossier_work_digest", "", "html")
    app.connect("config-inited", publish_assets, priority=400)
    app.connect("doctree-resolved", add_exercise_slots)
    app.connect("html-page-context", page_assets)
    app.connect("build-finished", write_manifest, priority=200)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

