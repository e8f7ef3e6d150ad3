"""The printed pack: A4 PDFs for students and instructors, printed from the built books.

    make handouts                          # builds both editions, prints the pack, links it from both
    python scripts/make_handouts.py        # prints the pack from books already built
    from dossier import handouts
    handouts.catalogue("student")          # what the pack holds: file names, titles, descriptions

Every sheet is put together from the data (`data/paragraphs.csv`, `data/prompts.yml`,
`data/quiz.yml`) and from the built HTML of the two editions (`_build/html`,
`_build/instructor/html`); nothing of the book is typed again here. Student sheets are composed
by inclusion (the paragraphs, the exercises, the questions and their options), so an answer can
reach them only if it is inside an exercise on a student page; and on top of that, every folded
part of a student page (self-check feedback, "Our reading", the annotation notes) is printed
folded: its summary only.

| sheet | made from |
| --- | --- |
| reading copy | `data/paragraphs.csv` and `data/article.json` (the source line): the 21 paragraphs, numbered, nothing else |
| annotated article | the built "The article, annotated" page: paragraphs with their terms and themes, the folded notes moved to the back |
| exercises, one per chapter | the chapter's exercises (built HTML), the documents of its corroboration set, and its self-checks (`data/quiz.yml`: prompts and options, no feedback); the reading chapter's sheet has the prompts of `data/prompts.yml` |
| glossary cards | the built glossary: a card per term and a card per definition (its first sentence, the term blanked) |
| timeline | the built timeline's table, and the sources it cites in full |
| a whole edition | every page of the edition, in the order of its sidebar; maps as pictures (screenshots of the live map) with their text tables |
| solutions, guide, question bank | the instructor edition's pages; the final task and rubric are the guide's section that holds the rubric |

Printing is done by one headless chromium (Debian's), driven by Playwright: the built sites are
served on 127.0.0.1 and every other host is unreachable, so nothing is fetched from the network.
Each sheet is an HTML document that uses the book's own stylesheets (with the print rules at the
end of `book/_static/dossier.css`) and `handouts.css` beside this module; `page.pdf()` prints it on
A4 with a footer on every page (the dossier's title, the article's source line, the licence and
the page number). Fonts are embedded by chromium.

Writing is all or nothing (:func:`dossier.io.commit_files`): the PDFs, the map pictures and
`manifest.json` appear together or not at all. Every failure that a user can cause (a book not
built, chromium missing, an output folder that cannot be written) is a :class:`HandoutError` with
a one-line message.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from dossier import config

EDITIONS = ("student", "instructor")
#: The page of the student edition that links the pack; it is left out of the printed editions.
PACK_PAGE = "book/handouts"
#: Where the published copies live inside a built site (both editions): <site>/handouts/<edition>/.
PUBLISHED_DIR = "handouts"
MAPS_DIR = "maps"
MANIFEST = "manifest.json"
CSS = Path(__file__).with_name("handouts.css")

# Page geometry (A4). The footer is printed in the bottom margin.
MARGIN = {"top": "14mm", "bottom": "25mm", "left": "17mm", "right": "17mm"}
RULED_LINES_EXERCISE = 12
RULED_LINES_PROMPT = 3
CARDS_PER_PAGE = 8
NOTES_MARGIN_LINES = 31  # 8 mm apart: the height of an A4 page's text
#: Chromium flags that behave on this kind of machine; the host rule makes every host but this
#: machine unreachable, so a sheet can never fetch anything from the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
MAP_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}


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


# --------------------------------------------------------------------------------------------
# What the pack holds (from the sources alone, so that the book can list it before it is printed)


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


# --------------------------------------------------------------------------------------------
# Words printed on every page


@functools.lru_cache(maxsize=4)
def _config_file(stamp: tuple[str, int]) -> dict:
    return config.read_yaml(stamp[0]) or {}


def book_config() -> dict:
    return _config_file(config.stamp(config.root() / "_config.yml"))


def dossier_title() -> str:
    return str(book_config().get("title", "")).strip()


def source_text() -> str:
    """The article's source line, as plain text: author, title, outlet, date."""
    from dossier import data, reading

    article = data.load_article()
    return f"{', '.join(article['authors'])}, “{article['title']}”, {article['source']}, {reading.published_on(article)}"


#: What the repository says about reuse (README.md, "Licences"): no licence for the dossier's own
#: text is stated there, so the footer gives the copyright of _config.yml and the terms on which
#: the article is quoted, no more. When the project chooses a licence, say so here.
ARTICLE_TERMS = "The article is quoted in full for teaching, commentary and criticism, with attribution to its author and outlet."


def licence_text() -> str:
    settings = book_config()
    team = str(settings.get("author", "")).split(". ")[0].strip()
    year = str(settings.get("copyright", "")).strip()
    return f"© {year} {team}. {ARTICLE_TERMS}".replace("  ", " ")


