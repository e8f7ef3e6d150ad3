"""Text written as MyST Markdown by the dossier's objects (passages, annotations, corroboration
sets), and the same text made plain for Jupyter, which shows their HTML.

    from dossier.markup import escape_markdown, myst_to_plain
    escape_markdown("$5 and $6")     # '\\$5 and \\$6': shown verbatim, not as math (the book turns on dollarmath)
    myst_to_plain("{term}`TTP`")     # 'TTP'

It imports nothing of the dossier, so any module may use it (`reading` and `sources` both do).
"""

from __future__ import annotations

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
