"""Natural Earth geodata: TopoJSON decoding, the Durand Line, and data/geo/ regeneration."""

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import geo
from dossier.pipeline import geodata

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw" / "natural-earth"
TOPOJSON = RAW / "countries-50m.json"
GEO = REPO / "data" / "geo"
CLI = REPO / "scripts" / "build_geodata.py"

# Crossing coordinates from the dossier's reference facts (coords.torkham, coords.chaman_crossing).
TORKHAM = (71.0847, 34.1147)
CHAMAN = (66.4447, 30.9222)


@pytest.fixture(scope="module")
def topology():
    return geodata.load_topology(TOPOJSON)


@pytest.fixture(scope="module")
def arcs(topology):
    return geodata.decode_arcs(topology)


@pytest.fixture(scope="module")
def durand(topology, arcs):
    return geodata.durand_line(topology, arcs)


# ---- decoding, on a topology small enough to check by hand -----------------------------

TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "arcs": [
        [[0, 0], [2, 0], [0, 4]],  # grid (0,0) (2,0) (2,4)
        [[2, 4], [-2, 0], [0, -4]],  # grid (2,4) (0,4) (0,0)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [{"type": "Polygon", "id": "001", "properties": {"name": "A"}, "arcs": [[0, 1]]}],
        }
    },
}


def test_decode_delta_and_transform():
    arcs = geodata.decode_arcs(TINY)
    assert arcs.grid[0] == [(0, 0), (2, 0), (2, 4)]
    assert arcs.grid[1] == [(2, 4), (0, 4), (0, 0)]
    assert arcs.lonlat[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]


def test_ring_joins_arcs_and_reverses_negative_indices():
    arcs = geodata.decode_arcs(TINY)
    polygon = geodata.country_geojson(TINY["objects"]["countries"]["geometries"][0], arcs)
    # The joined ring closes on itself and has no doubled vertex where the arcs meet.
    ring = polygon["coordinates"][0]
    assert ring == [[10.0, 20.0], [11.0, 20.0], [11.0, 21.0], [10.0, 21.0], [10.0, 20.0]]
    reversed_geometry = {"type": "Polygon", "id": "x", "arcs": [[~1, ~0]]}
    ring_reversed = geodata.country_geojson(reversed_geometry, arcs)["coordinates"][0]
    # Either way the exterior ring is wound counterclockwise, as RFC 7946 asks.
    assert ring_reversed == ring


def test_haversine_one_degree_of_latitude():
    assert geo.haversine_km((70.0, 30.0), (70.0, 31.0)) == pytest.approx(111.195, abs=0.01)


# ---- the real 1:50m file -----------------------------------------------------------------


def test_raw_file_is_the_pinned_one():
    digest = hashlib.sha256(TOPOJSON.read_bytes()).hexdigest()
    assert digest in (RAW / "PROVENANCE.md").read_text(encoding="utf-8")
    assert digest in (REPO / "scripts" / "fetch_natural_earth.sh").read_text(encoding="utf-8")
    license_digest = hashlib.sha256((RAW / "LICENSE").read_bytes()).hexdigest()
    assert license_digest in (RAW / "PROVENANCE.md").read_text(encoding="utf-8")
    assert license_digest in (REPO / "scripts" / "fetch_natural_earth.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "country_id, name",
    [("004", "Afghanistan"), ("586", "Pakistan"), ("364", "Iran"), ("795", "Turkmenistan"),
     ("860", "Uzbekistan"), ("762", "Tajikistan"), ("156", "China"), ("356", "India")],
)
def test_country_ids(topology, country_id, name):
    assert geodata.find_country(topology, country_id)["properties"]["name"] == name


def test_afghanistan_and_pakistan_share_exactly_one_arc(topology):
    afghanistan = geodata.find_country(topology, geodata.AFGHANISTAN)
    pakistan = geodata.find_country(topology, geodata.PAKISTAN)
    assert len(geodata.shared_arcs(afghanistan, pakistan)) == 1
    assert len(geodata.shared_arcs(pakistan, afghanistan)) == 1


