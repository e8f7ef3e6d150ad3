"""Sources a teacher can trust: book/references.bib records what was read, where and when;
the sources are varied; the corroboration sets quote them exactly and show in their chapters;
the "Who speaks" page counts the file as it is.

The bibliography is read here with a small regex parser of its own, not with the code under test.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter

import pytest
from conftest import BIBLIOGRAPHY, BOOK, DATA, misquotations, normalise, notebook_cells, paragraph_rows

from dossier import config, sources

ENTRY = re.compile(r"^@(?P<type>\w+)\{(?P<key>[^,\s]+),\n(?P<body>.*?)^\}\s*$", re.M | re.S)
FIELD = re.compile(r"^\s*(?P<name>\w+)\s*=\s*\{(?P<value>.*?)\},?\s*$", re.M | re.S)


def bib_entries() -> dict[str, dict[str, str]]:
    entries = {}
    for match in ENTRY.finditer(BIBLIOGRAPHY.read_text(encoding="utf-8")):
        fields = {f["name"].lower(): " ".join(f["value"].split()) for f in FIELD.finditer(match["body"])}
        entries[match["key"]] = {**fields, "entry_type": match["type"].lower()}
    return entries


ENTRIES = bib_entries()


def keyword(entry: dict, name: str) -> str:
    found = re.search(rf"\b{name}:\s*([\w-]+)", entry.get("keywords", ""))
    return found.group(1) if found else ""


def is_wikipedia(entry: dict) -> bool:
    return keyword(entry, "kind") == "encyclopedia" and "wikipedia" in (entry.get("note", "") + entry.get("url", "") +
                                                                       entry.get("title", "")).lower()


def test_the_parser_reads_the_file_and_agrees_with_pybtex():
    assert len(ENTRIES) == len(sources.load()) > 100
    assert list(ENTRIES)[0] == "bonesh2023approach"


@pytest.mark.parametrize("key", list(ENTRIES))
def test_every_entry_says_what_was_read_where_and_when(key):
    entry = ENTRIES[key]
    assert entry.get("url") or entry.get("doi"), "no url or doi"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.get("urldate", "")), "no urldate (YYYY-MM-DD)"
    assert re.fullmatch(r"\d{4}|n\.d\.", entry.get("year", "")), "no year, or n.d. (author-year citations need it)"
    if entry["year"] == "n.d.":
        assert not entry.get("date"), "a dated entry has a year"
        if keyword(entry, "kind") != "encyclopedia":  # an encyclopedia page has revisions, not a date
            assert re.search(r"undated|not shown|no date|date", entry.get("note", ""), re.I), "say why it is undated"
    if entry.get("date"):
        assert entry["date"].startswith(entry["year"]), "year and date disagree"
    assert keyword(entry, "kind") in config.SOURCE_KINDS, f"kind {keyword(entry, 'kind')!r}"
    assert keyword(entry, "origin"), "no origin"
    assert entry["entry_type"] in {"article", "report", "online", "book", "incollection", "thesis"}, f"@{entry['entry_type']}"
    if entry["entry_type"] == "article":
        assert entry.get("journaltitle") or entry.get("journal"), "an article names its outlet or journal"
    if keyword(entry, "kind") == "wire":
        assert entry.get("journaltitle") or "republish" in entry.get("note", "").lower(), "name the republisher"
        assert entry.get("author"), "credit the agency as author"


def test_wikipedia_is_a_last_resort_cited_by_the_copy_read():
    wikipedia = {key: entry for key, entry in ENTRIES.items() if is_wikipedia(entry)}
    assert len(wikipedia) <= 0.10 * len(ENTRIES), f"{len(wikipedia)} of {len(ENTRIES)} entries are Wikipedia"
    for key, entry in wikipedia.items():
        url = entry["url"]
        live = re.match(r"https?://[a-z]+\.wikipedia\.org/wiki/", url)
        assert not live or "oldid=" in url, f"{key}: a live Wikipedia address, not the revision read"
        assert "wikipedia" in entry.get("note", "").lower() or "wikipedia" in entry.get("title", "").lower(), key


def test_the_sources_are_varied():
    kinds = Counter(keyword(e, "kind") for e in ENTRIES.values())
    origins = Counter(keyword(e, "origin") for e in ENTRIES.values())
    assert kinds["international"] + kinds["research"] + kinds["scholarly"] >= 12
    scholarly = [e for e in ENTRIES.values() if keyword(e, "kind") == "scholarly"]
    assert sum(bool(e.get("doi") or e.get("journaltitle") or e.get("journal")) for e in scholarly) >= 3
    assert origins["afghanistan"] >= 4
    assert origins["pakistan"] < 0.5 * len(ENTRIES)


def cited_keys() -> set[str]:
    """Every key the book cites: {cite} roles in the chapters, pages and data files (the annotations,
    the glossary and the quiz; YAML comments aside), the `source` columns of the timeline and the corroboration sets, and the quiz's `sources`."""
    texts = [p.read_text(encoding="utf-8") for p in [*BOOK.glob("*.ipynb"), *BOOK.glob("*.md"), *BOOK.glob("instructor/*")]
             if p.is_file()]
    for name in ("annotations.yml", "glossary.yml", "quiz.yml", "timeline.csv", "corroboration.csv"):
        text = (DATA / name).read_text(encoding="utf-8")
        texts.append(re.sub(r"^#.*$", "", text, flags=re.M) if name.endswith(".yml") else text)
    cited = set()
    for text in texts:
        for body in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]*)`", text):
            cited |= {k.strip() for k in body.split(",")}
    for name in ("timeline.csv", "corroboration.csv"):
        cited |= {key for row in csv.DictReader((DATA / name).open(encoding="utf-8")) for key in row["source"].split(";")}
    cited |= set(re.findall(r"^  - ([a-z0-9_]+)$", (DATA / "quiz.yml").read_text(encoding="utf-8"), re.M))
    return cited


def test_every_cited_key_is_in_the_bibliography():
    assert sorted(cited_keys() - set(ENTRIES)) == []


# --------------------------------------------------------------------------------------------
# Corroboration

ROWS = list(csv.DictReader((DATA / "corroboration.csv").open(encoding="utf-8")))
THEME_CHAPTERS = config.theme_chapters()


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_each_theme_chapter_has_a_corroboration_set(chapter):
    rows = [row for row in ROWS if row["chapter"] == chapter]
    assert len(rows) >= 3
    assert len({row["standpoint"] for row in rows}) >= 3
    assert {row["standpoint"] for row in rows} <= set(config.STANDPOINTS)


def test_corroboration_sources_exist_and_claims_are_verbatim():
    texts = {row["id"]: row["text"] for row in paragraph_rows()}
    for row in ROWS:
        assert row["source"] in ENTRIES, row["source"]
        assert row["claim"] in texts[row["claim_paragraph"]], row["claim"]
    assert misquotations([(row["source"], f"“{row['claim']}”") for row in ROWS]) == []


def test_documents_are_read_in_context_never_reprinted_whole():
    """Documents, not snippets: each excerpt is about 100 to 180 words (95 to 185 allows a sentence's
    end or a cut), which is long enough to read it in context and far short of any whole text read."""
    low, high = sources.DOCUMENT_WORDS
    lengths = {row["source"]: len(row["excerpt"].split()) for row in ROWS}
    assert {key: n for key, n in lengths.items() if not low <= n <= high} == {}


def test_every_document_has_a_head_note_and_says_what_the_voice_is():
    for row in ROWS:
        for field in ("speaker", "when", "audience", "through"):
            assert len(row[field].split()) >= 1, (row["source"], field)
        assert re.search(r"\b(19|20)\d\d\b", row["when"]), (row["source"], row["when"])
        assert row["standpoint"] in config.STANDPOINTS
        if row["standpoint"] == "foreign-government":  # a party to the matter is named as such
            assert re.search(r"\b(party|mediat)", row["speaker"]), row["speaker"]
    assert "international" not in config.STANDPOINTS  # one word for very different voices, retired
    labels = list(config.STANDPOINTS.values())
    assert len(set(labels)) == len(labels) and not any("independent" in label.lower() for label in labels)


#: The voices the dossier lacked (issue 19), and the chapter that gives each a document.
MISSING_VOICES = {"ttp": "ttp", "durand_line": "pakistani-civil", "refugees": "people", "trade_corridors": "people"}


@pytest.mark.parametrize("chapter", sorted(MISSING_VOICES))
def test_the_missing_voices_are_heard(chapter):
    assert MISSING_VOICES[chapter] in {row["standpoint"] for row in ROWS if row["chapter"] == chapter}


def test_outlook_has_sets_on_india_and_on_the_record_since_the_article():
    outlook = [row for row in ROWS if row["chapter"] == "outlook"]
    india = [row for row in outlook if row["claim_paragraph"] in ("p13", "p14")]
    since = [row for row in outlook if row["claim_paragraph"] not in ("p13", "p14")]
    assert {row["claim_paragraph"] for row in india} == {"p13", "p14"}
    for rows in (india, since):
        assert len({row["standpoint"] for row in rows}) >= 3
    assert {"pakistani-official", "afghan-taliban"} <= {row["standpoint"] for row in since}
    assert all(re.search(r"20(2[3-6])", row["when"]) for row in since)


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_the_excerpts_are_shown_in_their_chapter(chapter):
    cells = notebook_cells(chapter)
    notebook = "\n".join("".join(cell["source"]) for cell in cells)
    assert f'sources.corroboration("{chapter}"' in notebook and f'sources.organiser("{chapter}"' in notebook
    outputs = [json.dumps(output, ensure_ascii=False) for cell in cells for output in cell.get("outputs", [])]
    shown = normalise(" ".join(outputs).replace("\\n", " ").replace('\\"', '"'))
    for row in ROWS:
        if row["chapter"] == chapter:
            words = normalise(row["excerpt"].replace("“", "‘").replace("”", "’"))[:50]
            assert words in shown or words.replace("'", "&#x27;") in shown, f"{chapter}: {words}"
    assert re.search(r"```\{exercise\}[^\n]*\n:label: ex-" + chapter + r"-corroborate\n", notebook)


