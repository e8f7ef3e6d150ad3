"""The glossary, written once in data/glossary.yml: names and ideas, each with one plain first
sentence; the Glossary page and each theme chapter's Words to know come from it.

What "plain" means here: the Flesch–Kincaid grade of the definition (the entry's first sentence,
citations left out, roles replaced by their text), as textstat 0.7.8 computes it
(`dossier.readability.grade`), is 9 or below.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from conftest import (BOOK, DATA, GLOSSARY, ROOT, article_main, bibliography_keys, cited_keys, glossary_terms, linked_terms,
                      misquotations, normalise, soup)

from dossier import config, glossary, readability
from dossier.sphinxext import glossary as glossary_ext

TERMS = glossary.terms()
BY_TERM = {t.term: t for t in TERMS}
CONCEPTS = [t for t in TERMS if t.kind == "concept"]

#: The ideas issue 19 names, and those the chapters used without explaining them. "stock and flow"
#: is two entries, so that each card holds one idea.
REQUIRED_CONCEPTS = ["recognition", "ceasefire", "proxy", "corroborate", "standpoint", "forecast", "hedge",
                     "base rate", "stock", "flow", "repatriation", "merger of the former tribal areas",
                     "caretaker prime minister", "demarcate", "tripoint", "concession", "lower bound"]


# --------------------------------------------------------------------------------------------
# The data


def test_at_least_25_ideas_and_those_the_issue_names():
    assert len(CONCEPTS) >= 25, [t.term for t in CONCEPTS]
    missing = [name for name in REQUIRED_CONCEPTS if name not in BY_TERM or BY_TERM[name].kind != "concept"]
    assert missing == []
    assert BY_TERM["Apex Committee"].kind == "name"  # a body, named in the refugees chapter


def test_the_conftest_reader_and_the_module_agree():
    assert glossary_terms() == {name for t in TERMS for name in t.names}
    assert {"TTP", "Pakistani Taliban", "ceasefire", "Wesh–Chaman crossing"} <= glossary_terms()


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.term)
def test_each_first_sentence_is_plain_english(term):
    sentence = readability.plain_text(term.definition)
    grade = readability.grade(term.definition)
    assert grade <= readability.GRADE_LIMIT, f"{term.term}: grade {grade:.1f}: {sentence}"
    assert len(sentence.split()) <= 25, f"{term.term}: {len(sentence.split())} words"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.term)
def test_each_definition_is_one_sentence_that_makes_a_card(term):
    """The printed card shows the first sentence with the entry's names blanked: a definition that
    names its own term would give the answer away, or show a blank."""
    sentence = readability.plain_text(term.definition)
    assert glossary.SENTENCE_BREAK.split(sentence) == [sentence]
    assert sentence[0].isupper() and sentence.endswith(".")
    for name in term.names:
        assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence, re.I), f"{term.term}: names {name!r}"


def test_every_name_cites_a_source_and_every_citation_exists():
    keys = bibliography_keys()
    for term in TERMS:
        if term.kind == "name":
            assert cited_keys(term.definition), f"{term.term}: a name's definition states facts: cite them"
        for key in cited_keys(term.definition + " " + term.detail):
            assert key in keys, f"{term.term}: {key} is not in book/references.bib"


def test_every_term_link_in_the_glossary_resolves_and_quotations_are_the_articles_words():
    names = {name.casefold() for name in glossary_terms()}  # Sphinx matches terms in any letter case
    for term in TERMS:
        for target in linked_terms(term.definition + " " + term.detail):
            assert target.casefold() in names, f"{term.term} links {target!r}"
    assert misquotations([(t.term, t.definition + " " + t.detail) for t in TERMS]) == []


def test_the_names_keep_their_entries_word_for_word():
    """The twenty names as book/glossary.md typed them (commit ea7ed06) live on as their detail:
    every fact and citation kept."""
    names = [t for t in TERMS if t.kind == "name" and t.term != "Apex Committee"] + [BY_TERM["strategic depth"]]
    assert len(names) >= 20
    for term in names:
        assert cited_keys(term.detail), term.term
        assert len(term.detail.split()) > len(readability.plain_text(term.definition).split()), term.term


def book_texts_without_the_words_to_know() -> list[tuple[str, str]]:
    """The book's words as a student meets them: notebook Markdown and outputs (passages, self-checks,
    corroboration), pages, the annotated article; not the Words to know lists, which would find every
    term they list."""
    texts = []
    for path in sorted(BOOK.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if "words_to_know" in source or "Words to know" in source:
                source = re.sub(r"\*\*Words to know\*\*.*?(\n\*\*|\n```)", r"\1", source, flags=re.S)
                if cell["cell_type"] == "code":
                    continue
            texts.append((path.name, source))
            for output in cell.get("outputs", []):
                texts.append((path.name, json.dumps(output.get("data", {}), ensure_ascii=False)))
    for path in sorted(BOOK.glob("*.md")) + sorted((BOOK / "instructor").glob("*.md")):
        texts.append((path.name, path.read_text(encoding="utf-8")))
    texts.append(("annotations.yml", (DATA / "annotations.yml").read_text(encoding="utf-8")))
    return texts


def unused(terms: list[glossary.Term], text: str) -> list[str]:
    """The terms of which neither the term nor an alias begins a word of `text` (any letter case:
    'demarcate' is found in 'demarcates')."""
    return [term.term for term in terms
            if not any(re.search(rf"\b{re.escape(name)}", text, re.I) for name in term.names)]


def test_every_idea_is_used_somewhere_in_the_book():
    """In a chapter, a page, the annotated article, or another entry of the Glossary page."""
    text = "\n".join(t for _where, t in book_texts_without_the_words_to_know())
    found = []
    for term in CONCEPTS:
        others = "\n".join(f"{t.definition} {t.detail}" for t in TERMS if t is not term)
        found += unused([term], text + "\n" + others)
    assert found == []


def test_the_usage_check_catches_an_unused_word():
    terms = [BY_TERM["ceasefire"], BY_TERM["demarcate"], BY_TERM["corroborate"]]
    assert unused(terms, "The ceasefire ended. Pakistan demarcates the line.") == ["corroborate"]
    assert unused(terms, "a CEASEFIRE, demarcated, corroboration") == []  # an alias counts
    assert unused(terms, "the ceasefires; undemarcated") == ["demarcate", "corroborate"]


# --------------------------------------------------------------------------------------------
# Words to know


@pytest.mark.parametrize("chapter", config.theme_chapters())
def test_each_theme_chapter_has_its_words_to_know(chapter):
    words = glossary.words_to_know(chapter)
    assert 5 <= len(words.entries) <= 18, "a list a student reads first, on a phone"
    kinds = [t.kind for t in words.entries]
    assert kinds == sorted(kinds, key=list(glossary.KINDS).index), "names first, then ideas"
    markdown, page = words._repr_markdown_(), words._repr_html_()
    assert markdown.startswith("Read these first.") and markdown.endswith(".\n")
    assert page.startswith('<div class="words-to-know"><p>Read these first.') and page.endswith("</ul></div>")
    items = re.findall(r"^- \*\*\{term\}`([^`]*)`\*\*", markdown, re.M)
    assert items == [t.term for t in words.entries]
    assert {target.casefold() for target in linked_terms(markdown)} <= {name.casefold() for name in glossary_terms()}
    for term in words.entries:
        assert f"<strong>{term.term}</strong>" in page
        assert chapter in term.chapters
    assert "{term}" not in page and "{cite" not in page, "Jupyter Lab shows plain text"
    # the same bytes every time, whatever the order of the file
    assert words._repr_markdown_() == glossary.words_to_know(chapter)._repr_markdown_()
    assert words._repr_html_() == glossary.words_to_know(chapter)._repr_html_()


def test_words_to_know_does_not_depend_on_the_order_of_the_file(tmp_path):
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    data["terms"].reverse()
    shuffled = tmp_path / "glossary.yml"
    shuffled.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert glossary.load_glossary(shuffled) == glossary.load_glossary(GLOSSARY)


def test_the_ttp_list_reads_as_expected():
    markdown = glossary.words_to_know("ttp")._repr_markdown_()
    ceasefire = BY_TERM["ceasefire"]
    assert f"- **{{term}}`ceasefire`**: {ceasefire.definition}\n" in markdown
    ttp = BY_TERM["TTP"].definition
    assert "{cite:p}" in ttp and "{cite" not in markdown, "no citation brackets: the linked entry gives them"
    assert f": {ttp[:ttp.index(' {cite')]}.\n" in markdown
    assert "- **{term}`TTP`** (also Tehrik-i-Taliban Pakistan, Pakistani Taliban): " in markdown
    assert markdown.index("**Names**") < markdown.index("{term}`TTP`") < markdown.index("**Ideas**") < markdown.index("{term}`ceasefire`")
    page = glossary.words_to_know("ttp")._repr_html_()
    assert "<li><strong>TTP</strong> (also Tehrik-i-Taliban Pakistan, Pakistani Taliban): An armed group" in page
    assert "stanford_ttp" not in page


def test_a_chapter_with_no_words_or_no_such_chapter_is_a_clear_error():
    with pytest.raises(config.UnknownName, match="unknown chapter 'tpp'.*_toc.yml"):
        glossary.words_to_know("tpp")
    with pytest.raises(config.ConfigError, match="no term of data/glossary.yml lists the chapter 'timeline'"):
        glossary.words_to_know("timeline")


# --------------------------------------------------------------------------------------------
# Bad input: one line, naming the file


GOOD = """terms:
- term: ceasefire
  kind: concept
  definition: An agreement to stop fighting, often for a limited time.
  chapters: [ttp]
