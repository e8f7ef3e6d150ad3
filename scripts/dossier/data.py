"""Loaders for the dossier's data, as the book's chapters use them.

    from dossier.data import load_paragraphs, passages
    passages("refugees")[["id", "text"]]

Every loader reads the committed files in the repository's ``data/`` folder
(see data/README.md). List-valued CSV cells (joined by ";" in the files)
come back as Python lists.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from .themes import load_rules


def data_dir() -> Path:
    """The repository's data folder, found from this file's location."""
    return Path(__file__).resolve().parents[2] / "data"


def _split(cell: str) -> list[str]:
    return cell.split(";") if cell else []


def _read_csv(name: str, list_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / name, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in list_columns:
        frame[column] = frame[column].map(_split)
    return frame


def load_article() -> dict:
    """The article's metadata (article.json) as a dict."""
    return json.loads((data_dir() / "article.json").read_text(encoding="utf-8"))


def load_page_context() -> dict:
    """What the page showed around the article (page_context.json): not article text."""
    return json.loads((data_dir() / "page_context.json").read_text(encoding="utf-8"))


def load_paragraphs() -> pd.DataFrame:
    """The article's paragraphs in reading order; ``themes`` is a list per row."""
    frame = _read_csv("paragraphs.csv", ("themes",))
    return frame.astype({"order": int, "word_count": int})


def passages(theme: str) -> pd.DataFrame:
    """The paragraphs tagged with *theme*, in reading order (index 0, 1, ...).

    Raises ValueError for an id that is not a theme of data/themes.yml.
    """
    known = load_rules(data_dir() / "themes.yml").ids
    if theme not in known:
        raise ValueError(f"unknown theme {theme!r}; themes: {', '.join(known)}")
    frame = load_paragraphs()
    return frame[frame["themes"].map(lambda themes: theme in themes)].reset_index(drop=True)


def load_places() -> pd.DataFrame:
    """Places the dossier maps (places.csv); lat/lon floats, approximate a bool."""
    frame = _read_csv("places.csv")
    frame["approximate"] = frame["approximate"].map({"true": True, "false": False})
    return frame.astype({"lat": float, "lon": float, "approximate": bool})


def load_entities() -> pd.DataFrame:
    """Entities named in the article (entities.csv); aliases and paragraphs as lists."""
    return _read_csv("entities.csv", ("aliases", "paragraphs"))


def load_routes() -> list[dict]:
    """Routes of routes.csv, each with ``stops``: its place ids in order (route_stops.csv)."""
    stops = _read_csv("route_stops.csv").astype({"seq": int}).sort_values(["route_id", "seq"])
    routes = _read_csv("routes.csv").to_dict("records")
    for route in routes:
        route["stops"] = stops.loc[stops["route_id"] == route["id"], "place_id"].tolist()
    return routes


def theme_table() -> pd.DataFrame:
    """One row per theme of themes.yml: how many paragraphs and words of the article carry it.

    A paragraph can carry several themes, so the shares add up to more than 100%.
    """
    frame = load_paragraphs()
    total_words = int(frame["word_count"].sum())
    rows = []
    for theme in load_rules(data_dir() / "themes.yml").ids:
        tagged = frame[frame["themes"].map(lambda themes: theme in themes)]
        words = int(tagged["word_count"].sum())
        rows.append({
            "theme": theme,
            "paragraphs": len(tagged),
            "words": words,
            "share_of_words_%": round(100 * words / total_words, 1),
            "paragraph_ids": ", ".join(tagged["id"]),
        })
    return pd.DataFrame(rows).set_index("theme")


def mentions(entity_id: str) -> pd.DataFrame:
    """The paragraphs that name an entity of entities.csv (by any of its aliases), in reading order."""
    entities = load_entities().set_index("id")
    if entity_id not in entities.index:
        raise KeyError(f"unknown entity {entity_id!r}; see data/entities.csv")
    ids = entities.loc[entity_id, "paragraphs"]
    frame = load_paragraphs()
    return frame[frame["id"].isin(ids)][["id", "order", "section", "text"]].reset_index(drop=True)


EARTH_RADIUS_KM = 6371.0088


def distance_km(place_a: str, place_b: str) -> float:
    """Great-circle distance in km between two places of places.csv (haversine formula).

    Straight-line distance, not road or rail distance: routes on the ground are longer.
    """
    places = load_places().set_index("id")
    for place in (place_a, place_b):
        if place not in places.index:
            raise KeyError(f"unknown place {place!r}; see data/places.csv")
    lat1, lon1, lat2, lon2 = map(math.radians, (*places.loc[place_a, ["lat", "lon"]], *places.loc[place_b, ["lat", "lon"]]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)), 1)
