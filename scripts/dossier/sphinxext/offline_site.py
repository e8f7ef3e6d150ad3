"""Sphinx extension: the whole book offline after one visit, and as a zip for a USB stick.

When an HTML build has finished (after every other extension has published its files: the
handouts, Leaflet, the stylesheet of :mod:`.light_pages`), this writes into the output:

* ``sw.js``, a service worker of the book's own (about 80 lines): on its first visit a browser
  installs it and it fetches every page and every file the pages load (the **precache list**, made
  here from the build output: each page's ``src``/``href``, the documents of its maps, the
  ``url()`` of the stylesheet, the manifest's icons); afterwards it answers from that cache first,
  so every page, its maps and the search work with no network. PDFs, notebooks and other downloads
  are kept once opened. The list carries each file's sha256: a rebuilt book that changed anything
  gives a new ``sw.js``, which the browser finds on the next visit, fetching only the files whose
  hash changed. No timestamp is written: the same build gives the same bytes.
* ``manifest.webmanifest`` and its icons (``_static/icon.svg``, PNGs drawn with Pillow), so the
  book can be added to a phone's home screen.
* ``dossier-offline.zip``: the built site, every file the pages use, to download from the footer
  and open from ``file://`` (``index.html``). Pages, links, maps and folded answers work there;
  browsers do not run service workers under ``file://``, and search lists the matching pages
  without the lines around each match (the search page cannot fetch the pages from files). Its
  entries have a fixed date, so it is byte-stable too.

Why a worker of our own rather than Workbox: Workbox's precaching (workbox-cli or
workbox-build, from npm) would bring Node into ``make book``, which the README's fresh machine
does not promise; what the book needs (a precache list with content hashes, cache first, PDFs on
demand, old caches dropped) is a page of JavaScript. ``sphinxext-pwa`` (PyPI) runs
``npm install workbox-cli`` during the build and calls itself highly experimental.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.util import logging

from . import light_pages
from .htmlcheck import srcdoc_documents

logger = logging.getLogger(__name__)

WORKER = "sw.js"
ZIP = "dossier-offline.zip"
ICONS = {"_static/icon.svg": "any", "_static/icon-192.png": "192x192", "_static/icon-512.png": "512x512"}
# Kept once opened, not fetched in advance (PDFs can be large; notebooks and sources are downloads).
ON_DEMAND = {".pdf", ".zip", ".ipynb", ".md", ".txt", ".py", ".tex", ".inv"}
NEVER = {ZIP, WORKER}
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_REF = re.compile(r"""\s(?:src|href)=["']([^"']+)["']""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def _local_target(base: Path, url: str, outdir: Path) -> Path | None:
    url = html.unescape(url).strip()
    if not url or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", url, re.I):
        return None
    path = (base / url.split("#")[0].split("?")[0]).resolve()
    try:
        path.relative_to(outdir.resolve())
    except ValueError:
        return None
    return path if path.is_file() else None


def referenced_files(outdir: Path) -> list[Path]:
    """Every page of the output and every local file they load or link (maps and stylesheets
    followed), sorted; the zip and the worker left out."""
    outdir = outdir.resolve()
    found: set[Path] = set()
    pending: list[Path] = [p.resolve() for p in light_pages.pages(outdir)]
    pending.append(outdir / light_pages.MANIFEST)
    while pending:
        path = pending.pop()
        if path in found or not path.is_file():
            continue
        found.add(path)
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            urls = _REF.findall(text) + [u for doc in srcdoc_documents(text) for u in _REF.findall(doc)]
        elif path.suffix == ".css":
            urls = _CSS_URL.findall(path.read_text(encoding="utf-8"))
        elif path.suffix == ".webmanifest":
            urls = [icon["src"] for icon in json.loads(path.read_text(encoding="utf-8")).get("icons", [])]
        else:
            continue
        for url in urls:
            target = _local_target(path.parent, url, outdir)
            if target is not None and target not in found:
                pending.append(target)
    return sorted(p for p in found if p.relative_to(outdir).as_posix() not in NEVER)


def precache_list(outdir: Path) -> list[tuple[str, str]]:
    """(path from the site's root, sha256) of every file the worker fetches in advance."""
    outdir = outdir.resolve()
    return [(p.relative_to(outdir).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in referenced_files(outdir) if p.suffix.lower() not in ON_DEMAND]


def worker_script(files: list[tuple[str, str]]) -> str:
    template = (light_pages.STATIC / "sw.js").read_text(encoding="utf-8")
    listing = json.dumps(dict(files), indent=0, sort_keys=True)
    version = hashlib.sha256(listing.encode()).hexdigest()[:16]
    return template.replace("__VERSION__", version).replace("__FILES__", listing)


def manifest(title: str, start: str) -> dict:
    short = title.split(":")[0].strip()
    return {
        "name": title,
        "short_name": short if len(short) <= 40 else short[:40],
        "start_url": start,
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": light_pages.THEME_COLOUR,
        "icons": [{"src": src, "sizes": sizes, "type": "image/svg+xml" if src.endswith(".svg") else "image/png",
                   "purpose": "any"} for src, sizes in ICONS.items()],
    }


def write_icons(outdir: Path) -> None:
    """The book's icon: the SVG of static/, and PNGs of it drawn with Pillow (same shapes)."""
    from PIL import Image, ImageDraw

    svg = (light_pages.STATIC / "icon.svg").read_text(encoding="utf-8")
    (outdir / "_static" / "icon.svg").write_text(svg, encoding="utf-8")
    for src, sizes in ICONS.items():
        if not src.endswith(".png"):
            continue
        size = int(sizes.split("x")[0])
        scale = size / 96
        image = Image.new("RGB", (size, size), light_pages.THEME_COLOUR)
        draw = ImageDraw.Draw(image)
        # An open book (two pages) over a line: the shapes of static/icon.svg, on a 96 grid.
        draw.polygon([(p[0] * scale, p[1] * scale) for p in ((18, 30), (46, 36), (46, 72), (18, 66))], fill="#ffffff")
        draw.polygon([(p[0] * scale, p[1] * scale) for p in ((50, 36), (78, 30), (78, 66), (50, 72))], fill="#ffffff")
        image.save(outdir / src, format="PNG", optimize=True)


def write_zip(outdir: Path, files: list[Path]) -> Path:
    """The site as a zip, entries sorted, with a fixed date (byte-stable); written atomically."""
    target = outdir / ZIP
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(PurePosixPath("dossier", path.relative_to(outdir.resolve()).as_posix()).as_posix(), ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(target)
    return target


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir).resolve()
    write_icons(outdir)
    start = "index.html"
    (outdir / light_pages.MANIFEST).write_text(
        json.dumps(manifest(app.config.html_title or app.config.project, start), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    files = precache_list(outdir)
    (outdir / WORKER).write_text(worker_script(files), encoding="utf-8")
    archive = write_zip(outdir, referenced_files(outdir))
    logger.info(f"offline site: {len(files)} files precached by {WORKER}; {ZIP} "
                f"({archive.stat().st_size / 1e6:.1f} MB)")


def setup(app: Sphinx) -> dict:
    app.setup_extension("dossier.sphinxext.light_pages")
    app.connect("build-finished", _build_finished, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
