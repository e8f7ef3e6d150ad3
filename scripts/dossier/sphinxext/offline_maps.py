"""Sphinx extension: every map in the built book loads the book's one copy of Leaflet.

Enable it in Jupyter Book's ``_config.yml``::

    sphinx:
      extra_extensions:
        - dossier.sphinxext.offline_maps

A map made by :mod:`dossier.maps` carries Leaflet inline, so that it draws in a notebook with no
network (see :mod:`dossier.vendor`). Three copies of Leaflet in three pages would cost each page
about 160 KB, so for the HTML builders this extension:

* ``html-page-context``: in each page's body, replaces every inline block marked
  ``data-dossier-vendor="<path>"`` (a ``<script>`` or a ``<style>``, HTML-escaped inside a map's
  ``<iframe srcdoc="...">`` or plain) by a reference to ``_vendor/<path>``, relative to the page
  (a relative URL inside a srcdoc iframe resolves against the page that holds the iframe);
* then checks the body: a marked block it could not replace, or any script or stylesheet loaded
  from another host, in the page or in a map, is a warning (type ``offline_maps``), so ``-W``
  fails the build;
* then writes each map's document in ``data-srcdoc`` instead of ``srcdoc``: the book's script
  (``_static/dossier-site.js``, see :mod:`.light_pages`) makes it the frame's ``srcdoc`` when the
  map nears the screen (Chromium loads a ``srcdoc`` frame at once, ``loading="lazy"`` or not);
* ``build-finished``: checks every vendored file against its pinned sha256 and copies them to
  ``<outdir>/_vendor/`` with Sphinx's own asset copying (not into ``_static/``: Jupyter Book v1
  would add every .js and .css found there to every page).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.osutil import relative_uri

from dossier import vendor

from .htmlcheck import all_refs, is_other_host

logger = logging.getLogger(__name__)

# A marked inline block, plain or HTML-escaped (as inside a srcdoc attribute).
_INLINE = re.compile(
    r"(?P<lt><|&lt;)(?P<tag>script|style) " + re.escape(vendor.MARK)
    + r"=(?P<q>\"|&quot;)(?P<path>[^\"&<>]+)(?P=q)(?P<gt>>|&gt;).*?(?P=lt)/(?P=tag)(?P=gt)",
    re.DOTALL,
)
_PUBLISHED = {item.local_path for item in vendor.FILES}


def shared_copies(html_text: str, target_uri: str) -> tuple[str, int]:
    """Replace the marked inline blocks by references to the published copies, as seen from the
    page whose output URI is `target_uri`; return (new text, replacements). Blocks naming a file
    that is not published are left in place (and reported by :func:`problems`)."""

    count = 0

    def reference(match: re.Match) -> str:
        nonlocal count
        path = match["path"]
        if path not in _PUBLISHED:
            return match.group(0)
        count += 1
        url = relative_uri(target_uri, f"{vendor.VENDOR_DIR}/{path}")
        lt, q, gt = match["lt"], match["q"], match["gt"]
        if match["tag"] == "script":
            return f"{lt}script src={q}{url}{q}{gt}{lt}/script{gt}"
        return f"{lt}link rel={q}stylesheet{q} href={q}{url}{q}{gt}"

    return _INLINE.sub(reference, html_text), count


def problems(html_text: str) -> list[str]:
    """What keeps a page from working offline on its own: inline copies left, other hosts."""
    found = [f"an inline copy of {m['path']} was not replaced (not a published file)" for m in _INLINE.finditer(html_text)]
    for ref in all_refs(html_text):
        if is_other_host(ref.url):
            where = "the page" if ref.frame == 0 else f"embedded map/iframe #{ref.frame}"
            found.append(f"{where} loads a {ref.kind} from another host: {ref.url}")
    return list(dict.fromkeys(found))


_SRCDOC = re.compile(r"(<iframe\b[^>]*?\s)srcdoc=(['\"])")


def lazy_frames(html_text: str) -> str:
    """Every ``srcdoc`` of an iframe written as ``data-srcdoc`` (loaded by the book's script)."""
    return _SRCDOC.sub(r"\1data-srcdoc=\2", html_text)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not isinstance(body, str) or not body:
        return
    body, _count = shared_copies(body, app.builder.get_target_uri(pagename))
    context["body"] = body
    for message in problems(body):
        logger.warning(
            f"offline maps: {message}",
            location=pagename if pagename in app.env.all_docs else None,
            type="offline_maps",
            subtype="external",
        )
    context["body"] = lazy_frames(body)


def publish(outdir: str | Path) -> list[Path]:
    """Check every vendored file, then copy each to ``outdir/_vendor/``; return the paths."""
    vendor.published_files()  # raises VendorError before anything is copied
    written = []
    for item in vendor.FILES:
        target = Path(outdir) / vendor.VENDOR_DIR / item.local_path
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(vendor.source_path(item), target)
        written.append(target)
    return written


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    try:
        publish(app.outdir)
    except vendor.VendorError as exc:
        raise ExtensionError(f"offline maps: cannot publish {vendor.VENDOR_DIR}/: {exc}") from None


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
