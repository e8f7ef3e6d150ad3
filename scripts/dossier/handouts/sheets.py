"""The sheets: each handout of the catalogue composed as one HTML document (:func:`compose`,
:func:`document`), from the data and the built site, ready for the printer.

Student sheets are composed by inclusion (the paragraphs, the exercises, the questions and their
options), so an answer can reach them only if it is inside an exercise on a student page; and on
top of that, every folded part of a student page is printed folded: its summary only."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from dossier import config
from dossier.handouts.contents import PACK_PAGE, Handout, HandoutError, is_reading_copy
from dossier.handouts.footer import dossier_title, source_text
from dossier.handouts.site import (Site, cite_and_flatten, fold_for_students, heading_text, is_external, normalise, soup,
                                   sources_section, strip_chrome, unfold)

CSS = Path(__file__).with_name("handouts.css")

# Page geometry (A4). The footer is printed in the bottom margin.
MARGIN = {"top": "14mm", "bottom": "25mm", "left": "17mm", "right": "17mm"}
RULED_LINES_EXERCISE = 12
RULED_LINES_PROMPT = 3
CARDS_PER_PAGE = 8
NOTES_MARGIN_LINES = 31  # 8 mm apart: the height of an A4 page's text


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
        # The byline, and under the text the disclaimer and the author's description, as the page
        # printed them: the reading prompts ask about both.
        + reading.byline_line(article) + reading.source_line(article) + "".join(parts)
        + reading.after_text(article) + "</main>"
    )
    return Sheet(handout, body, site.stylesheets("book/reading"), site.edition,
                 margin={**MARGIN, "left": "16mm", "right": "12mm"})


def annotated_article_sheet(handout: Handout, site: Site) -> Sheet:
    """The annotated article: each paragraph with its open notes; the folded notes at the back."""
    from dossier import data, reading

    docname = handout.docname
    main = site.article(docname)
    strip_chrome(main, docname)
    cited: dict[str, tuple[str, str]] = {}
    cite_and_flatten(main, docname, site, cited)
    title = heading_text(main.find("h1"))
    overview = main.find("section").find("section") if main.find("section") else None
    intro = "".join(str(p) for p in overview.find_all("p", recursive=False)) if overview else ""
    body, notes = [], []
    for output in main.select(".cell_output"):
        if output.find("blockquote") is None:
            continue
        section = output.find_parent("section")
        body.append(f"<h2>{html.escape(heading_text(section.find(['h2', 'h3'])))}</h2>")
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
        + sources_section(cited)
    )
    return Sheet(handout, page, site.stylesheets(docname), site.edition)


def _question_html(question, number: int) -> str:
    from dossier.quiz import LETTERS

    options = "".join(f'<li><span class="handout-box" aria-hidden="true"></span><span class="handout-letter">{letter}.</span> '
                      f"{html.escape(option.text)}</li>" for letter, option in zip(LETTERS, question.options))
    return (f'<div class="handout-question" id="quiz-{question.id}"><p><strong>Self-check {number}.</strong> '
            f'{html.escape(question.prompt)}</p><ol class="handout-options">{options}</ol></div>')


ANSWER_LINES = {"verdict": 1}  # lines for a box whose id ends so; others get ANSWER_LINES_DEFAULT
ANSWER_LINES_DEFAULT = 4


def _document_sections(main) -> list:
    """The sections that hold a chapter's documents (the outlook has two sets), in page order."""
    sections = []
    for document in main.select(".corroboration-document"):
        section = document.find_parent("section")
        if section is not None and section not in sections:
            sections.append(section)
    return sections


def _paper_section(section, css_class: str, heading: str) -> str:
    """A section of the page made for paper: its heading kept under the sheet's own, code cells
    dropped, and each answer box of the page (see dossier.work) as ruled lines under its label."""
    for cell_input in section.select("details.above-input, .cell_input"):
        cell_input.decompose()
    for box in section.select(".dossier-answer"):
        label = box.get("data-answer-label", "")
        lines = ANSWER_LINES.get(box.get("data-answer-id", "").rsplit("-", 1)[-1], ANSWER_LINES_DEFAULT)
        box.replace_with(soup(f'<div class="handout-answer"><p class="handout-answer-label">{html.escape(label)}</p>'
                              f"{_ruled(lines)}</div>"))
    title = section.find(["h2", "h3"])
    own = heading_text(title)
    if title is not None:
        title.decompose()
    inner = "".join(str(child) for child in section.children)
    return f'<section class="{css_class}"><h2>{html.escape(heading)}</h2><h3>{html.escape(own)}</h3>{inner}</section>'


