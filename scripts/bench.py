"""Benchmark the dossier: `make bench` (or `python scripts/bench.py [--skip-test]`).

Prints a table of wall-clock times and sizes, each with its target on a 2-core machine:

* extraction: the extractor on the raw capture, into a temporary folder;
* cold build: the student edition into a temporary folder, executing every notebook;
* warm rebuild: the same build again with nothing changed;
* nbval: `pytest --nbval book` (strict);
* make test: the whole suite, as `make test` runs it (skipped with --skip-test);
* the byte size of every built page, the heaviest first, and its size gzip-compressed;
* map draw time: for each map of the book, headless chromium with no network opens the built
  page, and the map's frame reports how long it took from its start to its load event (Leaflet
  loaded, every layer drawn); the best of three visits;
* the self-check bank's cue statistics (`dossier.quiz_stats`): does the form of a question (its
  keyed option's length or letter, its wording) give the answer away?

It is a benchmark, not a test: it reports the targets and whether each was met, and exits 0
unless a step fails. Nothing in the repository is modified.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW = ROOT / "data" / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
TARGETS = {"cold build": 60.0, "warm rebuild": 5.0, "nbval": 30.0, "make test": 90.0}
PAGE_LIMIT_KB = 150
DRAW_LIMIT_MS = 500

# Runs in a map's frame: milliseconds from the frame's start to the end of its load event.
DRAW_TIME_JS = "() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : null; }"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def verdict(step: str, seconds: float) -> str:
    return f"< {TARGETS[step]:.0f} s: {'met' if seconds < TARGETS[step] else 'MISSED'}"


def map_draw_times(book: Path) -> list[tuple[str, float]]:
    """(map page and figure id, best draw time in ms) for every map of the built book."""
    from playwright.sync_api import sync_playwright

    from dossier import config
    from dossier.handouts import CHROMIUM_ARGS, VIEWPORT, chromium_path, serve

    found = []
    with serve(book) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for chapter in config.map_chapters():
            best: dict[str, float] = {}
            for _ in range(3):
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.goto(f"{url}book/{chapter}.html", wait_until="load")
                figures = page.locator("figure.dossier-map")
                for number in range(figures.count()):
                    figure = figures.nth(number)
                    iframe = figure.locator("iframe")
                    iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
                    frame = iframe.element_handle().content_frame()
                    frame.wait_for_load_state("load")
                    frame.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
                    ms = frame.evaluate(DRAW_TIME_JS)
                    key = f"book/{chapter}.html#{figure.get_attribute('id')}"
                    best[key] = min(best.get(key, ms), ms)
                context.close()
            found += sorted(best.items())
        browser.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-test", action="store_true", help="do not time `make test`")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        tmp_path = Path(tmp)
        seconds = timed([sys.executable, "scripts/extract_article.py", str(RAW), "--out", str(tmp_path / "data")])
        rows.append(("extraction", f"{seconds:.2f} s", ""))
        # Cold: a fresh folder, every notebook executed during the build.
        cold = tmp_path / "cold" / "html"
        seconds = timed([sys.executable, "scripts/build_book.py", "student", "--execute", "--out", str(cold)])
        rows.append(("cold build (all notebooks executed)", f"{seconds:.1f} s", verdict("cold build", seconds)))
        # Warm: what `make book` does when nothing has changed since its last build.
        out = tmp_path / "warm" / "html"
        timed([sys.executable, "scripts/build_book.py", "student", "--out", str(out)])
        seconds = timed([sys.executable, "scripts/build_book.py", "student", "--out", str(out)])
        rows.append(("warm rebuild (nothing changed)", f"{seconds:.1f} s", verdict("warm rebuild", seconds)))
        seconds = timed([sys.executable, "-m", "pytest", "-n", "2", "--nbval", "book", "-q"])
        rows.append(("nbval (strict)", f"{seconds:.1f} s", verdict("nbval", seconds)))
        if not args.skip_test:
            seconds = timed(["make", "--no-print-directory", "test"])
            rows.append(("make test (the whole suite)", f"{seconds:.1f} s", verdict("make test", seconds)))
        pages = sorted((p for p in out.rglob("*.html") if not {"_static", "_vendor"} & set(p.parts)),
                       key=lambda p: -p.stat().st_size)
        for page in pages:
            size = page.stat().st_size / 1024
            sent = len(gzip.compress(page.read_bytes(), mtime=0)) / 1024  # what a server sends, compressed
            rows.append((f"page {page.relative_to(out)} (gzip {sent:.0f} KB)", f"{size:.0f} KB",
                         f"< {PAGE_LIMIT_KB} KB: {'met' if size < PAGE_LIMIT_KB else 'MISSED'}"))
        for name, ms in map_draw_times(out):
            rows.append((f"map drawn offline: {name}", f"{ms:.0f} ms",
                         f"< {DRAW_LIMIT_MS} ms: {'met' if ms < DRAW_LIMIT_MS else 'MISSED'}"))
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'measured':>10}  target")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 16}")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    from dossier import quiz_stats
    print(f"\n{quiz_stats.bank_statistics().table()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
