"""Checks on the built books, read as files: what a student (or an instructor) actually gets.

These tests read the HTML that `make book` writes to `_build/html` (the student edition) and that
`make instructor` writes to `_build/instructor/html` (the instructor edition). They never build
anything themselves and never skip: when a build is missing, they fail and say which command to run.

What they check:

* the annotated article holds every paragraph of `data/paragraphs.csv`, verbatim and in order,
  each exactly once as a passage (a blockquote);
* every chapter of `_toc.yml` is linked from the navigation sidebar, and every local link on every
  page leads to a file that exists (and, with a ``#fragment``, to an id on that page);
* no page is over 500 KB, and no page or map loads a script or stylesheet from another host;
* the student edition holds no solution, the instructor edition holds them all;
* every text in curly double quotes in the book's sources (and in the notebooks' stored outputs)
  is the article's own words;
* the thematic chapters have exercises, and chapter pages open with learning objectives and end
  with a summary and "What next".
"""

from __future__ import annotations

import html
from functools import lru_cache
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import (ROOT, article_main, article_text, html_pages, is_reading_copy, misquotations, normalise, notebook_docnames,
                      paragraph_rows, soup, toc_docnames)

from dossier import config, handouts
from dossier.sphinxext.htmlcheck import external_refs

SOLUTIONS_SOURCE = ROOT / "book" / "instructor" / "solutions.md"
MAX_PAGE_BYTES = 500_000

# The one URL on another host that the pages carry of their own (see test_thebe_url_is_inert):
# sphinx-thebe writes it into an inline <script> as a string constant; it is fetched only when a
# reader starts live code with a Thebe launch button, which this book does not show.
THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"
THEBE_CONFIG_SCRIPT = f'const THEBE_JS_URL = "{THEBE_JS_URL}"'


# --------------------------------------------------------------------------------------------
# The article, verbatim


def passages(page: Path) -> list[tuple[str, str]]:
    """(text, ¶ label) of each blockquote on the page; the label is '' when it has none.

    A passage ends with its label in small print (`¶15`, or `¶15, under “The future of
    relationships”`), which is not part of the quoted text.
    """
    found = []
    for quote in article_main(page).find_all("blockquote"):
        texts, label = [], ""
        for para in quote.find_all("p"):
            text = normalise(para.get_text())
            marker = re.match(r"¶\d+", text)
            if marker and para.small is not None and normalise(para.small.get_text()) == text:
                label = marker.group(0)
            else:
                texts.append(text)
        found.append((" ".join(texts), label))
    return found


def test_every_paragraph_is_a_passage_of_the_article_page_once_and_in_order(student):
    page = student / "book" / "article.html"
    quoted = passages(page)
    paragraphs = list(paragraph_rows())
    assert len(paragraphs) == 21
    positions = []
    for row in paragraphs:
        text = normalise(row["text"])
        where = [i for i, (passage, _label) in enumerate(quoted) if passage == text]
        assert len(where) == 1, f"{row['id']}: appears {len(where)} times as a passage of book/article.html"
        assert quoted[where[0]][1] == f"¶{row['order']}", f"{row['id']}: passage labelled {quoted[where[0]][1]!r}"
        positions.append(where[0])
    assert positions == sorted(positions), "the article's paragraphs are out of order on book/article.html"


# --------------------------------------------------------------------------------------------
# Navigation and links


def redirect_target(page: Path) -> Path | None:
    """Where a <meta http-equiv="refresh"> page sends the reader (None if it is not one)."""
    meta = soup(page).find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
    if meta is None:
        return None
    match = re.search(r"url=(.+)$", meta.get("content", ""), re.I)
    assert match, f"{page}: refresh without a URL"
    return (page.parent / match.group(1).strip()).resolve()


