"""Country outlines and the Durand Line from Natural Earth TopoJSON, without a GIS library.

The raw data is ``data/raw/natural-earth/countries-50m.json`` from the npm package
``world-atlas@2.0.2`` (Natural Earth 4.1, 1:50m). A TopoJSON file stores every boundary
segment once, as an *arc*; a country's outline is a list of arc indices. That makes a
border between two countries easy to find: it is the arcs both countries use.

Decoding a quantized TopoJSON arc takes two steps (TopoJSON specification, section 2.1.2):

1. *delta-decode*: the first position is absolute, every later one is the difference
   to the previous position, so a running sum gives the integer grid positions;
2. *transform*: ``lon = x * scale[0] + translate[0]`` and ``lat = y * scale[1] + translate[1]``.

An arc index ``i >= 0`` means "arc i as stored"; a negative index ``~i`` (that is
``-i - 1``) means "arc i reversed". Consecutive arcs in a ring share their end point.

Country outlines are simplified for the maps' scale (:func:`simplify_arcs`, Douglas–Peucker
through shapely): each arc is simplified once, with its end points kept, so neighbours still
share exactly the same border and no gap or overlap opens between them. The arc of the Durand
Line is kept at full 1:50m detail, in the outlines and in durand_line.geojson: it is the
subject of the dossier, and Torkham and Chaman must stay on it.

Public functions: :func:`load_topology`, :func:`decode_arcs`, :func:`simplify_arcs`,
:func:`find_country`, :func:`country_geojson`, :func:`shared_arcs`, :func:`border_line`,
:func:`tripoint`, :func:`durand_line`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

from shapely.geometry import LineString

from dossier.geo import EARTH_RADIUS_KM, Position, line_length_km
from dossier.io import commit_files, render_csv

AFGHANISTAN = "004"
PAKISTAN = "586"
IRAN = "364"
CHINA = "156"

#: Countries (ISO 3166-1 numeric id as in world-atlas) shown around Afghanistan and Pakistan.
#: Afghanistan borders Iran, Turkmenistan, Uzbekistan, Tajikistan, China and Pakistan;
#: Pakistan borders Iran, Afghanistan, China and India.
FOCUS_IDS = (AFGHANISTAN, PAKISTAN)
NEIGHBOUR_IDS = (IRAN, "795", "860", "762", CHINA, "356")

#: ISO 3166-1 alpha-3 codes for the ids above (world-atlas carries only the numeric id).
ISO_A3 = {
    AFGHANISTAN: "AFG",
    PAKISTAN: "PAK",
    IRAN: "IRN",
    "795": "TKM",
    "860": "UZB",
    "762": "TJK",
    CHINA: "CHN",
    "356": "IND",
}

#: Natural Earth shows this disputed area between India, Pakistan and China as a geometry of
#: its own, without an id; it is kept (as a neighbour) so the map has no hole in Kashmir.
SIACHEN_NAME = "Siachen Glacier"

#: Douglas–Peucker tolerance for country outlines, in degrees: about 2 km for the borders of
#: Afghanistan and Pakistan, below a pixel at the zoom levels the maps open at (zoom 5–7, 1.2–5 km
#: a pixel at these latitudes); about 6 km for the borders and coasts of the countries around them.
SIMPLIFY_DEGREES = 0.02
SIMPLIFY_NEIGHBOURS_DEGREES = 0.06


class GeodataError(ValueError):
    """The input is not usable TopoJSON for these maps; the message says why, in one line."""


@dataclass(frozen=True)
class DecodedArcs:
    """All arcs of a topology, as integer grid positions and as (lon, lat) positions.

    The integer positions are exact, so they are what tripoints are matched on.
    """

    grid: list[list[tuple[int, int]]]
    lonlat: list[list[Position]]


def load_topology(path: str | Path) -> dict:
    """Read a TopoJSON file and check that it is a quantized topology with countries.

    Raises :class:`GeodataError` (never a bare OSError or JSONDecodeError) for a missing or
    unreadable file, text that is not JSON, or JSON that is not such a topology.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GeodataError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeodataError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeodataError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("type") != "Topology":
        raise GeodataError(f'{path}: JSON but not TopoJSON (no "type": "Topology")')
    transform = data.get("transform")
    if (
        not isinstance(transform, dict)
        or not _is_number_pair(transform.get("scale"))
        or not _is_number_pair(transform.get("translate"))
    ):
        raise GeodataError(f"{path}: TopoJSON without a quantization transform (scale, translate)")
    if not isinstance(data.get("arcs"), list):
        raise GeodataError(f'{path}: TopoJSON without an "arcs" list')
    objects = data.get("objects")
    countries = objects.get("countries") if isinstance(objects, dict) else None
    if not isinstance(countries, dict) or not isinstance(countries.get("geometries"), list):
        raise GeodataError(f'{path}: TopoJSON without a "countries" geometry collection')
    return data


