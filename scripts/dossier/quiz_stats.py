"""Does the form of a self-check give its answer away? Statistics of the bank (data/quiz.yml).

    from dossier import quiz_stats
    stats = quiz_stats.bank_statistics()      # the bank as it is (or pass a list of quiz.Question)
    print(stats.table())                      # what `make bench` and the test print
    stats.problems()                          # [] when no cue shows; else one line per cue

    python -m dossier.quiz_stats [data/quiz.yml]   # the table; exit 1 if it shows a cue

A student who has not read the article can still score by form. Each statistic measures one such
strategy against blind guessing, over the whole bank and chapter by chapter (each chapter shows its
own first-try score):

* **length**: pick the longest option, or the shortest, or (against a writer who has learnt to
  avoid both) one of middle length. Blind guessing picks the keyed option of a question with n
  options with probability 1/n, so the count to expect for "keyed is the longest" is the sum of 1/n
  over the questions, and the same for "the shortest". Over the bank each count must lie within
  `LENGTH_TOLERANCE` questions of it, on either side (2 questions of about 50: no strategy gains
  or loses more than 4 points against guessing; too few keyed-longest would make "avoid the
  longest" pay); in a chapter, neither may exceed it by more than `CHAPTER_TOLERANCE` (1: a
  student who applies the rule in one chapter gains at most one self-check). Keys are set by hand,
  not drawn at random, so the tolerance is kept on purpose under the spread chance would give
  (about 3.3 questions for 50 at random): what matters is what a strategy would earn, not whether
  a writer could have been unlucky. Lengths are counted in characters, strictly; a tie shares the
  count (a keyed option tied with one other for the longest counts 1/2).
  Also the mean, over questions, of the keyed option's length divided by the mean length of the
  others (`RATIO_RANGE`): 1 when the keyed option is as long as the rest on average.
* **position**: pick always the same letter. No letter may hold more than `POSITION_MAX_SHARE` of
  the keys, nor more than half of a chapter's; every letter is keyed in some question among the
  questions with the same number of options; no letter is keyed more than `MAX_RUN` times in a row
  in a chapter.
* **echo**: pick the option that repeats the question's words. An option's distinctive words are
  its content words (four letters or more, or a number, stop words aside) that no other option of
  the question has; a cue is a keyed option with at least `ECHO_MIN` distinctive words in the
  prompt, more than any other option has.
* **tone**: pick the qualified option among flat ones, or avoid the absolute ones. The share of
  keyed options with a hedge or a qualification (may, could, partly, but, though, ...) may exceed
  the share of wrong options with one by at most `TONE_GAP`, and so for absolute words (never,
  nothing, fully, must, ...) the other way round. And pick the sceptical option: in a dossier that
  teaches critical reading, "the text does not say" or "it cannot be checked" is tempting to make
  the key every time. Over the questions that offer such an option, the number in which it is the
  key may exceed chance (the sum of k/n, for k such options among n) by at most
  `LENGTH_TOLERANCE`. Text quoted from the article (in curly double quotes) is left out of all
  three: those are the author's words.
* **negative stems**: a question sentence with "not", "never", "except", ... ("Which does NOT ...")
  is a problem of its own: the student must invert the task, and second-language readers miss the
  word. Quoted text is left out here too.

Why a module of its own rather than a function appended to `dossier.quiz`: `quiz` renders the
questions (and is being changed for that), while this reads their content only, through
`quiz.load_questions` and `quiz.all_questions`, whose format is fixed; keeping the two apart keeps
the rendering free of statistics and the statistics free of HTML. No library measures such cues
(psychometric packages such as `girth` or `py-irt` fit answers that students gave, which a bank
being written does not have yet), so the counting is done here, in a few lines each.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dossier import config, quiz

LENGTH_TOLERANCE = 2.0
CHAPTER_TOLERANCE = 1.0
RATIO_RANGE = (0.95, 1.05)
POSITION_MAX_SHARE = 0.40
CHAPTER_POSITION_MAX_SHARE = 0.50
MAX_RUN = 2
ECHO_MIN = 2
TONE_GAP = 0.15

QUOTED = re.compile(r"“[^”]*”")
WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
NEGATIVE = re.compile(r"\b(?:not|never|except|none|neither|nor|least)\b|n[’']t\b", re.I)
QUALIFIERS = re.compile(r"\b(?:but|though|although|while|yet|however|whereas|unless|neither|partly|partially|"
                        r"simply|may|might|could|likely|unlikely|perhaps|possibly|probably|seems?|appears?|"
                        r"suggests?|some|most|roughly)\b", re.I)
ABSOLUTES = re.compile(r"\b(?:never|always|nothing|fully|completely|entirely|certainly|definitely|must|"
                       r"proves?|proved|all|every|none|at all)\b", re.I)
SINGLE_QUOTED = re.compile(r"‘[^’]*’")
SCEPTICAL = re.compile(r"\b(?:does not say|do not say|not said|none|nothing|no one|nobody|"
                       r"cannot be (?:checked|judged|tested|known))\b", re.I)
STOPWORDS = frozenset("""
about above after again against also although among another because been before being below
between both came come could does doing done down during each either else even ever from further
have having here hers herself himself into itself just least less like made make many more most much
must neither none only other ours ourselves over same several should some such than that their
theirs them themselves then there these they this those through under until upon very were what
when where which while whom whose will with within without would your yours yourself
""".split())


def _plain(text: str) -> str:
    """The option or prompt without the article's own words (curly double quotes)."""
    return QUOTED.sub(" ", text)


