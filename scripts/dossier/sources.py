"""The dossier's bibliography, book/references.bib, as data: for self-check feedback, the
"Who speaks in this dossier" page and the tests.

    from dossier import sources
    sources.short("dawn2022ttpceasefire")      # 'Dawn, 2022'
    sources.load()["dawn2022ttpceasefire"].kind

Each entry's `keywords` field gives its kind and origin (`kind:news, origin:pakistan`); the
vocabularies are KINDS and the countries used in the file. Parsed with pybtex, the library
Jupyter Book's own bibliography (sphinxcontrib-bibtex) uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pybtex.database import parse_file

from dossier import config

#: What kind of body published a source: the vocabulary of `kind:` in the keywords field.
KINDS = {
    "opinion": "Opinion and analysis",
    "news": "News outlets",
    "wire": "News agencies (wire stories)",
    "official": "Governments and their officials",
    "international": "UN agencies and other international bodies",
    "research": "Research institutes and think tanks",
    "scholarly": "Scholarly works",
    "encyclopedia": "Encyclopedias",
}


@dataclass(frozen=True)
class Source:
    key: str
    entry_type: str
    authors: str  # as written, braces removed ("Dawn", "Ramezani Bonesh, Farzad")
    title: str
    year: str
    venue: str  # journaltitle, institution or publisher
    url: str
    urldate: str
    kind: str
    origin: str
    note: str

    @property
    def short(self) -> str:
        """How a citation names it in plain text: 'Dawn, 2022', or for an entry without an author
        its venue and title: "Wikipedia, ‘Pakistani Taliban’"."""
        first = self.authors.split(" and ")[0]
        name = first.split(",")[0] if "," in first else first
        if not name:
            return f"{self.venue}, ‘{self.title}’" if self.venue else f"‘{self.title}’"
        return f"{name}, {self.year}" if self.year else name


def _plain(text: str) -> str:
    text = re.sub(r"\\([&%$#_{}])", r"\1", text)
    return " ".join(text.replace("{", "").replace("}", "").replace("--", "–").split())


def _keywords(text: str) -> dict[str, str]:
    found = {}
    for part in text.split(","):
        if ":" in part:
            name, value = part.split(":", 1)
            found[name.strip()] = value.strip()
    return found


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> dict[str, Source]:
    database = parse_file(path, bib_format="bibtex")
    found = {}
    for key, entry in database.entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        persons = " and ".join(str(p) for role in ("author", "editor") for p in entry.persons.get(role, []))
        date = fields.get("date", "")
        keywords = _keywords(fields.get("keywords", ""))
        found[key] = Source(
            key=key,
            entry_type=entry.type,
            authors=_plain(persons or fields.get("organization", "") or fields.get("institution", "")),
            title=_plain(fields.get("title", "")),
            year=fields.get("year", "") or date[:4],
            venue=_plain(fields.get("journaltitle", "") or fields.get("journal", "") or fields.get("institution", "")
                         or fields.get("publisher", "") or fields.get("howpublished", "")),
            url=fields.get("url", ""),
            urldate=fields.get("urldate", ""),
            kind=keywords.get("kind", ""),
            origin=keywords.get("origin", ""),
            note=_plain(fields.get("note", "")),
        )
    return found


def load() -> dict[str, Source]:
    """Every entry of book/references.bib, by key, in file order."""
    path = config.root() / "book" / "references.bib"
    return _load(str(path), path.stat().st_mtime_ns)


def get(key: str) -> Source:
    entries = load()
    if key not in entries:
        raise config.unknown("source", key, list(entries)[:5] + ["..."], "book/references.bib")
    return entries[key]


def short(key: str) -> str:
    """A plain-text citation of `key`: 'Dawn, 2022'."""
    return get(key).short
