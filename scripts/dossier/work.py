"""The students' own work in the browser: self-check choices and written answers, kept on the device.

    from dossier import work
    work.slot("scorecard-p07", "Scorecard, ¶7", question="scorecard-p07-question")
    work.inline_script()      # the script, for an output that must also work in Jupyter Lab

What is kept, and where. A student's first choice on each self-check (`dossier.quiz`) and every
answer typed in an answer box are kept in the browser's `localStorage`, under one key for the whole
book (`dossier-work:<book id>`, the id written once, in `work_assets/dossier-work.js`): on this
device and in this browser only, never sent anywhere (the pages say so). The book works offline
and from `file://`; Jupyter Lab keeps its own copy (another origin). The "My work" page
(`book/my_work.md`) gathers everything, exports it as a self-contained HTML file to hand in,
imports such a file back, prints, and clears. With scripts off, every page reads as it does
without this module: the self-checks are `<details>`, and answer slots are empty.

The answer-slot convention. Any output, directive or page may ask for an answer box with one
empty element::

    <div class="dossier-answer" data-answer-id="scorecard-p07"
         data-answer-label="Scorecard, ¶7" data-answer-for="scorecard-p07-question"></div>

* `data-answer-id` (required): the answer's key, stable and unique in the book: lowercase letters
  and digits, in words joined by hyphens or underscores (`ID`; `ex-trade_corridors-claims`). Derive it from what it answers (an exercise's `:label:`, a prompt's id
  in data/prompts.yml), never from a position or a counter: a student's saved answer is found
  again by it after the book is rebuilt.
* `data-answer-label` (required): a short name of the question, shown as the box's label ("Your
  answer: Scorecard, ¶7"), and as its heading on the My work page and in the exported file.
* `data-answer-for` (optional): the id of the element, on the same page, that holds the question's
  text. My work and the exported file show that text (its title left out when it is an admonition),
  so each answer travels with its question. Without it, the label is all the question there is.

`slot()` writes the element (escaped, the id checked). The script (`dossier-work.js`) turns each
slot into a labelled `<textarea>` that saves as the student types, with a line saying where it is
kept (and, if the browser refuses to keep it, that it is not saved). In the book, the Sphinx
extension `dossier.sphinxext.work` adds a slot after every `{exercise}` (its id is the exercise's
`:label:`, its label "Exercise N (title)"), loads the script and its stylesheet on the pages that
need them, and lists every slot and self-check of the built pages in a manifest for the My work
page (`_static/dossier-work-manifest.js`); two slots with one id are a build warning.

Jupyter Lab. Lab runs the scripts of a trusted notebook's stored outputs (`make lab` trusts them),
but loads no book stylesheet or script. So an output that should work there too ends its HTML
with `inline_script()`: the same script, inline and marked `data-dossier-work`. It is the same
bytes at every run (strict nbval), and it does nothing twice: a page that already has the script
only looks for new slots and self-checks. The book's extension removes these inline copies and
loads the script once per page instead.

Why not a library: jupyterquiz declined to record answers, H5P's browser-storage save is an open
pull request and needs a server, and Jupyter Book has no way to keep reader input (jupyter-book
issue 1459). localStorage is synchronous, available from `file://` and offline, and holds far more
than a class writes (about 5 MB per origin); IndexedDB would add asynchronous code for nothing.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from dossier import config

ASSETS = Path(__file__).with_name("work_assets")
SCRIPT = "dossier-work.js"  # the self-checks and the answer boxes: every page that has one
STYLESHEET = "dossier-work.css"
MY_WORK_SCRIPT = "dossier-mywork.js"  # the My work page only
MANIFEST = "dossier-work-manifest.js"  # written by the Sphinx extension at the end of a build
INLINE_MARK = "data-dossier-work"
ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SLOT_CLASS = "dossier-answer"


def slot(answer_id: str, label: str, question: str | None = None) -> str:
    """The HTML of an answer slot (see the module's docstring); ConfigError for a bad id or label."""
    if not isinstance(answer_id, str) or not ID.match(answer_id):
        raise config.ConfigError(f"answer slot: id {answer_id!r} must be lowercase letters and digits, joined by hyphens or underscores")
    if not isinstance(label, str) or not label.strip():
        raise config.ConfigError(f"answer slot {answer_id!r}: needs a label")
    target = f' data-answer-for="{html.escape(question)}"' if question else ""
    return (f'<div class="{SLOT_CLASS}" data-answer-id="{answer_id}" '
            f'data-answer-label="{html.escape(" ".join(label.split()))}"{target}></div>')


@lru_cache(maxsize=2)
def _asset(name: str, stamp: tuple[str, int]) -> str:
    return Path(stamp[0]).read_text(encoding="utf-8")


def asset(name: str) -> str:
    """The text of a file of work_assets/."""
    return _asset(name, config.stamp(ASSETS / name))


def inline_script() -> str:
    """The script, inline, for outputs shown in Jupyter Lab (the book loads it as a file instead).
    A `</` inside the script would end the element early: the script has none, and this checks."""
    text = asset(SCRIPT)
    if "</" in text:
        raise config.ConfigError(f"{SCRIPT}: '</' would end an inline <script> early; write '<\\/' instead")
    return f'<script {INLINE_MARK}="inline">{text}</script>'


def book_id() -> str:
    """The book's id as the script writes it (the storage key and the exports carry it)."""
    found = re.search(r'\bvar BOOK = "([a-z0-9-]+)";', asset(SCRIPT))
    if not found:
        raise config.ConfigError(f"{SCRIPT}: no `var BOOK = \"...\";` line")
    return found.group(1)
