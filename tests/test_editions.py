"""Two editions from one source: the instructor edition is the student one plus a part of its own."""

from __future__ import annotations

import yaml
from conftest import ROOT, load_script

build_book = load_script("build_book")


def test_instructor_toc_is_the_student_toc_plus_the_instructor_part(tmp_path):
    written = build_book.instructor_toc(ROOT / "_toc.yml", tmp_path / "toc.yml")
    student = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    instructor = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert instructor["parts"][:-1] == student["parts"]
    assert instructor["parts"][-1] == build_book.INSTRUCTOR_PART
    assert instructor["root"] == student["root"]


def test_instructor_pages_exist_and_stay_out_of_the_student_edition():
    student = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for chapter in build_book.INSTRUCTOR_PART["chapters"]:
        assert (ROOT / f"{chapter['file']}.md").is_file() or (ROOT / f"{chapter['file']}.ipynb").is_file()
        assert chapter["file"] not in student


def test_solutions_live_only_on_the_instructor_pages():
    for path in list((ROOT / "book").glob("*.ipynb")) + list((ROOT / "book").glob("*.md")):
        assert "{solution}" not in path.read_text(encoding="utf-8"), path.name
    assert "{solution}" in (ROOT / "book" / "instructor" / "solutions.md").read_text(encoding="utf-8")


def test_editions_build_where_the_makefile_says():
    assert build_book.EDITIONS["student"]["out"] == ROOT / "_build" / "html"
    assert build_book.EDITIONS["instructor"]["out"] == ROOT / "_build" / "instructor" / "html"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/build_book.py student" in makefile and "scripts/build_book.py instructor" in makefile
