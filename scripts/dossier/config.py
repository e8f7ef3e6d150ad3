"""The dossier's lists, each read from the one file that holds it.

| list                                   | written in         | read with                      |
| -------------------------------------- | ------------------ | ------------------------------ |
| chapters, in reading order             | `_toc.yml`         | `chapters()`, `theme_chapters()` |
| themes (id, label, colour, marker, chapter, keywords) | `data/themes.yml` | `themes()`  |
| colours, place kinds, route styles     | `data/style.yml`   | `style()`                      |
| maps (places, routes, caption)         | `data/maps.yml`    | `map_spec(id)`, `map_specs()`  |

Everything else (the data package's enums, the timeline's themes, the chapters the tests walk
through, the chapters a paragraph is "taken further in") is derived from these, never typed
again. An id that is not in its list raises `UnknownName`, whose message names the list and the
file; a malformed file raises `ConfigError`. Both messages are one line.

This module reads YAML only (no pandas, no folium), so the extraction pipeline, the notebooks'
modules and the Sphinx extensions can all use it. Set the environment variable `DOSSIER_ROOT` to
read the lists (and the data) of another copy of the repository.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ID = re.compile(r"^[a-z][a-z0-9_]*$")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ConfigError(ValueError):
    """A file of lists is missing or malformed."""


class UnknownName(KeyError):
    """An id that is not in its list (a theme, place, kind, map ...)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def unknown(kind: str, name: object, known, where: str) -> UnknownName:
    """The error for `name`, not one of the `known` ids of `kind` (listed in `where`)."""
    return UnknownName(f"unknown {kind} {name!r}; known: {', '.join(known)} (see {where})")


# --------------------------------------------------------------------------------------------
# Where things are


def root() -> Path:
    """The repository: $DOSSIER_ROOT if set, else the folder that holds scripts/dossier/."""
    override = os.environ.get("DOSSIER_ROOT")
    return Path(override) if override else Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The repository's data folder."""
    return root() / "data"


def shown(path: str | Path) -> str:
    """`path` relative to the repository when it lies inside it (for messages)."""
    try:
        return Path(path).resolve().relative_to(root().resolve()).as_posix()
    except ValueError:
        return str(path)


def stamp(path: Path) -> tuple[str, int]:
    """A cache key that changes when the file does: (path, modification time), -1 if it is missing.
    The loaders cache on it (`lru_cache` over the stamp), so an edited file is read again."""
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), -1


def read_yaml(path: str | Path):
    """Load a YAML file; every failure becomes one-line :class:`ConfigError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(f"{path} is not valid YAML{where}") from None


def book_title() -> str:
    """The dossier's title, as `_config.yml` gives it (the books, the printed pack, the LMS exports)."""
    settings = read_yaml(root() / "_config.yml")
    return str(settings.get("title", "") if isinstance(settings, dict) else "").strip()


def _mapping(value, what: str, path) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {what} must be a mapping")
    return value


def _id_list(value, what: str, path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and ID.match(v) for v in value):
        raise ConfigError(f"{path}: {what} must be a list of ids (lowercase letters, digits, underscores)")
    return list(value)


# --------------------------------------------------------------------------------------------
# Sources: the vocabularies of book/references.bib (`keywords = {kind:..., origin:...}`) and of
# data/corroboration.csv (`standpoint`). Written here only; the data package's enum and the
# "Who speaks in this dossier" page are derived from them.

#: What kind of body published a source.
SOURCE_KINDS = {
    "opinion": "Opinion and analysis",
    "news": "News outlets",
    "wire": "News agencies (wire stories)",
    "official": "Governments and their officials",
    "international": "UN agencies and other international bodies",
    "research": "Research institutes and think tanks",
    "scholarly": "Scholarly works",
    "encyclopedia": "Encyclopedias",
    "dataset": "Datasets and gazetteers",
}

#: Whose view a document gives: a corroboration excerpt (`standpoint`) or a timeline row
#: (`standpoints`, the accounts its sources carry). Say what the voice is, and never lend one
#: word of credibility to very different voices: a government that is a party to the matter is a
#: foreign government (the row's note says it is a party), not "international".
STANDPOINTS = {
    "pakistani-official": "Pakistani officials",
    "pakistani-media": "Pakistani media",
    "pakistani-civil": "Pakistani civil society and opposition",
    "afghan-taliban": "The Taliban government",
    "afghan-other": "Other Afghan voices",
    "ttp": "The TTP, in its own statements",
    "people": "People at the border, in their own words",
    "un": "UN bodies",
    "research": "Research institutes and scholars",
    "foreign-government": "Foreign governments",
    "international-media": "International media",
}


