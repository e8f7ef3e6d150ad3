"""The chapters as notebooks: executed, readable, framed, and listed in the table of contents."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, is_reading_copy, load_script, toc_docnames

from dossier import config

#: Every notebook of both editions: the chapters and the instructor pages (book/instructor/*.ipynb).
NOTEBOOKS = sorted([*(ROOT / "book").glob("*.ipynb"), *(ROOT / "book" / "instructor").glob("*.ipynb")])
#: The chapters of the student edition written as notebooks (what the chapter frame applies to).
CHAPTERS = [p for p in NOTEBOOKS if p.parent == ROOT / "book"]
MAX_CODE_LINES = 3


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_every_notebook_is_in_the_table_of_contents():
    assert ROOT / "book" / "instructor" / "question_bank.ipynb" in NOTEBOOKS and len(CHAPTERS) < len(NOTEBOOKS)
    listed = set(toc_docnames()) | set(load_script("build_book").instructor_docnames())
    for path in NOTEBOOKS:
        assert path.relative_to(ROOT).with_suffix("").as_posix() in listed, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_executed_cleanly(path):
    nb = load(path)
    assert nb.metadata.kernelspec.name == "python3"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "every chapter runs some code"
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "run top to bottom, once"
    for cell in code:
        assert "execution" not in cell.metadata, "no timing metadata (use scripts/execute_notebooks.py)"
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            assert not (output.output_type == "stream" and output.name == "stderr"), cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_short_calls_into_the_project(path):
    nb = load(path)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    first = code[0]
    assert first.source.startswith("from dossier import "), "the set-up cell imports the project's module"
    assert {"hide-cell", "remove-cell"} & set(first.metadata.get("tags", [])), "set-up is hidden in the HTML, not from instructors"
    for cell in code:
        assert "sys.path" not in cell.source and "import sys" not in cell.source
        assert len(cell.source.strip().splitlines()) <= MAX_CODE_LINES, cell.source
        assert "def " not in cell.source and "class " not in cell.source, "logic lives in scripts/dossier"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(path):
    nb = load(path)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        if images:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 40, f"image without alt text: {cell.source}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_frame(path):
    nb = load(path)
    if is_reading_copy(f"book/{path.stem}"):
        assert [c.source for c in nb.cells if c.cell_type == "code"][1:] == ["reading.reading_copy()", 'quiz.questions("reading")']
        return
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert ":::{admonition} Learning objectives" in text
    assert ":::{admonition} Prerequisites" in text
    assert "\n## Summary" in text and "\n## What next" in text


EXERCISE = re.compile(r"^```\{exercise\}(?P<title>[^\n]*)\n:label: (?P<label>\S+)", re.M)


@pytest.mark.parametrize("name", config.theme_chapters())
def test_thematic_chapters_quote_discuss_and_practise(name):
    nb = load(ROOT / "book" / f"{name}.ipynb")
    text = "\n".join(cell.source for cell in nb.cells)
    assert "reading.passages(" in text
    assert len(EXERCISE.findall(text)) >= 4
    assert "## Questions for discussion" in text
    assert "{cite:p}`" in text or "{cite:t}`" in text


def chapter_parts(name: str) -> tuple[str, list[str]]:
    """All of a chapter's cells as one text, and the headings (## …) in order."""
    text = "\n".join(cell.source for cell in load(ROOT / "book" / f"{name}.ipynb").cells)
    return text, re.findall(r"^## (.+)$", text, re.M)


#: The route through a theme chapter: what the student needs first (words, a short account), then
#: the article and the documents, the work, and only then our reading and what came later.
CHAPTER_ROUTE = ["Words to know", "In brief", "What the article says", "Context in full", "Check your understanding",
                 "Exercises", "Our reading", "Since April 2023", "The data strand (optional)", "Summary"]
OUTLOOK_ROUTE = ["Words to know", "In brief", "What the article says", "The record since the article", "The scorecard",
                 "Context in full", "Check your understanding", "Exercises", "Our reading", "The data strand (optional)",
                 "Summary"]


@pytest.mark.parametrize("name", config.theme_chapters())
def test_theme_chapters_make_the_student_work_before_showing_our_reading(name):
    text, headings = chapter_parts(name)
    order = OUTLOOK_ROUTE if name == "outlook" else CHAPTER_ROUTE
    assert [h for h in headings if h in order] == order, headings
    assert "## Reading critically" not in text
    first_exercise = text.index("```{exercise}")
    critique = text.index("::::{dropdown} Our reading (open after the exercises)\n:class-container: our-reading")
    assert critique > first_exercise, "our reading comes after the exercises, folded"
    assert text.index("## Check your understanding") < first_exercise
    assert f'quiz.questions("{name}")' in text
    assert f'glossary.words_to_know("{name}")' in text and f'readability.core_path("{name}")' in text
    assert "::::{dropdown} What this chapter covered" in text, "the summary is folded and says what was covered"
    assert "::::{dropdown} Context in full" in text


