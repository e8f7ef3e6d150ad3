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


# The places named in the distance solution's expected results, as places.csv has them.
DISTANCE_PLACES = {"Mazar-i-Sharif": "mazar_i_sharif", "Kabul": "kabul", "Peshawar": "peshawar",
                   "Gwadar": "gwadar_port", "Torkham": "torkham", "Chaman": "chaman_crossing", "Kandahar": "kandahar"}


def test_the_distances_in_the_expected_results_are_what_the_code_gives():
    """The prose figures of the trade corridors distance solution agree (to 1 km) with
    data.distance_km on the current places.csv, so a moved place cannot leave them stale."""
    from dossier import data

    line = next(line for line in SOLUTIONS.splitlines() if line.startswith("Expected results (rounded): Mazar"))
    pairs = re.findall(r"([A-Z][\w-]+)–([A-Z][\w-]+) about ([\d,]+) km", line)
    assert len(pairs) == 5, line
    for a, b, km in pairs:
        measured = data.distance_km(DISTANCE_PLACES[a], DISTANCE_PLACES[b])
        assert abs(measured - int(km.replace(",", ""))) <= 1, f"{a}–{b}: the solution says {km} km, the data {measured:.1f} km"
    total = int(re.search(r"together about ([\d,]+) km", line).group(1).replace(",", ""))
    assert abs(total - sum(data.distance_km(DISTANCE_PLACES[a], DISTANCE_PLACES[b]) for a, b, _ in pairs[:2])) <= 1
