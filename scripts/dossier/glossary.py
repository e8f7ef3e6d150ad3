"""The glossary: every term of the book, names and ideas, written once in data/glossary.yml.

    from dossier import glossary
    glossary.words_to_know("ttp")      # the chapter's Words to know (MyST in the book, HTML in Lab)
    glossary.get("ceasefire").definition

From that one file come:

* the Glossary page: `glossary_block()` writes the ```{glossary} block that the Sphinx extension
  `dossier.sphinxext.glossary` puts into book/glossary.md as the book is read, so every {term}
  link in the book resolves, as it did when the block was typed into the page;
* each theme chapter's Words to know: `words_to_know(chapter)`, the terms whose `chapters` name it,
  names first, then ideas, each alphabetically, each with the first sentence of its definition;
* the printed glossary cards (`dossier.handouts`), which read the built Glossary page: a card
  shows the first sentence of an entry, which is its `definition`.

An entry (see the comments at the top of data/glossary.yml):

    - term: ceasefire            # as the glossary shows it and {term} links it
      aliases: []                # other names; each is a glossary term too
      kind: concept              # name (a place, group, project, document) or concept (an idea)
      definition: An agreement to stop fighting, often for a limited time.
      detail: ...                # optional: more, with citations (MyST)
      chapters: [ttp]            # the chapters whose Words to know list it

The definition is one sentence of plain English (the tests hold it to Flesch–Kincaid grade 9 with
`dossier.readability`); a factual one cites its source with {cite:p}, as the book does everywhere.
A malformed file raises `config.ConfigError`, one line naming the file.

This module reads YAML only (no pandas), so the Sphinx extension can use it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dossier import config
from dossier.markup import plain_text

#: The kinds of term, with the label the glossary and the Words to know show.
KINDS = {"name": "Name", "concept": "Idea"}
#: How the Words to know groups them, in this order.
GROUPS = {"name": "Names", "concept": "Ideas"}

FIELDS = ("term", "aliases", "kind", "definition", "detail", "chapters")
#: Where one sentence ends and the next begins (as the glossary cards split a definition).
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“(‘])")
#: Characters a term may not hold: they would be read as markup, or split it (" : " is a
#: classifier in a Sphinx glossary).
_MARKUP = re.compile(r"[`*_{}\[\]<>|\\]| : ")

GLOSSARY_FILE = "glossary.yml"


def path() -> Path:
    """data/glossary.yml of the repository (or of $DOSSIER_ROOT)."""
    return config.data_dir() / GLOSSARY_FILE


@dataclass(frozen=True)
class Term:
    term: str
    aliases: tuple[str, ...]
    kind: str  # a key of KINDS
    definition: str  # one sentence, MyST
    detail: str  # MyST, "" if none
    chapters: tuple[str, ...]  # notebook names, as in _toc.yml

    @property
    def names(self) -> tuple[str, ...]:
        """The term, then its aliases."""
        return (self.term, *self.aliases)

    @property
    def sort_key(self) -> str:
        return self.term.casefold()


# --------------------------------------------------------------------------------------------
# Reading and checking the file


def _text(value, what: str, where: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise config.ConfigError(f"{where}: {what} must be {'a' if required else 'empty or a'} non-empty text")
    return " ".join(value.split())


def _name(value, what: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip() or "\n" in value:
        raise config.ConfigError(f"{where}: {what} must be a name on one line")
    if _MARKUP.search(value):
        raise config.ConfigError(f"{where}: {what} {value!r} holds a markup character")
    return value


def load_glossary(file: str | Path) -> list[Term]:
    """Read and check a glossary file: terms in alphabetical order. Raise config.ConfigError (one
    line, naming the file) if it is malformed."""
    shown = config.shown(file)
    data = config.read_yaml(file)
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise config.ConfigError(f"{shown}: expected a mapping with a 'terms' list")
    chapters = [c.name for c in config.chapters()]
    found, seen = [], {}
    for number, entry in enumerate(data["terms"], start=1):
        where = f"{shown}: term #{number}"
        if not isinstance(entry, dict):
            raise config.ConfigError(f"{where} is not a mapping")
        term = _name(entry.get("term"), "'term'", where)
        where = f"{shown}: term {term!r}"
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise config.ConfigError(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise config.ConfigError(f"{where}: 'aliases' must be a list of names")
        aliases = [_name(alias, "an alias", where) for alias in aliases]
        kind = entry.get("kind")
        if kind not in KINDS:
            raise config.ConfigError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        definition = _text(entry.get("definition"), "'definition'", where)
        sentence = plain_text(definition)
        if not sentence.endswith((".", "?", "!")) or SENTENCE_BREAK.search(sentence):
            raise config.ConfigError(f"{where}: 'definition' must be one sentence, ending with a full stop")
        detail = _text(entry.get("detail"), "'detail'", where, required=False)
        listed = entry.get("chapters") or []
        if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
            raise config.ConfigError(f"{where}: 'chapters' must be a list of chapter names")
        for name in listed:
            if name not in chapters:
                raise config.ConfigError(f"{where}: unknown chapter {name!r}; known: {', '.join(chapters)} (see _toc.yml)")
        for name in (term, *aliases):
            if name.casefold() in seen:
                raise config.ConfigError(f"{where}: the name {name!r} is also given to {seen[name.casefold()]!r}")
            seen[name.casefold()] = term
        found.append(Term(term, tuple(aliases), kind, definition, detail, tuple(listed)))
    if not found:
        raise config.ConfigError(f"{shown}: the 'terms' list is empty")
    return sorted(found, key=lambda t: t.sort_key)


@lru_cache(maxsize=8)
def _terms(stamp: tuple[str, int]) -> tuple[Term, ...]:
    return tuple(load_glossary(stamp[0]))


def terms() -> list[Term]:
    """Every term of data/glossary.yml, in alphabetical order."""
    return list(_terms(config.stamp(path())))


def get(name: str) -> Term:
    """The entry that has `name` as its term or as an alias (any letter case)."""
    for entry in terms():
        if name.casefold() in (n.casefold() for n in entry.names):
            return entry
    raise config.unknown("glossary term", name, [t.term for t in terms()], f"data/{GLOSSARY_FILE}")


def chapter_terms(chapter: str) -> list[Term]:
    """The terms of a chapter's Words to know: names first, then ideas, each alphabetically."""
    config.require_chapter(chapter)
    listed = [t for t in terms() if chapter in t.chapters]
    return sorted(listed, key=lambda t: (list(KINDS).index(t.kind), t.sort_key))


