"""The pack: every sheet composed and printed, written all or nothing (:func:`make`); and the pack
published inside a built site (used by :mod:`dossier.sphinxext.handouts`)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dossier import config
from dossier.handouts.contents import (EDITIONS, MANIFEST, MAPS_DIR, PUBLISHED_DIR, HandoutError, catalogue, default_out,
                                       site_dir, visible_to)
from dossier.handouts.printer import Printer, chromium_path
from dossier.handouts.sheets import compose
from dossier.handouts.site import Site


def off_the_running_loop(work):
    """Run `work()` in this thread, or in a thread of its own when an asyncio loop is running in this
    one (in Jupyter, or beside another Playwright session, as in the test suite): Playwright's sync
    API refuses to start inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="handouts") as pool:
        return pool.submit(work).result()


@contextmanager
def _browser_errors(kind):
    """A failure inside the browser (a page that does not load, a timeout) as one line."""
    try:
        yield
    except HandoutError:
        raise
    except kind as exc:
        raise HandoutError(f"the browser failed: {str(exc).strip().splitlines()[0]}") from None


def check_writable(out: Path) -> None:
    """Fail early, with one line, if `out` cannot hold the pack."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".handouts-check-"):
            pass
    except OSError as exc:
        raise HandoutError(f"cannot write to {config.shown(out)}: {exc.strerror or exc}") from None


def pdf_pages(data: bytes) -> int:
    import io as stdio

    from pypdf import PdfReader

    return len(PdfReader(stdio.BytesIO(data)).pages)


@dataclass
class Result:
    written: list[Path]
    manifest: dict


def make(out: Path | None = None, sites: dict[str, Path] | None = None, only: list[str] | None = None,
         log=None) -> Result:
    """Compose every sheet, print it and write the pack into `out` (default `_build/handouts/`):
    `out/student/*.pdf`, `out/instructor/*.pdf`, `out/maps/*.jpg` and `out/manifest.json`, all or
    nothing. `sites` overrides where the built editions are; `only` limits the pack to these names."""
    out = Path(out) if out is not None else default_out()
    roots = {edition: Path((sites or {}).get(edition) or site_dir(edition)) for edition in EDITIONS}
    readers = {edition: Site(edition, root) for edition, root in roots.items()}
    handouts = [h for h in catalogue() if not only or h.name in only]
    if only and len(handouts) != len(set(only)):
        unknown = sorted(set(only) - {h.name for h in handouts})
        raise HandoutError(f"unknown handout {unknown[0]!r}; known: {', '.join(h.name for h in catalogue())}")
    for reader in readers.values():
        reader.check()
    chromium_path()
    check_writable(out)
    sheets = [compose(handout, readers) for handout in handouts]
    files: dict[Path, bytes] = {}
    # A partial run (`only`) updates the manifest of the pack already there.
    manifest: dict = read_manifest(out) if only else {"pdfs": {}, "maps": []}
    try:
        from playwright.sync_api import Error as BrowserError
    except ImportError:  # reported by Printer, with what to do
        BrowserError = HandoutError

    def print_sheets() -> None:
        with Printer(readers) as printer, _browser_errors(BrowserError):
            map_pages = sorted(f"book/{chapter}" for chapter in config.map_chapters())
            pictures = printer.map_pictures("student", map_pages) if any(sheet.maps for sheet in sheets) else {}
            images = {map_id: "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
                      for map_id, data in pictures.items()}
            for map_id, data in sorted(pictures.items()):
                files[out / MAPS_DIR / f"{map_id}.jpg"] = data
            manifest["maps"] = sorted(set(manifest.get("maps", [])) | {f"{map_id}.jpg" for map_id in pictures})
            for sheet in sheets:
                mark = time.perf_counter()
                data = printer.pdf(sheet, images)
                seconds = time.perf_counter() - mark
                files[sheet.handout.path(out)] = data
                pages = pdf_pages(data)
                manifest["pdfs"][f"{sheet.handout.edition}/{sheet.handout.filename}"] = {
                    "title": sheet.handout.title, "pages": pages, "bytes": len(data)}
                if log:
                    log(f"{sheet.handout.edition}/{sheet.handout.filename}: {pages} pages ({seconds:.1f} s)")

    off_the_running_loop(print_sheets)
    files[out / MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    from dossier import io as dossier_io

    try:
        written = dossier_io.commit_files(files)
    except OSError as exc:
        raise HandoutError(f"cannot write the pack into {config.shown(out)}: {exc.strerror or exc}") from None
    if not only:
        keep = set(written)
        for folder in [out / edition for edition in EDITIONS] + [out / MAPS_DIR]:
            for stale in folder.glob("*"):
                if stale.is_file() and stale not in keep:
                    stale.unlink()
    return Result(written, manifest)


# --------------------------------------------------------------------------------------------
# Publishing the pack inside a built site (used by dossier.sphinxext.handouts)


def read_manifest(pack: Path) -> dict:
    try:
        return json.loads((Path(pack) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"pdfs": {}, "maps": []}


def published_files(pack: Path, site_edition: str) -> dict[str, Path]:
    """What a site of `site_edition` publishes from the pack in `pack`: its path inside the site's
    `handouts/` folder -> the file. The student site gets the student PDFs and the map pictures,
    never an instructor PDF."""
    pack = Path(pack)
    found: dict[str, Path] = {}
    for edition in visible_to(site_edition):
        for handout in catalogue(edition):
            path = handout.path(pack)
            if path.is_file():
                found[f"{edition}/{handout.filename}"] = path
    for picture in sorted((pack / MAPS_DIR).glob("*.jpg")) if (pack / MAPS_DIR).is_dir() else []:
        found[f"{MAPS_DIR}/{picture.name}"] = picture
    return found


def publish(pack: Path, site_root: Path, site_edition: str) -> list[Path]:
    """Replace `site_root/handouts/` by the files the site may publish; return what was copied."""
    target = Path(site_root) / PUBLISHED_DIR
    files = published_files(pack, site_edition)
    if target.exists():
        shutil.rmtree(target)
    copied = []
    for relative, source in files.items():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def fingerprint(pack: Path, site_edition: str) -> str:
    """Changes whenever a file the site would publish changes (for Sphinx's rebuild decision)."""
    parts = []
    for relative, path in sorted(published_files(pack, site_edition).items()):
        stat = path.stat()
        parts.append(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def size_label(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
