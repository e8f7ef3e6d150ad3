"""The student edition on a phone (390x844, touch) and a tablet (960 px), in a real browser.

The book is served as a static host serves it (gzip and caching: `dossier.gzipserve`), every other
host unreachable. What a student on a phone must be able to do:

* open the menu and the page contents by tapping them (390 and 960 px);
* read every page without it scrolling sideways;
* scroll the page with a one-finger swipe over a map (a CDP touch swipe, as a finger makes it), and
  pan the map after tapping "Explore the map";
* tap places: each is a target of at least 24 px (the dot and its transparent rim, probed with
  elementFromPoint), and the map opens with every place in view and no two labels overlapping;
* see the maps follow dark mode, and load only when they near the screen;
* after one visit, with the network gone, open every page, see a map draw and search;
* open the zip of the site from files: pages, a map and search (titles only there).
"""

from __future__ import annotations

import zipfile

import pytest
from conftest import MAP_PAGES, MAP_READY_JS, MAP_TIMEOUT_MS, STUDENT, require_build, toc_docnames

from dossier import gzipserve

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 960, "height": 1200}
DESKTOP = {"width": 1280, "height": 900}
BLOCK_OTHER_HOSTS = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def site():
    book = require_build(STUDENT, "make book")
    with gzipserve.serve(book) as url:
        yield url


def device(browser, viewport: dict, **options):
    touch = viewport["width"] < 1100
    return browser.new_context(viewport=viewport, is_mobile=touch and viewport["width"] < 800, has_touch=touch,
                               **options)


def map_frame(page, number: int = 0):
    iframe = page.locator("figure.dossier-map iframe").nth(number)
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
    frame.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return iframe, frame


# --------------------------------------------------------------------------------------------
# Navigation by touch


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["390px", "960px"])
@pytest.mark.parametrize("side, dialog", [("primary", "#pst-primary-sidebar-modal"),
                                          ("secondary", "#pst-secondary-sidebar-modal")])
def test_menu_and_page_contents_open_by_tap(browser, site, viewport, side, dialog):
    context = device(browser, viewport)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site + "book/ttp.html", wait_until="load")
        toggle = page.locator(f".{side}-toggle:visible").first
        assert toggle.count() == 1, f"no visible {side} toggle at {viewport['width']} px"
        assert not page.evaluate(f"() => document.querySelector('{dialog}').open")
        toggle.tap()
        page.wait_for_function(f"() => document.querySelector('{dialog}').open", timeout=3_000)
        links = page.locator(f"{dialog} a[href]:visible")
        assert links.count() > 5, f"the {side} sidebar opened without its links"
        page.keyboard.press("Escape")
        page.wait_for_function(f"() => !document.querySelector('{dialog}').open", timeout=3_000)
        assert errors == []
    finally:
        context.close()


