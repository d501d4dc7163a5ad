"""A second binder for the ACDD model: WCO Data Model 3.x export declarations.

A national single window's export declarations mostly follow the WCO Data Model 3.x
(``Declaration`` in ``urn:wco:datamodel:WCO:DEC-DMS:2``, bare or in the ``MetaData`` wrapper of
``urn:wco:datamodel:WCO:DocumentMetaData-DMS:2``). This binder reads one into the same
``AcddDeclaration`` the ACDD binder builds, so the ACDD rules, the country packs and
third-party packs run on it unchanged, and ``convert --to acdd`` can write the ACDD.

The element paths (``ITEMS`` and ``bind``) were checked against the HMRC WCO DM 3.6
implementation (WCO_DEC_2_DMS.xsd 2.15, DocumentMetaData_2_DMS.xsd 2.1 and their annotated
samples) and the Brazilian and Canadian ones (research notes of 2026-11). National elements
the mapping does not use are no findings: there is no XSD layer for WCO input.

Where the WCO data differ in form from the ACDD's, the binder reads them into the ACDD's form
and says so here: ``DateTimeString`` in EDIFACT 2379 format 102 (CCYYMMDD) or 304
(CCYYMMDDHHMMSS with a zone) becomes an ISO date; a two-digit Rec 19 mode (``01``) becomes one
digit; a mass without ``unitCode`` is in kilograms (the WCO DM and HMRC convention).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from ..doctypes import Opened
from ..i18n import N_, T
from ..model import Finding, Severity
from ..xpath import Locator, local_name, register_prefix
from .acdd import AcddDeclaration, GoodsItem, Measure, Party, read_party
from .base import Binding, BoundDocument, Located, Node, as_date

NAMESPACE = "urn:wco:datamodel:WCO:DEC-DMS:2"
METADATA = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
RESPONSE = "urn:wco:datamodel:WCO:RES-DMS:2"
DS = "urn:wco:datamodel:WCO:Declaration_DS:DMS:2"
for _ns, _prefix in ((METADATA, "md"), (RESPONSE, "wcores"), (DS, "wcods")):
    register_prefix(_ns, _prefix)

#: FunctionCode of an original declaration, and what some other UN/EDIFACT 1225 message
#: function codes mean (13, a request, is how HMRC's CDS asks to cancel: DOC007).
ORIGINAL = "9"
FUNCTION_CODES = {
    "1": T("cancellation"),
    "4": T("change"),
    "5": T("replace"),
    "6": T("confirmation"),
    "14": T("advance notification"),
}
#: Data Model versions this mapping was checked against (MetaData/WCODataModelVersionCode).
CHECKED_VERSIONS = frozenset({"3.6"})
#: Classification/IdentificationTypeCode values that name a tariff (HS-based) scheme: UN/CEFACT
#: 7143 ``HS`` (Harmonised System) and ``SRZ`` (harmonised tariff schedule), and the Combined
#: Nomenclature ``TSP`` HMRC uses; a Classification without a type code is taken too (Canada).
TARIFF_SCHEMES = frozenset({"HS", "SRZ", "TSP"})

BASIS_WCO = (
    "WCO Data Model 3.x export declaration (DEC-DMS:2) read as an ACDD (the ACDD MIG v1.08 is "
    "aligned with the WCO Data Model)"
)


@dataclass(frozen=True)
class Item:
    """One of the 15 ACDD items (or a datum every ACDD needs) and where a WCO declaration
    carries it, relative to ``Declaration`` (``*`` marks a repeated goods item)."""

    letter: str
    name: str
    path: str


#: The mapping, one place: the binder reads these paths, findings are annotated from them, the
#: README shows them.
ITEMS: tuple[Item, ...] = (
    Item("a", "Exporter Identifier", "Exporter/ID"),
    Item("b", "Exporter Company Name", "Exporter/Name"),
    Item("c", "Consignee Company Name", "GoodsShipment/Consignee/Name"),
    Item("d", "Consignee Company Address", "GoodsShipment/Consignee/Address"),
    Item("e", "Declaring Agent Identifier", "Declarant/ID"),
    Item("f", "Declaring Agent Name", "Declarant/Name"),
    Item("g", "Departure Date", "GoodsShipment/ExitDateTime"),
    Item("h", "Item HS Code", "GoodsShipment/GovernmentAgencyGoodsItem*/Commodity/Classification"),
    Item(
        "i",
        "Item HS Quantity",
        "GoodsShipment/GovernmentAgencyGoodsItem*/Commodity/GoodsMeasure/TariffQuantity",
    ),
    Item(
        "j",
        "Item HS Quantity Unit of Measure",
        "GoodsShipment/GovernmentAgencyGoodsItem*/Commodity/GoodsMeasure/TariffQuantity/@unitCode",
    ),
    Item("k", "Item Country of Origin", "GoodsShipment/GovernmentAgencyGoodsItem*/Origin"),
    Item("l", "Outward Transport Mode", "BorderTransportMeans/ModeCode"),
    Item("m", "Port of Discharge", "GoodsShipment/Consignment/UnloadingLocation/ID"),
    Item("n", "Serial Number of Item", "GoodsShipment/GovernmentAgencyGoodsItem*/SequenceNumeric"),
    Item("o", "Export Declaration Number", "ID"),
)
#: Items with several possible sources, in the order they are read.
FALLBACKS = {
    "e": ("Declarant", "Agent"),
    "f": ("Declarant/Name", "Agent/Name"),  # the Agent's name for the Declarant's ID
    "l": (
        "BorderTransportMeans/ModeCode",
        "GoodsShipment/Consignment/DepartureTransportMeans/ModeCode",
    ),
    "o": ("ID", "FunctionalReferenceID"),
    # not items, but every ACDD names them: Canada's CAD writes ExportCountry/CountryCode,
    # and a country may be given only on the goods item (HMRC's PTR allows both levels)
    "exporting country": (
        "GoodsShipment/ExportCountry/ID",
        "GoodsShipment/ExportCountry/CountryCode",
        "GoodsShipment/GovernmentAgencyGoodsItem/ExportCountry/ID",
    ),
    "importing country": (
        "GoodsShipment/Destination/CountryCode",
        "GoodsShipment/GovernmentAgencyGoodsItem/Destination/CountryCode",
    ),
}


def _tag(local: str) -> str:
    return f"{{{NAMESPACE}}}{local}"


def _c(node: Node, *path: str) -> Node:
    for local in path:
        node = node.child(local, NAMESPACE)
    return node


def _first_present(*nodes: Node) -> Node:
    """The first of ``nodes`` that exists (else the first: where it would be)."""
    return next((n for n in nodes if n.present), nodes[0])


#: The data of ``FALLBACKS`` that are not ACDD items, as WCO005 names them.
_DATA = {
    "exporting country": T("The exporting country"),
    "importing country": T("The importing country"),
}


def _fallback(key: str, nodes: tuple[Node, ...], problems: list[Finding]) -> Node:
    """Item ``key`` (a letter, or a datum such as "exporting country") read from its first
    source that exists; when that is not the first, a ``WCO005`` information says which was
    read."""
    found = _first_present(*nodes)
    if found is not nodes[0] and found.present:
        sources = FALLBACKS[key]
        used = sources[nodes.index(found)]
        what = T("ACDD item ({letter})", letter=key) if len(key) == 1 else _DATA[key]
        problems.append(
            _finding(
                "WCO005",
                "wco-fallback-read",
                Severity.INFO,
                N_("{what} is read from {used}: the declaration has no {missing}"),
                {"what": what, "used": used, "missing": sources[0]},
                found.leaf(),
            )
        )
    return found


def _local_child(node: Node, local: str) -> Node:
    """The first child named ``local`` in any namespace (``DateTimeString`` sits in the DS
    namespace in HMRC's messages and in none or the main one elsewhere)."""
    if node.elem is not None:
        for child in node.elem.iterchildren():
            if local_name(child.tag) == local:
                return Node.at(child, node.binding.locator.path(child), node.binding)
    return node.child(local, NAMESPACE)


_EDIFACT_DATE = {
    "102": re.compile(r"(\d{4})(\d{2})(\d{2})"),
    "304": re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}(?::?\d{2})?)?"),
}


