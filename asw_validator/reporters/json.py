"""The versioned JSON report (``report_version`` 1; schema in data/report-v1.schema.json)."""

from __future__ import annotations

import json

from ..model import Report
from .base import Reporter


class JsonReporter(Reporter):
    def finish(self, report: Report) -> None:
        out = report.to_dict()
        if self.localized:  # the English message stays; the localised one is added
            for doc, result in zip(out["documents"], report.documents, strict=True):
                for entry, f in zip(doc["findings"], result.findings, strict=True):
                    entry.update(self.localized_fields(f))
        json.dump(out, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