def resolve_local(page: Path, href: str) -> tuple[Path, str] | None:
    """(file, fragment) a local href leads to; None for links to other hosts, mailto: and the like."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = page if not parts.path else Path(posixpath.normpath((page.parent / unquote(parts.path)).as_posix()))
    return target, unquote(parts.fragment)


def test_index_leads_to_the_root_chapter_and_its_sidebar_links_every_chapter(student):
    landing = redirect_target(student / "index.html") or (student / "index.html")
    names = toc_docnames()
    assert landing == (student / f"{names[0]}.html").resolve(), f"index.html leads to {landing}"
    sidebar = soup(landing).select_one("nav.bd-docs-nav")
    assert sidebar is not None, f"{landing}: no navigation sidebar (nav.bd-docs-nav)"
    linked = set()
    for anchor in sidebar.select("a[href]"):
        resolved = resolve_local(landing, anchor["href"])
        if resolved:
            linked.add(resolved[0].resolve())
    missing = [name for name in names if (student / f"{name}.html").resolve() not in linked]
    assert not missing, f"chapters of _toc.yml not in the sidebar of {landing.name}: {missing}"
    for name in names:
        assert (student / f"{name}.html").is_file(), f"{name}.html was not built"


@lru_cache(maxsize=None)
def ids_of(page: Path) -> set[str]:
    return {element["id"] for element in soup(page).find_all(id=True)}


def broken_links(root: Path) -> list[str]:
    """Local links (href or src of a, link, script, img) that lead nowhere, on every page."""
    problems = []
    for page in html_pages(root):
        for element in soup(page).find_all(["a", "link", "script", "img"]):
            url = element.get("href") or element.get("src")
            if not url:
                continue
            resolved = resolve_local(page, url)
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{page.relative_to(root)}: {url}"
            if not target.is_file():
                problems.append(f"{where} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(target):
                problems.append(f"{where} (no id {fragment!r} on {target.relative_to(root)})")
    return problems


def test_every_local_link_resolves(edition):
    assert broken_links(edition) == []


def test_the_link_check_finds_a_broken_link(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html#nowhere">b</a> <a href="#here">a</a> '
                                     '<a href="c.html">c</a> <a href="https://example.org/x.html">x</a></p>')
    (tmp_path / "b.html").write_text('<p id="somewhere">b</p>')
    assert broken_links(tmp_path) == ["a.html: b.html#nowhere (no id 'nowhere' on b.html)",
                                      "a.html: c.html (no such file)"]


# --------------------------------------------------------------------------------------------
# Size, and nothing loaded from other hosts


def test_no_page_is_over_500_kb(edition):
    sizes = {str(page.relative_to(edition)): page.stat().st_size for page in html_pages(edition)}
    assert {page: size for page, size in sizes.items() if size > MAX_PAGE_BYTES} == {}


def test_no_page_or_map_loads_a_script_or_stylesheet_from_another_host(edition):
    loaded = {str(page.relative_to(edition)): external_refs(page.read_text(encoding="utf-8"))
              for page in html_pages(edition)}
    assert {page: refs for page, refs in loaded.items() if refs} == {}


def inline_scripts(page: Path) -> list[str]:
    return [script.string or "" for script in soup(page).find_all("script") if not script.get("src")]


def test_thebe_url_is_inert(student):
    """The only URL on another host in the pages' own scripts is sphinx-thebe's, and nothing loads it.

    sphinx-thebe writes `const THEBE_JS_URL = "https://unpkg.com/thebe@..."` into an inline script
    on every page; sphinx-thebe.js reads it only in initThebe(), which runs when a reader presses a
    Thebe launch button. `launch_buttons: thebe: false` in _config.yml means there is none, so an
    offline reader loses nothing. Sphinx 7.4 would write the constant twice on every page (it
    registers an inline script added after the builder exists once as filename None and again, in
    prepare_writing(), as filename ''; sphinx-doc/sphinx PR #13402), and the second `const` would
    throw "Identifier 'THEBE_JS_URL' has already been declared"; dossier.sphinx_page_fixes drops
    the repeat, so it appears once.
    """
    assert handouts.book_config()["launch_buttons"].get("thebe") is False
    for page in html_pages(student):
        where = page.relative_to(student)
        text = page.read_text(encoding="utf-8")
        urls = {url for script in inline_scripts(page) for url in re.findall(r"https?://[^\s\"'`]+", script)}
        assert urls <= {THEBE_JS_URL}, f"{where}: inline scripts name {sorted(urls - {THEBE_JS_URL})}"
        assert soup(page).select(".thebe-launch-button, .thebe-launch-button-container") == [], where
        assert f'src="{THEBE_JS_URL}"' not in text, f"{where}: loads thebe at page load"
        count = sum(script.strip().startswith(THEBE_CONFIG_SCRIPT) for script in inline_scripts(page))
        assert count in (0, 1), f"{where}: thebe's configuration script appears {count} times"


# --------------------------------------------------------------------------------------------
# Solutions: in the instructor edition only


def solution_blocks(markdown: str) -> dict[str, tuple[str, str]]:
    """label -> (exercise it solves, body) of every {solution} directive in MyST Markdown."""
    blocks = {}
    pattern = re.compile(r"^(`{3,}|:{3,})\{solution\}[ \t]*(\S*)[^\n]*\n((?::[^\n]*\n)*)(.*?)^\1[ \t]*$", re.M | re.S)
    for match in pattern.finditer(markdown):
        label = re.search(r":label:\s*(\S+)", match.group(3))
        assert label, f"a solution without :label: ({match.group(0)[:60]!r})"
        blocks[label.group(1)] = (match.group(2), match.group(4))
    return blocks


def distinctive_sentence(body: str, length: int = 60) -> str:
    """The first `length` characters of plain prose in a solution (outside code and tables).

    Prose is cut before the first character of inline markup (` { * [ _ ~ < $), so the fragment
    reads the same in the Markdown source and in the HTML.
    """
    in_code = False
    for line in body.splitlines():
        stripped = line.strip()
        if re.match(r"^(`{3,}|~{3,})", stripped):
            in_code = not in_code
            continue
        if in_code or not stripped or stripped[0] in "|#:>" or stripped.startswith("-->"):
            continue
        prose = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", stripped)
        prose = re.split(r"[`{*\[_~<$]", prose, maxsplit=1)[0]
        if len(prose) >= length:
            return prose[:length]
    raise AssertionError(f"no line of {length}+ characters of plain prose in: {body[:80]!r}")


def solution_fragments() -> dict[str, str]:
    return {label: distinctive_sentence(body)
            for label, (_exercise, body) in solution_blocks(SOLUTIONS_SOURCE.read_text(encoding="utf-8")).items()}


def searchable_text(path: Path) -> str:
    """A built file's text as a reader or a search would meet it, whitespace normalised."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        return normalise(BeautifulSoup(raw, "html.parser").get_text(" ") + " " + html.unescape(raw))
    if path.suffix == ".ipynb":
        cells = json.loads(raw).get("cells", [])
        return normalise(" ".join("".join(cell.get("source", "")) for cell in cells) + " " + raw)
    return normalise(raw)


def files_containing(root: Path, fragments: dict[str, str]) -> dict[str, list[str]]:
    """label -> files under `root` whose text holds that label's fragment."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".ipynb", ".md", ".txt", ".js", ".json", ".py"}:
            continue
        if "_vendor" in path.parts or "_static" in path.parts:  # the theme's and Leaflet's own files
            continue
        text = searchable_text(path)
        for label, fragment in fragments.items():
            if fragment in text:
                found.setdefault(label, []).append(str(path.relative_to(root)))
    return found


def test_solutions_source_has_a_distinctive_sentence_for_each_solution():
    fragments = solution_fragments()
    assert len(fragments) >= 8, f"only {len(fragments)} solutions found in {SOLUTIONS_SOURCE}"
    assert all(len(fragment) == 60 for fragment in fragments.values())
    assert len(set(fragments.values())) == len(fragments), "two solutions open with the same words"


def test_student_edition_holds_no_solution(student):
    with_solution_class = [
        str(page.relative_to(student)) for page in html_pages(student)
        if soup(page).select(".solution") or soup(page).find(id=re.compile(r"^sol-"))
    ]
    assert with_solution_class == []
    instructor_files = [str(p.relative_to(student)) for p in student.rglob("*") if "instructor" in p.parts]
    assert instructor_files == []
    index = (student / "searchindex.js").read_text(encoding="utf-8")
    docnames = json.loads(re.search(r'"docnames":\s*(\[[^\]]*\])', index).group(1))
    assert [name for name in docnames if name.startswith("book/instructor")] == []
    assert re.findall(r"\bsol-[\w-]+", index) == []
    assert files_containing(student, solution_fragments()) == {}


def test_the_solution_search_finds_a_planted_solution(tmp_path):
    label, fragment = next(iter(solution_fragments().items()))
    (tmp_path / "_sources").mkdir()
    first, rest = fragment.split(" ", 1)  # HTML may wrap a line anywhere between two words
    (tmp_path / "page.html").write_text(f"<p><b>{html.escape(first)}</b>\n  {html.escape(rest)} and more</p>")
    (tmp_path / "_sources" / "page.ipynb").write_text(json.dumps({"cells": [{"source": [fragment]}]}))
    assert files_containing(tmp_path, {label: fragment}) == {label: ["_sources/page.ipynb", "page.html"]}


def test_instructor_edition_holds_every_solution_and_the_guide(instructor, student):
    solutions_page = instructor / "book" / "instructor" / "solutions.html"
    assert solutions_page.is_file(), "book/instructor/solutions.html was not built"
    assert (instructor / "book" / "instructor" / "guide.html").is_file(), "book/instructor/guide.html was not built"
    ids = ids_of(solutions_page)
    text = searchable_text(solutions_page)
    for label, fragment in solution_fragments().items():
        assert label in ids, f"{label}: no such id on book/instructor/solutions.html"
        assert fragment in text, f"{label}: {fragment!r} is not on book/instructor/solutions.html"
    exercises = {element["id"] for page in html_pages(student) for element in soup(page).select(".exercise[id]")}
    solved = {exercise for exercise, _body in solution_blocks(SOLUTIONS_SOURCE.read_text(encoding="utf-8")).values()}
    assert exercises, "no exercise in the student edition"
    assert sorted(exercises - solved) == [], "exercises of the student edition without a solution"


# --------------------------------------------------------------------------------------------
# Quotations of the article are verbatim


def output_texts(cell: dict) -> list[tuple[str, str]]:
    """(kind, text) of what a code cell shows: Markdown, HTML (as text) and printed output."""
    texts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/markdown" in data:
            texts.append(("markdown output", "".join(data["text/markdown"])))
        if "text/html" in data:
            texts.append(("html output", html.unescape(re.sub(r"<[^>]*>", "", "".join(data["text/html"])))))
        if "text" in output:
            texts.append(("printed output", "".join(output["text"])))
    return texts


def book_source_texts() -> list[tuple[str, str]]:
    """(where, text) of the book's prose: notebook markdown cells and the outputs of code cells
    (passages and notes made from the data), Markdown pages, annotations, the glossary."""
    texts = []
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        for number, cell in enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"]):
            where = f"{notebook.relative_to(ROOT)} cell {number}"
            if cell["cell_type"] == "markdown":
                texts.append((where, "".join(cell["source"])))
            elif cell["cell_type"] == "code":
                texts.extend((f"{where} {kind}", text) for kind, text in output_texts(cell))
    pages = sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "book" / "instructor").glob("*.md"))
    for path in [*pages, ROOT / "data" / "annotations.yml", ROOT / "data" / "glossary.yml"]:
        texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return texts


