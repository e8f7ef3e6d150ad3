"""Students do the reading, checked in a real browser with every other host unreachable.

* The reading copy shows all 21 paragraphs, in order, and comes before the annotated article in
  the navigation.
* In each theme chapter, no part of the chapter's own critique ("Our reading") is visible above
  its first exercise on page load; it is folded, and below the exercises.
* Every self-check question shows its feedback when an option is chosen (clicked, or reached with
  Tab and chosen with Enter), and not before.
"""

from __future__ import annotations

import pytest
from conftest import VIEWPORT, normalise, paragraph_rows

from dossier import config, quiz

QUIZ_PAGES = sorted({q.chapter for q in quiz.all_questions()})


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    tab.errors = errors
    yield tab
    context.close()


def test_the_reading_copy_shows_the_whole_article_first(page, student_url):
    page.goto(student_url + "book/reading.html")
    shown = page.locator(".reading-paragraph p").all_inner_texts()
    assert [normalise(text) for text in shown] == [normalise(row["text"]) for row in paragraph_rows()]
    assert page.locator(".reading-paragraph p").evaluate_all("ps => ps.every(p => p.checkVisibility())")
    nav = [normalise(text) for text in page.locator("nav.bd-docs-nav a").all_inner_texts()]
    assert nav.index(config.chapter_title("reading")) == nav.index(config.chapter_title("article")) - 1
    assert page.locator(".annotation-note, .our-reading").count() == 0
    assert page.errors == []


@pytest.mark.parametrize("chapter", config.theme_chapters())
def test_no_critique_is_visible_above_the_first_exercise(page, student_url, chapter):
    page.goto(student_url + f"book/{chapter}.html")
    report = page.evaluate("""() => {
      const first = document.querySelector('.exercise');
      const reading = document.querySelector('details.our-reading');
      const body = reading.querySelector('.sd-summary-content, .sd-card-body') || reading.lastElementChild;
      return {
        firstTop: first.getBoundingClientRect().top + window.scrollY,
        readingTop: reading.getBoundingClientRect().top + window.scrollY,
        open: reading.open,
        bodyVisible: Array.from(reading.querySelectorAll('p')).some(p => p.checkVisibility()),
        summary: reading.querySelector('summary').innerText,
      };
    }""")
    assert not report["open"] and not report["bodyVisible"], report
    assert report["readingTop"] > report["firstTop"], report
    assert "open after the exercises" in report["summary"]
    assert page.errors == []


@pytest.mark.parametrize("chapter", QUIZ_PAGES)
def test_every_self_check_answers_when_an_option_is_chosen(page, student_url, chapter):
    """Each option is a button (dossier.work's script); the first one chosen shows its feedback, and
    then every other option opens its own. (First choices, scores and reloads: test_browser_work.py.)"""
    page.goto(student_url + f"book/{chapter}.html")
    page.evaluate("() => localStorage.clear()")
    page.reload()
    expected = {q.id: len(q.options) for q in quiz.questions(chapter).items}
    before = page.evaluate("""() => Array.from(document.querySelectorAll('.dossier-quiz-feedback'))
                               .filter(p => p.checkVisibility()).length""")
    assert before == 0, "feedback shows before any option is chosen"
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('.dossier-quiz')).map(q => {
      const options = Array.from(q.querySelectorAll('button.dossier-quiz-choice'));
      return [q.id, options.map(button => {
        button.click();
        const feedback = button.closest('li').querySelector('.dossier-quiz-feedback');
        return feedback.checkVisibility() && /^(Right|Not this one)\\./.test(feedback.innerText.trim());
      })];
    })""")
    assert {qid.removeprefix("quiz-"): len(flags) for qid, flags in shown} == expected
    assert all(all(flags) for _qid, flags in shown), shown
    assert page.errors == []


def test_a_self_check_works_from_the_keyboard(page, student_url):
    question = quiz.questions("ttp").items[0]
    page.goto(student_url + "book/ttp.html")
    page.evaluate("() => localStorage.clear()")
    page.reload()
    first = page.locator(f"#quiz-{question.id} button.dossier-quiz-choice").first
    first.focus()
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    feedback = page.locator(f"#quiz-{question.id} .dossier-quiz-feedback").first
    assert feedback.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('dossier-quiz-choice')")  # the next option
