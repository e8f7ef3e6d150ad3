"""The map module: maps are made from data files, reproducibly, with Leaflet inline and nothing else."""

from __future__ import annotations

import csv
import json
import math
import re

import pytest
from conftest import DATA, MAP_READY_JS, MAP_REPORT_JS, MAP_TIMEOUT_MS, VIEWPORT, serve

from dossier import config, data, maps, vendor
from dossier.sphinxext.htmlcheck import all_refs

MAP_IDS = list(config.map_specs())


def place_entries(page: str) -> list[dict]:
    """The places a map page draws: the JSON list its places layer reads."""
    start = page.index("(function (map) {") + len("(function (map) {")
    entries, _end = json.JSONDecoder().raw_decode(page[start:].lstrip())
    return entries


def placed_ids(page: str) -> list[str]:
    return [entry["id"] for entry in place_entries(page)]


@pytest.fixture(scope="module", params=MAP_IDS)
def chapter_map(request):
    return maps.chapter_map(request.param)


def test_same_data_gives_same_bytes(chapter_map):
    again = maps.chapter_map(chapter_map.slug.removeprefix("map-").replace("-", "_"))
    assert again._repr_html_() == chapter_map._repr_html_()
    assert chapter_map._repr_html_() == chapter_map._repr_html_()  # showing it twice adds nothing
    assert "0x" not in repr(chapter_map)  # no memory address in the text output either


def test_no_random_element_ids(chapter_map):
    page = chapter_map.map_html()
    ids = set(re.findall(r"\b[a-z_]+_([0-9a-f]{32})\b", page))
    assert ids, "folium element names are expected in the page"
    # every id is the one stable_ids derived from the map's slug and a counter
    import hashlib
    expected = {hashlib.sha256(f"{chapter_map.slug}:{i}".encode()).hexdigest()[:32] for i in range(2000)}
    assert ids <= expected


def test_nothing_is_loaded_from_anywhere_and_leaflet_is_inline(chapter_map):
    assert all_refs(chapter_map._repr_html_()) == []
    assert vendor.inline_head() in chapter_map.map_html()
    assert "$(" not in chapter_map.map_html().replace(vendor.inline_head(), "")  # no jQuery needed


def test_markers_stand_at_the_coordinates_in_places_csv(chapter_map):
    places = maps.places_by_id()
    entries = place_entries(chapter_map.map_html())
    assert entries
    for entry in entries:
        assert (entry["lat"], entry["lon"]) == (places[entry["id"]]["lat"], places[entry["id"]]["lon"]), entry["id"]
        kind = config.style().place_kind(places[entry["id"]]["kind"])
        assert (entry["colour"], entry["radius"], entry["kind"]) == (kind.colour, kind.radius, kind.label)


