"""The students' own work (dossier.work, dossier.sphinxext.work), without a browser: the answer-slot
convention, the script as notebooks store it, and what the built editions carry (a box after every
exercise and reading prompt, the manifest of the My work page, the script only where it is needed,
per-option feedback in the student edition but never the instructor bank's answer marks).

The behaviour in a browser is tested in test_browser_work.py."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BOOK, DATA, ROOT, article_main, html_pages, normalise, soup, toc_docnames

from dossier import config, quiz, reading, work
from dossier.sphinxext import work as extension

PROMPTS = yaml.safe_load((DATA / "prompts.yml").read_text(encoding="utf-8"))
PROMPT_IDS = [p["id"] for stage in ("before", "while", "after") for p in PROMPTS[stage]]


# --------------------------------------------------------------------------------------------
# The convention


def test_a_slot_is_one_empty_element_with_its_id_label_and_question():
    assert work.slot("scorecard-p07", "Scorecard, ¶7 <“x”>", question="q-7") == (
        '<div class="dossier-answer" data-answer-id="scorecard-p07" '
        'data-answer-label="Scorecard, ¶7 &lt;“x”&gt;" data-answer-for="q-7"></div>')
    assert 'data-answer-for' not in work.slot("ex-ttp_data-1", "Exercise")


@pytest.mark.parametrize("answer_id, label", [("Bad Id", "x"), ("p07!", "x"), ("", "x"), ("a--b", "x"), ("ok", "  ")])
def test_a_bad_slot_is_a_one_line_error(answer_id, label):
    with pytest.raises(config.ConfigError) as error:
        work.slot(answer_id, label)
    assert "\n" not in str(error.value)


def test_the_inline_script_is_the_file_marked_and_safe_inline():
    script = work.asset(work.SCRIPT)
    inline = work.inline_script()
    assert inline == f'<script data-dossier-work="inline">{script}</script>'
    assert "</" not in script
    assert work.book_id() == "pakistan-afghanistan-dossier"
    assert 'var KEY = "dossier-work:" + BOOK;' in script
    # nothing the script writes or keeps goes to the network
    for asset in (work.SCRIPT, work.MY_WORK_SCRIPT):
        text = work.asset(asset)
        assert not re.search(r"\b(fetch|XMLHttpRequest|sendBeacon|WebSocket|EventSource)\b", text), asset
        assert "http://" not in text and "https://" not in text, asset


def test_the_students_questions_carry_the_script_and_the_bank_does_not():
    chapter = quiz.all_questions()[0].chapter
    shown = quiz.questions(chapter)._repr_html_()
    assert shown.endswith(work.inline_script())
    assert shown.count("<script") == 1
    assert "<script" not in quiz.bank()._repr_html_()
    assert reading.reading_copy()._repr_html_().endswith(work.inline_script())


def test_every_reading_prompt_has_a_slot_under_it():
    copy = reading.reading_copy()._repr_html_()
    tree = BeautifulSoup(copy, "html.parser")
    slots = tree.select("div.dossier-answer")
    assert [s["data-answer-id"] for s in slots] == PROMPT_IDS
    for slot in slots:
        target = tree.find(id=slot["data-answer-for"])
        prompt = next(p for stage in PROMPTS.values() for p in stage if p["id"] == slot["data-answer-id"])
        assert normalise(prompt["prompt"]) in normalise(target.get_text()), slot["data-answer-id"]
        assert slot.get_text() == ""  # empty: with scripts off the page reads as before


@pytest.mark.parametrize("path", sorted([*BOOK.glob("*.ipynb"), *BOOK.glob("instructor/*.ipynb")]), ids=lambda p: p.relative_to(BOOK).with_suffix("").as_posix())
def test_stored_outputs_carry_the_current_script(path):
    """Every stored HTML output with a self-check or an answer slot ends with today's copy of the
    script (`make execute` after changing it: Lab runs what the notebook stores), and no other
    output carries one (the instructor's bank has none)."""
    notebook = nbformat.read(path, as_version=4)
    outputs = [output["data"]["text/html"] for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []) if "text/html" in output.get("data", {})]
    for text in outputs:
        with_work = 'class="dossier-quizzes"' in text or f'class="{work.SLOT_CLASS}"' in text
        if with_work:
            assert text.endswith(work.inline_script()), f"{path.name}: a stored copy of the script is out of date: run make execute"
        else:
            assert work.INLINE_MARK not in text, f"{path.name}: the script in an output with no self-check or box"
        assert text.count(work.INLINE_MARK) <= 1, path.name


