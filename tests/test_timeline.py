"""The timeline: sourced rows, shown with citations, charted reproducibly."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import BIBLIOGRAPHY, DATA, STUDENT, bibliography_keys, soup

from dossier import config, timeline

BIB_KEYS = bibliography_keys()


def test_every_event_has_a_source_in_the_bibliography():
    frame = timeline.load_timeline()
    keys = {key for value in frame["source"] for key in timeline.split(value)}
    assert keys <= BIB_KEYS, sorted(keys - BIB_KEYS)


def test_every_event_after_the_article_cites_what_was_read_and_when():
    """The record since the article rests on copies read: every source has the address read and the
    day it was read."""
    bib = BIBLIOGRAPHY.read_text(encoding="utf-8")
    after = timeline.after_article(timeline.load_timeline())
    assert len(after) > 0
    for row in after.itertuples():
        for key in timeline.split(row.source):
            entry = re.search(r"@\w+\{" + re.escape(key) + r",(.*?)\n\}", bib, re.S).group(1)
            assert re.search(r"^\s*url = \{\S+\}", entry, re.M), (row.id, key)
            assert re.search(r"^\s*urldate = \{\d{4}-\d{2}-\d{2}\}", entry, re.M), (row.id, key)


def test_ids_are_unique_and_start_with_the_year():
    frame = timeline.load_timeline()
    assert frame["id"].is_unique
    assert all(row.id.startswith(row.date[:4] + "-") for row in frame.itertuples())


def test_every_standpoint_is_known_and_each_row_names_one(tmp_path, monkeypatch):
    frame = timeline.load_timeline()
    assert all(timeline.split(value) for value in frame["standpoints"])
    (tmp_path / "data").mkdir()
    text = (DATA / "timeline.csv").read_text(encoding="utf-8")
    (tmp_path / "data" / "timeline.csv").write_text(text.replace(",research,", ",international,", 1), encoding="utf-8")
    shutil.copy(DATA / "themes.yml", tmp_path / "data" / "themes.yml")
    monkeypatch.setenv("DOSSIER_ROOT", str(tmp_path))
    with pytest.raises(KeyError, match=r"unknown standpoint 'international'; known: pakistani-official"):
        timeline.load_timeline()


#: A count of people killed, wounded or dead ("23 soldiers were killed", "killing 10 civilians").
TOLL = re.compile(r"\b(\d[\d,]*|dozens|hundreds|scores)\b[^.;]{0,60}\b(kill|dead|death|die|wound|injur|casualt)"
                  r"|\b(kill|killing|wounding|injuring)\w*\s+(at least\s+|more than\s+|over\s+)?(\d[\d,]*)", re.I)
#: Words that name who gives a figure.
ATTRIBUTION = re.compile(r"\b(said|says|say|according to|reported|reports|claimed|claims|counted|counts|put|gave|"
                         r"told|stated|announced|give|gives|count|figures|publishes)\b", re.I)


def death_tolls_without_attribution(frame) -> list[str]:
    """Rows that give a death or casualty toll in a sentence that does not say who gives it."""
    found = []
    for row in frame.itertuples():
        for sentence in re.split(r"(?<=[.;])\s+", row.event):
            if TOLL.search(sentence) and not ATTRIBUTION.search(sentence):
                found.append(f"{row.id}: {sentence}")
    return found


def test_every_death_toll_names_who_gives_it():
    assert death_tolls_without_attribution(timeline.load_timeline()) == []
    planted = timeline.load_timeline().head(1).assign(event="Clashes at the border kill 23 soldiers.")
    assert death_tolls_without_attribution(planted)
    attributed = planted.assign(event="ISPR said clashes at the border killed 23 soldiers.")
    assert death_tolls_without_attribution(attributed) == []


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


def test_events_after_the_article_show_whose_account_each_is():
    shown = timeline.events(after=True)
    assert len(shown.frame) == len(timeline.after_article(timeline.load_timeline()))
    assert (shown.frame["when"] > timeline.ARTICLE_DATE).all()
    markdown = shown._repr_markdown_()
    assert markdown.count("\n- **") + markdown.startswith("- **") == len(shown.frame)  # a list: on a phone a table ran to screens
    for row in shown.frame.itertuples():
        for standpoint in timeline.split(row.standpoints):
            assert config.STANDPOINTS[standpoint] in markdown
        assert "{cite:p}`" + ",".join(timeline.split(row.source)) + "`" in markdown


def test_as_of_is_the_month_of_the_newest_event():
    newest = max(timeline.load_timeline()["when"])
    assert timeline.as_of() == f"{newest:%B %Y}"
    note = timeline.record_note()
    assert note.month == timeline.as_of() and note.after == len(timeline.after_article(timeline.load_timeline()))


@pytest.mark.parametrize("page", ["intro", "timeline", "outlook"])
def test_pages_state_the_as_of_month_from_the_data(student, page):
    text = soup(STUDENT / "book" / f"{page}.html").get_text(" ")
    months = set(re.findall(r"As of ([A-Z][a-z]+ \d{4})", text))
    assert months == {timeline.as_of()}, (page, months)


def test_chart_columns_use_the_labels_and_colours_of_themes_yml():
    figure = timeline.chart(since=2021).figure
    labels = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
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
    assert repr(first).startswith(f"<Chart {round(timeline.CHART_WIDTH * 100)}x")


def drawn_dots(figure) -> list[tuple[str, float, float]]:
    """(theme label, x, y as a date number) of every dot the chart draws, read back from the figure."""
    dots = []
    for collection in figure.axes[0].collections:
        for x, y in collection.get_offsets():
            dots.append((collection.get_label(), float(x), float(y)))
    return dots


@pytest.mark.parametrize("since", [2021, 2023])
def test_every_dot_sits_in_its_themes_column_at_its_date(since):
    """Each event of data/timeline.csv from `since` on is drawn once, in the column of its theme
    (labelled with the theme's label) and at its date: a dot moved to another theme's column or to
    another date fails here, although the PNG is not compared by nbval."""
    from matplotlib.dates import date2num

    frame = timeline.load_timeline()
    frame = frame[frame["when"].dt.year >= since]
    figure = timeline.chart(since=since).figure
    labels = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    expected = sorted((config.themes().get(row.theme).label, round(float(date2num(row.when)), 3)) for row in frame.itertuples())
    drawn = drawn_dots(figure)
    assert sorted((label, round(y, 3)) for label, _, y in drawn) == expected
    for label, x, _ in drawn:
        assert abs(x - labels.index(label)) < 0.3, (label, x)


def test_a_dot_in_the_wrong_column_is_caught():
    figure = timeline.chart(since=2021).figure
    collection = figure.axes[0].collections[0]
    offsets = collection.get_offsets().copy()
    offsets[0][0] += 1
    collection.set_offsets(offsets)
    labels = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    assert any(abs(x - labels.index(label)) >= 0.3 for label, x, _ in drawn_dots(figure))


def test_a_folded_list_of_events_says_how_many_it_holds_and_holds_them_all():
    shown = timeline.events(after=True)
    folded = shown.fold()
    for text in (folded._repr_markdown_(), folded._repr_html_()):
        assert text.startswith('<details class="timeline-fold"><summary>All ')
        assert f"All {len(shown.frame)} events since the article" in text
        assert text.rstrip().endswith("</details>")
    assert shown._repr_markdown_() in folded._repr_markdown_()  # the same list, only folded
    assert not shown._repr_markdown_().startswith("<details")
