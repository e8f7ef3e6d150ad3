"""The self-checks as a question bank for a learning management system, from `data/quiz.yml`.

    make lms                                   # -> _build/lms/ (also made by `make instructor`)
    python scripts/make_lms.py --out DIR
    from dossier import lms
    lms.exports(lms.load())                    # {file name: bytes}

| file | format | imported by | written with |
| --- | --- | --- | --- |
| `question-bank-moodle.xml` | Moodle XML | Moodle (Question bank, Import) | the standard library's ElementTree |
| `question-bank-gift.txt` | GIFT | Moodle (and tools that read GIFT) | this module (GIFT's escaping rules) |
| `question-bank-qti.zip` | QTI 1.2 package | Canvas (Classic Quizzes), Brightspace, Sakai | text2qti |

Every file holds the questions chapter by chapter, in the book's order. Every question keeps its id (Moodle's question name and ID number, the GIFT title, the QTI item
title), its options in the book's order (shuffling is left off: the instructor can turn it on),
exactly one keyed option, and the feedback of every option, word for word as `data/quiz.yml`
gives it; the Moodle and GIFT files put each chapter's questions in a category of their own
(`<dossier title>/<chapter title>`). Text is written as HTML, escaped, so that the LMS shows it
verbatim (a `$`, a `<` or a quotation mark stay what they are).

Why these writers. QTI 1.2 is a large format whose Canvas dialect is what Brightspace and Sakai
also read; text2qti (PyPI, maintained) writes it with per-option feedback, from a plain-text quiz
that this module composes with every Markdown character escaped (text2qti reads Markdown with
typographic quotes on, which would change the article's straight quotes). text2qti stamps the
package with today's date and the zip with the time of writing; the package is repacked with
fixed dates, so the same quiz gives the same bytes. For Moodle XML, the writers on PyPI are not
kept up (moodle-questions 0.2.1, 2020, escapes its own CDATA markers, so Moodle would show them;
moodlexport 0.0.32, 2022, converts from LaTeX), and Moodle XML is a short, documented structure:
ElementTree writes it. For GIFT, gift-wrapper (PyPI) writes only one feedback per question and
escapes only some of GIFT's special characters; GIFT is a line format with six special
characters, written here. The tests read each file back with a parser that is not this code:
moodle-xml-parser (PyPI) for Moodle XML, gift-pegjs (npm) for GIFT, and the QTI manifest and
items with ElementTree.

A malformed `data/quiz.yml` is one :class:`dossier.config.ConfigError` line (the quiz loader's),
and `write()` writes all three files or none.
"""

from __future__ import annotations

import html
import io as stdio
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from dossier import config, quiz
from dossier import io as dossier_io

MOODLE = "question-bank-moodle.xml"
GIFT = "question-bank-gift.txt"
QTI = "question-bank-qti.zip"
FILES = (MOODLE, GIFT, QTI)
#: The date in the QTI manifest and on every member of its zip. No LMS reads it; a fixed one keeps
#: the package byte for byte the same from the same quiz (1980-01-01 is the first date a zip holds).
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def default_out() -> Path:
    return config.root() / "_build" / "lms"


def load(path: str | Path | None = None) -> list[quiz.Question]:
    """The questions of `data/quiz.yml` (or of `path`), checked by the quiz loader."""
    return quiz.load_questions(Path(path)) if path else list(quiz.all_questions())


def _chapters(questions: list[quiz.Question]) -> list[tuple[str, list[quiz.Question]]]:
    """(chapter title, its questions) in the book's order."""
    titles = {chapter.name: config.chapter_title(chapter.name) for chapter in config.chapters()
              if any(q.chapter == chapter.name for q in questions)}
    return [(title, [q for q in questions if q.chapter == name]) for name, title in titles.items()]


def _category(title: str) -> str:
    """A category path for Moodle: the dossier, then the chapter (a '/' in a name is written '//')."""
    return "$course$/top/" + "/".join(part.replace("/", "//") for part in (config.book_title(), title))


def _html(text: str) -> str:
    return html.escape(text, quote=False)


# --------------------------------------------------------------------------------------------
# Moodle XML


def moodle_xml(questions: list[quiz.Question]) -> bytes:
    """Moodle XML: a category question per chapter, then its questions as single-answer multichoice."""
    root = ElementTree.Element("quiz")

    def text(parent, tag: str, value: str, **attributes) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, tag, attributes)
        ElementTree.SubElement(element, "text").text = value
        return element

    for title, items in _chapters(questions):
        category = ElementTree.SubElement(root, "question", type="category")
        text(category, "category", _category(title))
        for question in items:
            element = ElementTree.SubElement(root, "question", type="multichoice")
            ElementTree.SubElement(element, "idnumber").text = question.id
            text(element, "name", question.id)
            text(element, "questiontext", _html(question.prompt), format="html")
            text(element, "generalfeedback", "", format="html")
            for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("single", "true"),
                               ("shuffleanswers", "false"), ("answernumbering", "ABCD")):
                ElementTree.SubElement(element, tag).text = value
            for option in question.options:
                answer = text(element, "answer", _html(option.text), fraction="100" if option.correct else "0",
                              format="html")
                text(answer, "feedback", _html(option.feedback), format="html")
            tags = ElementTree.SubElement(element, "tags")
            for tag in [f"chapter:{question.chapter}", f"topic:{question.topic}"] + [f"source:{key}" for key in question.sources]:
                text(tags, "tag", tag)
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="utf-8") + b"\n"


