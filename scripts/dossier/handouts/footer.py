"""Words printed on every page of the pack: the dossier's title, the article's source line and the
licence line, in chromium's footer (:func:`footer_template`)."""

from __future__ import annotations

import functools
import html

from dossier import config
from dossier.handouts.contents import Handout


@functools.lru_cache(maxsize=4)
def _config_file(stamp: tuple[str, int]) -> dict:
    return config.read_yaml(stamp[0]) or {}


def book_config() -> dict:
    return _config_file(config.stamp(config.root() / "_config.yml"))


def dossier_title() -> str:
    return config.book_title()


def source_text() -> str:
    """The article's source line, as plain text: author, title, outlet, date."""
    from dossier import data, reading

    article = data.load_article()
    return f"{', '.join(article['authors'])}, “{article['title']}”, {article['source']}, {reading.published_on(article)}"


def licence_text() -> str:
    """The dossier's licence line, written once in dossier.licence (the book's footer has it too)."""
    from dossier.licence import licence

    return licence().text()


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
