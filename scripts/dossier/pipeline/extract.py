"""Parse a text capture of an Al Mayadeen English article page.

The capture is the page's visible text, one element per line. Every article
page of the site has the same layout, and this module relies on that layout
only (never on line numbers or on the wording of one article):

    site name, menus                     (ignored)
    BREAKING                             the news ticker heading,
    <ticker lines>                       then one headline per line
    <title>                              the line just before the byline
      • <author name> <author name>      byline bullets: author(s) (the site
      • Source: <source>                 prints each name twice), source,
      • 20 Apr 2023 13:49                date and time, share count
      • 1 Shares
    6 Min Read                           reading time (optional)
    <lead>                               the first paragraph
      • x                                media block (optional): share icon,
      • <image caption>                  the caption as a bullet and again
        <image caption>                  as an indented line
    <body paragraphs>                    one per line, blank lines between;
    <subheading>                         short lines without final punctuation;
    Related News                         a box of headlines inside the body,
    <headline> ...                       ended by the next line of prose;
    The views expressed in this ...      the opinion disclaimer (optional)
      • <tag>                            tag bullets (optional)
    <author name>                        author box: the name (once or twice)
    <author bio>                         and a short biography (optional)
    Most Read / Coverage /               page context: other articles
    More from this writer
    <site name>                          footer (the page's first line again)

:func:`parse_page` turns the text into a :class:`Page`; :func:`decode_capture`
turns the captured bytes into text, rejecting what is not a text capture.
Known limits of the layout rules (documented, not guessed around):

* a body line that ends without sentence punctuation and has at most
  ``MAX_HEADING_WORDS`` words is read as a subheading;
* inside the Related News box, a line is a headline unless it reads as prose
  (ends with . : ; or …, or holds several sentences); so a subheading placed
  directly after the box would be taken for a headline.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from dossier.io import render_csv, render_json

from .entities import ENTITY_COLUMNS, Entity, entity_rows
from .rules import Themes, assign_themes

EXTRACTOR = "dossier.pipeline.extract"
EXTRACTOR_VERSION = "1.0.0"
"""Bump when a change to the parsing rules changes any output."""

MAX_HEADING_WORDS = 15

BULLET = "\u2022"
_BULLET_LINE = re.compile(rf"^\s*{BULLET}\s*(.*?)\s*$")
_DATE_TIME = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{1,2}):(\d{2})$")
_DATE = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$")
_READ_TIME = re.compile(r"^(\d+) Min Read$", re.IGNORECASE)
_SHARES = re.compile(r"^(\d+) Shares?$", re.IGNORECASE)
_SOURCE = re.compile(r"^Source:\s*(.+)$")
_SENTENCE_END = re.compile(r"[.:;…!?][\"'’”)\]]*$")
_PROSE_END = re.compile(r"[.:;…][\"'’”)\]]*$")
_INNER_SENTENCE_BREAK = re.compile(r"[.!?][\"'’”)\]]*\s+[\"'‘“(]?[A-Z]")
_DISCLAIMER = re.compile(r"^The views expressed in this .+ do not necessarily reflect", re.IGNORECASE)

TICKER_HEADING = "BREAKING"
RELATED_HEADING = "Related News"
CONTEXT_HEADINGS = {
    "Most Read": "most_read",
    "Coverage": "coverage",
    "More from this writer": "more_from_this_writer",
}
TAB_LABELS = {"All"}
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}


class ExtractError(ValueError):
    """The input is not a usable article capture; the message says why."""


@dataclass
class Paragraph:
    """One paragraph of the article, in reading order."""

    id: str
    order: int
    kind: str  # "lead" or "body"
    section: str  # subheading it stands under, "" before the first one
    text: str

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words."""
        return len(self.text.split())


@dataclass
class Page:
    """Everything read from one captured article page."""

    title: str
    authors: list[str]
    published: str
    source: str | None
    read_minutes: int | None
    shares: int | None
    tags: list[str]
    lead: str
    image_caption: str | None
    disclaimer: str | None
    author_bio: str | None
    related: list[str]
    paragraphs: list[Paragraph]
    context: dict = field(default_factory=dict)


# ---------------------------------------------------------------- input bytes