def _is_number_pair(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    )


def decode_arcs(topology: dict) -> DecodedArcs:
    """Delta-decode every arc, then apply the transform (scale and translate)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    grid: list[list[tuple[int, int]]] = []
    lonlat: list[list[Position]] = []
    for number, arc in enumerate(topology["arcs"]):
        x = y = 0
        points: list[tuple[int, int]] = []
        try:
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x, y))
        except (TypeError, ValueError):
            raise GeodataError(f"arc {number} is not a list of [dx, dy] integer pairs") from None
        grid.append(points)
        lonlat.append([(px * sx + tx, py * sy + ty) for px, py in points])
    return DecodedArcs(grid=grid, lonlat=lonlat)


def simplify_arcs(arcs: DecodedArcs, tolerance: dict[int, float] | float, keep: set[int] = frozenset()) -> DecodedArcs:
    """The arcs simplified with Douglas–Peucker, except the arcs in `keep`. `tolerance` is in
    degrees, for every arc or per arc number (arcs not listed are left as they are).

    End points are always kept (arcs meet there). An arc that would collapse below four points
    while closing on itself (a small island) is kept as it is.
    """
    lonlat = []
    for number, points in enumerate(arcs.lonlat):
        limit = tolerance if isinstance(tolerance, (int, float)) else tolerance.get(number)
        if number in keep or limit is None or len(points) <= 2:
            lonlat.append(points)
            continue
        simple = [tuple(p) for p in LineString(points).simplify(limit, preserve_topology=False).coords]
        closed = points[0] == points[-1]
        lonlat.append(points if closed and len(simple) < 4 else simple)
    return replace(arcs, lonlat=lonlat, grid=arcs.grid)


def find_country(topology: dict, country_id: str) -> dict:
    """The TopoJSON geometry with this id (e.g. "004" for Afghanistan)."""
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == country_id:
            return geometry
    raise GeodataError(f"no country with id {country_id!r} in the topology")


def find_country_by_name(topology: dict, name: str) -> dict:
    """The TopoJSON geometry whose ``properties.name`` is ``name`` (for geometries without id)."""
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("properties", {}).get("name") == name:
            return geometry
    raise GeodataError(f"no country named {name!r} in the topology")


def _polygons(geometry: dict) -> list[list[list[int]]]:
    """The arc-index rings of a Polygon or MultiPolygon, always as a list of polygons."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    raise GeodataError(f"geometry {geometry.get('id')!r} is a {geometry.get('type')}, not a polygon")


def _arc_points(points: list, index: int) -> list:
    return points[index] if index >= 0 else points[~index][::-1]


def _ring(points: list, arc_indices: list[int]) -> list:
    """Join the arcs of one ring, dropping each arc's first point (the previous arc's last)."""
    ring: list = []
    for k, index in enumerate(arc_indices):
        part = _arc_points(points, index)
        ring.extend(part if k == 0 else part[1:])
    return ring


def _rounded(ring: list[Position], digits: int) -> list[list[float]]:
    return [[round(lon, digits), round(lat, digits)] for lon, lat in ring]


def _signed_area(ring: list[Position]) -> float:
    """Planar signed area in square degrees: positive when the ring runs counterclockwise."""
    return math.fsum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2  # the same on every Python