def _words(text: str) -> set[str]:
    """Content words, lower case, a plural's s dropped: 'Crossings' and 'crossing' are one word."""
    found = set()
    for word in WORD.findall(text.lower().replace("’", "'")):
        word = word.removesuffix("'s")
        if word.isdigit() or (len(word) >= 4 and word not in STOPWORDS):
            found.add(word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word)
    return found


def _share_of_max(values: list[float], index: int, pick=max) -> float:
    """1/k if values[index] is one of k values equal to the extreme, else 0."""
    extreme = pick(values)
    ties = [i for i, v in enumerate(values) if v == extreme]
    return 1 / len(ties) if index in ties else 0.0


def _question_sentences(prompt: str) -> str:
    """The sentences of a prompt that ask (end with '?'), or the whole prompt if none does."""
    sentences = re.split(r"(?<=[.?!])\s+", SINGLE_QUOTED.sub(" ", _plain(prompt)))
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    return " ".join(asking) or SINGLE_QUOTED.sub(" ", _plain(prompt))


@dataclass(frozen=True)
class QuestionStats:
    id: str
    chapter: str
    options: int
    key: int                 # index of the keyed option, 0 = A
    lengths: tuple[int, ...]  # characters of each option's text
    longest: float           # share of "keyed is the longest" (ties split)
    shortest: float
    ratio: float             # keyed length / mean length of the others
    echo: tuple[str, ...]    # the keyed option's distinctive words found in the prompt, if a cue
    negative: str            # the negative word of the question sentence, if any
    keyed_qualified: bool
    wrong_qualified: tuple[bool, ...]
    keyed_absolute: bool
    wrong_absolutes: tuple[bool, ...]
    sceptical: tuple[bool, ...]  # per option: "does not say", "none", "cannot be checked" ...

    @property
    def letter(self) -> str:
        return quiz.LETTERS[self.key]


def question_statistics(question: quiz.Question) -> QuestionStats:
    texts = [option.text for option in question.options]
    key = next(i for i, option in enumerate(question.options) if option.correct)
    lengths = [len(text) for text in texts]
    others = [n for i, n in enumerate(lengths) if i != key]
    words = [_words(text) for text in texts]
    distinctive = [w - set().union(*(v for j, v in enumerate(words) if j != i)) for i, w in enumerate(words)]
    prompt_words = _words(question.prompt)
    echoes = [sorted(d & prompt_words) for d in distinctive]
    rival = max(len(e) for i, e in enumerate(echoes) if i != key)
    echo = tuple(echoes[key]) if len(echoes[key]) >= ECHO_MIN and len(echoes[key]) > rival else ()
    negative = NEGATIVE.search(_question_sentences(question.prompt))
    plain = [_plain(text) for text in texts]
    return QuestionStats(
        id=question.id, chapter=question.chapter, options=len(texts), key=key, lengths=tuple(lengths),
        longest=_share_of_max(lengths, key), shortest=_share_of_max(lengths, key, min),
        ratio=lengths[key] / (sum(others) / len(others)), echo=echo,
        negative=negative.group(0) if negative else "",
        keyed_qualified=bool(QUALIFIERS.search(plain[key])),
        wrong_qualified=tuple(bool(QUALIFIERS.search(p)) for i, p in enumerate(plain) if i != key),
        keyed_absolute=bool(ABSOLUTES.search(plain[key])),
        wrong_absolutes=tuple(bool(ABSOLUTES.search(p)) for i, p in enumerate(plain) if i != key),
        sceptical=tuple(bool(SCEPTICAL.search(p)) for p in plain),
    )


def _longest_run(letters: list[str]) -> tuple[int, str]:
    best, run, letter = 0, 0, ""
    for i, current in enumerate(letters):
        run = run + 1 if i and current == letters[i - 1] else 1
        if run > best:
            best, letter = run, current
    return best, letter


