"""Self-check questions (data/quiz.yml) and reading prompts (data/prompts.yml): valid, sourced,
verbatim, and shown as the HTML contract says (offline, byte-stable, no answer lost)."""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import sys
from dataclasses import replace

import jsonschema
import pytest
import yaml
from conftest import DATA, ROOT, bibliography_keys, misquotations, paragraph_rows

from dossier import config, quiz, quiz_stats, reading, work

QUIZ = yaml.safe_load((DATA / "quiz.yml").read_text(encoding="utf-8"))
PROMPTS = yaml.safe_load((DATA / "prompts.yml").read_text(encoding="utf-8"))
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
# The confusions the instructor's guide lists; each must be the target of some question.
REFERENCE = re.compile(r"\((?:[^()]*¶\d+|[^()]*\d{4}|[^()]*[Gg]lossary|[^()]*[Cc]hapter|[^()]*Wikipedia|[^()]*Pakpedia|[^()]*[A-Z][a-z]+)[^()]*\)\.?$")


def schema(name: str) -> dict:
    return next(r for r in PACKAGE["resources"] if r["name"] == name)["jsonSchema"]


def test_the_files_follow_their_schemas():
    jsonschema.validate(QUIZ, schema("quiz"))
    jsonschema.validate(PROMPTS, schema("prompts"))


@pytest.mark.parametrize("change, message", [
    (lambda q: q["questions"][0].pop("sources"), "'sources' is a required property"),
    (lambda q: q["questions"][0].update(id="Bad Id"), "does not match"),
    (lambda q: q["questions"][0]["options"][0].update(correct="yes"), "is not of type 'boolean'"),
])
def test_the_schema_rejects_broken_copies(change, message):
    broken = json.loads(json.dumps(QUIZ))
    change(broken)
    with pytest.raises(jsonschema.ValidationError, match=message):
        jsonschema.validate(broken, schema("quiz"))


def test_questions_load_with_stable_unique_ids_and_one_answer_each():
    questions = quiz.all_questions()
    assert len(questions) == len(QUIZ["questions"])
    assert len({q.id for q in questions}) == len(questions)
    assert all(sum(o.correct for o in q.options) == 1 for q in questions)
    assert all(q.id.startswith(q.chapter.replace("_", "-") + "-") or q.id.startswith(q.chapter) for q in questions)


def test_enough_questions_where_the_issue_asks_for_them():
    counts = {c.name: len(quiz.questions(c.name).items) for c in config.chapters()}
    for chapter in config.theme_chapters():
        assert counts[chapter] >= 4, f"{chapter}: {counts[chapter]} self-check questions"
    assert counts["reading"] + counts["article"] >= 6
    topics = {q.topic for q in quiz.all_questions()}
    assert {"groups", "dates", "claim-types", "documents", "crossings", "border"} <= topics


def test_every_option_says_why_with_a_paragraph_or_a_source():
    for question in quiz.all_questions():
        for option in question.options:
            assert REFERENCE.search(option.feedback), f"{question.id}: feedback without ¶ or source: {option.feedback}"


def test_sources_exist_and_quotations_are_verbatim():
    keys = bibliography_keys()
    texts = []
    for question in quiz.all_questions():
        assert set(question.sources) <= keys, f"{question.id}: {sorted(set(question.sources) - keys)}"
        texts += [(question.id, question.prompt)] + [(question.id, o.text + " " + o.feedback) for o in question.options]
    assert misquotations(texts) == []
    prompts = [(p["id"], p["prompt"]) for stage in PROMPTS.values() for p in stage]
    assert misquotations(prompts) == []


def test_the_sources_named_in_feedback_are_the_questions_sources():
    """A source named at the end of a feedback ('(¶5; Jamestown Foundation, 2015)') is named as the
    References page names it, and is one of the question's `sources`: no reference is typed from memory."""
    from dossier import sources

    unmatched = []
    for question in quiz.all_questions():
        shorts = {sources.short(key) for key in question.sources}
        for option in question.options:
            found = re.search(r"\(([^()]*)\)\.?$", " ".join(option.feedback.split()))
            for part in (p.strip() for p in found.group(1).split(";")) if found else []:
                if not re.match(r"¶\d+|chapter:|glossary:", part) and part not in shorts:
                    unmatched.append(f"{question.id}: {part!r} (sources: {sorted(shorts)})")
    assert unmatched == []
    named = {q.id: " ".join(o.feedback for o in q.options) for q in quiz.all_questions()}
    unnamed = [f"{q.id}: {key}" for q in quiz.all_questions() for key in q.sources
               if sources.short(key) not in " ".join(named[q.id].split())]
    assert unnamed == [], "every source of a question is named in one of its feedbacks"


