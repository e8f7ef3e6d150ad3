"""The dossier's timeline: dated events from `data/timeline.csv`, each with its source.

`load_timeline()` gives the table as a pandas DataFrame for exercises; `events()` shows it (in the
book, each source links to the bibliography); `chart()` draws the events since a given year.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from dossier import config

# An event's `theme` is a theme of data/themes.yml; the chart draws each with the theme's label,
# colour and marker from there (Okabe–Ito colours plus distinct markers: it reads without colour).

ARTICLE_DATE = pd.Timestamp("2023-04-20")


def load_timeline() -> pd.DataFrame:
    """The timeline as a DataFrame; `when` is the date as a Timestamp (the first day of a year or
    month where the source gives no finer date, see `precision`)."""
    frame = pd.read_csv(config.data_dir() / "timeline.csv", dtype=str, keep_default_na=False)
    for theme in frame["theme"]:
        config.themes().require(theme)
    frame["when"] = pd.to_datetime(frame["date"], format="mixed")
    return frame


@dataclass
class Events:
    """Timeline rows for display: a table with a source for every row."""

    frame: pd.DataFrame

    def _repr_markdown_(self) -> str:
        lines = ["| Date | Event | Source |", "| --- | --- | --- |"]
        for row in self.frame.itertuples():
            event = row.event.replace("|", "\\|")
            lines.append(f"| {row.date} | {event} | {{cite:p}}`{row.source}` |")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(r.date)}</td><td>{html.escape(r.event)}</td><td>{html.escape(r.source)}</td></tr>"
            for r in self.frame.itertuples()
        )
        return (
            '<table class="timeline"><thead><tr><th scope="col">Date</th><th scope="col">Event</th>'
            f'<th scope="col">Source</th></tr></thead><tbody>{body}</tbody></table>'
        )

    def __repr__(self) -> str:
        return f"<Events: {len(self.frame)} rows>"


def events(theme: str | None = None, since: int | None = None) -> Events:
    """Timeline events, optionally only those of one theme (of data/themes.yml) or from a given
    year on. A known theme with no events gives an empty table; an unknown one raises UnknownName."""
    frame = load_timeline()
    if theme is not None:
        frame = frame[frame["theme"] == config.themes().require(theme)]
    if since is not None:
        frame = frame[frame["when"].dt.year >= since]
    return Events(frame.reset_index(drop=True))


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


def chart(since: int = 2021, until: int | None = None) -> Chart:
    """A dot chart of the events from `since` on: one row per theme, the article's date marked."""
    frame = load_timeline()
    frame = frame[frame["when"].dt.year >= since]
    if until is not None:
        frame = frame[frame["when"].dt.year <= until]
    themes = [t for t in config.themes().ids if t in set(frame["theme"])]
    fig = Figure(figsize=(9, 0.55 * len(themes) + 1.6), dpi=100)
    ax = fig.subplots()
    for row_index, theme in enumerate(themes):
        spec = config.themes().get(theme)
        label, colour, marker = spec.label, config.theme_colour(theme), spec.marker
        dates = frame.loc[frame["theme"] == theme, "when"]
        ax.scatter(dates, [row_index] * len(dates), color=colour, marker=marker, s=60, zorder=3, label=label)
    ax.axvline(ARTICLE_DATE, color="#444444", linestyle="--", linewidth=1)
    ax.annotate("article published\n20 Apr 2023", (ARTICLE_DATE, len(themes) - 0.5), fontsize=8,
                ha="right", va="top", xytext=(-4, 0), textcoords="offset points")
    ax.set_yticks(range(len(themes)), [config.themes().get(t).label for t in themes])
    ax.set_ylim(-0.7, len(themes) - 0.3)
    ax.grid(axis="x", color="#dddddd", zorder=0)
    ax.set_title(f"Events in the timeline, {since}–{frame['when'].dt.year.max()}", fontsize=11)
    ax.set_xlabel("Date (events known only to the year or month are placed at its start)", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return Chart(fig)
