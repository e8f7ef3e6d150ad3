"""One small stylesheet for the whole book, made from the stylesheets its pages link.

A page of the book linked 12 stylesheets (545 KB, 100 KB compressed; the theme's alone is 397 KB,
most of it Bootstrap utilities and Font Awesome's 2,000 icon classes): all of them block the first
paint, and on a slow connection (400 kbit/s, 400 ms latency) the first text came after 5 s.
:func:`bundle` concatenates them in the order the pages link them (``@import`` inlined, ``url()``
rewritten for the bundle's folder), and :func:`purge` keeps only the rules that can apply to the
book: those whose selectors name only classes, ids and elements found in the built pages, or that
the book's scripts may add. It is conservative where it cannot know:

* attribute selectors, ``:not()``, ``:has()``, ``:is()``, ``:where()`` and every pseudo-class and
  pseudo-element are taken as "may match" (``[data-theme=dark]`` rules stay, for dark mode);
* a class that a script may add counts as present: any word of the scripts the pages load, or a
  class whose first two hyphenated parts are one (``bs-tooltip-auto`` for ``bs-tooltip``);
* at-rules are kept with what they hold (``@media`` and ``@supports`` are purged inside), but
  ``@keyframes`` no kept rule names are dropped.

Alternatives: PurgeCSS, UnCSS and critical (npm) do this with a browser or a JavaScript parser, and
would bring Node into ``make book``; tinycss2 (a CSS parser already in the environment, through
nbconvert) and these rules are enough for a set of pages known at build time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tinycss2

_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)["']?\s*\)?\s*;""")
_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# Parts of a selector that are taken as "may match" (removed before the names are read).
_FUNCTIONAL = re.compile(r":{1,2}[\w-]+\(")
_PSEUDO = re.compile(r":{1,2}[\w-]+")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_ESCAPE = re.compile(r"\\(.)")


@dataclass
class Usage:
    """What the pages hold (element names, classes, ids) and what their scripts may add."""

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    script_words: set[str] = field(default_factory=set)

    def add_html(self, text: str) -> None:
        self.tags.update(tag.lower() for tag in re.findall(r"<([A-Za-z][\w-]*)", text))
        for value in re.findall(r"""\sclass=(?:"([^"]*)"|'([^']*)')""", text):
            self.classes.update((value[0] or value[1]).split())
        for value in re.findall(r"""\sid=(?:"([^"]*)"|'([^']*)')""", text):
            self.ids.add(value[0] or value[1])

    def add_script(self, text: str) -> None:
        self.script_words.update(_WORD.findall(text))

    def has_class(self, name: str) -> bool:
        if name in self.classes or name in self.script_words:
            return True
        parts = name.split("-")
        return len(parts) > 2 and "-".join(parts[:2]) in self.script_words

    def has_id(self, name: str) -> bool:
        return name in self.ids or name in self.script_words

    def has_tag(self, name: str) -> bool:
        return name in self.tags or name in self.script_words


def _strip_functions(selector: str) -> str:
    """The selector without its functional pseudo-classes (``:not(...)`` and the like), nested
    parentheses included."""
    out, position = [], 0
    while True:
        match = _FUNCTIONAL.search(selector, position)
        if not match:
            out.append(selector[position:])
            return "".join(out)
        out.append(selector[position:match.start()])
        depth, index = 1, match.end()
        while index < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[index], 0)
            index += 1
        position = index


def may_match(selector: str, usage: Usage) -> bool:
    """Whether one selector (no commas) can match something in the book."""
    plain = _ATTRIBUTE.sub(" ", _strip_functions(selector))
    plain = _PSEUDO.sub("", _ESCAPE.sub(r"\1", plain))
    for token in re.findall(r"[.#]?-?[A-Za-z_][\w-]*|\*", plain):
        if token.startswith("."):
            if not usage.has_class(token[1:]):
                return False
        elif token.startswith("#"):
            if not usage.has_id(token[1:]):
                return False
        elif token != "*":
            # An element name (only where one can stand: after a combinator or at the start).
            if not usage.has_tag(token.lower()):
                return False
    return True


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