def test_durand_line_measurements(durand):
    assert durand.vertex_count == 157
    assert durand.length_km == pytest.approx(2053.8, abs=1.0)
    china_lon, china_lat = durand.china_tripoint
    iran_lon, iran_lat = durand.iran_tripoint
    assert (china_lon, china_lat) == pytest.approx((74.5405, 37.0226), abs=1e-3)
    assert (iran_lon, iran_lat) == pytest.approx((60.8424, 29.8582), abs=1e-3)
    assert durand.coordinates[0] == durand.china_tripoint
    assert durand.coordinates[-1] == durand.iran_tripoint


def test_durand_line_passes_the_crossings(durand):
    """A sanity check of the geography: the line runs within a few km of both crossings."""
    near_torkham = min(geo.haversine_km(TORKHAM, p) for p in durand.coordinates)
    near_chaman = min(geo.haversine_km(CHAMAN, p) for p in durand.coordinates)
    assert near_torkham < 3
    assert near_chaman < 8


def test_tripoints_are_shared_by_exactly_three_countries(topology, arcs):
    af, pk, cn, ir = (geodata.find_country(topology, i) for i in ("004", "586", "156", "364"))
    assert geodata.tripoint([af, pk, cn], topology, arcs) != geodata.tripoint([af, pk, ir], topology, arcs)
    with pytest.raises(geodata.GeodataError, match="not exactly one"):
        geodata.tripoint([af, cn, ir], topology, arcs)  # Afghanistan, China and Iran never meet


def test_border_of_countries_that_do_not_touch(topology, arcs):
    with pytest.raises(geodata.GeodataError, match="share no arc"):
        geodata.border_line(geodata.find_country(topology, "004"), geodata.find_country(topology, "356"), arcs)


# ---- the committed files in data/geo/ ----------------------------------------------------


def test_regeneration_is_byte_identical(tmp_path):
    result = subprocess.run([sys.executable, str(CLI), "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in GEO.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (GEO / name).read_bytes(), name


def test_countries_geojson_contents():
    data = json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in data["features"]]
    assert [(p["name"], p["iso_a3"], p["role"]) for p in props[:2]] == [
        ("Afghanistan", "AFG", "focus"), ("Pakistan", "PAK", "focus")]
    neighbours = {p["iso_a3"] for p in props if p["role"] == "neighbour"}
    assert neighbours == {"IRN", "TKM", "UZB", "TJK", "CHN", "IND", None}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])
    assert (GEO / "countries.geojson").stat().st_size < 60_000  # simplified for the maps' scale


def _outline_vertices(feature: dict) -> set[tuple[float, float]]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return {tuple(p) for polygon in polygons for ring in polygon for p in ring}


def test_simplified_neighbours_still_share_their_borders(topology, arcs):
    """Arcs are simplified once each, so two countries draw their common border with the same
    vertices: no gap or overlap opens between them."""
    countries = {f["properties"]["iso_a3"]: f for f in
                 json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))["features"]}
    for a, b, id_a, id_b in [("AFG", "IRN", "004", "364"), ("PAK", "IND", "586", "356"), ("AFG", "TJK", "004", "762")]:
        simplified = geodata.simplify_arcs(arcs, 0.02)  # any simplification of the arcs
        line = geodata.border_line(geodata.find_country(topology, id_a), geodata.find_country(topology, id_b), simplified)
        assert len(line) > 5
        vertices_a, vertices_b = _outline_vertices(countries[a]), _outline_vertices(countries[b])
        shared = vertices_a & vertices_b
        assert len(shared) > 5, (a, b)
        full = geodata.border_line(geodata.find_country(topology, id_a), geodata.find_country(topology, id_b), arcs)
        assert len(shared) < len(full), f"{a}-{b}: the border was not simplified"


