"""The forecast scorecard: the article's words verbatim, the record from two standpoints at least,
one-line errors for a broken file, and our verdicts in the instructor edition only."""

from __future__ import annotations

import csv
import json
import re

import jsonschema
import pytest
import yaml
from conftest import BOOK, DATA, INSTRUCTOR, STUDENT, article_main, misquotations, normalise, paragraph_rows

from dossier import config, forecasts, timeline

DOCUMENT = yaml.safe_load((DATA / "forecasts.yml").read_text(encoding="utf-8"))
ENTRIES = DOCUMENT["forecasts"]
TIMELINE = {row["id"]: row for row in csv.DictReader((DATA / "timeline.csv").open(encoding="utf-8"))}


def test_the_file_follows_its_schema():
    spec = next(r for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                if r["name"] == "forecasts")
    jsonschema.validate(DOCUMENT, spec["jsonSchema"])


def test_the_forecasts_named_by_the_issue_are_all_there():
    """¶7; ¶13–¶14 on India; ¶16 and ¶19 on recognition; ¶18; each tool of ¶20; ¶21."""
    paragraphs = {entry["paragraph"] for entry in ENTRIES}
    assert {"p07", "p13", "p14", "p16", "p18", "p19", "p21"} <= paragraphs
    tools = {entry["words"] for entry in ENTRIES if entry["paragraph"] == "p20"}
    assert tools == {"frequent border closures", "visa restrictions", "non-identification of the Taliban",
                     "strengthening border security", "improving monitoring and information gathering capabilities"}
    assert any("the tension has decreased" in entry["words"] for entry in ENTRIES)


def test_the_articles_words_and_hedges_are_verbatim():
    text = {row["id"]: row["text"] for row in paragraph_rows()}
    for entry in ENTRIES:
        assert entry["words"] in text[entry["paragraph"]], entry["id"]
        assert entry["hedge"] in text[entry["paragraph"]], entry["id"]
    assert misquotations([(entry["id"], f"“{entry['words']}”") for entry in ENTRIES]) == []


def test_every_forecast_cites_events_after_the_article_from_two_standpoints_at_least():
    for entry in ENTRIES:
        events = [TIMELINE[e] for e in entry["events"]]
        assert all(row["date"] > "2023-04-20" for row in events), entry["id"]
        standpoints = {s for row in events for s in row["standpoints"].split(";")}
        assert len(standpoints) >= 2, entry["id"]
    assert len(forecasts.all_forecasts()) == len(ENTRIES)


BREAKAGES = {
    "words not the article's": (lambda e: e.update(words="Pakistan will invade Afghanistan"), r"forecast 'p07-warning': words .* verbatim"),
    "hedge not the article's": (lambda e: e.update(hedge="perhaps"), r"forecast 'p07-warning': hedge 'perhaps' is not the words of p07"),
    "unknown event": (lambda e: e.update(events=["2025-no-such-event"]), r"no event '2025-no-such-event' in data/timeline.csv"),
    "event before the article": (lambda e: e.update(events=["2022-ttp-ends-ceasefire", "2024-air-strikes-barmal"]),
                                 r"2022-ttp-ends-ceasefire is not after the article"),
    "one standpoint": (lambda e: e.update(events=["2024-azm-e-istehkam"]), r"its events carry only one standpoint"),
    "unknown verdict": (lambda e: e.update(verdict="true"), r"verdict 'true' is not one of held"),
    "missing field": (lambda e: e.pop("time_frame"), r"forecast 'p07-warning' has no time_frame"),
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_a_broken_file_is_one_clear_line(tmp_path, name):
    change, message = BREAKAGES[name]
    broken = yaml.safe_load((DATA / "forecasts.yml").read_text(encoding="utf-8"))
    change(broken["forecasts"][0])
    path = tmp_path / "forecasts.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(config.ConfigError, match=message) as error:
        forecasts.load_forecasts(path)
    assert "\n" not in str(error.value)


def test_the_scorecard_shows_the_record_and_boxes_but_no_verdict():
    import html

    card = forecasts.scorecard()
    for markup in (card._repr_markdown_(), html.unescape(card._repr_html_())):
        for entry in ENTRIES:
            assert f'data-answer-id="scorecard-{entry["id"]}-verdict"' in markup
            assert entry["reasoning"].split(".")[0][:50] not in markup
            for event in entry["events"]:
                assert forecasts.first_sentence(TIMELINE[event]["event"])[:40] in markup.replace("\\", "")


def reasoning_fragments() -> list[str]:
    """A distinctive stretch of each sentence of our reasoning (normalised)."""
    fragments = []
    for entry in ENTRIES:
        for sentence in re.split(r"(?<=[.;])\s+", " ".join(entry["reasoning"].split())):
            if len(sentence) > 50:
                fragments.append(normalise(sentence)[:50])
    return fragments


def test_no_verdict_in_any_student_page_or_notebook(student):
    fragments = reasoning_fragments()
    assert len(fragments) >= len(ENTRIES)
    pages = [p for p in STUDENT.rglob("*.html")]
    notebooks = [p for p in BOOK.glob("*.ipynb")]
    leaks = []
    for path in pages + notebooks:
        text = normalise(path.read_text(encoding="utf-8").replace("\\n", " "))
        leaks += [f"{path.name}: {f}" for f in fragments if f in text]
    assert leaks == []


def test_the_instructor_edition_gives_every_verdict_with_its_reasoning(instructor):
    main = article_main(INSTRUCTOR / "book" / "instructor" / "forecast_verdicts.html")
    text = normalise(main.get_text(" "))
    for fragment in reasoning_fragments():
        assert fragment in text
    for entry in ENTRIES:
        assert normalise(entry["words"])[:40] in text


def test_the_outlook_page_shows_every_forecast_for_scoring(student):
    main = article_main(STUDENT / "book" / "outlook.html")
    cards = main.select(".scorecard-forecast")
    assert [c["id"] for c in cards] == [f"forecast-{entry['id']}" for entry in ENTRIES]
    for card, entry in zip(cards, ENTRIES):
        assert normalise(entry["words"]) in normalise(card.get_text(" "))
        assert card.select(f'[data-answer-id="scorecard-{entry["id"]}-verdict"]')
        assert len(card.select("details.scorecard-record li")) == len(entry["events"])


def test_the_record_map_shows_the_places_of_the_events_after_the_article():
    places = config.map_spec("record").places
    expected = list(dict.fromkeys(row["place"] for row in TIMELINE.values() if row["place"] and row["date"] > "2023-04-20"))
    assert list(places) == expected and len(places) >= 8


def test_timeline_rows_after_the_article_number_at_least_25_across_the_themes():
    after = timeline.after_article(timeline.load_timeline())
    assert len(after) >= 25
    assert {"ttp", "security", "diplomacy", "durand_line", "india", "trade_corridors", "refugees"} <= set(after["theme"])
    assert after["when"].max().year >= 2026
