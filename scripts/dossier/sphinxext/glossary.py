"""Sphinx extension: the Glossary page's entries are written from data/glossary.yml.

book/glossary.md holds the page's title and introduction and, where the entries go, a placeholder:

    ```{glossary-from-data}
    ```

When Sphinx reads a page (`source-read`), the placeholder is replaced by the ```{glossary} block
that :func:`dossier.glossary.glossary_block` writes from the data. Sphinx's own glossary directive
then reads the entries exactly as it read them when they were typed into the page: every
{term}`...` link of the book resolves to them, aliases included, and the built page has the same
`dl.glossary` the printed glossary cards are made from (dossier.handouts).

Why this way: the alternatives were a directive of our own that builds the definition list (it
would have to redo what Sphinx's glossary does: term targets, ids, index entries, the check for
duplicate terms) and a script that writes the block into book/glossary.md before each build (a
generated copy of the data committed beside it, which can drift). Rewriting the source as it is
read keeps one copy of the data and lets Sphinx do the rest.

The page is read again when data/glossary.yml changes, or a notebook whose title an entry shows
(`env.note_dependency`). A malformed glossary.yml stops the build with its one-line message.
A placeholder left on a page without this extension fails the build as an unknown directive.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from dossier import config, glossary

PLACEHOLDER = re.compile(r"^```\{glossary-from-data\}[ \t]*\n```[ \t]*$", re.M)


class GlossaryError(SphinxError):
    category = "Glossary error"


def write_entries(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace the placeholder of a page with the glossary's entries."""
    if not PLACEHOLDER.search(source[0]):
        return
    try:
        block = glossary.glossary_block()
        chapters = sorted({name for term in glossary.terms() for name in term.chapters})
    except (config.ConfigError, config.UnknownName) as error:
        raise GlossaryError(str(error)) from None
    app.env.note_dependency(str(glossary.path()))
    for name in chapters:
        app.env.note_dependency(str(config.root() / "book" / f"{name}.ipynb"))
    source[0] = PLACEHOLDER.sub(lambda _match: block.rstrip("\n"), source[0], count=1)


def setup(app: Sphinx) -> dict:
    app.connect("source-read", write_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
