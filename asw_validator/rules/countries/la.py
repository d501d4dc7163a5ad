"""Lao PDR pack (``LA`` codes).

Facts: domain.md §5.1, §5.4. Decree 354/PM (2007) Art. 4 gives the TIN four parts; only the
first is confirmed (an 8-digit number followed by a check digit whose algorithm is not
published), so the check is a warning on that first part. Lao PDR's FOB rule lives in the
e-Form D family (FD003, tagged LA).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ...binding.origin_declaration import OriginDeclaration
from ...context import Context
from ...i18n import T
from ...model import Severity
from ..base import Family, Problem
from ..common import AWSC_FROM
from .common import PARTY_DOCTYPES, before_national_instrument, check_ids

PACK = Family("la", "1.1.0", country="LA")
rule = PACK.rule

_SEPARATORS = re.compile(r"[\s\-./]")
_FIRST_PART = re.compile(r"^[0-9]{9}")


def _tin_reason(value: str) -> str | None:
    if _FIRST_PART.match(_SEPARATORS.sub("", value)):
        return None
    return T("does not start with the 8-digit number and check digit of Decree 354")


@rule(
    code="LA001",
    name="tin-format-unusual",
    severity=Severity.WARNING,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Lao PDR Decree 354/PM (2007) Art. 4: the TIN has 4 parts, the first an 8-digit "
    "number followed by 1 check digit. The check algorithm and parts 3-4 are not confirmed, "
    "so only the 9 leading digits are checked, as a warning",
)
def tin_format_unusual(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The TIN of a Lao party does not start with the 8 digits and check digit of Decree 354.

    Separators (space, '-', '.', '/') are ignored; what follows the 9 digits is not checked.

    Fails (warning): a Lao consignee with
    ``<fd:Consignee><fd:Name>Pakxe Coffee Co.</fd:Name><fd:ID>LA-77215</fd:ID><!-- ... -->
    </fd:Consignee>``
    Passes: ``<fd:Consignee><fd:Name>Pakxe Coffee Co.</fd:Name><fd:ID>123456789-000</fd:ID>
    <!-- ... --></fd:Consignee>``
    """
    yield from check_ids(
        doc, "LA", T("TIN"), _tin_reason, "8 digits and a check digit first, e.g. 123456789-000"
    )


#: Lao PDR's Decision No. 1206/MOIC.DIMEX "On Self Certification of Origin under the ASEAN
#: Trade in Goods Agreement" is dated this day (Lao Trade Portal) [I].
DECISION_1206 = dt.date(2020, 12, 25)


@rule(
    code="LA002",
    name="origin-declaration-before-decision-1206",
    severity=Severity.INFO,
    doctypes=("origin-declaration",),
    role="issuer",
    effective_from=AWSC_FROM,
    effective_until=DECISION_1206 - dt.timedelta(days=1),
    basis="Lao PDR MOIC Decision No. 1206/MOIC.DIMEX of 25 Dec 2020 on self-certification of "
    "origin under ATIGA (Lao Trade Portal): a CE is an exporter that 'obtains Certificate of "
    "Rights issued by the Department of Import and Export'. Seen in part; Lao PDR had pilot "
    "certified exporters under Decision 0442/MOIC.DIMEX (2013): whether they could make AWSC "
    "declarations before Decision 1206 is not confirmed, hence an information",
)
def origin_declaration_before_decision_1206(
    doc: OriginDeclaration, ctx: Context
) -> Iterator[Problem]:
    """An Origin Declaration of a Lao Certified Exporter is dated 2020-09-20 to 2020-12-24,
    before Lao PDR's AWSC Decision 1206/MOIC.DIMEX.

    AWSC began on 2020-09-20, but Lao PDR defined its Certified Exporters (holders of a
    Certificate of Rights from the Department of Import and Export) only by Decision
    1206/MOIC.DIMEX of 2020-12-25; its SCPP2 pilot declarations ended on 2020-09-19. Pilot
    exporters (Decision 0442/MOIC.DIMEX, 2013) existed: a declaration of that period is only
    noted (an information), not judged.

    Fails (info): a Lao CE's (``<od:IssuingCountry>LA</od:IssuingCountry>``) OD made out
    ``<od:CommercialDocument><!-- ... --><od:Date>2020-12-01</od:Date><!-- ... -->
    </od:CommercialDocument>``
    Passes: the same made out ``<od:Date>2020-12-25</od:Date>``
    """
    yield from before_national_instrument(
        doc, T("Lao"), T("Decision 1206/MOIC.DIMEX was made"), DECISION_1206
    )
