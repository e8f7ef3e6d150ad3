"""Build one edition of the dossier with Jupyter Book v1.

    python scripts/build_book.py student      # -> _build/html
    python scripts/build_book.py instructor   # -> _build/instructor/html

Both editions come from the same sources, `_config.yml` and `_toc.yml`. The student edition is
exactly what `jupyter-book build . -W -n --keep-going` makes. The instructor edition adds one part
to the table of contents, the one written in `_toc_instructor.yml` (the instructor's guide, the
solutions, the question bank: pages that live in `book/instructor/` and nowhere else, so no
solution can reach the student edition, not even in a downloaded notebook), and the Sphinx tag
`instructor` (for `{only} instructor` notes). Before building it, the question bank for LMSs is
written into `_build/lms/` (`dossier.lms`), for the question bank page to link.

The instructor part is a file of its own beside `_toc.yml`, in the same format as a part there,
rather than a key of `_config.yml`: it is a piece of table of contents, read by this script and by
the tests, and `_config.yml` is Jupyter Book's own settings (which the student build reads too).

Warnings are errors (`-W`) and every cross-reference is checked (`-n`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from dossier.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]

#: The part the instructor edition adds to the student table of contents.
INSTRUCTOR_TOC = ROOT / "_toc_instructor.yml"

EDITIONS = {
    "student": {"out": ROOT / "_build" / "html", "tags": []},
    "instructor": {"out": ROOT / "_build" / "instructor" / "html", "tags": ["instructor"]},
}


class TocError(ValueError):
    """The instructor part is missing or not a part of a table of contents."""


def instructor_part(path: Path | None = None) -> dict:
    """The part of `_toc_instructor.yml` (or of `path`): {"caption": ..., "chapters": [{"file": ...}, ...]}."""
    path = Path(path or INSTRUCTOR_TOC)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    try:
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TocError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise TocError(f"{shown}: not YAML ({str(exc).splitlines()[0]})") from None
    chapters = part.get("chapters") if isinstance(part, dict) else None
    if not isinstance(part, dict) or not isinstance(part.get("caption"), str) or not isinstance(chapters, list) \
            or not chapters or not all(isinstance(c, dict) and isinstance(c.get("file"), str) for c in chapters):
        raise TocError(f"{shown}: expected a caption and a list of chapters, each `- file: book/instructor/<page>`")
    return part


def instructor_docnames(path: Path | None = None) -> list[str]:
    """The instructor edition's own pages, in order (`book/instructor/guide`, ...)."""
    return [chapter["file"] for chapter in instructor_part(path)["chapters"]]


def instructor_toc(student_toc: Path, dest: Path, part: Path | None = None) -> Path:
    """Write the instructor table of contents (the student one plus the instructor part) to `dest`."""
    toc = yaml.safe_load(student_toc.read_text(encoding="utf-8"))
    toc["parts"].append(instructor_part(part))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def build(edition: str, out: Path | None = None, execute: bool = False) -> int:
    """Build `edition` (into `out` instead of its usual folder, if given); return Sphinx's status
    code (0 when there was no warning). With `execute`, every notebook is executed during the build
    instead of showing its stored outputs (for benchmarks; sources are not changed)."""
    settings = EDITIONS[edition]
    toc = ROOT / "_toc.yml"
    overrides: dict[str, object] = {}
    if execute:
        overrides["nb_execution_mode"] = "force"
    if edition == "instructor":
        toc = instructor_toc(toc, ROOT / "_build" / "instructor" / "_toc.yml")
        # The question bank for LMSs (dossier.lms), which the question bank page links.
        from dossier import lms

        lms.write()
        overrides["html_title"] = yaml.safe_load((ROOT / "_config.yml").read_text())["title"] + " (instructor edition)"
    return build_with(ROOT, toc, out or settings["out"], overrides, settings["tags"])


def build_with(root: Path, toc: Path, out: Path, overrides: dict | None = None, tags: list[str] = ()) -> int:
    """Build the book at `root` (its _config.yml) with the table of contents `toc` into `out`,
    warnings as errors and every cross-reference checked; return Sphinx's status (0: no warning)."""
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        root,
        out,
        path_config=root / "_config.yml",
        noconfig=True,
        confoverrides={"nitpicky": True, "latex_individualpages": False, **(overrides or {}),
                       "external_toc_path": Path(toc).as_posix()},
        warningiserror=True,
        keep_going=True,
        tags=list(tags),
    )
    if isinstance(result, Exception):
        return 1
    return int(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edition", choices=sorted(EDITIONS))
    parser.add_argument("--out", type=Path, help="output folder (default: the edition's folder in _build/)")
    parser.add_argument("--execute", action="store_true", help="execute every notebook instead of using stored outputs")
    args = parser.parse_args(argv)
    try:
        status = build(args.edition, args.out, args.execute)
    except (TocError, ConfigError) as exc:  # ConfigError: a malformed data/quiz.yml, for the LMS exports
        print(f"build_book: error: {exc}", file=sys.stderr)
        return 2
    if status:
        print(f"build_book: error: the {args.edition} edition has warnings or errors (see above)", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