def _wound(ring: list[Position], exterior: bool) -> list[Position]:
    """The ring wound as RFC 7946 asks: exterior rings counterclockwise, holes clockwise.

    world-atlas winds them the other way round (as d3-geo expects); Leaflet accepts both.
    """
    counterclockwise = _signed_area(ring) > 0
    return ring if counterclockwise == exterior else ring[::-1]


def country_geojson(geometry: dict, arcs: DecodedArcs, digits: int = 4) -> dict:
    """A GeoJSON geometry (Polygon or MultiPolygon) for a TopoJSON country geometry.

    Coordinates are rounded to ``digits`` decimals (4 decimals is about 10 m, finer than the
    quantization of the 1:50m file, about 400 m by 190 m at these latitudes). Rings are wound
    as RFC 7946 recommends.
    """
    polygons = [
        [
            _rounded(_wound(_ring(arcs.lonlat, ring), exterior=(k == 0)), digits)
            for k, ring in enumerate(polygon)
        ]
        for polygon in _polygons(geometry)
    ]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _arc_uses(geometry: dict) -> list[int]:
    """Every arc index a country's rings use, in ring order (negative = reversed)."""
    return [index for polygon in _polygons(geometry) for ring in polygon for index in ring]


def shared_arcs(geometry_a: dict, geometry_b: dict) -> list[int]:
    """Arc indices that both countries use, oriented and ordered as country A's rings use them."""
    used_by_b = {index if index >= 0 else ~index for index in _arc_uses(geometry_b)}
    return [i for i in _arc_uses(geometry_a) if (i if i >= 0 else ~i) in used_by_b]


def border_line(geometry_a: dict, geometry_b: dict, arcs: DecodedArcs) -> list[Position]:
    """The common border of two countries as one line of (lon, lat) positions.

    The shared arcs must join end to end into a single line; otherwise (no common border,
    or a border in several pieces) a :class:`GeodataError` says so.
    """
    indices = shared_arcs(geometry_a, geometry_b)
    if not indices:
        raise GeodataError(f"countries {geometry_a.get('id')} and {geometry_b.get('id')} share no arc")
    pieces = [_arc_points(arcs.grid, i) for i in indices]
    lonlat_pieces = [_arc_points(arcs.lonlat, i) for i in indices]
    # Within a ring the shared arcs follow each other, but the ring may start in the middle
    # of the border: rotate so that the piece whose start no other piece ends at comes first.
    ends = {piece[-1] for piece in pieces}
    starts = [k for k, piece in enumerate(pieces) if piece[0] not in ends]
    first = starts[0] if len(starts) == 1 else 0
    order = list(range(first, len(pieces))) + list(range(first))
    line_grid = list(pieces[order[0]])
    line = list(lonlat_pieces[order[0]])
    for k in order[1:]:
        if pieces[k][0] != line_grid[-1]:
            raise GeodataError(
                f"the border of {geometry_a.get('id')} and {geometry_b.get('id')} "
                f"is not one connected line ({len(pieces)} pieces)"
            )
        line_grid.extend(pieces[k][1:])
        line.extend(lonlat_pieces[k][1:])
    return line


def _boundary_points(geometry: dict, arcs: DecodedArcs) -> set[tuple[int, int]]:
    return {point for index in _arc_uses(geometry) for point in _arc_points(arcs.grid, index)}


def tripoint(geometries: list[dict], topology: dict, arcs: DecodedArcs) -> Position:
    """The one boundary vertex that three countries share, as (lon, lat).

    Matching is on the exact integer grid positions, so no tolerance is involved.
    """
    common = set.intersection(*(_boundary_points(g, arcs) for g in geometries))
    names = "/".join(str(g.get("id")) for g in geometries)
    if len(common) != 1:
        raise GeodataError(f"countries {names} share {len(common)} boundary points, not exactly one")
    (x, y), = common
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    return (x * sx + tx, y * sy + ty)


