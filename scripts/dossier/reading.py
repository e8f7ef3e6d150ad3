"""Show the article's own words in the notebooks: passages by theme and the annotated article.

Everything quoted here comes from `data/paragraphs.csv`, verbatim. Each object shows twice over:

* as MyST Markdown (`_repr_markdown_`), which the book renders natively, with links to the glossary
  (`{term}`), the bibliography (`{cite:p}`) and the chapters (`{doc}`);
* as plain HTML (`_repr_html_`), which Jupyter Lab, Binder and Colab show, where those links
  become plain text.

The book prefers the Markdown (`nb_mime_priority_overrides` in `_config.yml`); Jupyter prefers the
HTML. Both are made from the same data by the same functions, so they cannot drift apart.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from functools import lru_cache

from dossier import config, data, sources, work
from dossier.markup import escape_markdown, myst_to_plain


def paragraph_label(row: dict) -> str:
    """How the dossier refers to a paragraph: '¶5' for the fifth paragraph (the lead is ¶1)."""
    return f"¶{int(row['order'])}"


@lru_cache(maxsize=None)
def load_annotations() -> dict[str, dict]:
    """Annotations of the article by paragraph id, from data/annotations.yml."""
    return config.read_yaml(config.data_dir() / "annotations.yml")


# --------------------------------------------------------------------------------------------
# Passages


def _label(row: dict, escape) -> str:
    """'¶5' or '¶16, under “The future of relationships”' (the subheading quoted verbatim)."""
    section = f", under “{escape(row['section'])}”" if row["section"] else ""
    return f"{paragraph_label(row)}{section}"


@dataclass
class Passages:
    """Paragraphs of the article, quoted verbatim with their place in it."""

    rows: list[dict]
    heading: str = ""

    def _repr_markdown_(self) -> str:
        return "\n".join(f"> {escape_markdown(row['text'])}\n>\n> <small>{_label(row, escape_markdown)}</small>\n"
                         for row in self.rows)

    def _repr_html_(self) -> str:
        return "".join(
            f'<blockquote class="article-passage" data-paragraph="{row["id"]}"><p>{html.escape(row["text"])}</p>'
            f"<small>{_label(row, html.escape)}</small></blockquote>"
            for row in self.rows
        )

    def __repr__(self) -> str:
        ids = ", ".join(row["id"] for row in self.rows)
        return f"<Passages: {len(self.rows)} paragraphs ({ids})>"


def passages(theme: str | None = None, section: str | None = None, ids: list[str] | None = None) -> Passages:
    """The article's paragraphs on `theme` (or in `section`, or with these `ids`), in reading order.

    An unknown theme raises UnknownName (see data/themes.yml for the themes).
    """
    frame = data.load_paragraphs()
    if theme is not None:
        frame = frame[data.has_theme(frame, theme)]
    if section is not None:
        frame = frame[frame["section"] == section]
    if ids is not None:
        unknown = sorted(set(ids) - set(frame["id"]))
        if unknown:
            raise KeyError(f"no such paragraph: {', '.join(unknown)}")
        frame = frame[frame["id"].isin(ids)]
    return Passages(frame.to_dict("records"))


# --------------------------------------------------------------------------------------------
# The annotated article


def chapters_for(row: dict) -> list[tuple[str, str]]:
    """The chapters that take a paragraph further, as (notebook name, title): those of its themes
    and of its section (data/themes.yml: a theme's `chapter`, and `sections`)."""
    themes = config.themes()
    names = [themes.get(t).chapter for t in row["themes"]] + [themes.sections.get(row["section"])]
    names = list(dict.fromkeys(name for name in names if name))
    return [(name, config.chapter_title(name)) for name in names]


#: The notes under a paragraph that say what we make of it: folded, so that a reader can form a
#: view of the paragraph first and then open the note.
FOLDED_NOTES = ("Context", "Read critically")


CHECK_PROMPT = "Before you open the notes: what would you check in {label}, and where would you look? Start with “{phrase}”."


@dataclass
class AnnotatedArticle:
    """Paragraphs of the article, each followed by a question that asks the reader to think first
    (what would you check here, and where? data/annotations.yml `check`) with an answer box, then
    its notes: "Context" and "Read critically" folded (a MyST dropdown in the book, an HTML
    `<details>` in Jupyter), then, open, the glossary terms, the chapters that take it further and
    its themes."""

    rows: list[dict]
    annotations: dict[str, dict]

    def _check(self, row: dict, markdown: bool) -> str:
        phrase = self.annotations.get(row["id"], {}).get("check")
        if not phrase:
            return ""
        label = paragraph_label(row)
        text = CHECK_PROMPT.format(label=label, phrase=phrase)
        slot = work.slot(f"check-{row['id']}", f"Check {label}", question=f"check-{row['id']}-question")
        shown = html.escape(text, quote=False)  # apostrophes as typed: the quoted phrase stays the article's words
        if markdown:
            return f'<p class="annotation-check" id="check-{row["id"]}-question">{shown}</p>\n{slot}\n'
        return f'<p class="annotation-check" id="check-{row["id"]}-question">{shown}</p>{slot}'

    def _note_parts(self, row: dict, markdown: bool) -> list[tuple[str, str]]:
        note = self.annotations.get(row["id"], {})
        parts = []
        if note.get("context"):
            parts.append(("Context", note["context"].strip()))
        if note.get("read_critically"):
            parts.append(("Read critically", note["read_critically"].strip()))
        if note.get("terms"):
            terms = [f"{{term}}`{t}`" if markdown else t for t in note["terms"]]
            parts.append(("Terms", ", ".join(terms)))
        chapters = chapters_for(row)
        if chapters:
            links = [f"{{doc}}`{title} <{doc}>`" if markdown else title for doc, title in chapters]
            parts.append(("Taken further in", ", ".join(links)))
        themes = ", ".join(row["themes"])
        parts.append(("Themes", f"`{themes}`" if markdown else themes))
        return parts

    def _repr_markdown_(self) -> str:
        blocks = []
        for row in self.rows:
            parts = self._note_parts(row, markdown=True)
            folded = "\n".join(
                f":::{{dropdown}} {label} ({paragraph_label(row)})\n:class-container: annotation-note\n\n{text}\n:::\n"
                for label, text in parts if label in FOLDED_NOTES)
            shown = "\n".join(f"**{label}:** {text}  " for label, text in parts if label not in FOLDED_NOTES)
            blocks.append(f"{Passages([row])._repr_markdown_()}\n{self._check(row, True)}\n{folded}\n{shown.rstrip()}\n\n"
                          '<hr class="paragraph-separator">\n')
        return "\n".join(blocks)

    def _repr_html_(self) -> str:
        blocks = []
        for row in self.rows:
            parts = self._note_parts(row, markdown=False)
            folded = "".join(
                f'<details class="annotation-note"><summary>{label} ({paragraph_label(row)})</summary>'
                f"<p>{html.escape(myst_to_plain(text))}</p></details>"
                for label, text in parts if label in FOLDED_NOTES)
            shown = "".join(f"<p><b>{label}:</b> {html.escape(myst_to_plain(text))}</p>"
                            for label, text in parts if label not in FOLDED_NOTES)
            blocks.append(f'<div class="annotated-paragraph">{Passages([row])._repr_html_()}{self._check(row, False)}'
                          f"{folded}{shown}</div><hr>")
        return "".join(blocks) + work.inline_script()

    def __repr__(self) -> str:
        return f"<AnnotatedArticle: {len(self.rows)} paragraphs>"


def annotated_article(section: str | None = None) -> AnnotatedArticle:
    """The article (or one of its sections; "" is the part before the first subheading), annotated."""
    frame = data.load_paragraphs()
    if section is not None:
        frame = frame[frame["section"] == section]
    return AnnotatedArticle(frame.to_dict("records"), load_annotations())


# --------------------------------------------------------------------------------------------
# The reading copy


def load_prompts() -> dict[str, list[dict]]:
    """Reading prompts by stage (before, while, after), from data/prompts.yml."""
    path = config.data_dir() / "prompts.yml"
    prompts = config.read_yaml(path)
    if not isinstance(prompts, dict) or set(prompts) != {"before", "while", "after"}:
        raise config.ConfigError(f"{config.shown(path)}: expected the stages before, while and after")
    ids = set(data.load_paragraphs()["id"])
    for prompt in prompts["while"]:
        if prompt.get("paragraph") not in ids:
            raise config.unknown("paragraph", prompt.get("paragraph"), sorted(ids), "data/paragraphs.csv")
    return prompts


#: The article's key in book/references.bib (where its address is recorded).
ARTICLE_KEY = "bonesh2023approach"


def published_on(article: dict) -> str:
    """The article's date of publication, as the book writes dates: '20 April 2023'."""
    published = datetime.date.fromisoformat(article["published"][:10])
    return f"{published.day} {published:%B %Y}"


def source_line(article: dict) -> str:
    """Author, title, outlet, date and address of the article, as HTML."""
    url = sources.get(ARTICLE_KEY).url
    link = f' Online at <a href="{html.escape(url)}">{html.escape(url)}</a>.' if url else ""
    return (f'<p class="reading-source"><strong>Source.</strong> {html.escape(", ".join(article["authors"]))}, '
            f"“{html.escape(article['title'])}”, <em>{html.escape(article['source'] or '')}</em>, "
            f"{published_on(article)}.{link}</p>")


def printed_date(article: dict) -> str:
    """The date and time as the article's page printed them: '20 Apr 2023 13:49'."""
    published = datetime.datetime.fromisoformat(article["published"])
    return f"{published.day} {published:%b %Y %H:%M}"


def byline(article: dict) -> str:
    """The title and byline as the page printed them above the text (author, outlet, date)."""
    return (f'<header class="reading-byline"><p class="reading-title">{html.escape(article["title"])}</p>'
            f"{byline_line(article)}</header>")


def byline_line(article: dict) -> str:
    """The byline under the title, as the page printed it: author · Source: outlet · date."""
    return (f'<p class="reading-meta">{html.escape(", ".join(article["authors"]))} · Source: '
            f'{html.escape(article["source"] or "")} · {printed_date(article)}</p>')


def after_text(article: dict) -> str:
    """What the page printed under the text: the disclaimer, then the author's name and description."""
    parts = []
    if article.get("disclaimer"):
        parts.append(f'<p class="reading-disclaimer"><em>{html.escape(article["disclaimer"])}</em></p>')
    if article.get("author_bio"):
        parts.append(f'<aside class="reading-author"><p><strong>{html.escape(", ".join(article["authors"]))}</strong></p>'
                     f'<p>{html.escape(article["author_bio"])}</p></aside>')
    return ('<footer class="reading-page-end"><p class="reading-page-end-note">Printed under the article on its page:</p>'
            + "".join(parts) + "</footer>") if parts else ""


def answer_slot(prompt: dict, label: str) -> str:
    """The answer slot under a reading prompt: its id is the prompt's, its question the prompt."""
    return work.slot(prompt["id"], label, question=f"prompt-{prompt['id']}")


@dataclass
class ReadingCopy:
    """The article as a student reads it first: the source line, the title and byline, the lead and
    body paragraphs verbatim and numbered ¶1–¶21 (the subheading in its place), the disclaimer and
    the author's description as the page printed them under the text, and short prompts (before,
    while and after reading), nothing else. Plain HTML: the same in the book, in Jupyter and in print.
    Under each prompt is an answer slot (`dossier.work`; its id is the prompt's), which the script
    at the end turns into a box where scripts run."""

    rows: list[dict]
    article: dict
    prompts: dict[str, list[dict]]

    def _prompt_list(self, stage: str, title: str) -> str:
        items = "".join(f'<li id="prompt-{html.escape(p["id"])}">{html.escape(" ".join(p["prompt"].split()))}'
                        f'{answer_slot(p, f"{title}, prompt {n}")}</li>'
                        for n, p in enumerate(self.prompts[stage], start=1))
        return f'<section class="reading-prompts reading-{stage}"><h2>{title}</h2><ol>{items}</ol></section>'

    def _repr_html_(self) -> str:
        pauses: dict[str, list[dict]] = {}
        for prompt in self.prompts["while"]:
            pauses.setdefault(prompt["paragraph"], []).append(prompt)
        body, section = [], ""
        for row in self.rows:
            if row["section"] != section:
                section = row["section"]
                body.append(f'<h3 class="reading-section">{html.escape(section)}</h3>')
            body.append(f'<div class="reading-paragraph" id="reading-{row["id"]}"><span class="reading-number">'
                        f'{paragraph_label(row)}</span><p>{html.escape(row["text"])}</p></div>')
            for prompt in pauses.get(row["id"], []):
                body.append(f'<p class="reading-pause" id="prompt-{html.escape(prompt["id"])}"><strong>Pause.</strong> '
                            f'{html.escape(" ".join(prompt["prompt"].split()))}</p>'
                            + answer_slot(prompt, f"Pause at {paragraph_label(row)}"))
        return ('<div class="reading-copy">' + source_line(self.article)
                + self._prompt_list("before", "Before you read")
                + '<section class="reading-text"><h2>The article</h2>' + byline(self.article) + "".join(body)
                + after_text(self.article) + "</section>"
                + self._prompt_list("after", "After reading") + "</div>" + work.inline_script())

    def __repr__(self) -> str:
        return f"<ReadingCopy: {len(self.rows)} paragraphs, {sum(map(len, self.prompts.values()))} prompts>"


@dataclass
class PromptNotes:
    """For instructors: every reading prompt (data/prompts.yml) and every check question of the
    annotated article (data/annotations.yml), each with what to look for and typical misreadings."""

    prompts: dict[str, list[dict]]
    annotations: dict[str, dict]

    STAGES = (("before", "Before reading"), ("while", "While reading (pauses)"), ("after", "After reading"))

    def _items(self):
        for stage, title in self.STAGES:
            yield title, [(" ".join(p["prompt"].split()), " ".join(p["notes"].split())) for p in self.prompts[stage]]
        rows = data.load_paragraphs().to_dict("records")
        checks = []
        for row in rows:
            note = self.annotations.get(row["id"], {})
            if note.get("check"):
                checks.append((CHECK_PROMPT.format(label=paragraph_label(row), phrase=note["check"]),
                               " ".join(note.get("check_notes", "").split())))
        yield "The annotated article: what would you check, and where?", checks

    def _repr_markdown_(self) -> str:
        blocks = []
        for title, items in self._items():
            lines = "\n".join(f"{n}. {escape_markdown(prompt)}\n\n   *Notes:* {escape_markdown(notes)}\n"
                              for n, (prompt, notes) in enumerate(items, start=1))
            blocks.append(f"### {title}\n\n{lines}")
        return "\n".join(blocks)

    def _repr_html_(self) -> str:
        blocks = []
        for title, items in self._items():
            lis = "".join(f"<li><p>{html.escape(prompt)}</p><p><em>Notes:</em> {html.escape(notes)}</p></li>"
                          for prompt, notes in items)
            blocks.append(f"<h3>{html.escape(title)}</h3><ol>{lis}</ol>")
        return '<div class="prompt-notes">' + "".join(blocks) + "</div>"

    def __repr__(self) -> str:
        return f"<PromptNotes: {sum(len(items) for _, items in self._items())} prompts>"


def prompt_notes() -> PromptNotes:
    """Instructors' notes on every reading prompt and check question (instructor edition only)."""
    return PromptNotes(load_prompts(), load_annotations())


def reading_copy() -> ReadingCopy:
    """The article to read first, with the prompts of data/prompts.yml and no notes."""
    return ReadingCopy(data.load_paragraphs().to_dict("records"), data.load_article(), load_prompts())


# --------------------------------------------------------------------------------------------
# The source


@dataclass
class SourceCard:
    """The article's metadata as printed on its page (data/article.json)."""

    article: dict

    def fields(self) -> list[tuple[str, str]]:
        a = self.article
        date, time = a["published"].split("T")
        return [
            ("Title", a["title"]),
            ("Author", ", ".join(a["authors"])),
            ("Outlet", a["source"] or ""),
            ("Published", f"{date}, {time} (as printed on the page; no time zone given)"),
            ("Reading time", f"{a['read_minutes']} minutes (the page's estimate)"),
            ("Tags", ", ".join(a["tags"])),
            ("Author's description on the page", a["author_bio"] or ""),
            ("Disclaimer printed under the article", a["disclaimer"] or ""),
            ("Capture", f"{a['provenance']['input_name']} (sha256 {a['provenance']['input_sha256'][:12]}…)"),
        ]

    def _repr_markdown_(self) -> str:
        lines = ["| | |", "| --- | --- |"]
        lines += [f"| **{label}** | {escape_markdown(value)} |" for label, value in self.fields()]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><th scope="row">{html.escape(label)}</th><td>{html.escape(value)}</td></tr>'
            for label, value in self.fields()
        )
        return f'<table class="source-card">{rows}</table>'

    def __repr__(self) -> str:
        return f"<SourceCard: {self.article['title']!r}>"


def source_card() -> SourceCard:
    """The article's metadata, for the introduction."""
    return SourceCard(data.load_article())