def test_the_html_contract():
    question = quiz.all_questions()[0]
    shown = quiz.questions(question.chapter)._repr_html_()
    assert shown == quiz.questions(question.chapter)._repr_html_()  # byte-stable: no random id
    block = re.search(rf'<div class="dossier-quiz" id="quiz-{question.id}"[^>]*>(.*?)</ol>', shown, re.S).group(1)
    options = re.findall(r'<details class="dossier-quiz-option">(.*?)</details>', block, re.S)
    assert len(options) == len(question.options)  # one closed <details> per option: feedback folded
    for markup, option in zip(options, question.options):
        summary, feedback = re.match(r"<summary>(.*?)</summary>(.*)", markup, re.S).groups()
        assert html.escape(option.text) in summary
        assert html.escape(option.feedback) in feedback
        assert ("Right." if option.correct else "Not this one.") in feedback
    # works with no script and no network: the one script is the inline copy of dossier.work's, for
    # Jupyter Lab (the book loads it as a file), which only enhances the <details> above it
    before_script = shown.split(f"<script {work.INLINE_MARK}=")[0]
    assert shown == before_script + work.inline_script() and "<script" not in before_script
    assert "http" not in shown


def rendered_questions(shown: str) -> dict[str, dict]:
    """What a reader gets of each question in rendered HTML, by question id: the prompt and each
    option's summary (the line one chooses from) as text, and the feedback under it."""
    from bs4 import BeautifulSoup

    found = {}
    for block in BeautifulSoup(shown, "html.parser").select('[id^="quiz-"].dossier-quiz'):
        options = block.select("details")
        found[block["id"].removeprefix("quiz-")] = {
            "summaries": [" ".join(option.summary.get_text(" ").split()) for option in options],
            "feedback": [" ".join(option.get_text(" ").split()) for option in options],
            "open": [option.has_attr("open") for option in options],
        }
    return found


@pytest.mark.parametrize("chapter", sorted({q.chapter for q in quiz.all_questions()}))
def test_a_student_sees_each_option_and_nothing_that_gives_the_answer_away(chapter):
    """Every question of the chapter, every option: the summary is the letter and the option's
    text, exactly; all feedback is folded; no option is marked, in text or in markup."""
    shown = quiz.questions(chapter)._repr_html_()
    rendered = rendered_questions(shown)
    questions = [q for q in quiz.all_questions() if q.chapter == chapter]
    assert list(rendered) == [q.id for q in questions]
    for question in questions:
        seen = rendered[question.id]
        assert seen["summaries"] == [f"{letter}. {option.text}" for letter, option in zip(quiz.LETTERS, question.options)]
        assert not any(seen["open"]), f"{question.id}: feedback open for students"
    assert "(the answer)" not in shown and "the answer)" not in shown.lower()
    assert not re.search(r"""class="[^"]*\b(correct|answer|right)\b""", shown), "an option's markup marks the answer"


def test_the_bank_reveals_every_answer_and_only_it():
    rendered = rendered_questions(quiz.bank()._repr_html_())
    assert list(rendered) == [q.id for c in config.chapters() for q in quiz.all_questions() if q.chapter == c.name]
    for question in quiz.all_questions():
        seen = rendered[question.id]
        marked = [n for n, summary in enumerate(seen["summaries"]) if summary.endswith("(the answer)")]
        assert marked == [question.options.index(question.answer)], question.id
        assert all(seen["open"]), f"{question.id}: the bank shows every feedback"
        for text, option in zip(seen["feedback"], question.options):
            assert ("Right." if option.correct else "Not this one.") in text and option.feedback in text


def test_the_answer_letters_of_the_bank_are_the_quiz_files():
    """Each chapter's key (Answers. 1: B, 2: C, ...) against the `correct` flags of data/quiz.yml."""
    from bs4 import BeautifulSoup

    tree = BeautifulSoup(quiz.bank()._repr_html_(), "html.parser")
    keys = {}
    for section in tree.select(".dossier-quiz-bank-chapter"):
        ids = [block["id"].removeprefix("quiz-") for block in section.select('[id^="quiz-"].dossier-quiz')]
        key = section.select_one(".dossier-quiz-key").get_text(" ")
        keys.update(zip(ids, re.findall(r"(\d+): ([A-H])", key)))
    for question in QUIZ["questions"]:
        chapter_ids = [q["id"] for q in QUIZ["questions"] if q["chapter"] == question["chapter"]]
        letter = quiz.LETTERS[[option["correct"] for option in question["options"]].index(True)]
        assert keys[question["id"]] == (str(chapter_ids.index(question["id"]) + 1), letter), question["id"]
    assert len(keys) == len(QUIZ["questions"])


