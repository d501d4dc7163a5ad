"""JSON Lines, streamed as documents finish: one record per line, each with a ``type``.

- ``finding``: a finding as in the JSON report (``code``, ``severity``, ``message``,
  ``xpath``, ``line`` ... ``path``, ``waived`` when waived), with ``document``, the index of
  its document in input order;
- ``document``: after its findings, a document as in the JSON report without its findings
  (``path``, ``doctype``, ``sha256``, ``valid``, ``counts`` ...), with its ``index``;
- ``summary``: last, what ran and the totals (the JSON report's head: ``report_version``,
  ``tool``, ``schemas``, ``rule_families``, ``namespaces``, ``summary``) and the number of
  findings of each code (``codes``), so that a clean run still says what it checked.

Cross-document findings (``BT``) are known only after the last document: they follow it as
``finding`` records, and each document they change gets a second ``document`` record with
its final verdict. The last ``document`` record of an index is its verdict.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..model import DocumentResult, Finding, Report
from .base import Reporter, statistics


class JsonLinesReporter(Reporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._written: list[Counter[Any]] = []

    def _record(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def document(self, result: DocumentResult) -> None:
        index = len(self._written)
        self._written.append(Counter(result.findings))
        for f in result.findings:
            self._finding(index, f)
        self._document(index, result)
        self.out.flush()  # a reader follows the run as it goes

    def _finding(self, index: int, f: Finding) -> None:
        self._record(
            {"type": "finding", "document": index, **f.to_dict(), **self.localized_fields(f)}
        )

    def _document(self, index: int, result: DocumentResult) -> None:
        head = {k: v for k, v in result.to_dict().items() if k != "findings"}
        self._record({"type": "document", "index": index, **head})

    def finish(self, report: Report) -> None:
        for index, result in enumerate(report.documents):
            new = Counter(result.findings) - self._written[index]
            if not new:
                continue
            for f in result.findings:
                if new[f] > 0:
                    new[f] -= 1
                    self._finding(index, f)
            self._document(index, result)
        codes = {code: n for code, _, n in statistics(report)}
        self._record({"type": "summary", **report.head_dict(), "codes": codes})
