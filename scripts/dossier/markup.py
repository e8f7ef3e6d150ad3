"""Text written as MyST Markdown by the dossier's objects (passages, annotations, corroboration
sets), and the same text made plain for Jupyter, which shows their HTML.

    from dossier.markup import escape_markdown, myst_to_plain
    escape_markdown("$5 and $6")     # '\\$5 and \\$6': shown verbatim, not as math (the book turns on dollarmath)
    myst_to_plain("{term}`TTP`")     # 'TTP'
    plain_text("The {term}`TTP` {cite:p}`key`")   # 'The TTP': the words a reader sees (readability, glossary)

It imports nothing of the dossier, so any module may use it (`reading` and `sources` both do).
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")
_ROLE = re.compile(r"\{(?P<role>[a-z:]+)\}`(?P<body>[^`]*)`")


def escape_markdown(text: str) -> str:
    """Backslash-escape the characters Markdown would read as markup, so text shows verbatim."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def myst_to_plain(text: str) -> str:
    """Turn MyST roles into plain text for Jupyter: {term}`TTP` -> TTP, {cite:p}`key` -> [key]."""

    def plain(match: re.Match) -> str:
        role, body = match["role"], match["body"]
        if role.startswith("cite"):
            return "[" + body + "]"
        label = re.match(r"(?P<text>.*?)\s*<(?P<target>[^>]+)>$", body)
        return label["text"] if label else body

    return _ROLE.sub(plain, text)


CITATION = re.compile(r"\s*\{cite(?::[a-z]+)?\}`[^`]*`")
_PLAIN_ROLE = re.compile(r"\{[a-z:]+\}`(?P<body>[^`]*)`")
_LABELLED = re.compile(r"^(?P<text>.*?)\s*<[^>]+>$", re.S)
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)(?P<text>.+?)(?<=\S)\1")
_CODE = re.compile(r"`(?P<text>[^`]*)`")
_TAG = re.compile(r"<[^>]+>")
_LABEL = re.compile(r"^\([\w-]+\)=\s*$", re.M)


def plain_text(myst: str) -> str:
    """The words of MyST Markdown as a reader sees them, on one line: citations dropped, roles
    replaced by their shown text, links by their text, emphasis, code marks, HTML tags, heading
    marks, list marks and targets removed."""
    text = _LABEL.sub("", myst)
    text = CITATION.sub("", text)

    def role(match: re.Match) -> str:
        labelled = _LABELLED.match(match["body"])
        return labelled["text"] if labelled else match["body"]

    text = _PLAIN_ROLE.sub(role, text)
    text = _LINK.sub(lambda m: m["text"], text)
    text = _CODE.sub(lambda m: m["text"], text)
    text = _EMPHASIS.sub(lambda m: m["text"], text)
    text = _EMPHASIS.sub(lambda m: m["text"], text)  # nested: ***a** b*
    text = _TAG.sub(" ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)", "", text, flags=re.M)
    text = html.unescape(text).replace("\\", "")
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))
