"""The article's forecasts set against the record: data/forecasts.yml and data/timeline.csv.

    from dossier import forecasts
    forecasts.scorecard()     # for students: each forecast, its hedge and the record; they score it
    forecasts.verdicts()      # for instructors: our verdict on each, with the reasoning

Each forecast quotes the article verbatim (a part of its paragraph), says how it is hedged and by
when it was to come true, and lists the timeline events after 20 April 2023 that bear on it. The
student scorecard shows the record and asks for a verdict; it never shows ours, which live in the
same file and are shown only by `verdicts()`, in the instructor edition.

Like the other displays, each object shows itself as MyST Markdown in the book (with citations) and
as plain HTML in Jupyter; the answer boxes are the book's answer slots (see dossier.work).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from dossier import config, data, timeline, work
from dossier.markup import escape_markdown

KINDS = config.FORECAST_KINDS
VERDICTS = config.VERDICTS

ID = re.compile(r"^p\d{2}(-[a-z0-9]+)+$")
FIELDS = ("id", "paragraph", "words", "kind", "hedge", "condition", "time_frame", "events", "verdict", "reasoning")


@dataclass(frozen=True)
class Forecast:
    id: str
    paragraph: str
    words: str
    kind: str
    hedge: str
    condition: str
    time_frame: str
    events: tuple[str, ...]
    verdict: str
    reasoning: str

    @property
    def label(self) -> str:
        """'¶7', as the book names paragraphs."""
        return f"¶{int(self.paragraph.removeprefix('p'))}"


def _fail(path, message: str) -> config.ConfigError:
    return config.ConfigError(f"{config.shown(path)}: {message}")


def load_forecasts(path=None) -> list[Forecast]:
    """Read and check data/forecasts.yml against the article and the timeline; a malformed file
    raises ConfigError, one line naming the forecast and what is wrong."""
    path = path or config.data_dir() / "forecasts.yml"
    document = config.read_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("forecasts"), list) or not document["forecasts"]:
        raise _fail(path, "expected a mapping with a non-empty 'forecasts' list")
    paragraphs = dict(zip(data.load_paragraphs()["id"], data.load_paragraphs()["text"]))
    events = timeline.load_timeline().set_index("id")
    found, seen = [], set()
    for n, entry in enumerate(document["forecasts"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not ID.match(entry["id"]):
            raise _fail(path, f"forecast #{n} has no valid id (the paragraph, then words: p07-warning)")
        fid = entry["id"]
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            raise _fail(path, f"forecast {fid!r} has no {', '.join(missing)}")
        if fid in seen:
            raise _fail(path, f"forecast id {fid!r} is used twice")
        seen.add(fid)
        text = paragraphs.get(entry["paragraph"])
        if text is None or not fid.startswith(entry["paragraph"] + "-"):
            raise _fail(path, f"forecast {fid!r}: paragraph {entry['paragraph']!r} is not the article's, or not its id's")
        for field in ("words", "hedge"):
            value = entry[field]
            if not isinstance(value, str) or (field == "words" and not value) or value not in text:
                raise _fail(path, f"forecast {fid!r}: {field} {value!r} is not the words of {entry['paragraph']}, verbatim")
        if entry["kind"] not in KINDS:
            raise _fail(path, f"forecast {fid!r}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if entry["verdict"] not in VERDICTS:
            raise _fail(path, f"forecast {fid!r}: verdict {entry['verdict']!r} is not one of {', '.join(VERDICTS)}")
        ids = entry["events"]
        if not isinstance(ids, list) or not ids:
            raise _fail(path, f"forecast {fid!r}: events must be a list of ids of data/timeline.csv")
        unknown = [e for e in ids if e not in events.index]
        if unknown:
            raise _fail(path, f"forecast {fid!r}: no event {', '.join(map(repr, unknown))} in data/timeline.csv")
        early = [e for e in ids if events.loc[e, "when"] <= timeline.ARTICLE_DATE]
        if early:
            raise _fail(path, f"forecast {fid!r}: {', '.join(early)} is not after the article")
        standpoints = {s for e in ids for s in timeline.split(events.loc[e, "standpoints"])}
        if len(standpoints) < 2:
            raise _fail(path, f"forecast {fid!r}: its events carry only one standpoint ({', '.join(standpoints)})")
        found.append(Forecast(fid, entry["paragraph"], entry["words"], entry["kind"], entry["hedge"] or "",
                              entry["condition"] or "", entry["time_frame"], tuple(ids), entry["verdict"],
                              " ".join(str(entry["reasoning"]).split())))
    return found


@lru_cache(maxsize=4)
def _forecasts(stamps: tuple) -> tuple[Forecast, ...]:
    return tuple(load_forecasts(stamps[0][0]))


def all_forecasts() -> tuple[Forecast, ...]:
    """Every forecast of data/forecasts.yml, in file order (re-read when it or the timeline changes)."""
    return _forecasts((config.stamp(config.data_dir() / "forecasts.yml"), config.stamp(config.data_dir() / "timeline.csv")))


def first_sentence(text: str) -> str:
    """The first sentence of an event, for the scorecard (the full row is in the record table)."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z‘'])", text.strip(), maxsplit=1)[0]


