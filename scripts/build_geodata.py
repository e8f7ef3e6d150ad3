"""Derive data/geo/ (country outlines, Durand Line, tripoints) from Natural Earth TopoJSON.

    python scripts/build_geodata.py [--topojson data/raw/natural-earth/countries-50m.json] [--out data/geo]

Same input, same bytes out. Bad input: one line on stderr, exit status 1, nothing written.
"""

import argparse
import sys
from pathlib import Path

from dossier.pipeline.geodata import GeodataError, build_from_file, write_outputs

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TOPOJSON = REPO / "data" / "raw" / "natural-earth" / "countries-50m.json"
DEFAULT_OUT = REPO / "data" / "geo"


def _label(path: Path) -> str:
    """The input's path relative to the repository (for README.md), else its file name."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, default=DEFAULT_TOPOJSON, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data/geo)")
    args = parser.parse_args(argv)
    try:
        outputs = build_from_file(args.topojson, _label(args.topojson))
        written = write_outputs(outputs, args.out)
    except GeodataError as exc:
        print(f"build_geodata: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"build_geodata: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
