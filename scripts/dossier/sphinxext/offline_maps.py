"""Sphinx extension: folium maps in the built book load Leaflet and jQuery from the book.

Enable it in Jupyter Book's ``_config.yml``::

    sphinx:
      extra_extensions:
        - dossier.sphinxext.offline_maps

What it does, for the HTML builders:

* ``html-page-context``: in each page's body, every ``src``/``href`` that holds one of the CDN
  URLs listed in :data:`dossier.vendor.CDN_FILES` is replaced by the page-relative URL of the
  local copy (e.g. ``../_vendor/leaflet-1.9.3/leaflet.js`` on ``book/durand.html``). In a
  folium map these URLs sit HTML-escaped inside ``<iframe srcdoc="...">``, as
  ``src=&quot;https://...&quot;``; both that form and plain ``src="https://..."`` are handled.
  A relative URL inside a srcdoc iframe resolves against the page that holds the iframe,
  which is why the page's own depth decides the prefix.
* Then it checks the body: any script or stylesheet still loaded from another host, in the
  page or in a map, is reported as a warning (type ``offline_maps``), so ``-W`` fails the build.
* ``build-finished``: copies the vendored files to ``<outdir>/_vendor/`` (not ``_static/``:
  Jupyter Book v1 would add every .js and .css found there to every page).

Notebooks are not changed: run in Jupyter Lab, Binder or Colab they keep folium's CDN URLs.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from dossier import vendor

from .htmlcheck import all_refs, is_other_host

logger = logging.getLogger(__name__)

# Opening quote of an attribute value: plain, or HTML-escaped as inside a srcdoc attribute.
_QUOTE = r"(?:\"|'|&quot;|&#34;|&#x22;|&#39;|&#x27;)"


def _url_pattern(url: str) -> re.Pattern[str]:
    """Matches ``src=<quote>URL`` or ``href=<quote>URL`` followed by a closing quote."""
    return re.compile(r"(\b(?:src|href)=" + _QUOTE + ")" + re.escape(url) + "(?=" + _QUOTE + ")")


_PATTERNS = {url: _url_pattern(url) for url in vendor.CDN_FILES}


def page_relative(target_uri: str, path_from_root: str) -> str:
    """URL of ``path_from_root`` as seen from the page whose output URI is ``target_uri``."""
    return relative_uri(target_uri, path_from_root)


def rewrite_cdn_urls(html_text: str, target_uri: str) -> tuple[str, int]:
    """Replace the vendored CDN URLs in src/href attributes; return (new text, replacements)."""
    total = 0
    for url, pattern in _PATTERNS.items():
        local = page_relative(target_uri, vendor.local_url(url))
        html_text, count = pattern.subn(lambda m, local=local: m.group(1) + local, html_text)
        total += count
    return html_text, total


def external_ref_messages(html_text: str) -> list[str]:
    """One message per script/stylesheet still loaded from another host (page or map)."""
    messages = []
    for ref in all_refs(html_text):
        if is_other_host(ref.url):
            where = "the page" if ref.frame == 0 else f"embedded map/iframe #{ref.frame}"
            messages.append(f"{where} loads a {ref.kind} from another host: {ref.url}")
    return list(dict.fromkeys(messages))


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not isinstance(body, str) or not body:
        return
    body, _ = rewrite_cdn_urls(body, app.builder.get_target_uri(pagename))
    context["body"] = body
    for message in external_ref_messages(body):
        logger.warning(
            f"offline maps: {message} (self-host it, or drop it from the map's default_js/default_css)",
            location=pagename if pagename in app.env.all_docs else None,
            type="offline_maps",
            subtype="external",
        )


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    try:
        vendor.copy_vendor(app.outdir)
    except vendor.VendorError as exc:
        raise ExtensionError(f"offline maps: cannot publish {vendor.VENDOR_DIR}/: {exc}") from None


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
