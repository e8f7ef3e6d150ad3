"""Loaders for the dossier's data, as the book's chapters use them.

    from dossier import data
    paragraphs = data.load_paragraphs()
    data.paragraphs_with_theme("refugees")[["id", "text"]]

Every loader reads the committed files in the repository's ``data/`` folder (see data/README.md)
and returns a pandas DataFrame (or a dict). List-valued CSV cells (joined by ";" in the files)
come back as Python lists. An id that is not in its list (a theme, an entity, a place) raises
:class:`dossier.config.UnknownName`, a KeyError whose message lists the known ids.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from dossier import config
from dossier.config import data_dir, unknown
from dossier.geo import haversine_km

__all__ = [
    "data_dir", "distance_km", "total_km", "load_article", "load_entities", "load_page_context", "load_paragraphs",
    "load_places", "load_routes", "paragraphs_naming", "paragraphs_with_theme", "theme_table",
]


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


def has_theme(frame: pd.DataFrame, theme: str) -> pd.Series:
    """True for the rows of `frame` (paragraphs) whose ``themes`` list holds `theme`.

    The one theme filter of the dossier; an unknown theme raises UnknownName.
    """
    config.themes().require(theme)
    return frame["themes"].map(lambda themes: theme in themes)


def paragraphs_with_theme(theme: str) -> pd.DataFrame:
    """The paragraphs tagged with `theme`, in reading order (index 0, 1, ...).

    A known theme that tags no paragraph (``media``) gives an empty frame.
    """
    frame = load_paragraphs()
    return frame[has_theme(frame, theme)].reset_index(drop=True)


def load_places() -> pd.DataFrame:
    """Places the dossier maps (places.csv); lat/lon floats, approximate a bool.

    Every ``kind`` must be a place kind of data/style.yml.
    """
    frame = _read_csv("places.csv")
    kinds = config.style()
    for kind in frame["kind"]:
        kinds.place_kind(kind)
    frame["approximate"] = frame["approximate"].map({"true": True, "false": False})
    return frame.astype({"lat": float, "lon": float, "approximate": bool})


def load_entities() -> pd.DataFrame:
    """Entities named in the article (entities.csv); aliases and paragraphs as lists."""
    return _read_csv("entities.csv", ("aliases", "paragraphs"))


def load_routes() -> list[dict]:
    """Routes of routes.csv, each with ``stops``: its place ids in order (route_stops.csv).

    Every ``style`` must be a route style of data/style.yml.
    """
    stops = _read_csv("route_stops.csv").astype({"seq": int}).sort_values(["route_id", "seq"])
    routes = _read_csv("routes.csv").to_dict("records")
    for route in routes:
        config.style().route_style(route["style"])
        route["stops"] = stops.loc[stops["route_id"] == route["id"], "place_id"].tolist()
    return routes


def theme_table() -> pd.DataFrame:
    """One row per theme of themes.yml: how many paragraphs and words of the article carry it.

    A paragraph can carry several themes, so the shares add up to more than 100%.
    """
    frame = load_paragraphs()
    total_words = int(frame["word_count"].sum())
    rows = []
    for theme in config.themes().ids:
        tagged = frame[has_theme(frame, theme)]
        words = int(tagged["word_count"].sum())
        rows.append({
            "theme": theme,
            "paragraphs": len(tagged),
            "words": words,
            "share_of_words_%": round(100 * words / total_words, 1),
            "paragraph_ids": ", ".join(tagged["id"]),
        })
    return pd.DataFrame(rows).set_index("theme")


def paragraphs_naming(entity_id: str) -> pd.DataFrame:
    """The paragraphs that name an entity of entities.csv (by any of its aliases), in reading order."""
    entities = load_entities().set_index("id")
    if entity_id not in entities.index:
        raise unknown("entity", entity_id, entities.index, "data/entities.csv")
    ids = entities.loc[entity_id, "paragraphs"]
    frame = load_paragraphs()
    return frame[frame["id"].isin(ids)][["id", "order", "section", "text"]].reset_index(drop=True)


def distance_km(place_a: str, place_b: str) -> float:
    """Great-circle distance in km between two places of places.csv, to 0.1 km.

    Straight-line distance, not road or rail distance: routes on the ground are longer.
    """
    places = load_places().set_index("id")
    for place in (place_a, place_b):
        if place not in places.index:
            raise unknown("place", place, places.index, "data/places.csv")
    a, b = places.loc[place_a], places.loc[place_b]
    return round(haversine_km((a["lon"], a["lat"]), (b["lon"], b["lat"])), 1)


def total_km(distances) -> float:
    """The sum of distances in km as a reader reads it: to 0.1 km, and the same on every Python.

    The terms are added with math.fsum, which is exactly rounded everywhere; the built-in sum() of
    floats is compensated from Python 3.12 on, so ``sum([328.7, 446.8, ...])`` shows 1652.8000000000002
    on 3.11 and 1652.8 on 3.13.
    """
    return round(math.fsum(distances), 1)
