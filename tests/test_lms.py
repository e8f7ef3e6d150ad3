"""The question bank for LMSs (`make lms`, dossier.lms), read back by parsers that are not ours.

Moodle XML is read with moodle-xml-parser (PyPI) and its structure checked with ElementTree; GIFT
with gift-pegjs (npm, through tests/read_gift.cjs); the QTI package's manifest and items with
ElementTree. Each must hold every question of data/quiz.yml, in order, with the same prompt, the
same options, the same keyed option and the same feedback on every option, word for word.
"""

from __future__ import annotations

import html
import io as stdio
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import ROOT, soup
from moodle_xml_parser.parser import parse_bytes

from dossier import config, lms, quiz

SCRIPT = ROOT / "scripts" / "make_lms.py"
READ_GIFT = ROOT / "tests" / "read_gift.cjs"
_ORDER = [chapter.name for chapter in config.chapters()]
#: The questions as the exports hold them: chapter by chapter in the book's order, in file order within one.
QUESTIONS = sorted(quiz.all_questions(), key=lambda q: _ORDER.index(q.chapter))

#: A question whose every text holds what Markdown, HTML, GIFT, text2qti or XML would read as markup.
TRICKY = "$5 and $6, 50% *starred* _under_ <b>tag</b> &amp; & # {x} ~ = : \\ 'single' \"double\" -- ... | [l](x) `c` 1."
TRICKY_QUIZ = {"questions": [{
    "id": "tricky-characters", "chapter": "ttp", "topic": "markup", "prompt": f"Prompt: {TRICKY}",
    "options": [{"text": f"Wrong: {TRICKY}", "correct": False, "feedback": f"Feedback one: {TRICKY}"},
                {"text": f"Right: {TRICKY}", "correct": True, "feedback": f"Feedback two: {TRICKY}"}],
    "sources": [],
}]}