def _events(forecast: Forecast):
    frame = timeline.load_timeline().set_index("id")
    for event_id in forecast.events:
        row = frame.loc[event_id]
        whose = "; ".join(config.STANDPOINTS[s] for s in timeline.split(row["standpoints"]))
        yield event_id, row["date"], first_sentence(row["event"]), whose, timeline.split(row["source"])


def _details(forecast: Forecast) -> list[tuple[str, str]]:
    return [("Hedge", f"‘{forecast.hedge}’" if forecast.hedge else "none"),
            ("Condition", forecast.condition or "none"),
            ("Time frame", forecast.time_frame)]


def _slots(n: int, forecast: Forecast) -> str:
    """The two answer boxes of a forecast: the verdict and the reasons (see dossier.work)."""
    question = f"forecast-{forecast.id}"
    return (work.slot(f"scorecard-{forecast.id}-verdict", f"Forecast {n} ({forecast.label}): your verdict", question=question)
            + work.slot(f"scorecard-{forecast.id}-reasons", f"Forecast {n} ({forecast.label}): your reasons", question=question))


#: How many forecasts one student scores: the outlook asks the teacher to give each student six to
#: start with (and the class shares out the rest); the chapter's core path counts that many.
SCORED_PER_STUDENT = 6

SCALE = "Choose one: " + " · ".join(VERDICTS) + "."


@dataclass
class Scorecard:
    """For students: every forecast with the record that bears on it, and boxes for their verdict
    and reasons. Our verdicts are not here (see `verdicts()`)."""

    items: tuple[Forecast, ...]

    def _repr_markdown_(self) -> str:
        blocks = [f"*How to score:* {SCALE} Then give your reasons, naming the events (date and what happened).\n"]
        for n, f in enumerate(self.items, start=1):
            details = " · ".join(f"*{label}:* {escape_markdown(value)}" for label, value in _details(f))
            record = "\n".join(
                f"- {date}: {escape_markdown(sentence)} *({escape_markdown(whose)})* {{cite:p}}`{','.join(keys)}`"
                for _, date, sentence, whose, keys in _events(f))
            blocks.append(
                f'<div class="scorecard-forecast" id="forecast-{f.id}">\n\n'
                f"**Forecast {n}** · {f.label} · {f.kind}\n\n> “{escape_markdown(f.words)}”\n\n{details}\n\n"
                f'<details class="scorecard-record"><summary>The record since the article: {len(f.events)} events</summary>\n\n'
                f"{record}\n\n</details>\n\n"
                + _slots(n, f) + "\n\n</div>\n")
        return "\n".join(blocks)

    def _repr_html_(self) -> str:
        blocks = [f'<p class="scorecard-help"><em>How to score:</em> {html.escape(SCALE)} Then give your reasons, '
                  "naming the events (date and what happened).</p>"]
        for n, f in enumerate(self.items, start=1):
            details = " · ".join(f"<em>{label}:</em> {html.escape(value)}" for label, value in _details(f))
            record = "".join(
                f"<li>{html.escape(date)}: {html.escape(sentence)} <em>({html.escape(whose)})</em> "
                f"[{html.escape(', '.join(keys))}]</li>" for _, date, sentence, whose, keys in _events(f))
            blocks.append(
                f'<div class="scorecard-forecast" id="forecast-{f.id}"><p><strong>Forecast {n}</strong> · {f.label} · '
                f"{html.escape(f.kind)}</p><blockquote><p>“{html.escape(f.words)}”</p></blockquote><p>{details}</p>"
                f'<details class="scorecard-record"><summary>The record since the article: {len(f.events)} events</summary>'
                f"<ul>{record}</ul></details>"
                + _slots(n, f) + "</div>")
        return '<div class="scorecard">' + "".join(blocks) + "</div>" + work.inline_script()

    def __repr__(self) -> str:
        return f"<Scorecard: {len(self.items)} forecasts>"


def scorecard() -> Scorecard:
    """The article's forecasts with the record since 20 April 2023, for students to score."""
    return Scorecard(all_forecasts())


@dataclass
class Verdicts:
    """For instructors: our verdict on each forecast, with the reasoning."""

    items: tuple[Forecast, ...]

    def _repr_markdown_(self) -> str:
        lines = ["| # | ¶ | The article's words | Our verdict | Why |", "| --- | --- | --- | --- | --- |"]
        for n, f in enumerate(self.items, start=1):
            lines.append(f"| {n} | {f.label} | “{escape_markdown(f.words)}” | **{f.verdict}** | "
                         f"{escape_markdown(f.reasoning)} |")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td>{f.label}</td><td>“{html.escape(f.words)}”</td><td><strong>{f.verdict}</strong></td>"
            f"<td>{html.escape(f.reasoning)}</td></tr>" for n, f in enumerate(self.items, start=1))
        return ('<table class="forecast-verdicts"><thead><tr><th scope="col">#</th><th scope="col">¶</th>'
                '<th scope="col">The article\'s words</th><th scope="col">Our verdict</th><th scope="col">Why</th>'
                f"</tr></thead><tbody>{rows}</tbody></table>")

    def __repr__(self) -> str:
        return f"<Verdicts: {len(self.items)} forecasts>"


def verdicts() -> Verdicts:
    """Our verdicts, for the instructor edition only."""
    return Verdicts(all_forecasts())