@dataclass(frozen=True)
class DurandLine:
    """The Afghanistan–Pakistan border as drawn in the data, oriented from China to Iran."""

    coordinates: list[Position]
    length_km: float
    china_tripoint: Position
    iran_tripoint: Position

    @property
    def vertex_count(self) -> int:
        return len(self.coordinates)


def durand_line(topology: dict, arcs: DecodedArcs | None = None) -> DurandLine:
    """Find the Afghanistan–Pakistan border and its two tripoints, and measure it.

    The line is oriented to start at the Afghanistan–China–Pakistan tripoint and to end at
    the Afghanistan–Iran–Pakistan tripoint; both are checked to be the line's end points.
    """
    arcs = arcs or decode_arcs(topology)
    afghanistan, pakistan = find_country(topology, AFGHANISTAN), find_country(topology, PAKISTAN)
    line = border_line(afghanistan, pakistan, arcs)
    china_point = tripoint([afghanistan, pakistan, find_country(topology, CHINA)], topology, arcs)
    iran_point = tripoint([afghanistan, pakistan, find_country(topology, IRAN)], topology, arcs)
    if _same(line[0], iran_point) and _same(line[-1], china_point):
        line = line[::-1]
    if not (_same(line[0], china_point) and _same(line[-1], iran_point)):
        raise GeodataError("the Afghanistan-Pakistan border does not run from the China to the Iran tripoint")
    return DurandLine(
        coordinates=line,
        length_km=line_length_km(line),
        china_tripoint=china_point,
        iran_tripoint=iran_point,
    )


def _same(p: Position, q: Position) -> bool:
    return math.isclose(p[0], q[0], abs_tol=1e-9) and math.isclose(p[1], q[1], abs_tol=1e-9)


# --------------------------------------------------------------------------------------
# Writing data/geo/: reproducible files for the maps
# --------------------------------------------------------------------------------------

SOURCE = "Natural Earth 1:50m via world-atlas 2.0.2"
DURAND_NAME = "Durand Line (Afghanistan–Pakistan border)"
AFGHAN_POSITION = {
    "note": "Afghanistan does not recognise the Durand Line as an international border.",
    "note_source": "The Nation, 21 June 2017, "
    "http://nation.com.pk/national/21-Jun-2017/pakistan-begins-fencing-afghan-border",
}
LENGTH_NOTE = (
    "length_km is measured along this generalised 1:50m line, which cuts corners; "
    "published lengths of the border are about 2,600-2,670 km and disagree with each other."
)
DIGITS = 4  # decimals kept in coordinates (about 10 m)
TRIPOINTS_HEADER = ("id", "name", "countries", "lat", "lon", "source")


def countries_collection(topology: dict, arcs: DecodedArcs) -> dict:
    """GeoJSON FeatureCollection: Afghanistan and Pakistan ("focus") and their neighbours.

    Outlines are kept whole here; each map clips them to its view (dossier.maps).
    """
    features = []
    for role, ids in (("focus", FOCUS_IDS), ("neighbour", NEIGHBOUR_IDS)):
        for country_id in ids:
            geometry = find_country(topology, country_id)
            features.append(_country_feature(geometry, arcs, country_id, ISO_A3[country_id], role))
    siachen = find_country_by_name(topology, SIACHEN_NAME)
    feature = _country_feature(siachen, arcs, None, None, "neighbour")
    feature["properties"]["note"] = (
        "disputed area that Natural Earth shows separately, without a country code"
    )
    features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _country_feature(geometry: dict, arcs: DecodedArcs, country_id, iso_a3, role: str) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "name": geometry.get("properties", {}).get("name"),
            "id": country_id,
            "iso_a3": iso_a3,
            "role": role,
            "source": SOURCE,
        },
        "geometry": country_geojson(geometry, arcs, DIGITS),
    }


