"""The extractor's command line: reproducible outputs, bad input, all-or-nothing writing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Resource

from dossier import io as dio
from dossier.extract import OUTPUT_FILES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = DATA / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
SCRIPT = ROOT / "scripts" / "extract_article.py"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of *folder* (recursively) with its bytes (None for folders)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


# ------------------------------------------------------------------ the seed


def test_committed_data_is_what_the_extractor_makes(tmp_path):
    result = run_cli(SEED, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_FILES)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_two_runs_give_identical_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli(SEED, "--out", first).returncode == 0
    assert run_cli(SEED, "--out", second).returncode == 0
    assert snapshot(first) == snapshot(second)
    # and running again over existing output changes nothing
    assert run_cli(SEED, "--out", first).returncode == 0
    assert snapshot(first) == snapshot(second)


def test_crlf_bom_copy_of_the_seed_gives_the_same_data(tmp_path):
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
def test_fixture_outputs_follow_the_package_schemas(tmp_path, name):
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
def test_bad_input(tmp_path, case):
    source = _bad_inputs(tmp_path)[case]
    out = _existing_output(tmp_path)
    before = snapshot(out)
    result = run_cli(source, "--out", out)
    assert_clean_failure(result, 1, BAD_INPUT_MESSAGES[case])
    assert snapshot(out) == before  # same files, same bytes, no temporary files


def test_output_folder_under_a_regular_file(tmp_path):
    # honest even as root: no permission bit can make a file hold a folder
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli(SEED, "--out", blocker / "out")
    assert_clean_failure(result, 1, "cannot write output")
    assert snapshot(tmp_path) == before


def test_output_target_taken_by_a_folder(tmp_path):
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


def test_bad_rules_file(tmp_path):
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
def test_usage_errors(args, words):
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


def test_commit_files_rolls_back_when_a_rename_fails(tmp_path, monkeypatch):
    (tmp_path / "one.txt").write_text("old one\n", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(dio.os, "replace", failing_replace)
    with pytest.raises(OSError):
        dio.commit_files({tmp_path / "one.txt": "new one\n", tmp_path / "two.txt": "new two\n",
                          tmp_path / "three.txt": "new three\n"})
    monkeypatch.undo()
    assert len(calls) >= 2  # the first rename happened before the failure
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt"]
    assert (tmp_path / "one.txt").read_text(encoding="utf-8") == "old one\n"


def test_commit_files_rolls_back_a_new_file(tmp_path, monkeypatch):
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst).name == "b.txt":
            raise OSError(5, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(dio.os, "replace", failing_replace)
    with pytest.raises(OSError):
        dio.commit_files({tmp_path / "a.txt": "a\n", tmp_path / "b.txt": "b\n"})
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
