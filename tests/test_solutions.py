"""Every code block in the solutions runs, from the book/ folder, as an instructor would run it."""

from __future__ import annotations

import re
import warnings

import matplotlib
import pytest
from conftest import BOOK

matplotlib.use("Agg")
SOLUTIONS = (BOOK / "instructor" / "solutions.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```$", SOLUTIONS, re.M | re.S)
LABELS = re.findall(r"^:label: (sol-[\w-]+)$", SOLUTIONS, re.M)


def test_there_is_a_solution_for_every_exercise():
    exercises = set()
    for notebook in BOOK.glob("*.ipynb"):
        exercises |= set(re.findall(r":label: (ex-[\w-]+)", notebook.read_text(encoding="utf-8")))
    solved = set(re.findall(r"^````\{solution\} (ex-[\w-]+)$", SOLUTIONS, re.M))
    assert exercises and solved == exercises
    assert len(LABELS) == len(set(LABELS)) == len(exercises)


def test_solutions_have_code_blocks():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_solution_code_runs(index, monkeypatch, capsys):
    """In a fresh namespace, from book/ (as in a notebook there); a FutureWarning is an error."""
    monkeypatch.chdir(BOOK)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        exec(compile(BLOCKS[index], f"solutions.md block {index}", "exec"), {"__name__": "__main__"})
    capsys.readouterr()
