"""Every code block in the solutions runs, from the book/ folder, as an instructor would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
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
def test_solution_code_runs(index):
    code = "import matplotlib\nmatplotlib.use('Agg')\n" + BLOCKS[index]
    result = subprocess.run([sys.executable, "-c", code], cwd=BOOK, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "error::FutureWarning"})
    assert result.returncode == 0, result.stderr[-2000:]
