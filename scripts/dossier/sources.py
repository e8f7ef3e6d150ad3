"""The dossier's bibliography, book/references.bib, as data: for self-check feedback, the
"Who speaks in this dossier" page and the tests.

    from dossier import sources
    sources.short("dawn2022ttpceasefire")      # 'Dawn, 2022'
    sources.load()["dawn2022ttpceasefire"].kind

Each entry's `keywords` field gives its kind and origin (`kind:news, origin:pakistan`); the
vocabularies are KINDS and the countries used in the file. Parsed with pybtex, the library
Jupyter Book's own bibliography (sphinxcontrib-bibtex) uses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from pybtex.database import parse_file

from dossier import config, work
from dossier.config import SOURCE_KINDS as KINDS
from dossier.config import STANDPOINTS
from dossier.markup import escape_markdown


@dataclass(frozen=True)
class Source:
    key: str
    authors: str  # as written, braces removed ("Dawn", "Ramezani Bonesh, Farzad")
    title: str
    year: str
    venue: str  # journaltitle, institution or publisher
    url: str
    kind: str
    origin: str

    @property
    def short(self) -> str:
        """How a citation names it in plain text: 'Dawn, 2022', or for an entry without an author
        its venue and title: "Wikipedia, ‘Pakistani Taliban’"."""
        first = self.authors.split(" and ")[0]
        name = first.split(",")[0] if "," in first else first
        if not name:
            return f"{self.venue}, ‘{self.title}’" if self.venue else f"‘{self.title}’"
        return f"{name}, {self.year}" if self.year else name


def _plain(text: str) -> str:
    text = re.sub(r"\\([&%$#_{}])", r"\1", text)
    return " ".join(text.replace("{", "").replace("}", "").replace("--", "–").split())


def _keywords(text: str) -> dict[str, str]:
    found = {}
    for part in text.split(","):
        if ":" in part:
            name, value = part.split(":", 1)
            found[name.strip()] = value.strip()
    return found


@lru_cache(maxsize=4)
def _load(stamp: tuple[str, int]) -> dict[str, Source]:
    database = parse_file(stamp[0], bib_format="bibtex")
    found = {}
    for key, entry in database.entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        persons = " and ".join(str(p) for role in ("author", "editor") for p in entry.persons.get(role, []))
        date = fields.get("date", "")
        keywords = _keywords(fields.get("keywords", ""))
        found[key] = Source(
            key=key,
            authors=_plain(persons or fields.get("organization", "") or fields.get("institution", "")),
            title=_plain(fields.get("title", "")),
            year=fields.get("year", "") or date[:4],
            venue=_plain(fields.get("journaltitle", "") or fields.get("journal", "") or fields.get("institution", "")
                         or fields.get("publisher", "") or fields.get("howpublished", "")),
            url=fields.get("url", ""),
            kind=keywords.get("kind", ""),
            origin=keywords.get("origin", ""),
        )
    return found


def load() -> dict[str, Source]:
    """Every entry of book/references.bib, by key, in file order."""
    return _load(config.stamp(config.root() / "book" / "references.bib"))


def get(key: str) -> Source:
    entries = load()
    if key not in entries:
        raise config.unknown("source", key, list(entries)[:5] + ["..."], "book/references.bib")
    return entries[key]


def short(key: str) -> str:
    """A plain-text citation of `key`: 'Dawn, 2022'."""
    return get(key).short


# --------------------------------------------------------------------------------------------
# Who speaks: sources counted by kind and origin

def origin_label(origin: str) -> str:
    """'united-kingdom' -> 'United Kingdom'; 'international' stays a word."""
    if origin in ("", "unknown"):
        return "Not established"
    return origin.replace("-", " ").title()


def _share(n: int, total: int) -> str:
    """A share as a whole percentage; a small non-zero share is '<1%', not '0%'."""
    share = 100 * n / total
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


@dataclass
class WhoSpeaks:
    """The bibliography counted: by kind of source, by the publisher's country, and both."""

    entries: list[Source]

    def counts(self) -> dict[str, dict[str, int]]:
        by_kind: dict[str, int] = {kind: 0 for kind in KINDS}
        by_origin: dict[str, int] = {}
        for entry in self.entries:
            by_kind[entry.kind] = by_kind.get(entry.kind, 0) + 1
            by_origin[entry.origin] = by_origin.get(entry.origin, 0) + 1
        return {"kind": by_kind, "origin": dict(sorted(by_origin.items(), key=lambda kv: (kv[0] in ("", "unknown"), -kv[1], kv[0])))}

    def _rows(self) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
        total = len(self.entries)
        counts = self.counts()
        kinds = [(KINDS.get(k, k), n, _share(n, total)) for k, n in counts["kind"].items()]
        origins = [(origin_label(o), n, _share(n, total)) for o, n in counts["origin"].items()]
        return kinds, origins

    def _repr_markdown_(self) -> str:
        kinds, origins = self._rows()
        lines = [f"The bibliography holds **{len(self.entries)}** sources.", "",
                 "| Kind of source | Sources | Share |", "| --- | ---: | ---: |"]
        lines += [f"| {label} | {n} | {share} |" for label, n, share in kinds]
        lines += ["", "| Where the publisher is based | Sources | Share |", "| --- | ---: | ---: |"]
        lines += [f"| {label} | {n} | {share} |" for label, n, share in origins]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        kinds, origins = self._rows()

        def table(caption: str, rows) -> str:
            body = "".join(f"<tr><td>{html.escape(label)}</td><td>{n}</td><td>{share}</td></tr>" for label, n, share in rows)
            return (f'<table class="who-speaks"><thead><tr><th scope="col">{caption}</th><th scope="col">Sources</th>'
                    f'<th scope="col">Share</th></tr></thead><tbody>{body}</tbody></table>')

        return (f"<p>The bibliography holds <strong>{len(self.entries)}</strong> sources.</p>"
                + table("Kind of source", kinds) + table("Where the publisher is based", origins))

    def __repr__(self) -> str:
        return f"<WhoSpeaks: {len(self.entries)} sources>"


