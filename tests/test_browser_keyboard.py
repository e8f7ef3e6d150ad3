"""The book without a mouse, in a real browser (student edition, every other host unreachable).

* Tab reaches every control of each map chapter: every visible link, button, field and <summary>
  (self-check options, answer boxes, folded notes, hidden code), and inside each map its container, its zoom
  buttons, its "Explore the map" button, its attribution link and every place; nothing else in a map is a Tab stop (a country name
  is not), and no page sets a positive tabindex (which would reorder Tab).
* The controls work from the keyboard: Enter opens and closes a folded note, opens the theme's
  search (its field focused), runs a search (results listed, offline), opens a header menu whose
  items Tab then reaches, and moves the theme's switch on to dark mode (sphinx-book-theme takes the
  focus off the switch after each press; Shift+Tab, Tab is back on it). (Enter on a self-check option is
  tested in test_browser_reading.py, Enter on a place in test_browser.py.)
"""

from __future__ import annotations

import pytest
from conftest import MAP_PAGES, MAP_READY_JS, MAP_TIMEOUT_MS, VIEWPORT

# What the browser puts in the Tab order, and is shown: links, buttons, fields, summaries, and
# anything given a tabindex of 0 or more (Leaflet's map and places). Iframes are walked into.
MARK_STOPS_JS = """() => {
  const candidates = Array.from(document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]'))
    .filter(e => e.tagName !== 'IFRAME' && e.tabIndex >= 0 && !e.disabled && !e.closest('[inert]')
                 && e.checkVisibility({visibilityProperty: true})
                 // The theme's page contents show a section's subsection links only while that section
                 // is in view, so they appear and vanish as Tab scrolls the page: not counted.
                 && !e.closest('#pst-page-toc-nav ul ul'));
  candidates.forEach((element, number) => { element.dataset.tabStop = number; });
  window.__reached = new Set();
  document.addEventListener('focusin', event => {
    if (event.target.dataset && event.target.dataset.tabStop !== undefined) window.__reached.add(event.target.dataset.tabStop);
  }, true);
  return {
    count: candidates.length,
    positive: Array.from(document.querySelectorAll('[tabindex]')).filter(e => e.tabIndex > 0).map(e => e.outerHTML.slice(0, 80)),
  };
}"""
# Every marked stop that Tab did not reach, described.
MISSED_JS = """() => Array.from(document.querySelectorAll('[data-tab-stop]'))
  .filter(e => !window.__reached.has(e.dataset.tabStop))
  .map(e => e.tagName.toLowerCase() + ' ' + (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40)))"""
# The Tab stops of a map: what each is.
MAP_STOPS_JS = """() => Array.from(document.querySelectorAll('[data-tab-stop]')).map(e =>
  e.classList.contains('leaflet-container') ? 'map'
  : e.matches('path[role="button"][aria-label$="press Enter for details"]') ? 'place'
  : e.matches('a.leaflet-control-zoom-in, a.leaflet-control-zoom-out') ? 'zoom'
  : e.matches('.leaflet-control-attribution a[href]') ? 'attribution'
  : e.matches('button.dossier-explore') ? 'explore'
  : 'other: ' + e.outerHTML.slice(0, 100))"""


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    tab.errors = errors
    yield tab
    context.close()


def map_frames(page) -> list:
    """The frame of each map on the page, once its map is drawn."""
    frames = []
    for iframe in page.locator("figure.dossier-map iframe").all():
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
        frames.append(frame)
    page.evaluate("() => window.scrollTo(0, 0)")
    return frames


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_tab_reaches_every_control_and_nothing_else_in_a_map(page, student_url, chapter):
    page.goto(f"{student_url}book/{chapter}.html", wait_until="load")
    frames = map_frames(page)
    assert frames, f"{chapter}: no map"
    marked = [frame.evaluate(MARK_STOPS_JS) for frame in [page.main_frame, *frames]]
    assert [m["positive"] for m in marked] == [[] for _ in marked], "positive tabindex"
    for frame in frames:
        kinds = frame.evaluate(MAP_STOPS_JS)
        assert [kind for kind in kinds if kind.startswith("other")] == [], f"{chapter}: Tab stops in the map that are no control"
        assert kinds.count("map") == 1 and kinds.count("zoom") == 2 and kinds.count("place") > 3, kinds
        assert kinds.count("explore") == 1, kinds
    page.locator("body").focus()
    for _ in range(sum(m["count"] for m in marked) + 10):
        page.keyboard.press("Tab")
    for frame in [page.main_frame, *frames]:
        assert frame.evaluate(MISSED_JS) == [], f"{chapter}: not reached with Tab ({frame.url[:40]})"
    assert page.errors == []


def test_controls_work_from_the_keyboard(page, student_url):
    chapter = MAP_PAGES[0]
    page.goto(f"{student_url}book/{chapter}.html", wait_until="load")

    # A folded note ("Our reading"): Enter opens it, Enter again closes it.
    summary = page.locator("details.our-reading > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelector('details.our-reading').open")
    page.keyboard.press("Enter")
    assert not page.evaluate("() => document.querySelector('details.our-reading').open")

    # A header menu (downloads): Enter opens it, Tab reaches its first item.
    toggle = page.locator(".dropdown-download-buttons button.dropdown-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator(".dropdown-download-buttons .dropdown-menu")
    menu.wait_for(state="visible", timeout=2_000)
    page.keyboard.press("Tab")
    assert page.evaluate("() => Boolean(document.activeElement.closest('.dropdown-download-buttons .dropdown-menu'))")
    page.keyboard.press("Escape")

    # The theme's switch: Enter moves it on (light, then the system's mode, then dark). After each
    # press sphinx-book-theme takes the focus off it (it blurs the button on click, for mouse users);
    # the browser keeps its place in the Tab order, so Shift+Tab and Tab are back on the switch.
    page.locator("button.theme-switch-button").focus()
    modes = []
    for _ in range(2):
        page.keyboard.press("Enter")
        modes.append(page.evaluate("() => document.documentElement.dataset.mode"))
        page.keyboard.press("Shift+Tab")  # to the button before the switch
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.matches('button.theme-switch-button')")
    assert modes == ["auto", "dark"] and page.evaluate("() => document.documentElement.dataset.theme") == "dark"

    # Search: Enter on the header's search button opens the search field, focused; Enter searches.
    page.locator("button.search-button__button:visible").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('#pst-search-dialog[open] input[name=\"q\"]')")
    page.keyboard.type("Torkham")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=Torkham*", timeout=5_000)
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    assert page.locator("#search-results li a").count() > 0
    assert page.errors == []
