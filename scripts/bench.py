"""Benchmark the dossier's pipeline: `make bench` (or `python scripts/bench.py`).

Prints a table of wall-clock times and the byte size of every built page:

* extraction: the extractor on the raw capture, into a temporary folder;
* cold build: the student edition into a temporary folder, executing every notebook;
* warm rebuild: the same build again with nothing changed;
* nbval: `pytest --nbval book` (strict), as `make test` runs it.

It is a benchmark, not a test: it reports the targets (cold < 60 s, warm < 5 s, nbval < 30 s,
pages < 500 KB on a 2-core machine) and whether each was met, and always exits 0 unless a step fails.
Nothing in the repository is modified.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
TARGETS = {"cold build": 60.0, "warm rebuild": 5.0, "nbval": 30.0}
PAGE_LIMIT_KB = 500


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def verdict(step: str, seconds: float) -> str:
    return f"< {TARGETS[step]:.0f} s: {'met' if seconds < TARGETS[step] else 'MISSED'}"


def main() -> int:
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
        seconds = timed([sys.executable, "-m", "pytest", "--nbval", "book", "-q", "-p", "no:cacheprovider"])
        rows.append(("nbval (strict)", f"{seconds:.1f} s", verdict("nbval", seconds)))
        pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)
        for page in pages:
            size = page.stat().st_size / 1024
            rows.append((f"page {page.relative_to(out)}", f"{size:.0f} KB", "" if size < PAGE_LIMIT_KB else "OVER 500 KB"))
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'measured':>10}  target")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 16}")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
