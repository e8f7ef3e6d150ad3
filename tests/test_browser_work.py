"""The students' own work in a real browser (headless chromium, every other host unreachable):
self-checks that keep a first choice, answer boxes, and the My work page.

* A first choice counts: before any choice no feedback shows and every option is a button; choosing
  one records it, shows its feedback and announces the result; the other options' feedback then
  opens on demand, and a later click never changes the first choice. The chapter's first-try score
  follows. After a reload the first choices, their feedback and the score are still there.
* The same from the keyboard alone (Tab to an option, Enter; Space opens another's feedback; Tab
  reaches an answer box, and typing saves it).
* An answer typed in a box (an exercise's, a reading prompt's) is there after a reload, in both
  editions; the My work page shows it with its question and the score; the downloaded file holds
  the book's title, the name, the question, the answer and the date; importing that file into a
  fresh browser restores answers and choices.
* A damaged file, a file of another book and a file that is not an export are refused with a
  message naming the problem, and the answers already kept stay as they were.
* Clearing asks first ("No" keeps everything), then clears.
* Storage blocked (private browsing) or full is said on the page, at the boxes and on My work.
* With scripts off, the self-checks are the <details> they were and no box appears.
* axe (WCAG 2.2 AA, light and dark) finds nothing serious on these pages in their worked states
  (choices made, answers typed, a refusal shown, storage blocked) nor on the exported file.
"""

from __future__ import annotations

import json
import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from conftest import INSTRUCTOR, STUDENT, VIEWPORT, article_main, normalise, require_build, serve, settle
from test_browser_a11y import AXE_OPTIONS, BLOCKING, CHOSE_DARK_JS

from dossier import quiz, work

KEY = f"dossier-work:{work.book_id()}"
CHAPTER = "ttp"
QUESTIONS = quiz.questions(CHAPTER).items
EXERCISE = "ex-ttp-support"
PROMPT = "before-author"
BLOCKED_JS = """Object.defineProperty(window, 'localStorage', {configurable: true,
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
FULL_JS = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"""


def exercise_title_and_text() -> tuple[str, str]:
    """The exercise's title as the built page shows it, and the first sentence of its text."""
    exercise = article_main(STUDENT / "book" / f"{CHAPTER}.html").find(id=EXERCISE)
    title = normalise(exercise.select_one(".admonition-title").get_text())
    first = normalise(exercise.select_one("section p").get_text())
    return title, first.split(". ")[0]


def wrong_and_right(question) -> tuple[int, int]:
    """The index of an option that is not the answer, and of the answer."""
    right = question.options.index(question.answer)
    return (0 if right else 1), right


class Tab:
    """A browser context (its own storage) and a page in it, recording errors."""

    def __init__(self, browser, base: str, **options):
        self.base = base
        self.scripts = options.get("java_script_enabled", True)
        self.context = browser.new_context(viewport=VIEWPORT, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"{error.name}: {error.message}"))

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        if self.scripts:
            settle(self.page)  # (without scripts there is nothing to wait for, and nothing would answer)
        return self.page

    def stored(self) -> dict:
        raw = self.page.evaluate("key => localStorage.getItem(key)", KEY)
        return json.loads(raw) if raw else {}

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser, student_url):
    opened = Tab(browser, student_url)
    yield opened
    opened.close()


def option(page, question, index: int):
    return page.locator(f"#quiz-{question.id} li").nth(index).locator("button.dossier-quiz-choice")


def feedback(page, question, index: int):
    return page.locator(f"#quiz-{question.id} li").nth(index).locator(".dossier-quiz-feedback")


def visible_feedback(page, question) -> list[bool]:
    return [feedback(page, question, n).is_visible() for n in range(len(question.options))]


def score(page) -> str:
    return normalise(page.locator(".dossier-quiz-score").inner_text())


# --------------------------------------------------------------------------------------------
# Self-checks


