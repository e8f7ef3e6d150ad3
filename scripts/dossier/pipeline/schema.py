"""The enums of data/datapackage.json, derived from the dossier's lists.

The data package describes every file, and some of its fields may only hold the ids of a list:
the themes of a paragraph or an event (data/themes.yml), the kind of a place and the style of a
route (data/style.yml), the kind of an entity (``pipeline.entities.KINDS``). Those constraints are
not typed into datapackage.json by hand: :func:`synced` writes them from the lists, and
``scripts/update_schema.py`` (run by ``make data``) saves the result. A test checks that the
committed file is what :func:`synced` makes, so the schema cannot drift from the lists.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from dossier import config
from dossier.io import render_json

from .entities import KINDS


def derived_constraints() -> dict[tuple[str, str], dict]:
    """(resource name, field name) -> the constraint that the lists give that field."""
    theme_ids = config.themes().ids
    one = "|".join(re.escape(t) for t in theme_ids)
    standpoint = "|".join(re.escape(s) for s in config.STANDPOINTS)
    return {
        ("paragraphs", "themes"): {"pattern": f"^({one})(;({one}))*$"},
        ("timeline", "theme"): {"enum": theme_ids},
        ("places", "kind"): {"enum": list(config.style().place_kinds)},
        ("routes", "style"): {"enum": list(config.style().route_styles)},
        ("entities", "kind"): {"enum": list(KINDS)},
        ("corroboration", "standpoint"): {"enum": list(config.STANDPOINTS)},
        ("timeline", "standpoints"): {"pattern": f"^({standpoint})(;({standpoint}))*$"},
        ("corroboration", "chapter"): {"enum": config.theme_chapters()},
    }


#: Constraints of YAML resources, set inside their JSON Schema: (resource, path of keys) -> enum.
JSON_SCHEMA_ENUMS = {
    ("forecasts", ("properties", "forecasts", "items", "properties", "kind")): config.FORECAST_KINDS,
    ("forecasts", ("properties", "forecasts", "items", "properties", "verdict")): config.VERDICTS,
}


def synced(descriptor: dict) -> dict:
    """A copy of a datapackage.json descriptor with the derived constraints written in."""
    result = copy.deepcopy(descriptor)
    for (name, keys), values in JSON_SCHEMA_ENUMS.items():
        resource = next((r for r in result["resources"] if r["name"] == name), None)
        node = resource.get("jsonSchema") if resource else None
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            raise config.ConfigError(f"datapackage.json has no {name} field {keys[-1]}")
        node.clear()
        node["enum"] = list(values)
    wanted = derived_constraints()
    found = set()
    for resource in result["resources"]:
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            continue
        for field in schema.get("fields", []):
            key = (resource["name"], field["name"])
            if key in wanted:
                constraints = field.setdefault("constraints", {})
                for name in ("enum", "pattern"):
                    constraints.pop(name, None)
                constraints.update(wanted[key])
                found.add(key)
    missing = sorted(set(wanted) - found)
    if missing:
        raise config.ConfigError(f"datapackage.json has no field {', '.join('.'.join(k) for k in missing)}")
    return result


def synced_text(path: str | Path) -> str:
    """The text datapackage.json should have: the file at `path` with its derived constraints."""
    try:
        descriptor = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise config.ConfigError(f"cannot read {path}: {exc}") from None
    return render_json(synced(descriptor))
