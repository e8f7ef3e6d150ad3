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
* a student's phone (issue 20), side by side with the commit before that work (BASELINE, built
  from `git archive` in a temporary folder), both served in the same run by the same gzip-serving
  static host (`dossier.gzipserve`), in headless chromium at 390x844 with touch: the **first visit's
  transfer** to the reading copy (compressed bytes of every request the page makes, until the
  network is idle; target <= 300 KB), and its **first contentful paint** on a slow profile
  (400 kbit/s both ways, 400 ms latency, CPU slowed 4x; the median of three cold visits; target
  <= 0.4x the baseline's). The service worker's download of the whole book, which starts after
  the page has loaded, is reported on its own line (the compressed size of its precache list).

It is a benchmark, not a test: it reports the targets and whether each was met, and exits 0
unless a step fails. Nothing in the repository is modified.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW = ROOT / "data" / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
TARGETS = {"cold build": 60.0, "warm rebuild": 5.0, "nbval": 30.0, "make test": 90.0}
BASELINE = "ea7ed06"  # the commit before issue 20 (phones and poor connections)
FIRST_VISIT_PAGE = "book/reading.html"
FIRST_VISIT_LIMIT_KB = 300
FCP_RATIO = 0.4
PHONE = {"width": 390, "height": 844}
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
FCP_JS = "() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; }"
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
                    # The book sets the map's srcdoc when it nears the screen: wait for the map's document.
                    frame.wait_for_function("() => Boolean(window.L)", timeout=30_000)
                    frame.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
                    ms = frame.evaluate(DRAW_TIME_JS)
                    key = f"book/{chapter}.html#{figure.get_attribute('id')}"
                    best[key] = min(best.get(key, ms), ms)
                context.close()
            found += sorted(best.items())
        browser.close()
    return found


def build_baseline(tmp: Path) -> Path:
    """The student edition at BASELINE, built from a `git archive` of it in `tmp` (its own scripts
    and data: PYTHONPATH and DOSSIER_ROOT point there), with this environment's packages."""
    source = tmp / "baseline"
    source.mkdir()
    archive = subprocess.run(["git", "archive", BASELINE], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(source / "scripts"), "DOSSIER_ROOT": str(source)}
    subprocess.run([sys.executable, "scripts/build_book.py", "student"], cwd=source, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return source / "_build" / "html"


def first_visit(browser, url: str, slow: bool) -> tuple[int, int, float | None]:
    """(bytes transferred, requests, first contentful paint in ms) of a cold visit to `url` on a phone."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_function(FCP_JS, timeout=180_000, polling=100)
    else:
        page.goto(url, wait_until="load", timeout=180_000)
        page.wait_for_load_state("networkidle")
    fcp = page.evaluate(FCP_JS)
    context.close()
    return sum(sizes.values()), len(sizes), fcp


def precache_kb(book: Path) -> float:
    """The compressed size of what the service worker fetches (gzip as the static host sends it)."""
    from dossier import gzipserve
    from dossier.sphinxext import offline_site

    total = 0
    for path, _digest in offline_site.precache_list(book):
        data = (book / path).read_bytes()
        total += len(gzip.compress(data, 6, mtime=0)) if Path(path).suffix in gzipserve.COMPRESSED else len(data)
    return total / 1024


def phone_rows(book: Path, baseline: Path) -> list[tuple[str, str, str]]:
    from playwright.sync_api import sync_playwright

    from dossier import gzipserve
    from dossier.handouts import CHROMIUM_ARGS, chromium_path

    results = {}
    with gzipserve.serve(book) as new_url, gzipserve.serve(baseline) as old_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for name, url in (("baseline", old_url), ("now", new_url)):
            size, requests, _ = first_visit(browser, url + FIRST_VISIT_PAGE, slow=False)
            paints = sorted(first_visit(browser, url + FIRST_VISIT_PAGE, slow=True)[2] for _ in range(3))
            results[name] = (size, requests, paints[1])
        browser.close()
    (old_size, old_requests, old_fcp), (size, requests, fcp) = results["baseline"], results["now"]
    return [
        (f"first visit to {FIRST_VISIT_PAGE}, transfer ({BASELINE}: {old_size / 1024:.0f} KB in {old_requests} requests)",
         f"{size / 1024:.0f} KB", f"<= {FIRST_VISIT_LIMIT_KB} KB: {'met' if size / 1024 <= FIRST_VISIT_LIMIT_KB else 'MISSED'}"
         f" ({requests} requests)"),
        (f"first contentful paint, slow profile ({BASELINE}: {old_fcp:.0f} ms)", f"{fcp:.0f} ms",
         f"<= {FCP_RATIO}x: {'met' if fcp <= FCP_RATIO * old_fcp else 'MISSED'} ({fcp / old_fcp:.2f}x)"),
        ("offline copy: the service worker's download after the first page", f"{precache_kb(book):.0f} KB",
         "(in the background, once)"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-test", action="store_true", help="do not time `make test`")
    parser.add_argument("--phone-only", action="store_true",
                        help=f"only the phone rows: the current build (_build/html) beside {BASELINE}")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        tmp_path = Path(tmp)
        if args.phone_only:
            rows += phone_rows(ROOT / "_build" / "html", build_baseline(tmp_path))
            print_rows(rows)
            return 0
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
        rows += phone_rows(out, build_baseline(tmp_path))
    print_rows(rows)
    from dossier import quiz_stats
    print(f"\n{quiz_stats.bank_statistics().table()}")
    return 0


def print_rows(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'measured':>10}  target")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 16}")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    sys.exit(main())
