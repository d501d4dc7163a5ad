"""Human-readable lines: ``path:line:col: CODE severity message (xpath)`` and a summary.

An unknown line or column is written as 0 (libxml2 gives no column for schema errors). A
waived finding says ``[waived]`` after its severity. Colours only when asked (the CLI asks
on a terminal, unless ``NO_COLOR`` is set).
"""

from __future__ import annotations

from ..model import WAIVED, DocumentResult, Finding, Report
from .base import LineReporter, statistics

_COLORS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m", WAIVED: "\033[2m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def one_line(text: str) -> str:
    """One finding, one line: line breaks quoted from a value are escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class TextReporter(LineReporter):
    def document(self, result: DocumentResult) -> None:
        super().document(result)
        if result.readiness is not None:  # a WCO declaration: can it make an ACDD?
            self.out.write(f"{result.path}: {result.readiness['summary']}\n")

    def _paint(self, text: str, key: str) -> str:
        return f"{_COLORS[key]}{text}{_RESET}" if self.options.color else text

    def finding(self, path: str, f: Finding) -> None:
        where = f" ({f.xpath})" if f.xpath else ""
        severity = self._paint(f.severity.value, f.severity.value if f.counted else WAIVED)
        code = f"{_BOLD}{f.code}{_RESET}" if self.options.color else f.code
        waived = " [waived]" if f.waived else ""
        self.out.write(
            f"{path}:{f.line or 0}:{f.column or 0}: {code} {severity}{waived}"
            f" {one_line(f.message)}{where}\n"
        )

    def finish(self, report: Report) -> None:
        c = report.counts()
        n = len(report.documents)
        valid = sum(1 for d in report.documents if d.is_valid)
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