@pytest.mark.parametrize("name", config.theme_chapters())
def test_theme_chapters_ask_for_the_claims_before_listing_them(name):
    text, _headings = chapter_parts(name)
    says = text[text.index("## What the article says"):]
    says = says[:says.index("\n## ", 1)]
    assert re.search(r"::::\{dropdown\} Our (list|description)[^\n]*\(open after you have", says), name
    assert says.index("::::{dropdown}") > says.index("reading.passages("), "the student reads, then lists, then opens ours"


@pytest.mark.parametrize("name", config.theme_chapters())
def test_theme_chapters_follow_the_story_after_the_article(name):
    text, _headings = chapter_parts(name)
    labels = [m["label"] for m in EXERCISE.finditer(text)]
    if name == "outlook":
        assert "forecasts.scorecard()" in text and 'maps.chapter_map("record")' in text and "ex-outlook-scorecard" in labels
        assert "timeline.record_note()" in text
        return
    since = text[text.index("## Since April 2023"):]
    assert "after=True" in since[:since.index("```{exercise}")]
    assert f"ex-{name}-since" in labels


@pytest.mark.parametrize("name", config.theme_chapters())
def test_theme_chapters_show_the_pandas_before_the_data_exercise(name):
    text, _headings = chapter_parts(name)
    data_strand = text[text.index("## The data strand (optional)"):]
    assert "### Worked example" in data_strand
    assert data_strand.index("### Worked example") < data_strand.index("```{exercise}")
    nb = load(ROOT / "book" / f"{name}.ipynb")
    after = nb.cells[next(i for i, c in enumerate(nb.cells) if "### Worked example" in c.source) + 1]
    assert after.cell_type == "code" and "hide" not in str(after.metadata.get("tags", [])), "the example is visible"


@pytest.mark.parametrize("name", config.theme_chapters())
def test_theme_chapters_support_stretch_time_and_aligned_objectives(name):
    text, _headings = chapter_parts(name)
    labels = [m["label"] for m in EXERCISE.finditer(text)]
    assert f"ex-{name}-support" in labels and f"ex-{name}-stretch" in labels
    # The reading time is the core path's, measured (dossier.readability), never typed here.
    assert re.search(r"\*\*Time:\*\* reading as the core path below says( \([^)]*\))?; self-check \d+ minutes; exercises \d+", text)
    assert not re.search(r"reading about \d+ minutes", text)
    objectives = re.search(r":::\{admonition\} Learning objectives\n:class: tip\n(.*?)\n:::", text, re.S).group(1)
    bullets = [line for line in objectives.splitlines() if line.startswith("- ")]
    assert bullets
    for bullet in bullets:
        assert "{ref}`ex-" in bullet or "self-check" in bullet, f"{name}: an objective names no assessment: {bullet}"
    for label in re.findall(r"\{ref\}`(ex-[^`]+)`", objectives):
        assert label in labels, f"{name}: objective names {label}, not an exercise of the chapter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_a_title(path):
    text = "\n".join(cell.source for cell in load(path).cells)
    for match in EXERCISE.finditer(text):
        assert len(match["title"].strip()) > 5, f"{match['label']}: no title"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_well_in_jupyter_lab(path):
    """What Lab shows: the kernel named as Lab names it (or the notebook opens "modified"), and
    chapter links with their titles (jupyterlab-myst shows a bare {doc}`name` as the file name)."""
    nb = load(path)
    assert nb.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    bare = re.findall(r"\{doc\}`[^`<]*`", markdown)
    assert bare == [], f"give these links a title, {{doc}}`Title <name>`: {bare}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cell_ids_are_stable_names_not_random(path):
    ids = [cell.id for cell in load(path).cells]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z-]+-\d{2,}", cell_id) for cell_id in ids), ids[:3]


#: A float as binary arithmetic leaves it (1652.8000000000002, 0.30000000000000004, 2.9999999999999996):
#: its last digits depend on how the interpreter adds (sum() is compensated from Python 3.12 on).
FLOAT_NOISE = re.compile(r"\d\.\d*?(?:0{6,}|9{6,})\d")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_show_figures_as_a_reader_reads_them(path):
    """No stored output shows binary-float noise: figures are rounded in the dossier code that makes
    them, so the stored outputs are the same on Python 3.11, 3.12 and 3.13."""
    assert FLOAT_NOISE.search("1652.8000000000002") and not FLOAT_NOISE.search("1652.8 and 2053.8 km, 10.1 %")
    noisy = []
    for cell in load(path).cells:
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [value for value in output.get("data", {}).values() if isinstance(value, str)]
            noisy += [f"{cell.id}: {match.group(0)}" for text in texts for match in FLOAT_NOISE.finditer(text)]
    assert noisy == []