# --------------------------------------------------------------------------------------------
# The Glossary page


def _indent(text: str) -> str:
    return "  " + text


def glossary_block() -> str:
    """The ```{glossary} block of book/glossary.md, MyST: each entry's names, then its definition,
    its detail, and a line with its kind and the chapters whose Words to know list it."""
    lines = ["```{glossary}"]
    for entry in terms():
        lines += [*entry.names, _indent(entry.definition)]
        if entry.detail:
            lines += ["", _indent(entry.detail)]
        where = ", ".join(f"{{doc}}`{config.chapter_title(name)} <{name}>`" for name in entry.chapters)
        meta = f"*{KINDS[entry.kind]}.*" + (f" In the Words to know of {where}." if where else "")
        lines += ["", _indent(meta), ""]
    return "\n".join([*lines[:-1], "```"]) + "\n"


# --------------------------------------------------------------------------------------------
# Words to know


_CITATION = re.compile(r"\s*\{cite(?::[a-z]+)?\}`[^`]*`")


def _uncited(myst: str) -> str:
    """A definition without its citation brackets: the Words to know is read first, often on a
    phone, and each term links to its glossary entry, which gives the sources (as the In brief
    leaves its sources to the Context below it)."""
    return _CITATION.sub("", myst)


def _html(myst: str) -> str:
    """A definition as HTML for Jupyter: roles as their text, *emphasis* as <em>."""
    from dossier.reading import myst_to_plain

    return re.sub(r"\*(?=\S)(.+?)(?<=\S)\*", r"<em>\1</em>", html.escape(myst_to_plain(_uncited(myst))))


@dataclass
class WordsToKnow:
    """A chapter's Words to know, under the chapter's own heading "## Words to know": MyST in the
    book (each term a {term} link to the glossary), plain HTML in Jupyter Lab. Each line is the term, its other names (for names: the full name of an
    acronym, another spelling; an idea's other word forms are left to the glossary) and the first
    sentence of its entry, without the citation brackets: the entry the term links to gives them."""

    chapter: str
    entries: list[Term]

    def _groups(self) -> list[tuple[str, list[Term]]]:
        return [(label, [t for t in self.entries if t.kind == kind]) for kind, label in GROUPS.items()
                if any(t.kind == kind for t in self.entries)]

    def _repr_markdown_(self) -> str:
        parts = ["Read these first. Each word links to its entry in the {doc}`Glossary <glossary>`, "
                 "which says more and gives the sources.\n"]
        for label, entries in self._groups():
            items = []
            for t in entries:
                also = f" (also {', '.join(t.aliases)})" if t.aliases and t.kind == "name" else ""
                items.append(f"- **{{term}}`{t.term}`**{also}: {_uncited(t.definition)}")
            parts.append(f"**{label}**\n\n" + "\n".join(items) + "\n")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        parts = ['<div class="words-to-know">',
                 "<p>Read these first. Each word has its entry in the Glossary, which says more and gives the sources.</p>"]
        for label, entries in self._groups():
            items = "".join(
                f"<li><strong>{html.escape(t.term)}</strong>"
                + (f" (also {html.escape(', '.join(t.aliases))})" if t.aliases and t.kind == "name" else "")
                + f": {_html(t.definition)}</li>" for t in entries)
            parts.append(f"<p><strong>{label}</strong></p><ul>{items}</ul>")
        return "".join(parts) + "</div>"

    def __repr__(self) -> str:
        return f"<WordsToKnow {self.chapter}: {', '.join(t.term for t in self.entries)}>"


def words_to_know(chapter: str) -> WordsToKnow:
    """A chapter's Words to know, from data/glossary.yml (the terms whose `chapters` name it).
    An unknown chapter raises UnknownName; a chapter with no terms, a ConfigError."""
    entries = chapter_terms(chapter)
    if not entries:
        raise config.ConfigError(f"no term of data/{GLOSSARY_FILE} lists the chapter {chapter!r} in its 'chapters'")
    return WordsToKnow(chapter, entries)
