"""Accessibility (WCAG 2.2 AA, as axe-core checks it) and a clean console, on every page of both
editions, in light and in dark mode.

Both editions (`_build/html` from `make book`, `_build/instructor/html` from `make instructor`) are
served on 127.0.0.1 and opened in headless chromium, with every other host unreachable. Each page is
opened in two modes of the theme (pydata-sphinx-theme), each in its own browser context:

* light: a first visit (nothing stored: the storage is emptied before every page), system light;
* dark: a later visit by a reader who chose dark with the theme's switch (which stores `mode` and
  `theme` = "dark" in localStorage), system dark.

On each page the maps are scrolled into view and drawn first. Then:

* no console error was logged and no JavaScript error thrown while the page loaded (requests to
  other hosts fail here, as offline: their "Failed to load resource" errors are the only ones
  allowed);
* the page is in the mode it was opened in (`data-theme` on <html>);
* axe-core (bundled with axe-playwright-python: nothing is fetched), injected into the page and
  into every map's frame, finds no violation of impact "serious" or "critical" among all the rules
  tagged wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa (none is left out), and no frame went
  unscanned (axe's `frame-tested` rule).

The console is read before axe runs: axe fetches the page's stylesheets again to read them, and
resolves the theme's `@import "../basic.css"` against the page rather than the stylesheet (a 404 of
its own, not the page's).

The one page not scanned is the edition's root index.html: a bare redirect to the first chapter,
which the readers never see (test_browser_pages.py checks that it redirects); a test below holds it
to being nothing else.

For speed, one browser tab per mode and the pages in a loop; while axe runs in one tab the other
loads its page or runs axe too (two renderer processes, two CPUs). Still, this is the slowest test
of the suite: axe's colour-contrast rule takes 0.3 to 1.3 s a page (most of the time). A planted
page checks that the harness does catch low contrast, a missing language, a console error and a
thrown error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from conftest import (INSTRUCTOR, MAP_READY_JS, MAP_TIMEOUT_MS, STUDENT, VIEWPORT, html_pages, load_script, require_build,
                      serve, settle, toc_docnames)

build_book = load_script("build_book")

EDITIONS = {"student": (STUDENT, "make book"), "instructor": (INSTRUCTOR, "make instructor")}
MODES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every rule with those tags, and `frame-tested`, which reports a frame that axe could not enter.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {"frame-tested": {"enabled": True}},
               "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}
REDIRECT = '<meta http-equiv="Refresh" content="0; url={first}.html" />'  # Jupyter Book's root index.html

# Before any script of the page: the storage of a first visit, or of a reader who chose dark.
FIRST_VISIT_JS = "try { localStorage.clear(); } catch (e) {}"
CHOSE_DARK_JS = "try { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); } catch (e) {}"

# Starts axe once this call has returned (axe runs in one go, in promise callbacks: started here
# directly, it would finish before the call returns); RESULT_JS waits for it and keeps what the tests need.
START_AXE_JS = """options => {
  window.__dossierAxe = new Promise(started => setTimeout(started, 0)).then(() => axe.run(document, options));
}"""
RESULT_JS = """() => window.__dossierAxe.then(results => ({
  violations: results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})),
  unscannedFrames: results.incomplete.filter(r => r.id === 'frame-tested').flatMap(r => r.nodes.map(n => n.target)),
}))"""


@dataclass
class PageScan:
    """One page in one mode: the errors its console showed, its mode, and what axe found."""

    path: str
    mode: str
    theme: str = ""
    console: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    unscanned_frames: list = field(default_factory=list)

    def blocking(self) -> list[str]:
        """The serious and critical violations, one line per element."""
        return [f"{self.path} [{self.mode}] {v['impact']} {v['id']} ({v['help']}): {node['target']} "
                f"{' '.join(node['summary'].split())[:200]}"
                for v in self.violations if v["impact"] in BLOCKING for node in v["nodes"]]


class Tab:
    """A browser tab in one mode, with its own context (storage) and console record."""

    def __init__(self, browser, mode: str, base_url: str):
        self.mode, self.base_url = mode, base_url
        self.context = browser.new_context(viewport=VIEWPORT, color_scheme=mode)
        self.context.add_init_script(FIRST_VISIT_JS if mode == "light" else CHOSE_DARK_JS)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console.append(f"thrown: {error.name}: {error.message}"))
        self.scan: PageScan | None = None

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and urlsplit(url).netloc not in ("", urlsplit(self.base_url).netloc):
            return  # a request to another host, unreachable (offline)
        self.console.append(f"{message.text} ({url})")

    def open(self, path: str) -> None:
        """Load `path`, draw its maps, read its console and mode, and start axe (not waiting for it)."""
        self.console.clear()
        self.scan = PageScan(path, self.mode)
        page = self.page
        page.goto(self.base_url + path, wait_until="load")
        for iframe in page.locator("figure.dossier-map iframe").all():
            iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
            frame = iframe.element_handle().content_frame()
            frame.wait_for_load_state("load")
            frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
        settle(page)
        self.scan.console = list(self.console)
        self.scan.theme = page.evaluate("() => document.documentElement.dataset.theme")
        page.evaluate("() => window.scrollTo(0, 0)")
        for frame in page.frames:
            frame.evaluate(AXE_SCRIPT)
        page.evaluate(START_AXE_JS, AXE_OPTIONS)

    def result(self) -> PageScan:
        """Wait for axe on the page last opened."""
        found = self.page.evaluate(RESULT_JS)
        self.scan.violations, self.scan.unscanned_frames = found["violations"], found["unscannedFrames"]
        return self.scan

    def close(self) -> None:
        self.context.close()


def scan_pages(browser, root: Path, paths: list[str]) -> dict[str, list[PageScan]]:
    """Every page of `paths` under `root`, in each mode: {mode: [PageScan, ...]}."""
    scans: dict[str, list[PageScan]] = {mode: [] for mode in MODES}
    with serve(root) as base_url:
        tabs = [Tab(browser, mode, base_url) for mode in MODES]
        try:
            # Each tab collects its previous page just before opening the next: while axe runs in
            # one tab, the other loads its page or runs axe too.
            for path in paths:
                for tab in tabs:
                    if tab.scan is not None:
                        scans[tab.mode].append(tab.result())
                    tab.open(path)
            for tab in tabs:
                scans[tab.mode].append(tab.result())
        finally:
            for tab in tabs:
                tab.close()
    return scans


def built_pages(root: Path) -> list[str]:
    """Every page of a built edition, but its root index.html (a bare redirect)."""
    return [page.relative_to(root).as_posix() for page in html_pages(root) if page != root / "index.html"]


def edition_pages(edition: str) -> list[str]:
    """The pages an edition should have, from its sources (_toc.yml, and the part the instructor
    edition adds, _toc_instructor.yml), so the tests exist before anything is built."""
    docnames = toc_docnames()
    if edition == "instructor":
        docnames += build_book.instructor_docnames()
    return sorted([f"{name}.html" for name in docnames] + ["search.html", "genindex.html"])


PAGES = [(edition, mode, path) for edition in EDITIONS for mode in MODES for path in edition_pages(edition)]


@pytest.fixture(scope="module")
def scans(browser):
    """{edition: {mode: {path: PageScan}}}, each edition scanned once, when first asked for."""
    done: dict[str, dict[str, dict[str, PageScan]] | str] = {}

    def get(edition: str) -> dict[str, dict[str, PageScan]]:
        if edition not in done:
            root, command = EDITIONS[edition]
            require_build(root, command)
            try:
                found = scan_pages(browser, root, edition_pages(edition))
                done[edition] = {mode: {scan.path: scan for scan in found[mode]} for mode in MODES}
            except Exception as error:  # e.g. a map that never draws: every test of the edition fails with it
                done[edition] = f"{edition} edition: {type(error).__name__}: {str(error).splitlines()[0]}"
        if isinstance(done[edition], str):
            pytest.fail(done[edition], pytrace=False)
        return done[edition]

    return get


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_but_the_redirect_is_scanned(edition):
    root, command = EDITIONS[edition]
    require_build(root, command)
    redirect = REDIRECT.format(first=toc_docnames()[0])
    assert (root / "index.html").read_text(encoding="utf-8").strip() == redirect, "index.html is more than a redirect"
    assert built_pages(root) == edition_pages(edition)


@pytest.mark.parametrize(("edition", "mode", "path"), PAGES)
def test_no_serious_or_critical_accessibility_violation(scans, edition, mode, path):
    scan = scans(edition)[mode][path]
    assert scan.theme == mode, f"{path} opened in {mode} mode shows data-theme={scan.theme!r}"
    assert scan.unscanned_frames == [], "frames axe could not enter"
    assert scan.blocking() == []


@pytest.mark.parametrize(("edition", "mode", "path"), PAGES)
def test_no_console_error(scans, edition, mode, path):
    assert scans(edition)[mode][path].console == []


def test_the_scan_catches_planted_problems(browser, tmp_path):
    """A planted page: low contrast in light mode only, a page without a language, a console error,
    a thrown error, a failed request to another host (allowed) and a map-like frame. The harness must
    report each, and only these."""
    style = "<style>html[data-theme='light'] .faint { color: #bbb; background: #fff; }</style>"
    head = f"<!DOCTYPE html><html lang='en'><head><title>planted</title><link rel='icon' href='data:,'>{style}</head>"
    (tmp_path / "faint.html").write_text(
        head + "<body><main><p class='faint'>Hard to read in light mode.</p>"
        "<iframe title='frame' srcdoc='<p>inside</p>'></iframe>"
        "<script>document.documentElement.dataset.theme = localStorage.getItem('theme') || 'light';"
        "console.error('planted error'); fetch('https://tile.example.org/0.png').catch(() => {});</script>"
        "</main></body></html>", encoding="utf-8")
    (tmp_path / "nolang.html").write_text(
        "<!DOCTYPE html><html><head><title>no language</title><link rel='icon' href='data:,'></head><body><main><p>Text.</p>"
        "<script>document.documentElement.dataset.theme = localStorage.getItem('theme') || 'light';"
        "setTimeout(() => { throw new TypeError('planted'); });</script></main></body></html>", encoding="utf-8")
    scans = scan_pages(browser, tmp_path, ["faint.html", "nolang.html"])
    light, dark = ({scan.path: scan for scan in scans[mode]} for mode in MODES)
    assert [v["id"] for v in light["faint.html"].violations] == ["color-contrast"]
    assert light["faint.html"].blocking() and not dark["faint.html"].blocking()
    assert [v["id"] for v in light["nolang.html"].violations] == ["html-has-lang"] and light["nolang.html"].blocking()
    assert light["faint.html"].console == dark["faint.html"].console
    assert len(light["faint.html"].console) == 1 and light["faint.html"].console[0].startswith("planted error")
    assert light["nolang.html"].console == ["thrown: TypeError: planted"]
    assert (light["faint.html"].theme, dark["faint.html"].theme) == ("light", "dark")
    assert light["faint.html"].unscanned_frames == []
