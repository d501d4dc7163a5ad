"""The reporter interface: streaming formats write per document, others at the end."""

from __future__ import annotations

from typing import TextIO

from ..model import DocumentResult, Report


class Reporter:
    """Writes a report to ``out``; reads only the result model."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def document(self, result: DocumentResult) -> None:
        """Called once per document, in input order, as soon as it is done."""

    def finish(self, report: Report) -> None:
        """Called once at the end with the whole report."""