def _zone(zone: str | None) -> str:
    """An EDIFACT zone (``+07``, ``+0700``, ``Z``) as an xs:dateTime one (``+07:00``)."""
    if not zone or zone == "Z":
        return zone or ""
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"


def _date(node: Node, problems: list[Finding]) -> Located:
    """A WCO date element read as an ISO date: its ``DateTimeString`` (EDIFACT 102 or 304 by
    ``formatCode``), or ISO text. Unreadable: a ``WCO003`` finding, the leaf left unusable."""
    string = _local_child(node, "DateTimeString")
    loc = string.leaf() if string.present else node.leaf()
    if loc.blank:
        return loc
    text = loc.text
    fmt = (string.attr("formatCode").text if string.present else "") or (
        "102" if re.fullmatch(r"\d{8}", text) else "304" if re.fullmatch(r"\d{14}.*", text) else ""
    )
    pattern = _EDIFACT_DATE.get(fmt)
    m = pattern.fullmatch(text) if pattern is not None else None
    if m is not None:
        iso = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        if fmt == "304":  # the time and zone are kept: the ACDD takes an xs:dateTime
            iso += f"T{m.group(4)}:{m.group(5)}:{m.group(6)}{_zone(m.group(7))}"
        day = as_date(loc.with_value(iso))
        if day is not None:
            return loc.with_value(iso)
    elif as_date(loc) is not None:
        return loc
    problems.append(
        _finding(
            "WCO003",
            "wco-date-unreadable",
            Severity.ERROR,
            N_(
                "The date {date!r} (format {format}) cannot be read: EDIFACT 2379 102"
                " (CCYYMMDD) or 304 (CCYYMMDDHHMMSS and a zone), or an ISO date, is expected"
            ),
            {"date": text, "format": fmt or T("not stated")},
            loc,
        )
    )
    return loc.with_value(loc.value, unusable=True)


