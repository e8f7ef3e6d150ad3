"""Plain English and the core path of each theme chapter (issue 19).

* Every theme chapter opens with its Words to know (`glossary.words_to_know`) and an "In brief":
  150 to 400 words, Flesch–Kincaid grade 9 or below over the whole text (textstat 0.7.8, on the
  text as a reader sees it: roles as their shown text, no citations), and no citation brackets.
* No chapter types a Words to know list of its own: the glossary is the one place.
* `readability.core_path` measures what a student reads to complete a chapter.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from conftest import BOOK

from dossier import config, glossary, readability

THEME_CHAPTERS = config.theme_chapters()


# --------------------------------------------------------------------------------------------
# The measures


def test_plain_text_is_what_a_reader_sees():
    myst = ("The {term}`TTP` ended its {term}`truce <ceasefire>` {cite:p}`dawn2022ttpceasefire`; see "
            "{doc}`The TTP <ttp>` and [a page](https://example.org). It was *not* `code`, **bold**.\n\n"
            "- a list item\n1. a numbered one\n### A heading\n(label-x)=\n&amp; <b>tag</b>")
    assert readability.plain_text(myst) == ("The TTP ended its truce; see The TTP and a page. It was not code, bold. "
                                            "a list item a numbered one A heading & tag")


def test_the_grade_is_textstats_flesch_kincaid_of_the_plain_text():
    import textstat

    sentence = "An agreement to stop fighting, often for a limited time."
    assert readability.grade(sentence) == pytest.approx(textstat.flesch_kincaid_grade(sentence))
    assert readability.grade(sentence + " {cite:p}`dawn2022ttpceasefire`") == readability.grade(sentence)
    assert 6 < readability.grade(sentence) < 8
    hard = ("Notwithstanding considerable international apprehension, governmental representatives "
            "characterised the unprecedented repatriation initiative as administratively indispensable.")
    assert readability.grade(hard) > 20
    assert readability.word_count("Pakistan's plan, of 2023, was clear.") == 6
    with pytest.raises(ValueError):
        readability.grade("{cite:p}`dawn2022ttpceasefire`")


CELLS = ["# Title\n\nIntro.", "## In brief\n\nThe first line.\n\nA second paragraph.", "More of it.\n\n### A subheading\n\nStill in.",
         "## Context\n\nNot in it."]


def test_the_section_finder_stops_at_the_next_heading_across_cells():
    assert readability.section_of(CELLS, "In brief") == ("The first line.\n\nA second paragraph.\n\nMore of it.\n\n"
                                                          "### A subheading\n\nStill in.")
    assert readability.section_of(CELLS, "Context") == "Not in it."
    assert readability.section_of(CELLS, "Summary") is None
    assert readability.section_of(["## In brief"], "In brief") == ""


def test_the_in_brief_check_finds_each_fault():
    where = "book/x.ipynb"
    plain = "The TTP is a group. It fights the state. " * 20
    assert readability.brief_problems(plain, where) == []
    assert readability.brief_problems("IN_BRIEF_TTP", where) == [
        "book/x.ipynb, In brief: only 1 words (a summary of the Context needs at least 150)"]
    assert readability.brief_problems(None, where) == ["book/x.ipynb has no '## In brief' section"]
    assert readability.brief_problems("\n", where) == ["book/x.ipynb: '## In brief' is empty"]
    long = "The group met. " * 140
    assert readability.brief_problems(long, where) == ["book/x.ipynb, In brief: 420 words (at most 400)"]
    hard = ("Notwithstanding considerable international apprehension, governmental representatives "
            "characterised the unprecedented repatriation initiative as administratively indispensable.")
    [problem] = readability.brief_problems(" ".join([hard] * 15), where)
    assert problem.startswith("book/x.ipynb, In brief: Flesch–Kincaid grade ") and problem.endswith("(at most 9)")
    cited = plain + "The TTP ended its ceasefire {cite:p}`dawn2022ttpceasefire`."
    assert readability.brief_problems(cited, where) == [
        "book/x.ipynb, In brief: citation brackets (the sources are in the Context below)"]


# --------------------------------------------------------------------------------------------
# The chapters (these wait for the lead to place the cells and paste the drafts of
# /work/research/in_brief/)


def cells(chapter: str) -> list[dict]:
    return json.loads((BOOK / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_each_theme_chapter_has_a_plain_short_in_brief(chapter):
    assert readability.in_brief_problems(chapter) == []


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_the_words_to_know_come_before_the_in_brief(chapter):
    sources = ["".join(cell["source"]) for cell in cells(chapter)]
    call = f'glossary.words_to_know("{chapter}")'
    placed = [n for n, (cell, source) in enumerate(zip(cells(chapter), sources)) if cell["cell_type"] == "code" and call in source]
    brief = [n for n, source in enumerate(sources) if re.search(r"^## In brief\s*$", source, re.M)]
    assert placed and brief, f"book/{chapter}.ipynb needs a cell {call} and then '## In brief'"
    assert placed[0] < brief[0]
    text = "\n\n".join(sources)
    assert text.index("## In brief") < text.index("## Context")


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_no_chapter_types_its_own_words_to_know(chapter):
    markdown = "\n".join("".join(cell["source"]) for cell in cells(chapter) if cell["cell_type"] == "markdown")
    assert "**Words to know**" not in markdown, "the list comes from data/glossary.yml: glossary.words_to_know()"


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_the_in_brief_links_only_words_its_chapter_lists(chapter):
    from conftest import linked_terms

    text = readability.in_brief(chapter) or ""
    listed = {name.casefold() for term in glossary.chapter_terms(chapter) for name in term.names}
    assert [t for t in linked_terms(text) if t.casefold() not in listed] == []


# --------------------------------------------------------------------------------------------
# The core path


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_the_core_path_is_measured_from_the_chapter(chapter):
    path = readability.core_path(chapter)
    parts = dict(path.parts)
    assert list(parts) == ["the article's paragraphs", "Words to know", "In brief", "documents", "dated events",
                           "scorecard (six forecasts)", "exercises"]
    assert parts["dated events"] > 300 if chapter != "outlook" else parts["scorecard (six forecasts)"] > 500
    assert path.words == sum(parts.values())
    assert path.minutes == math.ceil(path.words / readability.WORDS_PER_MINUTE)
    assert parts["the article's paragraphs"] > 50 and parts["Words to know"] > 100 and parts["exercises"] > 200
    brief = readability.in_brief(chapter)
    assert parts["In brief"] == (readability.word_count(readability.plain_text(brief)) if brief else 0)
    everything = sum(readability.word_count(readability.plain_text(title + "\n" + body))
                     for title, body in readability.exercises(chapter, core_only=False))
    assert everything > parts["exercises"], "the stretch task is not on the core path"
    assert all("stretch" not in title.lower() for title, _body in readability.exercises(chapter))
    assert f"About {path.minutes} minutes of reading" in path._repr_markdown_()
    assert path._repr_html_().startswith('<p class="core-path"><strong>Core path:</strong> About ')


def test_the_core_path_counts_the_paragraphs_the_chapter_shows():
    """The TTP chapter shows the paragraphs on its theme and ¶3 besides (`reading.passages(ids=["p03"])`)."""
    from dossier import data, reading

    rows = data.load_paragraphs().to_dict("records")
    shown = [r for r in rows if "ttp" in r["themes"] or r["id"] == "p03"]
    expected = readability._html_words(reading.Passages(shown)._repr_html_())
    assert dict(readability.core_path("ttp").parts)["the article's paragraphs"] == expected


def test_the_core_path_counts_only_what_a_chapter_has(monkeypatch):
    """A chapter with no passages, no Words to know, no In brief, no documents, no events and no
    exercises (the introduction) has a core path of nothing; the TTP chapter's documents are counted."""
    empty = readability.core_path("intro")
    assert set(dict(empty.parts).values()) == {0}
    assert empty.minutes == 0
    assert dict(readability.core_path("ttp").parts)["documents"] > 300
    from dossier import sources

    monkeypatch.setattr(sources, "corroboration", lambda chapter, paragraphs=None: sources.Corroboration([]))
    assert dict(readability.core_path("ttp").parts)["documents"] == 0


def test_the_core_path_counts_the_events_a_chapter_lists_but_not_a_folded_list():
    """The TTP chapter lists its events before and since the article (its exercises work on both);
    the outlook folds its full record (each forecast of the scorecard carries its own events)."""
    from dossier import timeline

    shown = sum(readability._html_words(timeline.events(themes=["ttp", "security"], **{when: True})._repr_html_())
                for when in ("before", "after"))
    assert dict(readability.core_path("ttp").parts)["dated events"] == shown
    assert dict(readability.core_path("outlook").parts)["dated events"] == 0
    assert readability._calls("outlook", "timeline", "events") == [([], {"after": True}, True)]