@dataclass
class Statistics:
    """The bank's cue statistics. `problems()` lists what shows a cue; `table()` prints it all."""

    questions: list[QuestionStats]
    chapters: list[str] = field(default_factory=list)  # in reading order

    # -- length
    def expected_longest(self, chapter: str | None = None) -> float:
        return sum(1 / q.options for q in self._of(chapter))

    def keyed_longest(self, chapter: str | None = None) -> float:
        return sum(q.longest for q in self._of(chapter))

    def keyed_shortest(self, chapter: str | None = None) -> float:
        return sum(q.shortest for q in self._of(chapter))

    def mean_ratio(self, chapter: str | None = None) -> float:
        items = self._of(chapter)
        return sum(q.ratio for q in items) / len(items)

    # -- position
    def positions(self, chapter: str | None = None) -> Counter:
        return Counter(q.letter for q in self._of(chapter))

    def expected_positions(self) -> dict[str, float]:
        expected: Counter = Counter()
        for q in self.questions:
            for letter in quiz.LETTERS[:q.options]:
                expected[letter] += 1 / q.options
        return dict(sorted(expected.items()))

    def unused_letters(self) -> dict[int, list[str]]:
        """For each number of options, the letters never keyed among the questions that have it."""
        found = {}
        for n in sorted({q.options for q in self.questions}):
            used = {q.letter for q in self.questions if q.options == n}
            missing = [letter for letter in quiz.LETTERS[:n] if letter not in used]
            if missing:
                found[n] = missing
        return found

    # -- tone
    def qualified_shares(self) -> tuple[float, float]:
        """(share of keyed options with a hedge or qualification, share of wrong options with one)."""
        return self._shares("keyed_qualified", "wrong_qualified")

    def absolute_shares(self) -> tuple[float, float]:
        return self._shares("keyed_absolute", "wrong_absolutes")

    def sceptical_keyed(self) -> tuple[int, float, int]:
        """(questions whose key is a sceptical option, the number chance gives, questions offering one)."""
        offering = [q for q in self.questions if any(q.sceptical)]
        return (sum(q.sceptical[q.key] for q in offering), sum(sum(q.sceptical) / q.options for q in offering),
                len(offering))

    def _shares(self, keyed: str, wrong: str) -> tuple[float, float]:
        wrongs = [flag for q in self.questions for flag in getattr(q, wrong)]
        return (sum(getattr(q, keyed) for q in self.questions) / len(self.questions), sum(wrongs) / len(wrongs))

    def _of(self, chapter: str | None) -> list[QuestionStats]:
        return [q for q in self.questions if chapter is None or q.chapter == chapter]

    # -- verdict
    def problems(self) -> list[str]:
        """One line per cue; [] when the form of the bank gives nothing away."""
        found = []
        expected = self.expected_longest()
        for name, observed in (("longest", self.keyed_longest()), ("shortest", self.keyed_shortest())):
            if abs(observed - expected) > LENGTH_TOLERANCE:
                found.append(f"the keyed option is the {name} in {observed:.1f} questions; chance is {expected:.1f} "
                             f"(±{LENGTH_TOLERANCE:g} allowed)")
        low, high = RATIO_RANGE
        if not low <= self.mean_ratio() <= high:
            found.append(f"keyed length / mean length of the others is {self.mean_ratio():.2f} on average "
                         f"(allowed {low}–{high})")
        for chapter in self.chapters:
            items = self._of(chapter)
            if not items:
                continue
            expected = self.expected_longest(chapter)
            for name, observed in (("longest", self.keyed_longest(chapter)), ("shortest", self.keyed_shortest(chapter))):
                if observed > expected + CHAPTER_TOLERANCE:
                    found.append(f"{chapter}: the keyed option is the {name} in {observed:.1f} of {len(items)} "
                                 f"questions; chance is {expected:.1f} (+{CHAPTER_TOLERANCE:g} allowed)")
            letter, count = self.positions(chapter).most_common(1)[0]
            if count > CHAPTER_POSITION_MAX_SHARE * len(items):
                found.append(f"{chapter}: {count} of {len(items)} keys at {letter}")
            run, letter = _longest_run([q.letter for q in items])
            if run > MAX_RUN:
                found.append(f"{chapter}: {run} keys in a row at {letter}")
        total = len(self.questions)
        for letter, count in self.positions().most_common():
            if count > POSITION_MAX_SHARE * total:
                found.append(f"{count} of {total} keys ({count / total:.0%}) at {letter} "
                             f"(at most {POSITION_MAX_SHARE:.0%})")
        for n, missing in self.unused_letters().items():
            found.append(f"among the {n}-option questions no key is at {', '.join(missing)}")
        keyed, wrong = self.qualified_shares()
        if keyed - wrong > TONE_GAP:
            found.append(f"{keyed:.0%} of keyed options hedge or qualify, {wrong:.0%} of wrong ones "
                         f"(gap over {TONE_GAP:.0%})")
        keyed, wrong = self.absolute_shares()
        if wrong - keyed > TONE_GAP:
            found.append(f"{wrong:.0%} of wrong options speak in absolutes, {keyed:.0%} of keyed ones "
                         f"(gap over {TONE_GAP:.0%})")
        observed, expected, offering = self.sceptical_keyed()
        if observed > expected + LENGTH_TOLERANCE:
            found.append(f"the sceptical option ('does not say', 'none', ...) is the key in {observed} of the "
                         f"{offering} questions that offer one; chance is {expected:.1f} (+{LENGTH_TOLERANCE:g} allowed)")
        found += [f"{q.id}: negative stem ({q.negative!r})" for q in self.questions if q.negative]
        found += [f"{q.id}: the prompt repeats the answer's own words ({', '.join(q.echo)})"
                  for q in self.questions if q.echo]
        return found

    def table(self) -> str:
        """The statistics as a plain-text table: the bank, then each chapter."""
        n = len(self.questions)
        low, high = RATIO_RANGE
        keyed_h, wrong_h = self.qualified_shares()
        sceptic, sceptic_chance, offering = self.sceptical_keyed()
        keyed_a, wrong_a = self.absolute_shares()
        expected_pos = self.expected_positions()
        positions = self.positions()
        rows = [
            ("questions", f"{n}", f"{len(self._chapters_present())} chapters"),
            ("keyed option is the longest", f"{self.keyed_longest():.1f}",
             f"chance {self.expected_longest():.1f}, ±{LENGTH_TOLERANCE:g}"),
            ("keyed option is the shortest", f"{self.keyed_shortest():.1f}",
             f"chance {self.expected_longest():.1f}, ±{LENGTH_TOLERANCE:g}"),
            ("'pick the longest' scores", f"{self.keyed_longest() / n:.0%}", f"guessing {self.expected_longest() / n:.0%}"),
            ("keyed length / others' mean", f"{self.mean_ratio():.2f}", f"{low}–{high}"),
            ("keys at " + " ".join(quiz.LETTERS[:len(expected_pos)]),
             " ".join(str(positions.get(letter, 0)) for letter in expected_pos),
             "chance " + " ".join(f"{v:.1f}" for v in expected_pos.values())
             + f"; none over {POSITION_MAX_SHARE:.0%}"),
            ("keyed / wrong options qualified", f"{keyed_h:.0%} / {wrong_h:.0%}", f"gap at most {TONE_GAP:.0%}"),
            ("keyed / wrong with absolutes", f"{keyed_a:.0%} / {wrong_a:.0%}", f"gap at most {TONE_GAP:.0%}"),
            (f"sceptical option keyed (of {offering})", f"{sceptic}",
             f"chance {sceptic_chance:.1f}, at most +{LENGTH_TOLERANCE:g}"),
            ("negative stems", f"{sum(bool(q.negative) for q in self.questions)}", "0"),
            ("prompt repeats the answer", f"{sum(bool(q.echo) for q in self.questions)}", "0"),
        ]
        for chapter in self._chapters_present():
            items = self._of(chapter)
            rows.append((f"{chapter} ({len(items)})",
                         f"{self.keyed_longest(chapter):.1f} / {self.keyed_shortest(chapter):.1f}",
                         f"longest / shortest, chance {self.expected_longest(chapter):.1f}; "
                         f"ratio {self.mean_ratio(chapter):.2f}; keys {''.join(q.letter for q in items)}"))
        width = max(len(r[0]) for r in rows)
        value = max(len(r[1]) for r in rows)
        lines = [f"{'self-check bank':<{width}}  {'measured':>{value}}  expected / limit",
                 f"{'-' * width}  {'-' * value}  {'-' * 30}"]
        lines += [f"{a:<{width}}  {b:>{value}}  {c}" for a, b, c in rows]
        problems = self.problems()
        lines.append("cues: none" if not problems else "cues:\n" + "\n".join(f"  - {p}" for p in problems))
        return "\n".join(lines)

    def _chapters_present(self) -> list[str]:
        present = {q.chapter for q in self.questions}
        ordered = [c for c in self.chapters if c in present]
        return ordered + sorted(present - set(ordered))


def bank_statistics(questions=None) -> Statistics:
    """The statistics of `questions` (quiz.Question objects; default: every question of data/quiz.yml)."""
    questions = quiz.all_questions() if questions is None else questions
    return Statistics([question_statistics(q) for q in questions], [c.name for c in config.chapters()])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        questions = quiz.load_questions(Path(args[0])) if args else None
        stats = bank_statistics(questions)
    except (config.ConfigError, config.UnknownName) as exc:
        print(f"quiz_stats: error: {exc}", file=sys.stderr)
        return 2
    print(stats.table())
    return 1 if stats.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
