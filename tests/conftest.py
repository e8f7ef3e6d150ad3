"""Helpers and fixtures shared by the tests.

Lists (chapters, themes, maps) come from `dossier.config`, which reads them from the files that
hold them (_toc.yml, data/themes.yml, data/maps.yml): the tests never type a list again.

Plain helpers are imported by the test modules (`from conftest import ...`); fixtures are found
by pytest. Tests that read a built book fail, never skip, when it is missing, and say which
command builds it; so do tests that need chromium.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier import config, handouts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BOOK = ROOT / "book"
STUDENT = ROOT / "_build" / "html"
INSTRUCTOR = ROOT / "_build" / "instructor" / "html"
GLOSSARY = DATA / "glossary.yml"  # the glossary page's entries are written from it (dossier.sphinxext.glossary)
BIBLIOGRAPHY = BOOK / "references.bib"

CURLY_QUOTATION = re.compile(r"“([^“”]*)”")
CITATION = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
LABELLED_TARGET = re.compile(r".*<(?P<target>[^>]+)>\s*$")
BIB_ENTRY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
# Chromium's flags, as `make handouts` launches it: every host but this machine is unreachable, as
# in a classroom without network; a request to another host fails at once (and is recorded as
# blocked by `visit`).
CHROMIUM_ARGS = handouts.CHROMIUM_ARGS


# --------------------------------------------------------------------------------------------
# Text


# Collapse every run of whitespace to one space and strip the ends.
normalise = handouts.normalise


@functools.lru_cache(maxsize=None)
def paragraph_rows() -> tuple[dict[str, str], ...]:
    """Rows of data/paragraphs.csv in reading order (read with csv, not with the code under test)."""
    with (DATA / "paragraphs.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(sorted(csv.DictReader(handle), key=lambda row: int(row["order"])))


@functools.lru_cache(maxsize=None)
def article_text() -> str:
    """Everything the article's page says of it: title, paragraphs, subheadings, the disclaimer and
    the author's description printed under the article, normalised."""
    article = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    rows = paragraph_rows()
    sections = [row["section"] for row in rows if row["section"]]
    parts = [article["title"], *sections, *(row["text"] for row in rows), article["disclaimer"], article["author_bio"]]
    return " \n ".join(normalise(part) for part in parts)


def misquotations(texts: list[tuple[str, str]], source: str | None = None) -> list[str]:
    """Problems with curly-double-quoted text: each “…” must be a verbatim part of the article.

    `texts` are (where, text) pairs; whitespace is normalised on both sides. Returns one message
    per misquotation or unpaired quotation mark (an empty list when all is well).
    """
    source = article_text() if source is None else source
    problems = []
    for where, text in texts:
        for match in CURLY_QUOTATION.finditer(text):
            quoted = normalise(match.group(1))
            if not quoted or quoted not in source:
                problems.append(f"{where}: “{quoted}” is not in the article")
        leftover = CURLY_QUOTATION.sub("", text)
        if "“" in leftover or "”" in leftover:
            problems.append(f"{where}: unpaired curly double quote")
    return problems


def glossary_terms(path: Path = GLOSSARY) -> set[str]:
    """The terms the glossary defines: every `term` and alias of data/glossary.yml (read with yaml,
    not with the code under test)."""
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]
    return {name for entry in entries for name in [entry["term"], *(entry.get("aliases") or [])]}


def bibliography_keys(path: Path = BIBLIOGRAPHY) -> set[str]:
    """The citation keys of the BibTeX file."""
    return set(BIB_ENTRY.findall(path.read_text(encoding="utf-8")))


def cited_keys(text: str) -> list[str]:
    """The keys in every {cite:p}`a,b` / {cite:t}`a` role of a text."""
    return [key.strip() for body in CITATION.findall(text) for key in body.split(",") if key.strip()]


def linked_terms(text: str) -> list[str]:
    """The glossary terms linked with {term}`X` or {term}`shown text <X>` in a text."""
    terms = []
    for body in TERM_ROLE.findall(text):
        labelled = LABELLED_TARGET.match(body)
        terms.append(labelled["target"].strip() if labelled else body.strip())
    return terms


# --------------------------------------------------------------------------------------------
# The book's chapters (from _toc.yml) and notebooks


