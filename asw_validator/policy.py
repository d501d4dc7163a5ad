"""What a project decides about codes: ``select``, ``ignore``, per-code ``severity`` and
waivers, applied to each document's findings before they are capped and reported.

Codes of the parsing, detection, value-reading, input and internal stages (``XML``,
``DOC``, ``VAL``, ``IO``, ``INT``) are never touched: a document that was not read, not
recognised, whose values could not be judged or whose check crashed is never made valid by
configuration. (``VAL`` is kept with them: a value no rule could judge leaves the document
not known valid, like a crash does.)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .i18n import N_
from .model import Finding, Severity, Waived

#: Code families no configuration may select away, ignore, re-grade or waive.
PROTECTED = ("XML", "DOC", "VAL", "IO", "INT", "CFG")
EXPIRED_CODE = "CFG001"


def is_protected(code: str) -> bool:
    """Whether a code, or every code a prefix names, is beyond configuration's reach."""
    return code.upper().startswith(PROTECTED)


@dataclass(frozen=True)
class Waiver:
    """A decision to accept findings of ``code`` (a code or a prefix) in the documents whose
    path matches ``path`` (a glob relative to ``base``, the waiver file's directory, unless
    it is absolute), until ``expires`` (inclusive)."""

    code: str
    path: str
    base: str
    justification: str
    expires: dt.date
    #: Where it was written: ``waivers.toml, waiver 2``.
    source: str

    def matches(self, document: str) -> bool:
        """Whether the document's path is one the waiver names (stdin and bytes never are)."""
        if document.startswith("<") and document.endswith(">"):
            return False
        pattern = os.path.normpath(
            self.path if self.path.startswith("/") else f"{self.base}/{self.path}"
        )
        where = os.path.normpath(Path(document).absolute())
        return _glob(pattern).fullmatch(where) is not None

    def covers(self, code: str) -> bool:
        return code.startswith(self.code)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    @property
    def waived(self) -> Waived:
        return Waived(self.justification, self.expires.isoformat(), self.source)


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """A path glob as a regular expression: ``*`` and ``?`` within one directory level,
    ``[...]`` a character class, ``**`` any number of levels (none included)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


def refused(entries: Iterable[str]) -> list[str]:
    """The entries (codes or prefixes) that name protected codes."""
    return [e for e in entries if is_protected(e)]


class Policy:
    """A project's decisions, applied to one document's findings at a time."""

    def __init__(
        self,
        *,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        severity: Mapping[str, Severity] | None = None,
        waivers: Sequence[Waiver] = (),
        today: dt.date,
    ) -> None:
        self._select = bool(select)
        # The longest matching entry decides; on a tie, ignore wins.
        entries = [(e.upper(), False) for e in ignore] + [(e.upper(), True) for e in select]
        self._entries = sorted(entries, key=lambda e: -len(e[0]))
        self._severity = dict(severity or {})
        self._waivers = tuple(waivers)
        self._today = today

    @property
    def active(self) -> bool:
        return bool(self._entries or self._severity or self._waivers)

    def keeps(self, code: str) -> bool:
        """Whether ``select`` and ``ignore`` let findings of ``code`` into the report."""
        if is_protected(code):
            return True
        for entry, keep in self._entries:
            if code.startswith(entry):
                return keep
        return not self._select

    def apply(
        self, findings: Iterable[Finding], path: str, *, notices: bool = True
    ) -> list[Finding]:
        """The findings the report shows: selected, re-graded and waived as configured; with
        ``notices``, first a ``CFG001`` warning for each expired waiver matching the path."""
        waivers = [w for w in self._waivers if w.matches(path)] if self._waivers else []
        if notices:
            expired = [_expired(w, path) for w in waivers if w.expired(self._today)]
            findings = [*expired, *findings]
        live = [w for w in waivers if not w.expired(self._today)]
        out: list[Finding] = []
        for f in findings:
            if is_protected(f.code):
                out.append(f)
                continue
            if not self.keeps(f.code):
                continue
            severity = self._severity.get(f.code)
            if severity is not None and severity is not f.severity:
                f = replace(f, severity=severity)
            waiver = next((w for w in live if w.covers(f.code)), None)
            if waiver is not None:
                f = replace(f, waived=waiver.waived)
            out.append(f)
        return out


def _expired(w: Waiver, path: str) -> Finding:
    return Finding.worded(
        EXPIRED_CODE,
        Severity.WARNING,
        N_(
            "Waiver {source} ({code} in {path}) expired on {expires}; its findings count again"
            " (justification was: {justification})"
        ),
        {
            "source": w.source,
            "code": w.code,
            "path": w.path,
            "expires": w.expires,
            "justification": w.justification,
        },
        value=w.expires.isoformat(),
        expected=f"an expiry date on or after today, or the waiver removed from {w.source}",
        rule="waiver-expired",
        basis="asw-validator configuration: a waiver applies until its expiry date",
        path=path,
    )
