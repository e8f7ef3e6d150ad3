"""Parsing of captured article pages (dossier.pipeline.extract), on the seed and on fixtures."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from dossier.pipeline import extract
from dossier.pipeline.extract import (
    ExtractError,
    decode_capture,
    iso_date,
    iso_datetime,
    is_subheading,
    parse_page,
    reads_as_prose,
    undouble_name,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def parse_file(path: Path) -> extract.Page:
    return parse_page(decode_capture(path.read_bytes()))


@pytest.fixture(scope="module")
def seed() -> extract.Page:
    return parse_file(SEED)


# ------------------------------------------------------------------ the seed article

# First and last words of every paragraph, in reading order: pins order and boundaries.
SEED_PARAGRAPHS = [
    ("The re-domination of the Taliban", "with the Taliban are still prevailing."),
    ("In the last two years,", "separatists have been revived."),
    ("Terrorist groups have maintained their camps", "internal security and stability."),
    ("Despite some progress exerted by Islamabad", "the Afghan Taliban is too wide."),
    ("Taliban seeks to maintain the position", "an imminent TTP-ISI-K alliance."),
    ("From the perspective of many in Islamabad,", "short-term solution and temporary peace."),
    ("However, the senior officials of Pakistan's army", "in the border areas inside Afghanistan."),
    ("On the other hand, pan-Pashtuns", "concerns do not affect economic relations."),
    ("On the other hand, having railway lines", "connecting Central Asia and Afghanistan."),
    ("In fact, achieving deeper economic relations", "cooperation to those concerns."),
    ("Islamabad also does not want the Taliban to harm", "flow of millions of refugees in this country."),
    ("From this point of view, it is important", "women's access to education."),
    ("Pakistan is well aware of the geographical", "Pakistan expressed anger over these developments."),
    ('"Searching for strategic depth"', "and separatists against Islamabad."),
    ("The recent visit of Khawaja Muhammad Asif", "to Taliban-dominated Afghanistan."),
    ("However, the Afghan Taliban either did not want", "the new government in Kabul."),
    ("Islamabad considers the prevention of civil war", "massive migration and its security implications."),
    ("Unlike in the 1990s,", "partially satisfy Pakistan's demands in Afghanistan."),
    ("Taliban is still the closest group", "official identification of Taliban leaders."),
    ("It seems that Islamabad will try", "monitoring and information gathering capabilities."),
    ("Despite the previous departure of the head", "Pakistan and the Taliban is on the edge of tension."),
]
CAPTION_PARAGRAPH = (
    "Despite some progress exerted by Islamabad in pressuring the leaders of the Taliban to stop "
    "Tehreek-e Taliban Pakistan\u2019s activity (TTP), the gap between Islamabad's expectations and "
    "the performance of the Afghan Taliban is too wide."
)


def test_seed_has_lead_and_twenty_body_paragraphs_in_order(seed):
    paragraphs = seed.paragraphs
    assert len(paragraphs) == 21
    assert [p.id for p in paragraphs] == [f"p{n:02d}" for n in range(1, 22)]
    assert [p.order for p in paragraphs] == list(range(1, 22))
    assert [p.kind for p in paragraphs] == ["lead"] + ["body"] * 20
    for paragraph, (start, end) in zip(paragraphs, SEED_PARAGRAPHS):
        assert paragraph.text.startswith(start), paragraph.id
        assert paragraph.text.endswith(end), paragraph.id


def test_seed_sections(seed):
    sections = [p.section for p in seed.paragraphs]
    assert sections == [""] * 14 + ["The future of relationships"] * 7


def test_seed_paragraph_text_is_exact_and_trimmed(seed):
    raw_lines = decode_capture(SEED.read_bytes()).split("\n")
    for paragraph in seed.paragraphs:
        assert paragraph.text == paragraph.text.strip()
        # each paragraph is one line of the capture, up to surrounding white space
        assert any(line.strip() == paragraph.text for line in raw_lines), paragraph.id
    # p02's line ends with a no-break space in the capture; the text does not
    assert seed.paragraphs[1].text.endswith("have been revived.")
    assert seed.paragraphs[0].text == seed.lead


def test_seed_caption_is_metadata_and_its_paragraph_appears_once_in_place(seed):
    assert seed.image_caption == CAPTION_PARAGRAPH
    texts = [p.text for p in seed.paragraphs]
    assert texts.count(CAPTION_PARAGRAPH) == 1
    assert texts.index(CAPTION_PARAGRAPH) == 3  # p04: third body paragraph


def test_seed_non_article_text_is_not_a_paragraph(seed):
    texts = " ".join(p.text for p in seed.paragraphs)
    for outside in [*seed.related, seed.disclaimer, seed.author_bio, *seed.context["ticker"],
                    *(item["headline"] for item in seed.context["most_read"]),
                    *(item["headline"] for item in seed.context["more_from_this_writer"]),
                    "Related News", "Most Read", "Privacy Policy", "Min Read"]:
        assert outside not in texts, outside


def test_seed_metadata(seed):
    assert seed.title == "Pakistan's Approach to Afghanistan, challenges, and Prospects"
    assert seed.authors == ["Farzad Ramezani Bonesh"]
    assert seed.published == "2023-04-20T13:49"
    assert seed.source == "Al Mayadeen English"
    assert seed.read_minutes == 6
    assert seed.shares == 1
    assert seed.tags == ["Pakistan", "Afghanistan", "Taliban"]
    assert seed.related == [
        "US mingling with the Taliban aims at chopping the Chinese mineral supply chain",
        "Wakhan Corridor\u2014a centuries-old Silk Route\u2014is being rejuvenated by China and Afghanistan",
    ]
    assert seed.disclaimer.startswith("The views expressed in this article are solely those of the author")
    assert seed.author_bio == (
        "Freelance writer, senior researcher, journalist, and expert in international relations."
    )


def test_seed_page_context(seed):
    context = seed.context
    assert list(context) == ["ticker", "most_read", "coverage", "more_from_this_writer"]
    assert len(context["ticker"]) == 10
    assert context["ticker"][0].startswith("Al Mayadeen's correspondent:")
    assert [item["headline"] for item in context["most_read"]] == [
        "Did 'Israel', US fight a proxy war with China in South Asia during the India-Pakistan escalation?",
        "Algeria and Mali, divided and almost conquered",
        "How MI6 helped HTS seize Syria",
        "Trump and Biden both pretended to be fighting Netanyahu",
    ]
    assert context["most_read"][0]["labels"] == ["Feature"]
    assert context["most_read"][0]["date"] == "2025-05-19"
    assert [item["headline"] for item in context["coverage"]] == ["The Ummah's Martyrs"]
    assert [item["headline"] for item in context["more_from_this_writer"]] == [
        "Iran's Approach and Relations with the Eurasian Economic Union",
        "Tehran's approach to Venezuela, the perspective of relations",
        "Hydropolitics and Taliban's water policy; Goals and Prospects",
        "Motives and factors influencing the improvement of Syrian-Saudi relations",
    ]


def test_crlf_and_bom_give_the_same_result(seed):
    data = SEED.read_bytes()
    variant = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    assert parse_page(decode_capture(variant)) == seed


def test_code_holds_no_strings_of_the_seed_article():
    source = inspect.getsource(extract)
    for word in ["Pakistan", "Afghan", "Taliban", "Bonesh", "future of relationships",
                 "Despite some progress", "Wakhan"]:
        assert word not in source, word
    # and no line numbers: the parser never indexes lines by a literal number above 1
    assert not re.search(r"lines\[\d{2,}", source)


# ------------------------------------------------------------------ fixtures: other articles

FIXTURES = {
    "feature-full-layout.txt": {
        "title": "Restoring the Terraced Farms of the High Atlas",
        "authors": ["Leila Haddad"],
        "published": "2024-03-03T09:05",
        "source": "Al Mayadeen English",
        "read_minutes": 4,
        "shares": 12,
        "tags": ["Agriculture", "Climate", "Morocco", "Water"],
        "image_caption": '"Every wall we rebuild keeps a season of rain on the hillside," said one farmer near the village.',
        "disclaimer": "The views expressed in this article are solely those of the author and do not necessarily reflect Al Mayadeen\u2019s editorial stance.",
        "author_bio": "Writer on rural development and mountain communities.",
        "related": [
            "Mountain schools adopt solar heating for the winter term",
            "Can old irrigation channels survive a drier climate?",
            "Village cooperatives share seed banks across the region",
        ],
        "sections": ["", "", "", "Who does the work", "Who does the work", "Who does the work",
                     "Water and soil", "Water and soil"],
        "first_words": ["Across the valleys", "The terraces hold", "Since 2021,", "Most of the repairs",
                        '"Every wall we rebuild', "The programme pays", "Hydrologists from",
                        "The cooperative now plans"],
    },
    "news-one-tag-plain.txt": {
        "title": "Harbour City Opens Its New Public Library",
        "authors": ["Al Mayadeen English"],
        "published": "2022-11-14T18:30",
        "source": "Agencies",
        "read_minutes": 2,
        "shares": 0,
        "tags": ["Culture"],
        "image_caption": None,
        "disclaimer": None,
        "author_bio": None,
        "related": [],
        "sections": ["", "", "", ""],
        "first_words": ["The new public library", "The building holds", "Entry is free",
                        "Officials said"],
    },
    "analysis-two-authors.txt": {
        "title": "Why Small Ports Matter for Regional Shipping",
        "authors": ["Omar Saleh", "Nadia Karam"],
        "published": "2025-01-07T21:15",
        "source": "Al Mayadeen English",
        "read_minutes": 5,
        "shares": 3,
        "tags": ["Shipping", "Ports", "Economy"],
        "image_caption": "A fishing harbour at dawn.",
        "disclaimer": None,
        "author_bio": "Maritime economist. Journalist covering transport.",
        "related": ["New ferry line links three island towns",
                    "Dredging works to begin at the northern harbour next month"],
        "sections": ["", "A short history", "A short history", "The economics of short routes",
                     "The economics of short routes", "The economics of short routes",
                     "The economics of short routes"],
        "first_words": ["Large container terminals", "Small ports grew", "Their quays",
                        "For short distances", "But is that enough to keep them open?",
                        "Port authorities say", "Both agree"],
    },
    "interview-crlf-bom.txt": {
        "title": "A Conversation About Public Libraries and Reading Habits",
        "authors": ["Sara Mansour"],
        "published": "2023-09-30T07:45",
        "source": "Al Mayadeen English",
        "read_minutes": 3,
        "shares": 1,
        "tags": ["Culture", "Education"],
        "image_caption": "Readers in the main hall of a city library.",
        "disclaimer": "The views expressed in this article are solely those of the author and do not necessarily reflect Al Mayadeen\u2019s editorial stance.",
        "author_bio": "Writer and editor.",
        "related": [],
        "sections": ["", "", "", "What comes next", "What comes next"],
        "first_words": ["A librarian with thirty years", "Children still borrow", "Adults borrow",
                        "Libraries now lend", "\u201cA library is a place"],
    },
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_pages(name):
    expected = FIXTURES[name]
    page = parse_file(PAGES / name)
    for key in ["title", "authors", "published", "source", "read_minutes", "shares", "tags",
                "image_caption", "disclaimer", "author_bio", "related"]:
        assert getattr(page, key) == expected[key], key
    assert [p.section for p in page.paragraphs] == expected["sections"]
    assert len(page.paragraphs) == len(expected["first_words"])
    for paragraph, start in zip(page.paragraphs, expected["first_words"]):
        assert paragraph.text.startswith(start)
        assert paragraph.text == paragraph.text.strip()
    assert [p.kind for p in page.paragraphs] == ["lead"] + ["body"] * (len(page.paragraphs) - 1)
    assert page.paragraphs[0].text == page.lead
    texts = [p.text for p in page.paragraphs]
    for outside in [*page.related, page.disclaimer, page.author_bio, *page.tags]:
        if outside:
            assert outside not in texts


def test_fixture_site_name_repeated_mid_page_is_not_the_footer():
    """The page's first line (the site name) comes back in the author box, before the page's
    context, when the site is the author: only its last repeat starts the footer, so the author's
    biography and the Most Read list stay in the page."""
    text = decode_capture((PAGES / "news-site-name-mid-page.txt").read_bytes())
    lines = text.split("\n")
    repeats = [i for i, line in enumerate(lines) if line.strip() == lines[0].strip()]
    most_read = lines.index("Most Read")
    assert len(repeats) >= 3 and any(repeats[1] < i < most_read for i in repeats), "the fixture repeats the name mid-page"
    page = parse_page(text)
    assert page.authors == ["Al Mayadeen English"]
    assert page.tags == ["Culture"]
    assert page.author_bio == "The news desk of Al Mayadeen English, with reports from the agencies."
    assert [item["headline"] for item in page.context["most_read"]] == ["Museums extend opening hours"]
    assert len(page.paragraphs) == 4 and page.paragraphs[-1].text.startswith("Officials said")


def test_fixture_crlf_bom_file_really_has_crlf_and_bom():
    data = (PAGES / "interview-crlf-bom.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 10


def test_fixture_caption_repeating_a_body_paragraph_keeps_it_once():
    page = parse_file(PAGES / "feature-full-layout.txt")
    assert [p.text for p in page.paragraphs].count(page.image_caption) == 1


def test_fixture_trailing_space_is_trimmed():
    raw = (PAGES / "feature-full-layout.txt").read_text(encoding="utf-8")
    assert "took generations to build. \n" in raw
    page = parse_file(PAGES / "feature-full-layout.txt")
    assert page.paragraphs[1].text.endswith("took generations to build.")


def _variant(name: str, drop: re.Pattern[str]) -> extract.Page:
    text = decode_capture((PAGES / name).read_bytes())
    return parse_page("\n".join(line for line in text.split("\n") if not drop.match(line)))


def test_page_without_tags_still_separates_the_author_box():
    tags = re.compile(r"^  \u2022 (Agriculture|Climate|Morocco|Water)$")
    page = _variant("feature-full-layout.txt", tags)
    full = parse_file(PAGES / "feature-full-layout.txt")
    assert page.tags == []
    assert page.paragraphs == full.paragraphs
    assert page.author_bio == full.author_bio


def test_page_without_reading_time_or_media_block():
    page = _variant("feature-full-layout.txt", re.compile(r"^(\d+ Min Read|  \u2022 x|  \u2022 \"Every|    \"Every)"))
    full = parse_file(PAGES / "feature-full-layout.txt")
    assert page.read_minutes is None
    assert page.image_caption is None
    assert page.paragraphs == full.paragraphs


def test_page_without_related_box_or_page_lists():
    text = decode_capture((PAGES / "feature-full-layout.txt").read_bytes())
    full = parse_page(text)
    body_only = text.split("\nMost Read\n")[0]  # no page lists, no footer
    for line in ["Related News", *full.related]:
        body_only = body_only.replace(f"\n{line}\n", "\n")
    page = parse_page(body_only)
    assert page.related == []
    assert page.context["most_read"] == [] and page.context["more_from_this_writer"] == []
    assert page.paragraphs == full.paragraphs
    assert page.author_bio == "Writer on rural development and mountain communities."


def test_page_without_article_is_rejected():
    with pytest.raises(ExtractError, match="no article found"):
        parse_file(PAGES / "section-index-no-article.txt")


def test_page_with_byline_but_no_body_is_rejected():
    text = decode_capture((PAGES / "news-one-tag-plain.txt").read_bytes())
    lead_only = text.split("\nThe building holds")[0]
    with pytest.raises(ExtractError, match="no body paragraphs"):
        parse_page(lead_only)


# ------------------------------------------------------------------ bytes and helpers


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"  \n\n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Caf\u00e9 page".encode("latin-1"), "not UTF-8"),
])
def test_decode_capture_rejects(data, message):
    with pytest.raises(ExtractError, match=message):
        decode_capture(data)


def test_decode_capture_normalises_bom_and_line_endings():
    assert decode_capture(b"\xef\xbb\xbfa\r\nb\rc\n") == "a\nb\nc\n"


@pytest.mark.parametrize("text, expected", [
    ("Farzad Ramezani Bonesh Farzad Ramezani Bonesh", "Farzad Ramezani Bonesh"),
    ("Leila Haddad Leila Haddad", "Leila Haddad"),
    ("Leila Haddad", "Leila Haddad"),
    ("Anna Anna Maria", "Anna Anna Maria"),
    ("Cher Cher", "Cher"),
])
def test_undouble_name(text, expected):
    assert undouble_name(text) == expected


def test_dates():
    assert iso_datetime("20 Apr 2023 13:49") == "2023-04-20T13:49"
    assert iso_datetime("3 Mar 2024 9:05") == "2024-03-03T09:05"
    assert iso_datetime("20 Foo 2023 13:49") is None
    assert iso_datetime("20 Apr 2023") is None
    assert iso_date("19 May 2025") == "2025-05-19"


@pytest.mark.parametrize("text, prose, heading", [
    ("The future of relationships", False, True),
    ("Who does the work", False, True),
    ("A sentence that ends.", True, False),
    ("But is it enough?", False, False),
    ("Two sentences. Here is the second one", True, False),
    ("Wakhan Corridor\u2014a centuries-old Silk Route\u2014is being rejuvenated by China", False, True),
    ("A very long line without a full stop that goes on and on well past the limit for a heading", False, False),
])
def test_line_classification(text, prose, heading):
    assert reads_as_prose(text) is prose
    assert is_subheading(text) is heading
