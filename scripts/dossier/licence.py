"""The dossier's licence line, written once: the book's footer (`dossier.sphinxext.editions`) and
the printed pack's footer (`dossier.handouts`) both take it from here, and `LICENSE` and the
README say the same at length (a test holds them together).

* The dossier's own text, data, maps and handouts: Creative Commons Attribution 4.0 (CC BY 4.0).
* Its code (`scripts/`, `tests/`, the build files): MIT.
* The article and the documents quoted in the dossier remain their authors' and outlets'
  copyright: they are quoted for teaching, criticism and review, with attribution.

The holder and the year are the `author` (its first sentence) and `copyright` of `_config.yml`;
the article's attribution is the source line of `data/article.json`.
"""

from __future__ import annotations

import datetime
import html
import json
from dataclasses import dataclass
from functools import lru_cache

from dossier import config

CC_BY = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
MIT = ("MIT", "https://opensource.org/license/mit")


@dataclass(frozen=True)
class Licence:
    title: str
    holder: str
    year: str
    article: str  # the article's attribution: author, title, outlet, date

    def parts(self) -> list[tuple[str, str | None]]:
        """The line as (text, link or None) pieces, in order."""
        return [
            (f"© {self.year} {self.holder}. {self.title}: text, data, maps and handouts under ", None),
            CC_BY,
            (", code under the ", None),
            (f"{MIT[0]} licence", MIT[1]),
            (" (credit the dossier and say what you changed). The article and the documents quoted remain "
             "their authors' and outlets' copyright, quoted for teaching, criticism and review.", None),
        ]

    def text(self) -> str:
        """The line as plain text, with each licence's address after its name."""
        return "".join(text if link is None else f"{text} ({link})" for text, link in self.parts())

    def html(self) -> str:
        """The line as HTML, with each licence linked."""
        return "".join(html.escape(text, quote=False) if link is None
                       else f'<a href="{html.escape(link)}" rel="license">{html.escape(text)}</a>'
                       for text, link in self.parts())


@lru_cache(maxsize=None)
def _licence(stamp: tuple[str, int], article_stamp: tuple[str, int]) -> Licence:
    book = config.read_yaml(stamp[0])
    article = json.loads(open(article_stamp[0], encoding="utf-8").read())
    holder = str(book["author"]).split(". ")[0].strip().rstrip(".")
    holder = holder[0].upper() + holder[1:]
    authors = ", ".join(article.get("authors") or []) or "its author"
    date = datetime.date.fromisoformat(str(article["published"])[:10])
    date = f"{date.day} {date:%B %Y}"
    attribution = f"{authors}, “{article['title']}”, {article.get('source', 'its outlet')}, {date}"
    return Licence(title=str(book["title"]), holder=holder, year=str(book["copyright"]), article=attribution)


def licence() -> Licence:
    """The dossier's licence, from `_config.yml` and `data/article.json`."""
    return _licence(config.stamp(config.root() / "_config.yml"), config.stamp(config.data_dir() / "article.json"))
