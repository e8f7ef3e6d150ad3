"""The browser libraries the project's folium maps load, and where the book keeps copies.

This module is the single source of truth for them: Leaflet 1.9.3 (script, stylesheet and
marker/layer images) from the PyPI package ``xstatic-leaflet`` and jQuery 3.7.1 (minified
script; folium's popups call ``$``) from ``xstatic-jquery``. Both packages install with pip,
so building the book needs no other registry.

Maps keep folium's CDN URLs (the ``*_CDN`` constants below), so a notebook run in Jupyter Lab,
Binder or Colab works online as usual. When the book is built, the Sphinx extension
:mod:`dossier.sphinx_offline_maps` rewrites those URLs to the copies under ``_vendor/``
(laid out by :func:`copy_vendor`), so the built book loads nothing but tiles from elsewhere.

The XStatic packages ship no license files; the texts come with this package, in
``vendor_licenses/`` (see the README there), and are published next to the files.
"""

from __future__ import annotations

import hashlib
import importlib
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from dossier.io import commit_files

LEAFLET_VERSION = "1.9.3"
JQUERY_VERSION = "3.7.1"

# The exact URLs folium 0.20 puts in every map (folium.Map.default_js / default_css).
LEAFLET_JS_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
JQUERY_JS_CDN = "https://code.jquery.com/jquery-3.7.1.min.js"

#: Folder, relative to the root of the built book, that holds the copies.
VENDOR_DIR = "_vendor"

# xstatic module -> the version its VERSION attribute must report.
_XSTATIC = {"xstatic.pkg.leaflet": LEAFLET_VERSION, "xstatic.pkg.jquery": JQUERY_VERSION}


class VendorFile(NamedTuple):
    """One published file: where it goes under ``_vendor/`` and where it comes from."""

    local_path: str  # relative to _vendor/, e.g. "leaflet-1.9.3/leaflet.js"
    source: str  # path inside the xstatic package's data folder, or "license:<file>"
    package: str  # "xstatic.pkg.leaflet", "xstatic.pkg.jquery", or "dossier" for licenses
    sha256: str  # of the file as pinned; copy_vendor refuses anything else


_LEAFLET = f"leaflet-{LEAFLET_VERSION}"
_JQUERY = f"jquery-{JQUERY_VERSION}"

#: CDN URL -> the local copy that replaces it in the built book.
CDN_FILES: dict[str, VendorFile] = {
    LEAFLET_JS_CDN: VendorFile(
        f"{_LEAFLET}/leaflet.js", "leaflet.js", "xstatic.pkg.leaflet",
        "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
    ),
    LEAFLET_CSS_CDN: VendorFile(
        f"{_LEAFLET}/leaflet.css", "leaflet.css", "xstatic.pkg.leaflet",
        "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
    ),
    JQUERY_JS_CDN: VendorFile(
        f"{_JQUERY}/jquery.min.js", "jquery.min.js", "xstatic.pkg.jquery",
        "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a",
    ),
}

#: Files that the ones above load in turn (leaflet.css refers to images/ relative to itself),
#: and the license texts.
SUPPORT_FILES: tuple[VendorFile, ...] = (
    VendorFile(f"{_LEAFLET}/images/layers.png", "images/layers.png", "xstatic.pkg.leaflet",
               "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6"),
    VendorFile(f"{_LEAFLET}/images/layers-2x.png", "images/layers-2x.png", "xstatic.pkg.leaflet",
               "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf"),
    VendorFile(f"{_LEAFLET}/images/marker-icon.png", "images/marker-icon.png", "xstatic.pkg.leaflet",
               "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437"),
    VendorFile(f"{_LEAFLET}/images/marker-icon-2x.png", "images/marker-icon-2x.png", "xstatic.pkg.leaflet",
               "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528"),
    VendorFile(f"{_LEAFLET}/images/marker-shadow.png", "images/marker-shadow.png", "xstatic.pkg.leaflet",
               "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da"),
    VendorFile(f"{_LEAFLET}/LICENSE", f"vendor_licenses/{_LEAFLET}-LICENSE", "dossier",
               "97c194191510b19c72d25094922821a888d5d9bafb909ea7a38c9bf5b6c40a08"),
    VendorFile(f"{_JQUERY}/LICENSE", f"vendor_licenses/{_JQUERY}-LICENSE", "dossier",
               "d4db9ebe6f29f5168eac45ad713f055623ac5d0dcd5ba92da23d650ae012020d"),
)


class VendorError(RuntimeError):
    """A vendored file is missing, of another version, or not the pinned bytes."""


def all_files() -> tuple[VendorFile, ...]:
    """Every file published under ``_vendor/``, in a fixed order."""
    return tuple(CDN_FILES.values()) + SUPPORT_FILES


def local_url(cdn_url: str) -> str:
    """The copy's path relative to the book's root, e.g. ``_vendor/leaflet-1.9.3/leaflet.js``."""
    return f"{VENDOR_DIR}/{CDN_FILES[cdn_url].local_path}"


def source_path(item: VendorFile) -> Path:
    """Where the file is on this machine (inside the installed package)."""
    if item.package == "dossier":
        return Path(str(resources.files("dossier").joinpath(item.source)))
    try:
        module = importlib.import_module(item.package)
    except ImportError:
        raise VendorError(f"{item.package} is not installed (pip install the pinned xstatic package)") from None
    expected = _XSTATIC[item.package]
    if getattr(module, "VERSION", None) != expected:
        raise VendorError(f"{item.package} is version {getattr(module, 'VERSION', '?')}, expected {expected}")
    return Path(module.BASE_DIR) / item.source


def _verified_bytes(item: VendorFile) -> bytes:
    path = source_path(item)
    try:
        data = path.read_bytes()
    except OSError:
        raise VendorError(f"{path}: missing (needed for {VENDOR_DIR}/{item.local_path})") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != item.sha256:
        raise VendorError(f"{path}: sha256 {digest} is not the pinned {item.sha256}")
    return data


def copy_vendor(dest_dir: str | Path) -> list[Path]:
    """Copy every vendored file into ``dest_dir/_vendor/...`` and return the paths written.

    Every file is checked against its pinned sha256 before any is written, so a bad source
    publishes nothing. They are written all or nothing (:func:`dossier.io.commit_files`); files
    that already hold the right bytes are left alone, so repeated builds do not touch them.
    """
    verified = [(item, _verified_bytes(item)) for item in all_files()]
    targets = {Path(dest_dir) / VENDOR_DIR / item.local_path: data for item, data in verified}
    changed = {target: data for target, data in targets.items()
               if not (target.is_file() and target.read_bytes() == data)}
    commit_files(changed)
    return list(targets)


def check_folium_urls() -> list[str]:
    """Differences between folium's default URLs and the ``*_CDN`` constants (empty if none).

    A folium upgrade that changes Leaflet's or jQuery's URL would silently leave maps pointing
    at the CDN; the tests call this to catch it.
    """
    import folium

    urls = {url for _, url in folium.Map.default_js} | {url for _, url in folium.Map.default_css}
    return [f"folium no longer uses {url}" for url in CDN_FILES if url not in urls]


__all__ = [
    "CDN_FILES",
    "JQUERY_JS_CDN",
    "JQUERY_VERSION",
    "LEAFLET_CSS_CDN",
    "LEAFLET_JS_CDN",
    "LEAFLET_VERSION",
    "SUPPORT_FILES",
    "VENDOR_DIR",
    "VendorError",
    "VendorFile",
    "all_files",
    "check_folium_urls",
    "copy_vendor",
    "local_url",
    "source_path",
]