def plain(fragment: str) -> str:
    """The text an LMS shows for an HTML fragment: tags dropped, entities resolved."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def expected(questions) -> list[dict]:
    return [{"id": q.id, "prompt": q.prompt, "options": [o.text for o in q.options],
             "key": [o.correct for o in q.options], "feedback": [o.feedback for o in q.options]} for q in questions]


# --------------------------------------------------------------------------------------------
# Readers, one per format


def read_moodle(data: bytes) -> list[dict]:
    """moodle-xml-parser gives each text with its HTML entities resolved: the text Moodle shows,
    as the HTML holds no tag (moodle_structure checks that)."""
    parsed = parse_bytes(data)["multichoice"]
    return [{"id": q.name, "prompt": q.text_pre_parse, "options": [o.answer for o in q.options],
             "key": [o.score_fraction == 100 for o in q.options], "feedback": [o.feedback for o in q.options]}
            for q in parsed]


def moodle_structure(data: bytes) -> list[tuple[str, str]]:
    """(category, question id) for every question, checking what Moodle's importer needs."""
    root = ElementTree.fromstring(data)
    assert root.tag == "quiz"
    found, category = [], None
    for question in root.findall("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            continue
        assert question.get("type") == "multichoice"
        assert question.findtext("single") == "true" and question.findtext("answernumbering") == "ABCD"
        assert question.find("questiontext").get("format") == "html"
        assert question.findtext("idnumber") == question.findtext("name/text")
        fractions = [answer.get("fraction") for answer in question.findall("answer")]
        assert sorted(fractions) == ["0"] * (len(fractions) - 1) + ["100"]
        assert all(answer.find("feedback/text") is not None for answer in question.findall("answer"))
        texts = [question.findtext("questiontext/text")] + [t.text for t in question.findall("answer//text")]
        assert not [text for text in texts if "<" in text], "the HTML of a question holds a tag"
        found.append((category, question.findtext("name/text")))
    return found


def read_gift(path: Path) -> list[dict]:
    result = subprocess.run(["node", str(READ_GIFT), str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def gift_questions(parsed: list[dict]) -> list[dict]:
    return [{"id": q["title"], "prompt": plain(q["stem"]["text"]), "options": [plain(c["text"]["text"]) for c in q["choices"]],
             "key": [c["isCorrect"] for c in q["choices"]], "feedback": [plain(c["feedback"]["text"]) for c in q["choices"]]}
            for q in parsed if q["type"] != "Category"]


QTI = {"manifest": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1", "qti": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def read_qti(data: bytes) -> list[dict]:
    """The items of the package's assessment, found through its manifest."""
    package = zipfile.ZipFile(stdio.BytesIO(data))
    assert package.testzip() is None
    manifest = ElementTree.fromstring(package.read("imsmanifest.xml"))
    resources = manifest.findall("manifest:resources/manifest:resource", QTI)
    assessments = [r for r in resources if r.get("type") == "imsqti_xmlv1p2"]
    assert len(assessments) == 1
    for resource in resources:  # every file the manifest names is in the package
        for file in resource.findall("manifest:file", QTI):
            assert file.get("href") in package.namelist()
    root = ElementTree.fromstring(package.read(assessments[0].find("manifest:file", QTI).get("href")))
    items = []
    for item in root.iter(f"{{{QTI['qti']}}}item"):
        labels = item.findall(".//qti:response_label", QTI)
        keyed = {condition.find(".//qti:varequal", QTI).text for condition in item.findall(".//qti:respcondition", QTI)
                 if (setvar := condition.find("qti:setvar", QTI)) is not None and setvar.text == "100"}
        feedback = {fb.get("ident"): fb.find(".//qti:mattext", QTI).text for fb in item.findall("qti:itemfeedback", QTI)}
        shown = {c.find(".//qti:varequal", QTI).text: c.find("qti:displayfeedback", QTI).get("linkrefid")
                 for c in item.findall(".//qti:respcondition", QTI) if c.find("qti:displayfeedback", QTI) is not None}
        items.append({"id": item.get("title"),
                      "prompt": plain(item.find("qti:presentation/qti:material/qti:mattext", QTI).text),
                      "options": [plain(label.find(".//qti:mattext", QTI).text) for label in labels],
                      "key": [label.get("ident") in keyed for label in labels],
                      "feedback": [plain(feedback[shown[label.get("ident")]]) for label in labels]})
    return items


# --------------------------------------------------------------------------------------------
# The exports of data/quiz.yml


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lms")
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(lms.FILES)
    return out


def test_the_bank_is_the_whole_quiz():
    assert len(QUESTIONS) == len(yaml.safe_load((config.data_dir() / "quiz.yml").read_text(encoding="utf-8"))["questions"])
    assert len(QUESTIONS) >= 40


def test_moodle_xml_reads_back_as_the_quiz(written):
    data = (written / lms.MOODLE).read_bytes()
    assert read_moodle(data) == expected(QUESTIONS)
    assert moodle_structure(data) == [(f"$course$/top/{config.book_title()}/{config.chapter_title(q.chapter)}", q.id)
                                      for q in QUESTIONS]


def test_gift_reads_back_as_the_quiz(written):
    parsed = read_gift(written / lms.GIFT)
    assert gift_questions(parsed) == expected(QUESTIONS)
    categories = [q["title"] for q in parsed if q["type"] == "Category"]
    assert len(categories) == len({q.chapter for q in QUESTIONS})
    assert all(q["type"] == "MC" for q in parsed if q["type"] != "Category")


def test_qti_package_reads_back_as_the_quiz(written):
    assert read_qti((written / lms.QTI).read_bytes()) == expected(QUESTIONS)


def test_the_keyed_letters_are_the_quiz_files(written):
    """The answer letters, format by format, against the letters of data/quiz.yml."""
    letters = [quiz.LETTERS[q.options.index(q.answer)] for q in QUESTIONS]
    raw = sorted(yaml.safe_load((config.data_dir() / "quiz.yml").read_text(encoding="utf-8"))["questions"],
                 key=lambda q: _ORDER.index(q["chapter"]))
    assert letters == [quiz.LETTERS[[o["correct"] for o in q["options"]].index(True)] for q in raw]
    for read in (read_moodle((written / lms.MOODLE).read_bytes()), gift_questions(read_gift(written / lms.GIFT)),
                 read_qti((written / lms.QTI).read_bytes())):
        assert [quiz.LETTERS[q["key"].index(True)] for q in read] == letters
    assert len(set(letters)) > 1  # not every answer is A


def test_every_character_survives_every_format(tmp_path):
    source = tmp_path / "quiz.yml"
    source.write_text(yaml.safe_dump(TRICKY_QUIZ, allow_unicode=True), encoding="utf-8")
    questions = lms.load(source)
    files = lms.exports(questions)
    want = expected(questions)
    assert read_moodle(files[lms.MOODLE]) == want
    (tmp_path / lms.GIFT).write_bytes(files[lms.GIFT])
    assert gift_questions(read_gift(tmp_path / lms.GIFT)) == want
    assert read_qti(files[lms.QTI]) == want


def test_same_quiz_same_bytes():
    first, second = lms.exports(QUESTIONS), lms.exports(QUESTIONS)
    assert first == second
    with zipfile.ZipFile(stdio.BytesIO(first[lms.QTI])) as package:
        assert {info.date_time for info in package.infolist()} == {lms.FIXED_DATE}
        assert b"<imsmd:dateTime>1980-01-01</imsmd:dateTime>" in package.read("imsmanifest.xml")


def test_gift_reader_refuses_a_broken_file(tmp_path):
    """The GIFT check can fail: gift-pegjs rejects a question whose braces are not closed."""
    broken = tmp_path / "broken.gift"
    broken.write_text(lms.gift(QUESTIONS[:1]).rstrip().removesuffix("}"), encoding="utf-8")
    result = subprocess.run(["node", str(READ_GIFT), str(broken)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("read_gift: ")


@pytest.mark.parametrize("text, problem", [
    ("questions: [\n", "not valid YAML"),
    ("questions:\n- id: Bad Id\n  chapter: ttp\n", "no valid id"),
    ("questions:\n- id: a\n  chapter: ttp\n  prompt: p\n  options:\n  - {text: x, correct: false, feedback: f}\n"
     "  - {text: y, correct: false, feedback: g}\n", "exactly one correct option"),
    ("questions: []\n", "holds no question"),
])
def test_a_malformed_quiz_is_one_line_and_writes_nothing(tmp_path, text, problem):
    bad = tmp_path / "quiz.yml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / lms.GIFT).write_text("the last export", encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--quiz", str(bad), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("make_lms: error: ") and problem in lines[0], result.stderr
    assert sorted(p.name for p in out.iterdir()) == [lms.GIFT]
    assert (out / lms.GIFT).read_text(encoding="utf-8") == "the last export"


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(blocked / "lms")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot write" in result.stderr


# --------------------------------------------------------------------------------------------
# Published by the instructor edition only


def test_the_instructor_question_bank_links_the_three_files(instructor):
    page = instructor / "book" / "instructor" / "question_bank.html"
    links = {Path(a["href"]).name: (page.parent / a["href"]).resolve()
             for a in soup(page).select("a.download[href]")}
    assert sorted(links) == sorted(lms.FILES)
    current = lms.exports(QUESTIONS)
    for name, path in links.items():
        assert path.is_file() and path.is_relative_to(instructor.resolve()), name
        assert path.read_bytes() == current[name], f"{name} in the built site is not the export of data/quiz.yml"


def test_the_student_edition_publishes_no_export(student):
    assert [p for p in student.rglob("question-bank-*") if p.is_file()] == []


def test_make_lms_is_a_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lms: ", makefile, re.M) and "scripts/make_lms.py" in makefile


def test_node_packages_are_pinned_by_the_lockfile():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"] == {"gift-pegjs": "1.0.2"}
    assert lock["packages"]["node_modules/gift-pegjs"]["version"] == "1.0.2"
    assert shutil.which("node"), "node is needed to read the GIFT export back (apt-get install nodejs npm)"