def _mass(node: Node) -> Measure:
    amount, unit = node.number(), node.attr("unitCode")
    if amount.present and not unit.present:  # a WCO mass without unit is in kilograms
        unit = unit.with_value("KGM")
    return Measure(amount, unit)


def _mode(node: Node) -> Located:
    return _mode_value(node.leaf())


def _mode_value(loc: Located) -> Located:
    if loc.usable and re.fullmatch(r"0[0-9]", loc.text):  # Canada's "01": Rec 19 one digit
        return loc.with_value(loc.text[1])
    return loc


def _party(node: Node) -> Party:
    return read_party(node, NAMESPACE)


def _declarant(root: Node, problems: list[Finding]) -> Party:
    """Items (e) and (f): the ``Declarant``, else the ``Agent``; and where the Declarant gives
    only its ID and the Agent has the same ID (HMRC's shape: the agent lodging for the
    trader), the name is the Agent's (said by ``WCO005``)."""
    declarant = _party(_fallback("e", (_c(root, "Declarant"), _c(root, "Agent")), problems))
    if not declarant.name.blank or declarant.id.blank:
        return declarant
    agent = _party(_c(root, "Agent"))
    if agent.name.blank or agent.id.text != declarant.id.text:
        return declarant
    problems.append(
        _finding(
            "WCO005",
            "wco-fallback-read",
            Severity.INFO,
            N_(
                "ACDD item (f) is read from Agent/Name: the Declarant gives only its ID, which is"
                " the Agent's"
            ),
            {},
            agent.name,
        )
    )
    return replace(declarant, name=agent.name)


