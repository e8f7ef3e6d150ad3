"""The printed pack (`make handouts`, dossier.handouts), read back with pypdf.

The pack is printed once per test run, into a temporary folder, from the built books (`make test`
builds both editions first), by the project's own code with Debian's chromium: the tests check
what the code makes now, never a `_build/handouts/` left from an earlier run. Like the other tests
of the built books they fail, never skip, when a book or chromium is missing.

What they check:

* the pack is exactly the catalogue, every file a PDF, every page with its footer (the dossier's
  title, the article's source, the licence, "Page n of N"), every font embedded;
* the reading copy holds the 21 paragraphs verbatim, in order, numbered, with the source line, and
  nothing else (no prompt, no note, no question);
* the glossary cards hold every term of the glossary and every definition, one card each;
* no student PDF holds a solution (the distinctive sentence of each, as test_built_book.py finds
  them), the feedback of a self-check, or a sentence of a folded "Our reading"; the instructor
  PDFs hold every solution and every feedback;
* each exercise sheet holds its chapter's exercises and questions; the timeline holds every event;
  the student edition holds every chapter and the table of every map, and pictures of the maps;
* a chapter printed from the browser (the print block of book/_static/dossier.css) has no
  sidebar, keeps folded parts folded and prints the address of a link to another site;
* bad input (a book not built, a folder that cannot be written, no chromium, an unknown name)
  gives one line and a non-zero exit and writes nothing; a failed run leaves the last pack as it was;
* the Sphinx extension lists the pack, links only what exists and never publishes an instructor
  PDF in the student site.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DATA, INSTRUCTOR, ROOT, STUDENT, article_main, chromium_path, glossary_terms, html_pages, normalise, paragraph_rows, soup
from pypdf import PdfReader
from test_built_book import solution_fragments

from dossier import config, handouts, quiz
from dossier.sphinxext import handouts as sphinx_handouts

SCRIPT = ROOT / "scripts" / "make_handouts.py"
FRAGMENT = 60  # characters of a feedback or a sentence searched for


# --------------------------------------------------------------------------------------------
# The pack, printed once


class Pack:
    def __init__(self, root: Path, result: handouts.Result):
        self.root, self.result = root, result

    def path(self, edition: str, name: str) -> Path:
        return self.root / edition / f"{name}.pdf"

    def pdfs(self, edition: str) -> list[Path]:
        return [handout.path(self.root) for handout in handouts.catalogue(edition)]


@pytest.fixture(scope="module")
def pack(tmp_path_factory, student, instructor) -> Pack:
    chromium_path()  # fails, with what to do, when there is none
    out = tmp_path_factory.mktemp("handouts")
    return Pack(out, handouts.make(out, {"student": student, "instructor": instructor}))


@functools.lru_cache(maxsize=None)
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@functools.lru_cache(maxsize=None)
def page_text(path: Path, index: int) -> str:
    """One page's text, normalised. A line that ends in a hyphen or a dash right after a letter is
    joined to the next without a space: chromium breaks lines after them ("Taliban-|dominated",
    "Uzbekistan–|Afghanistan"), and the pack never hyphenates a word itself (hyphens: manual).
    A spaced dash ("a – b") keeps its spaces."""
    text = reader(path).pages[index].extract_text() or ""
    return normalise(re.sub(r"(?<=\w)([-–])\n(?=\w)", r"\1", text))


def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(page_text(path, index) for index in range(len(reader(path).pages)))


def sampled_pages(path: Path) -> list[int]:
    """Every page of a PDF, or for the long ones (a whole edition) the first, the last and every
    tenth: reading every page of them costs pypdf about 0.1 s a page."""
    count = len(reader(path).pages)
    return list(range(count)) if count <= 40 else sorted({0, count - 1, *range(0, count, 10)})


def pdf_text(path: Path) -> str:
    """The text of a PDF, every page, whitespace normalised (a printed line break is a space)."""
    return " ".join(page_texts(path))


def body_text(path: Path) -> str:
    """The text without the footers (the footer names the article, which would match anything);
    a sentence that runs over a page break reads as one (no double space where the footer was)."""
    return normalise(" ".join(strip_footer(text) for text in page_texts(path)))


def reading_copy_text(path: Path) -> str:
    """The reading copy's text without footers, nor the word over the ruled margin for notes,
    which closes every page's text (the margin is a fixed element, printed on every page)."""
    return " ".join(re.sub(r"\s*NOTES$", "", strip_footer(text).rstrip()) for text in page_texts(path))


