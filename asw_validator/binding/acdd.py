"""Binder for the ACDD (``schemas/acdd/1.0``): tree -> ``AcddDeclaration``.

Element names follow the WCO Data Model; the comments name the ACDD item (domain.md §2.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import BoundDocument, Located, Node, as_date

NAMESPACE = "urn:asw-validator:acdd:1.0"


@dataclass(frozen=True, slots=True)
class Measure:
    amount: Located
    unit: Located


@dataclass(frozen=True, slots=True)
class Party:
    node: Located  # the party element itself
    name: Located
    id: Located
    address_line: Located
    city: Located
    country: Located
    subdivision: Located
    postcode: Located


@dataclass(frozen=True, slots=True)
class GoodsItem:
    node: Located
    sequence: Located  # item (n)
    description: Located
    hs_code: Located  # item (h)
    gross_mass: Measure
    net_mass: Measure
    quantity: Measure  # items (i) and (j)
    origin: Located  # item (k)


@dataclass(frozen=True, slots=True)
class AcddDeclaration:
    root: Located
    function_code: Located
    national_type_code: Located
    id: Located  # item (o)
    issue_date: Located
    total_gross_mass: Measure
    total_net_mass: Measure
    invoice_amount: Located
    invoice_currency: Located
    declarant: Party  # items (e), (f)
    exporter: Party  # items (a), (b)
    export_country: Located
    import_country: Located
    consignee: Party  # items (c), (d)
    departure_date: Located  # item (g)
    transport_mode: Located  # item (l)
    loading_location: Located
    unloading_location: Located  # item (m)
    goods_shipment: Located
    items: tuple[GoodsItem, ...]


def _c(node: Node, *path: str) -> Node:
    for local in path:
        node = node.child(local, NAMESPACE)
    return node


def _measure(node: Node) -> Measure:
    return Measure(node.number(), node.attr("unitCode"))


def read_party(node: Node, namespace: str = NAMESPACE) -> Party:
    """A party (exporter, consignee, declarant) as the WCO Data Model names its parts; the
    ACDD and a WCO DM declaration differ only in namespace."""
    address = node.child("Address", namespace)
    return Party(
        node=node.leaf(),
        name=node.child("Name", namespace).leaf(),
        id=node.child("ID", namespace).leaf(),
        address_line=address.child("Line", namespace).leaf(),
        city=address.child("CityName", namespace).leaf(),
        country=address.child("CountryCode", namespace).leaf(),
        subdivision=address.child("CountrySubDivisionName", namespace).leaf(),
        postcode=address.child("PostcodeID", namespace).leaf(),
    )


def _item(node: Node) -> GoodsItem:
    measure = _c(node, "GoodsMeasure")
    return GoodsItem(
        node=node.leaf(),
        sequence=_c(node, "SequenceNumeric").integer(),
        description=_c(node, "Commodity", "Description").leaf(),
        hs_code=_c(node, "Commodity", "Classification", "ID").leaf(),
        gross_mass=_measure(_c(measure, "GrossMassMeasure")),
        net_mass=_measure(_c(measure, "NetNetWeightMeasure")),
        quantity=_measure(_c(measure, "TariffQuantity")),
        origin=_c(node, "Origin", "CountryCode").leaf(),
    )


def bind(root: Node) -> BoundDocument[AcddDeclaration]:
    """Bind an ACDD from its located root."""
    shipment = _c(root, "GoodsShipment")
    consignment = _c(shipment, "Consignment")
    invoice = _c(root, "InvoiceAmount")
    decl = AcddDeclaration(
        root=root.leaf(),
        function_code=_c(root, "FunctionCode").leaf(),
        national_type_code=_c(root, "NationalTypeCode").leaf(),
        id=_c(root, "ID").leaf(),
        issue_date=_c(root, "IssueDateTime").leaf(),
        total_gross_mass=_measure(_c(root, "TotalGrossMassMeasure")),
        total_net_mass=_measure(_c(root, "TotalNetMassMeasure")),
        invoice_amount=invoice.number(),
        invoice_currency=invoice.attr("currencyID"),
        declarant=read_party(_c(root, "Declarant")),
        exporter=read_party(_c(root, "Exporter")),
        export_country=_c(shipment, "ExportCountry", "ID").leaf(),
        import_country=_c(shipment, "ImportCountry", "ID").leaf(),
        consignee=read_party(_c(shipment, "Consignee")),
        departure_date=_c(consignment, "DepartureDateTime").leaf(),
        transport_mode=_c(consignment, "BorderTransportMeans", "ModeCode").leaf(),
        loading_location=_c(consignment, "LoadingLocation", "ID").leaf(),
        unloading_location=_c(consignment, "UnloadingLocation", "ID").leaf(),
        goods_shipment=shipment.leaf(),
        items=tuple(_item(n) for n in shipment.children("GovernmentAgencyGoodsItem", NAMESPACE)),
    )
    return BoundDocument(
        model=decl,
        export_country=decl.export_country.text if decl.export_country.usable else None,
        import_country=decl.import_country.text if decl.import_country.usable else None,
        effective_date=as_date(decl.issue_date),
        # The ACDD is the exporting member's declaration.
        issuer_country=decl.export_country.text if decl.export_country.usable else None,
    )
