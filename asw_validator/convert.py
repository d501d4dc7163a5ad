"""WCO Data Model export declaration -> ACDD (``asw-validator convert --to acdd``).

The declaration is read by the WCO binder into the ACDD model and judged by the ACDD rules
(its readiness); only a ready declaration is written. The document written is checked again
with the ACDD schema and rules before anyone sees it: a value the WCO side cannot judge (an
identifier longer than the ACDD allows) refuses the conversion rather than leave an invalid
ACDD behind.

What is written is asw-validator's own, unofficial ``urn:asw-validator:acdd:1.0`` document:
the 15 ACDD items and what the ACDD rules read, not a message to send to the ASW as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from .__about__ import __version__
from .binding.acdd import NAMESPACE as ACDD
from .binding.acdd import AcddDeclaration, Measure, Party
from .binding.base import Located
from .binding.wco import ITEMS, SETTABLE
from .model import DocumentResult, Finding, Severity

if TYPE_CHECKING:
    from .engine import Source, Validator

#: The document type ``convert --to acdd`` reads.
SOURCE_DOCTYPE = "wco-declaration"
_NAMES = {item.letter: item.name for item in ITEMS}
# characters XML 1.0 cannot carry, and a value must not bring in
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ConversionError(ValueError):
    """The input cannot be converted at all (not a WCO export declaration, a bad --set):
    a usage error, distinct from a declaration that is not ready (``Conversion.ready``)."""


@dataclass(frozen=True)
class Conversion:
    """The outcome of one conversion.

    ``result`` is the declaration's validation, with the supplied values read in and its
    readiness; ``xml`` the ACDD (None when not written); ``output_findings`` what the ACDD
    check of the written document found (errors there refuse it too).
    """

    result: DocumentResult
    xml: bytes | None
    supplied: Mapping[str, str] = field(default_factory=dict)
    output_findings: tuple[Finding, ...] = ()

    @property
    def ready(self) -> bool:
        return self.xml is not None


def parse_assignments(values: Iterable[str]) -> dict[str, str]:
    """``["m=THLCH", "g=2025-03-12"]`` -> ``{"m": "THLCH", "g": "2025-03-12"}``.

    Only declaration-level items can be supplied (``SETTABLE``); an item of a goods item (h to
    k, n) must be right in the declaration itself.
    """
    out: dict[str, str] = {}
    for raw in values:
        letter, sep, value = raw.partition("=")
        letter = letter.strip().lower()
        if not sep or not letter:
            raise ConversionError(f"--set {raw!r}: write ITEM=VALUE, e.g. m=THLCH")
        if letter not in SETTABLE:
            per_item = letter in {"h", "i", "j", "k", "n"}
            raise ConversionError(
                f"--set {raw!r}: "
                + (
                    f"item ({letter}) belongs to each goods item; correct the declaration"
                    if per_item
                    else f"{letter!r} is not an ACDD item that can be supplied"
                )
                + f" (can be supplied: {', '.join(sorted(SETTABLE))})"
            )
        value = value.strip()
        if not value or _NOT_XML.search(value) or len(value) > 512:
            raise ConversionError(
                f"--set {raw!r}: the value must be 1 to 512 characters XML can carry"
            )
        if letter == "g":
            value = _departure_date(raw, value)
        if letter in out and out[letter] != value:
            raise ConversionError(f"--set: item ({letter}) is given twice")
        out[letter] = value
    return out


def _departure_date(raw: str, value: str) -> str:
    """Item (g) as an ISO date: ``2025-03-12`` or ``20250312`` (the WCO's CCYYMMDD), a real
    day of the years the rules read."""
    import datetime as dt

    from .binding.base import DATE_YEARS

    digits = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    iso = f"{digits[1]}-{digits[2]}-{digits[3]}" if digits else value
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        day = None
    if day is None or day.year not in DATE_YEARS or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        raise ConversionError(
            f"--set {raw!r}: item (g), the departure date, must be a calendar date written"
            " YYYY-MM-DD or YYYYMMDD (years 1900-2099)"
        )
    return iso


def convert_to_acdd(
    source: Source,
    *,
    validator: Validator | None = None,
    path: str | None = None,
    supplied: Mapping[str, str] | None = None,
) -> Conversion:
    """Read a WCO DM export declaration and, when it is ACDD-ready, write its ACDD.

    Raises ``ConversionError`` when the input is another document type (an ACDD already, an
    e-Form D). A WCO document that is not an export declaration (``DOC007``) and a
    declaration that is not ready come back with ``ready`` False and their findings.
    """
    from .engine import Validator

    validator = validator or Validator()
    supplied = dict(supplied or {})
    result, model = validator.validate_with_model(source, path=path, supplied=supplied)
    if result.doctype not in (None, SOURCE_DOCTYPE):
        raise ConversionError(
            f"{result.path} is {_a(result.doctype)} document, not a WCO Data Model export"
            " declaration: convert --to acdd reads WCO declarations (DEC-DMS:2)"
        )
    if not result.is_valid or not isinstance(model, AcddDeclaration):
        return Conversion(result, None, supplied)
    xml = write_acdd(model, result=result, supplied=supplied)
    check = validator.validate(xml, path=f"ACDD made from {result.path}")
    errors = tuple(f for f in check.findings if f.severity is Severity.ERROR)
    if errors:  # never leave an invalid ACDD behind
        return Conversion(result, None, supplied, errors)
    return Conversion(result, xml, supplied, check.findings)


def _a(doctype: str | None) -> str:
    return f"{'an' if (doctype or 'x')[0] in 'aeiou' else 'a'} {doctype}"


# ----- writing -----


def _q(local: str) -> str:
    return f"{{{ACDD}}}{local}"


def _leaf(parent: etree._Element, local: str, loc: Located) -> etree._Element | None:
    """``<local>`` with the value, when the declaration (or the user) gave one."""
    if loc.blank:
        return None
    el = etree.SubElement(parent, _q(local))
    el.text = loc.text
    return el


def _measure(parent: etree._Element, local: str, m: Measure) -> None:
    el = _leaf(parent, local, m.amount)
    if el is not None and not m.unit.blank:
        el.set("unitCode", m.unit.text)


def _any(*locs: Located) -> bool:
    return any(not loc.blank for loc in locs)


def _party(parent: etree._Element, local: str, p: Party) -> None:
    if not _any(p.name, p.id, p.address_line, p.city, p.subdivision, p.postcode, p.country):
        return
    el = etree.SubElement(parent, _q(local))
    _leaf(el, "Name", p.name)
    _leaf(el, "ID", p.id)
    if _any(p.address_line, p.city, p.subdivision, p.postcode, p.country):
        address = etree.SubElement(el, _q("Address"))
        _leaf(address, "Line", p.address_line)
        _leaf(address, "CityName", p.city)
        _leaf(address, "CountrySubDivisionName", p.subdivision)
        _leaf(address, "PostcodeID", p.postcode)
        _leaf(address, "CountryCode", p.country)


def _comment_text(text: str) -> str:
    """Text an XML comment can hold: no ``--``, not ending in ``-``."""
    text = _NOT_XML.sub("?", text)
    while "--" in text:
        text = text.replace("--", "- -")
    return text + " " if text.endswith("-") else text


def _header(result: DocumentResult, supplied: Mapping[str, str]) -> str:
    version = result.doctype_version or "3.x"
    lines = [
        f"ACDD written by asw-validator {__version__} (convert to acdd) from",
        f"{result.path}, a WCO Data Model {version} export declaration"
        + (f" (SHA-256 {result.sha256})." if result.sha256 else "."),
        "This is asw-validator's own, UNOFFICIAL urn:asw-validator:acdd:1.0 document: the 15",
        "ACDD items and what its rules read, checked with its schema and rules. It is not the",
        "ASEAN ACDD message and not a message to send to the ASW as it is.",
    ]
    if supplied:
        lines.append("Values supplied by the user, not read from the declaration:")
        lines.extend(
            f"  ({letter}) {_NAMES[letter]}: {supplied[letter]}" for letter in sorted(supplied)
        )
    else:
        lines.append("Every value was read from the declaration.")
    fallbacks = [f for f in result.findings if f.code == "WCO005"]
    if fallbacks:
        lines.append("Read from a second source:")
        lines.extend(f"  {f.message}" for f in fallbacks)
    return "\n" + "\n".join("  " + _comment_text(line) for line in lines) + "\n"


def write_acdd(
    model: AcddDeclaration,
    *,
    result: DocumentResult,
    supplied: Mapping[str, str] | None = None,
) -> bytes:
    """The ACDD document for ``model``, in the element order of ``schemas/acdd/1.0``, with a
    comment saying where it comes from and which values the user supplied."""
    root = etree.Element(_q("Declaration"), nsmap={"acdd": ACDD})
    _leaf(root, "FunctionCode", model.function_code)
    _leaf(root, "NationalTypeCode", model.national_type_code)
    _leaf(root, "ID", model.id)
    _leaf(root, "IssueDateTime", model.issue_date)
    _measure(root, "TotalGrossMassMeasure", model.total_gross_mass)
    _measure(root, "TotalNetMassMeasure", model.total_net_mass)
    invoice = _leaf(root, "InvoiceAmount", model.invoice_amount)
    if invoice is not None and not model.invoice_currency.blank:
        invoice.set("currencyID", model.invoice_currency.text)
    _party(root, "Declarant", model.declarant)
    _party(root, "Exporter", model.exporter)
    shipment = etree.SubElement(root, _q("GoodsShipment"))
    countries = (("ExportCountry", model.export_country), ("ImportCountry", model.import_country))
    for local, loc in countries:
        etree.SubElement(etree.SubElement(shipment, _q(local)), _q("ID")).text = loc.text
    _party(shipment, "Consignee", model.consignee)
    if _any(
        model.departure_date,
        model.transport_mode,
        model.loading_location,
        model.unloading_location,
    ):
        consignment = etree.SubElement(shipment, _q("Consignment"))
        _leaf(consignment, "DepartureDateTime", model.departure_date)
        if not model.transport_mode.blank:
            means = etree.SubElement(consignment, _q("BorderTransportMeans"))
            _leaf(means, "ModeCode", model.transport_mode)
        for local, loc in (
            ("LoadingLocation", model.loading_location),
            ("UnloadingLocation", model.unloading_location),
        ):
            if not loc.blank:
                _leaf(etree.SubElement(consignment, _q(local)), "ID", loc)
    for item in model.items:
        el = etree.SubElement(shipment, _q("GovernmentAgencyGoodsItem"))
        _leaf(el, "SequenceNumeric", item.sequence)
        if _any(item.description, item.hs_code):
            commodity = etree.SubElement(el, _q("Commodity"))
            _leaf(commodity, "Description", item.description)
            if not item.hs_code.blank:
                _leaf(etree.SubElement(commodity, _q("Classification")), "ID", item.hs_code)
        if _any(item.gross_mass.amount, item.net_mass.amount, item.quantity.amount):
            measure = etree.SubElement(el, _q("GoodsMeasure"))
            _measure(measure, "GrossMassMeasure", item.gross_mass)
            _measure(measure, "NetNetWeightMeasure", item.net_mass)
            _measure(measure, "TariffQuantity", item.quantity)
        if not item.origin.blank:
            _leaf(etree.SubElement(el, _q("Origin")), "CountryCode", item.origin)
    root.addprevious(etree.Comment(_header(result, supplied or {})))
    body: bytes = etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return body


def summary(conversion: Conversion) -> dict[str, Any]:
    """What a caller reports of a conversion (the CLI's last line, a service's answer)."""
    readiness = conversion.result.readiness or {}
    return {
        "ready": conversion.ready,
        "readiness": readiness.get("summary"),
        "supplied": dict(conversion.supplied),
    }
