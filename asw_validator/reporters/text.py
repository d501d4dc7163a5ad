"""Human-readable lines: ``path:line:col: CODE severity message (xpath)`` and a summary.

An unknown line or column is written as 0 (libxml2 gives no column for schema errors).
"""

from __future__ import annotations

from ..model import DocumentResult, Finding, Report
from .base import Reporter


class TextReporter(Reporter):
    def document(self, result: DocumentResult) -> None:
        for f in result.findings:
            self._line(result.path, f)
        if result.readiness is not None:  # a WCO declaration: can it make an ACDD?
            self.out.write(f"{result.path}: {result.readiness['summary']}\n")

    def cross_document(self, findings: list[Finding]) -> None:
        for f in findings:
            self._line(f.path or "", f)

    def _line(self, path: str, f: Finding) -> None:
        where = f" ({f.xpath})" if f.xpath else ""
        # one finding, one line: line breaks quoted from a value are escaped
        message = f.message.replace("\r", "\\r").replace("\n", "\\n")
        self.out.write(
            f"{path}:{f.line or 0}:{f.column or 0}: {f.code} {f.severity.value} {message}{where}\n"
        )

    def finish(self, report: Report) -> None:
        c = report.counts()
        n = len(report.documents)
        valid = sum(1 for d in report.documents if d.is_valid)
        self.out.write(
            f"{n} document{'s' if n != 1 else ''} checked, {valid} valid;"
            f" {c['error']} error{'s' if c['error'] != 1 else ''},"
            f" {c['warning']} warning{'s' if c['warning'] != 1 else ''},"
            f" {c['info']} info\n"
        )
