"""Checks on data/annotations.yml, the notes shown under each paragraph of "The article, annotated".

Each check is a small function that returns a list of problems (empty when all is well). The
tests run every check on the real file, and then on broken copies written to a temporary folder,
to show that the same checks do catch each kind of mistake.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import (BIBLIOGRAPHY, DATA, GLOSSARY, bibliography_keys, cited_keys, glossary_terms, linked_terms,
                      misquotations, paragraph_rows)

ANNOTATIONS = DATA / "annotations.yml"

TEXT_FIELDS = ("context", "read_critically", "check_notes")
FIELDS = {"check", "check_notes", "context", "read_critically", "terms"}


# --------------------------------------------------------------------------------------------
# Loading


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a mapping with the same key twice (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_annotations(path: Path) -> dict:
    """The annotations file as a mapping of paragraph id to note; duplicate keys are an error."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def load_paragraph_texts() -> dict[str, str]:
    """The article's paragraphs, id -> text, in reading order."""
    return {row["id"]: row["text"] for row in paragraph_rows()}


def texts_of(note) -> list[tuple[str, str]]:
    """The (field, text) pairs of a note's prose fields that are strings."""
    if not isinstance(note, dict):
        return []
    return [(field, note[field]) for field in TEXT_FIELDS if isinstance(note.get(field), str)]


# --------------------------------------------------------------------------------------------
# Checks: each returns a list of problems


def check_ids(annotations, paragraph_ids: list[str]) -> list[str]:
    """One entry per paragraph id, no other entries, in the article's order."""
    if not isinstance(annotations, dict):
        return ["the file is not a mapping of paragraph ids"]
    keys = list(annotations)
    problems = [f"no entry for {pid}" for pid in paragraph_ids if pid not in annotations]
    problems += [f"entry {key} is not a paragraph id" for key in keys if key not in paragraph_ids]
    if not problems and keys != paragraph_ids:
        problems.append("entries are not in the article's order")
    return problems


def check_shape(annotations: dict) -> list[str]:
    """Each note has context, read_critically (non-empty, one paragraph) and terms (a list)."""
    problems = []
    for pid, note in annotations.items():
        if not isinstance(note, dict):
            problems.append(f"{pid}: not a mapping")
            continue
        if set(note) != FIELDS:
            problems.append(f"{pid}: fields {sorted(note)}, expected {sorted(FIELDS)}")
        for field in TEXT_FIELDS:
            text = note.get(field)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{pid}: {field} is missing or empty")
            elif "\n" in text.strip():
                problems.append(f"{pid}: {field} has a line break (the renderer needs one line)")
        terms = note.get("terms")
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            problems.append(f"{pid}: terms is not a list of strings")
        check = note.get("check")
        if not isinstance(check, str) or not check.strip():
            problems.append(f"{pid}: check (the phrase the question starts from) is missing or empty")
    return problems


def check_check_phrases(annotations: dict, paragraphs: dict[str, str]) -> list[str]:
    """The phrase each check question starts from is the paragraph's own words, verbatim (the page
    shows it in curly double quotes)."""
    return [f"{pid}: check {note.get('check')!r} is not the words of {pid}" for pid, note in annotations.items()
            if isinstance(note, dict) and isinstance(note.get("check"), str) and note["check"] not in paragraphs.get(pid, "")]


def check_terms(annotations: dict, defined: set[str]) -> list[str]:
    """Every `terms` entry and every {term} link names a term the glossary defines."""
    problems = []
    for pid, note in annotations.items():
        listed = note.get("terms") if isinstance(note, dict) else None
        for term in listed if isinstance(listed, list) else []:
            if term not in defined:
                problems.append(f"{pid}: term {term!r} is not in the glossary")
        for field, text in texts_of(note):
            for term in linked_terms(text):
                if term not in defined:
                    problems.append(f"{pid}: {field} links {term!r}, which is not in the glossary")
    return problems


def check_citations(annotations: dict, keys: set[str]) -> list[str]:
    """Every cited key is in the bibliography, and every context cites at least one source."""
    problems = []
    for pid, note in annotations.items():
        for field, text in texts_of(note):
            for key in cited_keys(text):
                if key not in keys:
                    problems.append(f"{pid}: {field} cites {key!r}, which is not in references.bib")
            if field == "context" and not cited_keys(text):
                problems.append(f"{pid}: context cites no source")
    return problems


def check_quotations(annotations: dict, paragraphs: dict[str, str]) -> list[str]:
    """Every “…” quotation appears word for word in one of the article's paragraphs.

    Curly quotes must pair up, and straight double quotes are refused: a quotation in them
    would escape this check.
    """
    problems = []
    source = "\n".join(paragraphs.values())
    for pid, note in annotations.items():
        for field, text in texts_of(note):
            if '"' in text:
                problems.append(f"{pid}: {field} uses a straight double quote")
            problems += misquotations([(f"{pid}: {field}", text)], source)
    return problems


def all_problems(path: Path) -> list[str]:
    """Every problem the checks find in an annotations file."""
    annotations = load_annotations(path)
    paragraphs = load_paragraph_texts()
    problems = check_ids(annotations, list(paragraphs))
    if not isinstance(annotations, dict):
        return problems
    return (
        problems
        + check_shape(annotations)
        + check_terms(annotations, glossary_terms(GLOSSARY))
        + check_citations(annotations, bibliography_keys(BIBLIOGRAPHY))
        + check_quotations(annotations, paragraphs)
        + check_check_phrases(annotations, paragraphs)
    )


# --------------------------------------------------------------------------------------------
# The real file


