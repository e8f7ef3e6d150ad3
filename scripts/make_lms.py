"""Write the question bank for learning management systems (Moodle XML, GIFT, QTI 1.2) from data/quiz.yml.

    python scripts/make_lms.py                       # -> _build/lms/ (`make lms`; `make instructor` too)
    python scripts/make_lms.py --out DIR
    python scripts/make_lms.py --quiz other-quiz.yml

Everything is in `dossier.lms` (which writer for which format, and why); this is its command line.
The three files are written together or not at all; a malformed quiz is one line and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dossier import config, lms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: _build/lms)")
    parser.add_argument("--quiz", type=Path, metavar="FILE", help="the quiz file (default: data/quiz.yml)")
    args = parser.parse_args(argv)
    try:
        written = lms.write(args.out, args.quiz)
    except (config.ConfigError, config.UnknownName) as exc:
        print(f"make_lms: error: {exc}", file=sys.stderr)
        return 1
    print(f"Question bank for LMSs: {', '.join(path.name for path in written)} in {config.shown(written[0].parent)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
