"""Human-readable lines: ``path:line:col: CODE severity message (xpath)`` and a summary.

An unknown line or column is written as 0 (libxml2 gives no column for schema errors). A
waived finding says ``[waived]`` after its severity. Colours only when asked (the CLI asks
on a terminal, unless ``NO_COLOR`` is set).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import N_
from ..model import WAIVED, DocumentResult, Finding, Report
from .base import LineReporter, readiness_text, statistics

_COLORS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m", WAIVED: "\033[2m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def one_line(text: str) -> str:
    """One finding, one line: line breaks quoted from a value are escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class TextReporter(LineReporter):
    def document(self, result: DocumentResult) -> None:
        super().document(result)
        if result.readiness is not None:  # a WCO declaration: can it make an ACDD?
            self.out.write(f"{result.path}: {self.readiness(result.readiness)}\n")

    def _paint(self, text: str, key: str) -> str:
        return f"{_COLORS[key]}{text}{_RESET}" if self.options.color else text

    def finding(self, path: str, f: Finding) -> None:
        where = f" ({f.xpath})" if f.xpath else ""
        severity = self._paint(f.severity.value, f.severity.value if f.counted else WAIVED)
        code = f"{_BOLD}{f.code}{_RESET}" if self.options.color else f.code
        waived = " [waived]" if f.waived else ""
        self.out.write(
            f"{path}:{f.line or 0}:{f.column or 0}: {code} {severity}{waived}"
            f" {one_line(self.say(f))}{where}\n"
        )

    def readiness(self, readiness: Mapping[str, Any]) -> str:
        """The readiness verdict of a WCO declaration, in the report's language."""
        return readiness_text(readiness, self.options.localizer)

    def finish(self, report: Report) -> None:
        c = report.counts()
        n = len(report.documents)
        valid = sum(1 for d in report.documents if d.is_valid)
        if self.localized:  # one form: the five languages do not inflect for number
            line = self.words(
                N_(
                    "{documents} documents checked, {valid} valid; {errors} errors,"
                    " {warnings} warnings, {info} information"
                ),
                documents=n,
                valid=valid,
                errors=c["error"],
                warnings=c["warning"],
                info=c["info"],
            )
            if c.get(WAIVED):
                line += self.words(N_(", {waived} waived"), waived=c[WAIVED])
            self.out.write(line + "\n")
            return
        waived = f", {c[WAIVED]} waived" if c.get(WAIVED) else ""
        self.out.write(
            f"{n} document{'s' if n != 1 else ''} checked, {valid} valid;"
            f" {c['error']} error{'s' if c['error'] != 1 else ''},"
            f" {c['warning']} warning{'s' if c['warning'] != 1 else ''},"
            f" {c['info']} info{waived}\n"
        )


def statistics_lines(report: Report) -> list[str]:
    """``--statistics``: findings by code, most frequent first, then the total."""
    rows = statistics(report)
    lines = [f"{n:7}  {code:7} {name}".rstrip() for code, name, n in rows]
    total = sum(n for _, _, n in rows)
    return [*lines, f"{total:7}  findings of {len(rows)} code{'s' if len(rows) != 1 else ''}"]
