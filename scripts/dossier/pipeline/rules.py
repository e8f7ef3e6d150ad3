"""Theme tagging: which chapters of the dossier a paragraph feeds.

The rules live in ``data/themes.yml`` (read by :mod:`dossier.config`): for each theme, a list of keywords.
A paragraph gets every theme one of whose keywords occurs in it; themes are
listed in the order of the rules file. A paragraph that matches no keyword
gets the file's ``fallback`` theme, so every paragraph has at least one.

Keywords are matched by :func:`compile_term`, which :mod:`dossier.pipeline.entities`
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
from functools import lru_cache

from dossier.config import ConfigError, Themes, load_themes, read_yaml

RulesError = ConfigError
"""A rules file (themes.yml, entities.yml) is missing or malformed."""

__all__ = ["RulesError", "Themes", "assign_themes", "compile_term", "is_acronym", "load_themes",
           "matched_keywords", "read_yaml"]


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


def matched_keywords(text: str, rules: Themes) -> dict[str, list[str]]:
    """For each theme that *text* matches, the keywords that matched.

    This is the explanation of :func:`assign_themes`: why a paragraph
    belongs to a chapter.
    """
    found: dict[str, list[str]] = {}
    for theme in rules.tagging:
        hits = [k for k in theme.keywords if compile_term(k).search(text)]
        if hits:
            found[theme.id] = hits
    return found


def assign_themes(text: str, rules: Themes) -> list[str]:
    """Theme ids of *text*, in rules order; the fallback if none matches."""
    return list(matched_keywords(text, rules)) or [rules.fallback]
