"""Thailand pack (``TH`` codes): Thai tax IDs and the e-Customs weight rules.

Facts: domain.md §5.1 (tax IDs), §5.6 (Thai e-Customs data-entry rules, taken from the
Thai Customs e-Import manual). The weight rules apply to declarations lodged in Thailand,
so to an ACDD whose exporting country is TH.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.th import moa, pin, tin

from ...binding.acdd import AcddDeclaration, Measure
from ...binding.base import as_decimal
from ...context import Context
from ...model import Severity
from ...refdata import units
from ..base import Family, Problem, problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("th", "1.0.0", country="TH")
rule = PACK.rule
ERROR = Severity.ERROR

BASIS_WEIGHTS = "Thai Customs e-Customs data-entry rules (e-Import manual), weights"


def _tax_id_reason(value: str) -> str | None:
    number = tin.compact(value)  # python-stdnum also turns full-width digits into 0-9
    if not (value.isascii() and len(number) == 13 and number.isdigit()):
        return "a Thai tax ID has 13 digits 0-9"
    # A company number (MOA) starts with 0, a personal number (PIN) never does.
    module = moa if number.startswith("0") else pin
    try:
        module.validate(number)
    except ValidationError as err:
        if type(err).__name__ == "InvalidChecksum":
            return "the check digit (13th digit) does not match"
        return "a personal number (PIN) cannot start with 9"
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
        "Tax ID",
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
    yield "total gross weight", doc.total_gross_mass
    yield "total net weight", doc.total_net_mass
    for item in doc.items:
        n = item.sequence.text or "?"
        yield f"gross weight of item {n}", item.gross_mass
        yield f"net weight of item {n}", item.net_mass


@rule(
    code="TH002",
    name="weight-unit-not-allowed",
    severity=ERROR,
    doctypes=("acdd",),
    role="exporter",
    basis=BASIS_WEIGHTS + ": weight units are limited to KGM, TNE, GRM and CTM "
    "(UN/ECE Rec 20); tariff quantities are not weights and keep their own units",
)
def weight_unit_not_allowed(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A gross or net weight of an ACDD from Thailand uses a unit other than KGM, TNE, GRM, CTM.

    Units that are not Recommendation 20 codes at all are AC010's.

    Fails: on an ACDD from TH,
    ``<acdd:TotalGrossMassMeasure unitCode="LBR">56000</acdd:TotalGrossMassMeasure>``
    Passes: ``<acdd:TotalGrossMassMeasure unitCode="KGM">25400</acdd:TotalGrossMassMeasure>``
    """
    for what, measure in _weights(doc):
        unit = measure.unit
        if unit.usable and unit.text not in WEIGHT_UNITS and units.unit(unit.text) is not None:
            yield problem(
                "The {what} is in {value!r}; Thai e-Customs takes weights in KGM, TNE, GRM or CTM",
                unit,
                what=what,
                expected="KGM, TNE, GRM or CTM",
            )


def _kg(measure: Measure) -> Decimal | None:
    amount = as_decimal(measure.amount)
    factor = WEIGHT_UNITS.get(measure.unit.text)
    if amount is None or factor is None:
        return None
    return amount * factor


_MILLI = Decimal("0.001")


@rule(
    code="TH003",
    name="total-net-weight-mismatch",
    severity=ERROR,
    doctypes=("acdd",),
    role="exporter",
    basis=BASIS_WEIGHTS + ": the total net weight equals the sum of the items' net weights",
)
def total_net_weight_mismatch(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The total net weight of an ACDD from Thailand is not the sum of the items' net weights.

    Compared in kilograms after rounding both to 3 decimals; checked only when the total and
    every item's net weight are given in units TH002 accepts.

    Fails: on an ACDD from TH,
    ``<acdd:TotalNetMassMeasure unitCode="KGM">25000</acdd:TotalNetMassMeasure>`` and items
    ``<acdd:NetNetWeightMeasure unitCode="KGM">20000</acdd:NetNetWeightMeasure>`` and
    ``<acdd:NetNetWeightMeasure unitCode="KGM">4000</acdd:NetNetWeightMeasure>``
    Passes: ``<acdd:TotalNetMassMeasure unitCode="TNE">25</acdd:TotalNetMassMeasure>`` and items
    ``<acdd:NetNetWeightMeasure unitCode="KGM">20000</acdd:NetNetWeightMeasure>`` and
    ``<acdd:NetNetWeightMeasure unitCode="KGM">5000</acdd:NetNetWeightMeasure>``
    """
    total = _kg(doc.total_net_mass)
    items = [_kg(item.net_mass) for item in doc.items]
    if total is None or not items or any(w is None for w in items):
        return
    summed = sum((w for w in items if w is not None), Decimal(0))
    if total.quantize(_MILLI) != summed.quantize(_MILLI):
        yield problem(
            "Total net weight {value} {unit} is {total_kg} kg; the items' net weights add up"
            " to {sum_kg} kg",
            doc.total_net_mass.amount,
            unit=doc.total_net_mass.unit.text,
            total_kg=f"{total.normalize():f}",
            sum_kg=f"{summed.normalize():f}",
            expected=f"{summed.normalize():f} kg",
        )


@rule(
    code="TH004",
    name="gross-weight-below-net",
    severity=ERROR,
    doctypes=("acdd",),
    role="exporter",
    basis=BASIS_WEIGHTS + ": the total gross weight is at least the total net weight",
)
def gross_weight_below_net(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A gross weight of an ACDD from Thailand is less than its net weight (total or item).

    Fails: on an ACDD from TH,
    ``<acdd:TotalGrossMassMeasure unitCode="KGM">24000</acdd:TotalGrossMassMeasure>
    <acdd:TotalNetMassMeasure unitCode="KGM">25000</acdd:TotalNetMassMeasure>``
    Passes: ``<acdd:TotalGrossMassMeasure unitCode="TNE">25.4</acdd:TotalGrossMassMeasure>
    <acdd:TotalNetMassMeasure unitCode="KGM">25000</acdd:TotalNetMassMeasure>``
    """
    pairs = [("total", doc.total_gross_mass, doc.total_net_mass)]
    pairs += [(f"item {i.sequence.text or '?'}", i.gross_mass, i.net_mass) for i in doc.items]
    for what, gross, net in pairs:
        g, n = _kg(gross), _kg(net)
        if g is not None and n is not None and g < n:
            yield problem(
                "The {what} gross weight {value} {unit} is less than the net weight"
                " {net} {net_unit}",
                gross.amount,
                what=what,
                unit=gross.unit.text,
                net=net.amount.text,
                net_unit=net.unit.text,
                expected="a gross weight at least the net weight",
            )