def _classification(commodity: Node) -> Node:
    """The Classification that names the tariff scheme (HS, SRZ, TSP, or no type code)."""
    found = list(commodity.children("Classification", NAMESPACE))
    for c in found:
        scheme = _c(c, "IdentificationTypeCode").leaf()
        if scheme.blank or scheme.text.upper() in TARIFF_SCHEMES:
            return c
    return found[0] if found else _c(commodity, "Classification")


def _origin(item: Node) -> Node:
    """The item's origin, non-preferential (TypeCode 1) or untyped first."""
    found = list(item.children("Origin", NAMESPACE))
    for o in found:
        if _c(o, "TypeCode").leaf().text in ("", "1"):
            return o
    return found[0] if found else _c(item, "Origin")


def _items(shipment: Node) -> Iterator[GoodsItem]:
    for node in shipment.children("GovernmentAgencyGoodsItem", NAMESPACE):
        commodity = _c(node, "Commodity")
        measure = _c(commodity, "GoodsMeasure")
        quantity = _c(measure, "TariffQuantity")
        yield GoodsItem(
            node=node.leaf(),
            sequence=_c(node, "SequenceNumeric").integer(),
            description=_c(commodity, "Description").leaf(),
            hs_code=_c(_classification(commodity), "ID").leaf(),
            gross_mass=_mass(_c(measure, "GrossMassMeasure")),
            net_mass=_mass(_c(measure, "NetNetWeightMeasure")),
            quantity=Measure(quantity.number(), quantity.attr("unitCode")),
            origin=_c(_origin(node), "CountryCode").leaf(),
        )


@dataclass(frozen=True)
class Wrapper:
    """What a ``MetaData`` wrapper says of the document it carries."""

    version: Located
    type_name: Located
    country: Located


def _finding(
    code: str,
    rule: str,
    severity: Severity,
    template: str,
    params: dict[str, Any],
    at: Located,
) -> Finding:
    return Finding.worded(
        code,
        severity,
        template,
        params,
        xpath=at.xpath,
        line=at.line,
        value=at.value,
        rule=rule,
        basis=BASIS_WCO,
    )


