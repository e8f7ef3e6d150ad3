"""Entities (people, organisations, agreements, places) named in the article.

The list of entities and the spellings that name them (aliases) live in
``data/entities.yml``; this module finds which paragraphs mention each one.
Aliases are matched like theme keywords (:func:`dossier.pipeline.rules.compile_term`:
whole words, acronyms case-sensitive), with one more rule: in each
paragraph the longest aliases are matched first and a stretch of text counts
for one entity only. So "Pakistani Taliban" counts for the TTP and not also
for the (Afghan) Taliban, and "ISI-K" counts for ISIS-K and not for the ISI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.config import ID

from .rules import RulesError, compile_term, read_yaml

KINDS = ("person", "organisation", "agreement_or_project", "place", "other")


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


def load_entity_rules(path: str | Path) -> list[Entity]:
    """Read and check an entities file; raise :class:`RulesError` if malformed."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise RulesError(f"{path}: expected a mapping with an 'entities' list")
    entities: list[Entity] = []
    for n, entry in enumerate(data["entities"], start=1):
        if not isinstance(entry, dict):
            raise RulesError(f"{path}: entity #{n} is not a mapping")
        entity_id, name, kind, aliases = (entry.get(k) for k in ("id", "name", "kind", "aliases"))
        if not isinstance(entity_id, str) or not ID.match(entity_id):
            raise RulesError(f"{path}: entity #{n} has no valid id (lowercase, digits, underscores)")
        if not isinstance(name, str) or not name.strip():
            raise RulesError(f"{path}: entity '{entity_id}' has no name")
        if kind not in KINDS:
            raise RulesError(f"{path}: entity '{entity_id}' has kind {kind!r}; use one of {', '.join(KINDS)}")
        if not isinstance(aliases, list) or not aliases or not all(
            isinstance(a, str) and a.strip() and ";" not in a for a in aliases
        ):
            raise RulesError(f"{path}: entity '{entity_id}' needs a list of aliases (without ';')")
        entities.append(Entity(entity_id, name.strip(), kind, tuple(a.strip() for a in aliases)))
    ids = [e.id for e in entities]
    if len(set(ids)) != len(ids):
        raise RulesError(f"{path}: entity ids are not unique")
    return entities


def entities_in(text: str, entities: Iterable[Entity]) -> set[str]:
    """Ids of the entities mentioned in *text* (longest alias wins a stretch)."""
    entities = list(entities)
    candidates = sorted(
        ((alias, entity.id) for entity in entities for alias in entity.aliases),
        key=lambda pair: -len(pair[0]),  # stable: ties keep file order
    )
    taken: list[tuple[int, int]] = []
    found: set[str] = set()
    for alias, entity_id in candidates:
        for match in compile_term(alias).finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.add(entity_id)
    return found


def find_mentions(paragraphs: Iterable[tuple[str, str]], entities: Iterable[Entity]) -> dict[str, list[str]]:
    """Map entity id -> ids of the paragraphs that mention it, in reading order.

    *paragraphs* is a sequence of (paragraph id, text). Entities mentioned
    nowhere are left out; the result follows the order of *entities*.
    """
    entities = list(entities)
    hits: dict[str, list[str]] = {e.id: [] for e in entities}
    for paragraph_id, text in paragraphs:
        for entity_id in entities_in(text, entities):
            hits[entity_id].append(paragraph_id)
    return {entity_id: ids for entity_id, ids in hits.items() if ids}


ENTITY_COLUMNS = ["id", "name", "kind", "aliases", "paragraphs"]


def entity_rows(paragraphs: Iterable[tuple[str, str]], entities: Iterable[Entity]) -> list[list[str]]:
    """Rows of entities.csv (see ``ENTITY_COLUMNS``); lists joined by ";"."""
    entities = list(entities)
    found = find_mentions(paragraphs, entities)
    return [
        [e.id, e.name, e.kind, ";".join(e.aliases), ";".join(found[e.id])]
        for e in entities
        if e.id in found
    ]