def footer_template(handout: Handout) -> str:
    """Chromium's footer for every page: title, sheet, source line, licence and page number."""
    e = html.escape
    edition = "student" if handout.edition == "student" else "instructor"
    return (
        '<div style="width:100%;margin:0 17mm;font-family:\'DejaVu Sans\',sans-serif;font-size:7pt;'
        'line-height:1.35;color:#333;border-top:0.5pt solid #999;padding-top:1.5mm">'
        '<div style="display:flex;justify-content:space-between;gap:4mm">'
        f'<span><b>{e(dossier_title())}</b> · {e(handout.title)} ({edition})</span>'
        '<span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'
        "</div>"
        f"<div>Source: {e(source_text())}.</div>"
        f"<div>{e(licence_text())}</div>"
        "</div>"
    )


# --------------------------------------------------------------------------------------------
# Reading the built books


def _soup(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https", "mailto")


class Site:
    """One built edition, read as files."""

    def __init__(self, edition: str, root: Path):
        self.edition, self.root = edition, Path(root)
        self._pages: dict[str, object] = {}

    def check(self) -> None:
        if not (self.root / "index.html").is_file():
            raise HandoutError(f"the {self.edition} edition is not built ({config.shown(self.root)}/index.html is missing): "
                               f"run `{build_command(self.edition)}` first")

    def page(self, docname: str):
        if docname not in self._pages:
            path = self.root / f"{docname}.html"
            try:
                self._pages[docname] = _soup(path.read_text(encoding="utf-8"))
            except OSError:
                raise HandoutError(f"{config.shown(path)} is missing: rebuild the {self.edition} edition "
                                   f"(`{build_command(self.edition)}`)") from None
        return self._pages[docname]

    def article(self, docname: str):
        """A copy of the page's article body (without the theme's sidebars, header and footer)."""
        article = self.page(docname).select_one("article.bd-article")
        if article is None:
            raise HandoutError(f"{config.shown(self.root / docname)}.html has no article body: rebuild the book")
        return _soup(str(article)).select_one("article")

    def stylesheets(self, docname: str) -> list[str]:
        """The page's stylesheets, relative to the site's root."""
        return [urljoin(f"{docname}.html", link["href"]) for link in self.page(docname).select('head link[rel~="stylesheet"]')]

    def reading_order(self) -> list[str]:
        """Every page of the edition in the order of its navigation sidebar (the table of contents)."""
        index = self.page("index") if (self.root / "index.html").is_file() else None
        start = None
        if index is not None:
            meta = index.select_one('meta[http-equiv="Refresh"], meta[http-equiv="refresh"]')
            if meta and "url=" in meta.get("content", ""):
                start = meta["content"].split("url=", 1)[1].strip().removesuffix(".html")
        start = start or config.chapters()[0].docname
        docnames = [start]
        for link in self.page(start).select("nav.bd-docs-nav a.reference.internal[href]"):
            target = urljoin(f"{start}.html", link["href"]).split("#")[0].removesuffix(".html")
            if target not in docnames:
                docnames.append(target)
        return docnames

    def citation_entry(self, url: str) -> tuple[str, str] | None:
        """(id, HTML of the entry) of a citation link's target on the References page."""
        path, _, fragment = url.partition("#")
        if not fragment:
            return None
        target = self.page(path.removesuffix(".html")).find(id=fragment)
        if target is None or "citation" not in (target.get("class") or []):
            return None
        paragraph = target.find("p")
        return fragment, (paragraph.decode_contents() if paragraph else target.get_text(" "))


def _strip_chrome(tree, docname: str) -> None:
    """Remove what has no meaning on paper (heading anchors, copy buttons, hidden code cells) and
    make the address of every picture relative to the site's root, where sheets are served."""
    for image in tree.find_all("img", src=True):
        image["src"] = urljoin(f"{docname}.html", image["src"])
    for element in tree.select("a.headerlink, button, .copybtn, .tag_hide-cell, .tag_remove-cell, "
                               "details.hide, .toggle-hidden, script, noscript, img.dossier-map-print"):
        element.decompose()


def _cite_and_flatten(tree, docname: str, site: Site, cited: dict[str, tuple[str, str]]) -> None:
    """Record every citation's entry (in `cited`, id -> (label, HTML)) and turn links to other pages into
    plain text; links to other hosts stay (the print stylesheet adds their address)."""
    for link in tree.find_all("a"):
        href = link.get("href", "")
        if is_external(href):
            continue
        if link.find_parent(class_="bibtex-citation") is not None:
            entry = site.citation_entry(urljoin(f"{docname}.html", href))
            if entry:
                cited.setdefault(entry[0], (normalise(link.get_text(" ")), entry[1]))
        link.unwrap()


def _sources_section(cited: dict[str, tuple[str, str]]) -> str:
    """The entries of the References page that a sheet cites, under the label the sheet shows."""
    if not cited:
        return ""
    entries = sorted(cited.values(), key=lambda entry: (entry[0].casefold(), entry[1]))
    items = "".join(f'<li class="citation"><strong>[{html.escape(label)}]</strong> {entry}</li>' for label, entry in entries)
    return ('<section class="handout-sources"><h2>Sources cited on this sheet</h2>'
            f"<ul>{items}</ul></section>")


def _fold_for_students(tree) -> None:
    """A folded part prints folded: keep the summary of each closed <details>, drop the rest."""
    for details in tree.find_all("details"):
        if details.has_attr("open"):
            continue
        for child in list(details.children):
            if getattr(child, "name", None) != "summary":
                child.extract()
    for feedback in tree.select(".dossier-quiz-feedback"):
        feedback.decompose()


def _unfold(tree) -> None:
    for details in tree.find_all("details"):
        details["open"] = ""


def _heading_text(tag) -> str:
    if tag is None:
        return ""
    tag = _soup(str(tag))
    for anchor in tag.select("a.headerlink"):
        anchor.decompose()
    return normalise(tag.get_text(" "))


# --------------------------------------------------------------------------------------------
# Sheets


@dataclass
class Sheet:
    handout: Handout
    body: str  # the HTML inside <body>
    stylesheets: list[str]  # site-relative
    site: str  # the edition whose site serves the sheet's images and stylesheets
    maps: list[str] = field(default_factory=list)  # figure ids of maps to draw as pictures
    margin: dict[str, str] = field(default_factory=lambda: dict(MARGIN))


def _ruled(lines: int) -> str:
    return f'<div class="handout-ruled" aria-hidden="true">{"<div></div>" * lines}</div>'


def _sheet_header(kicker: str, title: str, name_line: bool = True) -> str:
    who = ('<p class="handout-name">Name <span></span> Date <span class="short"></span></p>' if name_line else "")
    return (f'<header class="handout-head"><p class="handout-kicker">{html.escape(kicker)}</p>'
            f"<h1>{html.escape(title)}</h1>{who}</header>")


def reading_copy_sheet(handout: Handout, site: Site) -> Sheet:
    """The 21 paragraphs verbatim and numbered, the source line, and a ruled margin for notes."""
    from dossier import data, reading

    article = data.load_article()
    rows = data.load_paragraphs().to_dict("records")
    parts, section = [], ""
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            parts.append(f'<h2 class="reading-section">{html.escape(section)}</h2>')
        parts.append(f'<div class="reading-paragraph" id="reading-{row["id"]}"><span class="reading-number">'
                     f'{reading.paragraph_label(row)}</span><p>{html.escape(row["text"])}</p></div>')
    body = (
        '<div class="handout-notes-margin" aria-hidden="true"><p>Notes</p>' + "<div></div>" * NOTES_MARGIN_LINES + "</div>"
        '<main class="handout-reading">'
        f'<h1 class="handout-article-title">{html.escape(article["title"])}</h1>'
        + reading.source_line(article) + "".join(parts) + "</main>"
    )
    return Sheet(handout, body, site.stylesheets("book/reading"), site.edition,
                 margin={**MARGIN, "left": "16mm", "right": "12mm"})


def annotated_article_sheet(handout: Handout, site: Site) -> Sheet:
    """The annotated article: each paragraph with its open notes; the folded notes at the back."""
    from dossier import data, reading

    docname = handout.docname
    main = site.article(docname)
    _strip_chrome(main, docname)
    cited: dict[str, tuple[str, str]] = {}
    _cite_and_flatten(main, docname, site, cited)
    title = _heading_text(main.find("h1"))
    overview = main.find("section").find("section") if main.find("section") else None
    intro = "".join(str(p) for p in overview.find_all("p", recursive=False)) if overview else ""
    body, notes = [], []
    for output in main.select(".cell_output"):
        if output.find("blockquote") is None:
            continue
        section = output.find_parent("section")
        body.append(f"<h2>{html.escape(_heading_text(section.find(['h2', 'h3'])))}</h2>")
        label = ""
        for child in output.find_all(recursive=False):
            if child.name == "blockquote":
                small = child.find("small")
                label = normalise(small.get_text()) if small else ""
                body.append(f'<div class="handout-passage">{child}</div>')
            elif child.name == "details":
                summary = normalise(child.summary.get_text(" ")) if child.summary else ""
                content = child.select_one(".sd-summary-content") or child
                if child.summary:
                    child.summary.decompose()
                notes.append((label, summary.split(" (")[0], content.decode_contents()))
            else:
                body.append(str(child))
    by_paragraph: dict[str, list[tuple[str, str]]] = {}
    for label, what, content in notes:
        by_paragraph.setdefault(label, []).append((what, content))
    back = "".join(
        f'<section class="handout-note"><h3>{html.escape(label)}</h3>'
        + "".join(f'<div class="handout-note-part"><p class="handout-note-label">{html.escape(what)}</p>{content}</div>'
                  for what, content in parts)
        + "</section>"
        for label, parts in by_paragraph.items())
    article = data.load_article()
    page = (
        _sheet_header("The article, annotated", title, name_line=False)
        + reading.source_line(article) + intro
        + '<p class="handout-instruction">The notes on context and critical reading for each paragraph are at the back, '
          "after the article: read a paragraph and form your own view first, then turn to its notes.</p>"
        + "".join(body)
        + '<section class="handout-back"><h2>Notes on each paragraph</h2>' + back + "</section>"
        + _sources_section(cited)
    )
    return Sheet(handout, page, site.stylesheets(docname), site.edition)


def _question_html(question, number: int) -> str:
    from dossier.quiz import LETTERS

    options = "".join(f'<li><span class="handout-box" aria-hidden="true"></span><span class="handout-letter">{letter}.</span> '
                      f"{html.escape(option.text)}</li>" for letter, option in zip(LETTERS, question.options))
    return (f'<div class="handout-question" id="quiz-{question.id}"><p><strong>Self-check {number}.</strong> '
            f'{html.escape(question.prompt)}</p><ol class="handout-options">{options}</ol></div>')


def exercise_sheet(handout: Handout, site: Site) -> Sheet:
    """A chapter's work: prompts (the reading copy), self-checks without feedback, exercises."""
    from dossier import quiz, reading

    docname = handout.docname
    name = docname.rsplit("/", 1)[-1]
    main = site.article(docname)
    _strip_chrome(main, docname)
    title = _heading_text(main.find("h1"))
    cited: dict[str, tuple[str, str]] = {}
    parts = [_sheet_header("Exercises and self-checks", title)]
    if is_reading_copy(docname):
        prompts = reading.load_prompts()
        stages = (("before", "Before you read"), ("while", "While you read"), ("after", "After reading"))
        for stage, heading in stages:
            items = []
            for prompt in prompts[stage]:
                text = html.escape(" ".join(prompt["prompt"].split()))
                items.append(f'<li class="handout-prompt" id="prompt-{html.escape(prompt["id"])}"><p>{text}</p>'
                             f"{_ruled(RULED_LINES_PROMPT)}</li>")
            parts.append(f'<section class="handout-prompts"><h2>{heading}</h2><ol>{"".join(items)}</ol></section>')
    questions = quiz.questions(name).items
    if questions:
        parts.append('<section class="handout-questions"><h2>Check your understanding</h2>'
                     '<p class="handout-instruction">Tick one answer for each question. The answers, with the reasons, '
                     "are in the book: open the options there after you have chosen.</p>"
                     + "".join(_question_html(q, n) for n, q in enumerate(questions, start=1)) + "</section>")
    documents = main.find("section", id=lambda value: bool(value) and value.startswith("corroboration"))
    if documents is not None:
        # The corroboration exercise works on these excerpts: the sheet carries them, as the chapter
        # does, above the exercises (the excerpts are documents, not answers).
        heading = documents.find("h2")
        if heading is not None:
            heading.decompose()
        _cite_and_flatten(documents, docname, site, cited)
        _fold_for_students(documents)
        parts.append('<section class="handout-documents"><h2>Documents for the corroboration exercise</h2>'
                     + "".join(str(child) for child in documents.children) + "</section>")
    exercises = main.select(".exercise")
    if exercises:
        blocks = []
        for exercise in exercises:
            _cite_and_flatten(exercise, docname, site, cited)
            _fold_for_students(exercise)
            blocks.append(f'<div class="handout-exercise">{exercise}{_ruled(RULED_LINES_EXERCISE)}</div>')
        parts.append('<section class="handout-exercises"><h2>Exercises</h2>' + "".join(blocks) + "</section>")
    if len(parts) == 1:
        raise HandoutError(f"{docname}: no exercises, self-checks or prompts found for the sheet {handout.filename}")
    parts.append(_sources_section(cited))
    return Sheet(handout, "".join(parts), site.stylesheets(docname), site.edition)


# -- glossary cards


@dataclass(frozen=True)
class Card:
    names: tuple[str, ...]  # the term first, then its other names
    definition: str  # the first sentence of the definition, the entry's own names blanked
    number: int  # the number printed on the definition card


BLANK = "_____"


def first_sentence(text: str) -> str:
    text = normalise(text)
    return re.split(r"(?<=[.!?])\s+(?=[A-Z“(])", text, maxsplit=1)[0]


def blank_names(text: str, names: tuple[str, ...]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", BLANK, text, flags=re.I)
    return text


def card_order(names: tuple[str, ...]) -> str:
    """The definition cards' stated order: by the sha256 of the term (the same every time)."""
    return hashlib.sha256(names[0].encode("utf-8")).hexdigest()


def glossary_cards(site: Site, docname: str = "book/glossary") -> list[Card]:
    """The glossary's entries in its own (alphabetical) order; `number` follows the shuffled order."""
    glossary = site.article(docname).select_one("dl.glossary")
    if glossary is None:
        raise HandoutError(f"{config.shown(site.root / docname)}.html has no glossary list: rebuild the book")
    entries, names = [], []
    for element in glossary.find_all(["dt", "dd"], recursive=False):
        if element.name == "dt":
            for anchor in element.select("a.headerlink"):
                anchor.decompose()
            names.append(normalise(element.get_text()))
        else:
            for citation in element.select(".bibtex-citation"):
                citation.decompose()
            text = re.sub(r"\s+([.,;:)])", r"\1", normalise(element.get_text(" ")))
            entries.append((tuple(names), blank_names(first_sentence(text), tuple(names))))
            names = []
    shuffled = sorted(entries, key=lambda entry: card_order(entry[0]))
    number = {entry[0]: n for n, entry in enumerate(shuffled, start=1)}
    return [Card(names, definition, number[names]) for names, definition in entries]


def _card_pages(cards: list[str], heading: str, instruction: str) -> str:
    pages = []
    count = (len(cards) + CARDS_PER_PAGE - 1) // CARDS_PER_PAGE
    for page in range(count):
        chunk = cards[page * CARDS_PER_PAGE:(page + 1) * CARDS_PER_PAGE]
        pages.append(f'<section class="handout-cards-page"><p class="handout-cards-head"><strong>{html.escape(heading)}</strong>'
                     f" (page {page + 1} of {count}). {html.escape(instruction)}</p>"
                     f'<div class="handout-cards">{"".join(chunk)}</div></section>')
    return "".join(pages)


def cards_sheet(handout: Handout, site: Site) -> Sheet:
    cards = glossary_cards(site, handout.docname)
    terms = [f'<div class="handout-card handout-term"><span class="handout-card-kind">Term</span>'
             f'<p class="handout-card-term">{html.escape(card.names[0])}</p>'
             + (f'<p class="handout-card-aliases">also: {html.escape("; ".join(card.names[1:]))}</p>' if card.names[1:] else "")
             + "</div>" for card in cards]
    definitions = [f'<div class="handout-card handout-definition"><span class="handout-card-kind">Definition {card.number}</span>'
                   f"<p>{html.escape(card.definition)}</p></div>"
                   for card in sorted(cards, key=lambda card: card.number)]
    instruction = ("Cut along the dashed lines. Match each term to its definition; "
                   f"{BLANK} stands for the term. Full entries, with sources, are on the book's Glossary page.")
    body = (_card_pages(terms, "Glossary cards: terms, in the glossary's order", instruction)
            + _card_pages(definitions, "Glossary cards: definitions, in a fixed shuffled order", instruction))
    return Sheet(handout, body, site.stylesheets(handout.docname), site.edition,
                 margin={"top": "10mm", "bottom": "25mm", "left": "12mm", "right": "12mm"})


def cards_key_sheet(handout: Handout, site: Site) -> Sheet:
    cards = glossary_cards(site, handout.docname)
    rows = "".join(f"<tr><td>{html.escape(card.names[0])}</td><td>{card.number}</td><td>{html.escape(card.definition)}</td></tr>"
                   for card in cards)
    body = (_sheet_header("For the instructor", "Key to the glossary cards", name_line=False)
            + '<p>Each term with the number of its definition card. The definitions are the first sentence of each '
              f"entry of the Glossary, with the term replaced by {BLANK}; the cards are in a fixed order, sorted by "
              "the sha256 of the term, the same at every printing.</p>"
            + f'<table class="table handout-key"><thead><tr><th>Term</th><th>Card</th><th>Definition</th></tr></thead>'
              f"<tbody>{rows}</tbody></table>")
    return Sheet(handout, body, site.stylesheets(handout.docname), site.edition)


def timeline_sheet(handout: Handout, site: Site) -> Sheet:
    docname = handout.docname
    main = site.article(docname)
    _strip_chrome(main, docname)
    title = _heading_text(main.find("h1"))
    tables = [table for table in main.select("table")
              if [normalise(th.get_text()) for th in table.select("thead th")][:2] == ["Date", "Event"]]
    if not tables:
        raise HandoutError(f"{config.shown(site.root / docname)}.html has no table of events: rebuild the book")
    cited: dict[str, tuple[str, str]] = {}
    _cite_and_flatten(tables[0], docname, site, cited)
    body = (_sheet_header("Timeline", title, name_line=False)
            + '<p class="handout-instruction">Every event of the dossier\'s timeline, with the source it comes from; '
              "dates are as precise as the source (a year, a month or a day). The sources are listed in full after the table.</p>"
            + str(tables[0]) + _sources_section(cited))
    return Sheet(handout, body, site.stylesheets(docname), site.edition)


def page_sheet(handout: Handout, site: Site) -> Sheet:
    """An instructor page as it is, its folded parts open; for kind "section", the section of the
    page that holds the rubric (a table whose first column is "Criterion")."""
    docname = handout.docname
    main = site.article(docname)
    _strip_chrome(main, docname)
    _unfold(main)
    header = ""
    if handout.kind == "section":
        rubric = next((table for table in main.select("table")
                       if [normalise(th.get_text()) for th in table.select("thead th")][:1] == ["Criterion"]), None)
        if rubric is None:
            raise HandoutError(f"{config.shown(site.root / docname)}.html has no rubric (a table with a column 'Criterion')")
        main = rubric.find_parent("section")
        heading = main.find(["h2", "h3"])
        header = _sheet_header("Final task", _heading_text(heading), name_line=False)
        heading.decompose()
    cited: dict[str, tuple[str, str]] = {}
    _cite_and_flatten(main, docname, site, cited)
    return Sheet(handout, header + main.decode_contents() + _sources_section(cited), site.stylesheets(docname), site.edition)


def _anchor(docname: str) -> str:
    return docname.replace("/", "-")


def edition_sheet(handout: Handout, site: Site) -> Sheet:
    """Every page of the edition, in reading order, as one document: ids made unique per page,
    links between pages made links within the document, maps as pictures."""
    docnames = [d for d in site.reading_order() if d != PACK_PAGE]
    included = set(docnames)
    chapters, maps, contents = [], [], []
    for docname in docnames:
        main = site.article(docname)
        _strip_chrome(main, docname)
        prefix = _anchor(docname)
        for element in main.find_all(id=True):
            element["id"] = f"{prefix}--{element['id']}"
        for element in main.find_all(attrs={"aria-labelledby": True}):
            element["aria-labelledby"] = f"{prefix}--{element['aria-labelledby']}"
        for element in main.find_all(attrs={"aria-describedby": True}):
            element["aria-describedby"] = f"{prefix}--{element['aria-describedby']}"
        for link in main.find_all("a", href=True):
            href = link["href"]
            if is_external(href):
                continue
            target, _, fragment = urljoin(f"{docname}.html", href).partition("#")
            target = target.removesuffix(".html")
            if target in included:
                link["href"] = f"#{_anchor(target)}--{fragment}" if fragment else f"#{_anchor(target)}"
            else:
                link.unwrap()
        for figure in main.select("figure.dossier-map"):
            frame = figure.find("iframe")
            if frame is None:
                continue
            map_id = figure["id"].split("--", 1)[-1]
            maps.append(map_id)
            picture = _soup(f'<img class="dossier-map-image" data-map="{html.escape(map_id)}" '
                            f'alt="{html.escape(frame.get("title", "Map"))} (picture of the map)">').img
            frame.parent.replace_with(picture)
        if handout.edition == "student":
            _fold_for_students(main)
        else:
            _unfold(main)
        title = _heading_text(main.find("h1"))
        contents.append(f'<li><a href="#{prefix}">{html.escape(title)}</a></li>')
        chapters.append(f'<section class="handout-chapter" id="{prefix}">{main.decode_contents()}</section>')
    name = "Instructor edition" if handout.edition == "instructor" else "Student edition"
    cover = (f'<section class="handout-cover"><p class="handout-kicker">{name}</p><h1>{html.escape(dossier_title())}</h1>'
             f'<p class="handout-cover-source">Built around {html.escape(source_text())}.</p>'
             '<h2>Contents</h2><ol class="handout-contents">' + "".join(contents) + "</ol>"
             + ('<p class="handout-instruction">Folded parts of the book (the notes under each paragraph, '
                "‘Our reading’ and the answers to the self-checks) are printed folded, as in the book: open them "
                "there. Maps are printed as pictures of the map, with the table of what each shows.</p>"
                if handout.edition == "student" else
                '<p class="handout-instruction">Every folded part is printed open. Maps are printed as pictures, '
                "with the table of what each shows.</p>")
             + "</section>")
    return Sheet(handout, cover + "".join(chapters), site.stylesheets(docnames[0]), site.edition, maps=maps)


COMPOSERS = {
    "reading": reading_copy_sheet,
    "annotated": annotated_article_sheet,
    "exercises": exercise_sheet,
    "cards": cards_sheet,
    "key": cards_key_sheet,
    "timeline": timeline_sheet,
    "page": page_sheet,
    "section": page_sheet,
    "edition": edition_sheet,
}


def compose(handout: Handout, sites: dict[str, Site]) -> Sheet:
    """The sheet of one handout. Student sheets read the student site only."""
    return COMPOSERS[handout.kind](handout, sites[handout.edition])


def document(sheet: Sheet, images: dict[str, str] | None = None) -> str:
    """The whole HTML document of a sheet; `images` maps a map's figure id to a data: URL."""
    body = sheet.body
    if sheet.maps:
        tree = _soup(body)
        for picture in tree.select("img.dossier-map-image[data-map]"):
            source = (images or {}).get(picture["data-map"])
            if source is None:
                raise HandoutError(f"no picture of the map {picture['data-map']} was made")
            picture["src"] = source
        body = str(tree)
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">' for href in sheet.stylesheets)
    # The sheet's margins, also as CSS: the book's print rules set page margins of their own, and
    # the footer needs the bottom margin given here.
    page = "@page { margin: %s %s %s %s; }" % tuple(sheet.margin[side] for side in ("top", "right", "bottom", "left"))
    return ('<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
            f"<title>{html.escape(sheet.handout.title)}</title>{links}"
            f"<style>{CSS.read_text(encoding='utf-8')}\n{page}</style></head>"
            f'<body class="dossier-handout handout-{sheet.handout.kind} handout-for-{sheet.handout.edition}">{body}</body></html>')


# --------------------------------------------------------------------------------------------
# Printing


def chromium_path() -> str:
    """$CHROMIUM, else `chromium` on PATH."""
    name = os.environ.get("CHROMIUM") or "chromium"
    path = shutil.which(name) or name
    if not Path(path).is_file():
        raise HandoutError(f"chromium not found ({name!r}): install Debian's chromium (apt-get install chromium) "
                           "or set CHROMIUM=/path/to/chromium")
    return path


@contextmanager
def serve(directory: Path):
    """Serve `directory` on 127.0.0.1 at a free port; yield the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


MAP_READY_JS = """() => window.L && Object.values(window).some(v => {
  try { return v instanceof L.Map && v.getSize().x > 0; } catch (e) { return false; }
})"""


class Printer:
    """One browser and one tab, reused for every map picture and every sheet."""

    def __init__(self, sites: dict[str, Site]):
        self.sites = sites
        self.urls: dict[str, str] = {}
        self.documents: dict[str, str] = {}

    def __enter__(self) -> "Printer":
        from contextlib import ExitStack

        self._stack = ExitStack()
        try:
            for edition, site in self.sites.items():
                self.urls[edition] = self._stack.enter_context(serve(site.root))
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                raise HandoutError("playwright is not installed: pip install -r requirements.txt") from None
            playwright = self._stack.enter_context(sync_playwright())
            try:
                self.browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            except HandoutError:
                raise
            except Exception as exc:  # playwright's own error types
                raise HandoutError(f"chromium did not start: {str(exc).splitlines()[0]}") from None
            self._stack.callback(self.browser.close)
            self.context = self.browser.new_context(viewport=VIEWPORT, device_scale_factor=2)
            self.context.route("**/_handout-*.html", self._fulfil)
            self.page = self.context.new_page()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _fulfil(self, route) -> None:
        text = self.documents.get(route.request.url)
        if text is None:
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=text)

    def map_pictures(self, edition: str, docnames: list[str]) -> dict[str, bytes]:
        """A JPEG of every map on these pages, drawn by the live map (figure id -> bytes)."""
        pictures: dict[str, bytes] = {}
        page = self.page
        for docname in docnames:
            page.goto(self.urls[edition] + f"{docname}.html", wait_until="load")
            figures = page.locator("figure.dossier-map")
            for number in range(figures.count()):
                figure = figures.nth(number)
                frame_element = figure.locator("iframe")
                frame_element.scroll_into_view_if_needed()
                frame = frame_element.element_handle().content_frame()
                frame.wait_for_load_state("load")
                try:
                    frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
                except Exception:
                    raise HandoutError(f"{docname}: the map {figure.get_attribute('id')} did not draw "
                                       f"within {MAP_TIMEOUT_MS // 1000} s") from None
                frame.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150))))")
                pictures[figure.get_attribute("id")] = frame_element.screenshot(type="jpeg", quality=88)
        return pictures

    def pdf(self, sheet: Sheet, images: dict[str, str] | None = None) -> bytes:
        url = f"{self.urls[sheet.site]}_handout-{sheet.handout.name}.html"
        self.documents[url] = document(sheet, images)
        try:
            self.page.goto(url, wait_until="load")
            self.page.evaluate("() => document.fonts.ready.then(() => true)")
            return self.page.pdf(
                format="A4", margin=sheet.margin, print_background=True, display_header_footer=True,
                header_template="<span></span>", footer_template=footer_template(sheet.handout),
                outline=sheet.handout.kind == "edition", tagged=True,
            )
        finally:
            del self.documents[url]


# --------------------------------------------------------------------------------------------
# Making the pack


@contextmanager
def _browser_errors(kind):
    """A failure inside the browser (a page that does not load, a timeout) as one line."""
    try:
        yield
    except HandoutError:
        raise
    except kind as exc:
        raise HandoutError(f"the browser failed: {str(exc).strip().splitlines()[0]}") from None


def check_writable(out: Path) -> None:
    """Fail early, with one line, if `out` cannot hold the pack."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".handouts-check-"):
            pass
    except OSError as exc:
        raise HandoutError(f"cannot write to {config.shown(out)}: {exc.strerror or exc}") from None


def pdf_pages(data: bytes) -> int:
    import io as stdio

    from pypdf import PdfReader

    return len(PdfReader(stdio.BytesIO(data)).pages)


@dataclass
class Result:
    written: list[Path]
    manifest: dict


def make(out: Path | None = None, sites: dict[str, Path] | None = None, only: list[str] | None = None,
         log=None) -> Result:
    """Compose every sheet, print it and write the pack into `out` (default `_build/handouts/`):
    `out/student/*.pdf`, `out/instructor/*.pdf`, `out/maps/*.jpg` and `out/manifest.json`, all or
    nothing. `sites` overrides where the built editions are; `only` limits the pack to these names."""
    out = Path(out) if out is not None else default_out()
    roots = {edition: Path((sites or {}).get(edition) or site_dir(edition)) for edition in EDITIONS}
    readers = {edition: Site(edition, root) for edition, root in roots.items()}
    handouts = [h for h in catalogue() if not only or h.name in only]
    if only and len(handouts) != len(set(only)):
        unknown = sorted(set(only) - {h.name for h in handouts})
        raise HandoutError(f"unknown handout {unknown[0]!r}; known: {', '.join(h.name for h in catalogue())}")
    for reader in readers.values():
        reader.check()
    chromium_path()
    check_writable(out)
    sheets = [compose(handout, readers) for handout in handouts]
    files: dict[Path, bytes] = {}
    # A partial run (`only`) updates the manifest of the pack already there.
    manifest: dict = read_manifest(out) if only else {"pdfs": {}, "maps": []}
    try:
        from playwright.sync_api import Error as BrowserError
    except ImportError:  # reported by Printer, with what to do
        BrowserError = HandoutError
    with Printer(readers) as printer, _browser_errors(BrowserError):
        map_pages = sorted(f"book/{chapter}" for chapter in config.map_chapters())
        pictures = printer.map_pictures("student", map_pages) if any(sheet.maps for sheet in sheets) else {}
        images = {map_id: "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
                  for map_id, data in pictures.items()}
        for map_id, data in sorted(pictures.items()):
            files[out / MAPS_DIR / f"{map_id}.jpg"] = data
        manifest["maps"] = sorted(set(manifest.get("maps", [])) | {f"{map_id}.jpg" for map_id in pictures})
        for sheet in sheets:
            mark = time.perf_counter()
            data = printer.pdf(sheet, images)
            seconds = time.perf_counter() - mark
            files[sheet.handout.path(out)] = data
            pages = pdf_pages(data)
            manifest["pdfs"][f"{sheet.handout.edition}/{sheet.handout.filename}"] = {
                "title": sheet.handout.title, "pages": pages, "bytes": len(data)}
            if log:
                log(f"{sheet.handout.edition}/{sheet.handout.filename}: {pages} pages ({seconds:.1f} s)")
    files[out / MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    from dossier import io as dossier_io

    try:
        written = dossier_io.commit_files(files)
    except OSError as exc:
        raise HandoutError(f"cannot write the pack into {config.shown(out)}: {exc.strerror or exc}") from None
    if not only:
        keep = set(written)
        for folder in [out / edition for edition in EDITIONS] + [out / MAPS_DIR]:
            for stale in folder.glob("*"):
                if stale.is_file() and stale not in keep:
                    stale.unlink()
    return Result(written, manifest)


# --------------------------------------------------------------------------------------------
# Publishing the pack inside a built site (used by dossier.sphinxext.handouts)


def read_manifest(pack: Path) -> dict:
    try:
        return json.loads((Path(pack) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"pdfs": {}, "maps": []}


def published_files(pack: Path, site_edition: str) -> dict[str, Path]:
    """What a site of `site_edition` publishes from the pack in `pack`: its path inside the site's
    `handouts/` folder -> the file. The student site gets the student PDFs and the map pictures,
    never an instructor PDF."""
    pack = Path(pack)
    found: dict[str, Path] = {}
    for edition in visible_to(site_edition):
        for handout in catalogue(edition):
            path = handout.path(pack)
            if path.is_file():
                found[f"{edition}/{handout.filename}"] = path
    for picture in sorted((pack / MAPS_DIR).glob("*.jpg")) if (pack / MAPS_DIR).is_dir() else []:
        found[f"{MAPS_DIR}/{picture.name}"] = picture
    return found


def publish(pack: Path, site_root: Path, site_edition: str) -> list[Path]:
    """Replace `site_root/handouts/` by the files the site may publish; return what was copied."""
    target = Path(site_root) / PUBLISHED_DIR
    files = published_files(pack, site_edition)
    if target.exists():
        shutil.rmtree(target)
    copied = []
    for relative, source in files.items():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def fingerprint(pack: Path, site_edition: str) -> str:
    """Changes whenever a file the site would publish changes (for Sphinx's rebuild decision)."""
    parts = []
    for relative, path in sorted(published_files(pack, site_edition).items()):
        stat = path.stat()
        parts.append(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def size_label(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