_STRING = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')""")
_AROUND = re.compile(r"\s*([{};,>])\s*")


def minify(text: str) -> str:
    """`text` with runs of white space outside strings made one space, and none around braces,
    semicolons, commas and child combinators."""
    pieces = _STRING.split(text)  # odd items are strings
    for index in range(0, len(pieces), 2):
        pieces[index] = _AROUND.sub(r"\1", re.sub(r"\s+", " ", pieces[index]))
    return "".join(pieces).strip()


def _serialize(nodes) -> str:
    return minify(tinycss2.serialize([node for node in nodes if node.type != "comment"]))


def _purge_rules(rules, usage: Usage, keyframes_used: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split_selectors(_serialize(rule.prelude)) if may_match(s, usage)]
            body = _serialize(rule.content)
            if selectors and body:
                kept.append(",".join(selectors) + "{" + body + "}")
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            prelude = _serialize(rule.prelude)
            if keyword in ("charset", "import"):
                continue
            if rule.content is None:
                kept.append(f"@{rule.at_keyword} {prelude};")
            elif keyword in ("media", "supports", "layer", "container", "document"):
                inner = _purge_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                                     usage, keyframes_used)
                if inner:
                    kept.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
            elif keyword.endswith("keyframes"):
                if prelude in keyframes_used:
                    kept.append(f"@{rule.at_keyword} {prelude}{{{_serialize(rule.content)}}}")
            else:
                kept.append(f"@{rule.at_keyword} {prelude}".rstrip() + f"{{{_serialize(rule.content)}}}")
    return kept


def purge(css: str, usage: Usage) -> str:
    """`css` with only the rules that may apply to the pages `usage` describes, without comments."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    first = _purge_rules(rules, usage, keyframes_used=set())
    # The animations the kept rules name (`animation: name 1s`, `animation-name: name`).
    names = set(_WORD.findall(" ".join(re.findall(r"animation(?:-name)?\s*:([^;}]*)", "".join(first)))))
    return "\n".join(_purge_rules(rules, usage, keyframes_used=names)) + "\n"


def _read_with_imports(path: Path, seen: set[Path]) -> tuple[str, Path]:
    """The text of `path` with its `@import`s inlined, every `url()` made relative to the folder of
    `path`'s root (returned as the second item: the caller rebases once)."""
    text = path.read_text(encoding="utf-8")

    def rebase_from(child: Path, child_text: str) -> str:
        return _URL.sub(lambda m: _rebased(m, child.parent, path.parent), child_text)

    def inline(match: re.Match) -> str:
        target = (path.parent / match.group(1)).resolve()
        if target in seen or not target.is_file():
            return ""
        seen.add(target)
        inner, _ = _read_with_imports(target, seen)
        return rebase_from(target, inner)

    return _IMPORT.sub(inline, text), path.parent


def _rebased(match: re.Match, source_dir: Path, target_dir: Path) -> str:
    quote, url = match.group(1), match.group(2).strip()
    if re.match(r"^(?:[a-z]+:|/|#)", url):
        return match.group(0)
    base, _, rest = url.partition("?")
    absolute = (source_dir / base).resolve()
    relative = PurePosixPath(*_relative_parts(absolute, target_dir.resolve()))
    return f"url({quote}{relative.as_posix()}{'?' + rest if rest else ''}{quote})"


def _relative_parts(path: Path, start: Path) -> list[str]:
    path_parts, start_parts = path.parts, start.parts
    common = 0
    while common < min(len(path_parts), len(start_parts)) and path_parts[common] == start_parts[common]:
        common += 1
    return [".."] * (len(start_parts) - common) + list(path_parts[common:])


def bundle(sources: list[Path], out_dir: Path) -> str:
    """The stylesheets `sources` in order, as one text for a file in `out_dir`: imports inlined and
    every relative `url()` rewritten to resolve from `out_dir`."""
    parts = []
    for source in sources:
        text, folder = _read_with_imports(source, {source.resolve()})
        parts.append(_URL.sub(lambda m, folder=folder: _rebased(m, folder, out_dir), text))
    return "\n".join(parts)