def test_a_link_in_the_menu_opens_its_chapter(browser, site):
    context = device(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(site + "book/ttp.html", wait_until="load")
        page.locator(".primary-toggle:visible").first.tap()
        page.locator("#pst-primary-sidebar-modal a[href$='refugees.html']").first.tap()
        page.wait_for_url("**/book/refugees.html", timeout=5_000)
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Pages


def test_no_page_scrolls_sideways_on_a_phone(browser, site):
    context = device(browser, PHONE)
    page = context.new_page()
    wide = []
    try:
        for name in [*toc_docnames(), "search", "genindex"]:
            page.goto(f"{site}{name}.html", wait_until="load")
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide.append(f"{name}: {width[0]} px wide in a {width[1]} px screen")
    finally:
        context.close()
    assert wide == []


def test_the_student_header_and_its_one_search_box(browser, site):
    context = device(browser, DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + "book/ttp.html", wait_until="load")
        boxes = page.locator(".search-button-field:visible")
        assert boxes.count() == 1, f"{boxes.count()} search boxes on a 1280 px screen"
        for gone in (".dropdown-launch-buttons", ".dropdown-source-buttons", "button.btn-fullscreen-button",
                     "a[href*='github.com']:visible"):
            assert page.locator(gone).count() == 0, f"{gone} in the student edition's header"
    finally:
        context.close()
    context = device(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(site + "book/trade_corridors.html", wait_until="load")
        lines = page.evaluate("""() => { const h = document.querySelector('article h1');
            return h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight); }""")
        assert lines <= 3.1, f"the chapter title takes {lines:.1f} lines on a phone"
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Maps


def swipe(page, x: float, y: float, dy: float, dx: float = 0, steps: int = 10) -> None:
    """One finger, from (x, y) by (dx, dy), as Input.dispatchTouchEvent sends a real swipe."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + dx * step / steps, "y": y + dy * step / steps}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


CENTRE_JS = "() => { const m = Object.values(window).find(v => { try { return v instanceof L.Map; } catch (e) { return false; } }); const c = m.getCenter(); return [c.lat, c.lng]; }"


def test_a_swipe_over_a_map_scrolls_the_page_and_explore_pans_the_map(browser, site):
    context = device(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(site + f"book/{MAP_PAGES[0]}.html", wait_until="load")
        iframe, frame = map_frame(page)
        iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        box = iframe.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        before, centre = page.evaluate("() => window.scrollY"), frame.evaluate(CENTRE_JS)
        swipe(page, x, y, dy=-150)
        scrolled = page.evaluate("() => window.scrollY") - before
        assert scrolled > 80, f"a swipe over the map scrolled the page by {scrolled} px"
        assert frame.evaluate(CENTRE_JS) == centre, "the swipe moved the map"

        iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        explore = frame.locator("button.dossier-explore")
        assert explore.get_attribute("aria-pressed") == "false"
        explore.tap()
        assert explore.get_attribute("aria-pressed") == "true"
        box = iframe.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        before = page.evaluate("() => window.scrollY")
        swipe(page, x, y, dy=-120, dx=-60)
        assert abs(page.evaluate("() => window.scrollY") - before) < 5, "while exploring, the swipe scrolled the page"
        assert frame.evaluate(CENTRE_JS) != centre, "while exploring, the swipe did not move the map"
    finally:
        context.close()


# Inside a map: each place's dot, its target (dot and rim), and where its label and the map are.
PLACES_JS = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const places = Array.from(document.querySelectorAll('path.dossier-place'));
  return {
    box: [box.left, box.top, box.right, box.bottom],
    places: places.map(path => {
      const r = path.getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      const rim = parseFloat(getComputedStyle(path).strokeWidth);
      // Probe 8 points 11.5 px from the centre: each must hit a place (this one, or one drawn over
      // it), unless it falls outside the map or on one of its controls (zoom, scale, Explore).
      const probes = [...Array(8).keys()].map(k => {
        const x = cx + 11.5 * Math.cos(k * Math.PI / 4), y = cy + 11.5 * Math.sin(k * Math.PI / 4);
        const hit = document.elementFromPoint(x, y);
        if (x < box.left || x > box.right || y < box.top || y > box.bottom || (hit && hit.closest('.leaflet-control'))) return true;
        return Boolean(hit && hit.matches('path.dossier-place'));
      });
      return {label: path.getAttribute('aria-label'), centre: [cx, cy], size: r.width + rim, probes};
    }),
    labels: Array.from(document.querySelectorAll('.leaflet-tooltip.dossier-label')).map(e => {
      const r = e.getBoundingClientRect();
      return {text: e.textContent, rect: [r.left, r.top, r.right, r.bottom]};
    }),
  };
}"""


def overlapping(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_places_are_big_targets_all_in_view_and_labels_do_not_overlap(browser, site, viewport, chapter):
    context = device(browser, viewport)
    page = context.new_page()
    try:
        page.goto(f"{site}book/{chapter}.html", wait_until="load")
        for number in range(page.locator("figure.dossier-map iframe").count()):
            _, frame = map_frame(page, number)
            seen = frame.evaluate(PLACES_JS)
            assert seen["places"], f"{chapter}: no place"
            left, top, right, bottom = seen["box"]
            for place in seen["places"]:
                x, y = place["centre"]
                assert left < x < right and top < y < bottom, f"{chapter}: {place['label']} is outside the first view"
                assert place["size"] >= 23.99, f"{chapter}: {place['label']} is a {place['size']:.0f} px target"
                assert all(place["probes"]), f"{chapter}: {place['label']}: the target is not 24 px all round"
            labels = seen["labels"]
            # A label that finds no clear side shows on tap, hover or focus instead; most find one.
            assert len(labels) >= min(4, len(seen["places"])), f"{chapter}: only {len(labels)} labels shown"
            for index, first in enumerate(labels):
                assert overlapping(first["rect"], seen["box"]) and first["rect"][0] >= left and first["rect"][2] <= right
                for second in labels[index + 1:]:
                    assert not overlapping(first["rect"], second["rect"]), (
                        f"{chapter} at {viewport['width']} px: labels {first['text']!r} and {second['text']!r} overlap")
    finally:
        context.close()


def test_maps_follow_dark_mode(browser, site):
    context = device(browser, PHONE, color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page = context.new_page()
    try:
        page.goto(f"{site}book/{MAP_PAGES[0]}.html", wait_until="load")
        _, frame = map_frame(page)
        background = "() => getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor"
        assert frame.evaluate("() => document.documentElement.dataset.theme") == "dark"
        dark = frame.evaluate(background)
        page.evaluate("() => document.documentElement.dataset.theme = 'light'")  # as the theme's switch does
        frame.wait_for_function("() => document.documentElement.dataset.theme === 'light'", timeout=2_000)
        light = frame.evaluate(background)
        luminance = lambda css: sum(int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        assert luminance(dark) < 200 < luminance(light), (dark, light)
    finally:
        context.close()


def test_a_map_loads_only_near_the_screen(browser, site):
    context = device(browser, PHONE)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{site}book/{MAP_PAGES[0]}.html", wait_until="load")
        page.wait_for_timeout(500)
        assert page.locator("figure.dossier-map iframe[data-srcdoc]").count() >= 1, "the map was loaded at once"
        assert not [url for url in requested if "leaflet" in url], "Leaflet was loaded before the map neared the screen"
        map_frame(page)
        assert [url for url in requested if url.endswith("leaflet.js")], "Leaflet was not loaded for the map"
    finally:
        context.close()


def test_a_maps_table_shows_that_it_scrolls(browser, site):
    context = device(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site}book/{MAP_PAGES[0]}.html", wait_until="load")
        table = page.locator(".dossier-map-table").first
        table.scroll_into_view_if_needed()
        sizes = table.evaluate("e => [e.scrollWidth, e.clientWidth, e.tabIndex, getComputedStyle(e).overflowX]")
        assert sizes[0] > sizes[1] and sizes[2] == 0 and sizes[3] == "auto", sizes
        assert page.locator(".dossier-map-table-hint").first.is_visible()
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Offline


def test_after_one_visit_every_page_opens_offline(browser, site):
    context = device(browser, PHONE, service_workers="allow")
    page = context.new_page()
    try:
        page.goto(site + "book/intro.html", wait_until="load")
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        context.set_offline(True)
        failed = []
        for name in [*toc_docnames(), "search", "genindex"]:
            response = page.goto(f"{site}{name}.html", wait_until="load")
            if response is None or response.status != 200 or page.locator("#main-content").count() != 1:
                failed.append(f"{name}: {response.status if response else 'no response'}")
        assert failed == [], "pages that did not open offline"
        page.goto(f"{site}book/{MAP_PAGES[1]}.html", wait_until="load")
        _, frame = map_frame(page)
        assert frame.evaluate("() => document.querySelectorAll('path.dossier-place').length") > 3
        page.goto(f"{site}search.html?q=Torkham", wait_until="load")
        page.locator("#search-results li").first.wait_for(timeout=15_000)
        assert page.locator("#search-results li a").count() > 0
    finally:
        context.close()


def test_the_zip_of_the_site_opens_from_files(browser, tmp_path):
    book = require_build(STUDENT, "make book")
    with zipfile.ZipFile(book / "dossier-offline.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "dossier"
    for name in toc_docnames():
        assert (root / f"{name}.html").is_file(), f"{name}.html is not in the zip"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((root / "index.html").as_uri())
        page.wait_for_url(f"**/{toc_docnames()[0]}.html", timeout=5_000)
        page.goto((root / f"book/{MAP_PAGES[0]}.html").as_uri(), wait_until="load")
        _, frame = map_frame(page)
        assert frame.evaluate("() => document.querySelectorAll('path.dossier-place').length") > 3
        assert page.locator(".dossier-offline-link").first.is_hidden()
        page.goto((root / "search.html").as_uri() + "?q=Torkham", wait_until="load")
        page.locator("#search-results li a").first.wait_for(timeout=15_000)
        # Under file:// the search page cannot fetch the pages for the lines around each match
        # (Sphinx's search then rejects a promise: "Failed to fetch"); nothing else may fail.
        assert [error for error in errors if "Failed to fetch" not in error] == []
    finally:
        context.close()