# --------------------------------------------------------------------------------------------
# Who speaks


def test_who_speaks_counts_the_file():
    counts = sources.who_speaks().counts()
    assert counts["kind"] == {kind: sum(keyword(e, "kind") == kind for e in ENTRIES.values()) for kind in config.SOURCE_KINDS}
    assert counts["origin"] == dict(Counter(keyword(e, "origin") for e in ENTRIES.values()))
    assert sum(counts["kind"].values()) == len(ENTRIES)
    page = (BOOK / "sources.ipynb").read_text(encoding="utf-8")
    assert "sources.who_speaks()" in page and f"holds <strong>{len(ENTRIES)}</strong> sources" in page


def shares_shown(who: "sources.WhoSpeaks") -> dict[str, str]:
    """The Share column of the 'Kind of source' table as the page shows it (Markdown), by label."""
    table = who._repr_markdown_().split("| Where the publisher is based")[0]
    return {label: share for label, _n, share in re.findall(r"^\| ([^|*]+?) \| (\d+) \| ([^|]+?) \|$", table, re.M)}


@pytest.mark.parametrize("n, total, shown", [
    (0, 1000, "0%"), (1, 1000, "<1%"), (45, 10_000, "<1%"), (49, 10_000, "<1%"), (51, 10_000, "1%"), (9, 1000, "1%"),
    (14, 1000, "1%"), (16, 1000, "2%"), (1, 3, "33%"), (2, 3, "67%"), (1000, 1000, "100%"),
])
def test_a_share_is_shown_whole_and_a_small_one_as_under_one_percent(n, total, shown):
    """The rule of the Share columns, at the threshold and around it: a share under half a per cent
    (not zero) is '<1%', any other is rounded to a whole per cent."""
    entries = [sources.Source(key=f"s{i}", authors="A", title="T", year="2023", venue="V", url="",
                              kind="news" if i < n else "wire", origin="pakistan") for i in range(total)]
    news = config.SOURCE_KINDS["news"]
    assert shares_shown(sources.WhoSpeaks(entries))[news] == shown
    assert f"<td>{news}</td><td>{n}</td><td>{shown}</td>" in html.unescape(sources.WhoSpeaks(entries)._repr_html_())


def test_the_standpoint_table_counts_the_corroboration_file():
    counts = sources.standpoints().counts()
    assert set(counts) == set(THEME_CHAPTERS)
    for chapter, row in counts.items():
        expected = Counter(r["standpoint"] for r in ROWS if r["chapter"] == chapter)
        assert row == {s: expected.get(s, 0) for s in config.STANDPOINTS}
    page = (BOOK / "sources.ipynb").read_text(encoding="utf-8")
    assert "sources.standpoints()" in page and "Excerpts in the corroboration sets" in page


def test_every_entry_is_cited_somewhere():
    """The References page lists every entry (`:all:`): an entry cited nowhere is a source the reader
    cannot place. The sources of place coordinates count as cited: data/places.csv names them."""
    places = {row["source_url"] for row in csv.DictReader((DATA / "places.csv").open(encoding="utf-8"))}
    cited = cited_keys() | {key for key, entry in ENTRIES.items() if entry.get("url") in places}
    assert sorted(set(ENTRIES) - cited) == []


def test_one_entry_per_copy_read():
    urls = Counter(entry["url"] for entry in ENTRIES.values() if entry.get("url"))
    assert [url for url, n in urls.items() if n > 1] == []
