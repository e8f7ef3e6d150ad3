"""The recipes of README.md ("Adapting the dossier"), each applied to a temporary copy of the
repository exactly as written there, and its result checked as a reader would see it.

The copy is read through DOSSIER_ROOT (see dossier.config), so the code under test is the
project's own, and the repository itself is never touched.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, load_script

from dossier import config, data, maps, readability, reading, timeline
from dossier.pipeline.schema import synced_text

README = (ROOT / "README.md").read_text(encoding="utf-8")
RAW = DATA / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A copy of the repository's lists and data (not the raw Natural Earth file), read by the code."""
    copy = tmp_path / "repo"
    shutil.copytree(DATA, copy / "data", ignore=shutil.ignore_patterns("natural-earth"))
    shutil.copytree(ROOT / "book", copy / "book")
    shutil.copy(ROOT / "_toc.yml", copy / "_toc.yml")
    shutil.copy(ROOT / "_config.yml", copy / "_config.yml")
    monkeypatch.setenv("DOSSIER_ROOT", str(copy))
    return copy


def recipe(title: str) -> str:
    """The text of one recipe in README.md (from its heading to the next)."""
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |^## )", README, re.M | re.S)
    assert match, f"README.md has no recipe '### {title}'"
    return match.group(1)


def append_csv_row(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerow(row)


def test_the_readme_has_the_four_recipes():
    for title in ("Add a place to a map", "Add a theme keyword", "Add a timeline event", "Add a chapter"):
        assert "make " in recipe(title), title


def test_add_a_place_to_a_map(repo):
    text = recipe("Add a place to a map")
    assert "data/places.csv" in text and "data/maps.yml" in text
    # 1. a row in places.csv (Ghazni is not among the dossier's places)
    append_csv_row(repo / "data" / "places.csv", {
        "id": "ghazni", "name": "Ghazni", "label": "Ghazni", "lat": "33.5492", "lon": "68.4233", "kind": "city",
        "country": "Afghanistan", "approximate": "false", "source": "An example source",
        "source_url": "https://example.org/ghazni", "note": "Added by the README recipe test.",
    })
    # 2. its id in the map's `places` list in maps.yml
    maps_yml = repo / "data" / "maps.yml"
    text = maps_yml.read_text(encoding="utf-8")
    text = text.replace("    places: [torkham, chaman_crossing, kabul,", "    places: [ghazni, torkham, chaman_crossing, kabul,", 1)
    maps_yml.write_text(text, encoding="utf-8")
    shown = maps.chapter_map("refugees")
    assert '"id":"ghazni","kind":"City or town","label":"Ghazni","lat":33.5492,"lon":68.4233' in shown.map_html()
    assert "<td>Ghazni</td>" in shown._repr_html_()


def test_add_a_theme_keyword(repo, capsys):
    text = recipe("Add a theme keyword")
    assert "data/themes.yml" in text and "make data" in text
    paragraphs = list(csv.DictReader((repo / "data" / "paragraphs.csv").open(encoding="utf-8")))
    target = next(row for row in paragraphs if "Gwadar" in row["text"])
    assert "refugees" not in target["themes"].split(";")
    # add "Gwadar" to the keywords of `refugees` (an example edit; any word of any theme works)
    themes = repo / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("      - returnee*\n", "      - returnee*\n      - Gwadar\n"),
                      encoding="utf-8")
    # `make data`: the extractor, then the schema's enums
    assert load_script("extract_article").run([str(RAW), "--out", str(repo / "data"), "--themes", str(themes)]) == 0
    assert load_script("update_schema").main([]) == 0
    capsys.readouterr()
    again = {row["id"]: row for row in csv.DictReader((repo / "data" / "paragraphs.csv").open(encoding="utf-8"))}
    assert "refugees" in again[target["id"]]["themes"].split(";")
    assert synced_text(repo / "data" / "datapackage.json") == (repo / "data" / "datapackage.json").read_text("utf-8")


