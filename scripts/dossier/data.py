"""Loaders for the dossier's data, as the book's chapters use them.

    from dossier.data import load_paragraphs, passages
    passages("refugees")[["id", "text"]]

Every loader reads the committed files in the repository's ``data/`` folder
(see data/README.md). List-valued CSV cells (joined by ";" in the files)
come back as Python lists.
"""

from __future__ import annotations

import json
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