def test_simplify_arcs_keeps_ends_and_the_arcs_it_is_told_to_keep(arcs):
    longest = max(range(len(arcs.lonlat)), key=lambda i: len(arcs.lonlat[i]))
    simplified = geodata.simplify_arcs(arcs, 0.05)
    kept = geodata.simplify_arcs(arcs, 0.05, keep={longest})
    assert len(simplified.lonlat[longest]) < len(arcs.lonlat[longest])
    assert kept.lonlat[longest] == arcs.lonlat[longest]
    for before, after in zip(arcs.lonlat, simplified.lonlat):
        assert (after[0], after[-1]) == (before[0], before[-1])


def test_durand_geojson_matches_afghan_outline():
    line = json.loads((GEO / "durand_line.geojson").read_text(encoding="utf-8"))
    (feature,) = line["features"]
    assert feature["geometry"]["type"] == "LineString"
    props = feature["properties"]
    assert props["name"] == "Durand Line (Afghanistan–Pakistan border)"
    assert props["vertex_count"] == len(feature["geometry"]["coordinates"]) == 157
    assert "does not recognise" in props["note"] and "nation.com.pk" in props["note_source"]
    countries = json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))
    # Every vertex of the line (never simplified) is a vertex of both outlines: the files agree.
    for country in countries["features"][:2]:
        outline = _outline_vertices(country)
        assert all(tuple(p) in outline for p in feature["geometry"]["coordinates"]), country["properties"]["name"]


def test_tripoints_csv():
    text = (GEO / "tripoints.csv").read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert lines[0] == "id,name,countries,lat,lon,source"
    assert lines[1].startswith("af_cn_pk,Afghanistan–China–Pakistan tripoint,AFG;CHN;PAK,37.0226,74.5405,")
    assert lines[2].startswith("af_ir_pk,Afghanistan–Iran–Pakistan tripoint,AFG;IRN;PAK,29.8582,60.8424,")


def test_readme_states_the_measured_numbers():
    readme = (GEO / "README.md").read_text(encoding="utf-8")
    assert "157 vertices, 2,053.8 km" in readme
    assert hashlib.sha256(TOPOJSON.read_bytes()).hexdigest() in readme


# ---- bad input: one line on stderr, non-zero exit, nothing written ----------------------


def _topology_without(country_id: str) -> str:
    data = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    geometries = data["objects"]["countries"]["geometries"]
    data["objects"]["countries"]["geometries"] = [g for g in geometries if g.get("id") != country_id]
    return json.dumps(data)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "file not found"),
        ("this is not json {", "not JSON"),
        ('{"type": "FeatureCollection", "features": []}', "not TopoJSON"),
        ('{"type": "Topology", "arcs": [], "objects": {}}', "transform"),
        ("AF", "no country with id '004'"),
        ("PK", "no country with id '586'"),
        ('{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]}, "arcs": [],'
         ' "objects": {"countries": {"geometries": [{"id": "004", "type": "Polygon"},'
         ' {"id": "586", "type": "Polygon"}]}}}',
         "malformed TopoJSON"),
    ],
    ids=["missing", "not-json", "geojson", "no-transform", "no-afghanistan", "no-pakistan", "no-arcs"],
)
def test_bad_input(tmp_path, content, message):
    source = tmp_path / "input.json"
    if content == "AF":
        content = _topology_without("004")
    elif content == "PK":
        content = _topology_without("586")
    if content is not None:
        source.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    sentinel = out / "countries.geojson"
    sentinel.write_text("old\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(CLI), "--topojson", str(source), "--out", str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["countries.geojson"]  # no temporary files
    assert sentinel.read_text(encoding="utf-8") == "old\n"


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "geo"
    blocker.write_text("a file where the folder should be\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(CLI), "--out", str(blocker)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.fullmatch(r"build_geodata: cannot write to .*\n", result.stderr)
