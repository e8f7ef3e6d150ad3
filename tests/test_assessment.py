"""The assessment kit: example answers and a marking guide for instructors, the rubric for students.

* `book/instructor/assessment.md` (instructor edition only) gives, for the short written task of
  Session 4 and for each theme chapter's main written exercise, three example answers labelled
  secure, developing and beginning, each with a note on what lifts it to the next level; and a
  marking guide for the short written tasks. Each example is an admonition named
  `example-<task>-<level>`; its note opens "What lifts it to <next level>".
* `book/judged.md`, "How your work is judged" (student edition), gives the rubric in students'
  words: plain English (Flesch–Kincaid grade 9 or below, `dossier.readability.grade`, which is
  textstat's, measured on the text of the built page, block by block) and no answer to any exercise.

The example answers quote the article only verbatim in curly double quotation marks, and the
documents only in single ones, each quotation a verbatim part of a document or record the book
shows (data/corroboration.csv, data/timeline.csv).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from docutils.nodes import make_id
from conftest import DATA, ROOT, article_main, misquotations, normalise, notebook_cells, soup
from test_built_book import files_containing

from dossier import config, readability

ASSESSMENT = ROOT / "book" / "instructor" / "assessment.md"
JUDGED = ROOT / "book" / "judged.md"
ASSESSMENT_DOC = "book/instructor/assessment"
JUDGED_DOC = "book/judged"

LEVELS = ("secure", "developing", "beginning")
#: The level each note lifts an example to: the top level's note says what reaches the rubric's
#: top band ("excellent", 30 or more in the guide).
NEXT_LEVEL = {"secure": "excellent", "developing": "secure", "beginning": "developing"}
FINAL_TASK = "final-task"
GRADE_LIMIT = readability.GRADE_LIMIT  # the book's limit for plain English (In brief, glossary)

EXAMPLE = re.compile(r"^(?P<fence>:{3,})\{admonition\}(?P<title>[^\n]*)\n(?P<options>(?::[^\n]*\n)*)"
                     r"(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
EXAMPLE_NAME = re.compile(r"^example-(?P<task>.+)-(?P<level>secure|developing|beginning)$")
LIFT = re.compile(r"^\*\*What lifts it to (?P<next>\w+)\.\*\*", re.M)
# A quotation in single curly quotes: from ‘ to the ’ that is not an apostrophe inside a word.
SINGLE_QUOTATION = re.compile(r"‘(.+?)’(?![A-Za-z])", re.S)


def main_written_exercise(chapter: str) -> str:
    """The label of a theme chapter's main written exercise: its corroboration exercise, except in
    the outlook chapter, whose main written task is scoring the forecasts."""
    return "ex-outlook-scorecard" if chapter == "outlook" else f"ex-{chapter}-corroborate"


def expected_tasks() -> list[str]:
    return [FINAL_TASK] + [main_written_exercise(chapter) for chapter in config.theme_chapters()]


def examples(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(task, level) -> (answer, note) of every example on the page. The answer is the body
    before the "What lifts it" note; the note runs to the end of the admonition."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for match in EXAMPLE.finditer(text):
        options = dict(re.findall(r"^:([a-z-]+):\s*(.*)$", match["options"], re.M))
        if "example-answer" not in options.get("class", "").split():
            continue
        name = EXAMPLE_NAME.match(options.get("name", ""))
        assert name, f"an example answer without a name example-<task>-<level>: {match['title'].strip()!r}"
        task = name["task"] if name["task"] == FINAL_TASK else f"ex-{name['task']}"
        key = (task, name["level"])
        assert key not in found, f"two examples named {options['name']}"
        body = match["body"]
        lift = LIFT.search(body)
        found[key] = (body[:lift.start()].strip(), body[lift.start():].strip()) if lift else (body.strip(), "")
    return found


def plain(myst: str) -> str:
    """Words of a MyST fragment without emphasis marks and roles' syntax, one line."""
    text = re.sub(r"\{[a-z:]+\}`([^`]*?)(?:\s*<[^`>]*>)?`", r"\1", myst)
    return normalise(text.replace("**", "").replace("*", ""))


def sentences(text: str, shortest: int = 50) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", plain(text)) if len(s) >= shortest]


