"""Find scripts and stylesheets that an HTML page would load from other hosts.

A folium map in the built book is an ``<iframe srcdoc="...">`` whose attribute holds a whole
HTML page, HTML-escaped. A check that reads only the outer page misses everything a map
loads, so :func:`external_refs` also parses the (unescaped) document of every srcdoc iframe,
at any depth (``data-srcdoc`` too: the built book writes the map's document there and its script
moves it to ``srcdoc`` when the map nears the screen).

What counts as loading a script or stylesheet: ``<script src>``, ``<link rel="stylesheet">``,
``<link rel="modulepreload">``, ``<link rel="preload" as="script|style">`` and CSS
``@import`` inside ``<style>``. A URL is on another host when it names one: ``http://...``,
``https://...`` or protocol-relative ``//host/...``. Relative URLs and ``data:`` URLs are local.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.IGNORECASE)


class Ref(NamedTuple):
    """One script or stylesheet reference."""

    url: str
    kind: str  # "script" or "stylesheet"
    frame: int  # 0 for the page itself, n for the n-th srcdoc document (document order)


class _RefParser(HTMLParser):
    """Collects script/stylesheet references and srcdoc documents of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.srcdocs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        if tag == "script" and values.get("src"):
            self.refs.append((values["src"].strip(), "script"))
        elif tag == "link" and values.get("href"):
            preload_as = values.get("as", "").lower()
            if "stylesheet" in rel or ("preload" in rel and preload_as == "style"):
                self.refs.append((values["href"].strip(), "stylesheet"))
            elif "modulepreload" in rel or ("preload" in rel and preload_as == "script"):
                self.refs.append((values["href"].strip(), "script"))
        elif tag == "iframe" and ("srcdoc" in values or "data-srcdoc" in values):
            # already unescaped by HTMLParser; the book writes data-srcdoc (loaded when in view)
            self.srcdocs.append(values.get("srcdoc", values.get("data-srcdoc")))
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs.extend((url, "stylesheet") for url in _CSS_IMPORT.findall(data))


def is_other_host(url: str) -> bool:
    """True for a URL that names a host (absolute or protocol-relative)."""
    return bool(urlsplit(url.strip()).netloc)


def _parse(html_text: str) -> _RefParser:
    parser = _RefParser()
    parser.feed(html_text)
    parser.close()
    return parser


def srcdoc_documents(html_text: str) -> list[str]:
    """The unescaped documents of all srcdoc iframes, nested ones included, in document order."""
    documents = []
    pending = _parse(html_text).srcdocs
    while pending:
        document = pending.pop(0)
        documents.append(document)
        pending[0:0] = _parse(document).srcdocs  # depth first keeps document order
    return documents


def all_refs(html_text: str) -> list[Ref]:
    """Every script/stylesheet reference in the page and in each srcdoc document."""
    refs = [Ref(url, kind, 0) for url, kind in _parse(html_text).refs]
    for number, document in enumerate(srcdoc_documents(html_text), start=1):
        refs.extend(Ref(url, kind, number) for url, kind in _parse(document).refs)
    return refs


def external_refs(html_text: str) -> list[str]:
    """Script and stylesheet URLs on other hosts, page and srcdoc iframes alike.

    Each URL is listed once, in the order it first appears.
    """
    seen: dict[str, None] = {}
    for ref in all_refs(html_text):
        if is_other_host(ref.url):
            seen.setdefault(ref.url, None)
    return list(seen)
