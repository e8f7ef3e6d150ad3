"""The timeline: sourced rows, shown with citations, charted reproducibly."""

from __future__ import annotations

import pytest
from conftest import bibliography_keys

from dossier import config, timeline

BIB_KEYS = bibliography_keys()


def test_every_event_has_a_source_in_the_bibliography():
    frame = timeline.load_timeline()
    assert set(frame["source"]) <= BIB_KEYS


def test_dates_are_sorted_and_match_their_precision():
    frame = timeline.load_timeline()
    assert list(frame["when"]) == sorted(frame["when"])
    lengths = {"year": 4, "month": 7, "day": 10}
    assert all(len(d) == lengths[p] for d, p in zip(frame["date"], frame["precision"]))


def test_timeline_spans_1893_to_after_the_article():
    frame = timeline.load_timeline()
    assert frame["date"].iloc[0] == "1893"
    assert (frame["when"] > timeline.ARTICLE_DATE).any()
    for date in ["2021-08-15", "2022-11-28", "2023-02-22", "2023-04-20"]:
        assert date in set(frame["date"]), date


def test_events_table_cites_each_row():
    shown = timeline.events(theme="ttp")
    markdown = shown._repr_markdown_()
    assert markdown.count("{cite:p}`") == len(shown.frame) > 0
    assert "{cite" not in shown._repr_html_()


def test_unknown_theme_is_a_clear_error():
    with pytest.raises(KeyError, match=r"unknown theme 'borders'; known: ttp, .* \(see data/themes.yml\)"):
        timeline.events(theme="borders")


def test_every_paragraph_theme_is_a_timeline_theme():
    # one vocabulary: a theme that tags paragraphs but no event gives an empty table, not an error
    for theme in config.themes().ids:
        shown = timeline.events(theme=theme)
        assert all(shown.frame["theme"] == theme)
    assert len(timeline.events(theme="india").frame) == 0


def test_chart_rows_use_the_labels_and_colours_of_themes_yml():
    figure = timeline.chart(since=2021).figure
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    shown = [t for t in config.themes().ids if config.themes().get(t).label in labels]
    assert labels == [config.themes().get(t).label for t in shown] and len(labels) >= 5
    colours = {tuple(round(c, 3) for c in collection.get_facecolor()[0][:3]) for collection in figure.axes[0].collections}
    expected = {tuple(round(int(config.theme_colour(t)[i:i + 2], 16) / 255, 3) for i in (1, 3, 5)) for t in shown}
    assert colours == expected


def test_chart_is_a_reproducible_png():
    first, second = timeline.chart(since=2021), timeline.chart(since=2021)
    assert first.png() == second.png()
    assert first.png().startswith(b"\x89PNG")
    assert b"matplotlib" not in first.png()  # no software version in the file
    assert repr(first).startswith("<Chart 900x")
