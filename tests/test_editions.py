"""Two editions from one source: the instructor edition is the student one plus a part of its own."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, load_script

build_book = load_script("build_book")


def test_instructor_toc_is_the_student_toc_plus_the_instructor_part(tmp_path):
    written = build_book.instructor_toc(ROOT / "_toc.yml", tmp_path / "toc.yml")
    student = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    instructor = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert instructor["parts"][:-1] == student["parts"]
    assert instructor["parts"][-1] == yaml.safe_load((ROOT / "_toc_instructor.yml").read_text(encoding="utf-8"))
    assert instructor["root"] == student["root"]


def test_instructor_pages_exist_and_stay_out_of_the_student_edition():
    student = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    docnames = build_book.instructor_docnames()
    assert docnames[:3] == ["book/instructor/guide", "book/instructor/solutions", "book/instructor/question_bank"]
    for docname in docnames:
        assert (ROOT / f"{docname}.md").is_file() or (ROOT / f"{docname}.ipynb").is_file()
        assert docname not in student


def test_every_page_of_the_instructor_folder_is_in_the_instructor_part():
    # With only_build_toc_files, a page left out of the list would be left out of the book silently.
    pages = sorted(path.relative_to(ROOT).with_suffix("").as_posix()
                   for path in (ROOT / "book" / "instructor").iterdir() if path.suffix in (".md", ".ipynb"))
    assert sorted(build_book.instructor_docnames()) == pages


def test_adding_an_instructor_page_is_one_line(tmp_path):
    toc = tmp_path / "part.yml"
    toc.write_text((ROOT / "_toc_instructor.yml").read_text(encoding="utf-8")
                   + "  - file: book/instructor/marking_guide\n", encoding="utf-8")
    assert build_book.instructor_docnames(toc) == build_book.instructor_docnames() + ["book/instructor/marking_guide"]
    written = yaml.safe_load(build_book.instructor_toc(ROOT / "_toc.yml", tmp_path / "toc.yml", toc).read_text(encoding="utf-8"))
    assert written["parts"][-1]["chapters"][-1] == {"file": "book/instructor/marking_guide"}


@pytest.mark.parametrize("text, problem", [
    ("caption: For instructors\nchapters: [\n", "not YAML"),
    ("caption: For instructors\n", "expected a caption and a list of chapters"),
    ("caption: For instructors\nchapters:\n  - book/instructor/guide\n", "expected a caption and a list of chapters"),
])
def test_a_broken_instructor_part_is_one_line_and_builds_nothing(tmp_path, text, problem):
    broken = tmp_path / "_toc_instructor.yml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(build_book.TocError, match=problem):
        build_book.instructor_part(broken)
    # The command line, with the part broken: one line, a non-zero exit, nothing built.
    out = tmp_path / "out"
    code = ("import sys, importlib.util; from pathlib import Path; "
            f"spec = importlib.util.spec_from_file_location('build_book', {str(ROOT / 'scripts' / 'build_book.py')!r}); "
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
            f"module.INSTRUCTOR_TOC = Path({str(broken)!r}); "
            f"sys.exit(module.main(['instructor', '--out', {str(out)!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("build_book: error: ") and problem in lines[0], result.stderr
    assert not out.exists()


def test_solutions_live_only_on_the_instructor_pages():
    for path in list((ROOT / "book").glob("*.ipynb")) + list((ROOT / "book").glob("*.md")):
        assert "{solution}" not in path.read_text(encoding="utf-8"), path.name
    assert "{solution}" in (ROOT / "book" / "instructor" / "solutions.md").read_text(encoding="utf-8")


def test_editions_build_where_the_makefile_says():
    assert build_book.EDITIONS["student"]["out"] == ROOT / "_build" / "html"
    assert build_book.EDITIONS["instructor"]["out"] == ROOT / "_build" / "instructor" / "html"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/build_book.py student" in makefile and "scripts/build_book.py instructor" in makefile