def test_every_curly_quotation_in_the_book_is_the_articles_words():
    texts = book_source_texts()
    assert any("“" in text for _where, text in texts), "no curly quotation found: is the source list right?"
    assert misquotations(texts) == []


def test_the_quotation_check_catches_an_invented_quotation():
    source = article_text()
    texts = [
        ("genuine", "The author calls it “a strategic victory for Pakistan”, across\n a line break."),
        ("subheading", "The last section, “The future of relationships”."),
        ("invented", "The author says “Pakistan has won the war”."),
        ("straight apostrophe", "The article speaks of “Tehreek-e Taliban Pakistan's activity”."),
        ("unpaired", "An opening “ with no end."),
    ]
    assert misquotations(texts, source) == [
        "invented: “Pakistan has won the war” is not in the article",
        "straight apostrophe: “Tehreek-e Taliban Pakistan's activity” is not in the article",
        "unpaired: unpaired curly double quote",
    ]


# --------------------------------------------------------------------------------------------
# Shape of the chapters


@pytest.mark.parametrize("chapter", config.theme_chapters())
def test_thematic_chapter_has_at_least_two_exercises(student, chapter):
    exercises = article_main(student / "book" / f"{chapter}.html").select(".exercise")
    assert len(exercises) >= 2, f"book/{chapter}.html has {len(exercises)} exercise(s)"


