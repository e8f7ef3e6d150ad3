"""The site a sheet is made from: a built edition read as files (:class:`Site`), and what is done
to a page's HTML before it goes on paper (chrome stripped, citations collected, folded parts folded
or opened)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from dossier import config
from dossier.handouts.contents import HandoutError, build_command


def soup(text: str):
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
                self._pages[docname] = soup(path.read_text(encoding="utf-8"))
            except OSError:
                raise HandoutError(f"{config.shown(path)} is missing: rebuild the {self.edition} edition "
                                   f"(`{build_command(self.edition)}`)") from None
        return self._pages[docname]

    def article(self, docname: str):
        """A copy of the page's article body (without the theme's sidebars, header and footer)."""
        article = self.page(docname).select_one("article.bd-article")
        if article is None:
            raise HandoutError(f"{config.shown(self.root / docname)}.html has no article body: rebuild the book")
        return soup(str(article)).select_one("article")

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


def strip_chrome(tree, docname: str) -> None:
    """Remove what has no meaning on paper (heading anchors, copy buttons, hidden code cells) and
    make the address of every picture relative to the site's root, where sheets are served."""
    for image in tree.find_all("img", src=True):
        image["src"] = urljoin(f"{docname}.html", image["src"])
    for element in tree.select("a.headerlink, button, .copybtn, .tag_hide-cell, .tag_remove-cell, "
                               "details.hide, .toggle-hidden, script, noscript, img.dossier-map-print"):
        element.decompose()


def cite_and_flatten(tree, docname: str, site: Site, cited: dict[str, tuple[str, str]]) -> None:
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


def sources_section(cited: dict[str, tuple[str, str]]) -> str:
    """The entries of the References page that a sheet cites, under the label the sheet shows."""
    if not cited:
        return ""
    entries = sorted(cited.values(), key=lambda entry: (entry[0].casefold(), entry[1]))
    items = "".join(f'<li class="citation"><strong>[{html.escape(label)}]</strong> {entry}</li>' for label, entry in entries)
    return ('<section class="handout-sources"><h2>Sources cited on this sheet</h2>'
            f"<ul>{items}</ul></section>")


def fold_for_students(tree) -> None:
    """A folded part prints folded: keep the summary of each closed <details>, drop the rest."""
    for details in tree.find_all("details"):
        if details.has_attr("open"):
            continue
        for child in list(details.children):
            if getattr(child, "name", None) != "summary":
                child.extract()
    for feedback in tree.select(".dossier-quiz-feedback"):
        feedback.decompose()


def unfold(tree) -> None:
    for details in tree.find_all("details"):
        details["open"] = ""


def heading_text(tag) -> str:
    if tag is None:
        return ""
    tag = soup(str(tag))
    for anchor in tag.select("a.headerlink"):
        anchor.decompose()
    return normalise(tag.get_text(" "))
