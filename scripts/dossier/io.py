"""Reproducible, all-or-nothing file writing.

Every output of the dossier is written the same way:

* text is UTF-8 with "\\n" line endings, whatever the platform;
* JSON is indented by two spaces, keeps non-ASCII characters as they are
  and ends with a newline;
* CSV has a header row, "\\n" line endings and minimal quoting;
* a file is first written to a temporary file in the folder of its target
  and then renamed over the target with :func:`os.replace`, so a reader
  never sees a half-written file.

:func:`commit_files` does this for several files at once: every content is
written to its temporary file first, and only when all of them are written
are they renamed over their targets. The failures that happen in practice
(a folder that cannot be written, a full disk, a target that is a folder)
happen before the first rename, and leave every target as it was with no
temporary file behind. A rename within one folder does not fail once its
temporary file is written, so no rollback of renames is attempted.

The ``render_*`` functions return the text without writing it, so callers
can build every output in memory first and commit them together.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

FILE_MODE = 0o644
"""Permissions given to written files (temporary files start as 0600)."""


def render_json(obj: Any) -> str:
    """Return *obj* as JSON text: indent 2, non-ASCII kept, trailing newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def render_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return a CSV table (header row first) with "\\n" line endings.

    ``None`` becomes an empty cell; lists must be joined by the caller
    (the dossier joins list-valued cells with ";").
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"CSV row has {len(row)} cells, header has {len(header)}: {row!r}")
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write *text* (UTF-8, line endings untouched) to *path* atomically."""
    return commit_files({path: text})[0]


def write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write *obj* as JSON (see :func:`render_json`) to *path* atomically."""
    return write_text_atomic(path, render_json(obj))


def write_csv(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Path:
    """Write a CSV table (see :func:`render_csv`) to *path* atomically."""
    return write_text_atomic(path, render_csv(header, rows))


def commit_files(files: Mapping[str | os.PathLike[str], str | bytes]) -> list[Path]:
    """Write several files: all of them, or (if writing fails) none.

    *files* maps each target path to its new content (``str`` is encoded as
    UTF-8 and written without newline translation; ``bytes`` as they are).
    Missing parent folders are created. Errors are raised as :class:`OSError`
    (a target that is a folder as :class:`IsADirectoryError`), after every
    temporary file has been removed. Returns the target paths, in order.
    """
    targets = [Path(p) for p in files]
    if len(set(map(os.path.abspath, targets))) != len(targets):
        raise ValueError("commit_files: the same target path is given twice")
    for target in targets:
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a folder, not a file")
    temps: list[Path] = []
    try:
        for target, content in zip(targets, files.values()):
            target.parent.mkdir(parents=True, exist_ok=True)
            temps.append(_write_temp(target, content.encode("utf-8") if isinstance(content, str) else content))
    except BaseException:
        for temp in temps:
            _remove_quietly(temp)
        raise
    for temp, target in zip(temps, targets):
        os.replace(temp, target)
    return targets


def _write_temp(target: Path, data: bytes) -> Path:
    """Write *data* to a new temporary file in the folder of *target*."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, FILE_MODE)
    except BaseException:
        _remove_quietly(temp)
        raise
    return temp


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