def bind(root: Node) -> BoundDocument[AcddDeclaration]:
    """Bind a WCO DM export declaration (``root``: the ``Declaration`` element) to the ACDD
    model; its wrapper, if any, was opened by ``open_wco``.

    What every ACDD needs besides the 15 items (its schema requires a function code, an issue
    date and both countries) is ``WCO004`` when the declaration lacks it: there is no ACDD to
    write, and no XSD layer to say so."""
    problems = root.binding.findings
    wrapper: Wrapper | None = root.binding.context.get("wco-metadata")
    version = wrapper.version if wrapper is not None else None
    checked = ", ".join(sorted(CHECKED_VERSIONS))
    if version is not None and version.present and version_of(version.text) not in CHECKED_VERSIONS:
        problems.append(
            _finding(
                "WCO001",
                "wco-version-unchecked",
                Severity.WARNING,
                (
                    N_(
                        "The declaration follows WCO Data Model {version}; this mapping was"
                        " checked against {checked}: paths may differ"
                    )
                    if not version.blank
                    else N_(
                        "The MetaData wrapper names no WCO Data Model version; this mapping was"
                        " checked against {checked}: paths may differ"
                    )
                ),
                {"version": version_of(version.text), "checked": checked},
                version,
            )
        )
    type_code = _c(root, "TypeCode").leaf()
    if not is_export_type(type_code.text):
        problems.append(
            _finding(
                "WCO002",
                "wco-type-not-export",
                Severity.WARNING,
                (
                    N_(
                        "The declaration's TypeCode {code!r} does not say export (EX..., or"
                        " 830); it is read as an export declaration"
                    )
                    if type_code.usable
                    else N_("The declaration has no TypeCode; it is read as an export declaration")
                ),
                {"code": type_code.text},
                type_code,
            )
        )
    function = _c(root, "FunctionCode").leaf()
    if function.usable and function.text != ORIGINAL:
        meaning = FUNCTION_CODES.get(function.text)
        problems.append(
            _finding(
                "WCO007",
                "wco-function-not-original",
                Severity.WARNING,
                (
                    N_(
                        "The declaration's FunctionCode {code!r} ({meaning}, UN/EDIFACT 1225) is"
                        " not 9 (original): an ACDD is made from the original declaration; it is"
                        " read as one"
                    )
                    if meaning
                    else N_(
                        "The declaration's FunctionCode {code!r} is not 9 (original): an ACDD is"
                        " made from the original declaration; it is read as one"
                    )
                ),
                {"code": function.text, "meaning": meaning},
                function,
            )
        )
    issue_date = _date(_c(root, "IssueDateTime"), problems)
    shipment = _c(root, "GoodsShipment")
    consignment = _c(shipment, "Consignment")
    first_item = next(
        iter(shipment.children("GovernmentAgencyGoodsItem", NAMESPACE)),
        _c(shipment, "GovernmentAgencyGoodsItem"),
    )
    export_country = _fallback(
        "exporting country",
        (
            _c(shipment, "ExportCountry", "ID"),
            _c(shipment, "ExportCountry", "CountryCode"),
            _c(first_item, "ExportCountry", "ID"),
        ),
        problems,
    ).leaf()
    import_country = _fallback(
        "importing country",
        (_c(shipment, "Destination", "CountryCode"), _c(first_item, "Destination", "CountryCode")),
        problems,
    ).leaf()
    why_date = T("an ACDD cannot be made without it")
    why_country = T("an ACDD names the exporting and the importing member")
    required = (
        (T("FunctionCode (message function)"), why_date, _c(root, "FunctionCode").leaf()),
        (T("IssueDateTime (issue date)"), why_date, issue_date),
        ("GoodsShipment/ExportCountry/ID", why_country, export_country),
        ("GoodsShipment/Destination/CountryCode", why_country, import_country),
    )
    for what, why, loc in required:
        if loc.blank:
            problems.append(
                _finding(
                    "WCO004",
                    "wco-required-missing",
                    Severity.ERROR,
                    N_("The declaration has no {what}: {why}"),
                    {"what": what, "why": why},
                    loc,
                )
            )
    invoice = _c(root, "InvoiceAmount")
    declarant = _declarant(root, problems)
    decl = AcddDeclaration(
        root=root.leaf(),
        function_code=_c(root, "FunctionCode").leaf(),
        # TypeCode is the WCO document type (EX + A-Z), not a national declaration type
        # (VNACCS B11): no national type is read, so none is judged or written
        national_type_code=_c(root, "NationalTypeCode").leaf(),
        id=_fallback("o", (_c(root, "ID"), _c(root, "FunctionalReferenceID")), problems).leaf(),
        issue_date=issue_date,
        total_gross_mass=_mass(_c(root, "TotalGrossMassMeasure")),
        total_net_mass=_mass(_c(root, "TotalNetMassMeasure")),
        invoice_amount=invoice.number(),
        invoice_currency=invoice.attr("currencyID"),
        declarant=declarant,
        exporter=_party(_c(root, "Exporter")),
        export_country=export_country,
        import_country=import_country,
        consignee=_party(_c(shipment, "Consignee")),
        departure_date=_date(_c(shipment, "ExitDateTime"), problems),
        transport_mode=_mode(
            _fallback(
                "l",
                (
                    _c(root, "BorderTransportMeans", "ModeCode"),
                    _c(consignment, "DepartureTransportMeans", "ModeCode"),
                ),
                problems,
            )
        ),
        loading_location=_c(consignment, "LoadingLocation", "ID").leaf(),
        unloading_location=_c(consignment, "UnloadingLocation", "ID").leaf(),
        goods_shipment=shipment.leaf(),
        items=tuple(_items(shipment)),
    )
    supplied: dict[str, str] = root.binding.context.get("supplied", {})
    if supplied:
        decl = _supply(decl, supplied, problems)
    return BoundDocument(
        model=decl,
        export_country=export_country.text if export_country.usable else None,
        import_country=import_country.text if import_country.usable else None,
        effective_date=as_date(issue_date),
        issuer_country=export_country.text if export_country.usable else None,
    )


