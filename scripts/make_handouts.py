"""Print the pack of handouts (A4 PDFs) from the built books.

    python scripts/make_handouts.py                 # -> _build/handouts/{student,instructor}/*.pdf
    python scripts/make_handouts.py --out DIR       # elsewhere
    python scripts/make_handouts.py --only reading-copy --only glossary-cards

The books must be built first (`make book` and `make instructor`); `make handouts` does both, runs
this, then builds both books again so that they link the PDFs and carry copies of them (see
README.md, "Printing"). Everything is in `dossier.handouts`; this is its command line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dossier import config, handouts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/handouts)")
    parser.add_argument("--student", type=Path, default=None, help="the built student edition (default: _build/html)")
    parser.add_argument("--instructor", type=Path, default=None,
                        help="the built instructor edition (default: _build/instructor/html)")
    parser.add_argument("--only", action="append", metavar="NAME", help="print only this handout (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    log = None if args.quiet else (lambda line: print(f"  {line}", flush=True))
    started = time.perf_counter()
    try:
        result = handouts.make(args.out, {"student": args.student, "instructor": args.instructor}, args.only, log)
    except (handouts.HandoutError, config.ConfigError, config.UnknownName) as exc:
        print(f"make_handouts: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("make_handouts: interrupted; nothing was written", file=sys.stderr)
        return 130
    if not args.quiet:
        out = args.out or handouts.default_out()
        printed = [f"{p.parent.name}/{p.name}" for p in result.written if p.suffix == ".pdf"]
        pages = sum(result.manifest["pdfs"][name]["pages"] for name in printed)
        print(f"Handouts: {len(printed)} PDFs, {pages} pages, in {config.shown(out)}/ "
              f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