def durand_collection(line: DurandLine) -> dict:
    """GeoJSON FeatureCollection holding the Durand Line as one LineString feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": DURAND_NAME,
                    "length_km": round(line.length_km, 1),
                    "vertex_count": line.vertex_count,
                    "from": "Afghanistan–China–Pakistan tripoint",
                    "to": "Afghanistan–Iran–Pakistan tripoint",
                    "source": SOURCE,
                    "length_note": LENGTH_NOTE,
                    **AFGHAN_POSITION,
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": _rounded(line.coordinates, DIGITS),
                },
            }
        ],
    }


def tripoint_rows(line: DurandLine) -> list[tuple[str, ...]]:
    """Rows (without header) for tripoints.csv: the two ends of the Durand Line."""
    rows = []
    for point_id, name, countries, (lon, lat) in (
        ("af_cn_pk", "Afghanistan–China–Pakistan tripoint", "AFG;CHN;PAK", line.china_tripoint),
        ("af_ir_pk", "Afghanistan–Iran–Pakistan tripoint", "AFG;IRN;PAK", line.iran_tripoint),
    ):
        rows.append((point_id, name, countries, f"{lat:.{DIGITS}f}", f"{lon:.{DIGITS}f}", SOURCE))
    return rows


def geojson_text(collection: dict) -> str:
    """Compact, stable JSON text: one feature per line, fixed key order, trailing newline."""
    head = json.dumps({k: v for k, v in collection.items() if k != "features"}, ensure_ascii=False,
                      separators=(",", ":"))
    features = ",\n".join(
        json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in collection["features"]
    )
    return head[:-1] + ',"features":[\n' + features + "\n]}\n"


def build_outputs(topology: dict, source_label: str, source_sha256: str) -> dict[str, str]:
    """The text of every file in data/geo/, keyed by file name.

    ``source_label`` (e.g. "data/raw/natural-earth/countries-50m.json") and ``source_sha256``
    are written into README.md so a reader can tell which input made these files.
    """
    arcs = decode_arcs(topology)
    for country_id in FOCUS_IDS:
        find_country(topology, country_id)  # a clear error if Afghanistan or Pakistan is missing
    line = durand_line(topology, arcs)
    durand_arcs = {i if i >= 0 else ~i for i in shared_arcs(find_country(topology, AFGHANISTAN),
                                                             find_country(topology, PAKISTAN))}
    tolerance = {}
    for role, ids, degrees in (("neighbour", NEIGHBOUR_IDS, SIMPLIFY_NEIGHBOURS_DEGREES),
                               ("focus", FOCUS_IDS, SIMPLIFY_DEGREES)):  # focus last: it wins shared arcs
        for country_id in ids:
            for index in _arc_uses(find_country(topology, country_id)):
                tolerance[index if index >= 0 else ~index] = degrees
    outlines = simplify_arcs(arcs, tolerance, keep=durand_arcs)
    outputs = {
        "countries.geojson": geojson_text(countries_collection(topology, outlines)),
        "durand_line.geojson": geojson_text(durand_collection(line)),
        "tripoints.csv": render_csv(TRIPOINTS_HEADER, tripoint_rows(line)),
    }
    outputs["README.md"] = readme_text(line, source_label, source_sha256)
    return outputs


def build_from_file(path: str | Path, source_label: str | None = None) -> dict[str, str]:
    """Read a TopoJSON file and return the texts of data/geo/ (see :func:`build_outputs`)."""
    topology = load_topology(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    try:
        return build_outputs(topology, source_label or Path(path).name, digest)
    except GeodataError as exc:
        raise GeodataError(f"{path}: {exc}") from None
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        # Structure the checks in load_topology do not cover (a geometry without arcs, ...).
        raise GeodataError(f"{path}: malformed TopoJSON ({exc.__class__.__name__}: {exc})") from None


def readme_text(line: DurandLine, source_label: str, source_sha256: str) -> str:
    """data/geo/README.md: provenance, license, what each file holds, how to regenerate."""
    (china_lon, china_lat), (iran_lon, iran_lat) = line.china_tripoint, line.iran_tripoint
    return f"""# Derived geodata for the maps

Generated by `python scripts/build_geodata.py` from `{source_label}`
(sha256 `{source_sha256}`). Do not edit these files by hand: change the script and
regenerate. The tests check that regenerating gives the same bytes.

## Files

