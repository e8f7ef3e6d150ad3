"""The dossier's timeline: dated events from `data/timeline.csv`, each with its source.

`load_timeline()` gives the table as a pandas DataFrame for exercises; `events()` shows it (in the
book, each source links to the bibliography); `chart()` draws the events since a given year.
"""

from __future__ import annotations

import dataclasses
import html
import io
from dataclasses import dataclass

import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure

from dossier import config
from dossier.markup import escape_markdown

# An event's `theme` is a theme of data/themes.yml; the chart draws each with the theme's label,
# colour and marker from there (Okabe–Ito colours plus distinct markers: it reads without colour).

ARTICLE_DATE = pd.Timestamp("2023-04-20")


def load_timeline() -> pd.DataFrame:
    """The timeline as a DataFrame; `when` is the date as a Timestamp (the first day of a year or
    month where the source gives no finer date, see `precision`). `source` and `standpoints` hold
    one or more ids separated by semicolons, as in the file."""
    frame = pd.read_csv(config.data_dir() / "timeline.csv", dtype=str, keep_default_na=False)
    for theme in frame["theme"]:
        config.themes().require(theme)
    for value in frame["standpoints"]:
        for standpoint in split(value):
            if standpoint not in config.STANDPOINTS:
                raise config.unknown("standpoint", standpoint, config.STANDPOINTS, "scripts/dossier/config.py")
    frame["when"] = pd.to_datetime(frame["date"], format="mixed")
    return frame


def split(value: str) -> list[str]:
    """The ids of a `source` or `standpoints` cell: 'a;b' -> ['a', 'b']."""
    return [part for part in value.split(";") if part]