def who_speaks() -> WhoSpeaks:
    """The sources of book/references.bib counted by kind and origin (their `keywords`)."""
    return WhoSpeaks(list(load().values()))


# --------------------------------------------------------------------------------------------
# Corroboration: other documents on the article's claims


def load_corroboration():
    """data/corroboration.csv as a DataFrame; unknown standpoints or sources are clear errors."""
    from dossier import data

    frame = data._read_csv("corroboration.csv")
    for standpoint in frame["standpoint"]:
        if standpoint not in STANDPOINTS:
            raise config.unknown("standpoint", standpoint, STANDPOINTS, "dossier/sources.py")
    for key in frame["source"]:
        get(key)
    return frame


def _single_quotes(text: str) -> str:
    """Quotation marks inside an excerpt, set as single ones: in this dossier curly double
    quotation marks belong to the article's own words."""
    return text.replace("“", "‘").replace("”", "’")


#: Documents are quoted at about this length (words): long enough to be read in context, short
#: enough never to reprint a whole text.
DOCUMENT_WORDS = (95, 185)


def _head_note(row: dict) -> list[tuple[str, str]]:
    """Who speaks, when, to whom and through whom: what a reader needs to source a document."""
    return [("Who", row["speaker"]), ("When", row["when"]), ("To whom", row["audience"]), ("Through whom", row["through"])]


@dataclass
class Corroboration:
    """For each claim of the article in a chapter, the claim (verbatim, with its ¶) and the
    documents set beside it, numbered: each with its standpoint, source, head note (who, when, to
    whom, through whom), the excerpt and, where the English is hard, a plain-English gloss."""

    rows: list[dict]

    def _claims(self) -> list[tuple[str, str, list[tuple[int, dict]]]]:
        claims: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        for number, row in enumerate(self.rows, start=1):
            claims.setdefault((row["claim_paragraph"], row["claim"]), []).append((number, row))
        return [(pid, claim, rows) for (pid, claim), rows in claims.items()]

    def _repr_markdown_(self) -> str:
        blocks = []
        for pid, claim, rows in self._claims():
            number = int(pid.removeprefix("p"))
            blocks.append(f"**The article, ¶{number}:** “{escape_markdown(claim)}”\n")
            for n, row in rows:
                head = " · ".join(f"*{label}:* {escape_markdown(value)}" for label, value in _head_note(row))
                gloss = f"\n*In plain English:* {escape_markdown(row['gloss'])}\n" if row["gloss"] else ""
                blocks.append(
                    f'<div class="corroboration-document" id="document-{row["chapter"]}-{row["source"]}">\n\n'
                    f"**Document {n}. {STANDPOINTS[row['standpoint']]}** ({{cite:t}}`{row['source']}`)\n\n"
                    f"{head}\n\n> {escape_markdown(_single_quotes(row['excerpt']))}\n{gloss}\n</div>\n")
        return "\n".join(blocks)

    def _repr_html_(self) -> str:
        blocks = []
        for pid, claim, rows in self._claims():
            number = int(pid.removeprefix("p"))
            blocks.append(f'<p class="corroboration-claim"><strong>The article, ¶{number}:</strong> “{html.escape(claim)}”</p>')
            for n, row in rows:
                head = " · ".join(f"<em>{label}:</em> {html.escape(value)}" for label, value in _head_note(row))
                gloss = (f'<p class="corroboration-gloss"><em>In plain English:</em> {html.escape(row["gloss"])}</p>'
                         if row["gloss"] else "")
                blocks.append(
                    f'<div class="corroboration-document" id="document-{row["chapter"]}-{row["source"]}">'
                    f"<p><strong>Document {n}. {html.escape(STANDPOINTS[row['standpoint']])}</strong> "
                    f"({html.escape(short(row['source']))})</p><p class=\"corroboration-head\">{head}</p>"
                    f"<blockquote><p>{html.escape(_single_quotes(row['excerpt']))}</p></blockquote>{gloss}</div>")
        return '<div class="corroboration">' + "".join(blocks) + "</div>"

    def __repr__(self) -> str:
        return f"<Corroboration: {len(self.rows)} documents on {len(self._claims())} claims>"


