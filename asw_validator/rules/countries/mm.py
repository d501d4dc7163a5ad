"""Myanmar pack (``MM`` codes).

Facts: domain.md §5.1, §5.7, and S13 (MITI Malaysia slides) for the early e-Form D ports.
Myanmar's FOB rule before 2016-04-01 lives in the e-Form D family (FD003, tagged MM).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ...binding.eformd import FormD
from ...context import Context
from ...i18n import T
from ...model import Severity
from ..base import Family, Problem, problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("mm", "1.1.0", country="MM")
rule = PACK.rule

_SEPARATORS = re.compile(r"[\s\-./]")
_AN20 = re.compile(r"^[A-Za-z0-9]{1,20}$")


def _tin_reason(value: str) -> str | None:
    compact = _SEPARATORS.sub("", value)
    if _AN20.match(compact):
        return None
    others = sorted({c for c in compact if not _AN20.match(c)})
    if others:
        return T(
            "it contains {signs!r}; expected letters A-Z and digits 0-9", signs="".join(others)
        )
    return T("it has {n} letters and digits; expected at most 20", n=len(compact))


@rule(
    code="MM001",
    name="tin-format-unusual",
    severity=Severity.WARNING,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Myanmar TIN, issued by the Internal Revenue Department under the Tax "
    "Administration Law 2019: format and check digit not published; treated as up to 20 "
    "letters and digits (an..20), not confirmed, hence a warning",
)
def tin_format_unusual(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The TIN of a Myanmar party is longer than 20 letters and digits or has other signs.

    Fails (warning): a Myanmar consignee with
    ``<fd:Consignee><fd:Name>Yangon Rice Co.</fd:Name><fd:ID>IRD#2020*0001</fd:ID><!-- ... -->
    </fd:Consignee>``
    Passes: ``<fd:Consignee><fd:Name>Yangon Rice Co.</fd:Name><fd:ID>MM-104857203</fd:ID>
    <!-- ... --></fd:Consignee>``
    """
    yield from check_ids(doc, "MM", T("TIN"), _tin_reason, "up to 20 letters and digits")


#: The only ports where Myanmar accepted e-Form D when it joined the exchange.
EARLY_PORTS = {"MMRGN": "Yangon", "MMTLA": "Thilawa"}


@rule(
    code="MM002",
    name="eformd-port-not-yet-accepted",
    severity=Severity.INFO,
    doctypes=("eformd",),
    role="importer",
    effective_from=dt.date(2019, 1, 1),
    effective_until=dt.date(2020, 12, 31),
    basis="MITI Malaysia, ASW slides: when Myanmar joined the e-Form D exchange (2019-2020) "
    "it accepted e-Form D only at Yangon and Thilawa ports",
)
def eformd_port_not_yet_accepted(doc: FormD, ctx: Context) -> Iterator[Problem]:
    """An e-Form D to Myanmar issued in 2019-2020 names a port other than Yangon or Thilawa.

    Period: issue dates 2019-01-01 to 2020-12-31. Checked when box 3 gives the port of
    discharge as a UN/LOCODE.

    Fails (info): to MM, issued 2020-06-01,
    ``<fd:PortOfDischarge><fd:ID>MMMWD</fd:ID></fd:PortOfDischarge>`` (Myawadi)
    Passes: the same with ``<fd:PortOfDischarge><fd:ID>MMTLA</fd:ID></fd:PortOfDischarge>``; or
    issued 2021-01-04
    """
    loc = doc.port_of_discharge_id
    if loc.usable and loc.text not in EARLY_PORTS:
        yield problem(
            "Port of discharge {value}: in 2019-2020 Myanmar accepted e-Form D only at"
            " Yangon (MMRGN) and Thilawa (MMTLA); period applied: 2019-01-01 to 2020-12-31",
            loc,
            expected="MMRGN or MMTLA",
        )