def test_add_a_timeline_event(repo):
    text = recipe("Add a timeline event")
    assert "data/timeline.csv" in text and "book/references.bib" in text
    append_csv_row(repo / "data" / "timeline.csv", {
        "id": "2026-recipe-test", "date": "2026-01-15", "precision": "day",
        "event": "An event added by the README recipe test.", "theme": "refugees", "source": "dawn2022ttpceasefire",
        "standpoints": "pakistani-media", "place": "torkham",
    })
    shown = timeline.events(theme="refugees")
    assert "An event added by the README recipe test." in set(shown.frame["event"])
    assert "{cite:p}`dawn2022ttpceasefire`" in shown._repr_markdown_().splitlines()[-1]
    assert "An event added by the README recipe test." in maps.chapter_map("refugees").map_html()  # Torkham's popup
    with pytest.raises(KeyError, match="unknown theme 'refugee'"):
        append_csv_row(repo / "data" / "timeline.csv", {
            "id": "2026-recipe-typo", "date": "2026-01-16", "precision": "day", "event": "A typo in the theme.",
            "theme": "refugee", "source": "dawn2022ttpceasefire", "standpoints": "pakistani-media", "place": ""})
        timeline.load_timeline()


def test_add_a_glossary_term(repo):
    from dossier import glossary

    text = recipe("Add a glossary term")
    assert "data/glossary.yml" in text and "make execute" in text and "make book" in text
    # 1. an entry in glossary.yml, listed in the refugees chapter's Words to know
    path = repo / "data" / "glossary.yml"
    path.write_text(path.read_text(encoding="utf-8") + """
- term: asylum
  kind: concept
  definition: Protection that a state gives to a person who has fled danger in their own country.
  chapters: [refugees]
""", encoding="utf-8")
    assert "asylum" in [t.term for t in glossary.chapter_terms("refugees")]
    assert "- **{term}`asylum`**: Protection that a state gives" in glossary.words_to_know("refugees")._repr_markdown_()
    block = glossary.glossary_block()
    assert "\nasylum\n  Protection that a state gives" in block
    assert block.index("\nApex Committee\n") < block.index("\nasylum\n") < block.index("\nbase rate\n")  # alphabetical
    # 2. `make test` holds the sentence to grade 9: this one passes
    assert readability.grade(glossary.get("asylum").definition) <= readability.GRADE_LIMIT


def test_add_a_chapter(repo, tmp_path):
    text = recipe("Add a chapter")
    assert "book/templates/chapter.ipynb" in text and "_toc.yml" in text
    # 1. copy the template and fill it in
    notebook = json.loads((repo / "book" / "templates" / "chapter.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        source = "".join(cell["source"]).replace("TITLE OF THE CHAPTER", "India in Afghanistan")
        source = source.replace("NAME", "india").replace('"THEME"', '"india"')
        cell["source"] = source
    (repo / "book" / "india.ipynb").write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
    # 2. list it in _toc.yml, and 3. link the theme to it in themes.yml
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    next(part for part in toc["parts"] if part["caption"] == "Themes")["chapters"].append({"file": "book/india"})
    (repo / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    themes = repo / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace(
        "  - id: india\n", "  - id: india\n    chapter: india\n"), encoding="utf-8")
    assert "india" in config.theme_chapters()  # the tests now treat it as a theme chapter
    names = [c.name for c in config.chapters()]
    assert names.index("india") == names.index("outlook") + 1  # last of the "Themes" part
    # 4. `make execute`, then `make book`: the book builds with it, warnings as errors
    load_script("execute_notebooks").main([str(repo / "book" / "india.ipynb")])
    executed = json.loads((repo / "book" / "india.ipynb").read_text(encoding="utf-8"))
    assert any("text/html" in output.get("data", {}) for cell in executed["cells"] for output in cell.get("outputs", []))
    out = tmp_path / "html"
    assert load_script("build_book").build_with(repo, repo / "_toc.yml", out) == 0
    page = (out / "book" / "india.html").read_text(encoding="utf-8")
    assert "India in Afghanistan" in page and 'id="ex-india-first"' in page
    assert 'href="india.html"' in (out / "book" / "outlook.html").read_text(encoding="utf-8")  # in the navigation
    # the annotated article (once re-executed) sends readers of India's paragraphs to it
    row = next(r for r in data.load_paragraphs().to_dict("records") if "india" in r["themes"])
    assert ("india", "India in Afghanistan") in reading.chapters_for(row)
