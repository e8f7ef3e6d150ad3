"""scripts/execute_notebooks.py: same notebook, same bytes; a failing notebook is reported and left as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

execute_notebooks = load_script("execute_notebooks")


def notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def run(capsys):
    """The command, in-process: (*paths) -> CompletedProcess with its status and output."""

    def run(*paths: Path) -> subprocess.CompletedProcess:
        status = execute_notebooks.main([str(p) for p in paths])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["execute_notebooks"], status, out, err)

    return run


def test_executes_reproducibly_in_the_notebooks_folder(tmp_path, run):
    path = notebook(tmp_path / "ok.ipynb", "import os\nos.path.basename(os.getcwd())", "print(6 * 7)")
    assert run(path).returncode == 0
    first = path.read_bytes()
    assert run(path).returncode == 0
    assert path.read_bytes() == first
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == repr(tmp_path.name)
    assert nb.cells[1].outputs[0]["text"] == "42\n"
    assert "execution" not in nb.cells[0].metadata


def test_failing_notebook_is_reported_in_one_line_and_not_written(tmp_path, run):
    path = notebook(tmp_path / "bad.ipynb", "1 / 0")
    before = path.read_bytes()
    result = run(path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "execute_notebooks:" in line]
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0] and "bad.ipynb" in errors[0]
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb"]


def test_missing_or_broken_file_is_reported(tmp_path, run):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    result = run(tmp_path / "missing.ipynb", broken)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any("missing.ipynb" in line for line in lines) and any("broken.ipynb" in line for line in lines)
    assert "Traceback" not in result.stderr