@pytest.fixture(scope="module")
def page_examples():
    return examples(ASSESSMENT.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# Three example answers for every main written exercise and the final task


def missing_examples(found) -> list[str]:
    """What the page lacks (or has beyond) an example per level for each expected task."""
    tasks = expected_tasks()
    problems = [f"{task}: no {level} example" for task in tasks for level in LEVELS if (task, level) not in found]
    problems += sorted({f"{task}: examples for a task that is not a main written exercise"
                        for task, _level in found if task not in tasks})
    return problems


def test_every_main_written_exercise_and_the_final_task_has_three_examples(page_examples):
    assert missing_examples(page_examples) == []
    assert len(page_examples) == len(LEVELS) * len(expected_tasks()) == 18


def test_each_main_written_exercise_is_an_exercise_of_its_chapter():
    for chapter in config.theme_chapters():
        label = main_written_exercise(chapter)
        sources = "".join("".join(cell["source"]) for cell in notebook_cells(chapter) if cell["cell_type"] == "markdown")
        assert f":label: {label}\n" in sources, f"book/{chapter}.ipynb has no exercise {label}"


@pytest.mark.parametrize("level", LEVELS)
def test_each_example_has_an_answer_and_a_note_on_what_lifts_it(page_examples, level):
    for (task, example_level), (answer, note) in page_examples.items():
        if example_level != level:
            continue
        assert note, f"example-{task}-{level}: no 'What lifts it' note"
        assert LIFT.match(note)["next"] == NEXT_LEVEL[level], f"example-{task}-{level}: lifts it to the wrong level"
        assert len(plain(note).split()) >= 25, f"example-{task}-{level}: the note is too short to help"
        assert len(plain(answer).split()) >= 60, f"example-{task}-{level}: the answer is too short to be realistic"


def test_beginning_answers_are_shorter_than_secure_ones(page_examples):
    for task in expected_tasks():
        words = {level: len(plain(page_examples[(task, level)][0]).split()) for level in LEVELS}
        assert words["beginning"] < words["secure"], f"{task}: {words}"


def stated_length(task: str) -> int | None:
    """The words a task asks for ("about N words"), from the exercise in its chapter or, for the
    final task, from the guide; None when it states no length (the scorecard asks for sentences)."""
    if task == FINAL_TASK:
        text = (ROOT / "book" / "instructor" / "guide.md").read_text(encoding="utf-8")
        match = re.search(r"\*\*Short written task \(\d+ minutes, about (\d+) words\)\.\*\*", text)
        assert match, "the guide states no length for the short written task"
        return int(match[1])
    chapter = task.removeprefix("ex-").rsplit("-", 1)[0]
    markdown = "\n".join("".join(cell["source"]) for cell in notebook_cells(chapter) if cell["cell_type"] == "markdown")
    exercise = re.search(rf"^```{{exercise}}[^\n]*\n:label: {re.escape(task)}\n(.*?)^```", markdown, re.M | re.S)
    assert exercise, f"book/{chapter}.ipynb: no exercise {task}"
    length = re.search(r"about (\d+) words", exercise[1])
    return int(length[1]) if length else None


def test_secure_answers_keep_near_the_length_the_task_asks_for(page_examples):
    stated = {task: stated_length(task) for task in expected_tasks()}
    assert sum(length is not None for length in stated.values()) >= 5, stated
    for task, length in stated.items():
        if length is None:
            continue
        words = len(plain(page_examples[(task, "secure")][0]).split())
        assert 0.8 * length <= words <= 1.3 * length, f"{task}: the secure example has {words} words; the task asks for about {length}"


def test_the_example_checks_find_a_missing_note_a_missing_level_and_a_name_used_twice():
    text = ASSESSMENT.read_text(encoding="utf-8")
    no_note = text.replace("**What lifts it to developing.** Start with a judgement", "Start with a judgement", 1)
    assert examples(no_note)[(FINAL_TASK, "beginning")][1] == ""
    block = next(m for m in EXAMPLE.finditer(text) if ":name: example-ttp-corroborate-beginning\n" in m["options"])
    assert missing_examples(examples(text.replace(block[0], ""))) == ["ex-ttp-corroborate: no beginning example"]
    twice = text.replace(":name: example-ttp-corroborate-beginning\n", ":name: example-ttp-corroborate-secure\n", 1)
    with pytest.raises(AssertionError, match="two examples named example-ttp-corroborate-secure"):
        examples(twice)


# --------------------------------------------------------------------------------------------
# Quotations


def test_curly_double_quotations_on_both_pages_are_the_articles_words(page_examples):
    texts = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in (ASSESSMENT, JUDGED)]
    assert misquotations(texts) == []
    quoting = [key for key, (answer, _note) in page_examples.items() if "“" in answer]
    assert len(quoting) >= 2 * len(expected_tasks()), "most example answers should quote the article"


def document_words() -> str:
    """Every document excerpt and record entry the book shows, quotation marks made plain."""
    parts = []
    with (DATA / "corroboration.csv").open(encoding="utf-8", newline="") as handle:
        parts += [row["excerpt"] for row in csv.DictReader(handle)]
    with (DATA / "timeline.csv").open(encoding="utf-8", newline="") as handle:
        parts += [row["event"] for row in csv.DictReader(handle)]
    return plain_quotes(" \n ".join(parts))


