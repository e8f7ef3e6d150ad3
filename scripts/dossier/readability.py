"""How hard a text is to read, and how long the core of a chapter takes: measures for readers of
16 to 19 who often read English as a second language, often on a phone.

    from dossier import readability
    readability.grade("An agreement to stop fighting, often for a limited time.")   # 7.2
    readability.in_brief("ttp")          # the "## In brief" section of book/ttp.ipynb, as MyST
    readability.core_path("ttp")         # words and minutes of the chapter's core path

* `plain_text()` turns MyST Markdown into the words a reader sees: roles give their shown text
  ({term}`TTP` -> TTP, {doc}`The TTP <ttp>` -> The TTP), citations are dropped (the measures are
  of the prose; the book's citations are brackets a reader skips), emphasis and code marks go.
* `grade()` is the Flesch–Kincaid grade of that plain text, as `textstat` 0.7.8 computes it
  (`textstat.flesch_kincaid_grade`: 0.39 x words per sentence + 11.8 x syllables per word - 15.59,
  syllables from the CMU pronouncing dictionary, else from pyphen's hyphenation). Pinned at 0.7.8:
  later versions fetch NLTK's copy of the dictionary from the network at first use and fail
  offline. Alternatives considered: `py-readability-metrics` (needs NLTK's punkt data, fetched from
  the network, and refuses texts under 100 words, which rules out a glossary sentence) and a
  hand-written syllable counter (the project prefers a kept library).
* `word_count()` counts words as `textstat.lexicon_count` does (punctuation removed, split on
  white space), the same words the grade divides by.
* `core_path()` is the reading a student does to complete a theme chapter: the article's
  paragraphs the chapter shows (its `reading.passages(...)` cells; without them, the paragraphs of
  its theme), the Words to know, the In
  brief, the corroboration documents (as `sources.corroboration` shows them, claims, standpoints,
  sources and notes included) and the exercises (stretch tasks and exercises marked optional left
  out), at `WORDS_PER_MINUTE`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from dossier import config
from dossier.markup import CITATION as _CITATION
from dossier.markup import plain_text  # MyST made plain: shared with the glossary, kept here for readers of this module

#: A second-language reader's pace for careful reading, in words a minute (issue 19).
WORDS_PER_MINUTE = 120
#: The highest Flesch–Kincaid grade for plain English in this book (In brief, glossary sentences).
GRADE_LIMIT = 9.0
#: The longest an In brief may be, in words.
IN_BRIEF_WORDS = 400
#: The shortest: below this it is a placeholder, not a summary of the chapter's Context.
IN_BRIEF_MIN_WORDS = 150
#: The heading of the plain-English summary at the top of each theme chapter.
IN_BRIEF = "In brief"

def _textstat():
    import textstat

    textstat.set_lang("en_US")
    return textstat


def word_count(text: str) -> int:
    """Words of a plain text, counted as textstat counts them for its grades."""
    return _textstat().lexicon_count(text, removepunct=True) if text.strip() else 0


def grade(text: str) -> float:
    """The Flesch–Kincaid grade of a text (MyST is read as `plain_text` gives it)."""
    plain = plain_text(text)
    if not plain:
        raise ValueError("no text to measure")
    return float(_textstat().flesch_kincaid_grade(plain))


# --------------------------------------------------------------------------------------------
# Sections of a chapter


def _markdown(chapter: str) -> list[str]:
    notebook = config.notebook(f"book/{config.require_chapter(chapter)}")
    if notebook is None:
        raise config.ConfigError(f"book/{chapter}.ipynb: no such notebook")
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]


def section_of(cells: list[str], heading: str) -> str | None:
    """The MyST of the section `## <heading>` in these Markdown cells, from the line after the
    heading to the next heading of level 1 or 2 (in the same cell or a later one), or None."""
    text = "\n\n".join(cells)
    match = re.search(rf"^## {re.escape(heading)}[ \t]*$", text, re.M)
    if match is None:
        return None
    end = re.compile(r"^#{1,2} ", re.M).search(text, match.end())
    return text[match.end():end.start() if end else len(text)].strip()


def section(chapter: str, heading: str) -> str | None:
    """The section `## <heading>` of book/<chapter>.ipynb (MyST), or None if it has none."""
    return section_of(_markdown(chapter), heading)


def in_brief(chapter: str) -> str | None:
    """The In brief of a chapter (MyST), or None if it has none yet."""
    return section(chapter, IN_BRIEF)


@dataclass(frozen=True)
class Measure:
    """Length and grade of a text."""

    words: int
    grade: float

    def problems(self, max_words: int = IN_BRIEF_WORDS, max_grade: float = GRADE_LIMIT) -> list[str]:
        """What keeps the text from being plain and short enough (empty when it is)."""
        found = []
        if self.words > max_words:
            found.append(f"{self.words} words (at most {max_words})")
        if self.grade > max_grade:
            found.append(f"Flesch–Kincaid grade {self.grade:.1f} (at most {max_grade:g})")
        return found


def measure(text: str) -> Measure:
    """Words and Flesch–Kincaid grade of a MyST text."""
    plain = plain_text(text)
    return Measure(word_count(plain), grade(plain))


def brief_problems(text: str | None, where: str) -> list[str]:
    """Why an In brief falls short: missing, empty, too long or too short (a placeholder), too
    hard, or with citation brackets (its sources are in the Context below it). One line each;
    empty when it passes."""
    if text is None:
        return [f"{where} has no '## {IN_BRIEF}' section"]
    if not plain_text(text):
        return [f"{where}: '## {IN_BRIEF}' is empty"]
    measured = measure(text)
    found = [f"{where}, {IN_BRIEF}: {problem}" for problem in measured.problems()]
    if measured.words < IN_BRIEF_MIN_WORDS:
        found.append(f"{where}, {IN_BRIEF}: only {measured.words} words (a summary of the Context needs at least "
                     f"{IN_BRIEF_MIN_WORDS})")
    if _CITATION.search(text):
        found.append(f"{where}, {IN_BRIEF}: citation brackets (the sources are in the Context below)")
    return found


def in_brief_problems(chapter: str) -> list[str]:
    """`brief_problems` of a chapter's In brief."""
    return brief_problems(in_brief(chapter), f"book/{chapter}.ipynb")