def after_article(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows dated after the article's publication (20 April 2023)."""
    return frame[frame["when"] > ARTICLE_DATE]


def as_of() -> str:
    """The month of the newest event in the record, as the book writes it: 'November 2026'.
    Pages say how far the record runs with this, never with a typed date."""
    newest = load_timeline()["when"].max()
    return f"{newest:%B %Y}"


@dataclass
class RecordNote:
    """One sentence saying how far the record of events runs, derived from data/timeline.csv."""

    month: str
    after: int

    def text(self) -> str:
        return (f"The record of events in this dossier runs to {self.month}: {self.after} dated events after "
                "the article appeared on 20 April 2023, each with its sources.")

    def _repr_markdown_(self) -> str:
        return f"**As of {self.month}.** {self.text()}\n"

    def _repr_html_(self) -> str:
        return f'<p class="record-note"><strong>As of {html.escape(self.month)}.</strong> {html.escape(self.text())}</p>'

    def __repr__(self) -> str:
        return f"<RecordNote: as of {self.month}>"


def record_note() -> RecordNote:
    """'As of <month>': how far the record runs, for the landing page, the timeline and the outlook."""
    return RecordNote(as_of(), len(after_article(load_timeline())))


@dataclass
class Events:
    """Timeline rows for display: a table with the sources of every row (and, with `standpoints`,
    whose accounts those sources carry)."""

    frame: pd.DataFrame
    standpoints: bool = False
    folded: bool = False  # behind a summary line that says how many events it holds (long lists on a phone)

    def fold(self) -> "Events":
        """The same events, folded: a summary line ("All 89 events …") that opens the list."""
        return dataclasses.replace(self, folded=True)

    def _summary(self) -> str:
        n = len(self.frame)
        if self.standpoints:
            return f"All {n} events since the article, with whose account each is"
        return f"All {n} events"

    def _whose(self, row) -> str:
        return "; ".join(config.STANDPOINTS[s] for s in split(row.standpoints))

    def _repr_markdown_(self) -> str:
        if self.standpoints:
            # The record since the article: a list, not a table. Its rows are long and carry whose
            # account each is; in four narrow columns on a phone a row ran to a screen or more.
            body = "\n".join(
                f"- **{row.date}** · {escape_markdown(row.event)} *({self._whose(row)})* "
                f"{{cite:p}}`{','.join(split(row.source))}`" for row in self.frame.itertuples()) + "\n"
        else:
            lines = ["| Date | Event | Source |", "| --- | --- | --- |"]
            for row in self.frame.itertuples():
                lines.append(f"| {row.date} | {escape_markdown(row.event)} | {{cite:p}}`{','.join(split(row.source))}` |")
            body = "\n".join(lines) + "\n"
        if self.folded:
            return f'<details class="timeline-fold"><summary>{self._summary()}</summary>\n\n{body}\n</details>\n'
        return body

    def _repr_html_(self) -> str:
        body = self._html_body()
        if self.folded:
            return f'<details class="timeline-fold"><summary>{html.escape(self._summary())}</summary>{body}</details>'
        return body

    def _html_body(self) -> str:
        if self.standpoints:
            items = "".join(
                f"<li><strong>{html.escape(r.date)}</strong> · {html.escape(r.event)} <em>({html.escape(self._whose(r))})</em> "
                f"[{html.escape(', '.join(split(r.source)))}]</li>" for r in self.frame.itertuples())
            return f'<ul class="timeline timeline-record">{items}</ul>'
        body = "".join(
            f"<tr><td>{html.escape(r.date)}</td><td>{html.escape(r.event)}</td>"
            f"<td>{html.escape(', '.join(split(r.source)))}</td></tr>"
            for r in self.frame.itertuples()
        )
        return (
            '<table class="timeline"><thead><tr><th scope="col">Date</th><th scope="col">Event</th>'
            f'<th scope="col">Source</th></tr></thead><tbody>{body}</tbody></table>'
        )

    def __repr__(self) -> str:
        return f"<Events: {len(self.frame)} rows>"


def events(theme: str | None = None, since: int | None = None, themes: list[str] | None = None,
           after: bool = False, before: bool = False, standpoints: bool | None = None) -> Events:
    """Timeline events, optionally only those of one theme (or of several, `themes`; ids of
    data/themes.yml), from a given year on, only those after the article (`after`) or only those up
    to its publication (`before`: what the author could have known). A known theme with no events
    gives an empty table; an unknown one raises UnknownName. The events after the article are shown
    with whose accounts their sources carry (`standpoints`, on by default there)."""
    frame = load_timeline()
    wanted = ([theme] if theme is not None else []) + list(themes or [])
    if wanted:
        frame = frame[frame["theme"].isin([config.themes().require(t) for t in wanted])]
    if since is not None:
        frame = frame[frame["when"].dt.year >= since]
    if after:
        frame = after_article(frame)
    if before:
        frame = frame[frame["when"] <= ARTICLE_DATE]
    return Events(frame.reset_index(drop=True), after if standpoints is None else standpoints)


@dataclass
class Chart:
    """A matplotlib figure that shows itself as a PNG in Jupyter and in the book.

    (A bare `Figure` shows as a picture only once pyplot has set up Jupyter's display hooks; this
    does not depend on that, and writes no software version into the PNG, so the bytes are stable.)
    """

    figure: Figure

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        width, height = (self.figure.get_size_inches() * self.figure.dpi).round().astype(int)
        return f"<Chart {width}x{height} px: {self.figure.axes[0].get_title()}>"


#: Width of the chart in inches at 100 dpi: 440 px, so that on a 390 px phone it is shown at
#: about four-fifths of its size and its 10-point text stays readable.
CHART_WIDTH = 4.4


def chart_positions(frame: pd.DataFrame) -> pd.DataFrame:
    """Where the chart draws each event: `column` is the index of its theme's column (themes in the
    order of data/themes.yml that have events), `x` that index plus a small offset that sets apart
    events of one theme within two months of each other, `y` the date (a Timestamp). Kept apart from
    the drawing so that a test can hold every dot to its row of data/timeline.csv."""
    themes = [t for t in config.themes().ids if t in set(frame["theme"])]
    rows = []
    for column, theme in enumerate(themes):
        last, shift = None, 0
        for row in frame[frame["theme"] == theme].sort_values(["when", "id"]).itertuples():
            shift = shift + 1 if last is not None and (row.when - last).days < 60 else 0
            last = row.when
            offset = (0.0, 0.22, -0.22, 0.11, -0.11)[shift % 5]
            rows.append({"id": row.id, "theme": theme, "column": column, "x": column + offset, "y": row.when})
    return pd.DataFrame(rows, columns=["id", "theme", "column", "x", "y"])


def chart(since: int = 2021, until: int | None = None) -> Chart:
    """A dot chart of the events from `since` on: time runs down the page, one column per theme
    (its label, colour and marker from data/themes.yml), the article's date marked by a dashed line.
    Tall and narrow, so that it reads on a phone as well as on a screen or paper."""
    frame = load_timeline()
    frame = frame[frame["when"].dt.year >= since]
    if until is not None:
        frame = frame[frame["when"].dt.year <= until]
    positions = chart_positions(frame)
    themes = list(dict.fromkeys(positions["theme"]))
    first, last = frame["when"].min().year, frame["when"].max().year
    fig = Figure(figsize=(CHART_WIDTH, 0.95 * (last - first + 1) + 2.4), dpi=100)
    ax = fig.subplots()
    for column, theme in enumerate(themes):
        spec = config.themes().get(theme)
        dots = positions[positions["theme"] == theme]
        ax.scatter(dots["x"], dots["y"], color=config.theme_colour(theme), marker=spec.marker, s=42, zorder=3,
                   label=spec.label, edgecolors="white", linewidths=0.5)
    ax.axhline(ARTICLE_DATE, color="#444444", linestyle="--", linewidth=1)
    ax.annotate("article published 20 Apr 2023", (len(themes) - 0.5, ARTICLE_DATE), fontsize=9,
                ha="right", va="bottom", xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(range(len(themes)), [config.themes().get(t).label for t in themes], rotation=50,
                  ha="right", rotation_mode="anchor", fontsize=10)
    ax.set_xlim(-0.6, len(themes) - 0.4)
    ax.set_ylim(pd.Timestamp(f"{last + 1}-01-01"), pd.Timestamp(f"{first}-01-01"))
    ax.yaxis.set_major_locator(YearLocator())
    ax.yaxis.set_major_formatter(DateFormatter("%Y"))
    ax.tick_params(axis="y", labelsize=10)
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    ax.set_title(f"Events in the timeline, {first}–{last}", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return Chart(fig)
