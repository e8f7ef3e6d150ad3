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

The package, by role (each module imports only those above it):

| module | role |
| --- | --- |
| `contents` | what the pack holds (:func:`catalogue`), where the built sites and the pack are, :class:`HandoutError` |
| `footer` | the words printed on every page: title, source line, licence (:func:`footer_template`) |
| `site` | the site a sheet is made from: a built edition read as files (:class:`Site`), and the HTML clean-up |
| `sheets` | each sheet composed as an HTML document (:func:`compose`, :func:`document`), `handouts.css` beside it |
| `printer` | chromium through Playwright, the sites served on 127.0.0.1 (:class:`Printer`, :func:`serve`) |
| `pack` | the pack made all or nothing (:func:`make`), and published inside a built site (:func:`publish`) |

This module only gathers the names the rest of the project uses (`dossier.handouts.make`, …).

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
end of `book/_static/dossier.css`) and `handouts.css` in this package; `page.pdf()` prints it on
A4 with a footer on every page (the dossier's title, the article's source line, the licence and
the page number). Fonts are embedded by chromium.

Writing is all or nothing (:func:`dossier.io.commit_files`): the PDFs, the map pictures and
`manifest.json` appear together or not at all. Every failure that a user can cause (a book not
built, chromium missing, an output folder that cannot be written) is a :class:`HandoutError` with
a one-line message.
"""

from dossier.handouts.contents import (EDITIONS, MANIFEST, MAPS_DIR, PACK_PAGE, PUBLISHED_DIR, Handout, HandoutError,
                                       build_command, build_dir, catalogue, default_out, is_reading_copy, site_dir,
                                       visible_to, work_chapters)
from dossier.handouts.footer import book_config, dossier_title, footer_template, licence_text, source_text
from dossier.handouts.pack import (Result, fingerprint, make, pdf_pages, publish, published_files, read_manifest,
                                   size_label)
from dossier.handouts.printer import CHROMIUM_ARGS, MAP_TIMEOUT_MS, VIEWPORT, Printer, chromium_path, serve
from dossier.handouts.sheets import Card, Sheet, card_order, compose, document, glossary_cards
from dossier.handouts.site import Site, is_external, normalise

__all__ = [
    "CHROMIUM_ARGS", "EDITIONS", "MANIFEST", "MAPS_DIR", "MAP_TIMEOUT_MS", "PACK_PAGE", "PUBLISHED_DIR", "VIEWPORT",
    "Card", "Handout", "HandoutError", "Printer", "Result", "Sheet", "Site",
    "book_config", "build_command", "build_dir", "card_order", "catalogue", "chromium_path", "compose", "default_out",
    "document", "dossier_title", "fingerprint", "footer_template", "glossary_cards", "is_external", "is_reading_copy",
    "licence_text", "make", "normalise", "pdf_pages", "publish", "published_files", "read_manifest", "serve",
    "site_dir", "size_label", "source_text", "visible_to", "work_chapters",
]