# ----- values the user supplies (convert --set ITEM=VALUE) -----

#: The ACDD items a user may supply for a whole declaration, and the model field each fills
#: (items of a goods item, h to k and n, are fixed in the declaration itself).
SETTABLE: dict[str, tuple[str, ...]] = {
    "a": ("exporter", "id"),
    "b": ("exporter", "name"),
    "c": ("consignee", "name"),
    "d": ("consignee", "address_line"),
    "e": ("declarant", "id"),
    "f": ("declarant", "name"),
    "g": ("departure_date",),
    "l": ("transport_mode",),
    "m": ("unloading_location",),
    "o": ("id",),
}


def _supply(
    decl: AcddDeclaration, supplied: dict[str, str], problems: list[Finding]
) -> AcddDeclaration:
    """The model with the user's values in place of the declaration's, each said by a
    ``WCO006`` information at the element it stands for (the rules then judge the value)."""
    for letter in sorted(supplied):
        value = supplied[letter]
        field = SETTABLE[letter]
        owner: Any = decl if len(field) == 1 else getattr(decl, field[0])
        old: Located = getattr(owner, field[-1])
        new = old.with_value(value)
        if letter == "l":
            new = _mode_value(new)
        changes: dict[str, Any] = (
            {field[0]: new} if len(field) == 1 else {field[0]: replace(owner, **{field[1]: new})}
        )
        decl = replace(decl, **changes)
        problems.append(
            _finding(
                "WCO006",
                "wco-item-supplied",
                Severity.INFO,
                (
                    N_(
                        "ACDD item ({letter}) is the value supplied by the user, {supplied!r};"
                        " the declaration has {had!r}"
                    )
                    if not old.blank
                    else N_(
                        "ACDD item ({letter}) is the value supplied by the user, {supplied!r};"
                        " the declaration has none"
                    )
                ),
                {"letter": letter, "supplied": value, "had": old.text},
                old,
            )
        )
    return decl


# ----- the MetaData wrapper -----

#: What other WCO documents a MetaData wrapper may carry, by the root they have.
OTHER_DOCUMENTS = {f"{{{RESPONSE}}}Response": T("a WCO customs response (notification)")}


def is_export_type(type_code: str) -> bool:
    """An export declaration's TypeCode: the EU declaration type ``EX`` + A-Z (data element
    1/1, which HMRC's CDS uses as a user code), or UN/EDIFACT 1001 ``830`` (goods declaration
    for exportation), which the WCO DM's TypeCode (D013, "EDIFACT codes (1001) or user
    codes") allows."""
    code = type_code.strip().upper()
    return code.startswith("EX") or code == EXPORT_1001


#: UN/EDIFACT 1001 document names: 830 goods declaration for exportation; 929 for
#: importation, 930 for home use.
EXPORT_1001 = "830"
IMPORT_1001 = {
    "929": T("goods declaration for importation"),
    "930": T("goods declaration for home use"),
}
#: What a request (FunctionCode 13, UN/EDIFACT 1225) asks, by TypeCode (HMRC's CDS: INV
#: invalidation, i.e. cancellation; COR correction, i.e. amendment).
REQUESTS = {"INV": T("cancellation request"), "COR": T("amendment request")}