#: What a forecast of the article can be (data/forecasts.yml `kind`), as the scorecard names it.
FORECAST_KINDS = ("forecast", "conditional forecast", "expectation", "reported warning", "judgement")

#: The verdicts a reader can reach on a forecast from the record (`verdict`; students choose among
#: the same words on the scorecard).
VERDICTS = ("held", "partly held", "did not hold", "cannot be judged", "too vague to test")


# --------------------------------------------------------------------------------------------
# Themes: data/themes.yml


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    label: str  # short, for charts and legends
    description: str
    keywords: tuple[str, ...]
    colour: str  # a name of style.yml's palette
    marker: str  # a matplotlib marker, so charts read without colour
    chapter: str | None  # the chapter that takes the theme further, if any


@dataclass(frozen=True)
class Themes:
    """The themes of themes.yml in file order; the fallback theme comes last."""

    themes: tuple[Theme, ...]
    fallback: str
    sections: dict[str, str] = field(default_factory=dict)  # section heading -> chapter
    path: str = "data/themes.yml"

    @property
    def ids(self) -> list[str]:
        """Every theme id a paragraph or an event can carry, in order (fallback last)."""
        return [t.id for t in self.themes]

    @property
    def tagging(self) -> tuple[Theme, ...]:
        """The themes that tag paragraphs by keyword (the fallback has none)."""
        return tuple(t for t in self.themes if t.id != self.fallback)

    def get(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise unknown("theme", theme_id, self.ids, self.path)

    def require(self, theme_id: str) -> str:
        """`theme_id` if it is a theme; otherwise raise :class:`UnknownName`."""
        return self.get(theme_id).id


def load_themes(path: str | Path) -> Themes:
    """Read and check a themes file; raise :class:`ConfigError` (one line) if malformed."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'themes' list")
    fallback = data.get("fallback")
    if not isinstance(fallback, dict) or not isinstance(fallback.get("id"), str) or not ID.match(fallback["id"]):
        raise ConfigError(f"{path}: 'fallback' must be a mapping with an id (lowercase, digits, underscores)")
    themes = []
    for n, entry in enumerate([*data["themes"], dict(fallback, keywords=[])], start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: theme #{n} is not a mapping")
        theme_id = entry.get("id")
        if not isinstance(theme_id, str) or not ID.match(theme_id):
            raise ConfigError(f"{path}: theme #{n} has no valid id (lowercase, digits, underscores)")
        keywords = entry.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise ConfigError(f"{path}: theme '{theme_id}': keywords must be a list of words")
        chapter = entry.get("chapter")
        if chapter is not None and not (isinstance(chapter, str) and ID.match(chapter)):
            raise ConfigError(f"{path}: theme '{theme_id}': chapter must be a notebook name such as 'ttp'")
        themes.append(Theme(
            id=theme_id,
            title=str(entry.get("title", theme_id)),
            label=str(entry.get("label", entry.get("title", theme_id))),
            description=str(entry.get("description", "")).strip(),
            keywords=tuple(keywords),
            colour=str(entry.get("colour", "black")),
            marker=str(entry.get("marker", "o")),
            chapter=chapter,
        ))
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: theme ids are not unique")
    sections = data.get("sections") or {}
    if not isinstance(sections, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in sections.items()):
        raise ConfigError(f"{path}: 'sections' must map a section heading to a chapter")
    return Themes(tuple(themes), fallback["id"], dict(sections), shown(path))


@lru_cache(maxsize=8)
def _themes(stamp: tuple[str, int]) -> Themes:
    return load_themes(stamp[0])


def themes() -> Themes:
    """The themes of data/themes.yml."""
    return _themes(stamp(data_dir() / "themes.yml"))


# --------------------------------------------------------------------------------------------
# Style: data/style.yml


@dataclass(frozen=True)
class PlaceKind:
    id: str
    label: str
    colour: str  # hex
    radius: int


@dataclass(frozen=True)
class RouteStyle:
    id: str
    label: str
    colour: str  # hex
    dash: str


@dataclass(frozen=True)
class Style:
    palette: dict[str, str]  # name -> hex
    border: str  # hex colour of the Durand Line
    place_kinds: dict[str, PlaceKind]  # in drawing order: later kinds are drawn on top
    route_styles: dict[str, RouteStyle]
    path: str = "data/style.yml"

    def colour(self, name: str) -> str:
        """The hex value of a palette colour."""
        if name not in self.palette:
            raise unknown("colour", name, self.palette, self.path)
        return self.palette[name]

    def place_kind(self, kind: str) -> PlaceKind:
        if kind not in self.place_kinds:
            raise unknown("place kind", kind, self.place_kinds, self.path)
        return self.place_kinds[kind]

    def route_style(self, name: str) -> RouteStyle:
        if name not in self.route_styles:
            raise unknown("route style", name, self.route_styles, self.path)
        return self.route_styles[name]

    def draw_rank(self, kind: str) -> int:
        return list(self.place_kinds).index(self.place_kind(kind).id)


def load_style(path: str | Path) -> Style:
    data = _mapping(read_yaml(path), "the file", path)
    palette = _mapping(data.get("palette"), "'palette'", path)
    for name, value in palette.items():
        if not (isinstance(name, str) and ID.match(name) and isinstance(value, str) and HEX_COLOUR.match(value)):
            raise ConfigError(f"{path}: palette entry {name!r} must be a name and a colour such as \"#0072B2\"")

    def colour(name, where: str) -> str:
        if name not in palette:
            raise ConfigError(f"{path}: {where}: colour {name!r} is not in the palette ({', '.join(palette)})")
        return palette[name]

    def looks(key: str, what: str, cls, extra: str, extra_type: type) -> dict:
        """The entries under `key`: each an id with a label, a palette colour and `extra`."""
        found = {}
        for name, entry in _mapping(data.get(key), f"'{key}'", path).items():
            entry = _mapping(entry, f"{what} {name!r}", path)
            if not ID.match(str(name)) or not isinstance(entry.get("label"), str) or not isinstance(entry.get(extra), extra_type):
                raise ConfigError(f"{path}: {what} {name!r} needs an id, a label, a colour and a {extra}")
            found[name] = cls(name, entry["label"], colour(entry.get("colour"), f"{what} {name!r}"), entry[extra])
        return found

    kinds = looks("place_kinds", "place kind", PlaceKind, "radius", int)
    routes = looks("route_styles", "route style", RouteStyle, "dash", str)
    dashes = [r.dash for r in routes.values()]
    if len(set(dashes)) != len(dashes):
        raise ConfigError(f"{path}: two route styles share a dash pattern (routes must differ without colour)")
    return Style(dict(palette), colour(data.get("border"), "border"), kinds, routes, shown(path))


@lru_cache(maxsize=8)
def _style(stamp: tuple[str, int]) -> Style:
    return load_style(stamp[0])


def style() -> Style:
    """Colours and the look of places and routes, from data/style.yml."""
    return _style(stamp(data_dir() / "style.yml"))


def theme_colour(theme_id: str) -> str:
    """The hex colour of a theme."""
    return style().colour(themes().get(theme_id).colour)


# --------------------------------------------------------------------------------------------
# Maps: data/maps.yml


@dataclass(frozen=True)
class MapSpec:
    id: str
    chapter: str  # the notebook that shows it
    title: str
    caption: str
    places: tuple[str, ...]  # ids of places.csv or tripoints.csv, besides the stops of its routes
    routes: tuple[str, ...]  # ids of routes.csv
    labelled: tuple[str, ...] | None  # places with a permanent label (None: all)
    border: bool  # draw the Durand Line

    @property
    def slug(self) -> str:
        """The HTML id of the map's figure."""
        return "map-" + self.id.replace("_", "-")


@dataclass(frozen=True)
class Maps:
    specs: dict[str, MapSpec]
    label_sides: dict[str, str]  # place id -> top, bottom, left or right (default right)


LABEL_SIDES = ("top", "bottom", "left", "right")


def load_maps(path: str | Path) -> Maps:
    data = _mapping(read_yaml(path), "the file", path)
    sides = _mapping(data.get("label_sides") or {}, "'label_sides'", path)
    for place_id, side in sides.items():
        if side not in LABEL_SIDES:
            raise ConfigError(f"{path}: label_sides: {place_id!r} has {side!r}; use one of {', '.join(LABEL_SIDES)}")
    specs = {}
    for map_id, entry in _mapping(data.get("maps"), "'maps'", path).items():
        entry = _mapping(entry, f"map {map_id!r}", path)
        if not ID.match(str(map_id)):
            raise ConfigError(f"{path}: map id {map_id!r} must be lowercase letters, digits and underscores")
        for key in ("chapter", "title", "caption"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ConfigError(f"{path}: map {map_id!r} needs a {key}")
        labelled = entry.get("labelled")
        record = entry.get("record")
        if record is not None and record not in RECORDS:
            raise ConfigError(f"{path}: map {map_id!r}: record {record!r}; use one of {', '.join(RECORDS)}")
        places = _id_list(entry.get("places"), f"map {map_id!r}: places", path)
        if record is not None:
            places = list(dict.fromkeys(places + record_places(RECORDS[record])))
        specs[map_id] = MapSpec(
            id=map_id,
            chapter=entry["chapter"],
            title=entry["title"].strip(),
            caption=" ".join(entry["caption"].split()),
            places=tuple(places),
            routes=tuple(_id_list(entry.get("routes"), f"map {map_id!r}: routes", path)),
            labelled=None if labelled is None else tuple(_id_list(labelled, f"map {map_id!r}: labelled", path)),
            border=bool(entry.get("border", True)),
        )
    return Maps(specs, dict(sides))


#: A map may also take its places from the record of events (`record:` in data/maps.yml):
#: `after_article` adds the place of every event of data/timeline.csv dated after the article's
#: publication, in date order. The value is the date (ISO) after which events count.
RECORDS = {"after_article": "2023-04-20"}


def record_places(after: str) -> list[str]:
    """The places of the timeline's events dated after `after` (ISO), each once, in date order.
    A row known only to the year or month counts from the first day of it, as in the timeline."""
    import csv

    with (data_dir() / "timeline.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return list(dict.fromkeys(row["place"] for row in rows if row["place"] and row["date"] > after))


@lru_cache(maxsize=8)
def _maps(stamp: tuple[str, int], _timeline: tuple[str, int]) -> Maps:
    return load_maps(stamp[0])


def maps_file() -> Maps:
    """data/maps.yml: the maps and where place labels sit (re-read when it or the timeline changes)."""
    return _maps(stamp(data_dir() / "maps.yml"), stamp(data_dir() / "timeline.csv"))


def map_specs() -> dict[str, MapSpec]:
    """Every map of the book, from data/maps.yml, in file order."""
    return maps_file().specs


def map_chapters() -> list[str]:
    """The chapters (notebook names) that show a map, each once, in the order of data/maps.yml."""
    return list(dict.fromkeys(spec.chapter for spec in map_specs().values()))


def map_spec(map_id: str) -> MapSpec:
    specs = map_specs()
    if map_id not in specs:
        raise unknown("map", map_id, specs, "data/maps.yml")
    return specs[map_id]


# --------------------------------------------------------------------------------------------
# Chapters: _toc.yml


@dataclass(frozen=True)
class Chapter:
    docname: str  # e.g. "book/ttp"
    part: str  # the caption of its part ("" for the root)

    @property
    def name(self) -> str:
        """The notebook's name, e.g. "ttp"."""
        return self.docname.rsplit("/", 1)[-1]


def load_toc(path: str | Path) -> list[Chapter]:
    data = _mapping(read_yaml(path), "the table of contents", path)
    if not isinstance(data.get("root"), str) or not isinstance(data.get("parts"), list):
        raise ConfigError(f"{path}: expected 'root' and a list of 'parts'")
    found = [Chapter(data["root"], "")]
    for part in data["parts"]:
        for entry in part.get("chapters", []):
            found.append(Chapter(entry["file"], part.get("caption", "")))
    return found


@lru_cache(maxsize=8)
def _toc(stamp: tuple[str, int]) -> list[Chapter]:
    return load_toc(stamp[0])


def chapters() -> list[Chapter]:
    """Every chapter of the student edition's _toc.yml, the root first, in reading order."""
    return list(_toc(stamp(root() / "_toc.yml")))


def require_chapter(name: str) -> str:
    """`name` if it is a chapter of _toc.yml (a notebook name, as `chapters()` gives them); else an
    UnknownName listing the chapters."""
    names = [c.name for c in chapters()]
    if name not in names:
        raise unknown("chapter", name, names, "_toc.yml")
    return name


def theme_chapters() -> list[str]:
    """Names of the chapters that themes.yml links to a theme or a section, in reading order."""
    linked = {t.chapter for t in themes().themes if t.chapter} | set(themes().sections.values())
    return [c.name for c in chapters() if c.name in linked]


@lru_cache(maxsize=32)
def _notebook(stamp: tuple[str, int]) -> dict:
    import json

    return json.loads(Path(stamp[0]).read_text(encoding="utf-8"))


def notebook(docname: str) -> dict | None:
    """A notebook of the book by its docname (e.g. "book/ttp"), parsed, or None if there is no such
    file; read again only when the file changes. Shared between callers: do not modify it."""
    path = root() / f"{docname}.ipynb"
    return _notebook(stamp(path)) if path.is_file() else None


def chapter_title(name: str) -> str:
    """A chapter's title: the first Markdown heading of its notebook."""
    try:
        cells = notebook(f"book/{name}")["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        raise unknown("chapter", name, [c.name for c in chapters()], "_toc.yml") from None
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            if cell["cell_type"] == "markdown" and line.startswith("# "):
                return line[2:].strip()
    raise ConfigError(f"book/{name}.ipynb: no '# ' heading")