@pytest.mark.parametrize("content, words", [
    ("questions: [{id: x-1, chapter: nowhere, topic: t, prompt: p, options: [], sources: []}]\n", "not in _toc.yml"),
    ("questions: [{id: reading-1, chapter: reading, topic: t, prompt: p, sources: [], options: "
     "[{text: a, correct: true, feedback: f}, {text: b, correct: true, feedback: f}]}]\n", "exactly one correct"),
    ("questions: [{id: reading-1, chapter: reading}, {id: reading-1, chapter: reading}]\n", "needs 2"),
    ("questions: {\n", "not valid YAML"),
])
def test_a_broken_quiz_file_is_a_one_line_error(tmp_path, content, words):
    path = tmp_path / "quiz.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(config.ConfigError, match=words) as error:
        quiz.load_questions(path)
    assert "\n" not in str(error.value)


def test_prompts_are_short_and_tied_to_real_paragraphs():
    ids = {row["id"] for row in paragraph_rows()}
    for stage in ("before", "while", "after"):
        assert PROMPTS[stage], stage
        for prompt in PROMPTS[stage]:
            assert len(prompt["prompt"].split()) <= 35, prompt["id"]
    assert {p["paragraph"] for p in PROMPTS["while"]} <= ids
    all_ids = [p["id"] for stage in PROMPTS.values() for p in stage]
    assert len(all_ids) == len(set(all_ids))


def test_the_reading_copy_is_the_article_and_the_prompts_only():
    copy = reading.reading_copy()._repr_html_()
    text = html.unescape(re.sub(r"<[^>]+>", " ", copy))
    positions = []
    for row in paragraph_rows():
        block = f'<span class="reading-number">¶{row["order"]}</span><p>{html.escape(row["text"])}</p>'
        assert block in copy, row["id"]
        positions.append(copy.index(block))
    assert positions == sorted(positions)
    assert copy.count('class="reading-paragraph"') == len(paragraph_rows())
    assert "https://english.almayadeen.net/" in copy and "Farzad Ramezani Bonesh" in copy
    # no note of the annotated article, no theme or glossary apparatus
    notes = yaml.safe_load((DATA / "annotations.yml").read_text(encoding="utf-8"))
    for pid, note in notes.items():
        assert " ".join(note["read_critically"].split())[:60] not in " ".join(text.split()), pid
    assert "Themes" not in text and "Taken further in" not in text
    for stage in ("before", "while", "after"):
        for prompt in PROMPTS[stage]:
            assert f'id="prompt-{prompt["id"]}"' in copy


# --------------------------------------------------------------------------------------------
# Does the form of a question give its answer away? (dossier.quiz_stats; `python -m dossier.quiz_stats`)

def _bank_with(change) -> list:
    """A copy of the bank with `change(question) -> question` applied to every question."""
    return [change(q) for q in quiz.all_questions()]


def _keyed(question, text: str):
    """`question` with its keyed option's text replaced."""
    options = tuple(replace(o, text=text) if o.correct else o for o in question.options)
    return replace(question, options=options)


def _question(qid: str, texts: list[str], key: int, prompt: str = "Which is right?", chapter: str = "ttp"):
    options = tuple(quiz.Option(text, i == key, "Because (¶1).") for i, text in enumerate(texts))
    return quiz.Question(qid, chapter, "t", prompt, options, ())


def test_the_bank_gives_nothing_away_by_its_form():
    """Length, position, echo, tone and negative stems of the whole bank, chapter by chapter. The
    failure message is the table, as `make bench` prints it."""
    stats = quiz_stats.bank_statistics()
    assert stats.problems() == [], "\n" + stats.table()


def test_every_chapter_has_six_to_eight_self_checks():
    counts = {c: len(quiz.questions(c).items) for c in {q.chapter for q in quiz.all_questions()}}
    assert all(6 <= n <= 8 for n in counts.values()), counts