# --------------------------------------------------------------------------------------------
# The extension's parts


def test_question_text_keeps_paragraphs_items_and_rows_and_drops_titles_and_slots():
    element = BeautifulSoup(
        '<div class="exercise admonition" id="ex-a"><p class="admonition-title">Exercise 1 (A)</p>'
        "<p>Read <a href='#'>this</a>, then:</p><ol><li><p>one</p></li><li>two <code>x</code></li></ol>"
        "<table><tr><th>Claim</th><th>Verdict</th></tr><tr><td>¶2</td><td></td></tr></table>"
        + work.slot("ex-a", "Exercise 1") + "</div>", "html.parser").div
    assert extension.question_text(element) == "Read this, then:\n- one\n- two x\nClaim | Verdict\n¶2 |"
    assert extension.question_text(BeautifulSoup("<li id='p'>Just  a prompt.</li>", "html.parser").li) == "Just a prompt."


def test_inline_copies_are_removed_and_pages_without_work_load_nothing():
    body = f'<div class="dossier-quizzes"></div>{work.inline_script()}<p>after</p>'
    assert extension.without_inline_copies(body) == '<div class="dossier-quizzes"></div><p>after</p>'
    assert extension.needs("<p>glossary</p>") == (False, False)
    assert extension.needs(work.slot("a", "A")) == (True, False)
    assert extension.needs('<div id="dossier-my-work"></div>') == (True, True)


# --------------------------------------------------------------------------------------------
# The built editions


def manifest(root) -> dict:
    text = (root / "_static" / work.MANIFEST).read_text(encoding="utf-8")
    found = re.fullmatch(r"/\*.*?\*/\nwindow\.dossierWorkManifest = (.*);\n", text, re.S)
    assert found, "the manifest is not the expected script"
    return json.loads(found.group(1))


def test_every_exercise_is_followed_by_its_answer_box(edition):
    found = 0
    for page in html_pages(edition / "book"):
        for exercise in article_main(page).select("div.exercise"):
            slot = exercise.find_next_sibling()
            assert slot is not None and "dossier-answer" in slot.get("class", []), f"{page.name}: {exercise.get('id')}"
            assert slot["data-answer-id"] == exercise["id"] == slot["data-answer-for"]
            title = normalise(exercise.select_one(".admonition-title").get_text())
            assert slot["data-answer-label"] == title, title
            found += 1
    assert found >= 20


def test_the_manifest_lists_every_box_and_self_check_of_the_built_pages_in_reading_order(edition):
    listed = manifest(edition)
    assert listed["title"].startswith(config.read_yaml(ROOT / "_config.yml")["title"])
    order = [d for d in toc_docnames()]
    pages = [p["page"] for p in listed["pages"]]
    assert pages == sorted(pages, key=lambda d: order.index(d) if d in order else len(order))
    ids = [a["id"] for p in listed["pages"] for a in p["answers"]]
    assert len(ids) == len(set(ids)), "an answer id twice"
    on_pages = []
    for page in listed["pages"]:
        main = article_main(edition / page["url"])
        slots = main.select("div.dossier-answer[data-answer-id]")
        assert [a["id"] for a in page["answers"]] == [s["data-answer-id"] for s in slots], page["page"]
        on_pages += [s["data-answer-id"] for s in slots]
        for answer in page["answers"]:
            assert answer["label"] and answer["text"], answer["id"]
        assert [c["id"] for c in page["selfChecks"]] == [q.id for q in quiz.all_questions() if f"book/{q.chapter}" == page["page"]]
    assert set(PROMPT_IDS) <= set(ids)
    exercises = {e["id"] for p in html_pages(edition / "book") for e in article_main(p).select("div.exercise")}
    assert exercises <= set(ids)
    everywhere = [s["data-answer-id"] for p in html_pages(edition) for s in soup(p).select("div.dossier-answer")]
    assert sorted(everywhere) == sorted(on_pages), "a page with answer boxes is missing from the manifest"
    prompt = next(a for p in listed["pages"] for a in p["answers"] if a["id"] == PROMPT_IDS[0])
    assert prompt["text"] == normalise(PROMPTS["before"][0]["prompt"])


