"""Reproducible, all-or-nothing file writing.

Every output of the dossier is written the same way:

* text is UTF-8 with "\\n" line endings, whatever the platform;
* JSON is indented by two spaces, keeps non-ASCII characters as they are
  and ends with a newline;
* CSV has a header row, "\\n" line endings and minimal quoting;
* a file is first written to a temporary file in the folder of its target
  and then renamed over the target with :func:`os.replace`, so a reader
  never sees a half-written file.

:func:`commit_files` extends this to several files at once: either every
target gets its new content, or (if anything fails) every target is left
exactly as it was and no temporary file stays behind.

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
    """Write several files so that either all of them change or none does.

    *files* maps each target path to its new content (``str`` is encoded as
    UTF-8 and written without newline translation; ``bytes`` as they are).
    Missing parent folders are created.

    The steps are: check that no target is a folder; write every content to
    a temporary file next to its target; keep a hard link (or copy) of every
    target that already exists; rename the temporary files over the targets;
    if any rename fails, put the saved originals back and remove targets that
    did not exist before. The saved originals and any temporary file are
    removed in every case. Errors are raised as :class:`OSError`.

    Returns the target paths, in the order given.
    """
    targets = [Path(p) for p in files]
    contents = list(files.values())
    if len(set(map(os.path.abspath, targets))) != len(targets):
        raise ValueError("commit_files: the same target path is given twice")
    for target in targets:
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a folder, not a file")

    temps: list[Path] = []
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for target, content in zip(targets, contents):
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            temps.append(_write_temp(target, data))
        for target in targets:
            if target.exists():
                backups[target] = _save_copy(target)
        for temp, target in zip(temps, targets):
            os.replace(temp, target)
            replaced.append(target)
    except BaseException:
        _restore(replaced, backups)
        raise
    finally:
        for leftover in [*temps, *backups.values()]:
            _remove_quietly(leftover)
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


def _save_copy(target: Path) -> Path:
    """Keep the current content of *target* under a temporary name."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".orig")
    os.close(fd)
    backup = Path(name)
    try:
        os.unlink(backup)
        os.link(target, backup)  # cheap, and keeps the original's metadata
    except OSError:
        backup.write_bytes(target.read_bytes())
    return backup


def _restore(replaced: list[Path], backups: Mapping[Path, Path]) -> None:
    """Undo the renames already made: originals back, new files removed."""
    for target in reversed(replaced):
        if target in backups:
            os.replace(backups[target], target)
        else:
            _remove_quietly(target)


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