def exercise_sheet(handout: Handout, site: Site) -> Sheet:
    """A chapter's work: prompts (the reading copy), self-checks without feedback, exercises."""
    from dossier import quiz, reading

    docname = handout.docname
    name = docname.rsplit("/", 1)[-1]
    main = site.article(docname)
    strip_chrome(main, docname)
    title = heading_text(main.find("h1"))
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
    for section in _document_sections(main):
        # The corroboration exercise works on these excerpts: the sheet carries them, as the chapter
        # does, above the exercises (the excerpts are documents, not answers), each set under its
        # own heading, with ruled lines where the page has an answer box.
        cite_and_flatten(section, docname, site, cited)
        fold_for_students(section)
        parts.append(_paper_section(section, "handout-documents", "Documents for the corroboration exercise"))
    scorecard = main.select_one(".scorecard-forecast")
    if scorecard is not None:
        # The outlook's scorecard is filled in on paper too: each forecast with its record unfolded
        # (the record is evidence, not an answer) and lines for the verdict and the reasons.
        section = scorecard.find_parent("section")
        cite_and_flatten(section, docname, site, cited)
        unfold(section)
        parts.append(_paper_section(section, "handout-scorecard", "Scorecard: the article's forecasts"))
    exercises = main.select(".exercise")
    if exercises:
        blocks = []
        for exercise in exercises:
            cite_and_flatten(exercise, docname, site, cited)
            fold_for_students(exercise)
            blocks.append(f'<div class="handout-exercise">{exercise}{_ruled(RULED_LINES_EXERCISE)}</div>')
        parts.append('<section class="handout-exercises"><h2>Exercises</h2>' + "".join(blocks) + "</section>")
    if len(parts) == 1:
        raise HandoutError(f"{docname}: no exercises, self-checks or prompts found for the sheet {handout.filename}")
    parts.append(sources_section(cited))
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
    strip_chrome(main, docname)
    title = heading_text(main.find("h1"))
    # The events up to the article are a table (date, event, source); those since, a list that
    # says whose account each is. Each prints under its section's heading.
    blocks = [block for block in main.select("table, .cell_output ul")
              if (block.name == "table" and [normalise(th.get_text()) for th in block.select("thead th")][:2] == ["Date", "Event"])
              or (block.name == "ul" and block.select_one(":scope > li > p > strong, :scope > li > strong") is not None)]
    if not blocks:
        raise HandoutError(f"{config.shown(site.root / docname)}.html has no table of events: rebuild the book")
    cited: dict[str, tuple[str, str]] = {}
    parts = []
    for block in blocks:
        cite_and_flatten(block, docname, site, cited)
        heading = block.find_parent("section").find(["h2", "h3"])
        parts.append(f"<h2>{html.escape(heading_text(heading))}</h2>{block}")
    body = (_sheet_header("Timeline", title, name_line=False)
            + '<p class="handout-instruction">Every event of the dossier\'s timeline, with the source it comes from; '
              "dates are as precise as the source (a year, a month or a day). Since the article, each event says whose "
              "account it is. The sources are listed in full at the end.</p>"
            + "".join(parts) + sources_section(cited))
    return Sheet(handout, body, site.stylesheets(docname), site.edition)


def page_sheet(handout: Handout, site: Site) -> Sheet:
    """An instructor page as it is, its folded parts open; for kind "section", the section of the
    page that holds the rubric (a table whose first column is "Criterion")."""
    docname = handout.docname
    main = site.article(docname)
    strip_chrome(main, docname)
    unfold(main)
    header = ""
    if handout.kind == "section":
        rubric = next((table for table in main.select("table")
                       if [normalise(th.get_text()) for th in table.select("thead th")][:1] == ["Criterion"]), None)
        if rubric is None:
            raise HandoutError(f"{config.shown(site.root / docname)}.html has no rubric (a table with a column 'Criterion')")
        main = rubric.find_parent("section")
        heading = main.find(["h2", "h3"])
        header = _sheet_header("Final task", heading_text(heading), name_line=False)
        heading.decompose()
    cited: dict[str, tuple[str, str]] = {}
    cite_and_flatten(main, docname, site, cited)
    return Sheet(handout, header + main.decode_contents() + sources_section(cited), site.stylesheets(docname), site.edition)


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
        strip_chrome(main, docname)
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
            picture = soup(f'<img class="dossier-map-image" data-map="{html.escape(map_id)}" '
                            f'alt="{html.escape(frame.get("title", "Map"))} (picture of the map)">').img
            frame.parent.replace_with(picture)
        if handout.edition == "student":
            fold_for_students(main)
        else:
            unfold(main)
        title = heading_text(main.find("h1"))
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
        tree = soup(body)
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