def test_the_script_is_loaded_once_where_there_is_work_and_nowhere_else(edition):
    for page in html_pages(edition):
        text = page.read_text(encoding="utf-8")
        tree = soup(page)
        scripts = [s.get("src", "") for s in tree.find_all("script")]
        loads = [s for s in scripts if f"_static/{work.SCRIPT}" in s]
        has_work = bool(tree.select(f"div.dossier-answer, div.dossier-quizzes, #{extension.MY_WORK_ID}"))
        assert len(loads) == (1 if has_work else 0), page.name
        assert work.INLINE_MARK not in text, f"{page.name}: an inline copy of the script was left"
        # the stylesheets a page links (light_pages bundles them into one and lists them on its link)
        styles = [s.get("data-dossier-sources") or s.get("href", "") for s in tree.find_all("link", rel="stylesheet")]
        assert any(work.STYLESHEET in s for s in styles) == has_work, page.name
        mine = bool(tree.select(f"#{extension.MY_WORK_ID}"))
        assert any(work.MY_WORK_SCRIPT in s for s in scripts) == mine, page.name
    for name in (work.SCRIPT, work.STYLESHEET, work.MY_WORK_SCRIPT):
        assert (edition / "_static" / name).read_bytes() == (work.ASSETS / name).read_bytes()
    # The rules for what the scripts build survive wherever the pages' stylesheets are bundled and purged
    bundle = edition / "_static" / "dossier-site.css"
    if bundle.is_file():
        css = bundle.read_text(encoding="utf-8")
        for selector in ("button.dossier-quiz-choice", ".dossier-quiz-tag", "textarea.dossier-answer-text",
                         ".dossier-answer-print", ".dossier-work-confirm", ".dossier-work-problem"):
            assert selector in css, f"{selector} purged from the bundle"


def test_my_work_is_in_the_reference_part_of_both_editions(edition):
    toc = config.read_yaml(ROOT / "_toc.yml")
    reference = next(part for part in toc["parts"] if part["caption"] == "Reference")
    assert {"file": "book/my_work"} in reference["chapters"]
    page = article_main(edition / "book" / "my_work.html")
    assert page.select_one(f"#{extension.MY_WORK_ID} .dossier-work-noscript")
    text = normalise(page.get_text())
    assert "on this device only" in text and "Nothing is sent anywhere" in text


#: What only the instructor's bank shows: its answer mark, its key, its sources line, the bank itself.
BANK_MARKS = ("(the answer)", "dossier-quiz-key", "dossier-quiz-bank", "dossier-quiz-sources", "Sources of the feedback")


def answer_marks(text: str) -> list[str]:
    """The instructor bank's marks in a page, and any self-check option shown open."""
    found = [mark for mark in BANK_MARKS if mark in text]
    tree = BeautifulSoup(text, "html.parser")
    return found + ["an option open" for d in tree.select("details.dossier-quiz-option") if d.has_attr("open")]


def test_the_student_edition_has_feedback_but_no_answer_marks_and_the_bank_has_both(student, instructor):
    """The feedback on every option is in the student pages (a script shows it after a choice; with
    scripts off it is folded in a closed <details>), with its verdict. The instructor bank's marks
    are not: no '(the answer)', no answer key, no sources line, no open option, no bank."""
    for page in html_pages(student):
        assert answer_marks(page.read_text(encoding="utf-8")) == [], page.name
    for question in quiz.all_questions():
        block = soup(student / "book" / f"{question.chapter}.html").find(id=f"quiz-{question.id}")
        feedback = block.select(".dossier-quiz-feedback")
        assert [normalise(f.get_text()) for f in feedback] == [
            normalise(f"{'Right.' if o.correct else 'Not this one.'} {o.feedback}") for o in question.options]
        assert [f["data-verdict"] for f in feedback] == ["right" if o.correct else "wrong" for o in question.options]
        assert all(f.find_parent("details") is not None for f in feedback)
    bank = instructor / "book" / "instructor" / "question_bank.html"
    text = bank.read_text(encoding="utf-8")
    assert set(answer_marks(text)) >= {"(the answer)", "dossier-quiz-key", "dossier-quiz-sources", "an option open"}
    assert not soup(bank).select(".dossier-quizzes") and work.SCRIPT not in text
    assert len(soup(bank).select("details.dossier-quiz-option[open]")) == sum(len(q.options) for q in quiz.all_questions())


def test_the_mark_check_finds_a_planted_mark():
    question = quiz.all_questions()[0]
    assert answer_marks(quiz.questions(question.chapter)._repr_html_()) == []
    revealed = quiz.question_html(question, 1, reveal=True)
    assert "(the answer)" in answer_marks(revealed) and "an option open" in answer_marks(revealed)
    assert answer_marks(quiz.question_html(question, 1).replace('<details class="dossier-quiz-option">',
                                                                '<details class="dossier-quiz-option" open>', 1)) == ["an option open"]