"""

BAD = {
    "not YAML": ("terms: [\n  - oops: {", "is not valid YAML"),
    "not a mapping": ("- just a list\n", "expected a mapping with a 'terms' list"),
    "empty list": ("terms: []\n", "the 'terms' list is empty"),
    "no definition": (GOOD.replace("  definition: An agreement to stop fighting, often for a limited time.\n", ""),
                      "term 'ceasefire': 'definition' must be a non-empty text"),
    "two sentences": (GOOD.replace("limited time.", "limited time. It can break down."), "must be one sentence"),
    "no full stop": (GOOD.replace("limited time.", "limited time"), "must be one sentence"),
    "unknown kind": (GOOD.replace("kind: concept", "kind: place"), "'kind' must be one of name, concept"),
    "unknown chapter": (GOOD.replace("[ttp]", "[tpp]"), "unknown chapter 'tpp'"),
    "unknown field": (GOOD.replace("  kind:", "  knd: x\n  kind:"), "unknown field 'knd'"),
    "duplicate": (GOOD + GOOD.split("\n", 1)[1].replace("- term: ceasefire", "- term: Ceasefire"),
                  "the name 'Ceasefire' is also given to 'ceasefire'"),
    "markup in a term": (GOOD.replace("term: ceasefire", "term: \"*ceasefire*\""), "holds a markup character"),
    "aliases not a list": (GOOD.replace("  kind:", "  aliases: truce\n  kind:"), "'aliases' must be a list"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_malformed_glossary_is_one_line_naming_the_file(tmp_path, case):
    text, expected = BAD[case]
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as raised:
        glossary.load_glossary(path)
    message = str(raised.value)
    assert "\n" not in message
    assert "glossary.yml" in message and expected in message, message


def test_the_good_example_loads(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(GOOD, encoding="utf-8")
    [term] = glossary.load_glossary(path)
    assert term.term == "ceasefire" and term.chapters == ("ttp",) and term.detail == ""


class FakeEnv:
    def __init__(self):
        self.dependencies = []

    def note_dependency(self, path):
        self.dependencies.append(path)


class FakeApp:
    def __init__(self):
        self.env = FakeEnv()


def test_the_extension_writes_the_entries_into_the_page_and_stops_on_a_bad_file(tmp_path, monkeypatch):
    page = (BOOK / "glossary.md").read_text(encoding="utf-8")
    assert glossary_ext.PLACEHOLDER.search(page), "book/glossary.md has lost its placeholder"
    source, app = [page], FakeApp()
    glossary_ext.write_entries(app, "book/glossary", source)
    assert "```{glossary-from-data}" not in source[0]
    assert source[0].startswith(page[:page.index("```")]) and glossary.glossary_block().rstrip("\n") in source[0]
    assert str(glossary.path()) in app.env.dependencies
    other = ["# A page\n\nNo glossary here.\n"]
    glossary_ext.write_entries(app, "book/other", other)
    assert other == ["# A page\n\nNo glossary here.\n"]
    # a copy of the repository whose glossary is broken: the build stops, with one line
    for name in ("_toc.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.yml").write_text("terms: nope\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_ROOT", str(tmp_path))
    with pytest.raises(glossary_ext.GlossaryError) as raised:
        glossary_ext.write_entries(FakeApp(), "book/glossary", [page])
    assert str(raised.value) == "data/glossary.yml: expected a mapping with a 'terms' list"


# --------------------------------------------------------------------------------------------
# The built Glossary page


def test_the_glossary_page_shows_every_term_of_the_data(edition):
    page = edition / "book" / "glossary.html"
    main = article_main(page)
    lists = main.select("dl.glossary")
    assert len(lists) == 1, "one alphabetical list (the printed cards read the first)"
    for anchor in lists[0].select("a.headerlink"):
        anchor.decompose()
    shown = [normalise(dt.get_text()) for dt in lists[0].find_all("dt", recursive=False)]
    assert sorted(shown) == sorted(glossary_terms())
    definitions = lists[0].find_all("dd", recursive=False)
    assert len(definitions) == len(TERMS)
    for term, dd in zip(TERMS, definitions):
        for citation in dd.select(".bibtex-citation"):
            citation.decompose()
        text = re.sub(r"\s+([.,;:)])", r"\1", normalise(dd.get_text(" ")))
        assert text.startswith(readability.plain_text(term.definition)), term.term
        assert text.endswith(".") and f"{glossary.KINDS[term.kind]}." in text, term.term
        for name in term.chapters:
            assert dd.select_one(f'a[href$="{name}.html"]') is not None, (term.term, name)
    assert soup(page).select_one("#term-ceasefire") is not None