def decode_capture(data: bytes) -> str:
    """Return the text of a capture, or raise :class:`ExtractError`.

    Rejects an empty file, binary data (NUL bytes) and bytes that are not
    UTF-8. Removes a UTF-8 byte-order mark and turns CRLF / CR into LF.
    """
    if not data.strip():
        raise ExtractError("input is empty")
    if b"\x00" in data:
        raise ExtractError("input is a binary file, not a text capture (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractError(
            f"input is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of *data* as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- line helpers


def bullet_text(line: str) -> str | None:
    """The text of a bullet line ("  • text"), or None if not a bullet."""
    match = _BULLET_LINE.match(line)
    return match.group(1) if match else None


def is_blank(line: str) -> bool:
    return not line.strip()


def reads_as_prose(text: str) -> bool:
    """True for text that ends like a sentence (. : ; …) or holds several."""
    return bool(_PROSE_END.search(text) or _INNER_SENTENCE_BREAK.search(text))


def is_subheading(text: str) -> bool:
    """A short line without final punctuation, such as a section title."""
    return (not _SENTENCE_END.search(text) and not _INNER_SENTENCE_BREAK.search(text)
            and len(text.split()) <= MAX_HEADING_WORDS)


def undouble_name(text: str) -> str:
    """"A B A B" -> "A B": the site prints each byline name twice."""
    words = text.split()
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return " ".join(words)


def iso_datetime(text: str) -> str | None:
    """"20 Apr 2023 13:49" -> "2023-04-20T13:49"; None if not that shape."""
    match = _DATE_TIME.match(text)
    if not match or match.group(2) not in MONTHS:
        return None
    day, month, year, hour, minute = match.groups()
    return f"{year}-{MONTHS[month]:02d}-{int(day):02d}T{int(hour):02d}:{minute}"


def iso_date(text: str) -> str | None:
    """"19 May 2025" -> "2025-05-19"; None if not that shape."""
    match = _DATE.match(text)
    if not match or match.group(2) not in MONTHS:
        return None
    day, month, year = match.groups()
    return f"{year}-{MONTHS[month]:02d}-{int(day):02d}"


def _next_nonblank(lines: list[str], start: int) -> int:
    """Index of the first non-blank line at or after *start* (len if none)."""
    i = start
    while i < len(lines) and is_blank(lines[i]):
        i += 1
    return i


def _bullet_run_end(lines: list[str], start: int) -> int:
    """Index just after the run of consecutive bullet lines starting at *start*."""
    i = start
    while i < len(lines) and bullet_text(lines[i]) is not None:
        i += 1
    return i


# ---------------------------------------------------------------- page parts


def find_byline(lines: list[str]) -> tuple[int, int]:
    """(start, end) of the byline: the first bullet run holding a date and time."""
    i = 0
    while i < len(lines):
        if bullet_text(lines[i]) is None:
            i += 1
            continue
        end = _bullet_run_end(lines, i)
        if any(iso_datetime(bullet_text(line) or "") for line in lines[i:end]):
            return i, end
        i = end
    raise ExtractError(
        "no article found: no byline with a publication date such as '20 Apr 2023 13:49'"
    )


def parse_byline(bullets: list[str]) -> dict:
    """Read authors, source, date and share count from the byline bullets."""
    info: dict = {"authors": [], "source": None, "published": None, "shares": None}
    for text in bullets:
        if (published := iso_datetime(text)) and info["published"] is None:
            info["published"] = published
        elif match := _SOURCE.match(text):
            info["source"] = match.group(1).strip()
        elif match := _SHARES.match(text):
            info["shares"] = int(match.group(1))
        elif text:
            name = undouble_name(text)
            if name not in info["authors"]:
                info["authors"].append(name)
    return info


def find_ticker(lines: list[str], title_index: int) -> list[str]:
    """Headlines of the BREAKING ticker printed above the title, if any."""
    for i in range(title_index - 1, -1, -1):
        if lines[i].strip() == TICKER_HEADING:
            return [line.strip() for line in lines[i + 1 : title_index] if not is_blank(line)]
    return []


def read_media_block(lines: list[str], start: int) -> tuple[str | None, int]:
    """Read the share icons and image caption printed after the lead.

    The block is a run of bullet lines and indented lines. The caption is the
    bullet whose text the next (indented) line repeats; failing that, the
    first bullet of more than one word. Returns (caption, index after block).
    """
    i = start
    texts: list[tuple[str, bool]] = []  # (text, is_bullet)
    while i < len(lines) and not is_blank(lines[i]):
        bullet = bullet_text(lines[i])
        if bullet is not None:
            texts.append((bullet, True))
        elif lines[i][:1].isspace():
            texts.append((lines[i].strip(), False))
        else:
            break
        i += 1
    caption = None
    for (text, is_bullet), (following, _) in zip(texts, texts[1:]):
        if is_bullet and text == following:
            caption = text
            break
    if caption is None:
        caption = next((t for t, b in texts if b and len(t.split()) > 1), None)
    return caption, i


def find_context_start(lines: list[str], start: int, footer: int) -> int:
    """Index of the first page-context heading (Most Read, ...) after *start*."""
    for i in range(start, footer):
        if lines[i].strip() in CONTEXT_HEADINGS:
            return i
    return footer


def find_footer(lines: list[str], after: int) -> int:
    """Index of the footer: the last line after *after* repeating the page's
    first line (the site name); the end of the page if there is none."""
    site_name = lines[_next_nonblank(lines, 0)].strip()
    for i in range(len(lines) - 1, after, -1):
        if lines[i].strip() == site_name:
            return i
    return len(lines)


def read_body(lines: list[str]) -> dict:
    """Sort body lines into paragraphs, subheadings, Related News, disclaimer.

    Returns {"paragraphs": [(section, text)], "related": [...], "disclaimer": ...}.
    """
    paragraphs: list[tuple[str, str]] = []
    related: list[str] = []
    disclaimer = None
    section = ""
    in_related = False
    for line in lines:
        text = line.strip()
        bullet = bullet_text(line)
        if bullet is not None:
            text = bullet
        if not text:
            continue
        if text == RELATED_HEADING:
            in_related = True
            continue
        if in_related:
            if not reads_as_prose(text):
                related.append(text)
                continue
            in_related = False
        if _DISCLAIMER.match(text):
            disclaimer = text
        elif is_subheading(text):
            section = text
        else:
            paragraphs.append((section, text))
    return {"paragraphs": paragraphs, "related": related, "disclaimer": disclaimer}


def read_author_box(lines: list[str], authors: list[str]) -> str | None:
    """The author biography: the author box's lines that are not a name."""
    names = set(authors)
    bio = [line.strip() for line in lines if not is_blank(line) and line.strip() not in names]
    return " ".join(bio) or None


def read_context_section(lines: list[str]) -> list:
    """Items of a Most Read / Coverage / More from this writer section.

    Each item is {"headline", "summary", "labels", "date"}. In a section with
    bullets, the text lines before a bullet run are one item (summary first,
    headline last) and the bullets are its labels and date. A section
    without bullets alternates summary and headline lines: it is read in
    pairs when the count allows, else as headlines only.
    """
    texts = [line for line in lines if not is_blank(line) and line.strip() not in TAB_LABELS]
    if not any(bullet_text(line) is not None for line in texts):
        plain = [line.strip() for line in texts]
        if len(plain) >= 2 and len(plain) % 2 == 0:
            return [_item(h, s) for s, h in zip(plain[::2], plain[1::2])]
        return [_item(h) for h in plain]
    items: list[dict] = []
    pending: list[str] = []  # text lines not yet attached to an item
    for line in texts:
        bullet = bullet_text(line)
        if bullet is None:
            pending.append(line.strip())
            continue
        if pending:  # the first bullet after text lines closes an item
            items.append(_item(pending[-1], pending[0] if len(pending) > 1 else None))
            pending = []
        if items:
            date = iso_date(bullet)
            if date:
                items[-1]["date"] = date
            else:
                items[-1]["labels"].append(bullet)
    items.extend(_item(text) for text in pending)
    return items


def _item(headline: str, summary: str | None = None) -> dict:
    """One entry of a page-context list."""
    return {"headline": headline, "summary": summary, "labels": [], "date": None}


def read_page_context(lines: list[str], ticker: list[str], start: int, footer: int) -> dict:
    """Page context that is not the article: ticker and the article lists."""
    context: dict = {"ticker": ticker}
    for key in CONTEXT_HEADINGS.values():
        context[key] = []
    heading_rows = [i for i in range(start, footer) if lines[i].strip() in CONTEXT_HEADINGS]
    for i, row in enumerate(heading_rows):
        end = heading_rows[i + 1] if i + 1 < len(heading_rows) else footer
        context[CONTEXT_HEADINGS[lines[row].strip()]] = read_context_section(lines[row + 1 : end])
    return context


# ---------------------------------------------------------------- the page


def parse_page(text: str) -> Page:
    """Parse the text of a captured article page (see the module docstring)."""
    lines = text.split("\n")
    byline_start, byline_end = find_byline(lines)

    title_index = next((i for i in range(byline_start - 1, -1, -1) if not is_blank(lines[i])), None)
    if title_index is None or bullet_text(lines[title_index]) is not None:
        raise ExtractError("no article found: no title line above the byline")
    title = lines[title_index].strip()
    byline = parse_byline([bullet_text(line) or "" for line in lines[byline_start:byline_end]])

    i = _next_nonblank(lines, byline_end)
    read_minutes = None
    if i < len(lines) and (match := _READ_TIME.match(lines[i].strip())):
        read_minutes = int(match.group(1))
        i = _next_nonblank(lines, i + 1)
    if i >= len(lines) or bullet_text(lines[i]) is not None:
        raise ExtractError("no article found: no lead paragraph after the byline")
    lead = lines[i].strip()

    caption, body_start = read_media_block(lines, _next_nonblank(lines, i + 1))

    footer = find_footer(lines, body_start)
    context_start = find_context_start(lines, body_start, footer)
    author_row = next((j for j in range(body_start, context_start)
                       if bullet_text(lines[j]) is None and lines[j].strip() in byline["authors"]),
                      context_start)
    body_end, tags = _tags_before(lines, body_start, author_row)

    body = read_body(lines[body_start:body_end])
    if not body["paragraphs"]:
        raise ExtractError("no article found: no body paragraphs after the lead")
    paragraphs = [Paragraph("p01", 1, "lead", "", lead)]
    for n, (section, para) in enumerate(body["paragraphs"], start=2):
        paragraphs.append(Paragraph(f"p{n:02d}", n, "body", section, para))

    return Page(
        title=title,
        authors=byline["authors"],
        published=byline["published"],
        source=byline["source"],
        read_minutes=read_minutes,
        shares=byline["shares"],
        tags=tags,
        lead=lead,
        image_caption=caption,
        disclaimer=body["disclaimer"],
        author_bio=read_author_box(lines[author_row:context_start], byline["authors"]),
        related=body["related"],
        paragraphs=paragraphs,
        context=read_page_context(lines, find_ticker(lines, title_index), context_start, footer),
    )


def _tags_before(lines: list[str], start: int, end: int) -> tuple[int, list[str]]:
    """Find the tag bullets just before *end* (blank lines between allowed).

    Returns (index where the body ends, tags).
    """
    j = end
    while j > start and is_blank(lines[j - 1]):
        j -= 1
    run_start = j
    while run_start > start and bullet_text(lines[run_start - 1]) is not None:
        run_start -= 1
    if run_start == j:
        return end, []
    return run_start, [bullet_text(line) for line in lines[run_start:j]]


# ---------------------------------------------------------------- outputs


def article_record(page: Page, input_name: str, input_sha256: str) -> dict:
    """The content of article.json, keys in a fixed order."""
    return {
        "title": page.title,
        "authors": page.authors,
        "published": page.published,
        "source": page.source,
        "read_minutes": page.read_minutes,
        "shares": page.shares,
        "tags": page.tags,
        "lead": page.lead,
        "image_caption": page.image_caption,
        "disclaimer": page.disclaimer,
        "author_bio": page.author_bio,
        "related": page.related,
        "provenance": {
            "input_name": input_name,
            "input_sha256": input_sha256,
            "extractor": EXTRACTOR,
            "extractor_version": EXTRACTOR_VERSION,
        },
    }


PARAGRAPH_COLUMNS = ["id", "order", "kind", "section", "text", "word_count", "themes"]

OUTPUT_FILES = ("article.json", "paragraphs.csv", "page_context.json", "entities.csv")


def paragraph_rows(page: Page, rules: Themes) -> list[list]:
    """Rows of paragraphs.csv (see ``PARAGRAPH_COLUMNS``); themes joined by ";"."""
    return [
        [p.id, p.order, p.kind, p.section, p.text, p.word_count, ";".join(assign_themes(p.text, rules))]
        for p in page.paragraphs
    ]


def build_outputs(data: bytes, input_name: str, rules: Themes,
                  entities: list[Entity]) -> dict[str, str]:
    """Every output file of one capture, as {file name: text}; nothing is written.

    Raises :class:`ExtractError` if *data* is not a usable article capture.
    """
    page = parse_page(decode_capture(data))
    texts = [(p.id, p.text) for p in page.paragraphs]
    return {
        "article.json": render_json(article_record(page, input_name, sha256_hex(data))),
        "paragraphs.csv": render_csv(PARAGRAPH_COLUMNS, paragraph_rows(page, rules)),
        "page_context.json": render_json(page.context),
        "entities.csv": render_csv(ENTITY_COLUMNS, entity_rows(texts, entities)),
    }