def strip_footer(text: str) -> str:
    """A page's text without its footer, which chromium draws last."""
    start = text.rfind(f"{handouts.dossier_title()} · ")
    assert start >= 0, f"no footer on a page: {text[-200:]!r}"
    return text[:start]


def fragments_of(text: str, length: int = FRAGMENT) -> str:
    return normalise(text)[:length]


# --------------------------------------------------------------------------------------------
# The pack as a whole


def test_the_pack_is_the_catalogue_and_every_file_is_a_pdf(pack):
    written = sorted(str(p.relative_to(pack.root)) for p in pack.root.rglob("*.pdf"))
    expected = sorted(f"{h.edition}/{h.filename}" for h in handouts.catalogue())
    assert written == expected
    names = [h.name for h in handouts.catalogue()]
    assert len(names) == len(set(names))
    manifest = json.loads((pack.root / handouts.MANIFEST).read_text(encoding="utf-8"))
    for handout in handouts.catalogue():
        path = handout.path(pack.root)
        assert path.read_bytes()[:5] == b"%PDF-", path
        info = manifest["pdfs"][f"{handout.edition}/{handout.filename}"]
        assert info["pages"] == len(reader(path).pages) >= 1
        assert info["bytes"] == path.stat().st_size
    assert sorted(manifest["maps"]) == sorted(f"{spec.slug}.jpg" for spec in config.map_specs().values())
    assert list(pack.root.rglob(".*.tmp")) == []


def test_the_catalogue_has_a_sheet_for_every_chapter_with_work(student):
    """Every page of the student edition with exercises or self-checks has its exercise sheet."""
    with_work = {page.relative_to(student).with_suffix("").as_posix() for page in html_pages(student / "book")
                 if article_main(page).select(".exercise, .dossier-quiz")}
    sheets = {h.docname for h in handouts.catalogue("student") if h.kind == "exercises"}
    assert with_work and sheets == with_work


def test_every_page_has_the_footer(pack):
    title, source, licence = handouts.dossier_title(), normalise(handouts.source_text()), normalise(handouts.licence_text())
    assert "Al Mayadeen English" in source and "20 April 2023" in source and "©" in licence
    for handout in handouts.catalogue():
        path = handout.path(pack.root)
        count = len(reader(path).pages)
        for index in sampled_pages(path):
            text, where = page_text(path, index), f"{handout.edition}/{handout.filename} page {index + 1}"
            assert title in text, where
            assert source in text, where
            assert licence in text, where
            assert f"Page {index + 1} of {count}" in text, where


def embedded(font) -> bool:
    font = font.get_object()
    descriptors = [font.get("/FontDescriptor")]
    descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
    return any(d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
               for d in descriptors)


def test_every_font_is_embedded(pack):
    for handout in handouts.catalogue():
        path = handout.path(pack.root)
        fonts = {}
        for page in reader(path).pages:
            resources = page.get("/Resources")
            for name, font in (resources.get_object().get("/Font", {}) if resources else {}).items():
                fonts[str(font.get_object().get("/BaseFont"))] = font
        assert fonts, f"{path.name}: no fonts"
        assert [name for name, font in fonts.items() if not embedded(font)] == [], path.name


# --------------------------------------------------------------------------------------------
# The reading copy


def test_the_reading_copy_holds_every_paragraph_verbatim_in_order(pack):
    text = reading_copy_text(pack.path("student", "reading-copy"))
    position = 0
    for row in paragraph_rows():
        paragraph = normalise(row["text"])
        found = text.find(paragraph, position)
        assert found >= 0, f"¶{row['order']} is not verbatim, or not in order: {paragraph[:60]!r}"
        label = f"¶{row['order']}"
        assert text.rfind(label, position, found) >= 0, f"{label} is not printed before its paragraph"
        position = found + len(paragraph)


def printed_around_the_text(article: dict) -> list[str]:
    """What the article's page printed around its text: the byline, and under the text the
    disclaimer and the author's description (the reading prompts ask about both)."""
    from dossier import reading

    authors = ", ".join(article["authors"])
    return [f"{authors} · Source: {article['source']} · {reading.printed_date(article)}",
            "Printed under the article on its page:", normalise(article["disclaimer"]), authors,
            normalise(article["author_bio"])]


