"""The map module: maps are made from data files, reproducibly, with nothing but Leaflet and jQuery."""

from __future__ import annotations

import json
import re
import pytest

from dossier import data, maps
from dossier.htmlcheck import external_refs
from dossier.vendor import JQUERY_JS_CDN, LEAFLET_CSS_CDN, LEAFLET_JS_CDN

CHAPTER_MAPS = [maps.durand_line_map, maps.trade_corridors_map, maps.refugees_map]


@pytest.fixture(scope="module", params=CHAPTER_MAPS, ids=lambda f: f.__name__)
def chapter_map(request):
    return request.param()


def test_same_data_gives_same_bytes(chapter_map):
    again = {f.__name__: f for f in CHAPTER_MAPS}[chapter_map.slug.replace("map-", "").replace("-", "_") + "_map"]()
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


def test_only_leaflet_and_jquery_are_loaded(chapter_map):
    assert sorted(external_refs(chapter_map._repr_html_())) == sorted([LEAFLET_JS_CDN, JQUERY_JS_CDN, LEAFLET_CSS_CDN])


def test_markers_stand_at_the_coordinates_in_places_csv(chapter_map):
    page = chapter_map.map_html()
    places = maps.places_by_id()
    markers = re.findall(r"L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\],\s*(\{.*?\})\s*\)", page, re.S)
    assert markers
    for lat, lon, options in markers:
        place_id = re.search(r'"placeId": "([a-z0-9_]+)"', options).group(1)
        assert (float(lat), float(lon)) == (places[place_id]["lat"], places[place_id]["lon"]), place_id


def test_text_alternative_lists_every_marker_and_line(chapter_map):
    page = chapter_map.map_html()
    n_markers = len(re.findall(r"L\.circleMarker\(", page))
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
    lines = polylines(maps.trade_corridors_map().map_html())
    places = maps.places_by_id()
    routes = data.load_routes()
    assert set(lines) == {route["id"] for route in routes}
    for route in routes:
        assert lines[route["id"]] == [(places[p]["lat"], places[p]["lon"]) for p in route["stops"]]


def test_route_styles_are_told_apart_without_colour():
    dashes = [dash for _colour, dash, _label in maps.ROUTE_STYLE.values()]
    assert len(set(dashes)) == len(dashes)


def test_unknown_place_is_a_clear_error():
    with pytest.raises(KeyError, match="not in data/places.csv: atlantis"):
        maps.make_map("x", "X", "x", ["kabul", "atlantis"])