def _chapter_rows(chapter: str, paragraphs: list[str] | None) -> list[dict]:
    config.require_chapter(chapter)
    frame = load_corroboration()
    frame = frame[frame["chapter"] == chapter]
    if paragraphs is not None:
        frame = frame[frame["claim_paragraph"].isin(paragraphs)]
    return frame.to_dict("records")


def corroboration(chapter: str, paragraphs: list[str] | None = None) -> Corroboration:
    """The corroboration set of a chapter (a theme chapter's notebook name), or the part of it on
    the claims of some paragraphs (`paragraphs=["p13", "p14"]`)."""
    return Corroboration(_chapter_rows(chapter, paragraphs))


@dataclass
class Organiser:
    """A corroboration organiser to fill in: for each document of a set, whether it agrees with the
    article's claim, and why the two might differ. On screen each answer has a box saved on the
    device; on paper the boxes are ruled lines (see dossier.handouts)."""

    chapter: str
    rows: list[dict]

    QUESTIONS = (("agrees", "Does it agree with the article's claim, disagree, or neither? Quote a few words."),
                 ("differ", "Why might it differ from the article (who speaks, when, to whom, what they could know)?"))

    def _items(self):
        for n, row in enumerate(self.rows, start=1):
            yield n, row, int(row["claim_paragraph"].removeprefix("p"))

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li class="organiser-document"><p><strong>Document {n}</strong> ({html.escape(STANDPOINTS[row["standpoint"]])}; '
            f"{html.escape(short(row['source']))}; on ¶{para})</p>"
            + "".join(f'<p class="organiser-question" id="organiser-{self.chapter}-{row["source"]}-{key}-question">'
                      f"{html.escape(text)}</p>"
                      + work.slot(f"organiser-{self.chapter}-{row['source']}-{key}", f"Document {n} ({short(row['source'])}): {key}",
                                  question=f"organiser-{self.chapter}-{row['source']}-{key}-question")
                      for key, text in self.QUESTIONS)
            + "</li>"
            for n, row, para in self._items())
        return (f'<div class="corroboration-organiser"><p class="organiser-help">For each document, answer the two '
                f'questions.</p><ol class="organiser-list">{items}</ol></div>' + work.inline_script())

    def __repr__(self) -> str:
        return f"<Organiser: {len(self.rows)} documents of {self.chapter}>"


def organiser(chapter: str, paragraphs: list[str] | None = None) -> Organiser:
    """The organiser for a chapter's corroboration set (or the documents on some paragraphs),
    numbered as `corroboration()` with the same arguments numbers them. Each answer's id names the
    chapter and the document's source, so a saved answer stays with its document."""
    return Organiser(chapter, _chapter_rows(chapter, paragraphs))


@dataclass
class Standpoints:
    """The corroboration sets counted: excerpts per theme chapter and standpoint."""

    rows: list[dict]

    def counts(self) -> dict[str, dict[str, int]]:
        """{chapter: {standpoint: excerpts}}, chapters in book order, every standpoint listed."""
        found: dict[str, dict[str, int]] = {}
        for name in (c.name for c in config.chapters()):
            chapter_rows = [row for row in self.rows if row["chapter"] == name]
            if chapter_rows:
                found[name] = {s: sum(row["standpoint"] == s for row in chapter_rows) for s in STANDPOINTS}
        return found

    def _table(self) -> tuple[list[str], list[tuple[str, list[int]]]]:
        counts = self.counts()
        return list(STANDPOINTS), [(config.chapter_title(name), list(row.values())) for name, row in counts.items()]

    def _repr_markdown_(self) -> str:
        standpoints, rows = self._table()
        lines = ["| Chapter | " + " | ".join(STANDPOINTS[s] for s in standpoints) + " |",
                 "| --- |" + " ---: |" * len(standpoints)]
        lines += [f"| {title} | " + " | ".join(str(n) for n in numbers) + " |" for title, numbers in rows]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        standpoints, rows = self._table()
        head = "".join(f'<th scope="col">{html.escape(STANDPOINTS[s])}</th>' for s in standpoints)
        body = "".join(f'<tr><th scope="row">{html.escape(title)}</th>' + "".join(f"<td>{n}</td>" for n in numbers)
                       + "</tr>" for title, numbers in rows)
        return (f'<table class="who-speaks standpoints"><caption>Excerpts in the corroboration sets, by chapter '
                f'and standpoint</caption><thead><tr><th scope="col">Chapter</th>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        return f"<Standpoints: {len(self.rows)} excerpts>"


def standpoints() -> Standpoints:
    """How many excerpts of each standpoint the corroboration set of each chapter holds."""
    return Standpoints(load_corroboration().to_dict("records"))
