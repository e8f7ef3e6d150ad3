"""Theme rules (data/themes.yml) and entity finding (data/entities.yml)."""

from __future__ import annotations

import pytest
from conftest import DATA

from dossier.pipeline.entities import KINDS, entities_in, entity_rows, find_mentions, load_entity_rules
from dossier.pipeline.extract import decode_capture, parse_page
from dossier.pipeline.rules import RulesError, assign_themes, compile_term, load_themes, matched_keywords

SEED = DATA / "raw" / "almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt"


@pytest.fixture(scope="module")
def rules():
    return load_themes(DATA / "themes.yml")


@pytest.fixture(scope="module")
def entities():
    return load_entity_rules(DATA / "entities.yml")


@pytest.fixture(scope="module")
def paragraphs():
    page = parse_page(decode_capture(SEED.read_bytes()))
    return {p.id: p.text for p in page.paragraphs}


def one_paragraph(paragraphs, phrase):
    """The id of the single paragraph containing *phrase*."""
    ids = [pid for pid, text in paragraphs.items() if phrase in text]
    assert len(ids) == 1, (phrase, ids)
    return ids[0]


# ------------------------------------------------------------------ matching rules


@pytest.mark.parametrize("term, text, hit", [
    ("port", "Gwadar port could", True),
    ("port", "with the support of", False),
    ("refugee*", "Afghan refugees toward", True),
    ("refugee*", "a refugee", True),
    ("TTP", "an imminent TTP-ISI-K alliance", True),
    ("TTP", "the ttp", False),
    ("ISI", "an imminent TTP-ISI-K alliance", True),  # alone it matches: entities use longest-first
    ("ISIS", "ISI-K", False),
    ("Durand", "recognize durand", True),
    ("Central Asia", "Central  Asia", True),
    ("Central Asia", "Central Asian countries", False),
    ("Pakistan's army", "Pakistan\u2019s army", True),
    ("border area*", "in the border areas inside", True),
])
def test_compile_term(term, text, hit):
    assert bool(compile_term(term).search(text)) is hit


# ------------------------------------------------------------------ themes


def test_the_fallback_theme_comes_last_and_tags_by_no_keyword(rules):
    assert rules.ids[-1] == rules.fallback == "unclassified"
    assert rules.fallback not in [t.id for t in rules.tagging]
    assert rules.get("media").keywords == ()  # a timeline-only theme


def test_every_seed_paragraph_has_a_topic_theme_in_rules_order(rules, paragraphs):
    order = [t.id for t in rules.tagging]
    for pid, text in paragraphs.items():
        themes = assign_themes(text, rules)
        assert themes, pid
        assert "unclassified" not in themes, pid
        assert themes == sorted(themes, key=order.index)


def test_pinned_themes(rules, paragraphs):
    def themes_of(phrase):
        return assign_themes(paragraphs[one_paragraph(paragraphs, phrase)], rules)

    assert "durand_line" in themes_of("do not want to stabilize the Durand border")
    assert "refugees" in themes_of("More than three million Afghan immigrants")
    assert "trade_corridors" in themes_of("having railway lines gives easy access")
    assert "trade_corridors" in themes_of("Gwadar port")
    assert "india" in themes_of("an Indian delegation visited Afghanistan")
    assert "diplomacy" in themes_of("decided not to unilaterally recognize the new government")


def test_ttp_paragraphs_are_ttp(rules, paragraphs):
    ttp_ids = [pid for pid, text in paragraphs.items()
               if "TTP" in text or "Pakistani Taliban" in text]
    assert len(ttp_ids) == 6
    for pid in ttp_ids:
        assert "ttp" in assign_themes(paragraphs[pid], rules), pid
    others = [pid for pid in paragraphs if pid not in ttp_ids]
    assert all("ttp" not in assign_themes(paragraphs[pid], rules) for pid in others)


def test_fallback_and_explanation(rules):
    text = "The library opens at nine and closes at six."
    assert assign_themes(text, rules) == ["unclassified"]
    assert matched_keywords(text, rules) == {}
    why = matched_keywords("Refugees crossed at Torkham.", rules)
    assert why == {"durand_line": ["Torkham"], "refugees": ["refugee*"]}


