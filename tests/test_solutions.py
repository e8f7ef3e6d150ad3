"""Every code block in the solutions runs, from the book/ folder, as an instructor would run it,
and shows what the solution's text says it shows.

Each block is run as a notebook cell: what it prints, then the value of its last expression (a
table shows every column and its size). The figures the text around a block states (counts,
days, kilometres, percentages) are read from the text and looked for in that output, so neither a
change to the data or the code nor an edit of the text can leave the two apart unnoticed.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import re
import warnings

import matplotlib
import pandas as pd
import pytest
from conftest import BOOK

matplotlib.use("Agg")
SOLUTIONS = (BOOK / "instructor" / "solutions.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```$", SOLUTIONS, re.M | re.S)
LABELS = re.findall(r"^:label: (sol-[\w-]+)$", SOLUTIONS, re.M)
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def solution(exercise: str) -> tuple[str, list[int]]:
    """The text of the solution to `exercise` without its code, and the indexes of its code blocks."""
    match = re.search(rf"^````\{{solution\}} {re.escape(exercise)}\n(.*?)^````$", SOLUTIONS, re.M | re.S)
    assert match, f"no solution to {exercise}"
    body = match.group(1)
    indexes = [BLOCKS.index(code) for code in re.findall(r"^```python\n(.*?)^```$", body, re.M | re.S)]
    return " ".join(re.sub(r"^```python\n.*?^```$", " ", body, flags=re.M | re.S).split()), indexes


def number(word: str) -> int:
    return NUMBERS[word.lower()] if word.lower() in NUMBERS else int(word.replace(",", ""))


def run_as_cell(code: str, name: str) -> str:
    """What a notebook shows for `code`: its printed output, then the value of its last expression."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    namespace = {"__name__": "__main__"}
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), warnings.catch_warnings(), \
            pd.option_context("display.max_columns", None, "display.width", 1000, "display.max_colwidth", 60,
                              "display.show_dimensions", True):
        warnings.simplefilter("error", FutureWarning)
        exec(compile(tree, name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
            if value is not None:
                print(repr(value))
    return shown.getvalue()


@functools.lru_cache(maxsize=None)
def output(index: int) -> str:
    import os

    here = os.getcwd()
    os.chdir(BOOK)  # as in a notebook there
    try:
        return run_as_cell(BLOCKS[index], f"solutions.md block {index}")
    finally:
        os.chdir(here)


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
def test_solution_code_runs_and_shows_something(index):
    """In a fresh namespace, from book/ (as in a notebook there); a FutureWarning is an error; a
    block shows a result, and no table it shows is empty."""
    shown = output(index)
    assert shown.strip(), f"block {index} shows nothing"
    assert "Empty DataFrame" not in shown and "Series([]" not in shown and "[0 rows" not in shown, shown


def test_every_block_is_checked_below():
    checked = {index for exercise in CHECKED for index in solution(exercise)[1]}
    assert checked == set(range(len(BLOCKS)))


def rows(shown: str) -> list[int]:
    """The sizes of the tables a block shows, in order ('[8 rows x 4 columns]')."""
    return [int(n) for n in re.findall(r"^\[(\d+) rows? x \d+ columns?\]", shown, re.M)]


def check_ttp_data(text: str, blocks: list[int]) -> None:
    shown = output(blocks[0])
    total = re.search(r"The (\w+) `ttp` paragraphs", text).group(1)
    assert re.search(rf"^ttp\s+{number(total)}$", shown, re.M), shown
    pairs = re.findall(r"`(\w+)` \((\d+)(?: of them)?\)", text)
    assert len(pairs) == 4
    for theme, count in pairs:
        assert re.search(rf"^{theme}\s+{count}$", shown, re.M), f"{theme}: the text says {count}"
    assert "tag ¶3 and, in this article, no other paragraph" in text and "['p03']" in shown
    assert re.search(r"^\d+\s+isi\s.*\bp15$", shown, re.M) and "only in ¶15" in text


def check_ttp_timeline(text: str, blocks: list[int]) -> None:
    before = re.search(r"(\w+) events precede the article", text).group(1)
    assert rows(output(blocks[0])) == [number(before)]


def check_durand_length(text: str, blocks: list[int]) -> None:
    shown = output(blocks[0])
    spread, percent = re.search(r"a spread of ([\d,]+) km, ([\d.]+) per cent of the longest", text).groups()
    assert f"{number(spread)} km, {percent} % of the longest" in shown
    shorter = re.search(r"The map line is (.*?) per cent shorter than the figures of .*? and (.*?) per cent shorter", text)
    stated = re.findall(r"\d+\.\d", " ".join(shorter.groups()))
    column = re.findall(r"(\d+\.\d)$", shown, re.M)
    assert len(stated) == 6 and column == stated


def check_durand_closures(text: str, blocks: list[int]) -> None:
    shown = output(blocks[0])
    total, before, after = re.search(r"(\w+) timeline events concern the two crossings\. (\w+) come before the article.*?"
                                     r"(\w+) come after it", text).groups()
    assert rows(shown)[0] == number(total)
    assert [len(re.findall(rf"\b{flag}$", shown, re.M)) for flag in ("True", "False")] == [number(before), number(after)]
    first, second, together = re.search(r"lasted (\d+) and (\d+) days, (\d+) days in 2023", text).groups()
    days = re.findall(r"^\d+\s+\d{4}-\d\d-\d\d\s+\d{4}-\d\d-\d\d\s+(\d+)$", shown, re.M)
    assert days == [first, second]
    assert re.search(r"^\[2 rows x 3 columns\]\s+(\d+)$", shown, re.M).group(1) == together


def check_trade_distances(text: str, blocks: list[int]) -> None:
    line = re.search(r"Expected results \(rounded\): (.*?)\. For part 2", text).group(1)
    stated = [number(km) for km in re.findall(r"about ([\d,]+) km", line) if f"together about {km}" not in line]
    shown = [int(km) for km in re.findall(r"(\d+)$", output(blocks[0]), re.M)[:len(stated)]]
    assert len(stated) == 5 and shown == stated


def check_refugees_data(text: str, blocks: list[int]) -> None:
    shown = output(blocks[0])
    totals = re.search(r"only the two totals \(([\d.]+) million, more than (\d+) million\) have a positive `vs_article`", text).groups()
    stock_table = shown[: shown.index("\n[")]  # the first table: the stocks of parts 1-2
    vs_article = [int(v) for v in re.findall(r"(-?\d+)$", stock_table, re.M)]
    assert sorted(v for v in vs_article if v > 0) == [round(float(totals[0]) * 1_000_000 - 3_000_000),
                                                       int(totals[1]) * 1_000_000 - 3_000_000], vs_article
    # Part 3: the three UNHCR figures of March 2025 add up to what the text says.
    added = float(re.search(r"can be added \(about ([\d.]+) million\)", text).group(1))
    march = [int(v) for v in re.findall(r"^\s*stock\s+2025-03\s+(\d+)\s", shown, re.M)]
    assert len(march) == 3 and round(sum(march) / 1_000_000, 1) == added, march
    stated = re.search(r"the paragraphs are (.*?) \((p\d+), (p\d+), (p\d+)\)", text).groups()[1:]
    themes = re.search(r"Each carries another theme as well: (.*?)\. ", text).group(1)
    for pid, part in zip(stated, themes.split(", ")):
        row = re.search(rf"^\d+\s+{pid}\s+\d+\s+\[(.*)\]$", output(blocks[1]), re.M)
        assert row, f"{pid} is not in the output"
        others = [t for t in row.group(1).split(", ") if t != "refugees"]
        assert others == re.findall(r"(\w+)(?: and|$)", part.split(" ", 1)[1]), (pid, part, others)
    assert rows(output(blocks[1])) == [len(stated)]


# How the outlook solution names the themes whose counts it gives.
THEME_WORDS = {"diplomacy": "diplomacy", "security": "security", "TTP": "ttp", "border": "durand_line",
               "trade corridors": "trade_corridors", "refugees": "refugees", "India": "india"}


def check_outlook_after(text: str, blocks: list[int]) -> None:
    shown = output(blocks[0])
    total = re.search(r"the code prints (\d+) events after 20 April 2023", text).group(1)
    bare = [line for line in shown.splitlines() if re.fullmatch(r"\d+", line)]
    assert bare[0] == total, shown
    counted = re.search(r"most of them on (.*?); ", text).group(1)
    for words, theme in THEME_WORDS.items():
        count = re.search(rf"{words}[^()]*?\((\d+)(?: each)?\)", counted).group(1)
        assert re.search(rf"^{theme}\s+{count}$", shown, re.M), (theme, count)
    year, most = re.search(r"(\d{4}) has by far the most \((\d+)\)", text).groups()
    assert re.search(rf"^{year}\s+{most}$", shown, re.M)
    assert bare[1] == re.search(r"Part 2: (\d+) rows carry both", text).group(1)
    closures = re.search(r"(\w+) closures in the five months before the article", text).group(1)
    assert rows(output(blocks[1])) == [number(closures)]


CHECKED = {
    "ex-ttp-data": check_ttp_data,
    "ex-ttp-timeline": check_ttp_timeline,
    "ex-durand_line-length": check_durand_length,
    "ex-durand_line-closures": check_durand_closures,
    "ex-trade_corridors-distances": check_trade_distances,
    "ex-refugees-data": check_refugees_data,
    "ex-outlook-after": check_outlook_after,
}


@pytest.mark.parametrize("exercise", sorted(CHECKED))
def test_the_output_is_what_the_solution_says(exercise):
    text, blocks = solution(exercise)
    assert blocks, f"{exercise}: no code block"
    CHECKED[exercise](text, blocks)


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