def test_the_statistics_count_what_they_say():
    """Two small questions whose statistics can be worked out by hand."""
    stats = quiz_stats.bank_statistics([
        _question("a-1", ["a long keyed option", "short", "mid size"], 0),       # keyed longest, at A
        _question("a-2", ["tied!", "tied!", "x", "no"], 1),                      # keyed tied longest, at B
    ])
    assert stats.expected_longest() == pytest.approx(1 / 3 + 1 / 4)
    assert stats.keyed_longest() == pytest.approx(1 + 1 / 2)
    assert stats.keyed_shortest() == 0
    assert stats.mean_ratio() == pytest.approx((19 / ((5 + 8) / 2) + 5 / ((5 + 1 + 2) / 3)) / 2)
    assert stats.positions() == {"A": 1, "B": 1}
    assert stats.expected_positions() == pytest.approx({"A": 1 / 3 + 1 / 4, "B": 1 / 3 + 1 / 4,
                                                        "C": 1 / 3 + 1 / 4, "D": 1 / 4})
    assert stats.unused_letters() == {3: ["B", "C"], 4: ["A", "C", "D"]}


@pytest.mark.parametrize("change, cue", [
    # the planted cue of the issue: every keyed option made longer than it was
    (lambda q: _keyed(q, q.answer.text + ", as the sources cited in this chapter show"), "is the longest in"),
    (lambda q: _keyed(q, q.answer.text + ", as the sources cited in this chapter show"), "keyed length / mean length"),
    (lambda q: _keyed(q, q.answer.text.split()[0]), "is the shortest in"),
    (lambda q: replace(q, options=(q.answer, *(o for o in q.options if not o.correct))), "keys (100%) at A"),
    (lambda q: replace(q, options=(*(o for o in q.options if not o.correct), q.answer)), "no key is at A"),
    (lambda q: replace(q, prompt=q.prompt + " Which option does NOT apply?"), "negative stem"),
    (lambda q: replace(q, prompt=q.prompt + " " + q.answer.text), "repeats the answer"),
    (lambda q: _keyed(q, "Probably, though only in part: " + q.answer.text.lower()), "hedge or qualify"),
    (lambda q: _keyed(q, "Nothing in the text says so: " + q.answer.text.lower()), "sceptical option"),
])
def test_a_copy_of_the_bank_with_a_planted_cue_fails(change, cue):
    problems = quiz_stats.bank_statistics(_bank_with(change)).problems()
    assert any(cue in p for p in problems), problems


def test_a_planted_cue_in_one_chapter_fails_though_the_bank_passes():
    """Lengthen the keyed options of one chapter only: the bank's totals may hide it, the chapter's do not."""
    chapter = quiz.all_questions()[0].chapter
    stats = quiz_stats.bank_statistics(_bank_with(
        lambda q: _keyed(q, q.answer.text + " " + "and so on " * 20) if q.chapter == chapter else q))
    assert any(p.startswith(f"{chapter}: the keyed option is the longest") for p in stats.problems())


def test_the_table_shows_the_statistics_the_check_uses():
    stats = quiz_stats.bank_statistics()
    table = stats.table()
    for label in ("keyed option is the longest", "keyed option is the shortest", "keyed length / others' mean",
                  "keys at A B C D", "negative stems", "prompt repeats the answer", "sceptical option keyed"):
        assert label in table
    assert f"{stats.keyed_longest():.1f}" in table and f"{stats.mean_ratio():.2f}" in table
    assert all(f"{chapter} (" in table for chapter in {q.chapter for q in quiz.all_questions()})
    assert table.rstrip().endswith("cues: none")


def test_the_command_prints_the_table_and_fails_on_a_cue(tmp_path):
    """`python -m dossier.quiz_stats [file]`: exit 0 on the bank, 1 on a copy with a cue, 2 and one
    line on a broken file."""
    run = functools.partial(subprocess.run, capture_output=True, text=True, cwd=ROOT)
    done = run([sys.executable, "-m", "dossier.quiz_stats"])
    assert done.returncode == 0 and done.stdout.rstrip().endswith("cues: none"), done.stdout + done.stderr
    planted = json.loads(json.dumps(QUIZ))
    for entry in planted["questions"]:
        entry["options"].sort(key=lambda option: not option["correct"])  # every key at A
    (tmp_path / "quiz.yml").write_text(yaml.safe_dump(planted, allow_unicode=True), encoding="utf-8")
    done = run([sys.executable, "-m", "dossier.quiz_stats", str(tmp_path / "quiz.yml")])
    assert done.returncode == 1 and "keys (100%) at A" in done.stdout
    (tmp_path / "broken.yml").write_text("questions: {\n", encoding="utf-8")
    done = run([sys.executable, "-m", "dossier.quiz_stats", str(tmp_path / "broken.yml")])
    assert done.returncode == 2 and done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
