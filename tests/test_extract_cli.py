"""The extractor's command line: reproducible outputs, bad input, all-or-nothing writing.

The command runs in-process through its entry point `run(argv)` (what `python
scripts/extract_article.py` calls), with stdout and stderr captured; one test runs it as a
separate process, to prove the entry point itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, load_script
from frictionless import Resource

from dossier import io as dio
from dossier.pipeline.extract import OUTPUT_FILES

SEED = DATA / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
SCRIPT = ROOT / "scripts" / "extract_article.py"

extract_article = load_script("extract_article")


@pytest.fixture
def run_cli(capsys):
    """Run the command in-process: (*args) -> CompletedProcess with its exit status and output."""

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        status = extract_article.run(argv)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["extract_article", *argv], status, out, err)

    return run


def test_the_script_runs_as_a_command(tmp_path):
    ok = subprocess.run([sys.executable, str(SCRIPT), str(SEED), "--out", str(tmp_path)],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_FILES)
    bad = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "missing.txt"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and bad.stderr.startswith("extract_article: error: ") and "Traceback" not in bad.stderr


def test_the_command_imports_neither_pandas_nor_folium(tmp_path):
    probe = ("import sys, runpy; sys.argv = ['x', '--help']\n"
             f"try:\n    runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pandas', 'folium', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of *folder* (recursively) with its bytes (None for folders)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


# ------------------------------------------------------------------ the seed


def test_committed_data_is_what_the_extractor_makes(tmp_path, run_cli):
    result = run_cli(SEED, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_FILES)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_two_runs_give_identical_bytes(tmp_path, run_cli):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli(SEED, "--out", first).returncode == 0
    assert run_cli(SEED, "--out", second).returncode == 0
    assert snapshot(first) == snapshot(second)
    # and running again over existing output changes nothing
    assert run_cli(SEED, "--out", first).returncode == 0
    assert snapshot(first) == snapshot(second)


def test_crlf_bom_copy_of_the_seed_gives_the_same_data(tmp_path, run_cli):
    variant = tmp_path / SEED.name
    variant.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli(variant, "--out", tmp_path / "out").returncode == 0
    for name in ["paragraphs.csv", "entities.csv", "page_context.json"]:
        assert (tmp_path / "out" / name).read_bytes() == (DATA / name).read_bytes(), name
    article = json.loads((tmp_path / "out" / "article.json").read_text(encoding="utf-8"))
    committed = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    assert article["provenance"]["input_sha256"] != committed["provenance"]["input_sha256"]
    article.pop("provenance"), committed.pop("provenance")
    assert article == committed


# ------------------------------------------------------------------ other articles

FIXTURE_PAGES = ["analysis-two-authors.txt", "feature-full-layout.txt", "interview-crlf-bom.txt",
                 "news-one-tag-plain.txt"]


@pytest.mark.parametrize("name", FIXTURE_PAGES)
def test_fixture_outputs_follow_the_package_schemas(tmp_path, name, run_cli):
    result = run_cli(PAGES / name, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for spec in package["resources"]:
        if spec["path"] in {"paragraphs.csv", "entities.csv"}:
            report = Resource(spec, basepath=str(tmp_path)).validate()
            assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    article = json.loads((tmp_path / "article.json").read_text(encoding="utf-8"))
    assert article["provenance"]["input_name"] == name


# ------------------------------------------------------------------ bad input


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 8)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes((PAGES / "news-one-tag-plain.txt").read_bytes().replace(
        b"Harbour City", "Harbour Caf\u00e9".encode("latin-1")))
    return {
        "empty": empty,
        "binary": binary,
        "not utf-8": latin1,
        "no article": PAGES / "section-index-no-article.txt",
        "missing": tmp_path / "no-such-file.txt",
        "folder": tmp_path,
    }


BAD_INPUT_MESSAGES = {
    "empty": "empty",
    "binary": "binary",
    "not utf-8": "not UTF-8",
    "no article": "no article found",
    "missing": "not found",
    "folder": "is a folder",
}


def _existing_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "article.json").write_text("{\"old\": true}\n", encoding="utf-8")
    (out / "paragraphs.csv").write_bytes(b"id\r\nold\r\n")
    (out / "notes.txt").write_text("not ours\n", encoding="utf-8")
    return out


def assert_clean_failure(result: subprocess.CompletedProcess, expected_status: int, words: str):
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("extract_article: error: ")
    assert words in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == expected_status


@pytest.mark.parametrize("case", sorted(BAD_INPUT_MESSAGES))
def test_bad_input(tmp_path, case, run_cli):
    source = _bad_inputs(tmp_path)[case]
    out = _existing_output(tmp_path)
    before = snapshot(out)
    result = run_cli(source, "--out", out)
    assert_clean_failure(result, 1, BAD_INPUT_MESSAGES[case])
    assert snapshot(out) == before  # same files, same bytes, no temporary files


def test_output_folder_under_a_regular_file(tmp_path, run_cli):
    # honest even as root: no permission bit can make a file hold a folder
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli(SEED, "--out", blocker / "out")
    assert_clean_failure(result, 1, "cannot write output")
    assert snapshot(tmp_path) == before


def test_output_target_taken_by_a_folder(tmp_path, run_cli):
    # paragraphs.csv cannot be replaced; article.json, written first, must stay as it was
    out = tmp_path / "out"
    out.mkdir()
    (out / "article.json").write_text("{\"old\": true}\n", encoding="utf-8")
    (out / "paragraphs.csv").mkdir()
    (out / "paragraphs.csv" / "keep.txt").write_text("x\n", encoding="utf-8")
    before = snapshot(out)
    result = run_cli(SEED, "--out", out)
    assert_clean_failure(result, 1, "cannot write output")
    assert snapshot(out) == before


def test_bad_rules_file(tmp_path, run_cli):
    themes = tmp_path / "themes.yml"
    themes.write_text("themes: [\n", encoding="utf-8")
    out = _existing_output(tmp_path)
    before = snapshot(out)
    result = run_cli(SEED, "--out", out, "--themes", themes)
    assert_clean_failure(result, 1, "not valid YAML")
    assert snapshot(out) == before


@pytest.mark.parametrize("args, words", [
    ((), "required"),
    ((SEED,), "--out"),
    ((SEED, "--out", "x", "--colour", "red"), "unrecognized"),
])
def test_usage_errors(args, words, run_cli):
    result = run_cli(*args)
    assert_clean_failure(result, 2, words)


# ------------------------------------------------------------------ dossier.io


def test_render_csv_and_json():
    assert dio.render_csv(["a", "b"], [["x", None], ["y;z", 'say "hi"']]) == (
        'a,b\nx,\ny;z,"say ""hi"""\n'
    )
    assert dio.render_json({"é": [1]}) == '{\n  "é": [\n    1\n  ]\n}\n'
    with pytest.raises(ValueError):
        dio.render_csv(["a", "b"], [["only one"]])