def test_a_first_choice_counts_and_is_kept_with_the_chapter_score(tab):
    page = tab.open(f"book/{CHAPTER}.html")
    first, second = QUESTIONS[0], QUESTIONS[1]
    assert page.locator(".dossier-quizzes details").count() == 0, "options left as <details>"
    assert page.locator(f"#quiz-{first.id} button.dossier-quiz-choice").count() == len(first.options)
    assert page.locator(".dossier-quiz-feedback:visible").count() == 0, "feedback shows before a choice"
    assert score(page) == f"First-try score: no choice made yet ({len(QUESTIONS)} self-checks in this chapter)."
    assert "nothing is sent anywhere" in page.locator(".dossier-work-help").inner_text()

    wrong, right = wrong_and_right(first)
    option(page, first, wrong).click()
    assert visible_feedback(page, first) == [n == wrong for n in range(len(first.options))]
    assert feedback(page, first, wrong).inner_text().startswith("Not this one.")
    status = page.locator(f"#quiz-{first.id} [role=status]")
    assert normalise(status.inner_text()).startswith(f"Your first choice, {'ABCDEFGH'[wrong]}: not this one.")
    assert option(page, first, wrong).get_attribute("aria-expanded") == "true"
    assert option(page, first, right).get_attribute("aria-expanded") == "false"
    # the others' feedback now opens on demand, and the first choice stays the first
    option(page, first, right).click()
    assert feedback(page, first, right).is_visible() and feedback(page, first, right).inner_text().startswith("Right.")
    assert "your first choice" in option(page, first, wrong).inner_text()
    assert "your first choice" not in option(page, first, right).inner_text()
    option(page, second, wrong_and_right(second)[1]).click()
    assert score(page) == f"First-try score: 1 right of 2 chosen ({len(QUESTIONS)} self-checks in this chapter)."
    stored = tab.stored()["choices"]
    assert stored[first.id]["right"] is False and stored[first.id]["option"] == first.options[wrong].text
    assert stored[second.id]["right"] is True

    page.reload(wait_until="load")
    settle(page)
    assert visible_feedback(page, first) == [n == wrong for n in range(len(first.options))]
    assert "your first choice" in option(page, first, wrong).inner_text()
    assert score(page) == f"First-try score: 1 right of 2 chosen ({len(QUESTIONS)} self-checks in this chapter)."
    assert visible_feedback(page, QUESTIONS[2]) == [False] * len(QUESTIONS[2].options)
    assert tab.errors == []