def test_the_reading_copy_prints_the_byline_the_disclaimer_and_the_authors_description(pack):
    article = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    text = reading_copy_text(pack.path("student", "reading-copy"))
    byline, note, disclaimer, _authors, bio = printed_around_the_text(article)
    assert text.index(byline) < text.index("¶1 ")
    assert text.rindex(normalise(paragraph_rows()[-1]["text"])) < text.index(note) < text.index(disclaimer) < text.index(bio)


def test_the_reading_copy_holds_nothing_but_the_article_and_its_source(pack):
    """Take away the article (title, subheading, numbered paragraphs, and what its page printed
    around them), the source line and the word over the ruled margin: nothing may be left."""
    article = json.loads((DATA / "article.json").read_text(encoding="utf-8"))
    text = reading_copy_text(pack.path("student", "reading-copy"))
    pieces = [normalise(article["title"])] + [normalise(row["section"]) for row in paragraph_rows() if row["section"]]
    pieces += printed_around_the_text(article)
    for row in paragraph_rows():
        pieces += [f"¶{row['order']}", normalise(row["text"])]
    bonesh = next(iter(article["authors"]))
    source = re.search(rf"Source\. {re.escape(bonesh)}.*?Online at \S+", text)
    assert source, "no source line"
    assert "english.almayadeen.net" in source.group(0)
    leftover = text.replace(source.group(0), " ")
    for piece in sorted(set(pieces), key=len, reverse=True):
        leftover = leftover.replace(piece, " ", 1 if piece.startswith("¶") else -1)
    assert normalise(leftover) == "", f"text other than the article on the reading copy: {normalise(leftover)[:200]!r}"


def test_the_reading_copy_has_no_prompt_note_or_question(pack):
    text = body_text(pack.path("student", "reading-copy"))
    prompts = yaml.safe_load((DATA / "prompts.yml").read_text(encoding="utf-8"))
    for stage in prompts.values():
        for prompt in stage:
            assert fragments_of(prompt["prompt"], 40) not in text, prompt["id"]
    notes = yaml.safe_load((DATA / "annotations.yml").read_text(encoding="utf-8"))
    for pid, note in notes.items():
        for key in ("context", "read_critically"):
            if note.get(key):
                plain = re.split(r"[{`\[]", normalise(note[key]))[0][:40]
                assert len(plain) < 15 or plain not in text, f"{pid} {key}"
    for question in quiz.all_questions():
        assert fragments_of(question.prompt, 40) not in text, question.id
    assert "Pause." not in text and "Before you read" not in text


# --------------------------------------------------------------------------------------------
# Glossary cards


def test_the_glossary_cards_hold_every_term_and_every_definition(pack, student):
    text = body_text(pack.path("student", "glossary-cards"))
    terms = glossary_terms()
    assert len(terms) >= 20
    missing = sorted(term for term in terms if normalise(term) not in text)
    assert missing == []
    cards = handouts.glossary_cards(handouts.Site("student", student))
    assert sorted(name for card in cards for name in card.names) == sorted(terms)
    numbers = [int(n) for n in re.findall(r"Definition (\d+)", text, flags=re.I)]
    assert sorted(numbers) == list(range(1, len(cards) + 1))
    for card in cards:
        assert normalise(card.definition) in text, card.names[0]
        assert all(name.casefold() not in card.definition.casefold() for name in card.names), card.names[0]
    key = body_text(pack.path("instructor", "glossary-cards-key"))
    for card in cards:
        assert f"{normalise(card.names[0])} {card.number} " in key


def test_the_definition_cards_come_in_a_stated_fixed_order(student):
    cards = handouts.glossary_cards(handouts.Site("student", student))
    by_number = [card.names for card in sorted(cards, key=lambda card: card.number)]
    assert by_number == sorted(by_number, key=handouts.card_order)
    assert by_number != [card.names for card in cards], "the definitions are in the terms' order"


# --------------------------------------------------------------------------------------------
# No answer in a student PDF; every answer in the instructor's


def feedback_fragments() -> dict[str, str]:
    """The feedback on every option, as a reader meets it: the verdict, then the start of the
    reasons (the reasons alone may repeat a sentence of the chapter, which is not a leak)."""
    return {f"{q.id} option {n}": fragments_of(f"{'Right.' if option.correct else 'Not this one.'} {option.feedback}", 80)
            for q in quiz.all_questions() for n, option in enumerate(q.options, start=1)}


