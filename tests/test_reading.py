"""Passages and the annotated article: verbatim in both renderings, links where the book needs them."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from dossier import data, reading


def rendered_text(markdown: str) -> str:
    """Plain text of Markdown as a CommonMark renderer shows it (entities and escapes resolved)."""
    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


PARAGRAPHS = data.load_paragraphs().to_dict("records")


@pytest.mark.parametrize("row", PARAGRAPHS, ids=lambda r: r["id"])
def test_every_paragraph_renders_verbatim_both_ways(row):
    shown = reading.passages(ids=[row["id"]])
    assert row["text"] in rendered_text(shown._repr_markdown_())
    assert row["text"] in html_text(shown._repr_html_())


def test_markdown_special_characters_survive():
    text = "A *starred* _word_, a [link](x), <b>tag</b>, `code`, $5 and a # sign | pipe \\ slash"
    assert rendered_text(reading.escape_markdown(text)).strip() == text


def test_passages_by_theme_follow_the_data_in_reading_order():
    shown = reading.passages("refugees")
    expected = [r["id"] for r in PARAGRAPHS if "refugees" in r["themes"]]
    assert [r["id"] for r in shown.rows] == expected
    assert "¶11" in shown._repr_markdown_()


def test_passages_by_section_and_unknown_ids():
    assert len(reading.passages(section="The future of relationships").rows) == 7
    with pytest.raises(KeyError, match="p99"):
        reading.passages(ids=["p01", "p99"])


def test_annotated_article_covers_the_whole_article_once():
    before = reading.annotated_article(section="")
    after = reading.annotated_article(section="The future of relationships")
    ids = [r["id"] for r in before.rows + after.rows]
    assert ids == [r["id"] for r in PARAGRAPHS]


def test_annotations_link_in_the_book_and_read_plainly_in_jupyter():
    shown = reading.annotated_article(section="")
    markdown, page = shown._repr_markdown_(), shown._repr_html_()
    assert "{term}`TTP`" in markdown and "{cite:p}`dawn2022ttpceasefire`" in markdown
    assert "{doc}`The TTP: militancy across the border <ttp>`" in markdown
    assert "{term}" not in page and "{cite" not in page and "{doc}" not in page
    assert "[dawn2022ttpceasefire]" in page


def test_unknown_theme_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown theme 'no_such_theme'"):
        reading.passages("no_such_theme")
    assert reading.passages("media").rows == []  # a known theme that tags no paragraph


def test_chapters_for_a_paragraph_come_from_themes_yml():
    row = next(r for r in PARAGRAPHS if r["section"] == "The future of relationships" and "ttp" in r["themes"])
    names = [name for name, _title in reading.chapters_for(row)]
    assert names[0] == "ttp" and names[-1] == "outlook"


def test_myst_to_plain():
    assert reading.myst_to_plain("The {term}`TTP` ended it {cite:p}`a,b`; see {doc}`Outlook <outlook>`.") == (
        "The TTP ended it [a,b]; see Outlook."
    )


def test_source_card_is_read_from_article_json():
    card = dict(reading.source_card().fields())
    article = data.load_article()
    assert card["Title"] == article["title"]
    assert card["Published"].startswith("2023-04-20, 13:49")
    assert article["disclaimer"] in rendered_text(reading.source_card()._repr_markdown_())