@pytest.fixture(scope="module")
def annotations():
    return load_annotations(ANNOTATIONS)


@pytest.fixture(scope="module")
def paragraphs():
    return load_paragraph_texts()


def test_reference_files_parse_to_something():
    """Guard the checks themselves: empty term or key sets would make the checks meaningless."""
    terms = glossary_terms(GLOSSARY)
    assert {"TTP", "Durand Line", "strategic depth", "Taliban", "Pakistani Taliban"} <= terms
    assert not any(term.startswith(("```", ":")) for term in terms)
    assert {"bonesh2023approach", "stanford_ttp", "thenews2023asifkabul"} <= bibliography_keys(BIBLIOGRAPHY)
    assert len(load_paragraph_texts()) == 21


def test_one_entry_per_paragraph_in_order(annotations, paragraphs):
    assert check_ids(annotations, list(paragraphs)) == []


def test_notes_have_the_expected_fields(annotations):
    assert check_shape(annotations) == []


def test_terms_are_glossary_terms(annotations):
    assert check_terms(annotations, glossary_terms(GLOSSARY)) == []


def test_citations_are_in_the_bibliography(annotations):
    assert check_citations(annotations, bibliography_keys(BIBLIOGRAPHY)) == []


def test_quotations_are_verbatim(annotations, paragraphs):
    assert check_quotations(annotations, paragraphs) == []


def test_the_file_is_utf8_with_lf_line_endings():
    raw = ANNOTATIONS.read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")


# --------------------------------------------------------------------------------------------
# Broken copies: the same checks must fail


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_checks_pass_on_an_unchanged_round_trip(tmp_path, annotations):
    """A faithful copy passes, so the failures below come from the breakage, not the copying."""
    assert all_problems(write_yaml(tmp_path / "copy.yml", annotations)) == []


def test_missing_extra_and_reordered_entries_are_caught(tmp_path, annotations):
    broken = copy.deepcopy(annotations)
    del broken["p21"]
    broken["p99"] = copy.deepcopy(annotations["p01"])
    problems = all_problems(write_yaml(tmp_path / "ids.yml", broken))
    assert "no entry for p21" in problems
    assert "entry p99 is not a paragraph id" in problems

    reordered = dict(reversed(list(annotations.items())))
    assert "entries are not in the article's order" in all_problems(
        write_yaml(tmp_path / "order.yml", reordered)
    )


def test_unknown_terms_are_caught(tmp_path, annotations):
    broken = copy.deepcopy(annotations)
    broken["p02"]["terms"] = ["TTP", "Hezbollah"]
    broken["p03"]["context"] += " See {term}`Pashtun`."
    problems = all_problems(write_yaml(tmp_path / "terms.yml", broken))
    assert "p02: term 'Hezbollah' is not in the glossary" in problems
    assert "p03: context links 'Pashtun', which is not in the glossary" in problems
    assert len(problems) == 2


def test_unknown_citation_keys_and_uncited_context_are_caught(tmp_path, annotations):
    broken = copy.deepcopy(annotations)
    broken["p04"]["read_critically"] += " Compare {cite:t}`nosuchsource2023`."
    broken["p05"]["context"] = "A statement with no source."
    problems = all_problems(write_yaml(tmp_path / "cite.yml", broken))
    assert "p04: read_critically cites 'nosuchsource2023', which is not in references.bib" in problems
    assert "p05: context cites no source" in problems
    assert len(problems) == 2


def test_misquotations_are_caught(tmp_path, annotations, paragraphs):
    # The article writes "Pakistan’s activity" with a curly apostrophe: a straight one is a misquotation.
    assert "Pakistan’s activity" in paragraphs["p04"]
    broken = copy.deepcopy(annotations)
    broken["p04"]["read_critically"] += " The article speaks of “Pakistan's activity”."
    broken["p06"]["read_critically"] += " It says “the Taliban demanded a ransom”."
    broken["p07"]["read_critically"] += ' It says "Pakistan will attack".'
    broken["p08"]["read_critically"] += " An unclosed “quotation."
    problems = all_problems(write_yaml(tmp_path / "quotes.yml", broken))
    assert "p04: read_critically: “Pakistan's activity” is not in the article" in problems
    assert "p06: read_critically: “the Taliban demanded a ransom” is not in the article" in problems
    assert "p07: read_critically uses a straight double quote" in problems
    assert "p08: read_critically: unpaired curly double quote" in problems
    assert len(problems) == 4


def test_a_check_phrase_that_is_not_the_paragraphs_words_is_caught(tmp_path, annotations):
    broken = copy.deepcopy(annotations)
    broken["p02"]["check"] = "a large increase in attacks"
    problems = all_problems(write_yaml(tmp_path / "check.yml", broken))
    assert problems == ["p02: check 'a large increase in attacks' is not the words of p02"]


def test_bad_shapes_are_caught(tmp_path, annotations):
    broken = copy.deepcopy(annotations)
    broken["p09"]["terms"] = "Gwadar"
    del broken["p10"]["read_critically"]
    broken["p11"]["context"] = "First paragraph {cite:p}`ppi2023unhcr`.\n\nSecond paragraph."
    problems = all_problems(write_yaml(tmp_path / "shape.yml", broken))
    assert "p09: terms is not a list of strings" in problems
    assert "p10: read_critically is missing or empty" in problems
    assert "p11: context has a line break (the renderer needs one line)" in problems


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "duplicate.yml"
    path.write_text("p01:\n  terms: []\np01:\n  terms: []\n", encoding="utf-8")
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'p01'"):
        load_annotations(path)
