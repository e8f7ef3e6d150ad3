"""The built book in a real browser, with every other host blocked: do the maps work offline?

The student edition (`_build/html`, from `make book`) is served on 127.0.0.1 and opened in headless
chromium (Debian's package, driven by Playwright). Every request to another host is aborted and
recorded. For each map page the test asserts that:

* every map initialises: inside each map's iframe there is one Leaflet map, and it has a size;
* every circle marker stands at the coordinates of its `placeId` in data/places.csv or
  data/geo/tripoints.csv (to 1e-6 degrees), and is drawn;
* the places the map's text alternative (its table) lists are exactly the markers;
* the Durand Line layer is drawn: its SVG path is in the document with a non-empty `d`, and it has
  every vertex of data/geo/durand_line.geojson (157 at Natural Earth 1:50m);
* routes are drawn through their stops (data/routes.csv, data/route_stops.csv), and the trade
  corridors map draws every route;
* Leaflet and its stylesheet were loaded from the book's one copy (`_vendor/`), and nothing else:
  no jQuery;
* every place can be reached with the keyboard, and Enter opens its popup;
* the only requests blocked were OpenStreetMap tiles (the maps do ask for them: online, tiles
  show beneath the Natural Earth outlines);
* no JavaScript error was thrown, except the known one described below.

Every page of the book is also opened and must load without any other error.

The known error. A default Jupyter Book 1 page throws
``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``: sphinx-thebe adds an inline
script (``const THEBE_JS_URL = ...``) with ``app.add_js_file(None, body=...)``; Sphinx 7.4 keeps it
as filename None, then adds it again in ``prepare_writing()`` as filename '' and, None != '', writes
it twice (fixed upstream in sphinx-doc/sphinx PR #13402; Jupyter Book 1 pins sphinx~=7.0). The
book's extension ``dossier.sphinx_page_fixes`` drops the repeat, so no page should throw it. The
test allows that one message only on a page that still carries the script twice, which
tests/test_sphinx_page_fixes.py rules out for the built book; any other error fails.

The test never skips. Without chromium or without the built book it fails and says what to do.
Set CHROMIUM=/path/to/chromium to use another executable. Screenshots of the first map of each map
page are written to _build/screenshots/ (not committed), to be looked at.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DATA, MAP_PAGES, MAP_READY_JS, MAP_TIMEOUT_MS, VIEWPORT, KNOWN_ERROR, KNOWN_ERROR_SOURCE, ROOT, STUDENT, TILE_HOST, serve, unexpected_errors, visit, Visit


BOOK = STUDENT
SCREENSHOTS = ROOT / "_build" / "screenshots"

TOLERANCE = 1e-6


# --------------------------------------------------------------------------------------------
# What the data say


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.lru_cache(maxsize=None)
def places() -> dict[str, dict[str, str]]:
    """Every place a marker may stand for: data/places.csv and the tripoints, keyed by id."""
    rows = read_csv(DATA / "places.csv") + read_csv(DATA / "geo" / "tripoints.csv")
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows), "a place id appears twice in places.csv and tripoints.csv"
    return by_id


@functools.lru_cache(maxsize=None)
def place_ids_by_name() -> dict[str, str]:
    names = {row["name"]: pid for pid, row in places().items()}
    assert len(names) == len(places()), "two places share a name: the text alternative would be ambiguous"
    return names


@functools.lru_cache(maxsize=None)
def routes() -> dict[str, dict]:
    """Routes of data/routes.csv keyed by id, each with `stops`: its place ids in order."""
    stops = sorted(read_csv(DATA / "route_stops.csv"), key=lambda row: (row["route_id"], int(row["seq"])))
    by_id = {row["id"]: dict(row, stops=[]) for row in read_csv(DATA / "routes.csv")}
    for stop in stops:
        by_id[stop["route_id"]]["stops"].append(stop["place_id"])
    return by_id


@functools.lru_cache(maxsize=None)
def durand_line_vertices() -> int:
    """How many vertices data/geo/durand_line.geojson gives the border."""
    geojson = json.loads((DATA / "geo" / "durand_line.geojson").read_text(encoding="utf-8"))

    def count(coords) -> int:
        return 1 if isinstance(coords[0], (int, float)) else sum(count(c) for c in coords)

    return sum(count(feature["geometry"]["coordinates"]) for feature in geojson["features"])


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE)


# --------------------------------------------------------------------------------------------
# Serving the book and driving the browser


@pytest.fixture(scope="module")
def visits(browser, student_url):
    """Opens each page once, on first use; later tests read the same Visit (or the same failure)."""
    cache: dict[str, Visit | str] = {}

    def get(path: str) -> Visit:
        if path not in cache:
            shot = SCREENSHOTS / f"{Path(path).stem}.png" if Path(path).stem in MAP_PAGES else None
            try:
                cache[path] = visit(browser, student_url, path, screenshot=shot)
            except Exception as error:  # e.g. a map that never initialises: fail every test of the page
                cache[path] = f"{path}: {type(error).__name__}: {str(error).splitlines()[0]}"
        if isinstance(cache[path], str):
            pytest.fail(cache[path], pytrace=False)
        return cache[path]

    return get



# --------------------------------------------------------------------------------------------
# The harness itself catches what it should


def test_harness_records_errors_in_frames_and_requests_to_other_hosts(browser, tmp_path):
    """A planted page: the visit must record the error thrown in an iframe and both blocked requests."""
    inner = "<script>throw new TypeError('planted in a frame')</script><img src='https://tile.example.org/0.png'>"
    srcdoc = inner.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
    thebe = f'<script>{KNOWN_ERROR_SOURCE}x";</script>'
    html_text = (f"<!DOCTYPE html><title>planted</title><iframe srcdoc='{srcdoc}'></iframe>{thebe}{thebe}"
                 "<script src='https://cdn.example.org/lib.js'></script>")
    (tmp_path / "index.html").write_text(html_text, encoding="utf-8")
    with serve(tmp_path) as url:
        record = visit(browser, url, "index.html")
    assert sorted(record.blocked) == ["https://cdn.example.org/lib.js", "https://tile.example.org/0.png"]
    assert sorted(record.errors) == [KNOWN_ERROR, "TypeError: planted in a frame"]
    assert unexpected_errors(record.errors, html_text) == ["TypeError: planted in a frame"]
    assert unexpected_errors([KNOWN_ERROR, KNOWN_ERROR], html_text) == [f"{KNOWN_ERROR} (x2, allowed 1)"]
    assert unexpected_errors([KNOWN_ERROR], "<p>no thebe here</p>") == [f"{KNOWN_ERROR} (x1, allowed 0)"]


# --------------------------------------------------------------------------------------------
# The map pages


def test_the_map_pages_are_the_pages_with_maps():
    if not BOOK.is_dir():
        pytest.fail("_build/html is missing: run `make book` first", pytrace=False)
    with_maps = sorted(page.stem for page in (BOOK / "book").glob("*.html")
                       if 'class="dossier-map"' in page.read_text(encoding="utf-8"))
    assert with_maps == sorted(MAP_PAGES)


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_every_map_initialises(visits, chapter):
    seen = visits(f"book/{chapter}.html")
    assert seen.maps, f"book/{chapter}.html: no map figure"
    for figure_id, maps in seen.maps.items():
        assert len(maps) == 1, f"{figure_id}: {len(maps)} Leaflet maps in its iframe"
        size, container = maps[0]["size"], maps[0]["container"]
        assert size["x"] > 100 and size["y"] > 100, f"{figure_id}: map size {size}"
        assert min(container) > 100, f"{figure_id}: map container {container}"


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_markers_stand_at_the_coordinates_of_the_data(visits, chapter):
    for figure_id, (leaflet_map,) in visits(f"book/{chapter}.html").maps.items():
        markers = leaflet_map["markers"]
        assert markers, f"{figure_id}: no circle marker"
        ids = [marker["placeId"] for marker in markers]
        assert len(ids) == len(set(ids)), f"{figure_id}: a place is marked twice"
        for marker in markers:
            place = places().get(marker["placeId"])
            assert place is not None, f"{figure_id}: marker with unknown placeId {marker['placeId']!r}"
            expected = (float(place["lat"]), float(place["lon"]))
            assert close(marker["lat"], expected[0]) and close(marker["lng"], expected[1]), (
                f"{figure_id}: {marker['placeId']} drawn at {marker['lat']}, {marker['lng']}, data say {expected}")
            assert marker["drawn"], f"{figure_id}: marker {marker['placeId']} has no SVG path"


def table_places(rows: list[dict[str, str]], figure_id: str) -> dict[str, dict[str, str]]:
    """The rows of a text alternative that are places, keyed by place id; fail on a row of no kind."""
    found = {}
    route_names = {route["name"] for route in routes().values()}
    for row in rows:
        if row["What"] == "Durand Line" or row["What"] in route_names:
            continue
        pid = place_ids_by_name().get(row["What"])
        assert pid is not None, f"{figure_id}: the table lists {row['What']!r}, which is no place, route or border"
        found[pid] = row
    return found


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_the_places_of_the_text_alternative_are_the_markers(visits, chapter):
    seen = visits(f"book/{chapter}.html")
    for figure_id, (leaflet_map,) in seen.maps.items():
        listed = table_places(seen.tables[figure_id], figure_id)
        marked = {marker["placeId"] for marker in leaflet_map["markers"]}
        assert sorted(set(listed) - marked) == [], f"{figure_id}: listed in the table but not on the map"
        assert sorted(marked - set(listed)) == [], f"{figure_id}: on the map but not in the table"
        for pid, row in listed.items():
            lat, lon = (float(part) for part in re.match(r"([-\d.]+), ([-\d.]+)", row["Where"]).groups())
            place = places()[pid]
            assert abs(lat - float(place["lat"])) < 5e-5 and abs(lon - float(place["lon"])) < 5e-5, (
                f"{figure_id}: the table gives {pid} at {row['Where']}")


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_the_durand_line_is_drawn(visits, chapter):
    seen = visits(f"book/{chapter}.html")
    assert durand_line_vertices() == 157, "data/geo/durand_line.geojson no longer has 157 vertices (1:50m)"
    for figure_id, (leaflet_map,) in seen.maps.items():
        assert len(leaflet_map["durand"]) == 1, f"{figure_id}: {len(leaflet_map['durand'])} Durand Line layers"
        parts = leaflet_map["durand"][0]
        assert parts and all(part["drawn"] and part["d"] > 0 for part in parts), f"{figure_id}: not drawn: {parts}"
        assert sum(part["latlngs"] for part in parts) == durand_line_vertices(), f"{figure_id}: {parts}"
        assert any(row["What"] == "Durand Line" for row in seen.tables[figure_id]), f"{figure_id}: not in the table"


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_routes_run_through_their_stops(visits, chapter):
    seen = visits(f"book/{chapter}.html")
    for figure_id, (leaflet_map,) in seen.maps.items():
        drawn = {line["routeId"]: line for line in leaflet_map["routes"]}
        assert len(drawn) == len(leaflet_map["routes"]), f"{figure_id}: a route is drawn twice"
        unknown = sorted(set(drawn) - set(routes()))
        assert unknown == [], f"{figure_id}: routeIds not in data/routes.csv"
        listed = {route_id for route_id, route in routes().items()
                  if any(row["What"] == route["name"] for row in seen.tables[figure_id])}
        assert sorted(drawn) == sorted(listed), f"{figure_id}: routes drawn {sorted(drawn)}, listed {sorted(listed)}"
        if chapter == "trade_corridors":
            assert sorted(drawn) == sorted(routes()), f"{figure_id}: not every route of data/routes.csv is drawn"
        for route_id, line in drawn.items():
            stops = [places()[pid] for pid in routes()[route_id]["stops"]]
            assert len(line["latlngs"]) == len(stops), f"{figure_id}: {route_id} has {len(line['latlngs'])} vertices"
            for (lat, lng), stop in zip(line["latlngs"], stops):
                assert close(lat, float(stop["lat"])) and close(lng, float(stop["lon"])), (
                    f"{figure_id}: {route_id} has a vertex at {lat}, {lng}, not at {stop['id']}")
            assert line["drawn"], f"{figure_id}: {route_id} has no SVG path"
    if chapter == "trade_corridors":
        assert any(leaflet_map["routes"] for (leaflet_map,) in seen.maps.values())


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_leaflet_comes_from_the_books_one_copy(visits, chapter, student_url):
    seen = visits(f"book/{chapter}.html")
    loaded = {url[len(student_url):]: status for url, status in seen.responses if url.startswith(student_url)}
    for pattern in (r"_vendor/leaflet-[\d.]+/leaflet\.js", r"_vendor/leaflet-[\d.]+/leaflet\.css"):
        hits = {path: status for path, status in loaded.items() if re.fullmatch(pattern, path)}
        assert list(hits.values()) == [200], f"book/{chapter}.html: {pattern} loaded as {hits}"
    assert not [path for path in loaded if "jquery" in path.lower()], f"book/{chapter}.html loads jQuery"
    leaflet_path = next(path for path in loaded if re.fullmatch(r"_vendor/leaflet-[\d.]+/leaflet\.js", path))
    for figure_id, (leaflet_map,) in seen.maps.items():
        assert leaflet_path == f"_vendor/leaflet-{leaflet_map['leaflet']}/leaflet.js", figure_id
        assert not leaflet_map["jquery"], f"{figure_id}: jQuery is on the page"
        assert leaflet_map["paneStyled"], f"{figure_id}: leaflet.css is not applied"
        assert leaflet_map["focusable"] == len(leaflet_map["markers"]), f"{figure_id}: places not reachable by Tab"


def test_a_place_opens_its_popup_from_the_keyboard(browser, student_url):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(f"{student_url}book/{MAP_PAGES[0]}.html", wait_until="load")
        iframe = page.locator("figure.dossier-map iframe").first
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
        frame.locator(".leaflet-container").focus()  # the map itself, as Tab reaches it first
        page.keyboard.press("Tab")
        focused = frame.evaluate("() => [document.activeElement.getAttribute('role'), document.activeElement.getAttribute('aria-label')]")
        assert focused[0] == "button" and "press Enter for details" in focused[1], focused
        assert frame.locator(".leaflet-popup").count() == 0
        page.keyboard.press("Enter")
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        assert focused[1].split(",")[0] in popup.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_only_tiles_were_blocked_and_the_maps_asked_for_them(visits, chapter):
    seen = visits(f"book/{chapter}.html")
    hosts = sorted({urlsplit(url).hostname for url in seen.blocked})
    assert hosts == [TILE_HOST], f"book/{chapter}.html: requests to other hosts: {hosts}"
    for figure_id, (leaflet_map,) in seen.maps.items():
        assert [urlsplit(url).hostname for url in leaflet_map["tiles"]] == [TILE_HOST], figure_id


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_screenshot_of_the_first_map_was_taken(visits, chapter):
    visits(f"book/{chapter}.html")
    shot = SCREENSHOTS / f"{chapter}.png"
    assert shot.is_file() and shot.stat().st_size > 10_000, f"{shot}: missing or blank"


# --------------------------------------------------------------------------------------------
# Every page


@pytest.mark.parametrize("chapter", MAP_PAGES)
def test_map_page_loads_without_errors_or_broken_requests(visits, chapter):
    path = f"book/{chapter}.html"
    seen = visits(path)
    assert unexpected_errors(seen.errors, (BOOK / path).read_text(encoding="utf-8")) == [], f"{path}: JavaScript errors"
    failed = [(url, status) for url, status in seen.responses if status >= 400]
    assert failed == [], f"{path}: local requests that failed"