@functools.lru_cache(maxsize=None)
def our_reading_sentences() -> tuple[str, ...]:
    """Sentences of the folded 'Our reading' parts of the student edition."""
    found = []
    for page in html_pages(STUDENT / "book"):
        for details in soup(page).select("details.our-reading"):
            body = normalise(details.select_one(".sd-summary-content").get_text(" "))
            found += [s[:FRAGMENT] for s in re.split(r"(?<=[.!?])\s+", body) if len(s) > FRAGMENT and "[" not in s[:FRAGMENT]]
    return tuple(found)


def test_no_student_pdf_holds_a_solution_feedback_or_folded_reading(pack):
    solutions = solution_fragments()
    feedback = feedback_fragments()
    readings = our_reading_sentences()
    assert len(solutions) >= 8 and len(feedback) >= 100 and len(readings) >= 10
    for path in pack.pdfs("student"):
        text = body_text(path)
        assert [label for label, fragment in solutions.items() if fragment in text] == [], f"{path.name}: solutions"
        assert [label for label, fragment in feedback.items() if fragment in text] == [], f"{path.name}: feedback"
        assert [sentence for sentence in readings if sentence in text] == [], f"{path.name}: Our reading"
        assert "(the answer)" not in text and "Not this one." not in text, path.name


def test_no_student_pdf_holds_our_verdict_on_a_forecast(pack):
    from test_forecasts import reasoning_fragments

    fragments = reasoning_fragments()
    assert fragments
    for path in pack.pdfs("student"):
        text = body_text(path)
        assert [f for f in fragments if f in text] == [], f"{path.name}: a verdict of data/forecasts.yml"


def test_the_instructor_pdfs_hold_every_solution_and_every_answer(pack):
    solutions = solution_fragments()
    feedback = feedback_fragments()
    text = body_text(pack.path("instructor", "solutions"))
    assert [label for label, fragment in solutions.items() if fragment not in text] == []
    bank = body_text(pack.path("instructor", "question-bank"))
    assert [label for label, fragment in feedback.items() if fragment not in bank] == []
    for question in quiz.all_questions():
        assert normalise(f"{question.answer.text} (the answer)")[:FRAGMENT] in bank, question.id



def test_the_instructor_edition_prints_everything_open(instructor, student):
    """Checked on the document that is printed (reading its 170-odd pages back would cost pypdf
    about 20 s): every solution, every feedback and every 'Our reading' is there, unfolded."""
    sites = {"student": handouts.Site("student", student), "instructor": handouts.Site("instructor", instructor)}
    handout = next(h for h in handouts.catalogue("instructor") if h.kind == "edition")
    tree = BeautifulSoup(handouts.compose(handout, sites).body, "html.parser")
    assert all(details.has_attr("open") for details in tree.find_all("details"))
    text = normalise(tree.get_text(" "))
    assert [label for label, fragment in solution_fragments().items() if fragment not in text] == []
    assert [label for label, fragment in feedback_fragments().items() if fragment not in text] == []
    assert [sentence for sentence in our_reading_sentences() if sentence not in text] == []


def test_the_final_task_and_rubric(pack):
    text = body_text(pack.path("instructor", "final-task-and-rubric"))
    guide = soup(INSTRUCTOR / "book" / "instructor" / "guide.html")
    rubric = next(t for t in guide.select("table") if normalise(t.select_one("thead th").get_text()) == "Criterion")
    criteria = [normalise(row.select_one("td").get_text()) for row in rubric.select("tbody tr")]
    assert len(criteria) >= 5 and all(criterion in text for criterion in criteria)
    assert "Task (600–800 words" in text
    assert "Session 1" not in text  # the section only, not the whole guide


# --------------------------------------------------------------------------------------------
# The other sheets


