"""Self-check questions with instant feedback, from data/quiz.yml.

    from dossier import quiz
    quiz.questions("ttp")     # the TTP chapter's questions, for students
    quiz.bank()               # every question with its answer (the instructor edition)

Each question is shown as plain HTML: the prompt, then one `<details>` element per option, whose
summary is the option and whose body is the feedback (right or not, and why, with a ¶ or a
source; `data-verdict` says which, for the script). This works with no script, no network and
no random element id: in the built book, in Jupyter Lab (trusted or not), on Binder and Colab,
with a keyboard (Enter or Space on an option), and on paper, where closed options print without
their feedback. The container of each question has `id="quiz-<question id>"`.

A first choice that counts. Where scripts run (the book, and trusted notebooks in Jupyter Lab),
`dossier.work`'s script turns each option into a button: the first option chosen is kept (in the
browser, on this device only) and shows its feedback, then the feedback on every option can be
opened; each chapter shows its first-try score, and the My work page gathers them. The students'
questions end with that script inline for Jupyter Lab (`work.inline_script()`; the book loads it
as a file instead). The instructor's bank (`reveal`) is left as it is: every feedback open, the
answer marked, no script.

Why not a quiz library: jupyterquiz (PyPI) draws its element ids at random (stored outputs would
change at every run, and strict nbval would fail), loads MathJax from a CDN when a question has
math, needs JavaScript before it shows anything, and declined to record answers; H5P needs a
server. A `<details>` per option, enhanced by a small script, does what a self-check needs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from dossier import config, sources, work

QUESTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    chapter: str
    topic: str
    prompt: str
    options: tuple[Option, ...]
    sources: tuple[str, ...]

    @property
    def answer(self) -> Option:
        return next(option for option in self.options if option.correct)


def _text(value, where: str, path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise config.ConfigError(f"{path}: {where} must be some text")
    return " ".join(value.split())


def load_questions(path) -> list[Question]:
    """Read and check a quiz file; raise ConfigError (one line) if it is malformed."""
    data = config.read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise config.ConfigError(f"{path}: expected a mapping with a 'questions' list")
    chapters = {c.name for c in config.chapters()}
    found, seen = [], set()
    for n, entry in enumerate(data["questions"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not QUESTION_ID.match(entry["id"]):
            raise config.ConfigError(f"{path}: question #{n} has no valid id (lowercase letters, digits, hyphens)")
        qid = entry["id"]
        if qid in seen:
            raise config.ConfigError(f"{path}: question id {qid!r} is used twice")
        seen.add(qid)
        if entry.get("chapter") not in chapters:
            raise config.ConfigError(f"{path}: question {qid!r}: chapter {entry.get('chapter')!r} is not in _toc.yml")
        options = entry.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= len(LETTERS):
            raise config.ConfigError(f"{path}: question {qid!r} needs 2 to {len(LETTERS)} options")
        parsed = []
        for k, option in enumerate(options, start=1):
            if not isinstance(option, dict) or not isinstance(option.get("correct"), bool):
                raise config.ConfigError(f"{path}: question {qid!r}, option {k}: needs text, correct (true/false) and feedback")
            parsed.append(Option(_text(option.get("text"), f"question {qid!r}, option {k}: text", path), option["correct"],
                                 _text(option.get("feedback"), f"question {qid!r}, option {k}: feedback", path)))
        if sum(option.correct for option in parsed) != 1:
            raise config.ConfigError(f"{path}: question {qid!r} must have exactly one correct option")
        keys = entry.get("sources") or []
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise config.ConfigError(f"{path}: question {qid!r}: sources must be a list of keys of book/references.bib")
        found.append(Question(qid, entry["chapter"], str(entry.get("topic", "")),
                              _text(entry.get("prompt"), f"question {qid!r}: prompt", path), tuple(parsed), tuple(keys)))
    return found


@lru_cache(maxsize=4)
def _questions(stamp: tuple[str, int]) -> tuple[Question, ...]:
    return tuple(load_questions(stamp[0]))


def all_questions() -> tuple[Question, ...]:
    """Every question of data/quiz.yml, in file order."""
    return _questions(config.stamp(config.data_dir() / "quiz.yml"))


def _sources_line(question: Question, reveal: bool) -> str:
    """For instructors (the question bank), the sources the feedback relies on, once under its options.
    Students see each source named in the feedback itself, as the References page names it."""
    if not reveal or not question.sources:
        return ""
    names = "; ".join(html.escape(sources.short(key)) for key in question.sources)
    return f'<p class="dossier-quiz-sources">Sources of the feedback: {names} (see References).</p>'


def question_html(question: Question, number: int, reveal: bool = False) -> str:
    """One question. With `reveal`, every feedback is open and the answer is marked (question bank)."""
    prompt_id = f"quiz-{question.id}-prompt"
    options = []
    for letter, option in zip(LETTERS, question.options):
        verdict = "Right." if option.correct else "Not this one."
        mark = " (the answer)" if reveal and option.correct else ""
        options.append(
            f'<li><details class="dossier-quiz-option"{" open" if reveal else ""}>'
            f"<summary>{letter}. {html.escape(option.text)}{mark}</summary>"
            f'<p class="dossier-quiz-feedback" data-verdict="{"right" if option.correct else "wrong"}">'
            f"<strong>{verdict}</strong> {html.escape(option.feedback)}</p>"
            "</details></li>"
        )
    return (
        f'<div class="dossier-quiz" id="quiz-{question.id}" role="group" aria-labelledby="{prompt_id}">'
        f'<p id="{prompt_id}" class="dossier-quiz-prompt"><strong>Self-check {number}.</strong> '
        f"{html.escape(question.prompt)}</p>"
        f'<ol class="dossier-quiz-options" type="A">{"".join(options)}</ol>{_sources_line(question, reveal)}</div>'
    )


@dataclass
class Questions:
    """Questions to show: students choose an option to see its feedback."""

    items: tuple[Question, ...]
    reveal: bool = False

    def _repr_html_(self) -> str:
        intro = ("" if self.reveal else
                 '<p class="dossier-quiz-help"><em>Decide on your answer first, then open it to see whether it is '
                 "right and why.</em></p>")
        script = "" if self.reveal else work.inline_script()
        return (f'<div class="dossier-quizzes">{intro}'
                + "".join(question_html(q, n, self.reveal) for n, q in enumerate(self.items, start=1))
                + f"</div>{script}")

    def __repr__(self) -> str:
        return f"<Questions: {len(self.items)} ({', '.join(q.id for q in self.items)})>"


def questions(chapter: str) -> Questions:
    """The self-check questions of a chapter (a notebook name of _toc.yml), in file order."""
    config.require_chapter(chapter)
    return Questions(tuple(q for q in all_questions() if q.chapter == chapter))


@dataclass
class Bank:
    """Every question, chapter by chapter, with its answer and all feedback open: for instructors."""

    def _repr_html_(self) -> str:
        parts = []
        for chapter in config.chapters():
            items = [q for q in all_questions() if q.chapter == chapter.name]
            if not items:
                continue
            answers = ", ".join(f"{n}: {LETTERS[q.options.index(q.answer)]}" for n, q in enumerate(items, start=1))
            parts.append(
                f'<section class="dossier-quiz-bank-chapter"><h3>{html.escape(config.chapter_title(chapter.name))}</h3>'
                f'<p class="dossier-quiz-key"><strong>Answers.</strong> {answers}</p>'
                + "".join(question_html(q, n, reveal=True) for n, q in enumerate(items, start=1))
                + "</section>"
            )
        return '<div class="dossier-quiz-bank">' + "".join(parts) + "</div>"

    def __repr__(self) -> str:
        return f"<Question bank: {len(all_questions())} questions>"


def bank() -> Bank:
    """Every question with its answer, for the instructor edition's question bank."""
    return Bank()