def test_write_helpers(tmp_path):
    dio.write_json(tmp_path / "sub" / "a.json", {"k": "v"})
    dio.write_csv(tmp_path / "b.csv", ["h"], [["1"]])
    dio.write_text_atomic(tmp_path / "c.txt", "line\r\n")
    assert (tmp_path / "sub" / "a.json").read_bytes() == b'{\n  "k": "v"\n}\n'
    assert (tmp_path / "b.csv").read_bytes() == b"h\n1\n"
    assert (tmp_path / "c.txt").read_bytes() == b"line\r\n"
    assert (tmp_path / "b.csv").stat().st_mode & 0o777 == dio.FILE_MODE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv", "c.txt", "sub"]


def test_commit_files_writes_nothing_when_a_file_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "one.txt").write_text("old one\n", encoding="utf-8")
    real_write = dio._write_temp
    calls = []

    def failing_write(target, data):
        calls.append(target.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(target))
        return real_write(target, data)

    monkeypatch.setattr(dio, "_write_temp", failing_write)
    with pytest.raises(OSError, match="No space left"):
        dio.commit_files({tmp_path / "one.txt": "new one\n", tmp_path / "two.txt": "new two\n",
                          tmp_path / "three.txt": "new three\n"})
    assert calls == ["one.txt", "two.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt"]  # no temporary file left
    assert (tmp_path / "one.txt").read_text(encoding="utf-8") == "old one\n"


def test_commit_files_refuses_a_path_given_twice(tmp_path):
    with pytest.raises(ValueError, match="twice"):
        dio.commit_files({tmp_path / "a.txt": "a", f"{tmp_path}/sub/../a.txt": "b"})
    assert list(tmp_path.iterdir()) == []
