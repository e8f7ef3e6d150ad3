"""Sphinx extension: the book links its printed pack and carries a copy of it.

Enable it in ``_config.yml`` (``sphinx: extra_extensions``) and write, in a page::

    ```{handouts} student
    ```

``student`` lists the student PDFs (the student edition's "Print and handouts" page);
``instructor`` lists the student PDFs and then the instructor's (the instructor's guide).

The pack is printed by ``make handouts`` (:mod:`dossier.handouts`) from a built book, into
``_build/handouts/`` (config value ``dossier_handouts_dir``, relative to the book's root). The list
comes from :func:`dossier.handouts.catalogue`, so it is the same whether or not the PDFs exist:

* when a PDF is there at build time, its item links to the copy published in the site,
  ``<site>/handouts/<edition>/<file>.pdf`` (pages and size from the pack's manifest); the copies
  are made at the end of the build, and the student site gets the student PDFs only;
* when it is not (a plain ``make book`` on a fresh clone), the item is listed without a link and
  a note says how to make the pack: no link is broken, and ``-W`` passes.

The pages that list the pack, and the pages with a map, are read again whenever the pack changes
(``env-get-outdated`` compares a fingerprint of the files the site publishes), so ``make handouts``
needs only a warm rebuild after printing.

Maps: when the pack holds a picture of a map (``maps/<figure id>.jpg``, a screenshot of the live
map), each page showing that map gets ``<img class="dossier-map-print">`` after the live map,
loaded lazily and shown only in print (see the print block of ``book/_static/dossier.css``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from dossier import config, handouts

logger = logging.getLogger(__name__)

GROUPS = {"student": [("student", "")],
          "instructor": [("student", "For students"), ("instructor", "For the instructor")]}


def pack_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.dossier_handouts_dir


def site_edition(app: Sphinx) -> str:
    """The edition being built: the instructor edition is built with the tag `instructor`."""
    return "instructor" if app.tags.has("instructor") else "student"


def pack_items(audience: str, pack: Path, page_uri: str) -> list[tuple[str, list[dict]]]:
    """(caption, items) for each group the page lists; an item has the handout, the link (or None)
    and a note on pages and size."""
    manifest = handouts.read_manifest(pack)
    groups = []
    for edition, caption in GROUPS[audience]:
        items = []
        for handout in handouts.catalogue(edition):
            path = handout.path(pack)
            item = {"handout": handout, "href": None, "about": "not made yet"}
            if path.is_file():
                item["href"] = relative_uri(page_uri, f"{handouts.PUBLISHED_DIR}/{edition}/{handout.filename}")
                info = manifest.get("pdfs", {}).get(f"{edition}/{handout.filename}", {})
                pages = f"{info['pages']} pages, " if info.get("pages") else ""
                item["about"] = f"PDF, {pages}{handouts.size_label(path.stat().st_size)}"
            items.append(item)
        groups.append((caption, items))
    return groups


class HandoutsDirective(SphinxDirective):
    """```{handouts} student|instructor```: the list of the printed pack, linked where it exists."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        audience = self.arguments[0].strip()
        if audience not in GROUPS:
            raise self.error(f"handouts: expected one of {', '.join(GROUPS)}, not {audience!r}")
        docs = getattr(self.env, "dossier_handouts_docs", set())
        docs.add(self.env.docname)
        self.env.dossier_handouts_docs = docs
        page_uri = self.env.app.builder.get_target_uri(self.env.docname)
        result: list[nodes.Node] = []
        missing = False
        for caption, items in pack_items(audience, pack_dir(self.env.app), page_uri):
            if caption:
                result.append(nodes.paragraph("", "", nodes.strong("", caption)))
            bullets = nodes.bullet_list(classes=["dossier-handouts"])
            for item in items:
                handout = item["handout"]
                paragraph = nodes.paragraph()
                if item["href"]:
                    paragraph += nodes.reference("", handout.title, refuri=item["href"], classes=["dossier-handout-link"])
                else:
                    missing = True
                    paragraph += nodes.strong("", handout.title)
                # Pages and size: shown on screen, not in print (a printed list may predate the pack).
                paragraph += nodes.inline("", f" ({item['about']})", classes=["dossier-handout-about"])
                paragraph += nodes.Text(f": {handout.description}")
                bullets += nodes.list_item("", paragraph)
            result.append(bullets)
        if missing:
            note = nodes.paragraph(classes=["dossier-handouts-missing"])
            note += nodes.Text("The PDFs are made by ")
            note += nodes.literal("", "make handouts")
            note += nodes.Text(", which had not been run when this copy of the book was built, so the list has no links yet.")
            result.insert(0, note)
        return result


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "dossier_handouts_docs", set()).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.dossier_handouts_docs = getattr(env, "dossier_handouts_docs", set()) | getattr(other, "dossier_handouts_docs", set())


def map_pages() -> set[str]:
    return {f"book/{chapter}" for chapter in config.map_chapters()}


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Read again the pages that show the pack when it has changed since the last build."""
    state = handouts.fingerprint(pack_dir(app), site_edition(app))
    if getattr(env, "dossier_handouts_state", None) == state:
        return []
    env.dossier_handouts_state = state
    pages = set(getattr(env, "dossier_handouts_docs", set())) | map_pages()
    return sorted(page for page in pages if page in env.found_docs and page not in added | changed)


_MAP = re.compile(r'<figure class="dossier-map" id="(?P<id>map-[\w-]+)"')
_AFTER_LIVE_MAP = "</iframe></div>"


def with_map_pictures(body: str, pictures: set[str], page_uri: str) -> str:
    """`body` with a print-only picture after each live map that has one in `pictures`."""
    out, position = [], 0
    for match in _MAP.finditer(body):
        if match["id"] not in pictures:
            continue
        end = body.find(_AFTER_LIVE_MAP, match.end())
        if end < 0:
            continue
        end += len(_AFTER_LIVE_MAP)
        src = relative_uri(page_uri, f"{handouts.PUBLISHED_DIR}/{handouts.MAPS_DIR}/{match['id']}.jpg")
        out.append(body[position:end])
        out.append(f'<img class="dossier-map-print" src="{html.escape(src)}" loading="lazy" '
                   f'alt="Picture of the map (for print)">')
        position = end
    out.append(body[position:])
    return "".join(out)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not isinstance(body, str) or "dossier-map" not in body:
        return
    folder = pack_dir(app) / handouts.MAPS_DIR
    pictures = {path.stem for path in folder.glob("*.jpg")} if folder.is_dir() else set()
    if pictures:
        context["body"] = with_map_pictures(body, pictures, app.builder.get_target_uri(pagename))


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    copied = handouts.publish(pack_dir(app), Path(app.outdir), site_edition(app))
    if copied:
        logger.info(f"handouts: published {len(copied)} files in {handouts.PUBLISHED_DIR}/")


def setup(app: Sphinx) -> dict:
    app.add_config_value("dossier_handouts_dir", "_build/handouts", "env")
    app.add_directive("handouts", HandoutsDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
