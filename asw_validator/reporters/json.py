"""The versioned JSON report (``report_version`` 1; schema in data/report-v1.schema.json)."""

from __future__ import annotations

import json

from ..model import Report
from .base import Reporter


class JsonReporter(Reporter):
    def finish(self, report: Report) -> None:
        json.dump(report.to_dict(), self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