@pytest.mark.parametrize("handout", [h for h in handouts.catalogue("student") if h.kind == "exercises"], ids=lambda h: h.name)
def test_an_exercise_sheet_holds_its_chapter_s_work_without_answers(pack, handout):
    text = body_text(handout.path(pack.root))
    chapter = handout.docname.rsplit("/", 1)[-1]
    main = article_main(STUDENT / f"{handout.docname}.html")
    for exercise in main.select(".exercise"):
        title = normalise(exercise.select_one(".admonition-title").get_text())
        assert title in text, f"{handout.filename}: {title}"
    for question in quiz.questions(chapter).items:
        assert fragments_of(question.prompt) in text, question.id
        for option in question.options:
            assert fragments_of(option.text, 40) in text, question.id
    assert "Name" in text and "Date" in text
    if handouts.is_reading_copy(handout.docname):
        prompts = yaml.safe_load((DATA / "prompts.yml").read_text(encoding="utf-8"))
        assert all(fragments_of(p["prompt"], 40) in text for stage in prompts.values() for p in stage)
    # A paper class can do the corroboration exercise: the sheet carries the chapter's excerpts.
    rows = [row for row in csv.DictReader((DATA / "corroboration.csv").open(encoding="utf-8")) if row["chapter"] == chapter]
    for row in rows:
        excerpt = row["excerpt"].replace("“", "‘").replace("”", "’")
        assert fragments_of(excerpt, 40) in text, f"{handout.filename}: excerpt of {row['source']}"
    assert ("Documents for the corroboration exercise" in text) == bool(rows)