@pytest.mark.parametrize("docname", [d for d in notebook_docnames() if not is_reading_copy(d)])
def test_chapter_opens_with_learning_objectives_and_ends_with_summary_and_what_next(student, docname):
    """The first admonition is "Learning objectives" and it comes before the first section.

    A one-paragraph lead between the title and the objectives is allowed (the introduction, the
    article, the timeline and the data chapter have one).
    """
    main = article_main(student / f"{docname}.html")
    first_admonition = main.select_one(".admonition")
    assert first_admonition is not None, f"{docname}: no admonition"
    title = first_admonition.select_one(".admonition-title")
    assert title is not None and normalise(title.get_text()) == "Learning objectives", docname
    first_section = main.select_one("section section")
    assert first_section is not None, f"{docname}: no sections"
    order = list(main.descendants)
    assert order.index(first_admonition) < order.index(first_section), f"{docname}: objectives come after a section"
    headings = [normalise(h.get_text()).rstrip("#").strip() for h in main.select("section > h2")]
    assert "Summary" in headings, f"{docname}: no 'Summary' section ({headings})"
    assert "What next" in headings, f"{docname}: no 'What next' section ({headings})"
    assert headings.index("Summary") < headings.index("What next")


# --------------------------------------------------------------------------------------------
# Students do the reading


