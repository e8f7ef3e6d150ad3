"""Maps of the dossier, drawn with folium from the files in `data/`.

Every map in the book is made here, from data: what each map shows is in `data/maps.yml`, how
places and routes look in `data/style.yml`, the places in `data/places.csv`. A chapter asks for
its map by id and gets a `DossierMap`: in a notebook it shows as a figure with the interactive map,
a caption, its sources and a text alternative (a table of everything the map shows, for screen
readers and print).

    maps.chapter_map("durand_line")
    maps.chapter_map("trade_corridors", add_places=["herat", "karachi"])   # show two more places
    maps.chapter_map("refugees", places=["torkham", "kabul", "peshawar"])  # only these places

How the maps load Leaflet, the one library they use (no jQuery, Bootstrap or icon fonts):

* every map page carries Leaflet inline (`dossier.vendor.inline_head`), so a map draws in Jupyter Lab,
  Binder or Colab with no network and no server path to resolve;
* in the built book, the Sphinx extension `dossier.sphinxext.offline_maps` swaps those inline copies
  for the one copy the book publishes, so pages stay light;
* the countries and the Durand Line are drawn from Natural Earth data in `data/geo/`, embedded in the
  map and cut to its view; online, OpenStreetMap tiles show beneath.

Places are one layer made from a JSON list (`PlacesLayer`): each is a circle marker with a label or
tooltip and a popup, and can be reached with the Tab key and opened with Enter.

Element ids are derived from the map's name rather than drawn at random (folium's default), so the
same data give the same HTML, byte for byte: notebooks re-executed give their stored outputs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import folium
import pandas as pd
import shapely
from branca.element import Element
from shapely.geometry import mapping, shape

from dossier import config, data, timeline, vendor
from dossier.map_layers import FIT_PADDING_PX, MAP_CSS, THEME_JS, MapBehaviour, PlacesLayer, script_json
from dossier.config import MapSpec, unknown

MAP_HEIGHT_PX = 480
TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"
# Country outlines are clipped to the places' extent widened by these factors (and a degree),
# so that panning or zooming out a step still shows them.
CLIP_MARGIN = 0.3
CLIP_MIN_ASPECT = 2.6  # maps are wide (in Lab about 900 px by 480): 2.6 times as many degrees across as up
# Decimals of the outlines as drawn: about 100 m, or about 1 km on maps that span more than
# WIDE_DEGREES of latitude (a pixel there is several km). The Durand Line layer keeps 4 decimals.
DIGITS = 3
WIDE_DIGITS = 2
WIDE_DEGREES = 12


@dataclass
class DossierMap:
    """A map ready to show in a notebook: the folium map plus what a reader needs to use it."""

    slug: str
    title: str
    caption: str
    sources: list[str]
    rows: list[dict[str, str]]
    legend: list[tuple[str, str]]
    folium_map: folium.Map = field(repr=False)

    @cached_property
    def page(self) -> str:
        """The full Leaflet page of the map (what goes into the iframe), with stable element ids.

        Rendered once: folium adds to a map's page each time it renders it.
        """
        return render_map_page(self.folium_map, self.slug)

    def map_html(self) -> str:
        return self.page

    def _repr_html_(self) -> str:
        return figure_html(self)

    def __repr__(self) -> str:
        return f"<DossierMap {self.slug!r}: {len(self.rows)} features>"


# --------------------------------------------------------------------------------------------
# Data


@lru_cache(maxsize=4)
def _geojson(stamp: tuple[str, int]) -> dict:
    return json.loads(Path(stamp[0]).read_text(encoding="utf-8"))


def _geo(name: str) -> dict:
    return _geojson(config.stamp(config.data_dir() / "geo" / name))


def countries_geojson() -> dict:
    """Outlines of Afghanistan, Pakistan and their neighbours (Natural Earth 1:50m, simplified)."""
    return _geo("countries.geojson")


def durand_line_geojson() -> dict:
    """The Afghanistan–Pakistan border, the Durand Line (Natural Earth 1:50m, every vertex)."""
    return _geo("durand_line.geojson")


def places_by_id() -> dict[str, dict]:
    """Rows of data/places.csv keyed by id, plus the two tripoints of data/geo/tripoints.csv."""
    places = {row["id"]: row for row in data.load_places().to_dict("records")}
    for row in tripoints():
        places[row["id"]] = row
    return places


def tripoints() -> list[dict]:
    """The two ends of the Durand Line (data/geo/tripoints.csv), as places of kind 'tripoint'."""
    frame = pd.read_csv(config.data_dir() / "geo" / "tripoints.csv", dtype=str, keep_default_na=False)
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "label": "Tripoint with " + ("China" if "CHN" in row["countries"] else "Iran"),
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "kind": "tripoint",
            "country": row["countries"].replace(";", ", "),
            "approximate": False,
            "source": row["source"],
        }
        for row in frame.to_dict("records")
    ]


# --------------------------------------------------------------------------------------------
# Country outlines for one view


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def around(cls, points: list[tuple[float, float]]) -> "Bounds":
        """The smallest box around (lat, lon) points."""
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        return cls(min(lats), min(lons), max(lats), max(lons))

    def widened(self, margin: float = CLIP_MARGIN, min_aspect: float = CLIP_MIN_ASPECT) -> "Bounds":
        """The box grown by `margin` of its size (plus a degree) on each side, and made at least
        `min_aspect` times as wide as high (maps are wide)."""
        half_h = (self.north - self.south) / 2
        half_w = max((self.east - self.west) / 2, half_h * min_aspect)
        cy, cx = (self.north + self.south) / 2, (self.east + self.west) / 2
        grow_h, grow_w = half_h * (1 + margin) + 1, half_w * (1 + margin) + 1
        return Bounds(cy - grow_h, cx - grow_w, cy + grow_h, cx + grow_w)


def _rounded(coords, digits: int = DIGITS):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_rounded(c, digits) for c in coords]


def clipped_countries(bounds: Bounds, digits: int = DIGITS) -> dict:
    """The country outlines cut to `bounds` (shapely's clip_by_rect), to `digits` decimals: a map
    carries only what its view can show. Countries wholly outside are left out."""
    features = []
    for feature in countries_geojson()["features"]:
        outline = shape(feature["geometry"])
        west, south, east, north = outline.bounds
        if bounds.west <= west and bounds.south <= south and east <= bounds.east and north <= bounds.north:
            geometry = feature["geometry"]  # wholly inside: not cut
        else:
            cut = shapely.clip_by_rect(outline, bounds.west, bounds.south, bounds.east, bounds.north)
            if cut.is_empty:
                continue
            geometry = mapping(cut)
        features.append({**feature, "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"], digits)}})
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------------------------
# Building blocks


def base_map(bounds: Bounds, digits: int = DIGITS) -> folium.Map:
    """A map with OpenStreetMap tiles (online) over Natural Earth country outlines (always),
    cut to `bounds`. Its view is set afterwards, to fit what it shows (see `make_map`)."""
    # No scale from folium (bottom left, where a long attribution covers it): MapBehaviour puts one
    # under the zoom buttons. The wheel zooms only while exploring (see MAP_CSS).
    fmap = folium.Map(location=[31.5, 67.5], zoom_start=5, tiles=None, control_scale=False, zoom_snap=0.25,
                      scrollWheelZoom=False, fadeAnimation=False)  # no fading copy of a moved label
    # Only Leaflet, inline: nothing is loaded from elsewhere (folium's defaults would load Leaflet,
    # jQuery, Bootstrap and icon fonts from CDNs).
    fmap.default_js = []
    fmap.default_css = []
    fmap.get_root().header.add_child(Element(vendor.inline_head()), name="leaflet")
    folium.TileLayer("OpenStreetMap", attr=TILE_ATTRIBUTION, name="OpenStreetMap").add_to(fmap)
    fmap.get_root().header.add_child(Element(THEME_JS + MAP_CSS))
    folium.GeoJson(
        clipped_countries(bounds, digits),
        name="Countries (Natural Earth)",
        style_function=_country_style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)
    return fmap


def _country_style(feature: dict) -> dict:
    focus = feature["properties"].get("role") == "focus"
    return {
        "className": "dossier-country-shape" + (" dossier-focus" if focus else ""),
        "color": "#555555",
        "weight": 1,
        "fillColor": "#e8e4d8" if focus else "#f4f4f4",
        "fillOpacity": 0.55 if focus else 0.35,
    }


def add_country_labels(fmap: folium.Map) -> None:
    """Name Afghanistan and Pakistan on the map, at the centre of each outline."""
    for feature in countries_geojson()["features"]:
        if feature["properties"].get("role") != "focus":
            continue
        lat, lon = outline_centre(feature["geometry"])
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f'<div class="dossier-country">{html.escape(feature["properties"]["name"])}</div>',
                icon_size=(120, 20),
                icon_anchor=(60, 10),
            ),
            interactive=False,
            keyboard=False,  # a name, not a control: Leaflet would make it a Tab stop (role button)
        ).add_to(fmap)


def outline_centre(geometry: dict) -> tuple[float, float]:
    """(lat, lon) of an outline's centroid (its centre of area, by shapely). The mean of the
    vertices would be pulled towards the most detailed stretch of border: for Afghanistan, the
    Wakhan, which put the name on top of Kabul."""
    centre = shape(geometry).centroid
    return (centre.y, centre.x)


def add_durand_line(fmap: folium.Map) -> dict[str, str]:
    """Draw the Durand Line; return its row for the text alternative."""
    line = durand_line_geojson()
    props = line["features"][0]["properties"]
    layer = folium.GeoJson(
        line,
        name="Durand Line",
        style_function=lambda _feature: {"color": config.style().border, "weight": 4, "opacity": 0.9},
        tooltip="Durand Line: the Afghanistan–Pakistan border",
    )
    layer.options["featureRole"] = "durand_line"
    layer.add_to(fmap)
    return {
        "What": "Durand Line",
        "Kind": "border (line)",
        "Where": f"about {round(float(props['length_km'])):,} km, China tripoint to Iran tripoint",
        "Source": props.get("source", "Natural Earth 1:50m"),
    }


def events_html(place_id: str, events: pd.DataFrame) -> str:
    """The events of the timeline (`timeline.load_timeline()`) at a place, for its popup."""
    here = events[events["place"] == place_id]
    if here.empty:
        return ""
    items = "".join(
        f"<li>{html.escape(row.date)}: {html.escape(row.event)} <small>[{html.escape(row.source.replace(';', ', '))}]</small></li>"
        for row in here.itertuples()
    )
    return f'<br><b>In the timeline</b><ul style="margin:0;padding-left:1.1em">{items}</ul>'


def place_entry(place: dict, events: pd.DataFrame, label: bool = True) -> tuple[dict, dict[str, str]]:
    """One place (a row of data/places.csv) as the places layer draws it, and its row for the
    text alternative."""
    kind = config.style().place_kind(place["kind"])
    lat, lon = float(place["lat"]), float(place["lon"])
    approximate = bool(place.get("approximate", False))
    where = f"{lat:.4f}, {lon:.4f}" + (" (approximate)" if approximate else "")
    popup_html = (
        f"<b>{html.escape(place['name'])}</b><br>{html.escape(kind.label)}, {html.escape(place['country'])}"
        f"<br>{where}<br><small>Coordinates: {html.escape(place['source'])}</small>"
        f"{events_html(place['id'], events)}"
    )
    entry = {
        "id": place["id"], "lat": lat, "lon": lon, "radius": kind.radius, "colour": kind.colour,
        "name": place["name"], "kind": kind.label, "label": html.escape(place["label"] if label else place["name"]),
        "permanent": label, "direction": config.maps_file().label_sides.get(place["id"], "right"),
        "popup": popup_html,
    }
    return entry, {"What": place["name"], "Kind": kind.label, "Where": where, "Source": place["source"]}


def add_route(fmap: folium.Map, route: dict, places: dict[str, dict]) -> dict[str, str]:
    """Draw a schematic route through its stops (straight segments); return its table row."""
    style = config.style().route_style(route["style"])
    stops = [places[pid] for pid in route["stops"]]
    line = folium.PolyLine(
        [[float(p["lat"]), float(p["lon"])] for p in stops],
        color=style.colour,
        weight=4,
        opacity=0.95,
        dash_array=style.dash,
        tooltip=f"{route['name']} (schematic)",
    )
    line.options["routeId"] = route["id"]
    line.add_to(fmap)
    return {
        "What": route["name"],
        "Kind": style.label,
        "Where": " – ".join(p["name"] for p in stops),
        "Source": route["source"],
    }


def legend_html(entries: list[tuple[str, str]]) -> str:
    """HTML of a legend (shown under the map) from (symbol html, label) pairs."""
    items = "".join(
        f'<li style="display:flex;align-items:center;gap:4px;margin:0">{symbol}<span>{html.escape(label)}</span></li>'
        for symbol, label in entries
    )
    return (
        '<div class="dossier-map-legend" style="font-size:0.85em;margin:.4em 0"><b>Legend</b>'
        '<ul style="display:flex;flex-wrap:wrap;gap:2px 16px;list-style:none;padding:0;margin:.2em 0">'
        f"{items}</ul></div>"
    )


def line_symbol(colour: str, dash: str | None = None, width: int = 4) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
        f'stroke="{colour}" stroke-width="{width}"{dash_attr}/></svg>'
    )


def dot_symbol(colour: str) -> str:
    return (
        f'<svg width="34" height="14" aria-hidden="true"><circle cx="17" cy="7" r="6" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="2"/></svg>'
    )


def make_map(spec: MapSpec) -> DossierMap:
    """Assemble the map `spec` describes: its places and the stops of its routes, its routes, the
    Durand Line, a legend and a text alternative."""
    places = places_by_id()
    routes = {route["id"]: route for route in data.load_routes()}
    for route_id in spec.routes:
        if route_id not in routes:
            raise unknown("route", route_id, routes, "data/routes.csv")
    place_ids = list(dict.fromkeys([*spec.places, *(pid for rid in spec.routes for pid in routes[rid]["stops"])]))
    for pid in place_ids:
        if pid not in places:
            raise unknown("place", pid, places, "data/places.csv or data/geo/tripoints.csv")
    if not place_ids:
        raise ValueError(f"map {spec.id!r} shows no place: give it places or routes")
    style = config.style()
    points = [(float(places[pid]["lat"]), float(places[pid]["lon"])) for pid in place_ids]
    view = Bounds.around(points)
    fmap = base_map(view.widened(), WIDE_DIGITS if view.north - view.south > WIDE_DEGREES else DIGITS)
    rows: list[dict[str, str]] = []
    legend: list[tuple[str, str]] = []
    sources = ["Country outlines and border: Natural Earth 1:50m (public domain), via world-atlas 2.0.2"]
    if spec.border:
        rows.append(add_durand_line(fmap))
        legend.append((line_symbol(style.border), "Durand Line (Afghanistan–Pakistan border)"))
    for route_id in spec.routes:
        route = routes[route_id]
        rows.append(add_route(fmap, route, places))
        route_style = style.route_style(route["style"])
        entry = (line_symbol(route_style.colour, route_style.dash), route_style.label)
        if entry not in legend:
            legend.append(entry)
    labelled = place_ids if spec.labelled is None else spec.labelled
    events = timeline.load_timeline()
    add_country_labels(fmap)
    # Drawn in the order of style.yml's place kinds: crossings and ports on top where markers overlap.
    entries = []
    for pid in sorted(place_ids, key=lambda pid: style.draw_rank(places[pid]["kind"])):
        entry, row = place_entry(places[pid], events, label=pid in labelled)
        entries.append(entry)
        rows.append(row)
        kind = style.place_kind(places[pid]["kind"])
        symbol = (dot_symbol(kind.colour), kind.label)
        if symbol not in legend:
            legend.append(symbol)
    for rank, entry in enumerate(entries):
        entry["rank"] = rank  # later kinds of style.yml first, when labels compete for room
    PlacesLayer(entries).add_to(fmap)
    MapBehaviour([[view.south, view.west], [view.north, view.east]], padding=FIT_PADDING_PX).add_to(fmap)
    sources.append("Place coordinates: data/places.csv (each row names its source)")
    if spec.routes:
        sources.append("Routes: data/routes.csv; drawn as straight segments between named stops, not surveyed alignments")
    sources.append("Background tiles (online only): OpenStreetMap contributors")
    return DossierMap(spec.slug, spec.title, spec.caption, sources, rows, legend, fmap)


def chapter_map(
    map_id: str,
    places: list[str] | None = None,
    add_places: list[str] = (),
    routes: list[str] | None = None,
) -> DossierMap:
    """The map `map_id` of data/maps.yml, as a chapter shows it.

    To show other places than the file lists (in class, or to adapt a map): `places` replaces its
    places, `add_places` adds some (ids of data/places.csv), `routes` replaces its routes. Places
    added this way carry a label.

        maps.chapter_map("trade_corridors", add_places=["herat", "karachi"])
    """
    spec = config.map_spec(map_id)
    changes: dict = {}
    if places is not None:
        changes["places"] = tuple(places)
    if routes is not None:
        changes["routes"] = tuple(routes)
    if add_places:
        changes["places"] = tuple(dict.fromkeys([*changes.get("places", spec.places), *add_places]))
        if spec.labelled is not None:
            changes["labelled"] = tuple(dict.fromkeys([*spec.labelled, *add_places]))
    return make_map(replace(spec, **changes) if changes else spec)


# --------------------------------------------------------------------------------------------
# Rendering


def stable_ids(fmap: folium.Map, seed: str) -> None:
    """Give every element of the map's tree an id derived from `seed` and its position.

    folium draws element ids at random (`os.urandom`); ids only need to be unique within the map's
    own page, so a counter does, and makes the output reproducible. Templates name children by
    their keys in `_children`, so the keys are renewed once every id is set.
    """
    elements: list[Element] = []
    stack: list[Element] = [fmap.get_root()]
    seen: set[int] = set()
    while stack:
        element = stack.pop(0)
        if id(element) in seen:
            continue
        seen.add(id(element))
        elements.append(element)
        # Figures and popups keep further trees in .header, .html and .script.
        parts = [getattr(element, name, None) for name in ("header", "html", "script")]
        stack.extend(list(element._children.values()) + [p for p in parts if isinstance(p, Element)])
    for counter, element in enumerate(elements):
        element._id = hashlib.sha256(f"{seed}:{counter}".encode()).hexdigest()[:32]
    for element in elements:
        children = list(element._children.values())
        element._children = type(element._children)((child.get_name(), child) for child in children)


_GEOJSON_ADD = re.compile(r"\b(geo_json_[0-9a-f]+_add\()\s*")


def compact_geojson(page: str) -> str:
    """The page with the GeoJSON data folium embeds written without spaces (folium writes
    `[62.34, 25.11], ` for every vertex: a fifth of a map's bytes). Escaped for a script as
    Jinja's `tojson` does."""
    decoder = json.JSONDecoder()
    parts, position = [], 0
    for match in _GEOJSON_ADD.finditer(page):
        if match.start() < position:
            continue
        data, end = decoder.raw_decode(page, match.end())
        parts += [page[position:match.end()], script_json(data)]
        position = end
    return "".join(parts) + page[position:]


def render_map_page(fmap: folium.Map, seed: str) -> str:
    """The map's whole HTML page, reproducibly."""
    if fmap._parent is None:
        folium.Figure().add_child(fmap)
    stable_ids(fmap, seed)
    return compact_geojson(fmap.get_root().render())


def _srcdoc(page: str) -> str:
    """A map's document as the value of a single-quoted ``srcdoc`` attribute: only ``&``, ``<``, ``>``
    and ``'`` are escaped. The document's JSON is full of double quotes, and escaping each as
    ``&quot;`` would add about 5 KB to every map page."""
    return html.escape(page, quote=False).replace("'", "&#x27;")


def figure_html(dmap: DossierMap) -> str:
    """The figure shown in notebooks and in the book: title, map, caption, sources, table."""
    page = dmap.page
    table_id = f"{dmap.slug}-table"
    head = "".join(f"<th scope=\"col\">{html.escape(col)}</th>" for col in ("What", "Kind", "Where", "Source"))
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(row[col])}</td>" for col in ("What", "Kind", "Where", "Source")) + "</tr>"
        for row in dmap.rows
    )
    sources = "; ".join(html.escape(s) for s in dmap.sources)
    return (
        f'<figure class="dossier-map" id="{dmap.slug}" style="margin:1em 0">'
        f'<div style="position:relative;width:100%;height:{MAP_HEIGHT_PX}px">'
        '<span class="dossier-map-notice">The map needs JavaScript. In Jupyter, trust the notebook '
        "(File, Trust Notebook) or re-run the cell. The table below lists what it shows.</span>"
        f'<iframe title="Interactive map: {html.escape(dmap.title)}" aria-describedby="{table_id}" '
        f"srcdoc='{_srcdoc(page)}' loading=\"lazy\" "
        'style="position:absolute;left:0;top:0;width:100%;height:100%;border:1px solid #ccc"></iframe>'
        "</div>"
        f"{legend_html(dmap.legend)}"
        f'<figcaption class="dossier-map-caption" style="text-align:left;margin-top:.4em"><b>' f"{html.escape(dmap.title)}.</b> {html.escape(dmap.caption)} "
        f"<small>Sources: {sources}.</small></figcaption>"
        f'<details open><summary>What the map shows (text alternative)</summary>'
        # On a phone the table is wider than the screen: it scrolls in its own box (focusable, so
        # the keyboard scrolls it too), with shadows at the edges and a hint (book/_static/dossier.css).
        '<p class="dossier-map-table-hint" style="display:none">The table is wider than the screen: '
        "swipe it sideways to see every column.</p>"
        f'<div class="dossier-map-table" role="region" tabindex="0" aria-label="{html.escape(dmap.title)}: '
        f'what the map shows">'
        f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>'
        "</figure>"
    )