def toc_docnames() -> list[str]:
    """Document names of _toc.yml, root first, e.g. 'book/intro'."""
    return [chapter.docname for chapter in config.chapters()]


def notebook_docnames() -> list[str]:
    """Document names of the chapters written as notebooks, in reading order (e.g. 'book/ttp')."""
    return [c.docname for c in config.chapters() if (ROOT / f"{c.docname}.ipynb").is_file()]


# The reading copy (book/reading.ipynb) holds the article and its prompts only, without the
# chapter frame; its notebook says so in its metadata.
is_reading_copy = handouts.is_reading_copy


def notebook_cells(name: str) -> list[dict]:
    """The cells of book/<name>.ipynb, as JSON."""
    return json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def load_script(name: str):
    """scripts/<name>.py as a module, loaded afresh from its path on every call."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# Built books


def require_build(root: Path, command: str) -> Path:
    """`root` if it holds a built book; otherwise fail (never skip) and say how to build it."""
    if not (root / "index.html").is_file():
        pytest.fail(f"{root.relative_to(ROOT)}/index.html is missing: run `{command}` first", pytrace=False)
    return root


@pytest.fixture(scope="session")
def student() -> Path:
    return require_build(STUDENT, "make book")


@pytest.fixture(scope="session")
def instructor() -> Path:
    return require_build(INSTRUCTOR, "make instructor")


@pytest.fixture(scope="session", params=["student", "instructor"])
def edition(request) -> Path:
    """Each edition in turn, for the checks that hold for both."""
    if request.param == "student":
        return require_build(STUDENT, "make book")
    return require_build(INSTRUCTOR, "make instructor")


@pytest.fixture(scope="module")
def student_url(student):
    """The student edition served on 127.0.0.1 (for the browser)."""
    with serve(student) as url:
        yield url


@functools.lru_cache(maxsize=None)
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(root: Path) -> list[Path]:
    """Every page of a built book (the theme's template fragments under _static/ are not pages)."""
    return sorted(p for p in root.rglob("*.html") if not {"_static", "_vendor"} & set(p.relative_to(root).parts))


def article_main(page: Path):
    """The article body of a page (without the theme's sidebars, header and footer)."""
    main = soup(page).select_one("article.bd-article")
    assert main is not None, f"{page}: no <article class='bd-article'>"
    return main


# --------------------------------------------------------------------------------------------
# A browser


# The book is served as `make handouts` serves it: on 127.0.0.1 at a free port, in a thread.
serve = handouts.serve


def chromium_path() -> str:
    """The chromium to drive, found as `make handouts` finds it ($CHROMIUM, else `chromium` on
    PATH); fail (never skip) if there is none."""
    try:
        return handouts.chromium_path()
    except handouts.HandoutError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium, driven by Playwright (one per test process)."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -r requirements.txt", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --------------------------------------------------------------------------------------------
# Visiting a page of a built book

TILE_HOST = "tile.openstreetmap.org"
MAP_PAGES = config.map_chapters()  # chapters with a map
KNOWN_ERROR = "SyntaxError: Identifier 'THEBE_JS_URL' has already been declared"
KNOWN_ERROR_SOURCE = 'const THEBE_JS_URL = "'
VIEWPORT = handouts.VIEWPORT
MAP_TIMEOUT_MS = handouts.MAP_TIMEOUT_MS


@dataclass
class Visit:
    """What happened when a page was opened: requests, blocked requests, errors and maps."""

    url: str
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    responses: list[tuple[str, int]] = field(default_factory=list)
    maps: dict[str, list[dict]] = field(default_factory=dict)  # figure id -> Leaflet maps in its iframe
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # figure id -> text alternative


# Runs inside a map's iframe: everything the assertions need about each Leaflet map there.
MAP_REPORT_JS = """() => {
  const flat = layer => layer.getLatLngs().flat(Infinity).map(p => [p.lat, p.lng]);
  const drawn = layer => Boolean(layer._path && document.contains(layer._path) && layer._path.getAttribute('d'));
  const maps = Object.values(window).filter(v => { try { return v instanceof L.Map; } catch (e) { return false; } });
  return maps.map(map => {
    const report = {
      size: map.getSize(), container: [map.getContainer().offsetWidth, map.getContainer().offsetHeight],
      leaflet: L.version, jquery: Boolean(window.jQuery),
      focusable: Array.from(document.querySelectorAll('path[role="button"][tabindex="0"]')).length,
      paneStyled: getComputedStyle(map.getPane('mapPane')).position === 'absolute',
      markers: [], routes: [], durand: [], tiles: [],
    };
    map.eachLayer(layer => {
      if (layer instanceof L.CircleMarker) {
        const p = layer.getLatLng();
        report.markers.push({placeId: layer.options.placeId ?? null, lat: p.lat, lng: p.lng, drawn: drawn(layer)});
      } else if (layer instanceof L.Polyline && !(layer instanceof L.Polygon) && layer.options.routeId !== undefined) {
        report.routes.push({routeId: layer.options.routeId, latlngs: flat(layer), drawn: drawn(layer)});
      } else if (layer instanceof L.GeoJSON && layer.options.featureRole === 'durand_line') {
        report.durand.push(layer.getLayers().map(part => ({latlngs: flat(part).length, drawn: drawn(part),
                                                            d: part._path ? part._path.getAttribute('d').length : 0})));
      } else if (layer instanceof L.TileLayer) {
        report.tiles.push(layer._url);
      }
    });
    return report;
  });
}"""

# Runs inside a map's iframe: true once Leaflet has made a map there.
MAP_READY_JS = """() => window.L && Object.values(window).some(v => {
  try { return v instanceof L.Map; } catch (e) { return false; }
})"""

# Runs in the page: the rows of each map's text alternative, as a screen reader gets them.
TABLE_JS = """figure => Array.from(figure.querySelectorAll('table tbody tr')).map(row => {
  const cells = Array.from(row.querySelectorAll('td')).map(td => td.textContent.trim());
  return {What: cells[0], Kind: cells[1], Where: cells[2], Source: cells[3]};
})"""


# Runs in the page: resolves after two frames and a short pause, once what the load started has run.
SETTLE_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"


def settle(page) -> None:
    """Let scripts started by the load event run (errors they throw are recorded by then).

    Cheaper than Playwright's "networkidle", which waits 500 ms without a request on every page.
    """
    page.evaluate(SETTLE_JS)


def visit(browser, base_url: str, path: str, screenshot: Path | None = None) -> Visit:
    """Open `path` (every other host is unreachable: see CHROMIUM_ARGS); read each map (scrolled
    into view first). Requests to other hosts fail, and are recorded in `blocked`."""
    result = Visit(url=base_url + path)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.on("requestfailed", lambda request: None if request.url.startswith(base_url) else result.blocked.append(request.url))
    page.on("pageerror", lambda error: result.errors.append(f"{error.name}: {error.message}"))
    page.on("response", lambda response: result.responses.append((response.url, response.status)))
    try:
        page.goto(result.url, wait_until="load")
        figures = page.locator("figure.dossier-map")
        for number in range(figures.count()):
            figure = figures.nth(number)
            figure_id = figure.get_attribute("id") or f"figure-{number}"
            iframe = figure.locator("iframe")
            iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
            frame = iframe.element_handle().content_frame()
            frame.wait_for_load_state("load")
            frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
            result.maps[figure_id] = frame.evaluate(MAP_REPORT_JS)
            result.tables[figure_id] = figure.evaluate(TABLE_JS)
        settle(page)
        if screenshot is not None and figures.count():
            figures.first.locator("iframe").evaluate("element => element.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(300)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
    finally:
        context.close()
    return result


def unexpected_errors(errors: list[str], page_html: str) -> list[str]:
    """Errors other than the known sphinx-thebe one (allowed once, where the duplicate script is)."""
    allowed = 1 if page_html.count(KNOWN_ERROR_SOURCE) == 2 else 0
    unexpected = [error for error in errors if error != KNOWN_ERROR]
    if errors.count(KNOWN_ERROR) > allowed:
        unexpected.append(f"{KNOWN_ERROR} (x{errors.count(KNOWN_ERROR)}, allowed {allowed})")
    return unexpected



# The repository's LICENSE (the long form of dossier.licence's line).
LICENSE_TEXT = (ROOT / "LICENSE").read_text(encoding="utf-8") if (ROOT / "LICENSE").is_file() else ""
