"""Sphinx extension: the References page's citation style (pybtex style "dossier").

book/references.bib records what was read, biblatex style: a news story is an `@article` whose
`journaltitle` is the outlet (a wire story names the agency as author and the republisher as
`journaltitle`), a report is a `@report` with its `institution` and `number`, a web page is an
`@online`; `date` gives the day and `urldate` the day the copy at `url` was read. pybtex's "plain"
style knows only BibTeX's fields (`journal`, `year`) and stops at a `@report`, so this style
extends it: the outlet or institution in italics, the full date where there is one, the address
of the copy read and "read on <urldate>", and the note (which names an original where the copy
read was a mirror or a republication).

Every entry keeps a `year` as well (the in-text author–year citations need it; a test checks it
agrees with `date`).
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import first_of, field, href, join, optional, optional_field, sentence, tag, words

NAME = "dossier"

date = first_of[optional_field("date"), words[optional_field("month"), field("year")]]
venue = first_of[optional_field("journaltitle"), optional_field("journal"), optional_field("howpublished"),
                 optional_field("organization")]


class DossierStyle(PlainStyle):
    """pybtex's plain style, reading the biblatex fields the dossier's bibliography uses."""

    def format_author_or_body(self, e):
        return first_of[optional[self.format_names("author")], optional[sentence[field("institution")]]]

    def get_article_template(self, e):
        return toplevel[
            self.format_author_or_body(e),
            self.format_title(e, "title"),
            sentence[optional[tag("em")[venue]], optional[field("volume")], optional[field("pages")], date],
            optional[sentence[join["doi: ", field("doi", raw=True)]]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_report_template(self, e):
        return toplevel[
            self.format_author_or_body(e),
            self.format_title(e, "title"),
            sentence[optional[tag("em")[field("institution")]], optional_field("number"), date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_online_template(self, e):
        return toplevel[
            optional[self.format_author_or_body(e)],
            self.format_title(e, "title"),
            sentence[optional[tag("em")[venue]], optional[date]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return self.get_online_template(e)

    def get_book_template(self, e):
        return toplevel[
            self.format_author_or_body(e),
            self.format_btitle(e, "title"),
            sentence[optional_field("publisher"), date],
            optional[sentence[join["doi: ", field("doi", raw=True)]]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        url = field("url", raw=True)
        return sentence[optional[words[href(url)[url], optional[join["(read on ", field("urldate"), ")"]]]]]


register_plugin("pybtex.style.formatting", NAME, DossierStyle)


def setup(app) -> dict:
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
