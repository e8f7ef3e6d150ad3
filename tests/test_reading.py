"""Passages and the annotated article: verbatim in both renderings, links where the book needs them."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from dossier import config, data, reading

#: The MyST extensions the book turns on (_config.yml, parse.myst_enable_extensions): with
#: `dollarmath`, "$5 and $6" would become math unless the dollars are escaped.
EXTENSIONS = set(yaml.safe_load((config.root() / "_config.yml").read_text(encoding="utf-8"))["parse"]["myst_enable_extensions"])
MYST = create_md_parser(MdParserConfig(enable_extensions=EXTENSIONS), RendererHTML)


def rendered_text(markdown: str) -> str:
    """Plain text of Markdown as the book's MyST parser shows it (its extensions on; entities and
    escapes resolved); math is marked, so that text read as math never passes for text."""
    rendered = MYST.render(markdown)
    rendered = re.sub(r'<span class="math[^"]*">(.*?)</span>', r"[math: \1]", rendered, flags=re.S)
    rendered = re.sub(r'<div class="math[^"]*">(.*?)</div>', r"[math: \1]", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_the_renderer_of_these_tests_reads_dollars_as_the_book_does():
    assert "dollarmath" in EXTENSIONS
    assert rendered_text("costs $5 and $6 today").strip() != "costs $5 and $6 today"


def html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


PARAGRAPHS = data.load_paragraphs().to_dict("records")


@pytest.mark.parametrize("row", PARAGRAPHS, ids=lambda r: r["id"])
def test_every_paragraph_renders_verbatim_both_ways(row):
    shown = reading.passages(ids=[row["id"]])
    assert row["text"] in rendered_text(shown._repr_markdown_())
    assert row["text"] in html_text(shown._repr_html_())


def test_markdown_special_characters_survive():
    text = "A *starred* _word_, a [link](x), <b>tag</b>, `code`, $5 and $6, $$x$$, a # sign | pipe \\ slash ~~no~~"
    assert rendered_text(reading.escape_markdown(text)).strip() == text


def test_a_passage_with_dollars_shows_them():
    """A paragraph of the article with two amounts in dollars, through passages() as the book renders it."""
    row = dict(data.load_paragraphs().to_dict("records")[0], text="Trade fell from $5 billion to $2.5 billion.")
    assert "Trade fell from $5 billion to $2.5 billion." in rendered_text(reading.Passages([row])._repr_markdown_())


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
