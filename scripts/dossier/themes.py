"""Theme tagging: which chapters of the dossier a paragraph feeds.

The rules live in ``data/themes.yml``: for each theme, a list of keywords.
A paragraph gets every theme one of whose keywords occurs in it; themes are
listed in the order of the rules file. A paragraph that matches no keyword
gets the file's ``fallback`` theme, so every paragraph has at least one.

Keywords are matched by :func:`compile_term`, which :mod:`dossier.entities`
uses for entity aliases too:

* whole words only: "port" does not match "support";
* a trailing ``*`` allows any word ending: "refugee*" matches "refugees";
* a keyword written in capitals only (an acronym such as "TTP" or "ISI-K")
  is matched case-sensitively, every other keyword in any case;
* a space matches any run of white space, and an apostrophe matches both
  the straight (') and the typographic (’) one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class RulesError(ValueError):
    """A rules file (themes.yml, entities.yml) is missing or malformed."""


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ThemeRules:
    themes: tuple[Theme, ...]
    fallback: str

    @property
    def ids(self) -> list[str]:
        """All theme ids a paragraph can get, in output order (fallback last)."""
        return [t.id for t in self.themes] + [self.fallback]


def is_acronym(term: str) -> bool:
    """True for a term in capitals only, such as "TTP" or "ISI-K"."""
    return any(c.isalpha() for c in term) and term == term.upper()


@lru_cache(maxsize=None)
def compile_term(term: str) -> re.Pattern[str]:
    """Regular expression for one keyword or alias (rules in the module doc)."""
    body = re.escape(term.strip())
    body = re.sub("['’]", "['’]", body.replace(r"\ ", r"\s+"))
    if body.endswith(r"\*"):
        body = body[:-2] + r"\w*"
    flags = 0 if is_acronym(term) else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def load_rules(path: str | Path) -> ThemeRules:
    """Read and check a themes file; raise :class:`RulesError` if malformed."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise RulesError(f"{path}: expected a mapping with a 'themes' list")
    themes = []
    for n, entry in enumerate(data["themes"], start=1):
        if not isinstance(entry, dict):
            raise RulesError(f"{path}: theme #{n} is not a mapping")
        theme_id = entry.get("id")
        keywords = entry.get("keywords")
        if not isinstance(theme_id, str) or not THEME_ID.match(theme_id):
            raise RulesError(f"{path}: theme #{n} has no valid id (lowercase, digits, underscores)")
        if not isinstance(keywords, list) or not keywords or not all(
            isinstance(k, str) and k.strip() for k in keywords
        ):
            raise RulesError(f"{path}: theme '{theme_id}' needs a non-empty list of keywords")
        themes.append(Theme(theme_id, str(entry.get("title", theme_id)),
                            str(entry.get("description", "")).strip(), tuple(keywords)))
    fallback = data.get("fallback")
    if not isinstance(fallback, str) or not THEME_ID.match(fallback):
        raise RulesError(f"{path}: 'fallback' must be a theme id")
    ids = [t.id for t in themes] + [fallback]
    if len(set(ids)) != len(ids):
        raise RulesError(f"{path}: theme ids are not unique")
    return ThemeRules(tuple(themes), fallback)


def read_yaml(path: str | Path):
    """Load a YAML file, turning every failure into :class:`RulesError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RulesError(f"{path} is not valid YAML{where}") from None


def matched_keywords(text: str, rules: ThemeRules) -> dict[str, list[str]]:
    """For each theme that *text* matches, the keywords that matched.

    This is the explanation of :func:`assign_themes`: why a paragraph
    belongs to a chapter.
    """
    found: dict[str, list[str]] = {}
    for theme in rules.themes:
        hits = [k for k in theme.keywords if compile_term(k).search(text)]
        if hits:
            found[theme.id] = hits
    return found


def assign_themes(text: str, rules: ThemeRules) -> list[str]:
    """Theme ids of *text*, in rules order; the fallback if none matches."""
    return list(matched_keywords(text, rules)) or [rules.fallback]