def test_the_timeline_holds_every_event_and_its_sources(pack):
    text = body_text(pack.path("student", "timeline"))
    with (DATA / "timeline.csv").open(encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert events and [row["event"] for row in events if normalise(row["event"]) not in text] == []
    assert "Sources cited on this sheet" in text
    assert len(re.findall(r"https?://", text)) >= len({row["source"] for row in events}) * 0.9


def test_the_annotated_article_puts_the_notes_after_the_article(pack):
    text = body_text(pack.path("student", "annotated-article"))
    last = normalise(paragraph_rows()[-1]["text"])
    end_of_article = text.find(last)
    assert end_of_article >= 0
    position = 0
    for row in paragraph_rows():
        position = text.find(normalise(row["text"]), position)
        assert position >= 0, f"¶{row['order']} missing or out of order"
    notes = article_main(STUDENT / "book" / "article.html").select("details.annotation-note")
    assert len(notes) >= 2 * len(paragraph_rows()) - 2
    for note in notes:
        first = normalise(note.select_one(".sd-summary-content").get_text())[:40]
        assert text.find(first, end_of_article) > end_of_article, f"{normalise(note.summary.get_text())}: not at the back"


def test_the_student_edition_holds_every_chapter_and_every_map(pack):
    text = body_text(pack.path("student", "student-edition"))
    for chapter in config.chapters():
        if chapter.docname == handouts.PACK_PAGE:
            continue
        title = normalise(article_main(STUDENT / f"{chapter.docname}.html").find("h1").get_text()).rstrip("#")
        assert title in text, chapter.docname
    for spec in config.map_specs().values():
        figure = soup(STUDENT / "book" / f"{spec.chapter}.html").find(id=spec.slug)
        for row in figure.select("table tbody tr"):
            assert normalise(row.td.get_text()) in text, f"{spec.id}: {row.td.get_text()}"
    pictures = sum(len(page.images) for page in reader(pack.path("student", "student-edition")).pages)
    assert pictures >= len(config.map_specs()) + 1  # the maps and at least the timeline's chart
    assert "folded: open it in the book after the exercises" in text


# --------------------------------------------------------------------------------------------
# Printing a chapter from the browser


def print_page(browser, url: str, script: str | None = None) -> str:
    """The text of `url` printed to PDF from the browser; `script`, if given, runs in the page first."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        if script is not None:
            page.evaluate(script)
        return normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    finally:
        context.close()


def test_a_chapter_prints_clean_from_the_browser(browser, student, student_url):
    text = print_page(browser, student_url + "book/ttp.html")
    assert "The TTP: militancy across the border" in text
    for chrome in ("Skip to main content", "Print and handouts", "Search", "Ctrl+K"):
        assert chrome not in text, f"{chrome!r} printed"
    assert [s for s in our_reading_sentences() if s in text] == []
    assert [label for label, fragment in feedback_fragments().items() if fragment in text] == []
    exercise = normalise(article_main(student / "book" / "ttp.html").select_one(".exercise .admonition-title").get_text())
    assert exercise in text
    maps = print_page(browser, student_url + "book/durand_line.html")
    assert "What the map shows (text alternative)" in maps and "Torkham border crossing" in maps


def test_a_link_to_another_site_prints_its_address(browser, student_url):
    text = print_page(browser, student_url + "book/glossary.html",
                      """() => { const a = document.createElement('a'); a.href = 'https://example.org/page';
                                 a.textContent = 'a page elsewhere'; document.querySelector('article.bd-article').append(a); }""")
    assert "a page elsewhere <https://example.org/page>" in text


def test_the_print_rules_are_one_block_at_the_end_of_the_stylesheet():
    css = (ROOT / "book" / "_static" / "dossier.css").read_text(encoding="utf-8")
    marker = css.rindex("/*", 0, css.index("PRINT (keep at the end)"))
    assert "@media print" not in css[:marker]
    block = css[marker:]
    assert block.count("@media print") == 1
    rules = re.sub(r"/\*.*?\*/", "", block, flags=re.S).strip()
    assert rules.startswith("@media not print")
    assert set(re.findall(r"^@[\w-]+", rules, flags=re.M)) <= {"@media", "@page"}


# --------------------------------------------------------------------------------------------
# Bad input: one line, a non-zero exit, nothing written


def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, str(SCRIPT), "--quiet", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("make_handouts: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_a_book_not_built_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "pack"
    result = run_script("--student", str(tmp_path / "nowhere"), "--out", str(out))
    assert_one_line_error(result, "student edition is not built", "make book")
    assert not out.exists()


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, student, instructor):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_script("--out", str(blocker / "pack"))
    assert_one_line_error(result, "cannot write to")
    assert blocker.read_text() == "not a folder"


def test_no_chromium_and_an_unknown_name_are_one_line(tmp_path, student, instructor):
    assert_one_line_error(run_script("--out", str(tmp_path / "a"), env={"CHROMIUM": str(tmp_path / "no-chromium")}),
                          "chromium not found")
    assert_one_line_error(run_script("--out", str(tmp_path / "b"), "--only", "no-such-sheet"), "unknown handout")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_the_pack_prints_beside_a_running_browser_session(browser, tmp_path, student, instructor):
    """With a Playwright session (an asyncio loop) already running in this thread, as in Jupyter or
    in this suite beside the browser tests, make() prints in a thread of its own instead of failing
    ("Playwright Sync API inside the asyncio loop")."""
    import asyncio

    assert browser.is_connected()
    asyncio.get_running_loop()  # the session's loop: raises RuntimeError if there is none
    result = handouts.make(tmp_path, {"student": student, "instructor": instructor}, only=["timeline"])
    assert [p.name for p in result.written] == ["timeline.pdf", "manifest.json"]
    assert (tmp_path / "student" / "timeline.pdf").read_bytes().startswith(b"%PDF-")


def test_a_failure_while_printing_leaves_the_last_pack_as_it_was(tmp_path, monkeypatch, student, instructor):
    old = tmp_path / "student" / "reading-copy.pdf"
    old.parent.mkdir()
    old.write_bytes(b"%PDF- the last pack")

    class FailingPrinter:
        def __init__(self, sites):
            self.calls = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def map_pictures(self, edition, docnames):
            return {}

        def pdf(self, sheet, images=None):
            self.calls += 1
            if self.calls == 3:
                raise handouts.HandoutError("the printer jammed")
            return handouts_minimal_pdf()

    monkeypatch.setattr(handouts.pack, "Printer", FailingPrinter)  # make() prints with the Printer of dossier.handouts.pack
    with pytest.raises(handouts.HandoutError, match="jammed"):
        handouts.make(tmp_path, {"student": student, "instructor": instructor},
                      only=["reading-copy", "annotated-article", "timeline"])
    assert old.read_bytes() == b"%PDF- the last pack"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["reading-copy.pdf"]


def handouts_minimal_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# The book lists and publishes the pack (dossier.sphinxext.handouts)


def fake_pack(root: Path, names: list[tuple[str, str]]) -> Path:
    for edition, name in names:
        path = root / edition / f"{name}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(handouts_minimal_pdf())
    (root / handouts.MAPS_DIR).mkdir(exist_ok=True)
    (root / handouts.MAPS_DIR / "map-durand-line.jpg").write_bytes(b"\xff\xd8 picture")
    return root


def test_the_student_site_never_publishes_an_instructor_pdf(tmp_path):
    pack = fake_pack(tmp_path / "pack", [("student", "reading-copy"), ("instructor", "solutions")])
    site = tmp_path / "site"
    (site / "handouts" / "instructor").mkdir(parents=True)
    (site / "handouts" / "instructor" / "old.pdf").write_bytes(b"left over")
    copied = handouts.publish(pack, site, "student")
    assert sorted(p.relative_to(site).as_posix() for p in copied) == ["handouts/maps/map-durand-line.jpg",
                                                                     "handouts/student/reading-copy.pdf"]
    assert not (site / "handouts" / "instructor").exists()
    copied = handouts.publish(pack, tmp_path / "teacher", "instructor")
    assert "handouts/instructor/solutions.pdf" in {p.relative_to(tmp_path / "teacher").as_posix() for p in copied}


def test_the_list_links_only_what_exists(tmp_path):
    pack = fake_pack(tmp_path, [("student", "reading-copy")])
    groups = sphinx_handouts.pack_items("student", pack, "book/handouts.html")
    assert [caption for caption, _items in groups] == [""]
    items = {item["handout"].name: item for item in groups[0][1]}
    assert list(items) == [h.name for h in handouts.catalogue("student")]
    assert items["reading-copy"]["href"] == "../handouts/student/reading-copy.pdf"
    assert [name for name, item in items.items() if item["href"]] == ["reading-copy"]
    teacher = sphinx_handouts.pack_items("instructor", pack, "book/instructor/guide.html")
    assert [caption for caption, _ in teacher] == ["For students", "For the instructor"]
    assert teacher[0][1][0]["href"] == "../../handouts/student/reading-copy.pdf"


def test_the_pack_s_fingerprint_follows_its_files(tmp_path):
    pack = fake_pack(tmp_path, [("student", "reading-copy")])
    before = handouts.fingerprint(pack, "student")
    (pack / "instructor").mkdir()
    (pack / "instructor" / "solutions.pdf").write_bytes(b"%PDF-")
    assert handouts.fingerprint(pack, "student") == before  # not published in the student site
    assert handouts.fingerprint(pack, "instructor") != before
    (pack / "student" / "timeline.pdf").write_bytes(b"%PDF-")
    assert handouts.fingerprint(pack, "student") != before


def test_a_map_gets_its_picture_for_print_after_the_live_map():
    body = ('<p>x</p><figure class="dossier-map" id="map-durand-line"><div><span>needs JS</span>'
            '<iframe srcdoc="&lt;/iframe&gt;"></iframe></div><div class="dossier-map-legend"></div></figure>'
            '<figure class="dossier-map" id="map-refugees"><div><iframe></iframe></div></figure>')
    out = sphinx_handouts.with_map_pictures(body, {"map-durand-line"}, "book/durand_line.html")
    assert out.count("dossier-map-print") == 1
    assert ('</iframe></div><img class="dossier-map-print" src="../handouts/maps/map-durand-line.jpg" loading="lazy"'
            in out)
    assert sphinx_handouts.with_map_pictures(body, set(), "book/x.html") == body


def test_the_pack_is_listed_in_the_student_reference_part_and_the_guide_s_materials():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    reference = next(part for part in toc["parts"] if part["caption"] == "Reference")
    assert {"file": handouts.PACK_PAGE} in reference["chapters"]
    assert "```{handouts} student\n```" in (ROOT / f"{handouts.PACK_PAGE}.md").read_text(encoding="utf-8")
    guide = (ROOT / "book" / "instructor" / "guide.md").read_text(encoding="utf-8")
    materials = guide.split("## Materials", 1)[1].split("\n## ", 1)[0]
    assert "```{handouts} instructor\n```" in materials


def test_the_built_pages_list_the_pack(student, instructor):
    """Whether or not `make handouts` has run, each edition lists every PDF meant for it, and
    links only to files that exist (test_built_book.py checks every local link)."""
    page = article_main(student / f"{handouts.PACK_PAGE}.html")
    text = normalise(page.get_text(" "))
    assert all(h.title in text for h in handouts.catalogue("student"))
    assert [h.title for h in handouts.catalogue("instructor") if h.title in text] == []
    guide = normalise(article_main(instructor / "book" / "instructor" / "guide.html").get_text(" "))
    assert all(h.title in guide for h in handouts.catalogue())
    assert not list((student / handouts.PUBLISHED_DIR).glob("instructor/*"))
