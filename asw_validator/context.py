"""What a rule may depend on besides the document: dates, countries, options. Nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Context:
    """Per-document facts for rules.

    ``today`` is the only clock a rule may read (injectable in tests); ``presented_on`` is the
    date the document is presented (``--on-date``); ``effective_date`` is the document's own
    date (issue/declaration date) that selects the period a dated rule applies.
    """

    today: dt.date
    effective_date: dt.date | None = None
    presented_on: dt.date | None = None
    export_country: str | None = None
    import_country: str | None = None
    #: The member whose authority issued the document: the exporting member for an ACDD or
    #: an e-Form D, the responding importing member for a Customs Response.
    issuer_country: str | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def countries(self, role: str) -> tuple[str, ...]:
        """The document's countries in ``role`` ("any": all of them)."""
        by_role = {
            "exporter": self.export_country,
            "importer": self.import_country,
            "issuer": self.issuer_country,
        }
        wanted = by_role.values() if role == "any" else (by_role[role],)
        return tuple(c for c in wanted if c)

    def option(self, code: str, name: str, default: Any) -> Any:
        return self.options.get(code, {}).get(name, default)
