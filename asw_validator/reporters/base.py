"""The reporter interface: streaming formats write per document, others at the end."""

from __future__ import annotations

from typing import TextIO

from ..model import DocumentResult, Finding, Report


class Reporter:
    """Writes a report to ``out``; reads only the result model."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def document(self, result: DocumentResult) -> None:
        """Called once per document, in input order, as soon as it is done."""

    def cross_document(self, findings: list[Finding]) -> None:
        """Called once after every document, with the cross-document findings (each carries
        its document's path); they are also merged into the report given to ``finish``."""

    def finish(self, report: Report) -> None:
        """Called once at the end with the whole report."""
