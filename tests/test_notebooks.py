"""The chapters as notebooks: executed, readable, framed, and listed in the table of contents."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, toc_docnames

from dossier import config

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
MAX_CODE_LINES = 3


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_every_notebook_is_in_the_table_of_contents():
    assert NOTEBOOKS
    listed = set(toc_docnames())
    for path in NOTEBOOKS:
        assert f"book/{path.stem}" in listed, path.name


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
    assert "hide-cell" in first.metadata.get("tags", []), "set-up is hidden in the HTML, not from instructors"
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_frame(path):
    text = "\n".join(cell.source for cell in load(path).cells if cell.cell_type == "markdown")
    assert ":::{admonition} Learning objectives" in text
    assert ":::{admonition} Prerequisites" in text
    assert "\n## Summary" in text and "\n## What next" in text


@pytest.mark.parametrize("name", config.theme_chapters())
def test_thematic_chapters_quote_discuss_and_practise(name):
    nb = load(ROOT / "book" / f"{name}.ipynb")
    text = "\n".join(cell.source for cell in nb.cells)
    assert "reading.passages(" in text
    assert text.count("```{exercise}") >= 2
    assert "## Questions for discussion" in text
    assert "{cite:p}`" in text or "{cite:t}`" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_well_in_jupyter_lab(path):
    """What Lab shows: the kernel named as Lab names it (or the notebook opens "modified"), and
    chapter links with their titles (jupyterlab-myst shows a bare {doc}`name` as the file name)."""
    nb = load(path)
    assert nb.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    bare = re.findall(r"\{doc\}`[^`<]*`", markdown)
    assert bare == [], f"give these links a title, {{doc}}`Title <name>`: {bare}"