# --------------------------------------------------------------------------------------------
# GIFT

GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Text for a GIFT [html] field: HTML-escaped, then GIFT's special characters backslashed."""
    return GIFT_SPECIAL.sub(r"\\\1", _html(text))


def gift(questions: list[quiz.Question]) -> str:
    """GIFT: a `$CATEGORY:` line per chapter, then each question with `=` before the keyed option
    and `#` before every option's feedback."""
    lines = [f"// {config.book_title()}: the self-check questions, with the feedback on every option.",
             "// Made from data/quiz.yml by `make lms`; import in Moodle as GIFT (one category per chapter).", ""]
    for title, items in _chapters(questions):
        lines += [f"$CATEGORY: {_category(title)}", ""]
        for question in items:
            lines.append(f"// {question.id} (topic: {question.topic})")
            lines.append(f"::{gift_escape(question.id)}::[html]{gift_escape(question.prompt)}{{")
            for option in question.options:
                mark = "=" if option.correct else "~"
                lines.append(f"\t{mark}[html]{gift_escape(option.text)}#[html]{gift_escape(option.feedback)}")
            lines += ["}", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# QTI 1.2 (text2qti)

#: The ASCII characters that text2qti's Markdown (Python-Markdown with tables and typographic
#: quotes) or its `$…$` math would read as markup, and that a backslash escapes there.
TEXT2QTI_SPECIAL = re.compile(r"""([\\`*_{}\[\]()>#+\-.!|"'$])""")


def text2qti_escape(text: str) -> str:
    """Text that text2qti shows as it is: `&` and `<` as entities (Markdown passes entities
    through), every other markup character backslashed."""
    return TEXT2QTI_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def text2qti_source(questions: list[quiz.Question]) -> str:
    """The quiz in text2qti's plain-text format."""
    description = (f"The {len(questions)} self-check questions of the dossier, with the feedback on every option. "
                   "Made from data/quiz.yml.")
    lines = [f"Quiz title: {config.book_title()}: self-checks",  # plain text for text2qti, not Markdown
             f"Quiz description: {text2qti_escape(description)}",
             "Shuffle answers: false", "Show correct answers: true", ""]
    in_order = [question for _, items in _chapters(questions) for question in items]
    for number, question in enumerate(in_order, start=1):
        lines += [f"Title: {question.id}", "Points: 1", f"{number}.  {text2qti_escape(question.prompt)}"]
        for letter, option in zip("abcdefgh", question.options):
            lines.append(f"{'*' if option.correct else ''}{letter})  {text2qti_escape(option.text)}")
            lines.append(f"... {text2qti_escape(option.feedback)}")
        lines.append("")
    return "\n".join(lines)


def qti_zip(questions: list[quiz.Question]) -> bytes:
    """A QTI 1.2 package (Canvas's dialect) written by text2qti, repacked with fixed dates."""
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.qti import QTI as Text2qtiPackage
    from text2qti.quiz import Quiz

    try:
        package = Text2qtiPackage(Quiz(text2qti_source(questions), config=Config(), source_name="data/quiz.yml"))
    except Text2qtiError as exc:
        raise config.ConfigError(f"text2qti refused the quiz: {str(exc).splitlines()[0]}") from None
    fixed_day = "%04d-%02d-%02d" % FIXED_DATE[:3]
    source = zipfile.ZipFile(stdio.BytesIO(package.zip_bytes()))
    out = stdio.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "imsmanifest.xml":
                data = re.sub(rb"<imsmd:dateTime>[^<]*</imsmd:dateTime>",
                              f"<imsmd:dateTime>{fixed_day}</imsmd:dateTime>".encode(), data)
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED if member.is_dir() else zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, data)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# All three


def exports(questions: list[quiz.Question]) -> dict[str, bytes]:
    """{file name: bytes} of the three formats."""
    if not questions:
        raise config.ConfigError("data/quiz.yml holds no question: nothing to export")
    return {MOODLE: moodle_xml(questions), GIFT: gift(questions).encode("utf-8"), QTI: qti_zip(questions)}


def write(out: str | Path | None = None, source: str | Path | None = None) -> list[Path]:
    """Write the three files into `out` (default `_build/lms/`), all or none; return their paths."""
    out = Path(out) if out else default_out()
    files = exports(load(source))
    try:
        return dossier_io.commit_files({out / name: data for name, data in files.items()})
    except OSError as exc:
        raise config.ConfigError(f"cannot write into {config.shown(out)}: {exc.strerror or exc}") from None
