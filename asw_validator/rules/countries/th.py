"""Thailand pack (``TH`` codes): Thai tax IDs and the e-Customs weight units.

Facts: domain.md §5.1 (tax IDs), §5.6 (Thai e-Customs data-entry rules, taken from the
Thai Customs e-Import manual). The weight rule applies to declarations lodged in Thailand,
so to an ACDD whose exporting country is TH, as a warning (§8.7). TH003 (total net weight =
the items' sum) and TH004 (gross at least net) are retired: the family rules AC024 and AC023
check both for every country (a Thai team wanting exact sums sets AC024's tolerance to 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.th import moa, pin, tin

from ...binding.acdd import AcddDeclaration, Measure
from ...context import Context
from ...i18n import T
from ...model import Severity
from ...refdata import units
from ..base import Family, Problem, problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("th", "1.2.0", country="TH")
rule = PACK.rule
ERROR, WARNING = Severity.ERROR, Severity.WARNING

BASIS_WEIGHTS = "Thai Customs e-Customs data-entry rules (e-Import manual), weights"


def _tax_id_reason(value: str) -> str | None:
    number = tin.compact(value)  # python-stdnum also turns full-width digits into 0-9
    if not (value.isascii() and len(number) == 13 and number.isdigit()):
        return T("a Thai tax ID has 13 digits 0-9")
    # A company number (MOA) starts with 0, a personal number (PIN) never does.
    module = moa if number.startswith("0") else pin
    try:
        module.validate(number)
    except ValidationError as err:
        if type(err).__name__ == "InvalidChecksum":
            return T("the check digit (13th digit) does not match")
        return T("a personal number (PIN) cannot start with 9")
    return None


@rule(
    code="TH001",
    name="tax-id-invalid",
    severity=ERROR,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Thai 13-digit tax identification number: personal ID (PIN) or company "
    "registration number (starts with 0), with a check digit; checked with python-stdnum "
    "stdnum.th.tin (pin, moa)",
)
def tax_id_invalid(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The tax ID of a Thai party fails its length or check digit.

    Checked for the exporter, the consignee and the declarant whose country (address, else
    the document's country for that party) is TH.

    Fails: a Thai exporter with
    ``<acdd:Exporter><acdd:Name>Chon Buri Sugar Co.</acdd:Name><acdd:ID>0994000163012</acdd:ID>
    <!-- ... --></acdd:Exporter>`` (bad check digit)
    Passes: ``<acdd:ID>0994000163011</acdd:ID>``; ``<acdd:ID>0-99-4-000-16301-1</acdd:ID>``
    """
    yield from check_ids(
        doc,
        "TH",
        T("Tax ID"),
        _tax_id_reason,
        "13 digits with a valid check digit, e.g. 0994000163011",
    )


#: Weight units Thai e-Customs accepts, with their size in kilograms.
WEIGHT_UNITS = {
    "KGM": Decimal(1),
    "TNE": Decimal(1000),
    "GRM": Decimal("0.001"),
    "CTM": Decimal("0.0002"),
}


def _weights(doc: AcddDeclaration) -> Iterator[tuple[str, Measure]]:
    yield T("total gross weight"), doc.total_gross_mass
    yield T("total net weight"), doc.total_net_mass
    for item in doc.items:
        n = item.sequence.text or "?"
        yield T("gross weight of item {n}", n=n), item.gross_mass
        yield T("net weight of item {n}", n=n), item.net_mass


@rule(
    code="TH002",
    name="weight-unit-not-allowed",
    severity=WARNING,
    doctypes=("acdd",),
    role="exporter",
    basis=BASIS_WEIGHTS + ": weight units are limited to KGM, TNE, GRM and CTM "
    "(UN/ECE Rec 20); tariff quantities are not weights and keep their own units. A rule of "
    "the e-Import manual applied to export declarations: a warning (domain.md §8.7)",
)
def weight_unit_not_allowed(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A gross or net weight of an ACDD from Thailand uses a unit other than KGM, TNE, GRM, CTM.

    Units that are not Recommendation 20 codes at all are AC010's, units that are not masses
    AC026's. A warning: the manual is written for import declarations (domain.md §8.7).

    Fails (warning): on an ACDD from TH,
    ``<acdd:TotalGrossMassMeasure unitCode="LBR">56000</acdd:TotalGrossMassMeasure>``
    Passes: ``<acdd:TotalGrossMassMeasure unitCode="KGM">25400</acdd:TotalGrossMassMeasure>``
    """
    for what, measure in _weights(doc):
        unit = measure.unit
        if unit.usable and unit.text not in WEIGHT_UNITS and units.is_mass(unit.text):
            yield problem(
                "The {what} is in {value!r}; Thai e-Customs takes weights in KGM, TNE, GRM or CTM",
                unit,
                what=what,
                expected="KGM, TNE, GRM or CTM",
            )