def test_the_reading_copy_comes_before_the_annotated_article_and_holds_the_text_only(student):
    docs = toc_docnames()
    assert docs.index("book/reading") == docs.index("book/article") - 1
    page = student / "book" / "reading.html"
    main = article_main(page)
    paragraphs = [normalise(div.p.get_text()) for div in main.select(".reading-paragraph")]
    assert paragraphs == [normalise(row["text"]) for row in paragraph_rows()]
    numbers = [normalise(span.get_text()) for span in main.select(".reading-number")]
    assert numbers == [f"¶{n}" for n in range(1, len(paragraph_rows()) + 1)]
    assert main.select_one(".reading-source a[href^='https://english.almayadeen.net/']") is not None
    # nothing of the annotated article: no notes, no blockquoted passages, no code shown
    assert main.select(".annotation-note, blockquote.article-passage, .cell_input") == []


def test_the_annotated_articles_notes_are_folded(student):
    main = article_main(student / "book" / "article.html")
    notes = main.select("details.annotation-note")
    assert len(notes) >= 2 * len(paragraph_rows()) - 2
    assert all(not note.has_attr("open") for note in notes)
    summaries = {normalise(note.summary.get_text()).split(" (")[0] for note in notes}
    assert summaries == {"Context", "Read critically"}


def visible_before(main, element) -> str:
    """Text of the page body before `element`, leaving out what is inside closed <details>."""
    texts = []
    for node in main.descendants:
        if node is element:
            break
        if isinstance(node, str) and not any(p.name == "details" and not p.has_attr("open") for p in node.parents):
            texts.append(str(node))
    return normalise(" ".join(texts))


@pytest.mark.parametrize("chapter", config.theme_chapters())
def test_no_critique_of_the_chapters_own_shows_above_its_first_exercise(student, chapter):
    main = article_main(student / "book" / f"{chapter}.html")
    first = main.select_one(".exercise")
    assert first is not None
    readings = main.select("details.our-reading")
    assert len(readings) == 1 and not readings[0].has_attr("open")
    order = list(main.descendants)
    assert order.index(readings[0]) > order.index(first)
    before = visible_before(main, first)
    body = normalise(readings[0].get_text())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if len(s) > 60]
    assert sentences
    assert [s for s in sentences if s[:60] in before] == [], "a sentence of Our reading shows above the first exercise"
    assert "Reading critically" not in [normalise(h.get_text()).rstrip("#") for h in main.select("h2")]


@pytest.mark.parametrize("edition_name", ["student", "instructor"])
def test_every_exercise_has_a_title(edition_name, student, instructor):
    root = student if edition_name == "student" else instructor
    for page in html_pages(root / "book"):
        for exercise in soup(page).select(".exercise"):
            title = normalise(exercise.select_one(".admonition-title").get_text())
            assert re.match(r"^Exercise \d+ \(.{6,}\)$", title), f"{page.name}: {title!r}"


def test_self_checks_are_on_their_pages_and_the_bank_only_in_the_instructor_edition(student, instructor):
    from dossier import quiz
    for question in quiz.all_questions():
        page = student / "book" / f"{question.chapter}.html"
        block = soup(page).find(id=f"quiz-{question.id}")
        assert block is not None, f"quiz-{question.id} not on {page.name}"
        assert len(block.select("details.dossier-quiz-option")) == len(question.options)
        assert not any(d.has_attr("open") for d in block.select("details"))
    assert not (student / "book" / "instructor").exists()
    bank = instructor / "book" / "instructor" / "question_bank.html"
    text = searchable_text(bank)
    assert "Question bank" in text
    for question in quiz.all_questions():
        assert normalise(f"{question.answer.text} (the answer)") in text
