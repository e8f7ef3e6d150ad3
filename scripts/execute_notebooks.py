"""Re-execute notebooks in place, reproducibly: `python scripts/execute_notebooks.py book/*.ipynb`.

Run it (or `make execute`) after any change to `data/` or to the `dossier` package, then commit the
notebooks: `make test` runs nbval in strict mode, which fails while a stored output is out of date.

Each notebook runs in its own folder (as Jupyter Book and nbval run it). No timing metadata is
recorded, so the same code and data give the same bytes. A notebook that raises is not written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from dossier.io import write_text_atomic

TIMEOUT_SECONDS = 120
KERNEL_DISPLAY_NAME = "Python 3 (ipykernel)"


def execute(path: Path) -> None:
    """Execute the notebook at `path` and replace it atomically with the executed version."""
    nb = nbformat.read(path, as_version=4)
    # The kernel as Jupyter Lab names it: a notebook that says otherwise opens "modified" in Lab.
    nb.metadata["kernelspec"] = {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": "python3"}
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        shutdown_kernel="immediate",
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    text = nbformat.writes(nb)
    write_text_atomic(path, text if text.endswith("\n") else text + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-execute notebooks in place, reproducibly.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    # Kernels warn on stderr that they listen on TCP without encryption: true on any machine, and noise.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    failed = 0
    for path in args.notebooks:
        try:
            execute(path)
        except CellExecutionError as exc:
            failed += 1
            last = str(exc).strip().splitlines()[-1] if str(exc).strip() else "a cell failed"
            print(f"execute_notebooks: error: {path}: {last}", file=sys.stderr)
        except (OSError, nbformat.reader.NotJSONError) as exc:
            failed += 1
            print(f"execute_notebooks: error: {path}: {exc}", file=sys.stderr)
        else:
            print(f"executed {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
