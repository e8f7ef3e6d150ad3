"""The printer: one headless chromium (Debian's), driven by Playwright, with the built sites served
on 127.0.0.1 and every other host unreachable; it draws the map pictures and prints each sheet on
A4 with the footer of :mod:`dossier.handouts.footer`."""

from __future__ import annotations

import functools
import os
import shutil
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from dossier import gzipserve
from dossier.handouts.contents import HandoutError
from dossier.handouts.footer import footer_template
from dossier.handouts.sheets import Sheet, document
from dossier.handouts.site import Site

#: Chromium flags that behave on this kind of machine; the host rule makes every host but this
#: machine unreachable, so a sheet can never fetch anything from the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
MAP_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> str:
    """$CHROMIUM, else `chromium` on PATH."""
    name = os.environ.get("CHROMIUM") or "chromium"
    path = shutil.which(name) or name
    if not Path(path).is_file():
        raise HandoutError(f"chromium not found ({name!r}): install Debian's chromium (apt-get install chromium) "
                           "or set CHROMIUM=/path/to/chromium")
    return path


@contextmanager
def serve(directory: Path):
    """Serve `directory` on 127.0.0.1 at a free port; yield the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    with gzipserve.running(functools.partial(Quiet, directory=str(directory))) as url:
        yield url


MAP_READY_JS = """() => window.L && Object.values(window).some(v => {
  try { return v instanceof L.Map && v.getSize().x > 0; } catch (e) { return false; }
})"""


class Printer:
    """One browser and one tab, reused for every map picture and every sheet."""

    def __init__(self, sites: dict[str, Site]):
        self.sites = sites
        self.urls: dict[str, str] = {}
        self.documents: dict[str, str] = {}

    def __enter__(self) -> "Printer":
        from contextlib import ExitStack

        self._stack = ExitStack()
        try:
            for edition, site in self.sites.items():
                self.urls[edition] = self._stack.enter_context(serve(site.root))
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                raise HandoutError("playwright is not installed: pip install -r requirements.txt") from None
            playwright = self._stack.enter_context(sync_playwright())
            try:
                self.browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            except HandoutError:
                raise
            except Exception as exc:  # playwright's own error types
                raise HandoutError(f"chromium did not start: {str(exc).splitlines()[0]}") from None
            self._stack.callback(self.browser.close)
            self.context = self.browser.new_context(viewport=VIEWPORT, device_scale_factor=2)
            self.context.route("**/_handout-*.html", self._fulfil)
            self.page = self.context.new_page()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _fulfil(self, route) -> None:
        text = self.documents.get(route.request.url)
        if text is None:
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=text)

    def map_pictures(self, edition: str, docnames: list[str]) -> dict[str, bytes]:
        """A JPEG of every map on these pages, drawn by the live map (figure id -> bytes)."""
        pictures: dict[str, bytes] = {}
        page = self.page
        for docname in docnames:
            page.goto(self.urls[edition] + f"{docname}.html", wait_until="load")
            figures = page.locator("figure.dossier-map")
            for number in range(figures.count()):
                figure = figures.nth(number)
                frame_element = figure.locator("iframe")
                frame_element.scroll_into_view_if_needed()
                frame = frame_element.element_handle().content_frame()
                frame.wait_for_load_state("load")
                try:
                    frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
                except Exception:
                    raise HandoutError(f"{docname}: the map {figure.get_attribute('id')} did not draw "
                                       f"within {MAP_TIMEOUT_MS // 1000} s") from None
                frame.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150))))")
                pictures[figure.get_attribute("id")] = frame_element.screenshot(type="jpeg", quality=88)
        return pictures

    def pdf(self, sheet: Sheet, images: dict[str, str] | None = None) -> bytes:
        url = f"{self.urls[sheet.site]}_handout-{sheet.handout.name}.html"
        self.documents[url] = document(sheet, images)
        try:
            self.page.goto(url, wait_until="load")
            self.page.evaluate("() => document.fonts.ready.then(() => true)")
            return self.page.pdf(
                format="A4", margin=sheet.margin, print_background=True, display_header_footer=True,
                header_template="<span></span>", footer_template=footer_template(sheet.handout),
                outline=sheet.handout.kind == "edition", tagged=True,
            )
        finally:
            del self.documents[url]