def describe(root: etree._Element) -> str | None:
    """What a WCO declaration is when it is not an export declaration (None: export, or
    not stated), for the DOC007 finding."""
    function = (root.findtext(_tag("FunctionCode")) or "").strip()
    type_code = (root.findtext(_tag("TypeCode")) or "").strip().upper()
    if type_code in REQUESTS:
        return T(
            "a WCO declaration {request} (TypeCode {code})",
            request=REQUESTS[type_code],
            code=type_code,
        )
    if function == "13":
        return T(
            "a WCO request (FunctionCode 13, UN/EDIFACT 1225), TypeCode {code}, not a declaration",
            code=type_code or T("none"),
        )
    if type_code.startswith("IM"):
        return T("a WCO import declaration (TypeCode {code})", code=type_code)
    if type_code in IMPORT_1001:
        return T(
            "a WCO import declaration (TypeCode {code}, {name})",
            code=type_code,
            name=IMPORT_1001[type_code],
        )
    return None


def open_wco(root: etree._Element, locator: Locator) -> Opened:
    """The export declaration a WCO root carries: the ``Declaration`` itself, or the one in a
    ``MetaData`` wrapper (whose version and type are kept for the binder). Another WCO document
    (a response, an import declaration, a cancellation) is ``DOC007``: nothing to check."""
    context: dict[str, Any] = {}
    declaration: etree._Element = root
    extra: list[Finding] = []
    if root.tag == f"{{{METADATA}}}MetaData":
        meta = Node.at(root, locator.root_path, Binding(locator))
        wrapper = Wrapper(
            version=meta.child("WCODataModelVersionCode", METADATA).leaf(),
            type_name=meta.child("WCOTypeName", METADATA).leaf(),
            country=meta.child("ResponsibleCountryCode", METADATA).leaf(),
        )
        context["wco-metadata"] = wrapper
        if wrapper.version.usable:  # reported as the document's version
            context["doctype_version"] = version_of(wrapper.version.text)
        carried = [
            c
            for c in root.iterchildren()
            if isinstance(c.tag, str) and not c.tag.startswith(f"{{{METADATA}}}")
        ]
        if len(carried) > 1:
            extra.append(_several(carried, locator))
        if not carried:
            return Opened(None, context, [_not_export(root, locator, None, context)])
        declaration = carried[0]
        if declaration.tag != _tag("Declaration"):
            what = OTHER_DOCUMENTS.get(str(declaration.tag)) or T(
                "a {element}", element=local_name(declaration.tag)
            )
            return Opened(None, context, [_not_export(declaration, locator, what, context), *extra])
    other = describe(declaration)
    if other is not None:
        return Opened(None, context, [_not_export(declaration, locator, other, context), *extra])
    return Opened(declaration, context, extra)


def version_of(text: str) -> str:
    """A Data Model version as the WCO writes it: ``3.6.0`` is ``3.6``."""
    text = text.strip()[:20]
    while re.fullmatch(r"\d+\.\d+(\.\d+)*\.0", text):
        text = text[:-2]
    return text


def _several(carried: list[etree._Element], locator: Locator) -> Finding:
    """``DOC008``: a MetaData wrapper carries one document; the others would go unread."""
    names = ", ".join(local_name(c.tag) for c in carried)
    second = carried[1]
    return Finding.worded(
        "DOC008",
        Severity.ERROR,
        N_(
            "The MetaData wrapper carries {n} documents ({names}); only the first is read, so"
            " the others are not checked: send one document per wrapper"
        ),
        {"n": len(carried), "names": names},
        xpath=str(locator.path(second)),
        line=second.sourceline,
        value=local_name(second.tag),
        rule="wco-metadata-several-documents",
        basis=BASIS_WCO + "; a MetaData wrapper carries one WCO document",
    )


