"""Extract a captured Al Mayadeen English article page into structured data.

    python scripts/extract_article.py INPUT --out DIR [--themes FILE] [--entities FILE]

Writes DIR/article.json, DIR/paragraphs.csv, DIR/page_context.json and
DIR/entities.csv, all together or not at all. The theme and entity rules
default to the repository's data/themes.yml and data/entities.yml.

On bad input it prints one line, "extract_article: error: <what>", on
stderr and exits with 1 (bad input or rules, unwritable output), 2 (usage)
or 3 (a bug in the extractor). Files already in DIR are left untouched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dossier.config import data_dir
from dossier.io import commit_files
from dossier.pipeline.entities import load_entity_rules
from dossier.pipeline.extract import OUTPUT_FILES, ExtractError, build_outputs
from dossier.pipeline.rules import RulesError, load_themes

PROG = "extract_article"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        fail(message, status=2)


def fail(message: str, status: int = 1):
    """Print one error line on stderr and exit with *status*."""
    print(f"{PROG}: error: {' '.join(str(message).split())}", file=sys.stderr)
    sys.exit(status)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="captured page text (UTF-8)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the output files")
    parser.add_argument("--themes", type=Path, default=data_dir() / "themes.yml",
                        help="theme rules (default: data/themes.yml)")
    parser.add_argument("--entities", type=Path, default=data_dir() / "entities.yml",
                        help="entity aliases (default: data/entities.yml)")
    return parser.parse_args(argv)


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        fail(f"input file not found: {path}")
    except IsADirectoryError:
        fail(f"input is a folder, not a file: {path}")
    except OSError as exc:
        fail(f"cannot read input {path}: {exc.strerror or exc}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data = read_input(args.input)
    try:
        rules = load_themes(args.themes)
        entities = load_entity_rules(args.entities)
        outputs = build_outputs(data, args.input.name, rules, entities)
    except ExtractError as exc:
        fail(f"{args.input}: {exc}")
    except RulesError as exc:
        fail(str(exc))
    assert tuple(outputs) == OUTPUT_FILES
    try:
        commit_files({args.out / name: text for name, text in outputs.items()})
    except OSError as exc:
        detail = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        fail(f"cannot write output to {args.out}: {detail}")
    return 0


def run(argv: list[str] | None = None) -> int:
    """`main`, with every failure turned into one line and an exit status (what the command does)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, but say it is one
        print(f"{PROG}: error: internal error ({type(exc).__name__}): {' '.join(str(exc).split())}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(run())
