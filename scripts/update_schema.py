"""Write the enums of data/datapackage.json from the dossier's lists (themes, place kinds, ...).

    python scripts/update_schema.py [--check]

`make data` runs it. With --check, nothing is written: the exit status is 1 if the file is out of
date. Errors: one line on stderr, exit status 1.
"""

from __future__ import annotations

import argparse
import sys

from dossier.config import ConfigError, data_dir
from dossier.io import write_text_atomic
from dossier.pipeline.schema import synced_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    args = parser.parse_args(argv)
    path = data_dir() / "datapackage.json"
    try:
        text = synced_text(path)
    except ConfigError as exc:
        print(f"update_schema: error: {exc}", file=sys.stderr)
        return 1
    current = path.read_text(encoding="utf-8")
    if text == current:
        print(f"{path.name}: up to date")
        return 0
    if args.check:
        print(f"update_schema: error: {path} is out of date: run `make data`", file=sys.stderr)
        return 1
    write_text_atomic(path, text)
    print(f"{path.name}: enums updated from themes.yml and style.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