def _not_export(
    at: etree._Element, locator: Locator, what: str | None, context: dict[str, Any]
) -> Finding:
    version = context.get("doctype_version")
    if what is None:
        said = (
            T(
                "The MetaData wrapper (WCO Data Model {version}) carries no document",
                version=version,
            )
            if version
            else T("The MetaData wrapper carries no document")
        )
    else:
        said = (
            T("The WCO document is {what} (WCO Data Model {version})", what=what, version=version)
            if version
            else T("The WCO document is {what}", what=what)
        )
    return Finding.worded(
        "DOC007",
        Severity.ERROR,
        N_(
            "{said}; this tool reads WCO export declarations only (as an ACDD), so nothing in"
            " it is checked or converted"
        ),
        {"said": said},
        xpath=str(locator.path(at)),
        line=at.sourceline,
        value=local_name(at.tag),
        rule="wco-document-not-export",
        basis=BASIS_WCO,
    )


# ----- annotating findings with the ACDD item, and the readiness verdict -----

_STEP = re.compile(r"^(?:[A-Za-z0-9_.-]+:)?([^\[]+)(?:\[[0-9]+\])?$")
_SOURCES: tuple[tuple[str, Item], ...] = tuple(
    sorted(
        (
            *((item.path.replace("*", ""), item) for item in ITEMS),
            *(
                (source, next(i for i in ITEMS if i.letter == letter))
                for letter, sources in FALLBACKS.items()
                if len(letter) == 1
                for source in sources
            ),
        ),
        key=lambda pair: -len(pair[0]),
    )
)
_NO_GOODS_ITEM = ("h", "i", "j", "k", "n")


def _relative(xpath: str) -> str | None:
    """A finding's XPath relative to the Declaration, without prefixes and indexes."""
    steps = xpath.split("/")
    for i, step in enumerate(steps):
        m = _STEP.match(step)
        if m and m.group(1) == "Declaration":
            rest = [_STEP.match(s) for s in steps[i + 1 :]]
            return "/".join(
                m2.group(1) if m2 else s for m2, s in zip(rest, steps[i + 1 :], strict=True)
            )
    return None


def annotate(finding: Finding) -> Finding:
    """The finding with the ACDD item it concerns and the WCO element it comes (or should come)
    from (optional report fields ``acdd_item`` and ``source``)."""
    if finding.xpath is None:
        return finding
    relative = _relative(finding.xpath)
    if relative is None:
        return finding
    if finding.code == "AC001" and relative.endswith("GovernmentAgencyGoodsItem"):
        return replace(finding, acdd_item=", ".join(_NO_GOODS_ITEM), source=relative)
    for path, item in _SOURCES:
        if relative == path or relative.startswith(path + "/"):
            return replace(finding, acdd_item=item.letter, source=relative)
    return replace(finding, source=relative or None)


def summarize(findings: list[Finding]) -> dict[str, Any]:
    """``ACDD-ready`` (no error) or ``not ACDD-ready: missing b, g, m; wrong h; ...``.

    ``missing``/``wrong`` are ACDD items (a-o); ``lacks`` the declaration's elements every
    ACDD needs besides them (``WCO004``: issue date, function, the two countries)."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    missing: set[str] = set()
    wrong: set[str] = set()
    lacks: list[str] = []
    other: set[str] = set()
    for f in errors:
        letters = [x for x in (f.acdd_item or "").split(", ") if x]
        if f.code == "WCO004" and f.source:
            lacks.append(f.source)
        elif f.code in ("AC001", "AC002") and letters:
            missing.update(letters)
        elif letters:
            wrong.update(letters)
        else:
            other.add(f"{f.code} at {f.source}" if f.source else f.code)
    wrong -= missing
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing)))
    if wrong:
        parts.append("wrong " + ", ".join(sorted(wrong)))
    if lacks:
        parts.append("no " + ", ".join(lacks))
    if other:
        parts.append("other errors " + ", ".join(sorted(other)))
    ready = not errors
    return {
        "ready": ready,
        "missing": sorted(missing),
        "wrong": sorted(wrong),
        "lacks": lacks,
        "other": sorted(other),
        "summary": "ACDD-ready" if ready else "not ACDD-ready: " + "; ".join(parts),
    }