def plain_quotes(text: str) -> str:
    return normalise(text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})))


def unfound_single_quotations(texts: list[tuple[str, str]], source: str) -> list[str]:
    problems = []
    for where, text in texts:
        for match in SINGLE_QUOTATION.finditer(text):
            if plain_quotes(match[1]) not in source:
                problems.append(f"{where}: ‘{match[1]}’ is in no document or record entry")
    return problems


def test_example_answers_quote_documents_verbatim_in_single_quotation_marks(page_examples):
    source = document_words()
    answers = [(f"example-{task}-{level}", answer) for (task, level), (answer, _note) in page_examples.items()]
    assert sum(len(SINGLE_QUOTATION.findall(answer)) for _where, answer in answers) >= 20
    assert unfound_single_quotations(answers, source) == []
    assert [where for where, answer in answers if '"' in answer] == [], "straight double quotes in an example answer"


def test_the_document_quotation_check_catches_an_invented_quotation():
    source = document_words()
    texts = [("genuine", "The official blamed ‘unprovoked attacks by the Afghan Taliban forces’ that night."),
             ("apostrophe", "The ministry's words: ‘Pakistan’s sovereign domestic laws’ were not in the set."),
             ("invented", "The minister said ‘we will close every crossing for ever’.")]
    assert unfound_single_quotations(texts, source) == [
        "apostrophe: ‘Pakistan’s sovereign domestic laws’ is in no document or record entry",
        "invented: ‘we will close every crossing for ever’ is in no document or record entry",
    ]


# --------------------------------------------------------------------------------------------
# Which edition holds which page


def test_the_student_page_is_in_the_student_edition_and_the_kit_only_in_the_instructors(student, instructor):
    student_toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert f"- file: {JUDGED_DOC}\n" in student_toc
    assert ASSESSMENT_DOC not in student_toc
    assert f"- file: {ASSESSMENT_DOC}\n" in (ROOT / "_toc_instructor.yml").read_text(encoding="utf-8")
    for edition in (student, instructor):
        assert (edition / f"{JUDGED_DOC}.html").is_file(), f"{edition}: {JUDGED_DOC}.html was not built"
    assert (instructor / f"{ASSESSMENT_DOC}.html").is_file()
    assert not (student / f"{ASSESSMENT_DOC}.html").exists()
    assert "assessment" not in (student / "searchindex.js").read_text(encoding="utf-8").split('"docnames":', 1)[1].split("]", 1)[0]


def test_the_student_page_is_reachable_from_every_page_of_the_student_edition(student):
    for page in (student / "book" / "intro.html", student / "book" / "ttp.html"):
        links = {a.get("href", "") for a in soup(page).select("nav a")}
        assert "judged.html" in links, f"{page.name}: no link to judged.html in the navigation"


def test_the_guide_points_to_the_kit_and_the_student_page_beside_the_rubric(instructor):
    guide = instructor / "book" / "instructor" / "guide.html"
    main = article_main(guide)
    rubric = main.find(id="instructor-rubric")
    assert rubric is not None, "the guide has no target instructor-rubric"
    after = "".join(str(element) for element in rubric.find_all_next())
    assert 'href="assessment.html"' in after and 'href="../judged.html"' in after
    final = main.find(id="instructor-final-task")
    assert final is not None, "the guide has no target instructor-final-task"
    paragraph = final if final.name == "p" else (final.find_parent("p") or final.find_next("p"))
    assert 'href="assessment.html"' in str(paragraph)


def test_the_kit_links_each_exercise_and_shows_every_example(instructor, page_examples):
    page = instructor / f"{ASSESSMENT_DOC}.html"
    main = article_main(page)
    links = {a.get("href", "") for a in main.select("a")}
    for task in expected_tasks()[1:]:
        chapter = task.removeprefix("ex-").rsplit("-", 1)[0]
        assert f"../{chapter}.html#{task}" in links, f"no link to {task}"
    for task, level in page_examples:
        name = "example-final-task" if task == FINAL_TASK else f"example-{task.removeprefix('ex-')}"
        block = main.find(id=make_id(f"{name}-{level}"))  # as docutils writes a name as an id
        assert block is not None, f"{name}-{level} is not on the built page"
        assert f"What lifts it to {NEXT_LEVEL[level]}" in normalise(block.get_text(" "))


# --------------------------------------------------------------------------------------------
# The students' page: plain English, and no answers


