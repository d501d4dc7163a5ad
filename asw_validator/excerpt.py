"""The lines of an input around its findings, kept so that a report can show each finding
in its XML without reading the input again (standard input cannot be read twice).

Bounded: at most ``MAX_FINDINGS`` findings of a document get lines, each line is cut at
``MAX_LINE_CHARS`` characters, and only the lines asked for are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from .parsing import display_text

#: Findings per document whose surrounding lines are kept.
MAX_FINDINGS = 100
#: Longest line kept; a minified document is one long line.
MAX_LINE_CHARS = 200


def excerpt(data: bytes, lines: Iterable[int | None], around: int) -> dict[int, str]:
    """The lines ``around`` before and after each of the first ``MAX_FINDINGS`` known
    ``lines``, by line number. Line ends are counted as XML counts them (CRLF, CR, LF)."""
    wanted: set[int] = set()
    for n in [n for n in lines if n][:MAX_FINDINGS]:
        wanted.update(range(max(1, n - around), n + around + 1))
    if not wanted:
        return {}
    last = max(wanted)
    text = display_text(data).replace("\r\n", "\n").replace("\r", "\n")
    out: dict[int, str] = {}
    for number, line in enumerate(text.split("\n", last)[:last], 1):
        if number in wanted:
            out[number] = line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + "…"
    return out
