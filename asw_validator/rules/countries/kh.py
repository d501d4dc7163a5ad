"""Cambodia pack (``KH`` codes).

Facts: domain.md §5.1, §5.3. Cambodia's TIN format is not published by the General
Department of Taxation in any source reached, so its check is a warning on format only.
Cambodia's FOB rule lives in the e-Form D family (FD003, tagged KH).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ...context import Context
from ...model import Severity
from ..base import Family, Problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("kh", "1.0.0", country="KH")
rule = PACK.rule

_TIN = re.compile(r"^[A-Z][0-9]{3}-?[0-9]{9,10}$")


def _tin_reason(value: str) -> str | None:
    if _TIN.match(value.replace(" ", "")):
        return None
    return "not in the usual Cambodian shape (a letter, 3 digits, then 9 or 10 digits)"


@rule(
    code="KH001",
    name="tin-format-unusual",
    severity=Severity.WARNING,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Cambodia TIN: no official format found; third-party guides give a letter "
    "(L large, K medium, E small taxpayer) + 3 digits + 9-10 digits, and no public check "
    "digit. Format only, not confirmed, hence a warning",
)
def tin_format_unusual(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The TIN of a Cambodian party is not in the shape third-party guides describe.

    Spaces are ignored; the letter must be a capital.

    Fails (warning): a Cambodian consignee with
    ``<fd:Consignee><fd:Name>Angkor Agro Co.</fd:Name><fd:ID>12345</fd:ID><!-- ... -->
    </fd:Consignee>``
    Passes: ``<fd:Consignee><fd:Name>Angkor Agro Co.</fd:Name><fd:ID>K001-901234567</fd:ID>
    <!-- ... --></fd:Consignee>``
    """
    yield from check_ids(
        doc, "KH", "TIN", _tin_reason, "a letter, 3 digits, 9-10 digits, e.g. K001-901234567"
    )
