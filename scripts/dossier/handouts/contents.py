"""What the pack holds, worked out from the sources alone (so that the book can list the pack
before it is printed), and where things are: the built sites, the pack's folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dossier import config

EDITIONS = ("student", "instructor")
#: The page of the student edition that links the pack; it is left out of the printed editions.
PACK_PAGE = "book/handouts"
#: Where the published copies live inside a built site (both editions): <site>/handouts/<edition>/.
PUBLISHED_DIR = "handouts"
MAPS_DIR = "maps"
MANIFEST = "manifest.json"


class HandoutError(Exception):
    """Something the user can fix (a book not built, no chromium, a folder that cannot be written)."""


# --------------------------------------------------------------------------------------------
# Where things are


def build_dir() -> Path:
    return config.root() / "_build"


def site_dir(edition: str) -> Path:
    """The built site of an edition (as `scripts/build_book.py` writes it)."""
    return {"student": build_dir() / "html", "instructor": build_dir() / "instructor" / "html"}[edition]


def default_out() -> Path:
    return build_dir() / "handouts"


def build_command(edition: str) -> str:
    return "make book" if edition == "student" else "make instructor"



@dataclass(frozen=True)
class Handout:
    edition: str  # who it is for: "student" or "instructor"
    name: str  # the file name without .pdf
    title: str
    description: str
    kind: str  # reading, annotated, exercises, cards, timeline, edition, page, section, key
    docname: str = ""  # the page it is made from, where there is one

    @property
    def filename(self) -> str:
        return f"{self.name}.pdf"

    def path(self, root: Path) -> Path:
        return Path(root) / self.edition / self.filename


EXERCISE_LABEL = re.compile(r"^:label: (ex-[\w-]+)", re.M)


def _exercise_labels(docname: str) -> list[str]:
    notebook = config.notebook(docname)
    if notebook is None:
        return []
    return [label for cell in notebook["cells"] if cell["cell_type"] == "markdown"
            for label in EXERCISE_LABEL.findall("".join(cell["source"]))]


def is_reading_copy(docname: str) -> bool:
    notebook = config.notebook(docname)
    return bool(notebook and notebook["metadata"].get("dossier", {}).get("kind") == "reading-copy")


def work_chapters() -> list[config.Chapter]:
    """The chapters with work for students (exercises, self-checks or reading prompts), in order."""
    from dossier import quiz

    with_questions = {question.chapter for question in quiz.all_questions()}
    return [chapter for chapter in config.chapters()
            if _exercise_labels(chapter.docname) or chapter.name in with_questions or is_reading_copy(chapter.docname)]


def _title(name: str) -> str:
    try:
        return config.chapter_title(name)
    except (config.UnknownName, config.ConfigError):
        return name


def catalogue(edition: str | None = None) -> list[Handout]:
    """Every PDF of the pack (or of one edition's part of it), in the order the book lists them."""
    student = [
        Handout("student", "reading-copy", "Reading copy",
                "The article's 21 paragraphs verbatim, numbered ¶1–¶21, with its source line and a wide ruled "
                "margin for notes; nothing else.", "reading"),
        Handout("student", "annotated-article", "The article, annotated",
                "Each paragraph with its terms, themes and chapters; the context and critical-reading notes "
                "come at the back, to read after forming your own view.", "annotated", "book/article"),
    ]
    for chapter in work_chapters():
        if is_reading_copy(chapter.docname):
            what = "The reading prompts (before, while and after reading) and the self-check questions"
        elif not _exercise_labels(chapter.docname):
            what = "The chapter's self-check questions"
        else:
            what = "The chapter's exercises and self-check questions"
        student.append(Handout("student", f"exercises-{chapter.name.replace('_', '-')}", f"Exercises: {_title(chapter.name)}",
                               f"{what}, without answers, with ruled space to write.", "exercises", chapter.docname))
    student += [
        Handout("student", "glossary-cards", "Glossary cards",
                "Every glossary term on a card and every definition on another, to cut out and match. "
                "Print single-sided.", "cards", "book/glossary"),
        Handout("student", "timeline", "Timeline", "Every dated event with its source, and the sources in full.",
                "timeline", "book/timeline"),
        Handout("student", "student-edition", "The student edition, complete",
                "Every page of the book in one PDF; maps as pictures with their tables; folded parts "
                "(notes, ‘Our reading’, self-check answers) stay folded.", "edition"),
    ]
    instructor = [
        Handout("instructor", "guide", "Instructor's guide", "The four-session unit, session by session.",
                "page", "book/instructor/guide"),
        Handout("instructor", "final-task-and-rubric", "Final task and rubric",
                "The assessment and its rubric, from the guide, to hand out or mark with.", "section",
                "book/instructor/guide"),
        Handout("instructor", "solutions", "Solutions", "A worked answer to every exercise.", "page",
                "book/instructor/solutions"),
        Handout("instructor", "question-bank", "Question bank",
                "Every self-check question with its answer and the feedback on every option.", "page",
                "book/instructor/question_bank"),
        Handout("instructor", "glossary-cards-key", "Key to the glossary cards",
                "Which definition card belongs to which term.", "key", "book/glossary"),
        Handout("instructor", "instructor-edition", "The instructor edition, complete",
                "Every page of the instructor edition in one PDF, folded parts open.", "edition"),
    ]
    pack = student + instructor
    return [h for h in pack if edition is None or h.edition == edition]


def visible_to(site_edition: str) -> tuple[str, ...]:
    """The parts of the pack a site may publish: the student site never holds instructor PDFs."""
    return ("student",) if site_edition == "student" else EDITIONS