def test_committed_paragraph_themes_follow_the_rules(rules):
    import csv
    with open(DATA / "paragraphs.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["themes"].split(";") == assign_themes(row["text"], rules), row["id"]


BAD_RULES = [  # (file, content, words of the one-line error)
    ("themes.yml", "themes: nope\n", "'themes' list"),
    ("themes.yml", "fallback: {id: other}\nthemes:\n  - id: Bad Id\n    keywords: [x]\n", "valid id"),
    ("themes.yml", "fallback: {id: other}\nthemes:\n  - id: a\n    keywords: [' ']\n", "keywords"),
    ("themes.yml", "fallback: {id: a}\nthemes:\n  - id: a\n    keywords: [x]\n", "not unique"),
    ("themes.yml", "fallback: other\nthemes:\n  - id: a\n    keywords: [x]\n", "'fallback' must be a mapping"),
    ("themes.yml", "fallback: {id: other}\nthemes:\n  - id: a\n    chapter: Bad Name\n    keywords: [x]\n", "chapter"),
    ("themes.yml", "themes: [\n", "not valid YAML"),
    ("entities.yml", "entities:\n  - {id: a, name: A, kind: thing, aliases: [A]}\n", "kind"),
    ("entities.yml", "entities:\n  - {id: a, name: A, kind: place, aliases: []}\n", "aliases"),
    ("entities.yml", "entities:\n  - {id: a, name: A, kind: place, aliases: ['A;B']}\n", "aliases"),
    ("entities.yml", "entities:\n  - {id: a, name: A, kind: place, aliases: [A]}\n  - {id: a, name: B, kind: place, "
     "aliases: [B]}\n", "not unique"),
]


@pytest.mark.parametrize("name, content, message", BAD_RULES)
def test_bad_rules_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    load = load_themes if name == "themes.yml" else load_entity_rules
    with pytest.raises(RulesError, match=message) as error:
        load(path)
    assert "\n" not in str(error.value)


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load_themes(tmp_path / "nothing.yml")


# ------------------------------------------------------------------ entities

REQUIRED_ENTITIES = ["ttp", "isis", "isis_k", "isi", "khawaja_muhammad_asif", "tapi", "durand_line",
                     "gwadar", "torkham", "chaman_spin_boldak", "taliban", "kabul", "islamabad",
                     "india", "central_asia", "pashtunistan", "baloch_separatists",
                     "sindhi_separatists"]


def test_entities_file(entities):
    ids = [e.id for e in entities]
    assert set(REQUIRED_ENTITIES) <= set(ids)
    assert all(e.kind in KINDS for e in entities)


def test_every_listed_entity_is_found_in_the_seed(entities, paragraphs):
    found = find_mentions(paragraphs.items(), entities)
    assert list(found) == [e.id for e in entities]


def test_entity_paragraphs(entities, paragraphs):
    found = find_mentions(paragraphs.items(), entities)
    at = lambda phrase: one_paragraph(paragraphs, phrase)  # noqa: E731
    assert found["khawaja_muhammad_asif"] == [at("Khawaja Muhammad Asif")]
    assert found["tapi"] == [at("resuming TAPI")]
    assert found["gwadar"] == [at("Gwadar port")]
    assert found["durand_line"] == [at("Durand border")]
    assert found["torkham"] == found["chaman_spin_boldak"] == [at("Torkham and Spin Boldak")]
    assert found["ttp"] == [pid for pid, t in paragraphs.items()
                            if "TTP" in t or "Pakistani Taliban" in t]


def test_isis_isi_and_isi_k_are_told_apart(entities, paragraphs):
    found = find_mentions(paragraphs.items(), entities)
    isi_k = one_paragraph(paragraphs, "TTP-ISI-K")
    isis = one_paragraph(paragraphs, "Pakistani Taliban, ISIS,")
    assert found["isis_k"] == [isi_k]
    assert found["isis"] == [isis]
    assert isi_k not in found["isi"]
    assert found["isi"] == [one_paragraph(paragraphs, "Military Intelligence (ISI)")]


def test_longest_alias_wins(entities):
    assert entities_in("the Pakistani Taliban", entities) == {"ttp"}
    assert entities_in("the Afghan Taliban", entities) == {"taliban"}
    assert entities_in("Tehreek-e Taliban Pakistan\u2019s activity", entities) == {"ttp"}
    assert entities_in("Spin Boldak Chaman crossings", entities) == {"chaman_spin_boldak"}
    assert entities_in("ISI and ISI-K", entities) == {"isi", "isis_k"}


def test_entity_rows_join_lists(entities):
    rows = entity_rows([("p01", "Kabul and Torkham"), ("p02", "Kabul")], entities)
    by_id = {row[0]: row for row in rows}
    assert by_id["kabul"] == ["kabul", "Kabul", "place", "Kabul", "p01;p02"]
    assert by_id["torkham"][4] == "p01"
    assert set(by_id) == {"kabul", "torkham"}  # entities mentioned nowhere are left out