| file | contents |
| --- | --- |
| `countries.geojson` | Afghanistan and Pakistan (`role: "focus"`) and the countries around them (`role: "neighbour"`: Iran, Turkmenistan, Uzbekistan, Tajikistan, China, India, and the Siachen Glacier, which Natural Earth shows separately without a country code). Properties: `name`, `id` (ISO 3166-1 numeric, as in the source), `iso_a3`, `role`, `source`. |
| `durand_line.geojson` | One `LineString`: the boundary arc that Afghanistan and Pakistan share in the source, from the Afghanistan–China–Pakistan tripoint to the Afghanistan–Iran–Pakistan tripoint. Properties: `name`, `length_km`, `vertex_count`, `from`, `to`, `source`, `length_note`, `note`, `note_source`. |
| `tripoints.csv` | The two ends of that line. Columns: `id`, `name`, `countries` (ISO alpha-3, joined with `;`), `lat`, `lon`, `source`. |

GeoJSON coordinates are `[longitude, latitude]` in degrees (WGS 84), rounded to {DIGITS}
decimals; the source itself is quantized to about 0.0036° of longitude and 0.0017° of latitude.
Polygon rings are wound as RFC 7946 recommends (exterior counterclockwise, holes clockwise),
the reverse of the source's d3-style winding.

The outlines in `countries.geojson` are simplified for the maps' scale (Douglas–Peucker,
{SIMPLIFY_DEGREES}° tolerance, about 2 km, for the borders of Afghanistan and Pakistan;
{SIMPLIFY_NEIGHBOURS_DEGREES}° for the other borders and coasts), arc by arc, so neighbours share
exactly the same border. The Afghanistan–Pakistan border is not simplified: in the outlines and in
`durand_line.geojson` it keeps every vertex of the 1:50m source. Each map clips the outlines
to its own view when it is drawn (`dossier.maps`).

## Measured from the data

- Durand Line as drawn at 1:50m: {line.vertex_count} vertices, {line.length_km:,.1f} km
  (sum of great-circle distances between vertices, Earth radius {EARTH_RADIUS_KM} km).
- Afghanistan–China–Pakistan tripoint: {china_lat:.{DIGITS}f} N, {china_lon:.{DIGITS}f} E.
- Afghanistan–Iran–Pakistan tripoint: {iran_lat:.{DIGITS}f} N, {iran_lon:.{DIGITS}f} E.

A generalised line cuts corners, so its length is not the length of the border. Published
figures disagree with each other: about 2,400 km (AP, via RFE/RL, 2017), 2,430 km (EFSAS),
about 2,600 km (AFP, 2023; Arab News, 2023), 2,611 km (ISPR, in The News, 2018), 2,640 km
(OpenCanada, 2014; IANS, 2021) and almost 2,670 km (Anadolu, in Pakistan Today, 2021); the
Durand Line chapter cites each. Quote those, with their sources, not the number above.

## What the lines mean

Natural Earth draws de facto boundaries and takes no side in disputes; neither does this
dossier by using them. Afghanistan does not recognise the Durand Line as an international
border (The Nation, 21 June 2017). Kashmir is divided as Natural Earth divides it.

## Source and license

- Natural Earth vector data, version 4.1.0, *Admin 0 – Countries* at 1:50m: public domain.
- Packaged as TopoJSON in the npm package `world-atlas` 2.0.2 (ISC license, Michael Bostock;
  the license text is in `data/raw/natural-earth/LICENSE`). Provenance of the raw file, with
  the package's integrity hash: `data/raw/natural-earth/PROVENANCE.md`.

## Regenerate

    bash scripts/fetch_natural_earth.sh      # optional: re-fetch and re-verify the raw file (npm)
    python scripts/build_geodata.py          # rewrite data/geo/ from data/raw/natural-earth/
"""


def write_outputs(outputs: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write every file, all or nothing (see :func:`dossier.io.commit_files`).

    Nothing is replaced until every text has been produced, so bad input leaves the old
    files untouched.
    """
    return commit_files({Path(out_dir) / name: text for name, text in outputs.items()})