def test_a_self_check_and_a_box_work_from_the_keyboard(tab):
    page = tab.open(f"book/{CHAPTER}.html")
    question = QUESTIONS[0]
    wrong, right = wrong_and_right(question)
    option(page, question, wrong).focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('dossier-quiz-choice')")
    page.keyboard.press("Enter")
    assert feedback(page, question, wrong).is_visible()
    assert tab.stored()["choices"][question.id]["letter"] == "ABCDEFGH"[wrong]
    # Tab to the answer, Space opens its feedback; the first choice does not move
    for _ in range(abs(right - wrong)):
        page.keyboard.press("Tab" if right > wrong else "Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == option(page, question, right).get_attribute("id")
    page.keyboard.press("Space")
    assert feedback(page, question, right).is_visible()
    assert tab.stored()["choices"][question.id]["letter"] == "ABCDEFGH"[wrong]
    # an answer box: Tab from the exercise before it reaches it, and what is typed is kept
    page.locator(f"#{EXERCISE} .admonition-title").evaluate("e => e.scrollIntoView()")
    links = page.locator(f"#{EXERCISE} a[href]")
    links.last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == f"answer-{EXERCISE}"
    page.keyboard.type("Typed with the keyboard.")
    assert tab.stored()["answers"][EXERCISE]["text"] == "Typed with the keyboard."
    assert tab.errors == []


def test_with_scripts_off_the_self_checks_are_details_and_no_box_appears(browser, student_url):
    quiet = Tab(browser, student_url, java_script_enabled=False)
    try:
        page = quiet.open(f"book/{CHAPTER}.html")
        question = QUESTIONS[0]
        details = page.locator(f"#quiz-{question.id} details.dossier-quiz-option")
        assert details.count() == len(question.options)
        assert not feedback(page, question, 0).is_visible()
        details.first.locator("summary").click()
        assert feedback(page, question, 0).is_visible()
        assert page.locator("textarea").count() == 0 and page.locator("button.dossier-quiz-choice").count() == 0
        mine = quiet.open("book/my_work.html")
        assert mine.locator(".dossier-work-noscript").is_visible()
    finally:
        quiet.close()


# --------------------------------------------------------------------------------------------
# Answer boxes and My work


def type_answers(tab) -> None:
    page = tab.open(f"book/{CHAPTER}.html")
    box = page.locator(f"#answer-{EXERCISE}")
    assert box.get_attribute("aria-describedby") == f"answer-{EXERCISE}-status"
    label = page.locator(f"label[for='answer-{EXERCISE}']").inner_text()
    assert label == f"Your answer: {exercise_title_and_text()[0]}"
    box.fill("The TTP is not the Afghan Taliban.\nSecond line, ¶5 “quoted”.")
    assert "on this device only" in page.locator(f"#answer-{EXERCISE}-status").inner_text()
    wrong, _ = wrong_and_right(QUESTIONS[0])
    option(page, QUESTIONS[0], wrong).click()
    reading = tab.open("book/reading.html")
    reading.locator(f"#answer-{PROMPT}").fill("An analyst; it leaves out his employer.")


def test_an_answer_is_kept_across_a_reload_in_both_editions(tab, browser):
    type_answers(tab)
    page = tab.open(f"book/{CHAPTER}.html")
    assert page.locator(f"#answer-{EXERCISE}").input_value() == "The TTP is not the Afghan Taliban.\nSecond line, ¶5 “quoted”."
    assert tab.open("book/reading.html").locator(f"#answer-{PROMPT}").input_value() == "An analyst; it leaves out his employer."
    assert tab.errors == []
    with serve(require_build(INSTRUCTOR, "make instructor")) as base:
        other = Tab(browser, base)
        try:
            page = other.open(f"book/{CHAPTER}.html")
            page.locator(f"#answer-{EXERCISE}").fill("Instructor edition too.")
            page.reload(wait_until="load")
            assert page.locator(f"#answer-{EXERCISE}").input_value() == "Instructor edition too."
            assert other.open("book/instructor/question_bank.html").locator("button.dossier-quiz-choice").count() == 0
            assert other.errors == []
        finally:
            other.close()


def download(page, tmp_path):
    with page.expect_download() as info:
        page.locator("#dossier-work-download").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_my_work_gathers_downloads_and_a_fresh_browser_imports(tab, browser, student_url, tmp_path):
    type_answers(tab)
    page = tab.open("book/my_work.html")
    page.locator("#dossier-work-name").fill("Amina Khan")
    text = normalise(page.locator("#dossier-my-work").inner_text())
    assert "The TTP is not the Afghan Taliban. Second line, ¶5 “quoted”." in text
    assert "An analyst; it leaves out his employer." in text
    assert "Find the author's name and the short description of the author printed on the page." in text  # the question
    row = normalise(page.locator("tr", has=page.locator(f"a[href$='#quiz-{QUESTIONS[0].id}']")).inner_text())
    assert row.endswith(f"0 1 {len(QUESTIONS)}"), row  # right, chosen, self-checks
    link = page.locator(f".dossier-work-question[data-answer-id='{EXERCISE}'] h4 a")
    assert link.get_attribute("href") == f"../book/{CHAPTER}.html#answer-{EXERCISE}"

    saved = download(page, tmp_path)
    assert re.fullmatch(r"my-work-amina-khan-\d{4}-\d{2}-\d{2}\.html", saved.name)
    exported = saved.read_text(encoding="utf-8")
    shown = normalise(re.sub(r"<[^>]+>", " ", exported.split("<script")[0]))
    for expected in ("Pakistan and Afghanistan after 2021: an annotated dossier", "Name: Amina Khan",
                     *exercise_title_and_text(),
                     "The TTP is not the Afghan Taliban. Second line, ¶5 “quoted”.", "Before you read, prompt 1",
                     "An analyst; it leaves out his employer."):
        assert expected in shown, expected
    assert re.search(r"Date: .*\(\d{4}-\d{2}-\d{2}\)", shown)
    assert "http" not in exported.split('<script type="application/json"')[0]  # self-contained

    fresh = Tab(browser, student_url)
    try:
        mine = fresh.open("book/my_work.html")
        assert "No answer is kept in this browser yet" in mine.locator("#dossier-my-work").inner_text()
        mine.set_input_files("#dossier-work-import", str(saved))
        message = mine.locator(".dossier-work-message[role=status]")
        message.wait_for(state="visible")
        assert normalise(message.inner_text()).startswith(f"Imported “{saved.name}”: 2 answers added")
        assert "1 self-check choice added" in message.inner_text()
        assert mine.locator("#dossier-work-name").input_value() == "Amina Khan"
        chapter = fresh.open(f"book/{CHAPTER}.html")
        assert chapter.locator(f"#answer-{EXERCISE}").input_value() == "The TTP is not the Afghan Taliban.\nSecond line, ¶5 “quoted”."
        assert "your first choice" in option(chapter, QUESTIONS[0], wrong_and_right(QUESTIONS[0])[0]).inner_text()
        assert fresh.errors == [] and tab.errors == []
    finally:
        fresh.close()


DATA = re.compile(r'(<script type="application/json" id="dossier-work-export">)(.*?)(</script>)', re.S)


def with_payload(exported: str, payload: dict) -> str:
    """The exported file with other data in it (escaped as the page escapes it)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return DATA.sub(lambda m: m.group(1) + text + m.group(3), exported)


def damaged_copies(exported: str) -> dict[str, tuple[str, str]]:
    """Broken files, each with the words its refusal must use."""
    payload = json.loads(DATA.search(exported).group(2))
    assert with_payload(exported, payload) == exported  # the copies below differ only where they say
    edited = json.loads(json.dumps(payload))
    edited["work"]["answers"][PROMPT]["text"] = "An analyst; it hides his employer."
    return {
        "cut short": (exported[: len(exported) * 2 // 3], "damaged"),
        "edited": (with_payload(exported, edited), "do not match the checksum"),
        "another book": (with_payload(exported, dict(payload, book="another-book", title="Another dossier")),
                         "another book (“Another dossier”)"),
        "newer": (with_payload(exported, dict(payload, version=2)), "newer version of the book (format 2)"),
        "not an export": ("<!DOCTYPE html><html><body><p>Homework</p></body></html>", "not a file of My work"),
        "empty": ("", "empty"),
    }


def test_a_damaged_or_foreign_file_is_refused_and_the_answers_stay(tab, tmp_path):
    type_answers(tab)
    page = tab.open("book/my_work.html")
    exported = download(page, tmp_path).read_text(encoding="utf-8")
    assert "An analyst; it leaves" in exported
    before = tab.stored()
    for name, (text, words) in damaged_copies(exported).items():
        page.set_input_files("#dossier-work-import", files=[{"name": f"{name}.html", "mimeType": "text/html",
                                                             "buffer": text.encode("utf-8")}])
        alert = page.locator(".dossier-work-message[role=alert]")
        page.wait_for_function("() => document.querySelector('.dossier-work-message[role=alert]').textContent.includes('not imported')")
        message = normalise(alert.inner_text())
        assert message.startswith(f"“{name}.html” was not imported:"), message
        assert words in message, (name, message)
        assert message.endswith("Your answers in this browser are as they were."), message
        assert tab.stored() == before, name
        page.evaluate("() => { document.querySelector('.dossier-work-message[role=alert]').textContent = ''; }")
    assert tab.errors == []


def test_clearing_asks_first(tab):
    type_answers(tab)
    page = tab.open("book/my_work.html")
    page.locator("#dossier-work-clear").click()
    confirm = page.locator(".dossier-work-confirm")
    assert confirm.is_visible() and "cannot be undone" in confirm.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "dossier-work-clear-no"
    assert tab.stored()["answers"], "cleared before the answer to the question"
    page.locator("#dossier-work-clear-no").click()
    assert not confirm.is_visible() and tab.stored()["answers"]
    assert page.locator(".dossier-work-message[role=status]").inner_text() == "Nothing was deleted."
    page.locator("#dossier-work-clear").click()
    page.locator("#dossier-work-clear-yes").click()
    assert tab.stored() == {}
    assert "No answer is kept in this browser yet" in page.locator("#dossier-my-work").inner_text()
    assert page.evaluate("() => document.activeElement.id") == "dossier-work-clear"
    chapter = tab.open(f"book/{CHAPTER}.html")
    assert chapter.locator(f"#answer-{EXERCISE}").input_value() == ""
    assert score(chapter).startswith("First-try score: no choice made yet")
    assert tab.errors == []


def test_my_work_works_from_the_keyboard(tab):
    """Tab goes through the page's controls in order; Enter asks before clearing, Escape-free: the
    question's "No" has the focus, and Enter on it keeps everything."""
    type_answers(tab)
    page = tab.open("book/my_work.html")
    page.locator("#dossier-work-name").focus()
    page.keyboard.type("Amina")
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.id"))
    assert reached == ["dossier-work-download", "dossier-work-print", "dossier-work-clear", "dossier-work-import"]
    assert tab.stored()["name"] == "Amina"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "dossier-work-clear-no"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == "dossier-work-clear-yes"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert tab.stored()["answers"] and page.evaluate("() => document.activeElement.id") == "dossier-work-clear"
    with page.expect_download() as info:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.startswith("my-work-amina-")
    assert tab.errors == []


@pytest.mark.parametrize("storage, words", [(BLOCKED_JS, "does not let the book keep anything"),
                                            (FULL_JS, "storage for the book is full")])
def test_storage_blocked_or_full_is_said_on_the_page(browser, student_url, storage, words):
    broken = Tab(browser, student_url)
    broken.context.add_init_script(storage)
    try:
        page = broken.open(f"book/{CHAPTER}.html")
        page.locator(f"#answer-{EXERCISE}").fill("Not kept.")
        status = normalise(page.locator(f"#answer-{EXERCISE}-status").inner_text())
        assert status.startswith("Not saved.") and words in status, status
        wrong, _ = wrong_and_right(QUESTIONS[0])
        option(page, QUESTIONS[0], wrong).click()  # the page still works, and says the choice is not kept
        assert feedback(page, QUESTIONS[0], wrong).is_visible()
        assert words in page.locator(f"#quiz-{QUESTIONS[0].id} [role=status]").inner_text()
        assert words in page.locator(".dossier-quizzes .dossier-work-problem[role=alert]").inner_text()
        mine = broken.open("book/my_work.html")
        problem = mine.locator("#dossier-my-work > .dossier-work-problem")
        if storage == FULL_JS:
            mine.locator("#dossier-work-name").fill("A")  # a write finds the storage full
        assert problem.is_visible() and words in problem.inner_text()
        ours = [e for e in broken.errors if "dossier" in e]
        assert ours == [], ours
    finally:
        broken.close()


# --------------------------------------------------------------------------------------------
# Accessibility of the worked states


def axe_blocking(page, include: list[str] | None = None) -> list[str]:
    """axe's serious and critical violations on the page (or in the elements `include` selects)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    for frame in page.frames:
        frame.evaluate(AXE_SCRIPT)
    found = page.evaluate("([context, options]) => axe.run(context ? {include: context} : document, options)",
                          [[[selector] for selector in include] if include else None, AXE_OPTIONS])
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in found["violations"]
            if v["impact"] in BLOCKING]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_worked_states_pass_axe(browser, student_url, tmp_path, mode):
    worked = Tab(browser, student_url, color_scheme=mode)
    if mode == "dark":
        worked.context.add_init_script(CHOSE_DARK_JS)
    try:
        type_answers(worked)
        page = worked.open(f"book/{CHAPTER}.html")
        option(page, QUESTIONS[0], wrong_and_right(QUESTIONS[0])[1]).click()  # another option's feedback open
        assert page.evaluate("() => document.documentElement.dataset.theme") == mode
        # (every page as first opened is scanned whole by test_browser_a11y.py; here, what changed)
        assert axe_blocking(page, [".dossier-quizzes", ".dossier-answer"]) == [], f"{CHAPTER} with choices and an answer"
        page.locator(f"label[for='answer-{EXERCISE}']").evaluate("e => { e.style.color = '#777'; e.style.background = '#666'; }")
        assert any(v.startswith("color-contrast") for v in axe_blocking(page, [".dossier-answer"])), "a planted fault"
        reading = worked.open("book/reading.html")
        assert axe_blocking(reading, [".reading-prompts", ".dossier-answer"]) == [], "reading copy with an answer"
        mine = worked.open("book/my_work.html")
        mine.locator("#dossier-work-clear").click()  # the question shown
        mine.set_input_files("#dossier-work-import", files=[{"name": "x.html", "mimeType": "text/html", "buffer": b"<p>x</p>"}])
        mine.locator(".dossier-work-message[role=alert]").wait_for(state="visible")
        assert axe_blocking(mine) == [], "My work with answers, the clear question and a refusal"
        saved = download(mine, tmp_path)
        exported = worked.open("book/my_work.html")
        exported.goto(saved.as_uri())
        assert axe_blocking(exported) == [], "the exported file"
        assert worked.errors == []
    finally:
        worked.close()
    blocked = Tab(browser, student_url, color_scheme=mode)
    blocked.context.add_init_script(BLOCKED_JS)
    try:
        page = blocked.open(f"book/{CHAPTER}.html")
        page.locator(f"#answer-{EXERCISE}").fill("x")
        # The theme's own scripts stop at the blocked storage too (its code cells lose their tab
        # stops): axe looks at the self-checks and the boxes, which say that nothing is kept.
        assert axe_blocking(page, [".dossier-quizzes", ".dossier-answer"]) == [], "storage blocked"
    finally:
        blocked.close()