def page_text_blocks(page: Path) -> list[str]:
    """The text a reader sees on a built page, one block (paragraph, list item, heading, table
    cell) at a time, each ending as a sentence (a list item's closing ';' counts as its end)."""
    blocks = []
    for element in article_main(page).find_all(["p", "li", "h1", "h2", "h3", "h4", "th", "td", "dt", "dd"]):
        if element.find(["p", "li", "table"]):  # its text is counted in its own blocks
            continue
        text = normalise(element.get_text(" ")).rstrip("#").strip().rstrip(";:").strip()
        if text:
            blocks.append(text if text[-1] in ".!?…" else text + ".")
    return blocks


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade as the book measures plain English (textstat, through dossier.readability)."""
    return readability.grade(text)


def test_the_student_page_reads_at_grade_nine_or_below(student):
    text = " ".join(page_text_blocks(student / f"{JUDGED_DOC}.html"))
    assert len(text.split()) > 600, "the page's text was not found"
    grade = reading_grade(text)
    assert grade <= GRADE_LIMIT, f"{JUDGED_DOC}: Flesch–Kincaid grade {grade:.1f} (at most {GRADE_LIMIT:g})"


def test_the_grade_tells_plain_english_from_dense_prose():
    plain_text = "Read the claim. Find a source. Say if the source agrees, and give its date."
    dense = ("A strong answer notices that the three press items rest on only two United Nations documents, so "
             "they are not three independent confirmations, and that every one of these documents is dated after "
             "the article's publication, which means they can support the claim in hindsight but cannot have been "
             "the author's evidence.")
    assert reading_grade(plain_text) <= GRADE_LIMIT < reading_grade(dense)


def test_the_student_page_gives_no_answer(student, page_examples):
    text = JUDGED.read_text(encoding="utf-8")
    assert "“" not in text and "”" not in text, "the student page quotes the article"
    assert "{cite" not in text and "{ref}`ex-" not in text and "{ref}`sol-" not in text
    # A sentence the student chapters say themselves is no leak (a beginning answer retells them).
    chapters = normalise(" ".join(plain(path.read_text(encoding="utf-8"))
                                  for path in [*(ROOT / "book").glob("*.ipynb"), *(ROOT / "book").glob("*.md")]))
    fragments = {f"example-{task}-{level}/{number}": sentence
                 for (task, level), (answer, _note) in page_examples.items()
                 for number, sentence in enumerate(sentences(answer)) if sentence not in chapters}
    assert len(fragments) > 100
    assert files_containing(student, fragments) == {}, "a sentence of an example answer is in the student edition"


def test_the_leak_check_finds_an_example_sentence_planted_in_a_page(tmp_path, page_examples):
    answer, _note = page_examples[("ex-ttp-corroborate", "secure")]
    sentence = sentences(answer)[0]
    (tmp_path / "page.html").write_text(f"<p>{sentence.replace(' ', chr(10) + '  ', 3)}</p>", encoding="utf-8")
    assert files_containing(tmp_path, {"planted": sentence}) == {"planted": ["page.html"]}


def test_the_student_page_has_i_can_statements_for_each_criterion(student):
    main = article_main(student / f"{JUDGED_DOC}.html")
    criteria = [normalise(h.get_text()).rstrip("#").strip() for h in main.select("h3")]
    assert [c[:2] for c in criteria] == ["A.", "B.", "C.", "D.", "E.", "F."], criteria
    for heading in main.select("h3"):
        section = heading.find_parent("section")
        text = normalise(section.get_text(" "))
        assert "I can" in text and "A strong answer" in text, heading.get_text()
        assert len(section.select("ul > li")) >= 3, heading.get_text()


# --------------------------------------------------------------------------------------------
# The table of short written tasks: one file, shown on both pages

WRITTEN_TASKS = ROOT / "book" / "_includes" / "written_tasks.md"


def table_rows(markdown: str) -> list[list[str]]:
    rows = [[plain(cell) for cell in line.strip().strip("|").split("|")]
            for line in markdown.splitlines() if line.startswith("|")]
    return [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]


def test_both_pages_show_the_one_table_of_written_tasks(student, instructor):
    rows = table_rows(WRITTEN_TASKS.read_text(encoding="utf-8"))
    assert len(rows) >= 6 and rows[0] == ["Task", "Time and length", "Criteria"]
    for source in (JUDGED, ASSESSMENT):
        assert re.search(r"^```\{include\} (\.\./)?_includes/written_tasks\.md$", source.read_text(encoding="utf-8"), re.M), source.name
    for page in (student / f"{JUDGED_DOC}.html", instructor / f"{ASSESSMENT_DOC}.html"):
        shown = [[normalise(cell.get_text(" ")) for cell in tr.find_all(["th", "td"])] for table in article_main(page).select("table")
                 for tr in table.select("tr")]
        assert all(row in shown for row in rows), f"{page.name}: the table of written tasks is not shown as written"