# --------------------------------------------------------------------------------------------
# The core path


_EXERCISE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_OPTION = re.compile(r"^:[a-z-]+:.*$", re.M)


def exercises(chapter: str, core_only: bool = True) -> list[tuple[str, str]]:
    """The exercises of a chapter as (title, MyST body without its options); with `core_only`,
    without the stretch task and exercises marked optional (in the title, a label ending in
    `-stretch` or `-optional`, or a class `optional`)."""
    found = []
    for match in _EXERCISE.finditer("\n\n".join(_markdown(chapter))):
        title, body = match["title"].strip(), match["body"]
        options = dict(re.findall(r"^:([a-z-]+):\s*(.*)$", body, re.M))
        optional = (re.search(r"\b(stretch|optional)\b", title, re.I)
                    or re.search(r"-(stretch|optional)$", options.get("label", ""))
                    or "optional" in options.get("class", "").split())
        if core_only and optional:
            continue
        found.append((title, _OPTION.sub("", body).strip()))
    return found


def _calls(chapter: str, module: str, function: str) -> list[tuple[list, dict, bool]]:
    """The arguments of each `module.function(...)` call in a chapter's code cells (literals
    only), and whether the call's result is folded (`.fold()` after it): what the chapter shows."""
    import ast

    notebook = config.notebook(f"book/{chapter}")
    calls = []
    for cell in notebook["cells"] if notebook else []:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        folded = {id(node.func.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fold"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == function
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == module):
                try:
                    calls.append(([ast.literal_eval(a) for a in node.args],
                                  {k.arg: ast.literal_eval(k.value) for k in node.keywords}, id(node) in folded))
                except ValueError:
                    continue
    return calls


def _passage_calls(chapter: str) -> list[tuple[list, dict]]:
    """The arguments of each `reading.passages(...)` cell of a chapter: the paragraphs of the
    article the chapter shows."""
    return [(args, kwargs) for args, kwargs, _folded in _calls(chapter, "reading", "passages")]


def _html_words(fragment: str) -> int:
    from bs4 import BeautifulSoup

    return word_count(" ".join(BeautifulSoup(fragment, "html.parser").get_text(" ").split()))


@dataclass(frozen=True)
class CorePath:
    """The words of a theme chapter's core path, by part, and the minutes they take at
    WORDS_PER_MINUTE."""

    chapter: str
    parts: tuple[tuple[str, int], ...]  # (part, words) in reading order

    @property
    def words(self) -> int:
        return sum(words for _part, words in self.parts)

    @property
    def minutes(self) -> int:
        """Minutes of reading, rounded up."""
        return math.ceil(self.words / WORDS_PER_MINUTE)

    def sentence(self) -> str:
        """'About 31 minutes of reading at 120 words a minute (3,702 words: ...).'"""
        detail = "; ".join(f"{part} {words:,}" for part, words in self.parts if words)
        return (f"About {self.minutes} minutes of reading at {WORDS_PER_MINUTE} words a minute "
                f"({self.words:,} words: {detail}).")

    def _repr_markdown_(self) -> str:
        return f"**Core path:** {self.sentence()}\n"

    def _repr_html_(self) -> str:
        return f'<p class="core-path"><strong>Core path:</strong> {html.escape(self.sentence())}</p>'

    def __repr__(self) -> str:
        return f"<CorePath {self.chapter}: {self.words} words, {self.minutes} min>"


def core_path(chapter: str) -> CorePath:
    """What a student reads to complete a theme chapter, in words, and the minutes it takes.

    Parts: the article's paragraphs the chapter shows; the chapter's Words to know
    (from data/glossary.yml); its In brief; its corroboration documents; the dated events it lists
    (not a folded list); the outlook's scorecard, for the six forecasts one student scores; its exercises except the stretch task and any
    marked optional. A part the chapter does not have counts 0 words.
    """
    from dossier import data, glossary, reading, sources

    config.require_chapter(chapter)
    calls = _passage_calls(chapter)
    if calls:
        ids = list(dict.fromkeys(row["id"] for args, kwargs in calls for row in reading.passages(*args, **kwargs).rows))
        rows = [row for row in data.load_paragraphs().to_dict("records") if row["id"] in ids]
    else:
        rows = [row for row in data.load_paragraphs().to_dict("records")
                if chapter in [name for name, _title in reading.chapters_for(row)]]
    paragraphs = _html_words(reading.Passages(rows)._repr_html_()) if rows else 0
    words_to_know = glossary.words_to_know(chapter) if glossary.chapter_terms(chapter) else None
    listed = _html_words(words_to_know._repr_html_()) if words_to_know else 0
    brief = in_brief(chapter)
    documents = _html_words(sources.corroboration(chapter)._repr_html_())
    tasks = sum(word_count(plain_text(f"{title}\n{body}")) for title, body in exercises(chapter))
    # The dated events the chapter lists (before and since the article: the exercises work on
    # them), except a list shown folded; and the outlook's scorecard, whose records are read to score.
    from dossier import forecasts, timeline

    events = sum(_html_words(timeline.events(*args, **kwargs)._repr_html_())
                 for args, kwargs, folded in _calls(chapter, "timeline", "events") if not folded)
    scorecard = 0
    for args, kwargs, _folded in _calls(chapter, "forecasts", "scorecard"):
        card = forecasts.scorecard(*args, **kwargs)
        share = min(forecasts.SCORED_PER_STUDENT, len(card.items)) / max(len(card.items), 1)
        scorecard += round(_html_words(card._repr_html_()) * share)
    return CorePath(chapter, (
        ("the article's paragraphs", paragraphs),
        ("Words to know", listed),
        ("In brief", word_count(plain_text(brief)) if brief else 0),
        ("documents", documents),
        ("dated events", events),
        ("scorecard (six forecasts)", scorecard),
        ("exercises", tasks),
    ))
