"""Leaflet, the one browser library the maps use: inlined in notebooks, shared in the book.

The files come from the PyPI package ``xstatic-leaflet`` (Leaflet 1.9.3), checked against the
sha256 pinned here, so maps need no registry but PyPI and no network at all.

* In a notebook (Jupyter Lab, Binder, Colab), every map carries Leaflet inline (:func:`inline_head`):
  it draws with no network and no server path to get wrong (a map's ``srcdoc`` iframe resolves
  relative URLs against Lab's own page, and a JupyterHub base URL moves them again). The inline
  blocks are marked ``data-dossier-vendor="<path>"``.
* In the built book, :mod:`dossier.sphinxext.offline_maps` replaces each marked block with a
  reference to the one copy the book publishes under ``_vendor/`` (:func:`published_files`), so a
  page stays light and the browser caches Leaflet once for every map.

The maps need no jQuery (their popups are bound by :mod:`dossier.maps` without it), no Bootstrap
and no icon fonts. The XStatic package ships no license file; the text is kept in
``vendor_licenses/`` and published next to the files.
"""

from __future__ import annotations

import hashlib
import html
import importlib
from importlib import resources
from pathlib import Path
from typing import NamedTuple

LEAFLET_VERSION = "1.9.3"

#: Folder, relative to the root of the built book, that holds the published copies.
VENDOR_DIR = "_vendor"

#: The attribute that marks an inline copy in a map page (its value: the copy's path under VENDOR_DIR).
MARK = "data-dossier-vendor"


class VendorError(RuntimeError):
    """A vendored file is missing, of another version, or not the pinned bytes."""


class VendorFile(NamedTuple):
    """One published file: its path under ``_vendor/`` and where it comes from."""

    local_path: str  # e.g. "leaflet-1.9.3/leaflet.js"
    source: str  # path in the xstatic package's data folder, or "license:<file in vendor_licenses>"
    sha256: str  # of the file as pinned; nothing else is published or inlined


_DIR = f"leaflet-{LEAFLET_VERSION}"

LEAFLET_JS = VendorFile(f"{_DIR}/leaflet.js", "leaflet.js",
                        "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03")
LEAFLET_CSS = VendorFile(f"{_DIR}/leaflet.css", "leaflet.css",
                         "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722")

#: Every file the book publishes: the script and stylesheet, the images the stylesheet refers to
#: (relative to itself), and the license text.
FILES: tuple[VendorFile, ...] = (
    LEAFLET_JS,
    LEAFLET_CSS,
    VendorFile(f"{_DIR}/images/layers.png", "images/layers.png",
               "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6"),
    VendorFile(f"{_DIR}/images/layers-2x.png", "images/layers-2x.png",
               "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf"),
    VendorFile(f"{_DIR}/images/marker-icon.png", "images/marker-icon.png",
               "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437"),
    VendorFile(f"{_DIR}/images/marker-icon-2x.png", "images/marker-icon-2x.png",
               "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528"),
    VendorFile(f"{_DIR}/images/marker-shadow.png", "images/marker-shadow.png",
               "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da"),
    VendorFile(f"{_DIR}/LICENSE", f"license:{_DIR}-LICENSE",
               "97c194191510b19c72d25094922821a888d5d9bafb909ea7a38c9bf5b6c40a08"),
)


def source_path(item: VendorFile) -> Path:
    """Where the file is on this machine (inside the installed package)."""
    if item.source.startswith("license:"):
        return Path(str(resources.files("dossier").joinpath("vendor_licenses", item.source.removeprefix("license:"))))
    try:
        module = importlib.import_module("xstatic.pkg.leaflet")
    except ImportError:
        raise VendorError("xstatic-leaflet is not installed (pip install -r requirements.txt)") from None
    if getattr(module, "VERSION", None) != LEAFLET_VERSION:
        raise VendorError(f"xstatic-leaflet is version {getattr(module, 'VERSION', '?')}, expected {LEAFLET_VERSION}")
    return Path(module.BASE_DIR) / item.source


def verified_bytes(item: VendorFile) -> bytes:
    """The file's bytes, after checking them against the pinned sha256."""
    path = source_path(item)
    try:
        data = path.read_bytes()
    except OSError:
        raise VendorError(f"{path}: missing (needed for {VENDOR_DIR}/{item.local_path})") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != item.sha256:
        raise VendorError(f"{path}: sha256 {digest} is not the pinned {item.sha256}")
    return data


def published_files() -> dict[str, bytes]:
    """Path under ``_vendor/`` -> verified bytes, for every file the book publishes.

    Every file is checked before any is returned, so a bad source publishes nothing.
    """
    return {item.local_path: verified_bytes(item) for item in FILES}


def _inline_text(item: VendorFile) -> str:
    """A file's text as inlined: without its source-map comment (the map is not shipped)."""
    text = verified_bytes(item).decode("utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith(("//# sourceMappingURL=", "/*# sourceMappingURL=")))


def inline_head() -> str:
    """Leaflet's stylesheet and script, inline and marked, for the head of a map page."""
    css, js = _inline_text(LEAFLET_CSS), _inline_text(LEAFLET_JS)
    if "</style" in css.lower() or "</script" in js.lower():
        raise VendorError("a vendored file would close its own inline block")
    return (f'<style {MARK}="{html.escape(LEAFLET_CSS.local_path)}">{css}</style>'
            f'<script {MARK}="{html.escape(LEAFLET_JS.local_path)}">{js}</script>')


__all__ = ["FILES", "LEAFLET_CSS", "LEAFLET_JS", "LEAFLET_VERSION", "MARK", "VENDOR_DIR", "VendorError",
           "VendorFile", "inline_head", "published_files", "source_path", "verified_bytes"]