def data_coordinates() -> dict[str, tuple[float, float]]:
    """(lat, lon) of every place a marker may stand for, read from the CSV files themselves."""
    found = {}
    for path in (DATA / "places.csv", DATA / "geo" / "tripoints.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            found.update({row["id"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)})
    return found


def test_the_map_draws_each_marker_at_its_coordinates(chapter_map, browser, tmp_path):
    """The call that draws, not only the data it is given: the map page as the module makes it now,
    served on 127.0.0.1 and opened in chromium (offline: Leaflet is inline), and every circle marker
    Leaflet holds, with its position and its SVG path, against data/places.csv."""
    (tmp_path / "map.html").write_text(chapter_map.map_html(), encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    try:
        with serve(tmp_path) as base:
            page.goto(base + "map.html", wait_until="load")
            page.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
            reports = page.evaluate(MAP_REPORT_JS)
    finally:
        page.close()
    assert len(reports) == 1 and reports[0]["size"]["x"] > 100
    markers = reports[0]["markers"]
    assert sorted(m["placeId"] for m in markers) == sorted(placed_ids(chapter_map.map_html()))
    where = data_coordinates()
    for marker in markers:
        lat, lon = where[marker["placeId"]]
        assert math.isclose(marker["lat"], lat, abs_tol=1e-6) and math.isclose(marker["lng"], lon, abs_tol=1e-6), (
            f"{marker['placeId']} drawn at {marker['lat']}, {marker['lng']}; places.csv says {lat}, {lon}")
        assert marker["drawn"], f"{marker['placeId']} has no SVG path"


def test_text_alternative_lists_every_marker_and_line(chapter_map):
    page = chapter_map.map_html()
    n_markers = len(place_entries(page))
    n_lines = len(re.findall(r"L\.polyline\(", page)) + 1  # + the Durand Line
    assert len(chapter_map.rows) == n_markers + n_lines
    figure = chapter_map._repr_html_()
    for row in chapter_map.rows:
        assert f"<td>{row['What']}</td>".replace("'", "&#x27;") in figure


def test_figure_has_title_caption_legend_and_sources(chapter_map):
    figure = chapter_map._repr_html_()
    assert f'title="Interactive map: {chapter_map.title}"' in figure
    assert "<figcaption" in figure and "Sources:" in figure and "Natural Earth" in figure
    assert 'class="dossier-map-legend"' in figure
    assert "Durand Line (Afghanistan–Pakistan border)" in figure


def test_the_text_around_the_map_takes_its_colours_from_the_page(chapter_map):
    """Caption and notice carry classes (coloured by book/_static/dossier.css in the book, for light
    and dark mode) and no colour of their own, which could not follow the reader's mode; in Jupyter
    they keep the notebook's text colour."""
    outside = re.sub(r"srcdoc=([\"']).*?\1", 'srcdoc=""', chapter_map._repr_html_(), flags=re.S)
    assert '<figcaption class="dossier-map-caption"' in outside and '<span class="dossier-map-notice">' in outside
    assert re.findall(r"(?<![-\w])color\s*:", outside) == []


def test_country_names_are_not_tab_stops(chapter_map):
    """Leaflet makes every marker a Tab stop (role button) unless told not to: the country names
    are text on the map, not controls."""
    page = chapter_map.map_html()
    names = re.findall(r"L\.marker\((.*?)\)\.addTo", page, re.S)
    assert names and all('"keyboard": false' in name and '"interactive": false' in name for name in names)


def test_border_is_drawn_from_natural_earth(chapter_map):
    line = maps.durand_line_geojson()["features"][0]
    assert len(line["geometry"]["coordinates"]) == 157
    assert '"featureRole": "durand_line"' in chapter_map.map_html()


def polylines(page: str) -> dict[str, list[tuple[float, float]]]:
    """Vertices of every L.polyline in a map page, by its routeId option."""
    decoder = json.JSONDecoder()
    found = {}
    for chunk in page.split("L.polyline(")[1:]:
        vertices, end = decoder.raw_decode(chunk.lstrip())
        options, _ = decoder.raw_decode(chunk.lstrip()[end:].lstrip(", \n"))
        found[options["routeId"]] = [tuple(v) for v in vertices]
    return found


def test_routes_follow_their_stops():
    lines = polylines(maps.chapter_map("trade_corridors").map_html())
    places = maps.places_by_id()
    routes = data.load_routes()
    assert set(lines) == {route["id"] for route in routes}
    for route in routes:
        assert lines[route["id"]] == [(places[p]["lat"], places[p]["lon"]) for p in route["stops"]]


def test_each_map_shows_what_maps_yml_lists(chapter_map):
    spec = config.map_spec(chapter_map.slug.removeprefix("map-").replace("-", "_"))
    shown = placed_ids(chapter_map.map_html())
    stops = [pid for route in data.load_routes() if route["id"] in spec.routes for pid in route["stops"]]
    assert sorted(shown) == sorted(set(spec.places) | set(stops))
    assert sorted(polylines(chapter_map.map_html())) == sorted(spec.routes)


def test_a_map_shows_other_places_on_request():
    base = maps.chapter_map("refugees")
    more = maps.chapter_map("refugees", add_places=["herat", "gwadar_port"])
    only = maps.chapter_map("refugees", places=["torkham", "kabul"])
    ids = lambda m: set(placed_ids(m.map_html()))  # noqa: E731
    assert ids(more) == ids(base) | {"herat", "gwadar_port"}
    assert ids(only) == {"torkham", "kabul"}
    assert "Herat" in more._repr_html_() and len(more.rows) == len(base.rows) + 2
    routes = maps.chapter_map("trade_corridors", routes=["tapi"])
    assert sorted(polylines(routes.map_html())) == ["tapi"]


def test_country_outlines_are_clipped_to_the_view():
    full = maps.countries_geojson()
    names = lambda collection: [f["properties"]["name"] for f in collection["features"]]  # noqa: E731
    around_both = maps.Bounds(23.7, 60.4, 38.5, 77.1)  # Afghanistan and Pakistan whole
    clipped = maps.clipped_countries(around_both)
    assert len(json.dumps(clipped)) < 0.8 * len(json.dumps(full))
    # the two countries the maps are about stay whole where the view holds them (to 3 decimals)
    for shown, whole in zip(clipped["features"][:2], full["features"][:2]):
        assert shown["properties"] == whole["properties"]
        assert shown["geometry"]["coordinates"] == maps._rounded(whole["geometry"]["coordinates"])
    small = maps.clipped_countries(maps.Bounds(34.0, 71.0, 34.2, 71.6).widened())
    assert "India" not in names(small) and "Turkmenistan" not in names(small)
    assert "India" in names(full)
    small_page = maps.chapter_map("refugees", places=["torkham", "peshawar"]).map_html()
    assert '"name":"Turkmenistan"' not in small_page and '"name":"Pakistan"' in small_page


def test_unknown_ids_are_clear_errors():
    with pytest.raises(KeyError, match="unknown map 'atlas'; known: durand_line"):
        maps.chapter_map("atlas")
    with pytest.raises(KeyError, match=r"unknown place 'atlantis'; known: torkham, .*\(see data/places.csv"):
        maps.chapter_map("refugees", add_places=["atlantis"])
    with pytest.raises(KeyError, match="unknown route 'silk_road'"):
        maps.chapter_map("trade_corridors", routes=["silk_road"])
